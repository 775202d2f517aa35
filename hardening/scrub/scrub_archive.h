/*
 * Scanning inside archives and compressed files (gzip, xz, bzip2, zstd;
 * tar of every flavour, zip, ar and so .deb, cpio), nested in each other,
 * with libarchive: every member is a stream handed to the scanner in
 * chunks (scrub_scan.h), never extracted and never held whole.  A finding
 * is named by its path through the containers, "!" between levels:
 * /root/backup.tar.gz!app.zip!config/.env, with the member's own line.
 * A compressed file that holds no archive ("raw": /var/log/auth.log.2.gz)
 * keeps its own path.  Member names are data: they are escaped for the
 * terminal, never opened; links and devices inside are not followed.
 *
 * Hostile archives meet limits: bytes expanded (counted at every level,
 * absolute and as a ratio to the bytes read from the file), members,
 * nesting depth and member name length.  Reaching one stops the file and
 * says so through skipped(); what was found before stays found.
 */
#ifndef TT_SCRUB_ARCHIVE_H
#define TT_SCRUB_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrub_scan.h"

/* Containers inside each other, the file on disk counting as the first:
 * disk.tar.gz!b.zip!c.tar!d.gz!file is 4. */
#define TT_ARCHIVE_MAX_DEPTH 4
#define TT_ARCHIVE_MAX_MEMBERS 100000
#define TT_ARCHIVE_MAX_NAME 1024
/* Expanded bytes per byte read: gzip's own limit is about 1030, logs and
 * packages expand 3 to 30 times. */
#define TT_ARCHIVE_MAX_RATIO 250
/* The ratio is only judged past this many expanded bytes: a small file
 * of zeros or a tiny .gz is not a bomb. */
#define TT_ARCHIVE_RATIO_FLOOR ((uint64_t)16 << 20)

struct tt_archive_limits {
	uint64_t max_bytes; /* expanded, all levels together */
	uint64_t max_ratio;
	uint64_t ratio_floor;
	uint64_t max_members; /* all levels together */
	unsigned max_depth;
	size_t max_name;
};

/* The defaults above, with max_bytes as given (--max-file-size). */
void tt_archive_limits_default(struct tt_archive_limits *l, uint64_t max_bytes);

struct tt_archive_cb {
	/* A secret at path (the composite name). */
	void (*secret)(void *arg, const char *path,
	    const struct tt_scan_finding *f);
	/* Every regular member, before its bytes: for detectors that go by
	 * the name alone (a .pfx inside a zip). */
	void (*member)(void *arg, const char *path);
	/* Not scanned, or not all of it, and why. */
	void (*skipped)(void *arg, const char *path, const char *reason);
	void *arg;
};

/* True when p starts like something this module reads: gzip, xz, bzip2,
 * zstd, zip, ar, cpio, or a tar header (its checksum, so old v7 tar
 * too; needs 512 bytes). */
bool tt_archive_sniff(const uint8_t *p, size_t n);

/*
 * Scans the archive or compressed file open on fd (from its start) named
 * path.  *ret_bytes gets the bytes read from fd.  Returns 0 (limits and
 * damage went to skipped()), or -ENOMEM, -ENOTSUP (libarchive lacks what
 * the file needs) with err set.
 */
int tt_scan_archive_fd(const struct tt_scanner *s, int fd, const char *path,
    const struct tt_archive_limits *lim, const struct tt_archive_cb *cb,
    uint64_t *ret_bytes, char *err, size_t errlen);

/* The same over bytes in memory (tests and the fuzz harness). */
int tt_scan_archive_mem(const struct tt_scanner *s, const uint8_t *data,
    size_t len, const char *path, const struct tt_archive_limits *lim,
    const struct tt_archive_cb *cb, char *err, size_t errlen);

#endif
