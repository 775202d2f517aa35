/*
 * tt_validate_live with an injected root and a stub standing in for
 * sshd -t (live mode itself cannot be tested without touching /etc): a
 * change the tool rejects is put back, a created file is removed, a
 * change it accepts stays, and a missing tool judges nothing.
 */
#include <errno.h>
#include <sys/stat.h>

#include "fileio.h"
#include "tt_test.h"
#include "validate.h"

static char *
get(const struct tt_root *root, const char *rel)
{
	struct tt_buf b;

	if (tt_read_file(root, rel, 1 << 20, &b) < 0)
		return NULL;
	return tt_buf_steal(&b);
}

static void
test_reject_and_undo(void)
{
	char *d = tt_test_tmpdir(), stub[1024], *s;
	struct tt_root root;
	struct tt_plan plan;
	struct tt_buf report;
	struct tt_validate_tool tools[2];
	struct stat st;

	CHECK_INT(tt_root_init(&root, d), 0);
	tt_test_put(d, "/etc/ssh/sshd_config",
	    "Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n");
	/* The stub: fails when any file it is given or the drop-in holds
	 * the word BAD, as sshd -t fails on a bad keyword. */
	snprintf(stub, sizeof(stub), "%s/stub-sshd", d);
	tt_test_put(d, "/stub-sshd",
	    "#!/bin/sh\nif cat \"$3\" \"${3%/*}\"/sshd_config.d/* 2>/dev/null |"
	    " grep -q BAD; then echo \"$3 line 1: Bad configuration "
	    "option: BAD\" >&2; exit 255; fi\nexit 0\n");
	chmod(stub, 0755);
	memset(tools, 0, sizeof(tools));
	tools[0].name = "sshd -t";
	tools[0].prefix = "/etc/ssh/sshd_config";
	tools[0].argv[0] = stub;
	tools[0].argv[1] = "-t";
	tools[0].argv[2] = "-f";
	tools[0].argv[3] = "@/etc/ssh/sshd_config";

	/* Accepted: the change stays, nothing is said. */
	tt_plan_init(&plan, &root);
	CHECK_INT(tt_plan_write(&plan, "r1", "/etc/ssh/sshd_config.d/00-x.conf",
		      "PermitRootLogin no\n", 19, 0600),
	    0);
	CHECK_INT(tt_plan_apply_change(&root, &plan.v[0]), 0);
	tt_buf_init(&report, 1 << 16);
	CHECK_INT(tt_validate_live(&root, &plan, tools, &report), 0);
	CHECK_INT(report.len, 0);
	s = get(&root, "/etc/ssh/sshd_config.d/00-x.conf");
	CHECK_STR(s, "PermitRootLogin no\n");
	free(s);
	tt_buf_free(&report);
	tt_plan_free(&plan);

	/* Rejected: the edited main file gets its old bytes back, the
	 * drop-in the run created is removed, and the report says so. */
	tt_plan_init(&plan, &root);
	CHECK_INT(tt_plan_write(&plan, "r2", "/etc/ssh/sshd_config",
		      "Include /etc/ssh/sshd_config.d/*.conf\nBAD yes\n", 45,
		      0644),
	    0);
	CHECK_INT(tt_plan_write(&plan, "r3", "/etc/ssh/sshd_config.d/01-y.conf",
		      "MaxAuthTries 4\n", 15, 0600),
	    0);
	for (size_t i = 0; i < plan.n; i++)
		CHECK_INT(tt_plan_apply_change(&root, &plan.v[i]), 0);
	tt_buf_init(&report, 1 << 16);
	CHECK_INT(tt_validate_live(&root, &plan, tools, &report), 1);
	CHECK(report.data != NULL &&
	    strstr(report.data, "sshd -t rejected the changes") != NULL);
	CHECK(report.data != NULL &&
	    strstr(report.data, "Bad configuration option") != NULL);
	CHECK(report.data != NULL && strstr(report.data, "rule r2") != NULL);
	CHECK(report.data != NULL && strstr(report.data, "rule r3") != NULL);
	s = get(&root, "/etc/ssh/sshd_config");
	CHECK_STR(s,
	    "Include /etc/ssh/sshd_config.d/*.conf\n"
	    "PermitRootLogin yes\n");
	free(s);
	CHECK(tt_root_stat(&root, "/etc/ssh/sshd_config.d/01-y.conf", &st,
		  false) == -ENOENT);
	/* The drop-in of the earlier, accepted run is not this run's. */
	CHECK(tt_root_stat(&root, "/etc/ssh/sshd_config.d/00-x.conf", &st,
		  false) == 0);
	tt_buf_free(&report);

	/* Under --root the tools are named, not run. */
	tt_buf_init(&report, 1 << 16);
	tt_validate_unchecked(&plan, tools, &report);
	CHECK(report.data != NULL &&
	    strstr(report.data, "sshd -t: not run under --root") != NULL);
	tt_buf_free(&report);

	/* A tool that is not installed judges nothing. */
	tools[0].argv[0] = "/nonexistent/sshd";
	tt_buf_init(&report, 1 << 16);
	CHECK_INT(tt_validate_live(&root, &plan, tools, &report), 0);
	tt_buf_free(&report);
	tt_plan_free(&plan);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_reject_and_undo);
	TEST_EXIT();
}
