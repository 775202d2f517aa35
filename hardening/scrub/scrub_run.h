/*
 * A scrub run: the built-in catalogues loaded, the image walked, the
 * leftovers removed under a journal (--apply), and DESIGN.md's scrub
 * document built from what is left.  `tattoo scrub` parses, calls
 * tt_scrub_run, formats the document and picks the exit code.
 */
#ifndef TT_SCRUB_RUN_H
#define TT_SCRUB_RUN_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "rootfs.h"
#include "scrub/scrub_allow.h"
#include "scrub/scrub_catalog.h"
#include "scrub/scrub_scan.h"
#include "scrub/scrub_walk.h"

/* "512M", "1G", "4096": a size of 1 byte to 1 TiB (K, M, G suffixes, any
 * case) into ret.  0 or -EINVAL. */
int tt_scrub_parse_size(const char *s, uint64_t *ret);

/* Reads and parses the allowlist file at path (a host path) into al.  0,
 * or a negative errno with err set and *ret_bad_file telling whether the
 * file itself is wrong (absent, too big, not a regular file, a bad line)
 * rather than the machine (memory, I/O). */
int tt_scrub_allowlist_load(const char *path, struct tt_allowlist *al,
    bool *ret_bad_file, char *err, size_t errlen);

struct tt_scrub_run_opts {
	struct tt_scrub_opts walk; /* root, sizes, jobs, allowlist... */
	bool apply; /* --apply: remove the leftovers, journaled */
	/* Where the journal goes (tt_ctx_journal_dir); journal_dir NULL:
	 * its path was too long, said only when there is a leftover. */
	const struct tt_root *journal_root;
	const char *journal_dir, *state_dir;
};

struct tt_scrub_run {
	struct tt_scrub_catalog cat;
	struct tt_scanner scanner;
	struct tt_scrub_result res; /* after --apply: what is left */
	json_object *doc; /* the scrub document */
	size_t failed; /* leftovers --apply could not remove */
	/* The journal of --apply ("" run: nothing was removed). */
	char run[64], journal[PATH_MAX];
	bool no_bytes; /* it keeps sizes and digests, no copy */
	/* --apply: journaled copies of secret-bearing files sealed
	 * (tt_journal_seal), runs left alone and the first why. */
	unsigned sealed, seal_skipped;
	char seal_skip[512];
	bool bad_input; /* the failure was the catalogue's, not the system's */
	bool bad_usage; /* the failure was an option's (--build-user) */
};

/*
 * Runs scrub as o says into s (zeroed by the caller; free it with
 * tt_scrub_run_free in every case).  0, or a negative errno with the
 * reason in err (without a "scrub: " prefix).
 */
int tt_scrub_run(struct tt_scrub_run *s, const struct tt_scrub_run_opts *o,
    char *err, size_t errlen);

void tt_scrub_run_free(struct tt_scrub_run *s);

#endif
