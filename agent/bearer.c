#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bsd/string.h>

#include "bearer.h"
#include "fileio.h"
#include "tt.h"

int
tt_bearer_do(struct tt_token_cache *tokens, const struct tt_config *cfg,
    const char *resource, const struct tt_http_request *req,
    const struct tt_retry_policy *policy, struct tt_http_response *resp,
    struct tt_bearer_outcome *out)
{
	const char *headers[TT_BEARER_MAX_HEADERS + 2] = { NULL };
	struct tt_http_request call = *req;
	struct tt_retry rt;
	const char *token;
	char *auth;
	size_t n = 0;
	int r;

	memset(out, 0, sizeof(*out));
	memset(resp, 0, sizeof(*resp));
	for (; req->headers != NULL && req->headers[n] != NULL; n++) {
		if (n == TT_BEARER_MAX_HEADERS)
			return -EINVAL;
		headers[n] = req->headers[n];
	}
	call.headers = headers;
	tt_retry_init(&rt, policy, cfg->retry_scale_ms, 0);
	for (;;) {
		r = tt_token_get(tokens, cfg, resource, &token, out->why,
		    sizeof(out->why));
		if (r < 0) {
			out->failure = TT_BEARER_NO_TOKEN;
			out->step = TT_RETRY_FATAL;
			return r;
		}
		if (asprintf(&auth, "Authorization: Bearer %s", token) < 0)
			return -ENOMEM;
		headers[n] = auth;
		r = tt_http_do(&call, resp);
		/* The header held the token: wiped before it is freed. */
		explicit_bzero(auth, strlen(auth));
		free(auth);
		headers[n] = NULL;
		if (r == 0 && resp->status >= 200 && resp->status < 300)
			return 0;
		out->step =
		    tt_retry_answer(&rt, r, resp->status, resp->retry_after_s);
		if (out->step != TT_RETRY_AGAIN) {
			if (r == 0) {
				out->failure = TT_BEARER_REFUSED;
				return -EIO;
			}
			out->failure = TT_BEARER_UNREACHED;
			strlcpy(out->why,
			    resp->error[0] ? resp->error : tt_strerror(r),
			    sizeof(out->why));
			tt_http_response_free(resp);
			return r;
		}
		tt_http_response_free(resp);
		tt_retry_sleep(&rt);
	}
}
