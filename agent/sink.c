#include <ctype.h>
#include <fcntl.h>
#include <unistd.h>

#include "fileio.h"
#include "http.h"
#include "log.h"
#include "retry.h"
#include "sink.h"
#include "tattoo.h"
#include "tt.h"

/* Every sink, by collector_format: config.c accepts these names and no
 * others (tt_sink_name). */
static const struct tt_sink *const sinks[] = {
	&tt_sink_json,
	&tt_sink_azure_monitor,
	&tt_sink_otlp,
	&tt_sink_syslog,
};

const struct tt_sink *
tt_sink_find(const char *name)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(sinks); i++)
		if (TT_STREQ(sinks[i]->name, name))
			return sinks[i];
	return NULL;
}

const char *
tt_sink_name(size_t i)
{
	return i < TT_ARRAY_SIZE(sinks) ? sinks[i]->name : NULL;
}

const char *
tt_report_str(json_object *report, const char *path)
{
	json_object *v = tt_json_path(report, path);

	if (v == NULL || !json_object_is_type(v, json_type_string))
		return "";
	return json_object_get_string(v);
}

int
tt_sink_read_token_file(const char *path, char **ret, char *err, size_t errlen)
{
	struct tt_buf b;
	size_t s, e;
	char *tok;
	int fd, r;

	if ((fd = tt_open_regular(NULL, path)) < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(fd));
		return fd;
	}
	if ((r = tt_check_secure_file(fd, path, err, errlen)) < 0) {
		close(fd);
		return r;
	}
	r = tt_read_fd(fd, (size_t)16 * 1024, &b);
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	for (s = 0; s < b.len && isspace((unsigned char)b.data[s]); s++)
		;
	for (e = b.len; e > s && isspace((unsigned char)b.data[e - 1]); e--)
		;
	for (size_t i = s; i < e; i++) {
		if ((unsigned char)b.data[i] <= ' ' ||
		    (unsigned char)b.data[i] >= 0x7f) {
			tt_seterr(err, errlen,
			    "'%s': the token holds white space or a "
			    "character that is not printable ASCII",
			    path);
			tt_buf_free_secret(&b);
			return -EINVAL;
		}
	}
	if (e == s) {
		tt_seterr(err, errlen, "'%s' is empty", path);
		tt_buf_free_secret(&b);
		return -EINVAL;
	}
	if ((tok = strndup(b.data + s, e - s)) == NULL) {
		tt_buf_free_secret(&b);
		return -ENOMEM;
	}
	tt_buf_free_secret(&b);
	*ret = tok;
	return 0;
}

enum tt_sink_result
tt_sink_http_post(struct tt_sink_ctx *ctx, const char *resource,
    const char *content_type, long want, const struct tt_buf *body, char *err,
    size_t errlen)
{
	const struct tt_config *cfg = ctx->cfg;
	char ctype[128], why[512];
	char *auth = NULL;
	const char *headers[3] = { ctype, NULL, NULL };
	const char *token = ctx->bearer;
	struct tt_http_request req = {
		.method = "POST",
		.url = cfg->collector_url,
		.headers = headers,
		.body = body->data ? body->data : "",
		.body_len = body->len,
		.connect_timeout_ms = 5000,
		.timeout_ms = 30000,
		.max_response = (size_t)64 * 1024,
		.ca_file = cfg->ca_file,
		.ca_dir = cfg->ca_dir,
		.client_cert = cfg->client_cert,
		.client_key = cfg->client_key,
	};
	struct tt_http_response resp;
	enum tt_sink_result res;
	int r;

	ctx->retry_after_s = -1;
	snprintf(ctype, sizeof(ctype), "Content-Type: %s", content_type);
	if (token == NULL && resource != NULL) {
		r = tt_token_get(ctx->tokens, cfg, resource, &token, why,
		    sizeof(why));
		if (r < 0) {
			tt_seterr(err, errlen, "no token for the collector: %s",
			    why);
			return TT_SINK_RETRY;
		}
	}
	if (token != NULL) {
		if (asprintf(&auth, "Authorization: Bearer %s", token) < 0) {
			tt_seterr(err, errlen, "out of memory");
			return TT_SINK_RETRY;
		}
		headers[1] = auth;
	}
	r = tt_http_do(&req, &resp);
	if (auth != NULL) {
		explicit_bzero(auth, strlen(auth));
		free(auth);
	}
	if (r < 0) {
		tt_seterr(err, errlen, "cannot reach the collector at %s: %s",
		    cfg->collector_url, resp.error[0] ? resp.error : "error");
		tt_http_response_free(&resp);
		return tt_retry_retryable(TT_SINK_RETRY_ON, r, 0) ?
		    TT_SINK_RETRY :
		    TT_SINK_DROP;
	}
	/* Any 2xx, the documented one (want) or not: the report arrived,
	 * and sending it again would only duplicate it. */
	if (resp.status >= 200 && resp.status < 300) {
		if (want != 0 && resp.status != want)
			tt_debug("the collector answered %ld, not %ld",
			    resp.status, want);
		res = TT_SINK_OK;
	} else if (tt_retry_retryable(TT_SINK_RETRY_ON, 0, resp.status))
		res = TT_SINK_RETRY;
	else
		res = TT_SINK_DROP;
	if (res != TT_SINK_OK) {
		char snippet[161];
		size_t n = resp.body.len < 160 ? resp.body.len : 160;

		memcpy(snippet, resp.body.data ? resp.body.data : "", n);
		snippet[n] = '\0';
		for (size_t i = 0; i < n; i++)
			if ((unsigned char)snippet[i] < ' ')
				snippet[i] = ' ';
		tt_seterr(err, errlen, "the collector answered HTTP %ld%s%s%s",
		    resp.status,
		    resp.status == 401 || resp.status == 403 ?
			" (check its token or the identity's role)" :
			"",
		    n ? ": " : "", snippet);
	}
	ctx->retry_after_s = tt_retry_after_s(TT_SINK_RETRY_AFTER_ON, 0,
	    resp.status, resp.retry_after_s);
	tt_http_response_free(&resp);
	return res;
}
