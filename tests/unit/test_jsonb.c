#include <errno.h>

#include "jsonb.h"
#include "tt_test.h"

static const char *
text(json_object *o)
{
	return json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
}

/* A sequence of adds with no failure builds the document and leaves the
 * error at 0. */
static void
test_build(void)
{
	json_object *doc = json_object_new_object(), *sub, *arr;
	int err = 0;

	CHECK_INT(tt_jsonb_str(doc, "s", "x", &err), 0);
	CHECK_INT(tt_jsonb_str(doc, "n", NULL, &err), 0);
	CHECK_INT(tt_jsonb_int(doc, "i", -5000000000LL, &err), 0);
	CHECK_INT(tt_jsonb_bool(doc, "b", true, &err), 0);
	sub = tt_jsonb_obj(doc, "o", &err);
	CHECK(sub != NULL);
	tt_jsonb_int(sub, "k", 1, &err);
	arr = tt_jsonb_arr(doc, "a", &err);
	CHECK(arr != NULL);
	CHECK_INT(tt_jsonb_append(arr, json_object_new_int(7), &err), 0);
	CHECK_INT(tt_jsonb_add(doc, "s", json_object_new_string("y"), &err), 0);
	/* A reference stays the caller's too; NULL is JSON null. */
	CHECK_INT(tt_jsonb_ref(doc, "r", sub, &err), 0);
	CHECK_INT(tt_jsonb_ref(doc, "z", NULL, &err), 0);
	CHECK_INT(tt_jsonb_append_ref(arr, NULL, &err), 0);
	CHECK_INT(err, 0);
	CHECK_STR(text(doc),
	    "{\"s\":\"y\",\"n\":null,\"i\":-5000000000,"
	    "\"b\":true,\"o\":{\"k\":1},\"a\":[7,null],"
	    "\"r\":{\"k\":1},\"z\":null}");
	json_object_put(doc);
}

/* A NULL from json_object_new_* is -ENOMEM, and the error sticks: later
 * adds do nothing (and free what they were given: ASan checks). */
static void
test_sticky(void)
{
	json_object *doc = json_object_new_object();
	int err = 0;

	CHECK_INT(tt_jsonb_add(doc, "lost", NULL, &err), -ENOMEM);
	CHECK_INT(err, -ENOMEM);
	CHECK_INT(tt_jsonb_str(doc, "s", "x", &err), -ENOMEM);
	CHECK_INT(tt_jsonb_add(doc, "v", json_object_new_string("v"), &err),
	    -ENOMEM);
	CHECK(tt_jsonb_obj(doc, "o", &err) == NULL);
	CHECK(tt_jsonb_arr(doc, "a", &err) == NULL);
	CHECK_INT(tt_jsonb_ref(doc, "r", doc, &err), -ENOMEM);
	CHECK_INT(tt_jsonb_append(NULL, json_object_new_int(1), &err), -ENOMEM);
	CHECK_INT(err, -ENOMEM);
	CHECK_STR(text(doc), "{}");
	json_object_put(doc);
}

/* A NULL parent (a failed tt_jsonb_obj without its error) and a NULL
 * element are failures too. */
static void
test_null_parent(void)
{
	json_object *arr = json_object_new_array();
	int err = 0;

	CHECK_INT(tt_jsonb_int(NULL, "k", 1, &err), -ENOMEM);
	err = 0;
	CHECK_INT(tt_jsonb_append(arr, NULL, &err), -ENOMEM);
	CHECK_INT(json_object_array_length(arr), 0);
	json_object_put(arr);
}

int
main(void)
{
	RUN(test_build);
	RUN(test_sticky);
	RUN(test_null_parent);
	TEST_EXIT();
}
