/*
 * SHA-256 (FIPS 180-4) in plain C for the rule-pack digest.  OpenSSL's
 * EVP layer (crypto.h) initialises its providers on first use, which
 * costs about 2 MB of resident memory: a fifth of the audit's 10 MB
 * budget, for one digest of public data.  Signatures and the tattoo's
 * own digest stay with OpenSSL; test_rules checks both agree.
 */
#ifndef TT_SHA256_SMALL_H
#define TT_SHA256_SMALL_H

#include <stddef.h>
#include <stdint.h>

void tt_sha256_small(const void *data, size_t len, uint8_t out[32]);

#endif
