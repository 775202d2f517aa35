/*
 * The gate a pipeline puts on an audit (`audit --fail-under SCORE`,
 * `--fail-on SEVERITY`): whether the audit document (rules.h) fails it.
 * Without either threshold the gate is today's: any failing rule fails.
 */
#ifndef TT_AUDIT_GATE_H
#define TT_AUDIT_GATE_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

enum tt_severity {
	TT_SEVERITY_NONE, /* no --fail-on */
	TT_SEVERITY_LOW,
	TT_SEVERITY_MEDIUM,
	TT_SEVERITY_HIGH,
};

struct tt_audit_gate {
	bool has_fail_under;
	long fail_under; /* 0-100: fails when the score is below it */
	enum tt_severity fail_on; /* fails on a failing rule this severe */
};

/* "low", "medium" or "high" into *sev: 0, or -EINVAL. */
int tt_severity_parse(const char *s, enum tt_severity *sev);

/*
 * Whether doc (an audit document: summary.score, summary.fail,
 * results[].result and .severity) fails the gate, with the reason in why
 * ("" when it passes).  A rule's severity the gate cannot read counts as
 * high: a gate fails closed.
 */
bool tt_audit_gate_fails(const struct tt_audit_gate *g, json_object *doc,
    char *why, size_t len);

#endif
