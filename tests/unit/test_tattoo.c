#include <errno.h>

#include <openssl/evp.h>

#include "canon.h"
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
	    sizeof(by)), TT_VERIFY_VALID);
	CHECK_INT(tt_key_id(key, id), 0);
	CHECK_STR(by, id);
	/* Wrong key: its id differs from the recorded one. */
	CHECK_INT(verify(t, other), TT_VERIFY_UNKNOWN_KEY);
	/* Signature present but no key: valid digest, noted unchecked. */
	CHECK_INT(tt_tattoo_verify(t, NULL, 0, why, sizeof(why), by,
	    sizeof(by)), TT_VERIFY_VALID);
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

	/* A custom key id with one key given: that key is used. */
	t = tt_tattoo_build(&fields, NULL, NULL);
	CHECK_INT(tt_tattoo_seal(t, key, "pipeline-2026"), 0);
	CHECK_INT(verify(t, key), TT_VERIFY_VALID);
	CHECK_INT(verify(t, other), TT_VERIFY_BAD_SIGNATURE);
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
	json_object_put(t);
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

int
main(void)
{
	RUN(test_digest_roundtrip);
	RUN(test_tamper_each_field);
	RUN(test_signature);
	RUN(test_malformed);
	RUN(test_lineage_trimmed);
	RUN(test_base64);
	TEST_EXIT();
}
