/*
 * Signing with an Azure Key Vault key (write --sign-keyvault), so that a
 * build VM signs its tattoo without holding a private key.  The key URL is
 * https://NAME.vault.azure.net/keys/KEY[/VERSION] (or a sovereign cloud's
 * vault.azure.cn, vault.usgovcloudapi.net); nothing else is accepted, so a
 * typo or a look-alike host never receives a token.  The VM's managed
 * identity gets a token for the vault's resource (https://vault.azure.net
 * or the cloud's own) from IMDS (token.h, `identity` applies); then
 *
 *	GET  {vault}/keys/KEY[/VERSION]?api-version=7.4
 *	     the key's type (EC P-256: Key Vault has no Ed25519) and its
 *	     versioned id, the kid;
 *	POST {kid}/sign?api-version=7.4  {"alg":"ES256","value":b64url(digest)}
 *	     the signature, r||s in base64url.
 *
 * ES256 signs the SHA-256 given, here the tattoo's digest: the signature
 * is ECDSA P-256 with SHA-256 over the tattoo's canonical form.  The key
 * id recorded is the kid, the full versioned key URL.  Time-outs, dropped
 * connections, 408, 429 and 5xx are retried (retry.h); 401 and 403 mean a
 * missing role, 404 a missing key.  The token and every answer are wiped.
 */
#ifndef TT_KEYVAULT_H
#define TT_KEYVAULT_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "crypto.h"
#include "token.h"

#define TT_KEYVAULT_API_VERSION "7.4"
#define TT_KEYVAULT_MAX_RESPONSE ((size_t)64 * 1024)

/* A key URL, checked and taken apart (host in lower case). */
struct tt_kv_key {
	char url[TT_KEY_ID_MAX]; /* https://HOST/keys/NAME[/VERSION] */
	char host[128]; /* NAME.vault.azure.net */
	char resource[64]; /* the token's: https://vault.azure.net */
	char name[128];
	char version[65]; /* "": the newest */
};

/*
 * Checks url: https://, a vault name (3-24 letters, digits and hyphens,
 * starting with a letter, no "--") and a Key Vault DNS suffix, /keys/, a
 * key name (1-127 letters, digits and hyphens) and optionally a version
 * (1-64 letters and digits), nothing else (no port, user, query or
 * fragment; one trailing '/' is dropped).  0, or -EINVAL with the reason
 * in err.
 */
int tt_kv_parse_url(const char *url, struct tt_kv_key *ret, char *err,
    size_t errlen);

/*
 * Parses the answer of GET key: "key" with kty "EC" (or "EC-HSM"), crv
 * "P-256", "sign" among key_ops when they are listed, and a kid naming
 * key (same host and name; the same version when key has one) with a
 * version.  kid gets it.  0; -EINVAL (with why) for a key ES256 cannot
 * use; -EBADMSG for an answer that is not Key Vault's.
 */
int tt_kv_parse_key(const char *text, size_t len, const struct tt_kv_key *key,
    char *kid, size_t kidlen, char *err, size_t errlen);

/*
 * Parses the answer of sign: "kid" equal to want_kid and "value", 64
 * bytes of base64url.  0 or -EBADMSG with the reason in err.
 */
int tt_kv_parse_sign(const char *text, size_t len, const char *want_kid,
    uint8_t sig[TT_ES256_SIG_LEN], char *err, size_t errlen);

/* Which kind of failure stopped tt_kv_sign. */
enum tt_kv_failure {
	TT_KV_FAILED_NONE,
	TT_KV_FAILED_KEY, /* no such key (404), or one ES256 cannot use */
	TT_KV_FAILED_ENV, /* token, role (401, 403), network, answers */
};

/*
 * Reads key (GET): checks it is an EC P-256 key that may sign, and puts
 * its versioned URL into kid (TT_KEY_ID_MAX bytes).  Called before the
 * slow part of a write, so that a missing role or key stops it at once.
 * Returns as tt_kv_sign.
 */
int tt_kv_resolve(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, char *kid, enum tt_kv_failure *failure,
    char *err, size_t errlen);

/* Signs digest with the key version kid (from tt_kv_resolve); the
 * signature (r||s) into sig.  Returns as tt_kv_sign. */
int tt_kv_sign_digest(const struct tt_config *cfg,
    struct tt_token_cache *tokens, const struct tt_kv_key *key, const char *kid,
    const uint8_t digest[TT_SHA256_LEN], uint8_t sig[TT_ES256_SIG_LEN],
    enum tt_kv_failure *failure, char *err, size_t errlen);

/*
 * tt_kv_resolve, then tt_kv_sign_digest.  Signs digest with key: the versioned key URL into kid (TT_KEY_ID_MAX
 * bytes), the signature (r||s) into sig.  Requests go to
 * cfg->keyvault_url instead of https://HOST when it is set.  0, or a
 * negative errno with *failure set and err saying what happened (never
 * the token): -EACCES (401, 403: the role), -ENOENT (404), -EINVAL (the
 * key's type, a 400), -EHOSTUNREACH/-EIO (IMDS, the token), -ETIMEDOUT,
 * -ECONNREFUSED... (the network after the retries), -EBADMSG.
 */
int tt_kv_sign(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const struct tt_kv_key *key, const uint8_t digest[TT_SHA256_LEN], char *kid,
    uint8_t sig[TT_ES256_SIG_LEN], enum tt_kv_failure *failure, char *err,
    size_t errlen);

#endif
