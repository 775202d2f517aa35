/*
 * Reading and writing files safely.  Reads are bounded and refuse anything
 * that is not a regular file (a FIFO would hang us, a device could be
 * endless).  Every write is atomic as systemd's fileio does it: a temporary
 * file in the same directory, write, fsync, rename over the target, fsync
 * the directory; the temporary file is removed on failure, so a crash or a
 * full disk leaves the previous content intact.
 */
#ifndef TT_FILEIO_H
#define TT_FILEIO_H

#include <sys/types.h>

#include "buf.h"
#include "rootfs.h"

/* Errors of our own, outside the errno range; tt_strerror knows them. */
#define TT_ENOTREG 4096 /* not a regular file */
/* The new content was renamed into place but the directory could not be
 * synced: it is visible, the old content is gone, and a crash may still
 * bring the old one back.  Callers must not claim the old state is kept. */
#define TT_ENOTDURABLE 4097

/* The strerror text for a negative errno or one of ours. */
const char *tt_strerror(int negerr);

/* Reads the regular file open on fd into ret (initialised here with max).
 * -TT_ENOTREG for other file types, -EFBIG when larger than max. */
int tt_read_fd(int fd, size_t max, struct tt_buf *ret);

/*
 * Opens path inside root (NULL: host) for reading, only when it is a
 * regular file: the type is checked through an O_PATH descriptor first, so
 * a device, FIFO or socket is never opened at all (opening one can block,
 * rewind a tape or arm a watchdog), and again on the opened file, which
 * must be the same inode.  Returns the fd, -EISDIR, -TT_ENOTREG or another
 * negative errno.
 */
int tt_open_regular(const struct tt_root *root, const char *path);

/* Opens path as tt_open_regular does and reads it as tt_read_fd does.  On
 * failure ret is left empty. */
int tt_read_file(const struct tt_root *root, const char *path, size_t max,
    struct tt_buf *ret);

/*
 * Replaces path inside root (NULL: host) with data atomically, mode applied
 * before the rename.  Parent directories must exist.  With the environment
 * variable TATTOO_TEST_PAUSE=atomic-write the process stops itself (SIGSTOP)
 * between fsync and rename, so tests can kill it at the worst moment.
 * Every failure before the rename leaves path as it was; a failure to sync
 * the directory after it returns -TT_ENOTDURABLE.
 */
int tt_atomic_write(const struct tt_root *root, const char *path,
    const void *data, size_t len, mode_t mode);

/* The same with a directory already open. */
int tt_atomic_write_at(int dirfd, const char *name, const void *data,
    size_t len, mode_t mode);

/* write(2) of all len bytes, retrying short writes and EINTR. */
int tt_write_all(int fd, const void *data, size_t len);

/*
 * Checks that the file open on fd is owned by root (or the caller) and not
 * group- or world-writable, as doas and sshd's StrictModes demand of their
 * configuration: agent.conf, rule packs, key files, token files.  0, or
 * -EPERM (or the fstat error) with err naming path.
 */
int tt_check_secure_file(int fd, const char *path, char *err, size_t errlen);

#endif
