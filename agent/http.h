/*
 * One HTTP request through libcurl, with the policies every caller needs:
 * a cap on the response size (the write callback refuses more), time
 * limits, TLS 1.2 or later with verification always on, optional CA file
 * and client certificate, and proxies bypassed on request (IMDS).  This is
 * the one place where CURLcode becomes our error codes.
 */
#ifndef TT_HTTP_H
#define TT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct tt_http_request {
	const char *method; /* "GET", "POST", "PATCH", "PUT" */
	const char *url;
	const char *const *headers; /* NULL-terminated "Name: value" */
	const void *body;
	size_t body_len;
	bool no_proxy; /* never use a proxy */
	long connect_timeout_ms; /* 0: 2000 */
	long timeout_ms; /* 0: 10000 */
	size_t max_response; /* 0: 1 MiB */
	const char *ca_file; /* "" or NULL: system CAs */
	const char *ca_dir; /* hashed CA directory; "" or NULL: the system's */
	const char *client_cert;
	const char *client_key;
};

struct tt_http_response {
	long status; /* 0 when no HTTP answer came */
	struct tt_buf body;
	long retry_after_s; /* Retry-After in seconds, -1 when absent */
	char error[256]; /* transport error text when status is 0 */
};

/*
 * Performs req.  Returns 0 when an HTTP answer arrived, whatever its
 * status; otherwise a negative errno: -ECONNREFUSED or -EHOSTUNREACH (no
 * one there), -ETIMEDOUT, -ECONNRESET (the connection broke, or closed
 * with no answer), -EPROTO (TLS or protocol failure), -EFBIG (the
 * answer was larger than max_response), -EIO.  resp is always initialised
 * and must be released with tt_http_response_free.
 */
int
tt_http_do(const struct tt_http_request *req, struct tt_http_response *resp);

void tt_http_response_free(struct tt_http_response *resp);

/*
 * Azure's own words in an error answer (ARM, Key Vault): ": CODE: MESSAGE"
 * from error.code and error.message of the JSON body, bounded; "" when
 * the body has neither.
 */
void tt_http_azure_error(const struct tt_buf *body, char *out, size_t outlen);

/* Sleeps ms milliseconds (EINTR-safe). */
void tt_sleep_ms(long ms);

#endif
