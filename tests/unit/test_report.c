/*
 * tt_report_build (agent/report.h): the report's members, in order, off
 * Azure and without a tattoo; an audit member that is JSON null is kept
 * as null (the checked builder takes a NULL value as a failed add: the
 * copy must not); "dropped" replaced in place.  On Azure with a tattoo
 * and an audit: the VM's identity, a copy of the tattoo, the flat summary.
 */
#include <errno.h>
#include <string.h>

#include <bsd/string.h>

#include "report.h"
#include "tt.h"
#include "tt_test.h"

static const char *
str(json_object *o, const char *path)
{
	json_object *v = tt_json_path(o, path);

	return v != NULL ? json_object_get_string(v) : "(none)";
}

static int64_t
num(json_object *o, const char *path)
{
	json_object *v = tt_json_path(o, path);

	return v != NULL && json_object_is_type(v, json_type_int) ?
	    json_object_get_int64(v) :
	    -999;
}

static void
no_drift(struct tt_drift *d)
{
	memset(d, 0, sizeof(*d));
	d->os_changed = d->image_mismatch = d->stale = TT_NO;
	d->tattoo_invalid = TT_NO;
	d->age_days = -1;
}

/* Version 4, variant 10xx, lower-case hex in 8-4-4-4-12, and random. */
static void
test_uuid4(void)
{
	char a[37], b[37];

	CHECK_INT(tt_uuid4(a), 0);
	CHECK_INT(tt_uuid4(b), 0);
	CHECK_INT((int)strlen(a), 36);
	CHECK(a[8] == '-' && a[13] == '-' && a[18] == '-' && a[23] == '-');
	CHECK(a[14] == '4');
	CHECK(strchr("89ab", a[19]) != NULL);
	CHECK(strspn(a, "0123456789abcdef-") == 36);
	CHECK(strcmp(a, b) != 0);
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

/* On Azure with a tattoo and an audit: the VM's identity, a copy of the
 * tattoo, the audit's summary members only, and the flat summary. */
static void
test_build_full(void)
{
	struct tt_drift d;
	struct tt_imds_instance inst;
	json_object *tattoo = json_tokener_parse(
	    "{\"image\": {\"name\": \"golden\", \"version\": \"1.2.3\"},"
	    " \"source\": {\"publisher\": \"debian\", \"offer\": \"debian-12\","
	    " \"sku\": \"12\", \"version\": \"0.20240101.1\"}}");
	json_object *audit = json_tokener_parse(
	    "{\"profile\": \"cis-l1-server\", \"compliant\": false,"
	    " \"score\": 87.5, \"summary\": {\"pass\": 90, \"fail\": 3},"
	    " \"failing\": [\"a\", \"b\", \"c\"], \"results\": [1, 2]}");
	struct tt_report_input in = { .tattoo = tattoo,
		.verify = "valid",
		.verify_detail = "signed by build key",
		.inst = &inst,
		.audit = audit,
		.drift = &d,
		.now = 0 };
	json_object *r = NULL;

	CHECK(tattoo != NULL && audit != NULL);
	no_drift(&d);
	memset(&inst, 0, sizeof(inst));
	strlcpy(inst.vm_id, "vm-1", sizeof(inst.vm_id));
	strlcpy(inst.resource_group, "rg-img", sizeof(inst.resource_group));
	strlcpy(inst.vm_size, "Standard_D2s_v5", sizeof(inst.vm_size));
	CHECK_INT(tt_report_build(&in, &r), 0);
	CHECK_STR(str(r, "vm.vmId"), "vm-1");
	CHECK_STR(str(r, "vm.resourceGroupName"), "rg-img");
	CHECK_STR(str(r, "vm.vmSize"), "Standard_D2s_v5");
	CHECK(tt_json_path(r, "vm_note") == NULL);
	CHECK_STR(str(r, "tattoo.image.name"), "golden");
	/* A copy: the caller's tattoo is its own to free. */
	CHECK(tt_json_path(r, "tattoo") != tattoo);
	CHECK_STR(str(r, "verify_detail"), "signed by build key");
	CHECK_STR(str(r, "audit.profile"), "cis-l1-server");
	CHECK_INT((int)num(r, "audit.summary.fail"), 3);
	CHECK(tt_json_path(r, "audit.results") == NULL);
	CHECK(tt_json_path(r, "audit.error") == NULL);
	CHECK_STR(str(r, "summary.image"), "golden");
	CHECK_STR(str(r, "summary.image_version"), "1.2.3");
	CHECK_STR(str(r, "summary.source"), "debian:debian-12:12:0.20240101.1");
	CHECK_STR(str(r, "summary.compliance"), "noncompliant");
	CHECK_INT((int)num(r, "summary.failing"), 3);
	json_object_put(r);
	json_object_put(tattoo);
	json_object_put(audit);
}

/* A tattoo made from a managed or gallery image names its source by id. */
static void
test_source_by_id(void)
{
	struct tt_drift d;
	json_object *tattoo = json_tokener_parse(
	    "{\"source\": {\"id\": \"/subscriptions/s/resourceGroups/g/"
	    "providers/Microsoft.Compute/galleries/gal/images/base\"}}");
	json_object *audit = json_tokener_parse("{\"compliant\": true}");
	struct tt_report_input in = { .tattoo = tattoo,
		.verify = "unsigned",
		.audit = audit,
		.drift = &d };
	json_object *r = NULL;

	no_drift(&d);
	CHECK_INT(tt_report_build(&in, &r), 0);
	CHECK_STR(str(r, "summary.source"),
	    "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
	    "galleries/gal/images/base");
	CHECK_STR(str(r, "summary.compliance"), "compliant");
	CHECK_STR(str(r, "vm_note"), "");
	json_object_put(r);
	json_object_put(tattoo);
	json_object_put(audit);
}

int
main(void)
{
	RUN(test_uuid4);
	RUN(off_azure_without_tattoo);
	RUN(test_build_full);
	RUN(test_source_by_id);
	TEST_EXIT();
}
