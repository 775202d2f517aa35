#include <errno.h>

#include <bsd/string.h>

#include <json-c/json.h>

#include "tags.h"
#include "tt_test.h"

struct tag_case {
	const char *name, *prefix, *tag, *value, *want_name, *want_value;
};

static const struct tag_case cases[] = {
	{ "plain", "tattoo-", "image", "golden", "tattoo-image", "golden" },
	{ "forbidden characters in the name", "a<b>c%d&e\\f?g/", "x", "v",
	    "a_b_c_d_e_f_g_x", "v" },
	{ "value keeps what ARM allows", "p-", "x", "a/b?c%d", "p-x",
	    "a/b?c%d" },
	{ "control characters", "p\t", "x", "a\nb", "p_x", "a_b" },
	{ "invalid UTF-8 becomes ?", "p-", "x",
	    "a\xff"
	    "b",
	    "p-x", "a?b" },
	{ "UTF-8 kept", "p-", "x", "d\xc3\xa9j\xc3\xa0", "p-x",
	    "d\xc3\xa9j\xc3\xa0" },
};

static void
test_sanitize(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_tagset t = { 0 };

		CHECK_INT(tt_tags_add(&t, cases[i].prefix, cases[i].tag,
			      cases[i].value),
		    0);
		CHECK_STR(t.v[0].name, cases[i].want_name);
		CHECK_STR(t.v[0].value, cases[i].want_value);
	}
}

/* Characters, not bytes, and never half a character. */
static size_t
utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
test_limits(void)
{
	struct tt_tagset t = { 0 };
	char name[2000], value[2000];

	memset(name, 'n', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	/* 1000 two-byte characters. */
	for (size_t i = 0; i + 2 < sizeof(value); i += 2)
		memcpy(value + i, "\xc3\xa9", 2);
	value[sizeof(value) - 2] = '\0';
	value[sizeof(value) - 1] = '\0';
	CHECK_INT(tt_tags_add(&t, "", name, value), 0);
	CHECK_INT(strlen(t.v[0].name), TT_TAG_NAME_MAX);
	CHECK_INT(utf8_chars(t.v[0].value), TT_TAG_VALUE_MAX);
	CHECK_INT(strlen(t.v[0].value), 2 * TT_TAG_VALUE_MAX);
	for (size_t i = 1; i < TT_TAGS_OURS_MAX; i++)
		CHECK_INT(tt_tags_add(&t, "p", "x", "y"), 0);
	CHECK_INT(tt_tags_add(&t, "p", "x", "y"), -ENOSPC);
}

static void
test_from_report(void)
{
	const char *text =
	    "{\"verify\":\"valid\",\"summary\":{\"image\":\"golden\","
	    "\"image_version\":\"1.4.0\",\"source\":\"a:b:c:1\","
	    "\"compliance\":\"noncompliant\",\"failing\":3,\"drift\":\"none\","
	    "\"image_status\":\"outdated\",\"image_latest\":\"1.5.0\"}}";
	json_object *r = json_tokener_parse(text), *j;
	struct tt_tagset t = { 0 };
	char d1[65], d2[65], d3[65];

	CHECK_INT(tt_tags_from_report(&t, "tattoo-", r), 0);
	CHECK_INT(t.n, 9);
	j = tt_tags_json(&t);
	CHECK_INT(json_object_object_length(j), 9);
	CHECK_STR(t.v[7].name, "tattoo-image-status");
	CHECK_STR(t.v[7].value, "outdated");
	CHECK_STR(t.v[8].name, "tattoo-image-latest");
	CHECK_STR(t.v[8].value, "1.5.0");
	json_object_put(j);
	CHECK_STR(t.v[0].name, "tattoo-image");
	CHECK_STR(t.v[4].name, "tattoo-failing");
	CHECK_STR(t.v[4].value, "3");
	CHECK_STR(t.v[5].name, "tattoo-tattoo");
	CHECK_STR(t.v[5].value, "valid");
	CHECK_INT(tt_tags_digest(&t, "/subscriptions/s/vm", d1), 0);
	CHECK_INT(tt_tags_digest(&t, "/subscriptions/s/vm", d2), 0);
	CHECK_STR(d1, d2);
	CHECK_INT(tt_tags_digest(&t, "/subscriptions/s/other", d3), 0);
	CHECK(strcmp(d1, d3) != 0);
	strlcpy(t.v[4].value, "4", sizeof(t.v[4].value));
	CHECK_INT(tt_tags_digest(&t, "/subscriptions/s/vm", d3), 0);
	CHECK(strcmp(d1, d3) != 0);
	json_object_put(r);
}

int
main(void)
{
	RUN(test_sanitize);
	RUN(test_limits);
	RUN(test_from_report);
	TEST_EXIT();
}
