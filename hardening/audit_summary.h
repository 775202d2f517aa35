/*
 * What other commands (write, report, status) need from the audit engine,
 * kept apart from the engine's own headers so they do not depend on its
 * internals.
 */
#ifndef TT_AUDIT_SUMMARY_H
#define TT_AUDIT_SUMMARY_H

#include <json-c/json.h>

struct tt_root;

/* The deadline of an audit unless told otherwise (`audit --timeout`, and
 * the share of `report --timeout` its audit gets): far beyond a real
 * system's audit (a second or two), short of the hourly report timer. */
#define TT_AUDIT_TIMEOUT_S 300

/*
 * Runs a profile (NULL: the one chosen from the root's os-release; the
 * caller passes the configured `profile`) over root and returns the "audit" section of
 * status.json (status.h) as a new object: time, profile, root, compliant,
 * score, summary, failing, reasons, and "rules_digest" (SHA-256 of the
 * rule packs used).  0, or a negative errno with a reason in err:
 * -ESRCH when no rule pack applies to the root, -ENOENT for an unknown
 * profile, -EINVAL for a bad rule pack.  The audit stops judging rules
 * after timeout_s seconds (0: no deadline); an audit cut short by its
 * deadline or its include budget says so in the section's "incomplete".
 */
int tt_audit_summary(const struct tt_root *root, const char *profile,
    long timeout_s, json_object **ret, char *err, size_t errlen);

/* The same with a tailoring (a host path, tailoring.h; NULL: none): the
 * section then has "tailoring" {id, file, sha256}.  A bad tailoring is
 * -EINVAL (or the read's errno) with "FILE:LINE: FIELD: what" in err. */
int tt_audit_summary_tailored(const struct tt_root *root, const char *profile,
    const char *tailoring, long timeout_s, json_object **ret, char *err,
    size_t errlen);

/*
 * The "audit" section of status.json (status.h) from the document: time,
 * profile, root, compliant, score, summary, failing, reasons ({code: rule
 * id, phrase: title}), rules_digest, and the document's tailoring.  NULL when out of memory.
 */
json_object *tt_audit_status_section(json_object *doc);

/*
 * The image's pending security updates, from its own metadata (the
 * pending_updates probe: apt lists of the security suite against the dpkg
 * status): {"pending": N, "metadata_date": "…Z" when the lists have a
 * date}, or {"error": why} when the metadata is absent or unreadable.
 * For write's baseline.  NULL when out of memory.
 */
json_object *tt_security_updates(const struct tt_root *root);

#endif
