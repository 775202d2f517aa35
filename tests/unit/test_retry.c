/*
 * The retry module: which failures are retried, the pauses (a table, a
 * base doubling to a cap, full jitter and its bounds, the scale), a
 * Retry-After capped, ignored, taken as a floor or given up on, the
 * attempts and the deadline, and a loop run with a fake clock and sleep:
 * a failure the policy does not retry stops at once, without a pause.
 */
#include <errno.h>

#include "http.h"
#include "retry.h"
#include "tt.h"
#include "tt_test.h"

static uint32_t
draw_max(uint32_t upper)
{
	return upper - 1;
}

static uint32_t
draw_zero(uint32_t upper)
{
	(void)upper;
	return 0;
}

static uint32_t last_upper;
static unsigned draws;

static uint32_t
draw_record(uint32_t upper)
{
	last_upper = upper;
	draws++;
	return upper / 2;
}

/* A fake clock that the fake sleep advances, and what was slept. */
static int64_t clock_ms;
static unsigned clock_reads;
static long slept[16];
static size_t n_slept;

static int64_t
fake_now(void)
{
	clock_reads++;
	return clock_ms;
}

static void
fake_sleep(long ms)
{
	if (n_slept < TT_ARRAY_SIZE(slept))
		slept[n_slept++] = ms;
	clock_ms += ms;
}

static void
fake_init(struct tt_retry *rt, const struct tt_retry_policy *p, long scale,
    int64_t deadline)
{
	tt_retry_init(rt, p, scale, deadline);
	rt->now_ms = fake_now;
	rt->sleep_ms = fake_sleep;
	rt->draw = draw_record;
	clock_ms = 0;
	clock_reads = 0;
	n_slept = 0;
	draws = 0;
}

static const struct {
	unsigned on;
	int error;
	long status;
	bool want;
} classify_cases[] = {
	/* Statuses, one bit each; 401 and 403 together. */
	{ TT_RETRY_ON_429, 0, 429, true },
	{ TT_RETRY_ON_429, 0, 503, false },
	{ TT_RETRY_ON_5XX, 0, 500, true },
	{ TT_RETRY_ON_5XX, 0, 599, true },
	{ TT_RETRY_ON_5XX, 0, 499, false },
	{ TT_RETRY_ON_404, 0, 404, true },
	{ TT_RETRY_ON_5XX | TT_RETRY_ON_429, 0, 404, false },
	{ TT_RETRY_ON_408, 0, 408, true },
	{ TT_RETRY_ON_410, 0, 410, true },
	{ TT_RETRY_ON_AUTH, 0, 401, true },
	{ TT_RETRY_ON_AUTH, 0, 403, true },
	{ TT_RETRY_ON_5XX | TT_RETRY_ON_429, 0, 401, false },
	/* A 2xx, 1xx or 3xx is never a failure to retry. */
	{ ~0u, 0, 200, false },
	{ ~0u, 0, 204, false },
	{ ~0u, 0, 302, false },
	{ ~0u, 0, 400, false },
	/* Transport errors. */
	{ TT_RETRY_ON_TIMEOUT, -ETIMEDOUT, 0, true },
	{ TT_RETRY_ON_TIMEOUT, -ECONNRESET, 0, false },
	{ TT_RETRY_ON_NETWORK, -ECONNREFUSED, 0, true },
	{ TT_RETRY_ON_NETWORK, -ECONNRESET, 0, true },
	{ TT_RETRY_ON_NETWORK, -EHOSTUNREACH, 0, true },
	{ TT_RETRY_ON_NETWORK, -ETIMEDOUT, 0, false },
	{ TT_RETRY_ON_NETWORK | TT_RETRY_ON_TIMEOUT, -EPROTO, 0, false },
	{ TT_RETRY_ON_TRANSPORT, -EPROTO, 0, true },
	{ TT_RETRY_ON_TRANSPORT, -EFBIG, 0, true },
	/* Statuses do not make a transport error retried. */
	{ TT_RETRY_ON_5XX | TT_RETRY_ON_429, -ETIMEDOUT, 500, false },
	{ 0, 0, 503, false },
};

static void
test_retryable(void)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(classify_cases); i++) {
		bool got = tt_retry_retryable(classify_cases[i].on,
		    classify_cases[i].error, classify_cases[i].status);

		if (got != classify_cases[i].want)
			fprintf(stderr, "# case %zu\n", i);
		CHECK(got == classify_cases[i].want);
	}
	/* A Retry-After counts only from an answer with a listed status. */
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429, 0, 429, 7), 7);
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429, 0, 503, 7), -1);
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429 | TT_RETRY_ON_5XX, 0, 503,
		      7),
	    7);
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429, -ETIMEDOUT, 429, 7), -1);
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429, 0, 429, -1), -1);
	CHECK_INT(tt_retry_after_s(TT_RETRY_ON_429, 0, 429, 0), 0);
}

static void
test_delays(void)
{
	static const int steps[] = { 0, 2, 4, 8, 16 };
	const struct tt_retry_policy exp = { .attempts = 10,
		.base_s = 2,
		.cap_s = 60 };
	const struct tt_retry_policy table = { .attempts = 6,
		.steps_s = steps,
		.n_steps = TT_ARRAY_SIZE(steps) };
	static const long want_exp[] = { 2, 4, 8, 16, 32, 60, 60 };

	/* A base doubling up to the cap, and no further however many
	 * retries (no overflow). */
	for (size_t i = 0; i < TT_ARRAY_SIZE(want_exp); i++)
		CHECK_INT(tt_retry_pause_ms(&exp, (int)i, -1, 1000, NULL),
		    want_exp[i] * 1000);
	CHECK_INT(tt_retry_pause_ms(&exp, 100000, -1, 1000, NULL), 60000);
	/* The scale: milliseconds per second of the schedule. */
	CHECK_INT(tt_retry_pause_ms(&exp, 1, -1, 10, NULL), 40);
	CHECK_INT(tt_retry_pause_ms(&exp, 1, -1, 0, NULL), 0);
	/* A table, its last step past its end. */
	for (size_t i = 0; i < TT_ARRAY_SIZE(steps); i++)
		CHECK_INT(tt_retry_pause_ms(&table, (int)i, -1, 1000, NULL),
		    steps[i] * 1000);
	CHECK_INT(tt_retry_pause_ms(&table, 9, -1, 1000, NULL), 16000);
}

static void
test_jitter(void)
{
	const struct tt_retry_policy p = { .attempts = 10,
		.base_s = 2,
		.cap_s = 60,
		.jitter = true };

	/* Full jitter: a draw over [0, step] in milliseconds, both ends
	 * included. */
	tt_retry_pause_ms(&p, 1, -1, 1000, draw_record);
	CHECK_INT(last_upper, 4001);
	tt_retry_pause_ms(&p, 30, -1, 1000, draw_record);
	CHECK_INT(last_upper, 60001);
	CHECK_INT(tt_retry_pause_ms(&p, 1, -1, 1000, draw_max), 4000);
	CHECK_INT(tt_retry_pause_ms(&p, 1, -1, 1000, draw_zero), 0);
	CHECK_INT(tt_retry_pause_ms(&p, 0, -1, 10, draw_max), 20);
	/* The real draw stays in bounds, and is not a constant. */
	for (int round = 0; round < 8; round++) {
		long lo = 60000, hi = 0,
		     cap = round < 5 ? 2000L << round : 60000;

		for (int i = 0; i < 2000; i++) {
			long ms = tt_retry_pause_ms(&p, round, -1, 1000,
			    arc4random_uniform);

			CHECK(ms >= 0 && ms <= cap);
			lo = ms < lo ? ms : lo;
			hi = ms > hi ? ms : hi;
		}
		CHECK(lo < cap / 4 && hi > cap * 3 / 4);
	}
}

static void
test_retry_after(void)
{
	const struct tt_retry_policy capped = { .attempts = 7,
		.base_s = 1,
		.cap_s = 32,
		.retry_after_max_s = 32,
		.retry_after_beyond = TT_RETRY_AFTER_CAPPED };
	const struct tt_retry_policy give_up = { .attempts = 3,
		.base_s = 2,
		.cap_s = 4,
		.retry_after_max_s = 60,
		.retry_after_beyond = TT_RETRY_AFTER_GIVE_UP };
	const struct tt_retry_policy floor = { .attempts = 4,
		.base_s = 2,
		.cap_s = 60,
		.jitter = true,
		.retry_after_max_s = 60,
		.retry_after_beyond = TT_RETRY_AFTER_IGNORED,
		.retry_after_floor = true };

	/* Replacing the step, shorter or longer; capped. */
	CHECK_INT(tt_retry_pause_ms(&capped, 4, 5, 1000, NULL), 5000);
	CHECK_INT(tt_retry_pause_ms(&capped, 0, 5, 1000, NULL), 5000);
	CHECK_INT(tt_retry_pause_ms(&capped, 0, 0, 1000, NULL), 0);
	CHECK_INT(tt_retry_pause_ms(&capped, 0, 86400, 1000, NULL), 32000);
	CHECK_INT(tt_retry_pause_ms(&capped, 0, 86400, 1, NULL), 32);
	CHECK_INT(tt_retry_pause_ms(&capped, 2, -1, 1000, NULL), 4000);
	/* Up to the cap waited for; beyond it, given up on. */
	CHECK_INT(tt_retry_pause_ms(&give_up, 0, 60, 1000, NULL), 60000);
	CHECK_INT(tt_retry_pause_ms(&give_up, 0, 61, 1000, NULL), -1);
	CHECK_INT(tt_retry_pause_ms(&give_up, 1, -1, 1000, NULL), 4000);
	/* A floor under the draw; beyond the cap, not trusted. */
	CHECK_INT(tt_retry_pause_ms(&floor, 0, 30, 1000, draw_zero), 30000);
	CHECK_INT(tt_retry_pause_ms(&floor, 0, 1, 1000, draw_max), 2000);
	CHECK_INT(tt_retry_pause_ms(&floor, 0, 30, 10, draw_zero), 300);
	CHECK_INT(tt_retry_pause_ms(&floor, 0, 3600, 1000, draw_zero), 0);
	CHECK_INT(tt_retry_pause_ms(&floor, 0, 0, 1000, draw_max), 2000);
}

/* A loop as the callers write it: each attempt fails with the next of
 * `fails` (an errno, or an HTTP status with its Retry-After). */
struct fail {
	int error;
	long status, retry_after_s;
};

static enum tt_retry_step
run_loop(struct tt_retry *rt, const struct fail *fails, size_t n,
    unsigned *ret_attempts)
{
	enum tt_retry_step step = TT_RETRY_SPENT;

	*ret_attempts = 0;
	for (size_t i = 0; i < n; i++) {
		(*ret_attempts)++;
		step = tt_retry_answer(rt, fails[i].error, fails[i].status,
		    fails[i].retry_after_s);
		if (step != TT_RETRY_AGAIN)
			return step;
		tt_retry_sleep(rt);
	}
	return step;
}

static void
test_attempts(void)
{
	/* The IMDS instance schedule: six retries, 63 s in all. */
	static const int steps[] = { 1, 2, 4, 8, 16, 32 };
	const struct tt_retry_policy imds = { .attempts = 7,
		.steps_s = steps,
		.n_steps = TT_ARRAY_SIZE(steps),
		.retry_on = TT_RETRY_ON_429 | TT_RETRY_ON_5XX };
	const struct fail f500[8] = { { 0, 500, -1 }, { 0, 500, -1 },
		{ 0, 500, -1 }, { 0, 500, -1 }, { 0, 500, -1 }, { 0, 500, -1 },
		{ 0, 500, -1 }, { 0, 500, -1 } };
	struct tt_retry_policy once = imds;
	struct tt_retry rt;
	unsigned attempts;
	long total = 0;

	fake_init(&rt, &imds, 1000, 0);
	CHECK_INT(run_loop(&rt, f500, 8, &attempts), TT_RETRY_SPENT);
	CHECK_INT(attempts, 7);
	CHECK_INT(rt.retries, 6);
	CHECK_INT(n_slept, 6);
	for (size_t i = 0; i < n_slept; i++) {
		CHECK_INT(slept[i], steps[i] * 1000);
		total += slept[i];
	}
	CHECK_INT(total, 63000);
	/* No deadline: the clock is never read. */
	CHECK_INT(clock_reads, 0);
	/* One attempt: spent at once, nothing drawn or slept. */
	once.attempts = 1;
	fake_init(&rt, &once, 1000, 0);
	CHECK_INT(run_loop(&rt, f500, 8, &attempts), TT_RETRY_SPENT);
	CHECK_INT(attempts, 1);
	CHECK_INT(n_slept, 0);
}

static void
test_fatal(void)
{
	const struct tt_retry_policy p = { .attempts = 5,
		.base_s = 1,
		.cap_s = 8,
		.jitter = true,
		.retry_on =
		    TT_RETRY_ON_429 | TT_RETRY_ON_5XX | TT_RETRY_ON_TIMEOUT };
	const struct fail refused[] = { { 0, 503, -1 }, { 0, 400, -1 },
		{ 0, 503, -1 } };
	const struct fail tls[] = { { -EPROTO, 0, -1 }, { 0, 503, -1 } };
	struct tt_retry rt;
	unsigned attempts;

	/* A non-retryable answer after a retryable one: stop there. */
	fake_init(&rt, &p, 1000, 0);
	CHECK_INT(run_loop(&rt, refused, 3, &attempts), TT_RETRY_FATAL);
	CHECK_INT(attempts, 2);
	CHECK_INT(n_slept, 1);
	CHECK_INT(draws, 1);
	/* A refused certificate first: no pause, nothing drawn. */
	fake_init(&rt, &p, 1000, 0);
	CHECK_INT(run_loop(&rt, tls, 2, &attempts), TT_RETRY_FATAL);
	CHECK_INT(attempts, 1);
	CHECK_INT(n_slept, 0);
	CHECK_INT(draws, 0);
	CHECK_INT(rt.retries, 0);
}

static void
test_too_long(void)
{
	/* The ARM tags' policy: a Retry-After of a 429 or 5xx replaces the
	 * pause, one above a minute is left to the next run. */
	const struct tt_retry_policy tags = { .attempts = 3,
		.base_s = 2,
		.cap_s = 4,
		.retry_on = TT_RETRY_ON_TIMEOUT | TT_RETRY_ON_NETWORK |
		    TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
		.retry_after_on = TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
		.retry_after_max_s = 60,
		.retry_after_beyond = TT_RETRY_AFTER_GIVE_UP };
	const struct fail hour[] = { { 0, 429, 3600 } };
	const struct fail waits[] = { { 0, 503, 30 }, { -ECONNRESET, 0, 3600 },
		{ 0, 429, 1 } };
	struct tt_retry rt;
	unsigned attempts;

	fake_init(&rt, &tags, 1000, 0);
	CHECK_INT(run_loop(&rt, hour, 1, &attempts), TT_RETRY_TOO_LONG);
	CHECK_INT(n_slept, 0);
	CHECK_INT(rt.retries, 0);
	/* A 503's Retry-After is waited for; a dropped connection's
	 * header is no answer: the step. */
	fake_init(&rt, &tags, 1000, 0);
	CHECK_INT(run_loop(&rt, waits, 3, &attempts), TT_RETRY_SPENT);
	CHECK_INT(attempts, 3);
	CHECK_INT(n_slept, 2);
	CHECK_INT(slept[0], 30000);
	CHECK_INT(slept[1], 4000);
}

static void
test_deadline(void)
{
	const struct tt_retry_policy p = { .attempts = 10,
		.base_s = 2,
		.cap_s = 60,
		.retry_on = TT_RETRY_ON_5XX,
		.deadline_margin_ms = 15000 };
	struct tt_retry rt;

	/* A retry must end a margin before the deadline: 2 s + 15 s fit
	 * in 17 s exactly, 4 s more at 3 s do not. */
	fake_init(&rt, &p, 1000, 17000);
	CHECK_INT(tt_retry_answer(&rt, 0, 500, -1), TT_RETRY_AGAIN);
	CHECK_INT(rt.pause_ms, 2000);
	tt_retry_sleep(&rt);
	clock_ms = 3000;
	CHECK_INT(tt_retry_answer(&rt, 0, 500, -1), TT_RETRY_OUT_OF_TIME);
	CHECK_INT(rt.retries, 1);
	CHECK_INT(n_slept, 1);
	CHECK(clock_reads > 0);
	/* The pure check, as the report round's wrapper uses it. */
	CHECK_INT(tt_retry_check(&p, 0, 0, 2000, 17000), TT_RETRY_AGAIN);
	CHECK_INT(tt_retry_check(&p, 0, 1, 2000, 17000), TT_RETRY_OUT_OF_TIME);
	CHECK_INT(tt_retry_check(&p, 0, 99999, 2000, 0), TT_RETRY_AGAIN);
	CHECK_INT(tt_retry_check(&p, 8, 0, 0, 0), TT_RETRY_AGAIN);
	CHECK_INT(tt_retry_check(&p, 9, 0, 0, 0), TT_RETRY_SPENT);
	/* Spent is said before the deadline is looked at. */
	CHECK_INT(tt_retry_check(&p, 9, 99999, 0, 1), TT_RETRY_SPENT);
}

static void
test_real_hooks(void)
{
	const struct tt_retry_policy p = { .attempts = 2,
		.steps_s = (const int[]){ 0 },
		.n_steps = 1,
		.retry_on = TT_RETRY_ON_5XX };
	struct tt_retry rt;

	tt_retry_init(&rt, &p, 1000, 0);
	CHECK(rt.sleep_ms == tt_sleep_ms);
	CHECK(rt.draw == arc4random_uniform);
	CHECK(rt.now_ms != NULL && rt.now_ms() > 0);
	CHECK_INT(tt_retry_answer(&rt, 0, 502, -1), TT_RETRY_AGAIN);
	CHECK_INT(rt.pause_ms, 0);
	tt_retry_sleep(&rt);
	CHECK_INT(tt_retry_answer(&rt, 0, 502, -1), TT_RETRY_SPENT);
}

int
main(void)
{
	RUN(test_retryable);
	RUN(test_delays);
	RUN(test_jitter);
	RUN(test_retry_after);
	RUN(test_attempts);
	RUN(test_fatal);
	RUN(test_too_long);
	RUN(test_deadline);
	RUN(test_real_hooks);
	TEST_EXIT();
}
