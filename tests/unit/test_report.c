/*
 * tt_report_build (agent/report.h): the report's members, in order, off
 * Azure and without a tattoo; an audit member that is JSON null is kept
 * as null (the checked builder takes a NULL value as a failed add: the
 * copy must not); "dropped" replaced in place.
 */
#include <errno.h>

#include "report.h"
#include "tt.h"
#include "tt_test.h"

static const char *
str(json_object *o, const char *path)
{
	json_object *v = tt_json_path(o, path);

	return v != NULL ? json_object_get_string(v) : "(none)";
}

static void
off_azure_without_tattoo(void)
{
	static const char *const order[] = { "schema", "report_id", "created",
		"agent_version", "vm", "vm_note", "tattoo", "verify", "drift",
		"audit", "summary", "dropped" };
	struct tt_drift drift = { .age_days = -1 };
	json_object *audit = json_tokener_parse(
	    "{\"profile\": \"cis\", \"compliant\": false, \"score\": null, "
	    "\"summary\": {\"fail\": 3}, \"ignored\": 1}");
	struct tt_report_input in = { .tattoo_note = "no tattoo",
		.verify = "absent",
		.imds_note = "not on Azure",
		.audit = audit,
		.drift = &drift,
		.dropped = 2,
		.now = 1700000000 };
	json_object *r = NULL, *v;
	size_t i = 0;

	CHECK_INT(tt_report_build(&in, &r), 0);
	json_object_object_foreach(r, key, val)
	{
		(void)val;
		CHECK(i < TT_ARRAY_SIZE(order) && TT_STREQ(key, order[i]));
		i++;
	}
	CHECK_INT(i, TT_ARRAY_SIZE(order));
	CHECK_STR(str(r, "vm.vmId"), "");
	CHECK_STR(str(r, "vm_note"), "not on Azure");
	CHECK_STR(str(r, "tattoo.absent"), "no tattoo");
	CHECK_STR(str(r, "created"), "2023-11-14T22:13:20Z");
	CHECK_STR(str(r, "summary.compliance"), "noncompliant");
	CHECK_INT(json_object_get_int(tt_json_path(r, "summary.failing")), 3);
	CHECK(json_object_object_get_ex(tt_json_path(r, "audit"), "score", &v));
	CHECK(v == NULL);
	CHECK(!json_object_object_get_ex(tt_json_path(r, "audit"), "ignored",
	    NULL));
	CHECK_INT(json_object_get_int(tt_json_path(r, "dropped")), 2);
	CHECK_INT(tt_report_set_dropped(r, 7), 0);
	CHECK_INT(json_object_get_int(tt_json_path(r, "dropped")), 7);
	CHECK_INT(strlen(str(r, "report_id")), 36);
	json_object_put(r);
	json_object_put(audit);
}

int
main(void)
{
	RUN(off_azure_without_tattoo);
	TEST_EXIT();
}
