/*
 * /var/lib/tattoo/status.json: the last audit and report results, for
 * guest-configuration policies and `tattoo status`.  Each command owns one
 * section ("audit", "report", "scrub") and replaces only that section; the
 * update is a read-modify-write under an flock on state_dir/status.lock and
 * an atomic replace.
 *
 * {
 *   "schema": 1,
 *   "updated": "2026-11-24T06:00:00Z",
 *   "audit": { "time", "profile", "root", "compliant" (bool), "score",
 *              "summary": { "pass", "fail", "error", "notapplicable",
 *                           "manual" },
 *              "failing": [ rule ids ],
 *              "reasons": [ { "code": rule id, "phrase": text } ],
 *              "stale": why, once a rollback changed the system since },
 *   "report": { "time", "report_id", "tags", "collector", "spool_depth",
 *               "dropped", "verify", "drift": { … } },
 *   "scrub": { "time", "secrets", "leftovers", … }
 * }
 */
#ifndef TT_STATUS_H
#define TT_STATUS_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "config.h"
#include "drift.h"
#include "rootfs.h"

#define TT_STATUS_SCHEMA 1
#define TT_STATUS_FILE "status.json"

/*
 * Replaces section name of state_dir/status.json (inside root; NULL root:
 * a host path) with section, which is taken over (put) in every case.
 * Creates state_dir (0755) when missing.  A status file that is not valid
 * JSON is replaced (it holds nothing that cannot be recomputed), keeping
 * the broken one as status.json.broken.  0 or a negative errno.
 */
int tt_status_update(const struct tt_root *root, const char *state_dir,
    const char *name, json_object *section);

/*
 * Marks section name of state_dir/status.json stale (its "stale" member
 * set to why) when the system changed under what it records (a rollback
 * after an audit); the next run of the command that owns the section
 * replaces it whole.  No section: nothing is written.  0 or errno.
 */
int tt_status_mark_stale(const struct tt_root *root, const char *state_dir,
    const char *name, const char *why);

/* Reads state_dir/status.json; -ENOENT when absent, -EBADMSG malformed. */
int tt_status_load(const struct tt_root *root, const char *state_dir,
    json_object **ret);

/* Which part of a status check failed: the exit code. */
enum tt_status_failure {
	TT_STATUS_FAILED_NONE,
	TT_STATUS_FAILED_ABSENT, /* no status.json yet */
	TT_STATUS_FAILED_MALFORMED, /* status.json not a JSON object */
	TT_STATUS_FAILED_UNREADABLE, /* status.json cannot be read */
	TT_STATUS_FAILED_KEYS, /* trusted_keys */
	TT_STATUS_FAILED_MEMORY,
};

/* The last results and what `tattoo status` rechecked now. */
struct tt_status_view {
	json_object *doc; /* status.json with a fresh "status" section */
	struct tt_drift drift;
	const char *verify; /* the tattoo: tt_verify_word, or "absent" */
	char drift_names[128];
	long depth; /* the spool's depth now; -1 unreadable */
	uint64_t bytes;
	/* audit.stale: why the last audit no longer says how the system
	 * is (a rollback since); NULL when it does. */
	json_object *stale;
	bool compliant, drifted;
	/* The "status" section was not recorded in state_dir (it is only
	 * on the host, and a reader without the rights cannot write). */
	bool not_recorded;
	enum tt_status_failure failure;
};

/*
 * The status use case: state_dir/status.json (a host path) loaded, and
 * rechecked without the network: the OS version, the tattoo's age and
 * validity (its signature against trusted_keys) in root, the spool's depth
 * now; image drift is the last report's.  On the host (root "/") the new
 * "status" section is recorded in status.json.  0, or a negative errno with
 * v->failure set and the reason in err.  Free v->doc with json_object_put.
 */
int tt_status_check(const struct tt_root *root, const struct tt_config *cfg,
    time_t now, struct tt_status_view *v, char *err, size_t errlen);

#endif
