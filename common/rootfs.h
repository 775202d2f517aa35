/*
 * Path resolution confined to an image root (--root).  Every path the agent
 * reads or writes in the image goes through here: absolute symlinks, "..",
 * and symlinks in parent directories resolve inside the root, never on the
 * host.  openat2(RESOLVE_IN_ROOT) does it in the kernel (Linux 5.6+); where
 * that is missing (ENOSYS, or a seccomp filter says EPERM) a fallback walks
 * the path one component at a time with O_NOFOLLOW and expands symlinks by
 * hand, with the same semantics.
 *
 * A NULL root means the host's own file system with ordinary resolution; it
 * is used for host paths the configuration names explicitly.
 */
#ifndef TT_ROOTFS_H
#define TT_ROOTFS_H

#include <stdbool.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/types.h>

struct tt_root {
	int fd; /* O_PATH directory of the root, or -1 */
	char path[PATH_MAX]; /* the root as given, for messages */
};

/* Opens dir as a root.  0, or a negative errno (-ENOTDIR, -ENOENT, ...). */
int tt_root_init(struct tt_root *root, const char *dir);

/* Closes the root; safe on a zeroed or already closed root. */
void tt_root_close(struct tt_root *root);

/* True when the root is the host's "/" (a live system). */
bool tt_root_is_host(const struct tt_root *root);

/*
 * Opens path (as seen inside the root; relative paths are taken from the
 * root) with open(2) flags and mode.  O_NOFOLLOW applies to the last
 * component only, as with open(2).  Returns a file descriptor or a negative
 * errno; -ELOOP after 40 symlinks.
 */
int tt_root_open(const struct tt_root *root, const char *path, int flags,
    mode_t mode);

/*
 * Opens the directory that holds path's last component (resolved inside the
 * root) and points *ret_name at that component inside path.  For creating,
 * renaming and unlinking with the *at() calls.  Returns the directory fd or
 * a negative errno; -EINVAL when path has no last component ("/").
 */
int tt_root_open_parent(const struct tt_root *root, const char *path,
    const char **ret_name);

/* stat(2) or lstat(2) (follow == false) of path inside the root. */
int tt_root_stat(const struct tt_root *root, const char *path,
    struct stat *ret_st, bool follow);

/* Creates path and missing parents inside the root with mode. */
int tt_root_mkdir_p(const struct tt_root *root, const char *path, mode_t mode);

/* Writes root->path joined with path into ret (for messages and tools that
 * need a host path, e.g. rpm --root).  Returns 0 or -ENAMETOOLONG. */
int tt_root_host_path(const struct tt_root *root, const char *path, char *ret,
    size_t size);

/* Tests set this to exercise the fallback resolver where openat2 works. */
extern bool tt_root_force_fallback;

#endif
