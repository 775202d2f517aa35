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
 *              "reasons": [ { "code": rule id, "phrase": text } ] },
 *   "report": { "time", "report_id", "tags", "collector", "spool_depth",
 *               "dropped", "verify", "drift": { … } },
 *   "scrub": { "time", "secrets", "leftovers", … }
 * }
 */
#ifndef TT_STATUS_H
#define TT_STATUS_H

#include <json-c/json.h>

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

/* Reads state_dir/status.json; -ENOENT when absent, -EBADMSG malformed. */
int tt_status_load(const struct tt_root *root, const char *state_dir,
    json_object **ret);

#endif
