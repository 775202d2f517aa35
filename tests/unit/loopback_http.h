/*
 * A scripted HTTP server on a free loopback port, for unit tests of the
 * code that talks to IMDS and Azure services (test_imds, test_bearer):
 * it accepts one connection per step, reads the request head, and
 * answers the step's status with its body (a managed-identity token
 * response when the step has none) and Retry-After, or with HANG never
 * answers.  It counts the requests whose head holds a header line the
 * test names (Metadata: true, Authorization: Bearer tok).
 */
#ifndef TT_TEST_LOOPBACK_HTTP_H
#define TT_TEST_LOOPBACK_HTTP_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "config.h"
#include "fileio.h"

#define HANG 0 /* read the request, never answer */
#define MAX_STEPS 8

struct step {
	int status; /* HANG or an HTTP status */
	int retry_after; /* > 0: sent as Retry-After */
	const char *body; /* NULL: token_body */
};

struct server {
	int fd;
	const struct step *steps;
	size_t n_steps;
	const char *header; /* the header line counted, "Name: value" */
	unsigned accepted;
	unsigned with_header; /* requests whose head held header */
	unsigned heads; /* requests whose head arrived whole */
	pthread_t thread;
};

static const char token_body[] =
    "{\"access_token\":\"tok\",\"expires_on\":\"4102444800\"}";

/* Reads the request head; a bounded wait so a broken client cannot hang
 * the test. */
static void
read_request(struct server *s, int c)
{
	char buf[4096], line[256];
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
	if (strstr(buf, "\r\n\r\n") != NULL)
		s->heads++;
	snprintf(line, sizeof(line), "\r\n%s\r\n", s->header);
	if (strstr(buf, line) != NULL)
		s->with_header++;
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
		const char *body = st->body ? st->body : token_body;
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
		    st->status, strlen(body));
		if (st->retry_after > 0)
			len += snprintf(head + len, sizeof(head) - (size_t)len,
			    "Retry-After: %d\r\n", st->retry_after);
		len += snprintf(head + len, sizeof(head) - (size_t)len, "\r\n");
		if (send(c, head, (size_t)len, MSG_NOSIGNAL) < 0 ||
		    send(c, body, strlen(body), MSG_NOSIGNAL) < 0)
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

/* Listens on a free loopback port, points cfg (defaults, retries scaled
 * to 1 ms) at it as IMDS, serves steps, counts header; returns the port. */
static int
server_start(struct server *s, const struct step *steps, size_t n_steps,
    const char *header, struct tt_config *cfg)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t alen = sizeof(a);

	memset(s, 0, sizeof(*s));
	s->steps = steps;
	s->n_steps = n_steps;
	s->header = header;
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
	return ntohs(a.sin_port);
}

static void
server_stop(struct server *s)
{
	pthread_join(s->thread, NULL);
	close(s->fd);
}

#endif
