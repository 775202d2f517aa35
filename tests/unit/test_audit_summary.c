/* The audit summary that write, report and status use (audit_summary.h):
 * the built-in packs over a small Debian 12 fixture root. */
#include <errno.h>
#include <sys/stat.h>

#include "audit_summary.h"
#include "rootfs.h"
#include "tt_test.h"

/* A root the debian12 pack applies to, with a few files its probes read. */
static char *
fixture(const char *os_release)
{
	char *d = tt_test_tmpdir();

	tt_test_put(d, "/etc/os-release", os_release);
	tt_test_put(d, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	tt_test_put(d, "/etc/shadow", "root:*:19000:0:99999:7:::\n");
	tt_test_put(d, "/etc/group", "root:x:0:\nshadow:x:42:\n");
	tt_test_put(d, "/etc/ssh/sshd_config", "PermitRootLogin yes\n");
	return d;
}

static const char debian12[] = "ID=debian\nVERSION_ID=\"12\"\n";

static const char *
str(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) ?
	    json_object_get_string(v) :
	    NULL;
}

static void
summary_of_the_chosen_profile(void)
{
	char *d = fixture(debian12), err[512] = "";
	json_object *sec = NULL, *v;
	struct tt_root root;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_audit_summary(&root, NULL, 0, &sec, err, sizeof(err)), 0);
	CHECK(sec != NULL);
	if (sec != NULL) {
		CHECK_STR(str(sec, "profile"), "debian12:cis-l1-server");
		CHECK(str(sec, "time") != NULL);
		/* "sha256:" and the hex of the packs used. */
		CHECK(str(sec, "rules_digest") != NULL &&
		    strncmp(str(sec, "rules_digest"), "sha256:", 7) == 0 &&
		    strlen(str(sec, "rules_digest")) == 7 + 64);
		/* An almost empty root fails rules: not compliant, each
		 * failing rule also a reason. */
		CHECK(json_object_object_get_ex(sec, "compliant", &v) &&
		    !json_object_get_boolean(v));
		CHECK(json_object_object_get_ex(sec, "failing", &v) &&
		    json_object_array_length(v) > 0);
		CHECK(json_object_object_get_ex(sec, "reasons", &v) &&
		    json_object_array_length(v) > 0);
		CHECK(json_object_object_get_ex(sec, "summary", &v) &&
		    json_object_object_get_ex(v, "fail", NULL));
		CHECK(json_object_object_get_ex(sec, "score", &v) &&
		    json_object_is_type(v, json_type_double));
	}
	json_object_put(sec);
	tt_test_rmtree(d);
	free(d);
}

static void
unknown_profile_and_no_pack(void)
{
	char *d = fixture(debian12), err[512] = "";
	char *other = fixture("ID=plan9\nVERSION_ID=4\n");
	json_object *sec = NULL;
	struct tt_root root;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_audit_summary(&root, "no-such-profile", 0, &sec, err,
		      sizeof(err)),
	    -ENOENT);
	CHECK(sec == NULL);
	CHECK(err[0] != '\0');
	err[0] = '\0';
	CHECK_INT(tt_root_init(&root, other), 0);
	CHECK_INT(tt_audit_summary(&root, NULL, 0, &sec, err, sizeof(err)),
	    -ESRCH);
	CHECK(sec == NULL);
	CHECK(err[0] != '\0');
	tt_test_rmtree(d);
	tt_test_rmtree(other);
	free(d);
	free(other);
}

static void
status_section_of_a_document(void)
{
	json_object *doc = json_tokener_parse(
	    "{\"profile_qualified\":\"p:q\",\"root\":\"/r\","
	    "\"rules_digest\":\"abc\",\"summary\":{\"pass\":1,\"fail\":1,"
	    "\"score\":50.0},\"results\":[{\"id\":\"a\",\"title\":\"A\","
	    "\"result\":\"fail\"},{\"id\":\"b\",\"title\":\"B\","
	    "\"result\":\"pass\"}]}");
	json_object *sec, *v;

	CHECK(doc != NULL);
	sec = tt_audit_status_section(doc);
	CHECK(sec != NULL);
	if (sec != NULL) {
		CHECK_STR(str(sec, "profile"), "p:q");
		CHECK_STR(str(sec, "root"), "/r");
		CHECK_STR(str(sec, "rules_digest"), "abc");
		CHECK(json_object_object_get_ex(sec, "failing", &v) &&
		    json_object_array_length(v) == 1);
		CHECK_STR(json_object_get_string(
			      json_object_array_get_idx(v, 0)),
		    "a");
		CHECK(json_object_object_get_ex(sec, "compliant", &v) &&
		    !json_object_get_boolean(v));
	}
	json_object_put(sec);
	json_object_put(doc);
}

int
main(void)
{
	RUN(summary_of_the_chosen_profile);
	RUN(unknown_profile_and_no_pack);
	RUN(status_section_of_a_document);
	TEST_EXIT();
}
