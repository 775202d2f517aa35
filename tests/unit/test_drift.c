#include <errno.h>

#include <bsd/string.h>
#include <json-c/json.h>

#include "drift.h"
#include "tt_test.h"

#define GAL                                                                    \
	"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/corp/images/golden"

static json_object *
tattoo(const char *published)
{
	char text[1024];

	snprintf(text, sizeof(text),
	    "{\"os\":{\"id\":\"debian\",\"version_id\":\"12\"},"
	    "\"image\":{\"name\":\"golden\",\"version\":\"1.4.0\","
	    "\"published\":\"%s\",\"gallery\":\"" GAL "\"}}",
	    published);
	return json_tokener_parse(text);
}

static void
osr(struct tt_osrelease *os, const char *text)
{
	memset(os, 0, sizeof(*os));
	tt_osrelease_parse(os, text, strlen(text));
}

struct image_case {
	const char *name, *id, *publisher;
	enum tt_tri want;
};

static const struct image_case image_cases[] = {
	{ "same version", GAL "/versions/1.4.0", "", TT_NO },
	{ "case-insensitive gallery",
	    "/SUBSCRIPTIONS/s/resourceGroups/g/providers/Microsoft.Compute/galleries/corp/images/golden/versions/1.4.0",
	    "", TT_NO },
	{ "other version", GAL "/versions/1.5.0", "", TT_YES },
	{ "other gallery",
	    "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/x/images/golden/versions/1.4.0",
	    "", TT_YES },
	{ "marketplace", "", "canonical", TT_YES },
	{ "nothing known", "", "", TT_UNKNOWN },
};

static void
test_image(void)
{
	json_object *t = tattoo("2026-11-01T00:00:00Z");
	struct tt_imds_instance *inst = calloc(1, sizeof(*inst));
	struct tt_drift d;

	for (size_t i = 0; i < sizeof(image_cases) / sizeof(image_cases[0]);
	     i++) {
		memset(inst, 0, sizeof(*inst));
		strlcpy(inst->image.id, image_cases[i].id,
		    sizeof(inst->image.id));
		strlcpy(inst->image.publisher, image_cases[i].publisher,
		    sizeof(inst->image.publisher));
		tt_drift_compute(t, TT_VERIFY_VALID, NULL, inst,
		    (time_t)1795000000, 90, &d);
		if (d.image_mismatch != image_cases[i].want)
			fprintf(stderr, "# case %s\n", image_cases[i].name);
		CHECK_INT(d.image_mismatch, image_cases[i].want);
		CHECK_INT(d.os_changed, TT_UNKNOWN);
	}
	free(inst);
	json_object_put(t);
}

static void
test_os_age_verify(void)
{
	json_object *t = tattoo("2026-01-01T00:00:00Z"), *j;
	struct tt_osrelease os;
	struct tt_drift d;
	char names[128];
	time_t jan1 = 1767225600; /* 2026-01-01 */

	osr(&os, "ID=debian\nVERSION_ID=12\n");
	tt_drift_compute(t, TT_VERIFY_VALID, &os, NULL, jan1 + 10 * 86400, 90,
	    &d);
	CHECK_INT(d.os_changed, TT_NO);
	CHECK_INT(d.stale, TT_NO);
	CHECK_INT(d.age_days, 10);
	CHECK_INT(d.tattoo_invalid, TT_NO);
	CHECK(!tt_drift_any(&d));
	tt_drift_names(&d, names, sizeof(names));
	CHECK_STR(names, "none");
	tt_osrelease_free(&os);

	osr(&os, "ID=debian\nVERSION_ID=13\n");
	tt_drift_compute(t, TT_VERIFY_DIGEST_MISMATCH, &os, NULL,
	    jan1 + 91 * 86400, 90, &d);
	CHECK_INT(d.os_changed, TT_YES);
	CHECK_INT(d.stale, TT_YES);
	CHECK_INT(d.tattoo_invalid, TT_YES);
	tt_drift_names(&d, names, sizeof(names));
	CHECK_STR(names, "os-changed,stale,tattoo-invalid");
	CHECK(strstr(d.why, "does not verify") != NULL);
	j = tt_drift_json(&d);
	CHECK(json_object_get_boolean(tt_json_path(j, "os_changed")));
	CHECK_INT(json_object_array_length(tt_json_path(j, "unknown")), 1);
	json_object_put(j);
	tt_osrelease_free(&os);

	/* A clock before the publication: age 0, not negative. */
	tt_drift_compute(t, TT_VERIFY_VALID, NULL, NULL, jan1 - 86400, 90, &d);
	CHECK_INT(d.age_days, 0);
	json_object_put(t);

	/* No tattoo: nothing claimed. */
	tt_drift_compute(NULL, TT_VERIFY_VALID, NULL, NULL, jan1, 90, &d);
	CHECK(!tt_drift_any(&d));
	CHECK_INT(d.tattoo_invalid, TT_UNKNOWN);
	CHECK_INT(d.age_days, -1);
}

/* The gallery check's answer as drift flags: eol is outdated too when
 * older than latest; unknown raises nothing. */
static void
test_image_fresh(void)
{
	struct tt_image_fresh f = { .status = TT_IMAGE_EOL };
	struct tt_drift d;
	char names[128];

	strlcpy(f.version, "1.3.0", sizeof(f.version));
	strlcpy(f.latest, "1.5.0", sizeof(f.latest));
	strlcpy(f.why, "version 1.3.0 reached its end of life", sizeof(f.why));
	tt_drift_compute(NULL, TT_VERIFY_VALID, NULL, NULL, 0, 90, &d);
	CHECK_INT(d.image_outdated, TT_UNKNOWN);
	tt_drift_image(&d, &f);
	CHECK_INT(d.image_eol, TT_YES);
	CHECK_INT(d.image_outdated, TT_YES);
	CHECK(tt_drift_any(&d));
	tt_drift_names(&d, names, sizeof(names));
	CHECK_STR(names, "image-outdated,image-eol");
	CHECK_STR(d.why, "version 1.3.0 reached its end of life");
	f.status = TT_IMAGE_UNKNOWN;
	tt_drift_compute(NULL, TT_VERIFY_VALID, NULL, NULL, 0, 90, &d);
	tt_drift_image(&d, &f);
	CHECK(!tt_drift_any(&d));
	CHECK_STR(d.why, "");
	f.status = TT_IMAGE_LATEST;
	tt_drift_image(&d, &f);
	CHECK_INT(d.image_outdated, TT_NO);
	CHECK_INT(d.image_eol, TT_NO);
}

int
main(void)
{
	RUN(test_image);
	RUN(test_os_age_verify);
	RUN(test_image_fresh);
	TEST_EXIT();
}
