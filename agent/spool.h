/*
 * The spool: reports not yet accepted by the collector, one file each in
 * spool_dir, written (atomically) before the first attempt to send and
 * removed only after the collector accepted it.  Names sort oldest first:
 * "<20-digit creation time in ns>-<report_id>.json".  spool_max_bytes caps
 * the directory: making room drops the oldest reports, and the caller
 * counts them.  Callers hold the report run lock (tt_runlock) while they
 * use the spool, so one process at a time changes it.
 */
#ifndef TT_SPOOL_H
#define TT_SPOOL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "buf.h"
#include "rootfs.h"

/* A spooled report larger than this is not ours (and not read). */
#define TT_SPOOL_MAX_REPORT ((size_t)4 * 1024 * 1024)
/* At most this many files are considered; more are left for later rounds. */
#define TT_SPOOL_MAX_ENTRIES 100000
#define TT_SPOOL_NAME_LEN (20 + 1 + 36 + 5) /* without the NUL */

struct tt_spool {
	int dirfd;
	char dir[PATH_MAX]; /* for messages */
	uint64_t max_bytes;
};

struct tt_spool_entry {
	char name[TT_SPOOL_NAME_LEN + 1];
	uint64_t size;
};

/* Opens (creating, mode 0700) dir inside root (NULL: host).  0 or a
 * negative errno. */
int tt_spool_open(struct tt_spool *s, const struct tt_root *root,
    const char *dir, uint64_t max_bytes);

void tt_spool_close(struct tt_spool *s);

/* True when name is a spool file name (and so sorts by creation time). */
bool tt_spool_name_valid(const char *name);

/* The spool name of a report; -EINVAL when report_id is not a UUID. */
int tt_spool_name(int64_t created_ns, const char *report_id, char *out,
    size_t outlen);

/*
 * Lists the spooled reports, oldest first, into *ret (malloc'ed, caller
 * frees; NULL when empty) and their total size.  Files that are not
 * spool names, or not regular files, are skipped.
 */
int tt_spool_list(struct tt_spool *s, struct tt_spool_entry **ret,
    size_t *ret_n, uint64_t *ret_bytes);

/*
 * Stores data under name.  First makes room under max_bytes by removing
 * the oldest reports, counted first (tt_spool_count_dropped); *ret_dropped
 * says how many (also on failure).
 * -EFBIG when data alone is larger than the cap.  An error of the write
 * leaves the spool as it was but for the reports dropped for room.
 */
int tt_spool_put(struct tt_spool *s, const char *name, const void *data,
    size_t len, uint64_t *ret_dropped);

/*
 * The spool's own count of the reports it dropped, for room or because
 * the collector refused them for good, in spool_dir/dropped: a count
 * kept in status.json alone was lost with any run that could not write
 * status.json.  tt_spool_dropped reads it: -ENOENT (and 0) when none was
 * kept yet, -EBADMSG when the file is not a count.  tt_spool_count_dropped
 * adds n (a missing or damaged count starts from 0), written atomically
 * before the reports it counts are removed: a crash in between counts a
 * report twice rather than not at all.
 */
#define TT_SPOOL_DROPPED_FILE "dropped"
int tt_spool_dropped(struct tt_spool *s, uint64_t *ret);
int tt_spool_count_dropped(struct tt_spool *s, uint64_t n);

/* Removes the temporary files of atomic writes that a killed run left
 * (".<spool name>.tmp…"); only under the run lock, when no write is in
 * flight.  Returns how many were removed. */
int tt_spool_clean(struct tt_spool *s);

/* Reads one spooled report (at most TT_SPOOL_MAX_REPORT). */
int tt_spool_read(struct tt_spool *s, const char *name, struct tt_buf *ret);

/* Removes one report and syncs the directory. */
int tt_spool_remove(struct tt_spool *s, const char *name);

/* Renames a report that cannot be parsed to name + ".bad" (kept for a
 * person to look at, never sent, never counted as spooled). */
int tt_spool_quarantine(struct tt_spool *s, const char *name);

/*
 * Parses a spooled report: a JSON object with a string "report_id" that
 * matches the UUID in name (NULL: not checked).  -EBADMSG with a reason.
 */
int tt_spool_parse(const char *name, const char *data, size_t len,
    json_object **ret, char *err, size_t errlen);

#endif
