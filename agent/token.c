#include <time.h>

#include <json-c/json.h>

#include "http.h"
#include "imds.h"
#include "token.h"
#include "log.h"
#include "tt.h"

/* The documented schedule for managed-identity token requests: seconds
 * before each retry (about 0, 2, 6, 14, 30 s after the first attempt). */
static const int backoff_s[] = { 0, 2, 4, 8, 16 };
/* A Retry-After above our longest step is capped: a broken answer must not
 * park a timer run for a day. */
#define TOKEN_MAX_RETRY_AFTER_S 30

int
tt_url_encode(const char *s, char *out, size_t outlen)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t j = 0;

	for (; *s != '\0'; s++) {
		unsigned char ch = (unsigned char)*s;

		if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
		    ch == '.' || ch == '~') {
			if (j + 1 >= outlen)
				return -ENAMETOOLONG;
			out[j++] = (char)ch;
		} else {
			if (j + 3 >= outlen)
				return -ENAMETOOLONG;
			out[j++] = '%';
			out[j++] = hex[ch >> 4];
			out[j++] = hex[ch & 15];
		}
	}
	if (j >= outlen)
		return -ENAMETOOLONG;
	out[j] = '\0';
	return 0;
}

int
tt_token_parse(const char *text, size_t len, char **ret_token,
    int64_t *ret_expires_on, char *err, size_t errlen)
{
	json_tokener *tok = NULL;
	json_object *root = NULL, *at, *exp;
	const char *s, *errstr;
	long long e;
	char *copy;
	int r = -EBADMSG;

	if (len > TT_TOKEN_MAX_BYTES) {
		tt_seterr(err, errlen, "token response larger than %zu bytes",
		    TT_TOKEN_MAX_BYTES);
		return -EBADMSG;
	}
	if ((tok = json_tokener_new_ex(8)) == NULL)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(root, json_type_object)) {
		tt_seterr(err, errlen, "token response is not a JSON object");
		goto out;
	}
	if (!json_object_object_get_ex(root, "access_token", &at) ||
	    !json_object_is_type(at, json_type_string) ||
	    json_object_get_string_len(at) == 0) {
		tt_seterr(err, errlen, "token response has no access_token");
		goto out;
	}
	s = json_object_get_string(at);
	/* The token goes into an Authorization header: a NUL would cut it
	 * and a line break would inject a header. */
	for (int i = 0; i < json_object_get_string_len(at); i++) {
		unsigned char ch = (unsigned char)s[i];

		if (ch <= ' ' || ch >= 0x7f) {
			tt_seterr(err, errlen,
			    "access_token holds a character that is not "
			    "printable ASCII");
			goto out;
		}
	}
	if (!json_object_object_get_ex(root, "expires_on", &exp)) {
		tt_seterr(err, errlen, "token response has no expires_on");
		goto out;
	}
	if (json_object_is_type(exp, json_type_string)) {
		e = strtonum(json_object_get_string(exp), 1, INT64_MAX / 2,
		    &errstr);
		if (errstr != NULL) {
			tt_seterr(err, errlen, "expires_on is %s", errstr);
			goto out;
		}
	} else if (json_object_is_type(exp, json_type_int)) {
		e = json_object_get_int64(exp);
		if (e <= 0 || e > INT64_MAX / 2) {
			tt_seterr(err, errlen, "expires_on is out of range");
			goto out;
		}
	} else {
		tt_seterr(err, errlen, "expires_on is not a number");
		goto out;
	}
	if ((copy = strdup(s)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	*ret_token = copy;
	*ret_expires_on = e;
	r = 0;
out:
	/* json-c's copy of the token is freed with the tree: wipe it first
	 * (the answer buffer itself is wiped by tt_http_response_free). */
	if (root != NULL &&
	    json_object_object_get_ex(root, "access_token", &at) &&
	    json_object_is_type(at, json_type_string))
		explicit_bzero((char *)json_object_get_string(at),
		    (size_t)json_object_get_string_len(at));
	json_object_put(root);
	json_tokener_free(tok);
	return r;
}

/* "client_id=…", "object_id=…" or "msi_res_id=…" as a query parameter. */
static int
identity_param(const char *identity, char *out, size_t outlen, char *err,
    size_t errlen)
{
	static const char *const names[] = { "client_id", "object_id",
		"msi_res_id" };
	char enc[1024];
	const char *eq;

	out[0] = '\0';
	if (identity[0] == '\0' || TT_STREQ(identity, "system-assigned"))
		return 0;
	eq = strchr(identity, '=');
	for (size_t i = 0; eq != NULL && i < TT_ARRAY_SIZE(names); i++) {
		size_t nl = strlen(names[i]);

		if ((size_t)(eq - identity) != nl ||
		    strncmp(identity, names[i], nl) != 0 || eq[1] == '\0')
			continue;
		if (tt_url_encode(eq + 1, enc, sizeof(enc)) < 0 ||
		    (size_t)snprintf(out, outlen, "&%s=%s", names[i], enc) >=
			outlen) {
			tt_seterr(err, errlen, "'identity' is too long");
			return -EINVAL;
		}
		return 0;
	}
	tt_seterr(err, errlen,
	    "'identity' must be client_id=ID, object_id=ID or "
	    "msi_res_id=RESOURCE_ID, not '%s'",
	    identity);
	return -EINVAL;
}

static int
fetch(const struct tt_config *cfg, const char *resource, unsigned *nreq,
    char **ret_token, int64_t *ret_exp, char *err, size_t errlen)
{
	/* token.h: 404, 410, 429, 5xx and time-outs are retried. */
	const struct tt_imds_policy policy = {
		.name = "token",
		.backoff_s = backoff_s,
		.n_backoff = TT_ARRAY_SIZE(backoff_s),
		.max_retry_after_s = TOKEN_MAX_RETRY_AFTER_S,
		.retry_404 = true,
		.retry_timeout = true,
		.connect_timeout_ms = 2000,
		.timeout_ms = 5000,
		.max_response = TT_TOKEN_MAX_BYTES,
		.requests = nreq,
	};
	char path[2048], res[512], idp[1200];
	struct tt_http_response resp;
	char why[256];
	long status;
	int r;

	if ((r = identity_param(cfg->identity, idp, sizeof(idp), err, errlen)) <
	    0)
		return r;
	if (tt_url_encode(resource, res, sizeof(res)) < 0 ||
	    (size_t)snprintf(path, sizeof(path),
		"/metadata/identity/oauth2/token?api-version=" TT_TOKEN_API_VERSION
		"&resource=%s%s",
		res, idp) >= sizeof(path)) {
		tt_seterr(err, errlen, "token URL too long");
		return -ENAMETOOLONG;
	}
	r = tt_imds_request(cfg, path, &policy, &resp, &status, err, errlen);
	if (r < 0) {
		/* A status IMDS answered: say which resource it refused. */
		if (status != 0)
			tt_seterr(err, errlen,
			    "IMDS refused a token for '%s': HTTP %ld%s%s",
			    resource, status,
			    r == -EIO ? " after every retry" : "",
			    status == 400 ?
				" (does the VM have a managed identity, and "
				"does 'identity' name it?)" :
				"");
		return r;
	}
	r = tt_token_parse(resp.body.data, resp.body.len, ret_token, ret_exp,
	    why, sizeof(why));
	if (r == -EBADMSG)
		tt_seterr(err, errlen, "IMDS token response for '%s': %s",
		    resource, why);
	tt_http_response_free(&resp);
	return r;
}

static void
slot_clear(struct tt_token *t)
{
	if (t->access_token != NULL) {
		explicit_bzero(t->access_token, strlen(t->access_token));
		free(t->access_token);
	}
	memset(t, 0, sizeof(*t));
}

int
tt_token_get(struct tt_token_cache *c, const struct tt_config *cfg,
    const char *resource, const char **ret, char *err, size_t errlen)
{
	struct tt_token *slot = NULL;
	int64_t now = (int64_t)time(NULL), exp = 0;
	char *tok = NULL;
	int r;

	if (strlen(resource) >= sizeof(c->v[0].resource))
		return -ENAMETOOLONG;
	for (size_t i = 0; i < TT_ARRAY_SIZE(c->v); i++) {
		struct tt_token *t = &c->v[i];

		if (t->access_token != NULL &&
		    TT_STREQ(t->resource, resource)) {
			if (t->expires_on - TT_TOKEN_MARGIN_S > now) {
				*ret = t->access_token;
				return 0;
			}
			slot = t;
		}
	}
	if ((r = fetch(cfg, resource, &c->requests, &tok, &exp, err, errlen)) <
	    0)
		return r;
	for (size_t i = 0; slot == NULL && i < TT_ARRAY_SIZE(c->v); i++)
		if (c->v[i].access_token == NULL)
			slot = &c->v[i];
	if (slot == NULL)
		slot = &c->v[0];
	slot_clear(slot);
	strlcpy(slot->resource, resource, sizeof(slot->resource));
	slot->access_token = tok;
	slot->expires_on = exp;
	*ret = tok;
	return 0;
}

void
tt_token_cache_free(struct tt_token_cache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < TT_ARRAY_SIZE(c->v); i++)
		slot_clear(&c->v[i]);
}
