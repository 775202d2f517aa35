/*
 * The audit's gate for pipelines (audit_gate.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "audit_gate.h"
#include "tt.h"

static const char *const names[] = {
	[TT_SEVERITY_LOW] = "low",
	[TT_SEVERITY_MEDIUM] = "medium",
	[TT_SEVERITY_HIGH] = "high",
};

int
tt_severity_parse(const char *s, enum tt_severity *sev)
{
	for (size_t i = TT_SEVERITY_LOW; i < TT_ARRAY_SIZE(names); i++) {
		if (s != NULL && TT_STREQ(s, names[i])) {
			*sev = (enum tt_severity)i;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *
get_str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) :
	    NULL;
}

/* The number of failing rules at least as severe as sev; *first names
 * the first of them. */
static size_t
severe_failures(json_object *doc, enum tt_severity sev, const char **first)
{
	json_object *results = NULL;
	size_t n = 0, len;

	*first = NULL;
	if (!json_object_object_get_ex(doc, "results", &results))
		return 0;
	len = json_object_array_length(results);
	for (size_t i = 0; i < len; i++) {
		json_object *r = json_object_array_get_idx(results, i);
		const char *res = get_str(r, "result");
		enum tt_severity s;

		if (res == NULL || !TT_STREQ(res, "fail"))
			continue;
		if (tt_severity_parse(get_str(r, "severity"), &s) < 0)
			s = TT_SEVERITY_HIGH;
		if (s < sev)
			continue;
		if (n++ == 0)
			*first = get_str(r, "id");
	}
	return n;
}

bool
tt_audit_gate_fails(const struct tt_audit_gate *g, json_object *doc, char *why,
    size_t len)
{
	json_object *summary = NULL, *v;
	const char *first;
	double score = 100.0;
	long fail = 0;
	size_t n;

	why[0] = '\0';
	json_object_object_get_ex(doc, "summary", &summary);
	if (json_object_object_get_ex(summary, "score", &v))
		score = json_object_get_double(v);
	if (json_object_object_get_ex(summary, "fail", &v))
		fail = (long)json_object_get_int64(v);
	if (!g->has_fail_under && g->fail_on == TT_SEVERITY_NONE) {
		if (fail > 0)
			snprintf(why, len, "%ld rule%s fail", fail,
			    fail == 1 ? "" : "s");
		return fail > 0;
	}
	if (g->has_fail_under && score < (double)g->fail_under) {
		snprintf(why, len, "score %.1f is below %ld", score,
		    g->fail_under);
		return true;
	}
	if (g->fail_on != TT_SEVERITY_NONE &&
	    (n = severe_failures(doc, g->fail_on, &first)) > 0) {
		snprintf(why, len,
		    "%zu failing rule%s of severity %s or above (%s%s)", n,
		    n == 1 ? "" : "s", names[g->fail_on], first ? first : "?",
		    n > 1 ? ", ..." : "");
		return true;
	}
	return false;
}
