/*
 * The OpenSSL boundary: SHA-256, base64, and Ed25519 keys, signatures and
 * key ids through the EVP interface.  OpenSSL's error queue becomes our
 * error codes here and nowhere else.
 */
#ifndef TT_CRYPTO_H
#define TT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include <openssl/evp.h>

#define TT_SHA256_LEN 32
#define TT_KEY_ID_MAX 64

/* SHA-256 of data into out. */
void tt_sha256(const void *data, size_t len, uint8_t out[TT_SHA256_LEN]);

/* Lower-case hex of len bytes into out (2*len+1 bytes). */
void tt_hex(const uint8_t *in, size_t len, char *out);

/* Base64 (standard alphabet, padded) into a malloc'ed string, or NULL. */
char *tt_base64_encode(const uint8_t *in, size_t len);

/* Decodes standard base64 into out (at most outsize bytes); returns the
 * length or -EINVAL for bad input, -E2BIG when out is too small. */
int
tt_base64_decode(const char *in, size_t inlen, uint8_t *out, size_t outsize);

/*
 * Loads an Ed25519 key from a PEM file (private: PKCS#8 "PRIVATE KEY";
 * public: "PUBLIC KEY").  Returns 0 and the key (EVP_PKEY_free it) or a
 * negative errno with a reason in err: -ENOENT, -EINVAL (not PEM, not an
 * Ed25519 key).
 */
int tt_key_load(const char *path, bool private_key, EVP_PKEY **ret, char *err,
    size_t errlen);

/* The key's id: "ed25519:" and the first 16 bytes of SHA-256 of the raw
 * public key, in hex.  out must hold TT_KEY_ID_MAX bytes. */
int tt_key_id(EVP_PKEY *key, char *out);

/* Ed25519 signature (64 bytes) of msg. */
int
tt_ed25519_sign(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64]);

/* 0 when sig is a valid signature of msg by key, -EBADMSG otherwise. */
int tt_ed25519_verify(EVP_PKEY *key, const uint8_t *msg, size_t len,
    const uint8_t *sig, size_t siglen);

#endif
