/*
 * tt_bearer_do against a scripted loopback server that is both IMDS (the
 * token) and the service: the token is asked for once and sent as a
 * Bearer header on every try, a 503 is tried again, a 403 is left in the
 * response for the caller's words, IMDS's refusal and an unreachable
 * service end the call with their own failure kind.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <bsd/string.h>

#include "bearer.h"
#include "fileio.h"
#include "tt.h"
#include "tt_test.h"
#include "loopback_http.h"

static const struct tt_retry_policy three_tries = {
	.attempts = 3,
	.base_s = 1,
	.cap_s = 1,
	.retry_on = TT_RETRY_ON_NETWORK | TT_RETRY_ON_5XX,
};

static const char *const json_header[] = { "Content-Type: application/json",
	NULL };

/* A 503 is tried again with the same cached token; the 200 comes back. */
static void
test_retried_then_ok(void)
{
	static const struct step steps[] = { { 200, 0, NULL }, { 503, 0, "{}" },
		{ 200, 0, "{\"ok\":1}" } };
	struct tt_token_cache c = { 0 };
	struct tt_bearer_outcome o;
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	char url[128];
	int port = server_start(&s, steps, TT_ARRAY_SIZE(steps),
	    "Authorization: Bearer tok", &cfg);
	struct tt_http_request req = { .method = "GET",
		.url = url,
		.headers = json_header };

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/thing", port);
	CHECK_INT(tt_bearer_do(&c, &cfg, TT_RESOURCE_ARM, &req, &three_tries,
		      &resp, &o),
	    0);
	server_stop(&s);
	CHECK_INT(resp.status, 200);
	CHECK_STR(resp.body.data, "{\"ok\":1}");
	CHECK_INT(s.accepted, 3);
	CHECK_INT(s.with_header, 2); /* both service tries, not the token one */
	CHECK_INT(c.requests, 1);
	tt_http_response_free(&resp);
	tt_token_cache_free(&c);
}

/* A 403 is not retried and stays in the response for the caller. */
static void
test_refused(void)
{
	static const struct step steps[] = { { 200, 0, NULL },
		{ 403, 0,
		    "{\"error\":{\"code\":\"AuthorizationFailed\","
		    "\"message\":\"no\"}}" } };
	struct tt_token_cache c = { 0 };
	struct tt_bearer_outcome o;
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	char url[128], detail[300];
	int port = server_start(&s, steps, TT_ARRAY_SIZE(steps),
	    "Authorization: Bearer tok", &cfg);
	struct tt_http_request req = { .method = "PATCH", .url = url };

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/tags", port);
	CHECK_INT(tt_bearer_do(&c, &cfg, TT_RESOURCE_ARM, &req, &three_tries,
		      &resp, &o),
	    -EIO);
	server_stop(&s);
	CHECK_INT(o.failure, TT_BEARER_REFUSED);
	CHECK_INT(o.step, TT_RETRY_FATAL);
	CHECK_INT(resp.status, 403);
	tt_http_azure_error(&resp.body, detail, sizeof(detail));
	CHECK_STR(detail, ": AuthorizationFailed: no");
	CHECK_INT(s.accepted, 2);
	tt_http_response_free(&resp);
	tt_token_cache_free(&c);
}

/* IMDS refuses the token: nothing is sent to the service. */
static void
test_no_token(void)
{
	static const struct step steps[] = { { 400, 0, "{}" } };
	struct tt_token_cache c = { 0 };
	struct tt_bearer_outcome o;
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	char url[128];
	int port = server_start(&s, steps, TT_ARRAY_SIZE(steps),
	    "Authorization: Bearer tok", &cfg);
	struct tt_http_request req = { .method = "GET", .url = url };

	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", port);
	CHECK_INT(tt_bearer_do(&c, &cfg, TT_RESOURCE_ARM, &req, &three_tries,
		      &resp, &o),
	    -EACCES);
	server_stop(&s);
	CHECK_INT(o.failure, TT_BEARER_NO_TOKEN);
	CHECK(strstr(o.why, "IMDS refused a token") != NULL);
	CHECK_INT(s.accepted, 1);
	tt_token_cache_free(&c);
}

/* The service is not there: every try is spent, the transport error
 * said; too many headers are refused before anything is sent. */
static void
test_unreached_and_headers(void)
{
	static const struct step steps[] = { { 200, 0, NULL } };
	static const char *const five[] = { "A: 1", "B: 2", "C: 3", "D: 4",
		"E: 5", NULL };
	struct tt_token_cache c = { 0 };
	struct tt_bearer_outcome o;
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);
	char url[128];
	int fd, r;
	struct tt_http_request req = { .method = "GET", .url = url };

	/* A port that was free a moment ago and has no listener. */
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	CHECK(fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &alen) == 0);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/x", ntohs(a.sin_port));
	close(fd);
	server_start(&s, steps, TT_ARRAY_SIZE(steps),
	    "Authorization: Bearer tok", &cfg);
	r = tt_bearer_do(&c, &cfg, TT_RESOURCE_ARM, &req, &three_tries, &resp,
	    &o);
	server_stop(&s);
	CHECK_INT(r, -ECONNREFUSED);
	CHECK_INT(o.failure, TT_BEARER_UNREACHED);
	CHECK_INT(o.step, TT_RETRY_SPENT);
	CHECK(o.why[0] != '\0');
	CHECK_INT(c.requests, 1);

	req.headers = five;
	CHECK_INT(tt_bearer_do(&c, &cfg, TT_RESOURCE_ARM, &req, &three_tries,
		      &resp, &o),
	    -EINVAL);
	CHECK_INT(o.failure, TT_BEARER_NOT_SENT);
	tt_token_cache_free(&c);
}

int
main(void)
{
	RUN(test_retried_then_ok);
	RUN(test_refused);
	RUN(test_no_token);
	RUN(test_unreached_and_headers);
	TEST_EXIT();
}
