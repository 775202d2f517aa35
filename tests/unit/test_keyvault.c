#include <errno.h>

#include <bsd/string.h>

#include "config.h"
#include "crypto.h"
#include "keyvault.h"
#include "tt_test.h"

#define KID                                                                    \
	"https://kv-golden.vault.azure.net/keys/tattoo/"                       \
	"0123456789abcdef0123456789abcdef"

struct url_case {
	const char *url;
	int want;
	const char *norm, *resource, *name, *version;
};

static const struct url_case url_cases[] = {
	{ "https://kv-golden.vault.azure.net/keys/tattoo", 0,
	    "https://kv-golden.vault.azure.net/keys/tattoo",
	    "https://vault.azure.net", "tattoo", "" },
	{ "https://kv-golden.vault.azure.net/keys/tattoo/", 0,
	    "https://kv-golden.vault.azure.net/keys/tattoo",
	    "https://vault.azure.net", "tattoo", "" },
	{ KID, 0, KID, "https://vault.azure.net", "tattoo",
	    "0123456789abcdef0123456789abcdef" },
	{ "HTTPS://KV-Golden.Vault.Azure.Net/keys/tattoo-2/", 0,
	    "https://kv-golden.vault.azure.net/keys/tattoo-2",
	    "https://vault.azure.net", "tattoo-2", "" },
	{ "https://kvcn.vault.azure.cn/keys/k/abc", 0,
	    "https://kvcn.vault.azure.cn/keys/k/abc", "https://vault.azure.cn",
	    "k", "abc" },
	{ "https://kvgov.vault.usgovcloudapi.net/keys/k", 0,
	    "https://kvgov.vault.usgovcloudapi.net/keys/k",
	    "https://vault.usgovcloudapi.net", "k", "" },
	/* Anything else never receives a token. */
	{ "http://kv-golden.vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL,
	    NULL, NULL },
	{ "https://kv-golden.vault.azure.net.evil.example/keys/tattoo", -EINVAL,
	    NULL, NULL, NULL, NULL },
	{ "https://evil.example/keys/tattoo", -EINVAL, NULL, NULL, NULL, NULL },
	{ "https://kv-golden.vault.azure.net:8443/keys/tattoo", -EINVAL, NULL,
	    NULL, NULL, NULL },
	{ "https://user@kv-golden.vault.azure.net/keys/tattoo", -EINVAL, NULL,
	    NULL, NULL, NULL },
	{ "https://vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "https://kv.vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "https://1kv.vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "https://kv--x.vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL,
	    NULL, NULL },
	{ "https://kvx-.vault.azure.net/keys/tattoo", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "https://kv-golden.vault.azure.net/secrets/tattoo", -EINVAL, NULL,
	    NULL, NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "https://kv-golden.vault.azure.net/keys/a_b", -EINVAL, NULL, NULL,
	    NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/k/v/sign", -EINVAL, NULL,
	    NULL, NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/k/v-1", -EINVAL, NULL, NULL,
	    NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/k?api-version=1", -EINVAL,
	    NULL, NULL, NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/k#f", -EINVAL, NULL, NULL,
	    NULL, NULL },
	{ "https://kv-golden.vault.azure.net/keys/k/%2e%2e", -EINVAL, NULL,
	    NULL, NULL, NULL },
	{ "https://kv-golden.vault.azure.net", -EINVAL, NULL, NULL, NULL,
	    NULL },
	{ "", -EINVAL, NULL, NULL, NULL, NULL },
};

static void
test_parse_url(void)
{
	for (size_t i = 0; i < sizeof(url_cases) / sizeof(url_cases[0]); i++) {
		const struct url_case *c = &url_cases[i];
		struct tt_kv_key k;
		char err[1024] = "";
		int r = tt_kv_parse_url(c->url, &k, err, sizeof(err));

		if (r != c->want)
			fprintf(stderr, "# '%s': %d (%s)\n", c->url, r, err);
		CHECK_INT(r, c->want);
		if (c->want == 0) {
			CHECK_STR(k.url, c->norm);
			CHECK_STR(k.resource, c->resource);
			CHECK_STR(k.name, c->name);
			CHECK_STR(k.version, c->version);
		} else {
			/* The reason shows the form expected. */
			CHECK(strstr(err, "vault.azure.net/keys/NAME") != NULL);
		}
	}
	{
		/* A key name of 128 characters is one too many. */
		char url[300];
		struct tt_kv_key k;
		char err[1024];

		strlcpy(url, "https://kv-golden.vault.azure.net/keys/",
		    sizeof(url));
		for (int i = 0; i < 128; i++)
			strlcat(url, "k", sizeof(url));
		CHECK_INT(tt_kv_parse_url(url, &k, err, sizeof(err)), -EINVAL);
		url[strlen(url) - 1] = '\0';
		CHECK_INT(tt_kv_parse_url(url, &k, err, sizeof(err)), 0);
	}
}

struct key_case {
	const char *name, *text;
	int want;
};

static const struct key_case key_cases[] = {
	{ "EC P-256",
	    "{\"key\":{\"kid\":\"" KID "\",\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"key_ops\":[\"sign\",\"verify\"],\"x\":\"a\",\"y\":\"b\"},"
	    "\"attributes\":{\"enabled\":true}}",
	    0 },
	{ "EC-HSM P-256, no key_ops",
	    "{\"key\":{\"kid\":\"" KID "\",\"kty\":\"EC-HSM\","
	    "\"crv\":\"P-256\"}}",
	    0 },
	{ "RSA", "{\"key\":{\"kid\":\"" KID "\",\"kty\":\"RSA\",\"n\":\"a\"}}",
	    -EINVAL },
	{ "P-384",
	    "{\"key\":{\"kid\":\"" KID "\",\"kty\":\"EC\",\"crv\":\"P-384\"}}",
	    -EINVAL },
	{ "no sign among key_ops",
	    "{\"key\":{\"kid\":\"" KID "\",\"kty\":\"EC\",\"crv\":\"P-256\","
	    "\"key_ops\":[\"verify\"]}}",
	    -EINVAL },
	{ "another key's kid",
	    "{\"key\":{\"kid\":\"https://kv-golden.vault.azure.net/keys/other/"
	    "0123\",\"kty\":\"EC\",\"crv\":\"P-256\"}}",
	    -EBADMSG },
	{ "another vault's kid",
	    "{\"key\":{\"kid\":\"https://kv-evil.vault.azure.net/keys/tattoo/"
	    "0123\",\"kty\":\"EC\",\"crv\":\"P-256\"}}",
	    -EBADMSG },
	{ "a kid without a version",
	    "{\"key\":{\"kid\":\"https://kv-golden.vault.azure.net/keys/"
	    "tattoo/\",\"kty\":\"EC\",\"crv\":\"P-256\"}}",
	    -EBADMSG },
	{ "no kty", "{\"key\":{\"kid\":\"" KID "\"}}", -EBADMSG },
	{ "not an object", "[]", -EBADMSG },
	{ "not JSON", "<html>", -EBADMSG },
};

static void
test_parse_key(void)
{
	struct tt_kv_key k;
	char err[1024], kid[TT_KEY_ID_MAX];

	CHECK_INT(tt_kv_parse_url("https://kv-golden.vault.azure.net/keys/"
				  "tattoo",
		      &k, err, sizeof(err)),
	    0);
	for (size_t i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++) {
		const struct key_case *c = &key_cases[i];
		int r;

		kid[0] = '\0';
		r = tt_kv_parse_key(c->text, strlen(c->text), &k, kid,
		    sizeof(kid), err, sizeof(err));
		if (r != c->want)
			fprintf(stderr, "# case '%s': %d (%s)\n", c->name, r,
			    err);
		CHECK_INT(r, c->want);
		if (c->want == 0)
			CHECK_STR(kid, KID);
		if (c->want == -EINVAL && strstr(c->name, "key_ops") == NULL)
			CHECK(strstr(err, "P-256") != NULL);
	}
	/* A versioned URL accepts its own version only. */
	CHECK_INT(tt_kv_parse_url("https://kv-golden.vault.azure.net/keys/"
				  "tattoo/ffff",
		      &k, err, sizeof(err)),
	    0);
	CHECK_INT(tt_kv_parse_key(key_cases[0].text, strlen(key_cases[0].text),
		      &k, kid, sizeof(kid), err, sizeof(err)),
	    -EBADMSG);
}

static void
test_parse_sign(void)
{
	uint8_t want[TT_ES256_SIG_LEN], sig[TT_ES256_SIG_LEN];
	char text[512], err[1024], *b64;

	for (size_t i = 0; i < sizeof(want); i++)
		want[i] = (uint8_t)(i * 7 + 250);
	b64 = tt_base64url_encode(want, sizeof(want));
	snprintf(text, sizeof(text), "{\"kid\":\"%s\",\"value\":\"%s\"}", KID,
	    b64);
	CHECK_INT(tt_kv_parse_sign(text, strlen(text), KID, sig, err,
		      sizeof(err)),
	    0);
	CHECK(memcmp(sig, want, sizeof(sig)) == 0);
	/* Another key's signature is not recorded under this kid. */
	CHECK_INT(tt_kv_parse_sign(text, strlen(text), KID "0", sig, err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK(strstr(err, "not with") != NULL);
	free(b64);
	/* 63 bytes: not r||s. */
	b64 = tt_base64url_encode(want, sizeof(want) - 1);
	snprintf(text, sizeof(text), "{\"kid\":\"%s\",\"value\":\"%s\"}", KID,
	    b64);
	CHECK_INT(tt_kv_parse_sign(text, strlen(text), KID, sig, err,
		      sizeof(err)),
	    -EBADMSG);
	free(b64);
	snprintf(text, sizeof(text), "{\"kid\":\"%s\"}", KID);
	CHECK_INT(tt_kv_parse_sign(text, strlen(text), KID, sig, err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK_INT(tt_kv_parse_sign("nope", 4, KID, sig, err, sizeof(err)),
	    -EBADMSG);
}

/* Off Azure no token comes, at once, and nothing is sent to the vault. */
static void
test_sign_no_imds(void)
{
	struct tt_config cfg;
	struct tt_token_cache tokens = { 0 };
	struct tt_kv_key k;
	uint8_t digest[TT_SHA256_LEN] = { 1 }, sig[TT_ES256_SIG_LEN];
	char err[1024], kid[TT_KEY_ID_MAX];
	enum tt_kv_failure f = TT_KV_FAILED_NONE;

	tt_config_defaults(&cfg);
	strlcpy(cfg.imds_url, "http://127.0.0.1:1", sizeof(cfg.imds_url));
	strlcpy(cfg.keyvault_url, "http://127.0.0.1:1",
	    sizeof(cfg.keyvault_url));
	cfg.retry_scale_ms = 0;
	CHECK_INT(tt_kv_parse_url(KID, &k, err, sizeof(err)), 0);
	CHECK_INT(tt_kv_sign(&cfg, &tokens, &k, digest, kid, sig, &f, err,
		      sizeof(err)),
	    -EHOSTUNREACH);
	CHECK_INT(f, TT_KV_FAILED_ENV);
	CHECK(strstr(err,
		  "no managed-identity token for Key Vault "
		  "(https://vault.azure.net)") != NULL);
	CHECK_INT(tokens.requests, 1);
	tt_token_cache_free(&tokens);
}

int
main(void)
{
	RUN(test_parse_url);
	RUN(test_parse_key);
	RUN(test_parse_sign);
	RUN(test_sign_no_imds);
	TEST_EXIT();
}
