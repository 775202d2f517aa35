/* tt_evidence_add (evidence.h): generated_at and the tattoo with its
 * signature word, put into a document before any writer renders it. */
#include <errno.h>

#include "evidence.h"
#include "rootfs.h"
#include "tt_test.h"

static const char *
at(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) :
	    NULL;
}

static void
no_tattoo_is_absent(void)
{
	char *d = tt_test_tmpdir(), why[256];
	json_object *doc = json_object_new_object(), *t = NULL, *sec;
	struct tt_root root;

	tt_test_put(d, "/etc/os-release", "ID=debian\n");
	CHECK_INT(tt_root_init(&root, d), 0);
	/* 2026-12-05T05:00:00Z */
	CHECK_INT(tt_evidence_add(doc, &root, "", 1796446800, &t, why,
		      sizeof(why)),
	    0);
	CHECK(t == NULL);
	CHECK_STR(at(doc, "generated_at"), "2026-12-05T05:00:00Z");
	CHECK(json_object_object_get_ex(doc, "tattoo", &sec));
	CHECK_STR(at(sec, "signature"), "absent");
	CHECK(at(sec, "image") == NULL);
	CHECK_STR(why, "");
	/* Added again: replaced, not doubled. */
	CHECK_INT(tt_evidence_add(doc, &root, NULL, 1796446801, &t, why,
		      sizeof(why)),
	    0);
	CHECK_STR(at(doc, "generated_at"), "2026-12-05T05:00:01Z");
	tt_root_close(&root);
	json_object_put(doc);
	tt_test_rmtree(d);
	free(d);
}

static void
unreadable_tattoo_is_invalid(void)
{
	char *d = tt_test_tmpdir(), why[256];
	json_object *doc = json_object_new_object(), *t = NULL, *sec;
	struct tt_root root;

	tt_test_put(d, "/etc/tattoo/tattoo.json", "not json");
	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_evidence_add(doc, &root, "", 0, &t, why, sizeof(why)), 0);
	CHECK(t == NULL);
	CHECK(json_object_object_get_ex(doc, "tattoo", &sec));
	CHECK_STR(at(sec, "signature"), "invalid");
	CHECK_STR(at(sec, "image"), "");
	/* A trusted key that cannot be read is a note, not a failure. */
	CHECK_INT(tt_evidence_add(doc, &root, "/nonexistent/key.pub", 0, &t,
		      why, sizeof(why)),
	    0);
	CHECK(why[0] != '\0');
	tt_root_close(&root);
	json_object_put(doc);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(no_tattoo_is_absent);
	RUN(unreadable_tattoo_is_invalid);
	TEST_EXIT();
}
