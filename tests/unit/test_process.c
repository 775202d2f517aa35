#include <errno.h>
#include <unistd.h>

#include "process.h"
#include "tt_test.h"

static void
test_runs_and_captures(void)
{
	char *argv[] = { "printf", "a%sb", "-", NULL };
	struct tt_spawn_result r;

	CHECK_INT(tt_spawn(argv, 1024, 5000, &r), 0);
	CHECK_INT(r.status, 0);
	CHECK_STR(r.out.data, "a-b");
	tt_spawn_result_free(&r);
}

static void
test_no_shell(void)
{
	/* Shell syntax is an argument, not a command. */
	char *argv[] = { "echo", "x; touch /tmp/tattoo-spawn-pwned", NULL };
	struct tt_spawn_result r;

	CHECK_INT(tt_spawn(argv, 1024, 5000, &r), 0);
	CHECK_STR(r.out.data, "x; touch /tmp/tattoo-spawn-pwned\n");
	CHECK(access("/tmp/tattoo-spawn-pwned", F_OK) != 0);
	tt_spawn_result_free(&r);
}

static void
test_status_timeout_bound_missing(void)
{
	char *fail[] = { "false", NULL };
	char *slow[] = { "sleep", "5", NULL };
	char *big[] = { "head", "-c", "100000", "/dev/zero", NULL };
	char *none[] = { "no-such-program-tattoo", NULL };
	struct tt_spawn_result r;

	CHECK_INT(tt_spawn(fail, 1024, 5000, &r), 0);
	CHECK_INT(r.status, 1);
	tt_spawn_result_free(&r);
	CHECK_INT(tt_spawn(slow, 1024, 200, &r), 0);
	CHECK(r.timed_out);
	CHECK_INT(r.status, 128 + 9);
	tt_spawn_result_free(&r);
	CHECK_INT(tt_spawn(big, 1000, 5000, &r), 0);
	CHECK_INT(r.out.len, 1000);
	CHECK_INT(r.status, 0);
	tt_spawn_result_free(&r);
	CHECK_INT(tt_spawn(none, 1024, 5000, &r), -ENOENT);
}

int
main(void)
{
	RUN(test_runs_and_captures);
	RUN(test_no_shell);
	RUN(test_status_timeout_bound_missing);
	TEST_EXIT();
}
