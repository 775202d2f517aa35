/*
 * The tattoo: a schema-versioned JSON record of where an image came from,
 * sealed with a SHA-256 digest over its canonical form (canon.h) and an
 * optional signature of that digest: Ed25519 with a local key, or ES256
 * (ECDSA P-256, r||s) by a Key Vault key (keyvault.h).  Lineage: the tattoo an image
 * already had becomes the "parent" of the new one, whole.
 */
#ifndef TT_TATTOO_H
#define TT_TATTOO_H

#include <stdbool.h>

#include <json-c/json.h>
#include <openssl/evp.h>

#include "crypto.h"
#include "rootfs.h"

#define TT_TATTOO_PATH "/etc/tattoo/tattoo.json"
#define TT_TATTOO_SCHEMA 1
#define TT_TATTOO_MAX_BYTES ((size_t)1024 * 1024)
/* Generations kept in the lineage; older ancestors are cut and the cut is
 * marked with "lineage_truncated": true on the oldest kept parent. */
#define TT_TATTOO_MAX_GENERATIONS 16

/* The fields of a new tattoo; NULL or "" for an optional one left out. */
struct tt_tattoo_fields {
	const char *image_name, *image_version, *published, *gallery;
	const char *source_publisher, *source_offer, *source_sku;
	const char *source_version, *source_id;
	const char *source_origin; /* "cli", "imds" or "unknown" */
	const char *os_id, *os_version_id, *os_pretty_name, *kernel;
	const char *build_id, *build_template, *build_pipeline_url;
	const char *build_builder;
};

/*
 * Builds an unsealed tattoo from fields, with baseline (may be NULL) and
 * parent (the previous tattoo, may be NULL) attached; both are taken over
 * by the new object.  NULL when out of memory.
 */
json_object *tt_tattoo_build(const struct tt_tattoo_fields *f,
    json_object *baseline, json_object *parent);

/* The digest of a tattoo: "sha256:" and the hex SHA-256 of the canonical
 * form of everything but "digest" and "signature".  out holds 72 bytes.
 * Returns 0 or an error of tt_canon_json. */
int tt_tattoo_digest(json_object *tattoo, char *out, size_t outlen);

/* Sets "digest", and "signature" when key is not NULL (key_id NULL: the
 * key's own id).  0 or a negative errno. */
int tt_tattoo_seal(json_object *tattoo, EVP_PKEY *key, const char *key_id);

/* The 32 bytes the digest is the hex of: what a signature signs (ES256:
 * the SHA-256 that ECDSA signs, so the signed message is the canonical
 * form).  0 or an error of tt_canon_json. */
int tt_tattoo_digest_bytes(json_object *tattoo, uint8_t out[TT_SHA256_LEN]);

/* Sets "signature" to {alg, key_id, value: base64(sig)}, replacing any;
 * for a signature made elsewhere (Key Vault) after tt_tattoo_seal(t, NULL,
 * NULL).  -EINVAL for an empty key_id or one of TT_KEY_ID_MAX bytes or
 * more, -ENOMEM. */
int tt_tattoo_set_signature(json_object *tattoo, const char *alg,
    const char *key_id, const uint8_t *sig, size_t len);

enum tt_verify_result {
	TT_VERIFY_VALID = 0,
	TT_VERIFY_MALFORMED,
	TT_VERIFY_DIGEST_MISMATCH,
	TT_VERIFY_UNSIGNED,
	TT_VERIFY_UNKNOWN_KEY,
	TT_VERIFY_BAD_SIGNATURE,
};

/*
 * Verifies a tattoo against keys (may be empty).  why explains any result
 * but VALID; for VALID it notes a signature left unchecked.  signed_by gets
 * the recorded key id of the signature a key verified ("" if none).  With
 * no keys a signature is checked for its shape only (an unknown member in
 * "signature" is MALFORMED) and VALID means "the digest matches".  With
 * keys, UNSIGNED and UNKNOWN_KEY are results of their own, and a recorded
 * key id that is not "ed25519:…" or "p256:…" (--key-id, a Key Vault key
 * URL) is verified by whichever key verifies it.
 */
enum tt_verify_result
tt_tattoo_verify(json_object *tattoo, EVP_PKEY **keys, size_t nkeys, char *why,
    size_t whylen, char *signed_by, size_t signed_by_len);

/* The same, with the index in keys of the key that verified the
 * signature (-1 when none was checked). */
enum tt_verify_result tt_tattoo_verify_ex(json_object *tattoo, EVP_PKEY **keys,
    size_t nkeys, char *why, size_t whylen, int *key_index);

/*
 * The fleet's word for a verification (report "verify", the tattoo tag,
 * status): with trusted keys "valid" (signed by one of them), "unsigned",
 * "untrusted" (signed by another key) or "invalid"; without, "digest-ok"
 * (the digest matches, the signature is not checked) or "invalid".  The
 * caller says "absent" when there is no tattoo.
 */
const char *tt_verify_word(enum tt_verify_result v, bool have_keys);

/* The member of the tattoo's "signature" this agent does not know, or
 * NULL: verify refuses such a signature, show warns of it. */
const char *tt_tattoo_signature_unknown(json_object *tattoo);

/*
 * Lineage: what write found when it checked the tattoo it builds on, kept
 * in the new tattoo as "parent_verified": {"status", "key_id"}, inside the
 * digest (and so the signature).  UNRECORDED: no such member (an older
 * agent wrote the tattoo).
 */
enum tt_parent_status {
	TT_PARENT_UNRECORDED = 0,
	TT_PARENT_VERIFIED, /* signed by a trusted key, checked */
	TT_PARENT_UNVERIFIED, /* signed, but by no key that was trusted */
	TT_PARENT_UNSIGNED, /* digest matches, no signature */
	TT_PARENT_INVALID, /* digest, signature or shape wrong */
};

/* "verified", "unverified", "unsigned", "invalid" or "unrecorded". */
const char *tt_parent_status_name(enum tt_parent_status s);

/* Checks the tattoo about to become a parent against trusted keys;
 * key_id (TT_KEY_ID_MAX bytes) gets the id of the key that verified it,
 * why says what is wrong or unchecked. */
enum tt_parent_status tt_tattoo_check_parent(json_object *parent,
    EVP_PKEY **keys, size_t nkeys, char *key_id, char *why, size_t whylen);

/* Sets t's "parent_verified" (key_id only for VERIFIED). */
int tt_tattoo_set_parent_verified(json_object *t, enum tt_parent_status s,
    const char *key_id);

/* Reads t's "parent_verified"; key_id gets the verifying key ("" unless
 * VERIFIED).  Anything unexpected there reads as UNRECORDED. */
enum tt_parent_status
tt_tattoo_parent_record(json_object *t, char *key_id, size_t len);

/* True when the lineage below t was cut (lineage_truncated): cutting
 * changed the content, so the ancestors' digests no longer match and only
 * the records made at write time speak for them. */
bool tt_tattoo_lineage_cut(json_object *t);

/*
 * Loads the tattoo file at path inside root.  Returns 0 and the object;
 * -ENOENT when absent; -EBADMSG when it is not a JSON object (why says
 * where); other negative errnos when unreadable.
 */
int tt_tattoo_load(const struct tt_root *root, const char *path,
    json_object **ret, char *why, size_t whylen);

/* Writes the tattoo atomically, mode 0644, creating /etc/tattoo. */
int tt_tattoo_store(const struct tt_root *root, const char *path,
    json_object *tattoo);

/* Looks up a dotted path ("image.version") in obj; NULL when absent. */
json_object *tt_json_path(json_object *obj, const char *path);

/* The string at path, or "" when it is absent or not a string. */
const char *tt_json_path_str(json_object *obj, const char *path);

/* Cuts the lineage below TT_TATTOO_MAX_GENERATIONS - 1 ancestors of t. */
void tt_tattoo_trim_lineage(json_object *t);

#endif
