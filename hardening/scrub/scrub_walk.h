/*
 * The scrub of a tree: a walk of the root with directory descriptors
 * (openat, never following a symlink; on a live system not entering /proc,
 * /sys, /dev, /run or any other mount), the leftovers catalogue matched
 * against every path, and every regular file handed to the scanner, by
 * worker threads when more than one job is asked for.  Nothing is skipped
 * silently: what is not scanned is in the result with the reason.
 */
#ifndef TT_SCRUB_WALK_H
#define TT_SCRUB_WALK_H

#include <stdbool.h>
#include <stdint.h>

#include "progress.h"
#include "rootfs.h"
#include "scrub_allow.h"
#include "scrub_scan.h"

#define TT_SCRUB_MAX_DEPTH 128
#define TT_SCRUB_DEFAULT_MAX_FILE ((uint64_t)1 << 30)

enum tt_scrub_kind {
	TT_SCRUB_SECRET,
	TT_SCRUB_LEFTOVER,
	TT_SCRUB_SKIPPED,
};

struct tt_scrub_item {
	enum tt_scrub_kind kind;
	char *path; /* inside the root, from "/"; in an archive, with its
		     * members' names after "!" (scrub_archive.h) */
	size_t disk_len; /* in an archive or compressed file: the bytes of
			  * path that name the file on disk (line and
			  * offset count its uncompressed member); else 0 */
	uint64_t line, offset; /* secrets */
	size_t index; /* detector or leftover */
	char preview[TT_SCAN_PREVIEW + 1];
	char fingerprint[65];
	char reason[160]; /* skipped, or not applied: why (with a path) */
};

struct tt_scrub_result {
	struct tt_scrub_item *v;
	size_t n, cap;
	uint64_t files, bytes;
	size_t allowed; /* findings the allowlist or the catalogue's known
			 * public values took away */
	size_t packaged; /* secrets in files as their package shipped them
			  * (scrub_packaged.h) */
};

struct tt_scrub_opts {
	const struct tt_root *root;
	bool live; /* the root is the running system's "/" */
	uint64_t max_file_size;
	unsigned jobs; /* scanning threads; 1 scans in the walking thread */
	bool leftovers; /* match the leftovers catalogue */
	const struct tt_allowlist *allow; /* or NULL */
	const char *build_user; /* --build-user, or NULL */
	struct tt_progress *progress; /* or NULL */
};

/*
 * Walks o->root and fills res (sorted by path, then offset).  0, or a
 * negative errno with err set when the walk could not start (the root
 * cannot be opened, no memory, no thread).
 */
int tt_scrub_walk(const struct tt_scanner *s, const struct tt_scrub_opts *o,
    struct tt_scrub_result *res, char *err, size_t errlen);

/* Counts of one kind. */
size_t
tt_scrub_count(const struct tt_scrub_result *res, enum tt_scrub_kind kind);

void tt_scrub_result_free(struct tt_scrub_result *res);

#endif
