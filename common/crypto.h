/*
 * The OpenSSL boundary: SHA-256, base64, Ed25519 keys, signatures and key
 * ids, and ES256 (ECDSA on P-256 with SHA-256) verification for tattoos a
 * Key Vault key signed, through the EVP interface.  OpenSSL's error queue
 * becomes our error codes here and nowhere else.
 */
#ifndef TT_CRYPTO_H
#define TT_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <stdbool.h>

#include <openssl/evp.h>

#define TT_SHA256_LEN 32
/* A key id: "ed25519:…", "p256:…", a --key-id, or the versioned key URL
 * Key Vault returned (https://NAME.vault.usgovcloudapi.net/keys/ with a
 * 127-character key name and a 32-character version fits). */
#define TT_KEY_ID_MAX 256
/* ES256 signature: r||s, 32 bytes each (RFC 7518 section 3.4). */
#define TT_ES256_SIG_LEN 64

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

/* Base64url without padding (RFC 4648 section 5, as JOSE and Key Vault
 * write it) into a malloc'ed string, or NULL. */
char *tt_base64url_encode(const uint8_t *in, size_t len);

/* Decodes base64url, padded or not, as tt_base64_decode does. */
int
tt_base64url_decode(const char *in, size_t inlen, uint8_t *out, size_t outsize);

/*
 * Loads a key from a PEM file on the host, never inside --root (private:
 * PKCS#8 "PRIVATE KEY", Ed25519 only; public: "PUBLIC KEY", Ed25519 or EC
 * P-256, the key `az keyvault key download --encoding PEM` gives).  A
 * public key is a trust anchor: its file must be owned by root (or us) and
 * not group- or world-writable, as tt_check_secure_file demands of
 * agent.conf.  Returns 0 and the key (EVP_PKEY_free it) or a negative
 * errno with a reason in err: -ENOENT, -EPERM (insecure file), -EINVAL
 * (not PEM, another kind of key or curve).
 */
int tt_key_load(const char *path, bool private_key, EVP_PKEY **ret, char *err,
    size_t errlen);

/* Trusted public keys: --pubkey, --parent-pubkey or trusted_keys. */
#define TT_KEYRING_MAX 16

struct tt_keyring {
	EVP_PKEY *key[TT_KEYRING_MAX];
	size_t n;
};

/* Loads the public key at path (tt_key_load) into kr; -E2BIG when full. */
int tt_keyring_add_file(struct tt_keyring *kr, const char *path, char *err,
    size_t errlen);

/*
 * Loads every key of list, the value of trusted_keys: absolute host paths
 * separated by spaces, tabs or commas.  A relative path is refused
 * (-EINVAL): the configuration names files on the host, whatever the
 * working directory.  Stops at the first error, err naming the file.
 */
int tt_keyring_add_list(struct tt_keyring *kr, const char *list, char *err,
    size_t errlen);

void tt_keyring_free(struct tt_keyring *kr);

/* The key's id: "ed25519:" and the first 16 bytes of SHA-256 of the raw
 * public key, in hex; for an EC P-256 key "p256:" and the first 16 bytes
 * of SHA-256 of its DER SubjectPublicKeyInfo.  out must hold
 * TT_KEY_ID_MAX bytes.  -EINVAL for another kind of key. */
int tt_key_id(EVP_PKEY *key, char *out);

/* True when key is an EC key on P-256 (prime256v1). */
bool tt_key_is_p256(EVP_PKEY *key);

/* Ed25519 signature (64 bytes) of msg. */
int
tt_ed25519_sign(EVP_PKEY *key, const uint8_t *msg, size_t len, uint8_t sig[64]);

/* 0 when sig is a valid signature of msg by key, -EBADMSG otherwise. */
int tt_ed25519_verify(EVP_PKEY *key, const uint8_t *msg, size_t len,
    const uint8_t *sig, size_t siglen);

/* ES256 signature (r||s) of a SHA-256 digest by an EC P-256 private key:
 * what Key Vault's sign operation does with alg ES256.  0 or -EINVAL. */
int tt_es256_sign(EVP_PKEY *key, const uint8_t digest[TT_SHA256_LEN],
    uint8_t sig[TT_ES256_SIG_LEN]);

/* 0 when sig (r||s, TT_ES256_SIG_LEN bytes) is a valid ES256 signature of
 * digest by the P-256 key, -EBADMSG otherwise (another kind of key too). */
int tt_es256_verify(EVP_PKEY *key, const uint8_t digest[TT_SHA256_LEN],
    const uint8_t *sig, size_t siglen);

/*
 * Verifies a tattoo signature by its alg: "ed25519" (sig over the 32-byte
 * digest, by an Ed25519 key) or "ES256" (ECDSA P-256 over the digest, by
 * an EC P-256 key).  A key of the other kind never verifies: -EBADMSG.
 */
int tt_sig_verify(EVP_PKEY *key, const char *alg,
    const uint8_t digest[TT_SHA256_LEN], const uint8_t *sig, size_t siglen);

#endif
