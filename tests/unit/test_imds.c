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

#define HANG 0 /* read the request, never answer */
#define MAX_STEPS 8

struct step {
	int status; /* HANG or an HTTP status */
	int retry_after; /* > 0: sent as Retry-After */
};

struct server {
	int fd;
	const struct step *steps;
	size_t n_steps;
	unsigned accepted;
	bool missing_header; /* a request came without Metadata: true */
	pthread_t thread;
};

static const char token_body[] =
    "{\"access_token\":\"tok\",\"expires_on\":\"4102444800\"}";

/* Reads the request head; a bounded wait so a broken client cannot hang
 * the test. */
static void
read_request(struct server *s, int c)
{
	char buf[4096];
	size_t n = 0;
	struct pollfd p = { .fd = c, .events = POLLIN };

	while (n < sizeof(buf) - 1 && poll(&p, 1, 2000) == 1) {
		ssize_t k = recv(c, buf + n, sizeof(buf) - 1 - n, 0);

		if (k <= 0)
			break;
		n += (size_t)k;
		buf[n] = '\0';
		if (strstr(buf, "\r\n\r\n") != NULL)
			break;
	}
	buf[n] = '\0';
	if (strstr(buf, "\r\nMetadata: true\r\n") == NULL)
		s->missing_header = true;
}

static void *
serve(void *arg)
{
	struct server *s = arg;
	int hung[MAX_STEPS];
	size_t n_hung = 0;

	for (size_t i = 0; i < s->n_steps; i++) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		const struct step *st = &s->steps[i];
		char head[256];
		int c, len;

		if (poll(&p, 1, 3000) != 1 ||
		    (c = accept(s->fd, NULL, NULL)) < 0)
			break;
		s->accepted++;
		read_request(s, c);
		if (st->status == HANG) {
			hung[n_hung++] = c;
			continue;
		}
		len = snprintf(head, sizeof(head),
		    "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
		    "Content-Length: %zu\r\nConnection: close\r\n",
		    st->status, strlen(token_body));
		if (st->retry_after > 0)
			len += snprintf(head + len, sizeof(head) - (size_t)len,
			    "Retry-After: %d\r\n", st->retry_after);
		len += snprintf(head + len, sizeof(head) - (size_t)len, "\r\n");
		if (send(c, head, (size_t)len, MSG_NOSIGNAL) < 0 ||
		    send(c, token_body, strlen(token_body), MSG_NOSIGNAL) < 0)
			fprintf(stderr, "# send: %s\n", tt_strerror(-errno));
		close(c);
	}
	/* A hung request ends when the client gives up and closes, not
	 * before: closing first would be an empty reply, not a time-out. */
	for (size_t i = 0; i < n_hung; i++) {
		struct pollfd p = { .fd = hung[i], .events = POLLIN };
		char ch;

		while (poll(&p, 1, 3000) == 1 && recv(hung[i], &ch, 1, 0) > 0)
			;
		close(hung[i]);
	}
	return NULL;
}

/* Listens on a free loopback port, points cfg at it and serves steps. */
static void
server_start(struct server *s, const struct step *steps, size_t n_steps,
    struct tt_config *cfg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->steps = steps;
	s->n_steps = n_steps;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s->fd = socket(AF_INET, SOCK_STREAM, 0)) < 0 ||
	    bind(s->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    listen(s->fd, 8) < 0 ||
	    getsockname(s->fd, (struct sockaddr *)&a, &alen) < 0 ||
	    pthread_create(&s->thread, NULL, serve, s) != 0) {
		perror("server");
		exit(2);
	}
	tt_config_defaults(cfg);
	snprintf(cfg->imds_url, sizeof(cfg->imds_url), "http://127.0.0.1:%d",
	    ntohs(a.sin_port));
	cfg->retry_scale_ms = 1;
}

static void
server_stop(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

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
	    { { HANG, 0 }, { 404, 0 }, { 200, 0 } }, 3, 0, 200, NULL },
	{ "token: time-outs until every retry is spent", &token_like,
	    { { HANG, 0 }, { HANG, 0 }, { HANG, 0 } }, 3, -EIO, 0,
	    "token request timed out after every retry" },
	{ "token: 500 until every retry is spent", &token_like,
	    { { 500, 0 }, { 503, 0 }, { 500, 0 } }, 3, -EIO, 500,
	    "IMDS answered HTTP 500 after every retry" },
	{ "token: 400 not retried", &token_like, { { 400, 0 } }, 1, -EACCES,
	    400, "IMDS answered HTTP 400" },
	{ "instance: a silent IMDS is not Azure", &instance_like,
	    { { HANG, 0 } }, 1, -EHOSTUNREACH, 0, "not on Azure" },
	{ "instance: 404 not retried", &instance_like, { { 404, 0 } }, 1,
	    -EACCES, 404, "IMDS answered HTTP 404" },
	{ "instance: 410, 429 and 5xx retried", &instance_like,
	    { { 410, 0 }, { 429, 0 }, { 200, 0 } }, 3, 0, 200, NULL },
	/* At 1 ms a second, a day's Retry-After uncapped is 86 s. */
	{ "instance: Retry-After capped", &instance_like,
	    { { 429, 86400 }, { 429, 86400 }, { 200, 0 } }, 3, 0, 200, NULL },
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
		server_start(&s, c->steps, c->n_steps, &cfg);
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
		CHECK(!s.missing_header);
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
	static const struct step steps[] = { { 404, 0 } };
	struct tt_http_response resp;
	struct tt_config cfg;
	struct server s;
	char err[512] = "";

	server_start(&s, steps, TT_ARRAY_SIZE(steps), &cfg);
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
	static const struct step retried[] = { { 404, 0 }, { 200, 0 } };
	static const struct step refused[] = { { 400, 0 } };
	struct tt_token_cache c = { 0 };
	struct tt_config cfg;
	struct server s;
	const char *tok = NULL;
	char err[512] = "";

	server_start(&s, retried, TT_ARRAY_SIZE(retried), &cfg);
	CHECK_INT(tt_token_get(&c, &cfg, TT_RESOURCE_ARM, &tok, err,
		      sizeof(err)),
	    0);
	server_stop(&s);
	CHECK_STR(tok, "tok");
	CHECK_INT(c.requests, 2);
	CHECK_INT(s.accepted, 2);
	tt_token_cache_free(&c);

	memset(&c, 0, sizeof(c));
	server_start(&s, refused, TT_ARRAY_SIZE(refused), &cfg);
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
