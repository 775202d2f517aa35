/*
 * What other commands (write, report, status) need from the audit engine,
 * kept apart from the engine's own headers so they do not depend on its
 * internals.
 */
#ifndef TT_AUDIT_API_H
#define TT_AUDIT_API_H

#include <json-c/json.h>

struct tt_ctx;

/*
 * Runs a profile (NULL: the configured `profile`, else the one chosen from
 * the root's os-release) over ctx's root and returns the "audit" section of
 * status.json (status.h) as a new object: time, profile, root, compliant,
 * score, summary, failing, reasons, and "rules_digest" (SHA-256 of the
 * rule packs used).  0, or a negative errno with a reason in err:
 * -ESRCH when no rule pack applies to the root, -ENOENT for an unknown
 * profile, -EINVAL for a bad rule pack.
 */
int tt_audit_summary(struct tt_ctx *ctx, const char *profile, json_object **ret,
    char *err, size_t errlen);

#endif
