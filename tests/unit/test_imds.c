/*
 * tt_imds_request's retry policy against a scripted loopback server: what
 * the CLI tests cannot show with the mock, whose delay holds every answer
 * alike: a time-out retried (token) or taken for "not on Azure" (instance),
 * 404 retried or not, the counter, the last status for the caller's
 * message, and a Retry-After capped.  The real wrappers are checked once
 * each: the instance request does not retry 404, the token request does.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "fileio.h"
#include "http.h"
#include "imds.h"
#include "token.h"
#include "tt.h"
#include "tt_test.h"
#include "loopback_http.h"

static const int quick_backoff_s[] = { 0, 1 };

/* The instance's flags and the token's, with short limits. */
static const struct tt_imds_policy instance_like = {
	.name = "IMDS",
	.backoff_s = quick_backoff_s,
	.n_backoff = TT_ARRAY_SIZE(quick_backoff_s),
	.max_retry_after_s = 1,
	.connect_timeout_ms = 1000,
	.timeout_ms = 300,
	.max_response = 4096,
};

static const struct tt_imds_policy token_like = {
	.name = "token",
	.backoff_s = quick_backoff_s,
	.n_backoff = TT_ARRAY_SIZE(quick_backoff_s),
	.max_retry_after_s = 1,
	.retry_404 = true,
	.retry_timeout = true,
	.connect_timeout_ms = 1000,
	.timeout_ms = 300,
	.max_response = 4096,
};

struct request_case {
	const char *name;
	const struct tt_imds_policy *policy;
	struct step steps[MAX_STEPS];
	size_t n_steps;
	int want;
	long want_status;
	const char *want_err; /* a substring; NULL on success */
};

static const struct request_case request_cases[] = {
	{ "token: a time-out and a 404 retried", &token_like,
	    { { HANG, 0, NULL }, { 404, 0, NULL }, { 200, 0, NULL } }, 3, 0,
	    200, NULL },
	{ "token: time-outs until every retry is spent", &token_like,
	    { { HANG, 0, NULL }, { HANG, 0, NULL }, { HANG, 0, NULL } }, 3,
	    -EIO, 0, "token request timed out after every retry" },
	{ "token: 500 until every retry is spent", &token_like,
	    { { 500, 0, NULL }, { 503, 0, NULL }, { 500, 0, NULL } }, 3, -EIO,
	    500, "IMDS answered HTTP 500 after every retry" },
	{ "token: 400 not retried", &token_like, { { 400, 0, NULL } }, 1,
	    -EACCES, 400, "IMDS answered HTTP 400" },
	{ "instance: a silent IMDS is not Azure", &instance_like,
	    { { HANG, 0, NULL } }, 1, -EHOSTUNREACH, 0, "not on Azure" },
	{ "instance: 404 not retried", &instance_like, { { 404, 0, NULL } }, 1,
	    -EACCES, 404, "IMDS answered HTTP 404" },
	{ "instance: 410, 429 and 5xx retried", &instance_like,
	    { { 410, 0, NULL }, { 429, 0, NULL }, { 200, 0, NULL } }, 3, 0, 200,
	    NULL },
	/* At 1 ms a second, a day's Retry-After uncapped is 86 s. */
	{ "instance: Retry-After capped", &instance_like,
	    { { 429, 86400, NULL }, { 429, 86400, NULL }, { 200, 0, NULL } }, 3,
	    0, 200, NULL },
};

static void
test_request(void)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(request_cases); i++) {
		const struct request_case *c = &request_cases[i];
		struct tt_imds_policy policy = *c->policy;
		struct tt_http_response resp = { .status = -1 };
		struct tt_config cfg;
		struct server s;
		struct timespec t0, t1;
		unsigned requests = 0;
		long status = -1;
		char err[512] = "";
		int r;

		fprintf(stderr, "# %s\n", c->name);
		policy.requests = &requests;
		server_start(&s, c->steps, c->n_steps, "Metadata: true", &cfg);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r = tt_imds_request(&cfg, "/metadata/x?api-version=1", &policy,
		    &resp, &status, err, sizeof(err));
		clock_gettime(CLOCK_MONOTONIC, &t1);
		server_stop(&s);
		if (r != c->want)
			fprintf(stderr, "# %d: %s\n", r, err);
		CHECK_INT(r, c->want);
		CHECK_INT(status, c->want_status);
		CHECK_INT(requests, c->n_steps);
		CHECK_INT(s.accepted, c->n_steps);
		/* Each request with Metadata: true.  A client that gives up on
		 * a hung step may do so before its head is out (curl's 300 ms
		 * include sending it, which valgrind under load can exceed):
		 * the heads that arrived are judged, and only a hung step may
		 * lack one. */
		{
			unsigned hangs = 0;

			for (size_t k = 0; k < c->n_steps; k++)
				hangs += c->steps[k].status == HANG;
			CHECK_INT(s.with_header, s.heads);
			CHECK(s.heads + hangs >= s.accepted);
		}
		CHECK(t1.tv_sec - t0.tv_sec < 5);
		if (c->want == 0) {
			CHECK_INT(resp.status, 200);
			CHECK_STR(resp.body.data, token_body);
			tt_http_response_free(&resp);
		} else {
			/* Untouched on failure: nothing for the caller to
			 * free, no answer left behind. */
			CHECK_INT(resp.status, -1);
			CHECK(strstr(err, c->want_err) != NULL);
		}
	}
}

/* The instance request as tt_imds_get makes it: one 404, one request, and
 * the instance's code for any error status. */
static void
test_instance_404(void)
{
	static const struct step steps[] = { { 404, 0, NULL } };
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	char err[512] = "";

	server_start(&s, steps, TT_ARRAY_SIZE(steps), "Metadata: true", &cfg);
	CHECK_INT(tt_imds_get(&cfg, "/metadata/instance", &resp, err,
		      sizeof(err)),
	    -EIO);
	server_stop(&s);
	CHECK_STR(err, "IMDS answered HTTP 404");
	CHECK_INT(s.accepted, 1);
}

/* The token request: a 404 is retried, a 400 is refused with the hint. */
static void
test_token_404(void)
{
	static const struct step retried[] = { { 404, 0, NULL },
		{ 200, 0, NULL } };
	static const struct step refused[] = { { 400, 0, NULL } };
	struct tt_token_cache c = { 0 };
	struct tt_config cfg;
	struct server s;
	const char *tok = NULL;
	char err[512] = "";

	server_start(&s, retried, TT_ARRAY_SIZE(retried), "Metadata: true",
	    &cfg);
	CHECK_INT(tt_token_get(&c, &cfg, TT_RESOURCE_ARM, &tok, err,
		      sizeof(err)),
	    0);
	server_stop(&s);
	CHECK_STR(tok, "tok");
	CHECK_INT(c.requests, 2);
	CHECK_INT(s.accepted, 2);
	tt_token_cache_free(&c);

	memset(&c, 0, sizeof(c));
	server_start(&s, refused, TT_ARRAY_SIZE(refused), "Metadata: true",
	    &cfg);
	CHECK_INT(tt_token_get(&c, &cfg, TT_RESOURCE_ARM, &tok, err,
		      sizeof(err)),
	    -EACCES);
	server_stop(&s);
	CHECK_STR(err,
	    "IMDS refused a token for 'https://management.azure.com/': HTTP "
	    "400 (does the VM have a managed identity, and does 'identity' "
	    "name it?)");
	CHECK_INT(c.requests, 1);
	tt_token_cache_free(&c);
}

int
main(void)
{
	RUN(test_request);
	RUN(test_instance_404);
	RUN(test_token_404);
	TEST_EXIT();
}
