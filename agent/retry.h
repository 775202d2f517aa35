/*
 * Retry and backoff: one module for every caller that tries a request
 * again (the IMDS instance and token requests, the ARM tags, which
 * answers of a collector keep a report in the spool, and the report
 * round's retry rounds).  A policy is data: how many attempts, the pause
 * before each retry (a table, or a base doubling up to a cap, with or
 * without full jitter), which failures are worth another try, how a
 * server's Retry-After is taken, and the margin a retry keeps before a
 * deadline.  The caller owns the loop, as Fluent Bit's scheduler owns it
 * for its outputs (STYLE.md), and words its own messages:
 *
 *	struct tt_retry rt;
 *
 *	tt_retry_init(&rt, &policy, cfg->retry_scale_ms, 0);
 *	for (;;) {
 *		r = tt_http_do(&req, &resp);
 *		if (r == 0 && resp.status >= 200 && resp.status < 300)
 *			break;
 *		step = tt_retry_answer(&rt, r, resp.status,
 *		    resp.retry_after_s);
 *		tt_http_response_free(&resp);
 *		if (step != TT_RETRY_AGAIN)
 *			return an error that says step;
 *		tt_retry_sleep(&rt);
 *	}
 *
 * Nothing here prints.  The clock, the sleep and the random draw of a
 * struct tt_retry can be replaced, so tests run a schedule in no time.
 */
#ifndef TT_RETRY_H
#define TT_RETRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Failures a policy retries (retry_on), and answers whose Retry-After
 * counts (retry_after_on; only the status bits mean anything there).
 * Transport errors are tt_http_do's negative errno codes.
 */
enum {
	TT_RETRY_ON_TIMEOUT = 1 << 0, /* -ETIMEDOUT */
	/* -ECONNREFUSED, -ECONNRESET, -EHOSTUNREACH: no one there yet, or
	 * the connection broke */
	TT_RETRY_ON_NETWORK = 1 << 1,
	/* every transport error, a refused certificate included */
	TT_RETRY_ON_TRANSPORT = 1 << 2,
	TT_RETRY_ON_AUTH = 1 << 3, /* HTTP 401 and 403 */
	TT_RETRY_ON_404 = 1 << 4,
	TT_RETRY_ON_408 = 1 << 5,
	TT_RETRY_ON_410 = 1 << 6,
	TT_RETRY_ON_429 = 1 << 7,
	TT_RETRY_ON_5XX = 1 << 8, /* HTTP 500 and above */
};

/* What a Retry-After longer than retry_after_max_s does. */
enum tt_retry_after_beyond {
	TT_RETRY_AFTER_CAPPED, /* it is taken as retry_after_max_s */
	TT_RETRY_AFTER_IGNORED, /* our own pause is taken instead */
	TT_RETRY_AFTER_GIVE_UP, /* no retry now: TT_RETRY_TOO_LONG */
};

struct tt_retry_policy {
	/* Tries in all, the first one included: 1 means no retry. */
	int attempts;
	/* The pause before retry i (0 for the first retry), in seconds of
	 * the schedule: steps_s[i] when steps_s is not NULL (the last step
	 * again past n_steps), else min(cap_s, base_s * 2^i). */
	const int *steps_s;
	size_t n_steps;
	long base_s, cap_s;
	/* Full jitter (AWS's backoff study): a uniform draw in [0, pause]
	 * instead of the pause, so that a fleet does not retry in step. */
	bool jitter;
	unsigned retry_on; /* TT_RETRY_ON_*: the failures worth a retry */
	/* A Retry-After (seconds, of an answer whose status is in
	 * retry_after_on) replaces the pause, or with retry_after_floor is
	 * the least pause; one above retry_after_max_s does what
	 * retry_after_beyond says.  A Retry-After is never waited for
	 * without a bound: a broken or hostile server must not park the
	 * agent for a day. */
	unsigned retry_after_on;
	long retry_after_max_s;
	enum tt_retry_after_beyond retry_after_beyond;
	bool retry_after_floor;
	/* With a deadline: a retry that could not start this long before
	 * it is not made (milliseconds, not scaled). */
	long deadline_margin_ms;
};

/* What the caller does after a failed attempt. */
enum tt_retry_step {
	TT_RETRY_AGAIN, /* sleep pause_ms (tt_retry_sleep), then try again */
	TT_RETRY_FATAL, /* a failure the policy does not retry */
	TT_RETRY_SPENT, /* every attempt has been made */
	TT_RETRY_TOO_LONG, /* Retry-After beyond the cap, and the policy
			    * gives up then (TT_RETRY_AFTER_GIVE_UP) */
	TT_RETRY_OUT_OF_TIME, /* the retry would reach into the deadline */
};

/* One run of a policy: the attempts made so far and the next pause. */
struct tt_retry {
	const struct tt_retry_policy *policy;
	/* Milliseconds per second of the schedule: cfg->retry_scale_ms,
	 * 1000 but in tests. */
	long scale_ms;
	/* On now_ms's clock; 0: none. */
	int64_t deadline_ms;
	int retries; /* retries granted so far (0 during the first try) */
	long pause_ms; /* the pause the last TT_RETRY_AGAIN chose */
	/* tt_retry_init sets the real ones: tt_sleep_ms, CLOCK_MONOTONIC
	 * in milliseconds (tt_report_mono_ms's clock), arc4random_uniform.
	 * draw(upper) is uniform in [0, upper). */
	void (*sleep_ms)(long ms);
	int64_t (*now_ms)(void);
	uint32_t (*draw)(uint32_t upper);
};

/* Starts a run of policy (which must outlive rt). */
void tt_retry_init(struct tt_retry *rt, const struct tt_retry_policy *policy,
    long scale_ms, int64_t deadline_ms);

/*
 * True when a failed attempt is worth another one under retry_on: error
 * is the transport's negative errno (0 when an answer came), status the
 * HTTP status of that answer.  A 2xx is no failure: false.
 */
bool tt_retry_retryable(unsigned retry_on, int error, long status);

/*
 * The Retry-After that counts for this answer: retry_after_s when an
 * answer came (error 0), with a status in retry_after_on; else -1.
 */
long tt_retry_after_s(unsigned retry_after_on, int error, long status,
    long retry_after_s);

/*
 * After a failed attempt: classifies it (tt_retry_retryable, then
 * tt_retry_after_s) and, when it may be retried, goes on as
 * tt_retry_next.  TT_RETRY_FATAL when it may not.
 */
enum tt_retry_step tt_retry_answer(struct tt_retry *rt, int error, long status,
    long retry_after_s);

/*
 * After a failed attempt the caller already knows is worth a retry (a
 * sink's TT_SINK_RETRY): TT_RETRY_SPENT when the attempts are spent;
 * else the pause (tt_retry_pause_ms, with retry_after_s or -1), and
 * TT_RETRY_TOO_LONG or TT_RETRY_OUT_OF_TIME (tt_retry_check) when it
 * cannot be waited for; else TT_RETRY_AGAIN, with rt->pause_ms set and
 * the retry counted.
 */
enum tt_retry_step tt_retry_next(struct tt_retry *rt, long retry_after_s);

/* Sleeps rt->pause_ms through rt->sleep_ms. */
void tt_retry_sleep(const struct tt_retry *rt);

/*
 * The pause before retry `retry` (0 for the first), in milliseconds:
 * the policy's step in seconds times scale_ms, or with jitter
 * draw(step * 1000 + 1) * scale_ms / 1000; then the Retry-After (>= 0,
 * else none) as the policy takes it.  -1 when the policy gives up on
 * that Retry-After.
 */
long tt_retry_pause_ms(const struct tt_retry_policy *policy, int retry,
    long retry_after_s, long scale_ms, uint32_t (*draw)(uint32_t upper));

/*
 * Whether retry `retry` (0 for the first) may be made, pausing pause_ms
 * from now_ms: TT_RETRY_SPENT when the attempts are spent,
 * TT_RETRY_OUT_OF_TIME when deadline_ms is not 0 and
 * now_ms + pause_ms + deadline_margin_ms passes it, else TT_RETRY_AGAIN.
 */
enum tt_retry_step tt_retry_check(const struct tt_retry_policy *policy,
    int retry, int64_t now_ms, long pause_ms, int64_t deadline_ms);

#endif
