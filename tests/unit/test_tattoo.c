#include <errno.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "tattoo.h"
#include "tt_test.h"

static const struct tt_tattoo_fields fields = {
	.image_name = "ubuntu-golden",
	.image_version = "1.4.0",
	.published = "2026-11-24T06:00:00Z",
	.source_publisher = "canonical",
	.source_offer = "0001-com-ubuntu-server-jammy",
	.source_sku = "22_04-lts-gen2",
	.source_version = "22.04.202611010",
	.source_origin = "cli",
	.os_id = "ubuntu",
	.os_version_id = "22.04",
	.os_pretty_name = "Ubuntu 22.04.5 LTS",
	.kernel = "6.8.0-1017-azure",
	.build_id = "42",
};

static EVP_PKEY *
new_key(void)
{
	EVP_PKEY *key = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);

	if (ctx == NULL || EVP_PKEY_keygen_init(ctx) != 1 ||
	    EVP_PKEY_keygen(ctx, &key) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

static json_object *
sealed(EVP_PKEY *key)
{
	json_object *t = tt_tattoo_build(&fields, NULL, NULL);

	CHECK(t != NULL);
	CHECK_INT(tt_tattoo_seal(t, key, NULL), 0);
	return t;
}

static enum tt_verify_result
verify(json_object *t, EVP_PKEY *key)
{
	char why[512], by[TT_KEY_ID_MAX];

	return tt_tattoo_verify(t, key ? &key : NULL, key ? 1 : 0, why,
	    sizeof(why), by, sizeof(by));
}

static void
test_digest_roundtrip(void)
{
	json_object *t = sealed(NULL), *again;
	char err[256];
	const char *text;

	CHECK_INT(verify(t, NULL), TT_VERIFY_VALID);
	/* Re-serialised with other white space and key order: same digest. */
	text = json_object_to_json_string_ext(t, JSON_C_TO_STRING_PRETTY);
	again = tt_json_parse(text, strlen(text), err, sizeof(err));
	CHECK(again != NULL);
	CHECK_INT(verify(again, NULL), TT_VERIFY_VALID);
	json_object_put(again);
	json_object_put(t);
}

/* baseline.score is a number in the canonical text; the file shows it as
 * such and a re-read tattoo keeps its digest. */
static void
test_score_number(void)
{
	json_object *b = json_object_new_object(), *t, *again;
	char err[256];
	const char *text;

	json_object_object_add(b, "score",
	    json_object_new_double_s(61.1, "61.1"));
	t = tt_tattoo_build(&fields, b, NULL);
	CHECK(t != NULL);
	CHECK_INT(tt_tattoo_seal(t, NULL, NULL), 0);
	text = json_object_to_json_string_ext(t, JSON_C_TO_STRING_PLAIN);
	CHECK(strstr(text, "\"score\":61.1}") != NULL);
	again = tt_json_parse(text, strlen(text), err, sizeof(err));
	CHECK(again != NULL);
	CHECK(json_object_is_type(tt_json_path(again, "baseline.score"),
	    json_type_double));
	CHECK_INT(verify(again, NULL), TT_VERIFY_VALID);
	/* A score of many decimals has no canonical text: no digest. */
	json_object_object_add(tt_json_path(again, "baseline"), "score",
	    json_object_new_double_s(61.12, "61.12"));
	CHECK_INT(tt_tattoo_seal(again, NULL, NULL), -EDOM);
	json_object_put(again);
	json_object_put(t);
}

/* A tattoo the agent wrote before the score was a number (score "50.3",
 * signed): its bytes canonicalise as they did, so it still verifies. */
static void
test_old_string_score(void)
{
	char path[PATH_MAX];
	const char *top = getenv("TT_TOP") ? getenv("TT_TOP") : ".";
	json_object *t;
	EVP_PKEY *pub = NULL;
	FILE *f;

	snprintf(path, sizeof(path),
	    "%s/tests/fixtures/tattoo-score-string/key.pub", top);
	if ((f = fopen(path, "r")) != NULL) {
		pub = PEM_read_PUBKEY(f, NULL, NULL, NULL);
		fclose(f);
	}
	CHECK(pub != NULL);
	snprintf(path, sizeof(path),
	    "%s/tests/fixtures/tattoo-score-string/tattoo.json", top);
	t = json_object_from_file(path);
	CHECK(t != NULL);
	if (t == NULL || pub == NULL) {
		EVP_PKEY_free(pub);
		json_object_put(t);
		return;
	}
	CHECK(json_object_is_type(tt_json_path(t, "baseline.score"),
	    json_type_string));
	CHECK_INT(verify(t, pub), TT_VERIFY_VALID);
	/* And not by chance: a changed score breaks it. */
	json_object_object_add(tt_json_path(t, "baseline"), "score",
	    json_object_new_string("50.4"));
	CHECK_INT(verify(t, pub), TT_VERIFY_DIGEST_MISMATCH);
	EVP_PKEY_free(pub);
	json_object_put(t);
}

static void
test_tamper_each_field(void)
{
	static const char *const paths[] = { "image.version", "image.name",
		"source.sku", "os.version_id", "build.id", "agent_version" };

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		json_object *t = sealed(NULL);
		json_object *parent = t;
		const char *dot = strrchr(paths[i], '.');
		char head[64];

		if (dot != NULL) {
			snprintf(head, sizeof(head), "%.*s",
			    (int)(dot - paths[i]), paths[i]);
			parent = tt_json_path(t, head);
		}
		json_object_object_add(parent, dot ? dot + 1 : paths[i],
		    json_object_new_string("tampered"));
		CHECK_INT(verify(t, NULL), TT_VERIFY_DIGEST_MISMATCH);
		json_object_put(t);
	}
}

static void
test_signature(void)
{
	EVP_PKEY *key = new_key(), *other = new_key();
	char why[512], by[TT_KEY_ID_MAX], id[TT_KEY_ID_MAX];
	json_object *t, *sig;
	const char *value;
	char *bad;

	CHECK(key != NULL && other != NULL);
	t = sealed(key);
	CHECK_INT(verify(t, key), TT_VERIFY_VALID);
	CHECK_INT(tt_tattoo_verify(t, &key, 1, why, sizeof(why), by,
		      sizeof(by)),
	    TT_VERIFY_VALID);
	CHECK_INT(tt_key_id(key, id), 0);
	CHECK_STR(by, id);
	/* Wrong key: its id differs from the recorded one. */
	CHECK_INT(verify(t, other), TT_VERIFY_UNKNOWN_KEY);
	/* Signature present but no key: valid digest, noted unchecked. */
	CHECK_INT(tt_tattoo_verify(t, NULL, 0, why, sizeof(why), by,
		      sizeof(by)),
	    TT_VERIFY_VALID);
	CHECK(strstr(why, "not checked") != NULL);
	/* Corrupt one character of the signature value. */
	sig = tt_json_path(t, "signature");
	value = json_object_get_string(tt_json_path(t, "signature.value"));
	bad = strdup(value);
	bad[5] = bad[5] == 'A' ? 'B' : 'A';
	json_object_object_add(sig, "value", json_object_new_string(bad));
	CHECK_INT(verify(t, key), TT_VERIFY_BAD_SIGNATURE);
	free(bad);
	json_object_put(t);

	/* A custom key id: the key that verifies it is the one; another
	 * key cannot tell a damaged signature from a stranger's. */
	t = tt_tattoo_build(&fields, NULL, NULL);
	CHECK_INT(tt_tattoo_seal(t, key, "pipeline-2026"), 0);
	CHECK_INT(verify(t, key), TT_VERIFY_VALID);
	CHECK_INT(verify(t, other), TT_VERIFY_UNKNOWN_KEY);
	{
		EVP_PKEY *both[2] = { other, key };
		int idx;

		CHECK_INT(tt_tattoo_verify_ex(t, both, 2, why, sizeof(why),
			      &idx),
		    TT_VERIFY_VALID);
		CHECK_INT(idx, 1);
		CHECK_INT(tt_tattoo_verify(t, both, 2, why, sizeof(why), by,
			      sizeof(by)),
		    TT_VERIFY_VALID);
		CHECK_STR(by, "pipeline-2026");
	}
	json_object_put(t);

	/* Unsigned tattoo with a key demanded. */
	t = sealed(NULL);
	CHECK_INT(verify(t, key), TT_VERIFY_UNSIGNED);
	json_object_put(t);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}

static void
test_malformed(void)
{
	json_object *t = sealed(NULL);

	json_object_object_add(t, "schema", json_object_new_int(7));
	CHECK_INT(verify(t, NULL), TT_VERIFY_MALFORMED);
	json_object_put(t);
	t = sealed(NULL);
	json_object_object_del(t, "digest");
	CHECK_INT(verify(t, NULL), TT_VERIFY_MALFORMED);
	json_object_put(t);
	t = sealed(NULL);
	json_object_object_add(t, "source", json_object_new_string("x"));
	CHECK_INT(verify(t, NULL), TT_VERIFY_MALFORMED);
	json_object_put(t);
}

static void
test_lineage_trimmed(void)
{
	json_object *t = NULL, *p;
	int depth = 0;

	for (int i = 0; i < TT_TATTOO_MAX_GENERATIONS + 5; i++) {
		t = tt_tattoo_build(&fields, NULL, t);
		CHECK(t != NULL);
		CHECK_INT(tt_tattoo_seal(t, NULL, NULL), 0);
	}
	for (p = t; p != NULL; p = tt_json_path(p, "parent"))
		depth++;
	CHECK_INT(depth, TT_TATTOO_MAX_GENERATIONS);
	CHECK_INT(verify(t, NULL), TT_VERIFY_VALID);
	CHECK(tt_tattoo_lineage_cut(t));
	json_object_put(t);
}

/* A signature member this agent does not know is refused, named. */
static void
test_signature_members(void)
{
	EVP_PKEY *key = new_key();
	char why[512], by[TT_KEY_ID_MAX];
	json_object *t = sealed(key), *sig;

	CHECK(tt_tattoo_signature_unknown(t) == NULL);
	sig = tt_json_path(t, "signature");
	json_object_object_add(sig, "trusted", json_object_new_boolean(1));
	CHECK_STR(tt_tattoo_signature_unknown(t), "trusted");
	CHECK_INT(tt_tattoo_verify(t, NULL, 0, why, sizeof(why), by,
		      sizeof(by)),
	    TT_VERIFY_MALFORMED);
	CHECK(strstr(why, "unknown member 'trusted'") != NULL);
	CHECK_INT(verify(t, key), TT_VERIFY_MALFORMED);
	json_object_put(t);

	/* A value that is not 64 bytes is malformed before any key. */
	t = sealed(key);
	sig = tt_json_path(t, "signature");
	json_object_object_add(sig, "value", json_object_new_string("AAAA"));
	CHECK_INT(verify(t, NULL), TT_VERIFY_MALFORMED);
	json_object_put(t);
	t = sealed(key);
	json_object_object_add(t, "signature", json_object_new_string("x"));
	CHECK_INT(verify(t, NULL), TT_VERIFY_MALFORMED);
	json_object_put(t);
	EVP_PKEY_free(key);
}

static void
test_verify_word(void)
{
	CHECK_STR(tt_verify_word(TT_VERIFY_VALID, true), "valid");
	CHECK_STR(tt_verify_word(TT_VERIFY_UNSIGNED, true), "unsigned");
	CHECK_STR(tt_verify_word(TT_VERIFY_UNKNOWN_KEY, true), "untrusted");
	CHECK_STR(tt_verify_word(TT_VERIFY_BAD_SIGNATURE, true), "invalid");
	CHECK_STR(tt_verify_word(TT_VERIFY_DIGEST_MISMATCH, true), "invalid");
	CHECK_STR(tt_verify_word(TT_VERIFY_MALFORMED, true), "invalid");
	/* Without trusted keys nothing is "valid": only the digest. */
	CHECK_STR(tt_verify_word(TT_VERIFY_VALID, false), "digest-ok");
	CHECK_STR(tt_verify_word(TT_VERIFY_DIGEST_MISMATCH, false), "invalid");
}

static enum tt_parent_status
check_parent(json_object *p, EVP_PKEY **keys, size_t n, char *id)
{
	char why[512];

	return tt_tattoo_check_parent(p, keys, n, id, why, sizeof(why));
}

/* Replaces the signature value with 64 bytes that sign nothing. */
static void
forge_value(json_object *t)
{
	uint8_t junk[64];
	char *b64;

	memset(junk, 0x5a, sizeof(junk));
	b64 = tt_base64_encode(junk, sizeof(junk));
	json_object_object_add(tt_json_path(t, "signature"), "value",
	    json_object_new_string(b64));
	free(b64);
}

static void
test_parent_check(void)
{
	EVP_PKEY *key = new_key(), *evil = new_key();
	char id[TT_KEY_ID_MAX], real[TT_KEY_ID_MAX], evil_id[TT_KEY_ID_MAX];
	json_object *p;

	CHECK(key != NULL && evil != NULL);
	CHECK_INT(tt_key_id(key, real), 0);
	CHECK_INT(tt_key_id(evil, evil_id), 0);

	/* Genuine parent, genuine key: verified, by that key's id. */
	p = sealed(key);
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_VERIFIED);
	CHECK_STR(id, real);
	/* No key given: signed but unverified. */
	CHECK_INT(check_parent(p, NULL, 0, id), TT_PARENT_UNVERIFIED);
	CHECK_STR(id, "");
	/* Another key only: unverified, not invalid. */
	CHECK_INT(check_parent(p, &evil, 1, id), TT_PARENT_UNVERIFIED);
	json_object_put(p);

	/* Signed by an attacker's key: unverified with the real key. */
	p = sealed(evil);
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_UNVERIFIED);
	json_object_put(p);

	/* Claims the real key id, garbage value: invalid with the key,
	 * unverified without it (64 bytes that look like a signature). */
	p = sealed(evil);
	json_object_object_add(tt_json_path(p, "signature"), "key_id",
	    json_object_new_string(real));
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_INVALID);
	CHECK_INT(check_parent(p, NULL, 0, id), TT_PARENT_UNVERIFIED);
	forge_value(p);
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_INVALID);
	json_object_put(p);
	/* ... and a value that is no signature at all: invalid anyway. */
	p = sealed(key);
	json_object_object_add(tt_json_path(p, "signature"), "value",
	    json_object_new_string("Zm9yZ2Vk"));
	CHECK_INT(check_parent(p, NULL, 0, id), TT_PARENT_INVALID);
	json_object_put(p);

	/* Unsigned: unsigned with or without keys. */
	p = sealed(NULL);
	CHECK_INT(check_parent(p, NULL, 0, id), TT_PARENT_UNSIGNED);
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_UNSIGNED);
	/* Edited after sealing: invalid. */
	json_object_object_add(tt_json_path(p, "image"), "version",
	    json_object_new_string("9.9.9"));
	CHECK_INT(check_parent(p, NULL, 0, id), TT_PARENT_INVALID);
	json_object_put(p);

	/* An unknown signature member makes the parent invalid. */
	p = sealed(key);
	json_object_object_add(tt_json_path(p, "signature"), "verified",
	    json_object_new_boolean(1));
	CHECK_INT(check_parent(p, &key, 1, id), TT_PARENT_INVALID);
	json_object_put(p);
	EVP_PKEY_free(key);
	EVP_PKEY_free(evil);
}

/* The record sits inside the digest: changing it breaks the seal. */
static void
test_parent_record(void)
{
	EVP_PKEY *key = new_key();
	char id[TT_KEY_ID_MAX], rec[TT_KEY_ID_MAX];
	json_object *t, *pv;

	CHECK_INT(tt_key_id(key, id), 0);
	t = tt_tattoo_build(&fields, NULL, sealed(NULL));
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_UNRECORDED);
	CHECK_INT(tt_tattoo_set_parent_verified(t, TT_PARENT_UNSIGNED, NULL),
	    0);
	CHECK_INT(tt_tattoo_seal(t, key, NULL), 0);
	CHECK_INT(verify(t, key), TT_VERIFY_VALID);
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_UNSIGNED);
	CHECK_STR(rec, "");
	CHECK(tt_json_path(t, "parent_verified.key_id") == NULL);
	pv = tt_json_path(t, "parent_verified");
	json_object_object_add(pv, "status",
	    json_object_new_string("verified"));
	json_object_object_add(pv, "key_id", json_object_new_string(id));
	CHECK_INT(verify(t, key), TT_VERIFY_DIGEST_MISMATCH);
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_VERIFIED);
	CHECK_STR(rec, id);
	/* "verified" by no key, or a status of no meaning: unrecorded. */
	json_object_object_del(pv, "key_id");
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_UNRECORDED);
	json_object_object_add(pv, "status", json_object_new_string("ok"));
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_UNRECORDED);
	json_object_put(t);

	t = tt_tattoo_build(&fields, NULL, sealed(NULL));
	CHECK_INT(tt_tattoo_set_parent_verified(t, TT_PARENT_VERIFIED, id), 0);
	CHECK_INT(tt_tattoo_parent_record(t, rec, sizeof(rec)),
	    TT_PARENT_VERIFIED);
	CHECK_STR(rec, id);
	CHECK_STR(tt_parent_status_name(TT_PARENT_INVALID), "invalid");
	CHECK(!tt_tattoo_lineage_cut(t));
	json_object_put(t);
	EVP_PKEY_free(key);
}

static void
test_base64(void)
{
	uint8_t out[16];
	char *e = tt_base64_encode((const uint8_t *)"hello", 5);

	CHECK_STR(e, "aGVsbG8=");
	CHECK_INT(tt_base64_decode(e, strlen(e), out, sizeof(out)), 5);
	CHECK(memcmp(out, "hello", 5) == 0);
	CHECK_INT(tt_base64_decode("aGVs*G8=", 8, out, sizeof(out)), -EINVAL);
	CHECK_INT(tt_base64_decode("aGVsbG8", 7, out, sizeof(out)), -EINVAL);
	CHECK_INT(tt_base64_decode("aGVsbG8=", 8, out, 2), -E2BIG);
	free(e);
}

static EVP_PKEY *
new_ec_key(const char *curve)
{
	return EVP_EC_gen(curve);
}

/* A tattoo sealed as write --sign-keyvault seals it: the digest, then an
 * ES256 signature of the digest's bytes made elsewhere, under a kid. */
static json_object *
sealed_es256(EVP_PKEY *key, const char *kid)
{
	json_object *t = tt_tattoo_build(&fields, NULL, NULL);
	uint8_t raw[TT_SHA256_LEN], sig[TT_ES256_SIG_LEN];

	CHECK(t != NULL);
	CHECK_INT(tt_tattoo_seal(t, NULL, NULL), 0);
	CHECK_INT(tt_tattoo_digest_bytes(t, raw), 0);
	CHECK_INT(tt_es256_sign(key, raw, sig), 0);
	CHECK_INT(tt_tattoo_set_signature(t, "ES256", kid, sig, sizeof(sig)),
	    0);
	return t;
}

static void
test_es256(void)
{
	static const char kid[] = "https://kv-golden.vault.azure.net/keys/"
				  "tattoo/0123456789abcdef0123456789abcdef";
	EVP_PKEY *key = new_ec_key("P-256"), *other = new_ec_key("P-256");
	EVP_PKEY *ed = new_key(), *both[2];
	char why[512], by[TT_KEY_ID_MAX], id[TT_KEY_ID_MAX];
	json_object *t, *s;
	uint8_t raw[TT_SHA256_LEN];

	CHECK(key != NULL && other != NULL && ed != NULL);
	CHECK(tt_key_is_p256(key));
	CHECK(!tt_key_is_p256(ed));
	CHECK_INT(tt_key_id(key, id), 0);
	CHECK(strncmp(id, "p256:", 5) == 0 && strlen(id) == 5 + 32);
	t = sealed_es256(key, kid);
	CHECK_STR(json_object_get_string(tt_json_path(t, "signature.alg")),
	    "ES256");
	/* The key URL names no key material: the key that verifies it. */
	CHECK_INT(tt_tattoo_verify(t, &key, 1, why, sizeof(why), by,
		      sizeof(by)),
	    TT_VERIFY_VALID);
	CHECK_STR(by, kid);
	both[0] = ed;
	both[1] = key;
	CHECK_INT(verify(t, NULL), TT_VERIFY_VALID);
	CHECK_INT(tt_tattoo_verify(t, both, 2, why, sizeof(why), by,
		      sizeof(by)),
	    TT_VERIFY_VALID);
	/* Another P-256 key or an Ed25519 key does not verify it. */
	CHECK_INT(verify(t, other), TT_VERIFY_UNKNOWN_KEY);
	CHECK_INT(verify(t, ed), TT_VERIFY_UNKNOWN_KEY);
	/* r = s = 0 never verifies (ECDSA demands 0 < r, s < n). */
	CHECK_INT(tt_tattoo_digest_bytes(t, raw), 0);
	CHECK_INT(tt_es256_verify(key, raw,
		      (const uint8_t[TT_ES256_SIG_LEN]){ 0 }, TT_ES256_SIG_LEN),
	    -EBADMSG);
	/* Content changed after signing: the digest says so first. */
	json_object_object_add(tt_json_path(t, "image"), "version",
	    json_object_new_string("9.9.9"));
	CHECK_INT(verify(t, key), TT_VERIFY_DIGEST_MISMATCH);
	json_object_put(t);

	/* The alg relabelled: an ES256 value read as Ed25519 fails. */
	t = sealed_es256(key, kid);
	s = tt_json_path(t, "signature");
	json_object_object_add(s, "alg", json_object_new_string("ed25519"));
	CHECK(verify(t, key) != TT_VERIFY_VALID);
	json_object_object_add(s, "alg", json_object_new_string("RS256"));
	CHECK_INT(verify(t, key), TT_VERIFY_MALFORMED);
	json_object_put(t);

	/* A key id past TT_KEY_ID_MAX is refused, not cut. */
	t = tt_tattoo_build(&fields, NULL, NULL);
	{
		char longid[TT_KEY_ID_MAX + 8];
		uint8_t sig[TT_ES256_SIG_LEN] = { 0 };

		memset(longid, 'k', sizeof(longid) - 1);
		longid[sizeof(longid) - 1] = '\0';
		CHECK_INT(tt_tattoo_set_signature(t, "ES256", longid, sig,
			      sizeof(sig)),
		    -EINVAL);
	}
	json_object_put(t);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	EVP_PKEY_free(ed);
}

/* verify --pubkey takes the PEM `az keyvault key download --encoding PEM`
 * writes: an EC P-256 SubjectPublicKeyInfo; other curves are refused. */
static void
test_key_load_ec(void)
{
	const char *curves[] = { "P-256", "P-384" };
	char *dir = tt_test_tmpdir(), path[512], err[512];

	for (size_t i = 0; i < 2; i++) {
		EVP_PKEY *key = new_ec_key(curves[i]), *loaded = NULL;
		FILE *f;
		int r;

		snprintf(path, sizeof(path), "%s/k%zu.pem", dir, i);
		CHECK((f = fopen(path, "w")) != NULL);
		CHECK(PEM_write_PUBKEY(f, key) == 1);
		fclose(f);
		chmod(path, 0644);
		r = tt_key_load(path, false, &loaded, err, sizeof(err));
		if (i == 0) {
			CHECK_INT(r, 0);
			CHECK(loaded != NULL && tt_key_is_p256(loaded));
		} else {
			CHECK_INT(r, -EINVAL);
			CHECK(strstr(err, "EC P-256") != NULL);
		}
		EVP_PKEY_free(loaded);
		/* Never a signing key: --sign-key stays Ed25519. */
		snprintf(path, sizeof(path), "%s/p%zu.pem", dir, i);
		CHECK((f = fopen(path, "w")) != NULL);
		CHECK(PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL) ==
		    1);
		fclose(f);
		CHECK_INT(tt_key_load(path, true, &loaded, err, sizeof(err)),
		    -EINVAL);
		EVP_PKEY_free(key);
	}
	tt_test_rmtree(dir);
	free(dir);
}

static void
test_base64url(void)
{
	static const uint8_t bytes[] = { 0xfb, 0xff, 0xbf, 0x00, 0x3e };
	uint8_t out[16];
	char *e = tt_base64url_encode(bytes, sizeof(bytes));

	/* "+/" of standard base64 become "-_", and no padding. */
	CHECK_STR(e, "-_-_AD4");
	CHECK_INT(tt_base64url_decode(e, strlen(e), out, sizeof(out)), 5);
	CHECK(memcmp(out, bytes, 5) == 0);
	CHECK_INT(tt_base64url_decode("-_-_AD4=", 8, out, sizeof(out)), 5);
	CHECK_INT(tt_base64url_decode("+/+/AD4", 7, out, sizeof(out)), -EINVAL);
	CHECK_INT(tt_base64url_decode("A", 1, out, sizeof(out)), -EINVAL);
	CHECK_INT(tt_base64url_decode("", 0, out, sizeof(out)), -EINVAL);
	free(e);
}

int
main(void)
{
	RUN(test_digest_roundtrip);
	RUN(test_score_number);
	RUN(test_old_string_score);
	RUN(test_tamper_each_field);
	RUN(test_signature);
	RUN(test_malformed);
	RUN(test_lineage_trimmed);
	RUN(test_signature_members);
	RUN(test_verify_word);
	RUN(test_parent_check);
	RUN(test_parent_record);
	RUN(test_base64);
	RUN(test_es256);
	RUN(test_key_load_ec);
	RUN(test_base64url);
	TEST_EXIT();
}
