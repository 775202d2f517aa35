/* The gate a pipeline puts on an audit (audit_gate.h): --fail-under and
 * --fail-on over small audit documents. */
#include <errno.h>

#include "audit_gate.h"
#include "tt.h"
#include "tt_test.h"

/* An audit document of score, with one result per (severity, result). */
static json_object *
doc_of(double score, long fail, const char *const *results, size_t n)
{
	json_object *doc = json_object_new_object();
	json_object *summary = json_object_new_object();
	json_object *arr = json_object_new_array();

	json_object_object_add(summary, "score", json_object_new_double(score));
	json_object_object_add(summary, "fail", json_object_new_int64(fail));
	json_object_object_add(doc, "summary", summary);
	for (size_t i = 0; i + 3 <= n; i += 3) {
		json_object *r = json_object_new_object();

		json_object_object_add(r, "id",
		    json_object_new_string(results[i]));
		json_object_object_add(r, "severity",
		    json_object_new_string(results[i + 1]));
		json_object_object_add(r, "result",
		    json_object_new_string(results[i + 2]));
		json_object_array_add(arr, r);
	}
	json_object_object_add(doc, "results", arr);
	return doc;
}

static const char *const mixed[] = {
	"a",
	"low",
	"fail",
	"b",
	"medium",
	"pass",
	"c",
	"high",
	"pass",
	"d",
	"medium",
	"fail",
};

static void
severity_names(void)
{
	enum tt_severity s = TT_SEVERITY_NONE;

	CHECK_INT(tt_severity_parse("low", &s), 0);
	CHECK_INT(s, TT_SEVERITY_LOW);
	CHECK_INT(tt_severity_parse("high", &s), 0);
	CHECK_INT(s, TT_SEVERITY_HIGH);
	CHECK_INT(tt_severity_parse("critical", &s), -EINVAL);
	CHECK_INT(tt_severity_parse("", &s), -EINVAL);
	CHECK_INT(tt_severity_parse(NULL, &s), -EINVAL);
}

static void
without_thresholds_any_failure_fails(void)
{
	struct tt_audit_gate g = { 0 };
	json_object *d = doc_of(50.0, 2, mixed, TT_ARRAY_SIZE(mixed));
	json_object *ok = doc_of(100.0, 0, NULL, 0);
	char why[256];

	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	CHECK_STR(why, "2 rules fail");
	CHECK(!tt_audit_gate_fails(&g, ok, why, sizeof(why)));
	CHECK_STR(why, "");
	json_object_put(d);
	json_object_put(ok);
}

static void
fail_under_compares_the_score(void)
{
	struct tt_audit_gate g = { .has_fail_under = true, .fail_under = 50 };
	json_object *d = doc_of(50.0, 2, mixed, TT_ARRAY_SIZE(mixed));
	json_object *low = doc_of(49.9, 2, mixed, TT_ARRAY_SIZE(mixed));
	char why[256];

	/* At the threshold passes, failing rules or not. */
	CHECK(!tt_audit_gate_fails(&g, d, why, sizeof(why)));
	CHECK(tt_audit_gate_fails(&g, low, why, sizeof(why)));
	CHECK_STR(why, "score 49.9 is below 50");
	g.fail_under = 0;
	CHECK(!tt_audit_gate_fails(&g, low, why, sizeof(why)));
	g.fail_under = 100;
	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	json_object_put(d);
	json_object_put(low);
}

static void
fail_on_counts_failures_this_severe(void)
{
	struct tt_audit_gate g = { .fail_on = TT_SEVERITY_HIGH };
	json_object *d = doc_of(50.0, 2, mixed, TT_ARRAY_SIZE(mixed));
	char why[256];

	/* Only "a" (low) and "d" (medium) fail; "c" (high) passes. */
	CHECK(!tt_audit_gate_fails(&g, d, why, sizeof(why)));
	g.fail_on = TT_SEVERITY_MEDIUM;
	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	CHECK_STR(why, "1 failing rule of severity medium or above (d)");
	g.fail_on = TT_SEVERITY_LOW;
	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	CHECK_STR(why, "2 failing rules of severity low or above (a, ...)");
	/* Both thresholds: either one fails the gate. */
	g.fail_on = TT_SEVERITY_HIGH;
	g.has_fail_under = true;
	g.fail_under = 60;
	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	json_object_put(d);
}

static void
unreadable_severity_fails_closed(void)
{
	static const char *const odd[] = { "x", "extreme", "fail" };
	struct tt_audit_gate g = { .fail_on = TT_SEVERITY_HIGH };
	json_object *d = doc_of(0.0, 1, odd, TT_ARRAY_SIZE(odd));
	char why[256];

	CHECK(tt_audit_gate_fails(&g, d, why, sizeof(why)));
	json_object_put(d);
}

int
main(void)
{
	RUN(severity_names);
	RUN(without_thresholds_any_failure_fails);
	RUN(fail_under_compares_the_score);
	RUN(fail_on_counts_failures_this_severe);
	RUN(unreadable_severity_fails_closed);
	TEST_EXIT();
}
