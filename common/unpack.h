/*
 * Reading compressed image files through libarchive (archive_dl.h), in
 * memory and bounded: the member names of an initramfs (cpio archives
 * laid end to end, the first often an uncompressed early-microcode cpio,
 * then a compressed one) and the bytes of one compressed stream (dnf's
 * updateinfo.xml.gz).  Nothing is extracted to disk and no member's
 * bytes are kept: an image's files are hostile input.
 *
 * libarchive only decompresses (format raw); the cpio headers are read
 * here (newc, the kernel's format), so a header's declared name size is
 * refused before anything is allocated for it (libarchive's cpio reader
 * allocated it: 4 GiB from a few bytes, found by tests/fuzz/fuzz_unpack).
 *
 * Only the decompressors libarchive has built in are used, never the
 * external programs it falls back to (lz4 -d, ...): a library call does
 * not start processes.  A format libarchive cannot read (zchunk's .zck)
 * is an error naming it.
 */
#ifndef TT_UNPACK_H
#define TT_UNPACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

struct tt_unpack_limits {
	uint64_t max_input; /* the file's size */
	uint64_t max_output; /* decompressed bytes, all archives together */
	size_t max_members; /* cpio members, all archives together */
	size_t max_segments; /* archives laid end to end */
	size_t max_name; /* a member's name, bytes */
	/* Polled at each read of the file; true stops with -ETIMEDOUT (the
	 * audit's deadline).  NULL: never. */
	bool (*cancelled)(void *arg);
	void *arg;
};

/* Defaults for an initramfs: 512 MiB read, 2 GiB decompressed, 200,000
 * members, 8 archives, names of 1 KiB. */
void tt_unpack_limits_default(struct tt_unpack_limits *l);

struct tt_unpack_info {
	size_t segments; /* archives read */
	size_t members; /* names given to the callback */
	uint64_t output; /* bytes decompressed */
	/* Each archive's compression, "+"-joined: "none+zstd". */
	char filters[96];
	/* True when the listing stopped at an archive after which more
	 * could follow (a compressed one: its end is not known). */
	bool stopped_compressed;
};

/*
 * Calls fn(name, arg) for each member of the newc cpio archives laid end
 * to end in fd (from offset 0; zero padding between them skipped, as the
 * kernel does).  An uncompressed archive is followed to its trailer and
 * the next one read; a compressed stream is read to its end (the
 * archives in it, one after another) and the listing stops there: where
 * it ended in the file is not known (info->stopped_compressed).  fn returns 0 to go on, 1 to
 * stop (found what it looked for), or a negative errno that is returned.
 * Returns 0, -EFBIG (file or output over the limits), -E2BIG (members or
 * archives), -ENAMETOOLONG, -EINVAL (not a cpio archive, damaged),
 * -ETIMEDOUT, -ENOSYS (libarchive missing), -ENOMEM; err says which and
 * where (byte offset, member number), not naming the file.
 */
int tt_unpack_names(int fd, const struct tt_unpack_limits *lim,
    int (*fn)(const char *name, void *arg), void *arg,
    struct tt_unpack_info *info, char *err, size_t errlen);

/*
 * Decompresses fd (gzip, bzip2, xz, lzma, zstd, lz4, or not compressed)
 * into out (tt_buf_free it), at most lim->max_output bytes (-EFBIG
 * beyond).  filter gets the compression's name ("gzip", "none").  Errors
 * as tt_unpack_names.
 */
int
tt_unpack_stream(int fd, const struct tt_unpack_limits *lim, struct tt_buf *out,
    char *filter, size_t filterlen, char *err, size_t errlen);

#endif
