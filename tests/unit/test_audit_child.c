/* The audit of a report round in a child process (audit_child.h): its
 * answer, an error passed through, the deadline, and abandoning it. */
#include <errno.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "audit_child.h"
#include "cli.h"
#include "tt_test.h"

/* A context over a fresh root with that os-release and no configured
 * profile (the child picks the pack's default). */
static char *
ctx_over(struct tt_ctx *ctx, const char *os_release)
{
	char *d = tt_test_tmpdir();

	tt_test_put(d, "/etc/os-release", os_release);
	tt_test_put(d, "/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n");
	memset(ctx, 0, sizeof(*ctx));
	ctx->root_dir = d;
	if (tt_root_init(&ctx->root, d) < 0)
		exit(2);
	return d;
}

static bool
gone(pid_t pid)
{
	/* Reaped: no such child of ours any more. */
	return waitpid(pid, NULL, WNOHANG) < 0 && errno == ECHILD;
}

static void
answers_the_summary(void)
{
	struct tt_audit_child c;
	struct tt_ctx ctx;
	char *d = ctx_over(&ctx, "ID=debian\nVERSION_ID=12\n"), err[512] = "";
	json_object *sec = NULL, *v;

	CHECK_INT(tt_audit_child_start(&ctx, NULL, 0, &c, err, sizeof(err)), 0);
	CHECK(c.pid > 0);
	CHECK_INT(tt_audit_child_finish(&c, -1, &sec, err, sizeof(err)), 0);
	CHECK(sec != NULL);
	CHECK(json_object_object_get_ex(sec, "profile", &v) &&
	    strcmp(json_object_get_string(v), "debian12:cis-l1-server") == 0);
	CHECK_INT(c.pid, 0);
	CHECK_INT(c.fd, -1);
	json_object_put(sec);
	/* Finishing twice is an error, not a wait on a stale pid. */
	CHECK_INT(tt_audit_child_finish(&c, -1, &sec, err, sizeof(err)),
	    -ECHILD);
	CHECK(sec == NULL);
	tt_test_rmtree(d);
	free(d);
}

static void
passes_the_audits_error_through(void)
{
	struct tt_audit_child c;
	struct tt_ctx ctx;
	char *d = ctx_over(&ctx, "ID=plan9\nVERSION_ID=4\n"), err[512] = "";
	json_object *sec = NULL;

	CHECK_INT(tt_audit_child_start(&ctx, NULL, 0, &c, err, sizeof(err)), 0);
	/* No pack applies: the child's -ESRCH and reason, not -ECHILD. */
	CHECK_INT(tt_audit_child_finish(&c, 60000, &sec, err, sizeof(err)),
	    -ESRCH);
	CHECK(sec == NULL);
	CHECK(err[0] != '\0');
	CHECK_INT(tt_audit_child_finish(&c, 0, &sec, err, sizeof(err)),
	    -ECHILD);
	tt_test_rmtree(d);
	free(d);
}

static void
a_hung_audit_times_out(void)
{
	struct tt_audit_child c;
	struct tt_ctx ctx;
	char *d = ctx_over(&ctx, "ID=debian\nVERSION_ID=12\n"), err[512] = "";
	json_object *sec = NULL;
	pid_t pid;

	setenv("TATTOO_TEST_PAUSE", "audit", 1);
	CHECK_INT(tt_audit_child_start(&ctx, NULL, 0, &c, err, sizeof(err)), 0);
	unsetenv("TATTOO_TEST_PAUSE");
	pid = c.pid;
	CHECK_INT(tt_audit_child_finish(&c, 200, &sec, err, sizeof(err)),
	    -ETIMEDOUT);
	CHECK(sec == NULL);
	CHECK(strstr(err, "did not finish") != NULL);
	/* Killed and reaped. */
	CHECK(gone(pid));
	CHECK_INT(c.pid, 0);
	tt_test_rmtree(d);
	free(d);
}

static void
abandon_kills_and_reaps(void)
{
	struct tt_audit_child c;
	struct tt_ctx ctx;
	char *d = ctx_over(&ctx, "ID=debian\nVERSION_ID=12\n"), err[512] = "";
	pid_t pid;

	setenv("TATTOO_TEST_PAUSE", "audit", 1);
	CHECK_INT(tt_audit_child_start(&ctx, NULL, 0, &c, err, sizeof(err)), 0);
	unsetenv("TATTOO_TEST_PAUSE");
	pid = c.pid;
	tt_audit_child_abandon(&c);
	CHECK(gone(pid));
	CHECK_INT(c.pid, 0);
	CHECK_INT(c.fd, -1);
	/* Again, on nothing: a no-op. */
	tt_audit_child_abandon(&c);
	tt_test_rmtree(d);
	free(d);
}

static void
a_killed_audit_is_echild(void)
{
	struct tt_audit_child c;
	struct tt_ctx ctx;
	char *d = ctx_over(&ctx, "ID=debian\nVERSION_ID=12\n"), err[512] = "";
	json_object *sec = NULL;

	setenv("TATTOO_TEST_PAUSE", "audit", 1);
	CHECK_INT(tt_audit_child_start(&ctx, NULL, 0, &c, err, sizeof(err)), 0);
	unsetenv("TATTOO_TEST_PAUSE");
	kill(c.pid, SIGKILL);
	CHECK_INT(tt_audit_child_finish(&c, 60000, &sec, err, sizeof(err)),
	    -ECHILD);
	CHECK(strstr(err, "signal 9") != NULL);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(answers_the_summary);
	RUN(passes_the_audits_error_through);
	RUN(a_hung_audit_times_out);
	RUN(abandon_kills_and_reaps);
	RUN(a_killed_audit_is_echild);
	TEST_EXIT();
}
