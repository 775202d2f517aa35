#include <errno.h>

#include <bsd/string.h>

#include "token.h"
#include "tt_test.h"

struct parse_case {
	const char *name, *text;
	int want;
	const char *token;
	long long expires;
};

static const struct parse_case parse_cases[] = {
	{ "documented answer",
	    "{\"access_token\":\"eyJ0eXAi\",\"refresh_token\":\"\","
	    "\"expires_in\":\"3599\",\"expires_on\":\"1506484173\","
	    "\"not_before\":\"1506480273\",\"resource\":"
	    "\"https://management.azure.com/\",\"token_type\":\"Bearer\"}",
	    0, "eyJ0eXAi", 1506484173 },
	{ "expires_on as a number", "{\"access_token\":\"a\",\"expires_on\":5}",
	    0, "a", 5 },
	{ "no access_token", "{\"expires_on\":\"5\"}", -EBADMSG, NULL, 0 },
	{ "empty access_token", "{\"access_token\":\"\",\"expires_on\":\"5\"}",
	    -EBADMSG, NULL, 0 },
	{ "access_token not a string",
	    "{\"access_token\":5,\"expires_on\":\"5\"}", -EBADMSG, NULL, 0 },
	{ "a line break in the token (header injection)",
	    "{\"access_token\":\"a\\r\\nX-Evil: 1\",\"expires_on\":\"5\"}",
	    -EBADMSG, NULL, 0 },
	{ "a NUL in the token",
	    "{\"access_token\":\"a\\u0000b\",\"expires_on\":\"5\"}", -EBADMSG,
	    NULL, 0 },
	{ "no expires_on", "{\"access_token\":\"a\"}", -EBADMSG, NULL, 0 },
	{ "expires_on not a number",
	    "{\"access_token\":\"a\",\"expires_on\":\"soon\"}", -EBADMSG, NULL,
	    0 },
	{ "expires_on negative",
	    "{\"access_token\":\"a\",\"expires_on\":\"-5\"}", -EBADMSG, NULL,
	    0 },
	{ "expires_on huge",
	    "{\"access_token\":\"a\",\"expires_on\":\"99999999999999999999\"}",
	    -EBADMSG, NULL, 0 },
	{ "not an object", "[\"access_token\"]", -EBADMSG, NULL, 0 },
	{ "not JSON", "access_token=a", -EBADMSG, NULL, 0 },
	{ "truncated", "{\"access_token\":\"a\",\"expi", -EBADMSG, NULL, 0 },
	{ "empty", "", -EBADMSG, NULL, 0 },
};

static void
test_parse(void)
{
	for (size_t i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]);
	     i++) {
		const struct parse_case *c = &parse_cases[i];
		char *tok = NULL, err[256] = "";
		int64_t exp = 0;
		int r;

		r = tt_token_parse(c->text, strlen(c->text), &tok, &exp, err,
		    sizeof(err));
		if (r != c->want)
			fprintf(stderr, "# case '%s': %d (%s)\n", c->name, r,
			    err);
		CHECK_INT(r, c->want);
		if (c->want == 0) {
			CHECK_STR(tok, c->token);
			CHECK_INT(exp, c->expires);
		} else {
			CHECK(tok == NULL);
			CHECK(err[0] != '\0');
			/* The reason never quotes the token. */
			CHECK(strstr(err, "X-Evil") == NULL);
		}
		free(tok);
	}
}

static void
test_too_large(void)
{
	size_t n = TT_TOKEN_MAX_BYTES + 10;
	char *big = malloc(n), *tok = NULL, err[128];
	int64_t exp;

	memset(big, ' ', n);
	CHECK_INT(tt_token_parse(big, n, &tok, &exp, err, sizeof(err)),
	    -EBADMSG);
	CHECK(tok == NULL);
	free(big);
}

static void
test_url_encode(void)
{
	char out[64];

	CHECK_INT(tt_url_encode("https://management.azure.com/", out,
		      sizeof(out)),
	    0);
	CHECK_STR(out, "https%3A%2F%2Fmanagement.azure.com%2F");
	CHECK_INT(tt_url_encode("a-b_c.d~e f", out, sizeof(out)), 0);
	CHECK_STR(out, "a-b_c.d~e%20f");
	CHECK_INT(tt_url_encode("\xc3\xa9", out, sizeof(out)), 0);
	CHECK_STR(out, "%C3%A9");
	CHECK_INT(tt_url_encode("////", out, 12), -ENAMETOOLONG);
	CHECK_INT(tt_url_encode("abc", out, 3), -ENAMETOOLONG);
	CHECK_INT(tt_url_encode("abc", out, 4), 0);
}

/* Nothing listening: "not on Azure" at once, and nothing cached. */
static void
test_no_imds(void)
{
	struct tt_token_cache c = { 0 };
	struct tt_config cfg;
	const char *tok = NULL;
	char err[512];

	tt_config_defaults(&cfg);
	strlcpy(cfg.imds_url, "http://127.0.0.1:9", sizeof(cfg.imds_url));
	cfg.retry_scale_ms = 1;
	CHECK_INT(tt_token_get(&c, &cfg, TT_RESOURCE_ARM, &tok, err,
		      sizeof(err)),
	    -EHOSTUNREACH);
	CHECK(strstr(err, "not on Azure") != NULL);
	CHECK(tok == NULL);
	CHECK_INT(c.requests, 1);
	strlcpy(cfg.identity, "client_id=", sizeof(cfg.identity));
	CHECK_INT(tt_token_get(&c, &cfg, TT_RESOURCE_ARM, &tok, err,
		      sizeof(err)),
	    -EINVAL);
	CHECK(strstr(err, "identity") != NULL);
	tt_token_cache_free(&c);
	tt_token_cache_free(NULL);
}

int
main(void)
{
	RUN(test_parse);
	RUN(test_too_large);
	RUN(test_url_encode);
	RUN(test_no_imds);
	TEST_EXIT();
}
