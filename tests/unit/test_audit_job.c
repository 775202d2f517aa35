/*
 * tt_audit_job_run (hardening/rules.h, run.c): the steps `tattoo audit`
 * runs, and the step a failed job stopped at, which the command turns
 * into its message and exit code.
 */
#include <errno.h>

#include "rules.h"
#include "tt.h"
#include "tt_test.h"

static char pack[1024];
static const char *const files[] = { pack };

static void
opts_for(struct tt_audit_job_opts *o, const struct tt_root *root)
{
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->files = files;
	o->nfiles = 1;
}

static long
summary(json_object *doc, const char *key)
{
	json_object *s, *v;

	if (!json_object_object_get_ex(doc, "summary", &s) ||
	    !json_object_object_get_ex(s, key, &v))
		return -1;
	return (long)json_object_get_int64(v);
}

static void
runs_and_stops_at_each_step(void)
{
	char *d = tt_test_tmpdir(), err[1024] = "";
	const char *const one[] = { "file_permissions_crontab" };
	const char *const unknown[] = { "no_such_rule" };
	struct tt_root root;
	struct tt_audit_job_opts o;
	struct tt_audit_job j = { 0 };

	tt_test_put(d, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	tt_test_put(d, "/etc/crontab", "# cron\n");
	CHECK_INT(tt_root_init(&root, d), 0);

	opts_for(&o, &root);
	o.rule_ids = one;
	o.nrule_ids = 1;
	CHECK_INT(tt_audit_job_run(&j, &o, err, sizeof(err)), 0);
	CHECK_INT(j.failed_at, TT_AUDIT_JOB_DONE);
	CHECK(j.doc != NULL);
	CHECK_INT(summary(j.doc, "pass") + summary(j.doc, "fail"), 1);
	CHECK_STR(j.profile->id, "cis-l1-server");
	tt_audit_job_free(&j);

	memset(&j, 0, sizeof(j));
	opts_for(&o, &root);
	o.rule_ids = unknown;
	o.nrule_ids = 1;
	CHECK_INT(tt_audit_job_run(&j, &o, err, sizeof(err)), -ENOENT);
	CHECK_INT(j.failed_at, TT_AUDIT_JOB_RUN);
	CHECK(strstr(err, "no_such_rule") != NULL);
	tt_audit_job_free(&j);

	memset(&j, 0, sizeof(j));
	opts_for(&o, &root);
	o.want = "no-such-profile";
	CHECK(tt_audit_job_run(&j, &o, err, sizeof(err)) < 0);
	CHECK_INT(j.failed_at, TT_AUDIT_JOB_PROFILE);
	CHECK(strstr(err, "no-such-profile") != NULL);
	tt_audit_job_free(&j);

	memset(&j, 0, sizeof(j));
	opts_for(&o, &root);
	o.files = (const char *const[]){ "/nonexistent/pack.json" };
	CHECK(tt_audit_job_run(&j, &o, err, sizeof(err)) < 0);
	CHECK_INT(j.failed_at, TT_AUDIT_JOB_PACKS);
	CHECK(strstr(err, "/nonexistent/pack.json") != NULL);
	tt_audit_job_free(&j);

	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	snprintf(pack, sizeof(pack), "%s/tests/fixtures/harden-pack.json",
	    getenv("TT_TOP") ? getenv("TT_TOP") : ".");
	RUN(runs_and_stops_at_each_step);
	TEST_EXIT();
}
