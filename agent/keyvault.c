/*
 * Signing with an Azure Key Vault key (keyvault.h).
 */
#include <ctype.h>

#include <json-c/json.h>

#include "bearer.h"
#include "fileio.h"
#include "http.h"
#include "json.h"
#include "keyvault.h"
#include "log.h"
#include "retry.h"
#include "tattoo.h"
#include "tt.h"

/* The DNS suffixes of Key Vault in the public and sovereign clouds; the
 * token's resource is https:// and the suffix. */
static const char *const suffixes[] = { "vault.azure.net", "vault.azure.cn",
	"vault.usgovcloudapi.net" };

/* A build waits a little for a vault that throttles or hiccups, not for
 * one that is not there: about 1, 2 and 4 s, jittered. */
static const struct tt_retry_policy kv_retry = {
	.attempts = 4,
	.base_s = 1,
	.cap_s = 4,
	.jitter = true,
	.retry_on = TT_RETRY_ON_TIMEOUT | TT_RETRY_ON_NETWORK |
	    TT_RETRY_ON_408 | TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_on = TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_max_s = 30,
	.retry_after_beyond = TT_RETRY_AFTER_CAPPED,
};

/* n characters of s in [A-Za-z0-9-] (hyphens when hyphen). */
static bool
all_alnum(const char *s, size_t n, bool hyphen)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !(hyphen && s[i] == '-'))
			return false;
	return true;
}

static int
bad_url(const char *url, const char *what, char *err, size_t errlen)
{
	tt_seterr(err, errlen,
	    "--sign-keyvault '%.300s' is not a Key Vault key URL: %s (expected "
	    "https://VAULT.vault.azure.net/keys/NAME[/VERSION], or the "
	    "vault.azure.cn or vault.usgovcloudapi.net cloud)",
	    url, what);
	return -EINVAL;
}

int
tt_kv_parse_url(const char *url, struct tt_kv_key *ret, char *err,
    size_t errlen)
{
	const char *host, *path, *dot, *name, *slash, *suffix = NULL;
	size_t hlen, vlen, nlen, len = strlen(url);

	memset(ret, 0, sizeof(*ret));
	if (len >= sizeof(ret->url))
		return bad_url(url, "too long", err, errlen);
	if (strncasecmp(url, "https://", 8) != 0)
		return bad_url(url, "not https://", err, errlen);
	host = url + 8;
	if ((path = strchr(host, '/')) == NULL)
		return bad_url(url, "no /keys/ path", err, errlen);
	hlen = (size_t)(path - host);
	if (hlen >= sizeof(ret->host) ||
	    (dot = memchr(host, '.', hlen)) == NULL)
		return bad_url(url, "not a vault host", err, errlen);
	for (size_t i = 0; i < TT_ARRAY_SIZE(suffixes); i++)
		if (strlen(suffixes[i]) == (size_t)(path - dot - 1) &&
		    strncasecmp(dot + 1, suffixes[i], strlen(suffixes[i])) == 0)
			suffix = suffixes[i];
	if (suffix == NULL)
		return bad_url(url, "the host is not a Key Vault host", err,
		    errlen);
	/* Vault names: 3-24 characters, a letter first, no "--", not
	 * ending in a hyphen (Key Vault's own rules). */
	vlen = (size_t)(dot - host);
	if (vlen < 3 || vlen > 24 || !isalpha((unsigned char)host[0]) ||
	    host[vlen - 1] == '-' || !all_alnum(host, vlen, true) ||
	    memmem(host, vlen, "--", 2) != NULL)
		return bad_url(url, "not a valid vault name", err, errlen);
	if (strncmp(path, "/keys/", 6) != 0)
		return bad_url(url, "the path does not start with /keys/", err,
		    errlen);
	name = path + 6;
	slash = strchr(name, '/');
	nlen = slash ? (size_t)(slash - name) : strlen(name);
	if (nlen == 0 || nlen > 127 || !all_alnum(name, nlen, true))
		return bad_url(url, "not a valid key name", err, errlen);
	memcpy(ret->name, name, nlen);
	if (slash != NULL && slash[1] != '\0') {
		const char *ver = slash + 1, *end = strchr(ver, '/');
		size_t verlen = end ? (size_t)(end - ver) : strlen(ver);

		if (verlen == 0 || verlen > 64 ||
		    !all_alnum(ver, verlen, false) ||
		    (end != NULL && end[1] != '\0'))
			return bad_url(url, "not a valid key version", err,
			    errlen);
		memcpy(ret->version, ver, verlen);
	}
	for (size_t i = 0; i < hlen; i++)
		ret->host[i] = (char)tolower((unsigned char)host[i]);
	snprintf(ret->resource, sizeof(ret->resource), "https://%s", suffix);
	if ((size_t)snprintf(ret->url, sizeof(ret->url),
		"https://%s/keys/%s%s%s", ret->host, ret->name,
		ret->version[0] ? "/" : "", ret->version) >= sizeof(ret->url))
		return bad_url(url, "too long", err, errlen);
	return 0;
}

static const char *
get_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* Whether kid names key, with a version: https://HOST/keys/NAME/VERSION
 * (the version key asked for, if any).  Key Vault writes the host in
 * lower case; it is compared so. */
static bool
kid_matches(const char *kid, const struct tt_kv_key *key)
{
	char prefix[TT_KEY_ID_MAX];
	const char *ver;
	size_t n;

	n = (size_t)snprintf(prefix, sizeof(prefix), "https://%s/keys/%s/",
	    key->host, key->name);
	if (n >= sizeof(prefix) || strlen(kid) >= TT_KEY_ID_MAX ||
	    strncasecmp(kid, prefix, n) != 0)
		return false;
	ver = kid + n;
	if (ver[0] == '\0' || strlen(ver) > 64 ||
	    !all_alnum(ver, strlen(ver), false))
		return false;
	return key->version[0] == '\0' || TT_STREQ(ver, key->version);
}

int
tt_kv_parse_key(const char *text, size_t len, const struct tt_kv_key *key,
    char *kid, size_t kidlen, char *err, size_t errlen)
{
	json_object *o, *k, *ops;
	const char *kty, *crv, *id;
	char why[128];
	bool sign = false;
	int r = -EBADMSG;

	if ((o = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "Key Vault's key answer: %s", why);
		return -EBADMSG;
	}
	if (!json_object_object_get_ex(o, "key", &k) ||
	    !json_object_is_type(k, json_type_object) ||
	    (id = get_str(k, "kid")) == NULL ||
	    (kty = get_str(k, "kty")) == NULL) {
		tt_seterr(err, errlen,
		    "Key Vault's key answer has no key.kid and key.kty");
		goto out;
	}
	if (!kid_matches(id, key)) {
		tt_seterr(err, errlen,
		    "Key Vault's key answer names key '%.300s', not a version "
		    "of '%s'",
		    id, key->url);
		goto out;
	}
	crv = get_str(k, "crv");
	r = -EINVAL;
	if (!(TT_STREQ(kty, "EC") || TT_STREQ(kty, "EC-HSM")) || crv == NULL ||
	    !TT_STREQ(crv, "P-256")) {
		tt_seterr(err, errlen,
		    "key '%s' is %.32s%s%.32s, but tattoo signs with ES256: "
		    "create an EC key on P-256 (az keyvault key create --kty EC "
		    "--curve P-256)",
		    key->url, kty, crv ? " " : "", crv ? crv : "");
		goto out;
	}
	if (json_object_object_get_ex(k, "key_ops", &ops) &&
	    json_object_is_type(ops, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(ops); i++) {
			json_object *op = json_object_array_get_idx(ops, i);

			sign |= json_object_is_type(op, json_type_string) &&
			    TT_STREQ(json_object_get_string(op), "sign");
		}
		if (!sign) {
			tt_seterr(err, errlen,
			    "key '%s' does not permit the sign operation "
			    "(key_ops)",
			    key->url);
			goto out;
		}
	}
	strlcpy(kid, id, kidlen);
	r = 0;
out:
	json_object_put(o);
	return r;
}

int
tt_kv_parse_sign(const char *text, size_t len, const char *want_kid,
    uint8_t sig[TT_ES256_SIG_LEN], char *err, size_t errlen)
{
	uint8_t buf[128];
	json_object *o;
	const char *kid, *value;
	char why[128];
	int n, r = -EBADMSG;

	if ((o = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "Key Vault's sign answer: %s", why);
		return -EBADMSG;
	}
	kid = get_str(o, "kid");
	value = get_str(o, "value");
	if (kid == NULL || value == NULL) {
		tt_seterr(err, errlen,
		    "Key Vault's sign answer has no kid and value");
	} else if (strcasecmp(kid, want_kid) != 0) {
		/* The key id recorded must be the key that signed. */
		tt_seterr(err, errlen,
		    "Key Vault signed with '%.300s', not with '%s'", kid,
		    want_kid);
	} else if ((n = tt_base64url_decode(value, strlen(value), buf,
			sizeof(buf))) != TT_ES256_SIG_LEN) {
		tt_seterr(err, errlen,
		    "Key Vault's signature is not 64 bytes of base64url "
		    "(ES256 r||s)");
	} else {
		memcpy(sig, buf, TT_ES256_SIG_LEN);
		r = 0;
	}
	json_object_put(o);
	return r;
}

/* Words and kind for an answer that is not 2xx and will not be retried. */
static int
refused(const struct tt_kv_key *key, const char *op, long status,
    const struct tt_buf *body, enum tt_kv_failure *failure, char *err,
    size_t errlen)
{
	char detail[300];

	tt_http_azure_error(body, detail, sizeof(detail));
	*failure = TT_KV_FAILED_ENV;
	if (status == 401 || status == 403) {
		tt_seterr(err, errlen,
		    "Key Vault refused to %s with '%s' (HTTP %ld%s): the VM's "
		    "managed identity needs the 'Key Vault Crypto User' role "
		    "on the key or its vault (the sign and read permissions; "
		    "with access policies: keys get and sign)",
		    op, key->url, status, detail);
		return -EACCES;
	}
	if (status == 404) {
		*failure = TT_KV_FAILED_KEY;
		tt_seterr(err, errlen,
		    "Key Vault has no key '%s' (HTTP 404%s): check the vault, "
		    "the key name and the version",
		    key->url, detail);
		return -ENOENT;
	}
	if (status == 400) {
		*failure = TT_KV_FAILED_KEY;
		tt_seterr(err, errlen,
		    "Key Vault refused to %s with '%s' (HTTP 400%s)", op,
		    key->url, detail);
		return -EINVAL;
	}
	tt_seterr(err, errlen, "Key Vault could not %s with '%s' (HTTP %ld%s)",
	    op, key->url, status, detail);
	return -EIO;
}

/*
 * One Key Vault request with a token, retried by kv_retry.  0 with the
 * 2xx answer in *resp (the caller frees it), or a negative errno.
 */
static int
kv_request(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, const char *op, const char *url,
    const char *body, struct tt_http_response *resp,
    enum tt_kv_failure *failure, char *err, size_t errlen)
{
	static const char *const headers[] = { "Content-Type: application/json",
		NULL };
	const struct tt_http_request req = {
		.method = body != NULL ? "POST" : "GET",
		.url = url,
		.headers = headers,
		.body = body,
		.body_len = body != NULL ? strlen(body) : 0,
		.connect_timeout_ms = 5000,
		.timeout_ms = 10000,
		.max_response = TT_KEYVAULT_MAX_RESPONSE,
		.ca_file = cfg->ca_file,
		.ca_dir = cfg->ca_dir,
	};
	struct tt_bearer_outcome o;
	int r;

	*failure = TT_KV_FAILED_ENV;
	r = tt_bearer_do(tokens, cfg, key->resource, &req, &kv_retry, resp, &o);
	if (r == 0)
		return 0;
	switch (o.failure) {
	case TT_BEARER_NOT_SENT:
		tt_seterr(err, errlen, "cannot ask Key Vault to %s: %s", op,
		    tt_strerror(r));
		return r;
	case TT_BEARER_NO_TOKEN:
		tt_seterr(err, errlen,
		    "no managed-identity token for Key Vault (%s): %s",
		    key->resource, o.why);
		return r;
	case TT_BEARER_UNREACHED:
		tt_seterr(err, errlen,
		    "cannot reach Key Vault at %s to %s: %s%s",
		    cfg->keyvault_url[0] ? cfg->keyvault_url : key->host, op,
		    o.why,
		    o.step == TT_RETRY_FATAL ? "" : " (after every retry)");
		return r;
	case TT_BEARER_REFUSED: break;
	}
	r = refused(key, op, resp->status, &resp->body, failure, err, errlen);
	tt_http_response_free(resp);
	return r;
}

/* {keyvault_url or https://HOST}PATH?api-version=7.4 into out. */
static int
kv_url(const struct tt_config *cfg, const struct tt_kv_key *key,
    const char *path, char *out, size_t outlen)
{
	size_t n;

	if (cfg->keyvault_url[0] != '\0')
		n = (size_t)snprintf(out, outlen,
		    "%s%s?api-version=" TT_KEYVAULT_API_VERSION,
		    cfg->keyvault_url, path);
	else
		n = (size_t)snprintf(out, outlen,
		    "https://%s%s?api-version=" TT_KEYVAULT_API_VERSION,
		    key->host, path);
	return n >= outlen ? -ENAMETOOLONG : 0;
}

int
tt_kv_resolve(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, char *kid, enum tt_kv_failure *failure,
    char *err, size_t errlen)
{
	char url[TT_URL_MAX + 512], path[TT_KEY_ID_MAX + 16];
	struct tt_http_response resp;
	int r;

	*failure = TT_KV_FAILED_ENV;
	snprintf(path, sizeof(path), "%s", key->url + 8 + strlen(key->host));
	if ((r = kv_url(cfg, key, path, url, sizeof(url))) < 0) {
		tt_seterr(err, errlen, "keyvault_url is too long");
		return r;
	}
	r = kv_request(cfg, tokens, key, "read the key", url, NULL, &resp,
	    failure, err, errlen);
	if (r < 0)
		return r;
	r = tt_kv_parse_key(resp.body.data, resp.body.len, key, kid,
	    TT_KEY_ID_MAX, err, errlen);
	tt_http_response_free(&resp);
	if (r < 0) {
		*failure = r == -EINVAL ? TT_KV_FAILED_KEY : TT_KV_FAILED_ENV;
		return r;
	}
	*failure = TT_KV_FAILED_NONE;
	return 0;
}

int
tt_kv_sign_digest(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, const char *kid,
    const uint8_t digest[TT_SHA256_LEN], uint8_t sig[TT_ES256_SIG_LEN],
    enum tt_kv_failure *failure, char *err, size_t errlen)
{
	char url[TT_URL_MAX + 512], path[TT_KEY_ID_MAX + 16], body[128];
	struct tt_http_response resp;
	char *b64;
	int r;

	*failure = TT_KV_FAILED_ENV;
	/* The version tt_kv_resolve found, so the kid recorded is the key
	 * that signed. */
	snprintf(path, sizeof(path), "%s/sign", kid + 8 + strlen(key->host));
	if ((r = kv_url(cfg, key, path, url, sizeof(url))) < 0) {
		tt_seterr(err, errlen, "keyvault_url is too long");
		return r;
	}
	if ((b64 = tt_base64url_encode(digest, TT_SHA256_LEN)) == NULL)
		return -ENOMEM;
	snprintf(body, sizeof(body), "{\"alg\":\"ES256\",\"value\":\"%s\"}",
	    b64);
	free(b64);
	r = kv_request(cfg, tokens, key, "sign", url, body, &resp, failure, err,
	    errlen);
	if (r < 0)
		return r;
	r = tt_kv_parse_sign(resp.body.data, resp.body.len, kid, sig, err,
	    errlen);
	tt_http_response_free(&resp);
	*failure = r < 0 ? TT_KV_FAILED_ENV : TT_KV_FAILED_NONE;
	return r;
}

int
tt_kv_sign(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, const uint8_t digest[TT_SHA256_LEN], char *kid,
    uint8_t sig[TT_ES256_SIG_LEN], enum tt_kv_failure *failure, char *err,
    size_t errlen)
{
	int r;

	if ((r = tt_kv_resolve(cfg, tokens, key, kid, failure, err, errlen)) <
	    0)
		return r;
	return tt_kv_sign_digest(cfg, tokens, key, kid, digest, sig, failure,
	    err, errlen);
}
