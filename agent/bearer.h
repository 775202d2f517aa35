/*
 * A call to an Azure service with the VM's managed identity: the request
 * goes out with "Authorization: Bearer TOKEN" for a resource (token.h) and
 * is tried again as a retry policy says (retry.h).  ARM's tags and gallery
 * reads and Key Vault's key operations are such calls; each words its own
 * messages from what the last try ended with, because what a 403 means
 * (which role is missing) depends on the call.
 *
 * The token is asked for before every try (the cache answers; a token
 * that expired between tries is renewed), put in a header that is wiped
 * before it is freed, and never copied anywhere else.
 */
#ifndef TT_BEARER_H
#define TT_BEARER_H

#include <stddef.h>

#include "config.h"
#include "http.h"
#include "retry.h"
#include "token.h"

/* Headers a caller may add before the Authorization one. */
#define TT_BEARER_MAX_HEADERS 4

/* How a call that did not succeed ended. */
enum tt_bearer_failure {
	TT_BEARER_NOT_SENT, /* -EINVAL or -ENOMEM before anything was sent */
	TT_BEARER_NO_TOKEN, /* IMDS gave no token: why says what it said */
	TT_BEARER_UNREACHED, /* no HTTP answer: why holds the transport error */
	TT_BEARER_REFUSED, /* a non-2xx answer, left in the response */
};

struct tt_bearer_outcome {
	enum tt_bearer_failure failure;
	/* The last try's step: TT_RETRY_FATAL (not worth another try), or
	 * why no more tries were made (spent, too long, out of time). */
	enum tt_retry_step step;
	char why[512];
};

/*
 * Sends req (its headers, at most TT_BEARER_MAX_HEADERS, then the
 * Authorization header) with the token for resource, tried as policy says
 * (retry_scale_ms from cfg).  0 with a 2xx answer in resp, which the
 * caller frees.  Otherwise a negative errno and out says how it ended:
 * for TT_BEARER_REFUSED the answer (status, body, Retry-After) is in resp
 * for the caller to describe, and to free; for the others resp holds
 * nothing to free.  -EINVAL when req has too many headers, -ENOMEM.
 */
int tt_bearer_do(struct tt_token_cache *tokens, const struct tt_config *cfg,
    const char *resource, const struct tt_http_request *req,
    const struct tt_retry_policy *policy, struct tt_http_response *resp,
    struct tt_bearer_outcome *out);

#endif
