#include <limits.h>
#include <time.h>

#include "http.h"
#include "retry.h"
#include "tt.h"

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tt_retry_init(struct tt_retry *rt, const struct tt_retry_policy *policy,
    long scale_ms, int64_t deadline_ms)
{
	memset(rt, 0, sizeof(*rt));
	rt->policy = policy;
	rt->scale_ms = scale_ms;
	rt->deadline_ms = deadline_ms;
	rt->sleep_ms = tt_sleep_ms;
	rt->now_ms = mono_ms;
	rt->draw = arc4random_uniform;
}

/* The TT_RETRY_ON_* bit of an HTTP status, 0 for one no policy names. */
static unsigned
status_bit(long status)
{
	switch (status) {
	case 401:
	case 403: return TT_RETRY_ON_AUTH;
	case 404: return TT_RETRY_ON_404;
	case 408: return TT_RETRY_ON_408;
	case 410: return TT_RETRY_ON_410;
	case 429: return TT_RETRY_ON_429;
	default: return status >= 500 ? TT_RETRY_ON_5XX : 0;
	}
}

bool
tt_retry_retryable(unsigned retry_on, int error, long status)
{
	if (error == 0)
		return (status_bit(status) & retry_on) != 0;
	if (retry_on & TT_RETRY_ON_TRANSPORT)
		return true;
	if (error == -ETIMEDOUT)
		return (retry_on & TT_RETRY_ON_TIMEOUT) != 0;
	if (error == -ECONNREFUSED || error == -ECONNRESET ||
	    error == -EHOSTUNREACH)
		return (retry_on & TT_RETRY_ON_NETWORK) != 0;
	return false;
}

long
tt_retry_after_s(unsigned retry_after_on, int error, long status,
    long retry_after_s)
{
	/* A header seen before the transfer failed is no answer. */
	if (error != 0 || retry_after_s < 0 ||
	    (status_bit(status) & retry_after_on) == 0)
		return -1;
	return retry_after_s;
}

/* The policy's step before retry `retry`, in seconds of the schedule. */
static long
step_s(const struct tt_retry_policy *p, int retry)
{
	long s;

	if (p->steps_s != NULL) {
		size_t i = (size_t)retry;

		if (p->n_steps == 0)
			return 0;
		return p->steps_s[i < p->n_steps ? i : p->n_steps - 1];
	}
	/* Doubling stops at the cap, so no retry count overflows. */
	s = p->base_s;
	for (int i = 0; i < retry && s < p->cap_s && s <= LONG_MAX / 2; i++)
		s *= 2;
	return s < p->cap_s ? s : p->cap_s;
}

long
tt_retry_pause_ms(const struct tt_retry_policy *policy, int retry,
    long retry_after_s, long scale_ms, uint32_t (*draw)(uint32_t upper))
{
	long s = step_s(policy, retry), ms;

	if (policy->jitter) {
		/* Drawn in milliseconds of the schedule, [0, s] inclusive. */
		uint64_t upper = (uint64_t)s * 1000 + 1;

		if (upper > UINT32_MAX)
			upper = UINT32_MAX;
		ms = (long)draw((uint32_t)upper) * scale_ms / 1000;
	} else
		ms = s * scale_ms;
	if (retry_after_s < 0)
		return ms;
	if (retry_after_s > policy->retry_after_max_s) {
		switch (policy->retry_after_beyond) {
		case TT_RETRY_AFTER_CAPPED:
			retry_after_s = policy->retry_after_max_s;
			break;
		case TT_RETRY_AFTER_IGNORED: return ms;
		case TT_RETRY_AFTER_GIVE_UP: return -1;
		}
	}
	if (!policy->retry_after_floor || retry_after_s * scale_ms > ms)
		ms = retry_after_s * scale_ms;
	return ms;
}

enum tt_retry_step
tt_retry_check(const struct tt_retry_policy *policy, int retry, int64_t now_ms,
    long pause_ms, int64_t deadline_ms)
{
	if (retry + 1 >= policy->attempts)
		return TT_RETRY_SPENT;
	if (deadline_ms != 0 &&
	    now_ms + pause_ms + policy->deadline_margin_ms > deadline_ms)
		return TT_RETRY_OUT_OF_TIME;
	return TT_RETRY_AGAIN;
}

enum tt_retry_step
tt_retry_next(struct tt_retry *rt, long retry_after_s)
{
	const struct tt_retry_policy *p = rt->policy;
	enum tt_retry_step step;
	long pause;

	/* Spent before anything is drawn or read from the clock. */
	if (rt->retries + 1 >= p->attempts)
		return TT_RETRY_SPENT;
	pause = tt_retry_pause_ms(p, rt->retries, retry_after_s, rt->scale_ms,
	    rt->draw);
	if (pause < 0)
		return TT_RETRY_TOO_LONG;
	step = tt_retry_check(p, rt->retries,
	    rt->deadline_ms != 0 ? rt->now_ms() : 0, pause, rt->deadline_ms);
	if (step == TT_RETRY_AGAIN) {
		rt->pause_ms = pause;
		rt->retries++;
	}
	return step;
}

enum tt_retry_step
tt_retry_answer(struct tt_retry *rt, int error, long status, long retry_after_s)
{
	const struct tt_retry_policy *p = rt->policy;

	if (!tt_retry_retryable(p->retry_on, error, status))
		return TT_RETRY_FATAL;
	return tt_retry_next(rt,
	    tt_retry_after_s(p->retry_after_on, error, status, retry_after_s));
}

void
tt_retry_sleep(const struct tt_retry *rt)
{
	rt->sleep_ms(rt->pause_ms);
}
