#include <errno.h>
#include <math.h>

#include "canon.h"
#include "json.h"
#include "tt_test.h"

struct canon_case {
	const char *name, *in, *want;
	int err;
};

static const struct canon_case cases[] = {
	{ "keys sorted", "{\"b\":1,\"a\":2,\"c\":{\"z\":1,\"y\":2}}",
	    "{\"a\":2,\"b\":1,\"c\":{\"y\":2,\"z\":1}}", 0 },
	{ "byte order, not locale", "{\"a\":1,\"B\":2,\"_\":3,\"é\":4}",
	    "{\"B\":2,\"_\":3,\"a\":1,\"é\":4}", 0 },
	{ "white space dropped", " [ 1 , true , null , \"x\" ] ",
	    "[1,true,null,\"x\"]", 0 },
	{ "short escapes", "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"",
	    "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\"", 0 },
	{ "control as \\u", "\"\\u0001\\u001f\"", "\"\\u0001\\u001f\"", 0 },
	{ "slash not escaped", "\"a\\/b\"", "\"a/b\"", 0 },
	{ "unicode escape to raw utf-8", "\"\\u00e9\\u2713\"", "\"é✓\"", 0 },
	{ "surrogate pair", "\"\\ud83d\\ude00\"", "\"😀\"", 0 },
	{ "raw utf-8 kept", "\"日本\"", "\"日本\"", 0 },
	{ "negative integer", "[-42,0]", "[-42,0]", 0 },
	{ "one decimal, shortest form", "[61.1,100.0,0.0,-0.0,0.5,-2.5,7]",
	    "[61.1,100,0,0,0.5,-2.5,7]", 0 },
	{ "two decimals refused", "[1.25]", NULL, -EDOM },
	{ "trailing zero decimal refused", "[1.50]", NULL, -EDOM },
	{ "exponent refused", "[1e2]", NULL, -EDOM },
	{ "exponent with a decimal refused", "[1.5E1]", NULL, -EDOM },
	{ "sixteen integer digits refused", "[1234567890123456.5]", NULL,
	    -EDOM },
	{ "a string score as before", "{\"score\":\"61.1\"}",
	    "{\"score\":\"61.1\"}", 0 },
	{ "empty object and array", "{\"a\":{},\"b\":[]}",
	    "{\"a\":{},\"b\":[]}", 0 },
};

static void
test_cases(void)
{
	char err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *o = tt_json_parse(cases[i].in, strlen(cases[i].in),
		    err, sizeof(err));
		struct tt_buf out;
		int r;

		if (o == NULL) {
			fprintf(stderr, "# %s: %s\n", cases[i].name, err);
			CHECK(o != NULL);
			continue;
		}
		tt_buf_init(&out, 4096);
		r = tt_canon_json(o, &out);
		if (r != cases[i].err)
			fprintf(stderr, "# case %s: %d\n", cases[i].name, r);
		CHECK_INT(r, cases[i].err);
		if (cases[i].want != NULL)
			CHECK_STR(out.data, cases[i].want);
		tt_buf_free(&out);
		json_object_put(o);
	}
}

/* Numbers built in memory: read by the text they were given (or json-c's
 * own, 17 digits), never by the double alone. */
static void
test_number_objects(void)
{
	json_object *o[6];
	char num[TT_CANON_NUMBER_MAX];

	o[0] = json_object_new_double_s(61.1, "61.1");
	o[1] = json_object_new_double_s(100.0, "100.0");
	o[2] = json_object_new_double(NAN);
	o[3] = json_object_new_double(INFINITY);
	o[4] = json_object_new_double(0.1); /* "0.10000000000000001" */
	o[5] = json_object_new_double_s(1e-5, "1e-05");
	CHECK_INT(tt_canon_number(o[0], num), 0);
	CHECK_STR(num, "61.1");
	CHECK_INT(tt_canon_number(o[1], num), 0);
	CHECK_STR(num, "100");
	for (size_t i = 2; i < 6; i++) {
		struct tt_buf out;

		tt_buf_init(&out, 64);
		CHECK_INT(tt_canon_json(o[i], &out), -EDOM);
		tt_buf_free(&out);
	}
	for (size_t i = 0; i < 6; i++)
		json_object_put(o[i]);
}

static void
test_invalid_utf8_refused(void)
{
	json_object *o = json_object_new_string_len("a\xff", 2);
	struct tt_buf out;

	tt_buf_init(&out, 64);
	CHECK_INT(tt_canon_json(o, &out), -EILSEQ);
	tt_buf_free(&out);
	json_object_put(o);
	CHECK(!tt_utf8_valid("\xc0\xaf", 2)); /* overlong */
	CHECK(!tt_utf8_valid("\xed\xa0\x80", 3)); /* surrogate */
	CHECK(!tt_utf8_valid("\xe2\x9c", 2)); /* truncated */
	CHECK(tt_utf8_valid("\xf0\x9f\x98\x80", 4));
}

static void
test_embedded_nul_escaped(void)
{
	json_object *o = json_object_new_string_len("a\0b", 3);
	struct tt_buf out;

	tt_buf_init(&out, 64);
	CHECK_INT(tt_canon_json(o, &out), 0);
	CHECK_STR(out.data, "\"a\\u0000b\"");
	tt_buf_free(&out);
	json_object_put(o);
}

static void
test_parse_errors(void)
{
	char err[256], deep[400];
	json_object *o;

	o = tt_json_parse("{\"a\":", 5, err, sizeof(err));
	CHECK(o == NULL);
	CHECK(strstr(err, "truncated") != NULL);
	o = tt_json_parse("{} x", 4, err, sizeof(err));
	CHECK(o == NULL);
	CHECK(strstr(err, "byte 3") != NULL);
	memset(deep, '[', 200);
	memset(deep + 200, ']', 200);
	o = tt_json_parse(deep, sizeof(deep), err, sizeof(err));
	CHECK(o == NULL);
}

static void
test_depth_limit(void)
{
	json_object *o = json_object_new_array(), *cur = o;
	struct tt_buf out;

	for (int i = 0; i < TT_JSON_MAX_DEPTH + 2; i++) {
		json_object *n = json_object_new_array();
		json_object_array_add(cur, n);
		cur = n;
	}
	tt_buf_init(&out, 4096);
	CHECK_INT(tt_canon_json(o, &out), -ELOOP);
	tt_buf_free(&out);
	json_object_put(o);
}

int
main(void)
{
	RUN(test_cases);
	RUN(test_number_objects);
	RUN(test_invalid_utf8_refused);
	RUN(test_embedded_nul_escaped);
	RUN(test_parse_errors);
	RUN(test_depth_limit);
	TEST_EXIT();
}
