/*
 * Managed-identity access tokens from IMDS, for any resource: ARM (tags),
 * Azure Monitor (Logs Ingestion) and Key Vault (keyvault.h, whose resource
 * follows the vault's cloud).  GET {imds_url}/metadata/identity/oauth2/token
 * with "Metadata: true", never through a proxy; 404, 410, 429, 5xx and
 * time-outs are retried with the documented exponential backoff (about 0,
 * 2, 6, 14, 30 s, scaled by retry_scale_ms), other 4xx are not.  Tokens
 * live in memory only, in a cache keyed by resource, until shortly before
 * expires_on; they are wiped when replaced or freed and never logged.
 */
#ifndef TT_TOKEN_H
#define TT_TOKEN_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

#define TT_TOKEN_API_VERSION "2018-02-01"
#define TT_RESOURCE_ARM "https://management.azure.com/"
#define TT_RESOURCE_MONITOR "https://monitor.azure.com/"
/* A token is not used in its last minutes: a request must not reach the
 * service with a token that expires on the way. */
#define TT_TOKEN_MARGIN_S 300
#define TT_TOKEN_MAX_BYTES ((size_t)16 * 1024)
#define TT_TOKEN_CACHE_SIZE 4

struct tt_token {
	char resource[128];
	char *access_token; /* NULL: empty slot */
	int64_t expires_on;
};

struct tt_token_cache {
	struct tt_token v[TT_TOKEN_CACHE_SIZE];
	unsigned requests; /* token requests made (tests, --verbose) */
};

/*
 * Parses a token response: a JSON object whose access_token is a
 * non-empty string and expires_on an epoch-seconds string (or number).
 * On 0 *ret_token is a malloc'ed copy the caller wipes and frees.
 * -EBADMSG with a reason in err (never the token) otherwise.
 */
int tt_token_parse(const char *text, size_t len, char **ret_token,
    int64_t *ret_expires_on, char *err, size_t errlen);

/*
 * The token for resource, from the cache or from IMDS.  *ret points into
 * the cache (valid until the cache is freed or the next call for the same
 * resource).  0; -EHOSTUNREACH when IMDS does not answer (not on Azure);
 * -EACCES when IMDS refused (no identity, wrong identity key); -EIO when
 * it kept failing; -EBADMSG for a malformed answer; -EINVAL for a bad
 * `identity` setting.  err says what happened.
 */
int tt_token_get(struct tt_token_cache *c, const struct tt_config *cfg,
    const char *resource, const char **ret, char *err, size_t errlen);

/* Wipes and frees every token; accepts NULL. */
void tt_token_cache_free(struct tt_token_cache *c);

/* Percent-encodes s (RFC 3986 unreserved kept) into out; -ENAMETOOLONG
 * when it does not fit. */
int tt_url_encode(const char *s, char *out, size_t outlen);

#endif
