/*
 * The tattoo file as tattoo show/verify/write read it: tt_json_parse with
 * its depth limit, the canonical form the digest is computed over, the
 * checks of tt_tattoo_verify (with and without a key, so the signature's
 * base64 and Ed25519 paths run), lineage trimming and dotted lookups.
 * Properties: the canonical form of a parsed document parses back to the
 * same canonical form, and so does json-c's pretty text, which is what
 * tt_tattoo_store writes: a tattoo that was readable stays verifiable.
 */
#include <string.h>

#include <openssl/evp.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fuzz.h"
#include "tattoo.h"
#include "tt.h"

static EVP_PKEY *fuzz_key;

int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_key = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	FUZZ_ASSERT(fuzz_key != NULL);
	return 0;
}

static void
canon_of(json_object *obj, struct tt_buf *out, int *ret)
{
	tt_buf_init(out, 64 * 1024 * 1024);
	*ret = tt_canon_json(obj, out);
}

static void
check_reparse(const char *text, size_t len, const struct tt_buf *want)
{
	struct tt_buf again;
	json_object *obj;
	char why[256];
	int r;

	obj = tt_json_parse(text, len, why, sizeof(why));
	FUZZ_ASSERT(obj != NULL);
	canon_of(obj, &again, &r);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(again.len == want->len);
	FUZZ_ASSERT(memcmp(again.data, want->data, want->len) == 0);
	tt_buf_free(&again);
	json_object_put(obj);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char why[512], by[TT_KEY_ID_MAX], digest[80];
	struct tt_buf canon;
	json_object *t;
	int r;

	t = tt_json_parse((const char *)data, size, why, sizeof(why));
	if (t == NULL) {
		FUZZ_ASSERT(FUZZ_TERMINATED(why) && why[0] != '\0');
		return 0;
	}
	canon_of(t, &canon, &r);
	if (r == 0) {
		const char *pretty;

		check_reparse(canon.data, canon.len, &canon);
		pretty = json_object_to_json_string_ext(t,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		        JSON_C_TO_STRING_NOSLASHESCAPE);
		FUZZ_ASSERT(pretty != NULL);
		check_reparse(pretty, strlen(pretty), &canon);
	}
	tt_buf_free(&canon);

	if (json_object_is_type(t, json_type_object)) {
		tt_tattoo_verify(t, NULL, 0, why, sizeof(why), by, sizeof(by));
		FUZZ_ASSERT(FUZZ_TERMINATED(why));
		tt_tattoo_verify(t, &fuzz_key, 1, why, sizeof(why), by,
		    sizeof(by));
		FUZZ_ASSERT(FUZZ_TERMINATED(why) && FUZZ_TERMINATED(by));
		if (tt_tattoo_digest(t, digest, sizeof(digest)) == 0)
			FUZZ_ASSERT(strlen(digest) == 7 + 64);
		(void)tt_json_path(t, "image.version");
		(void)tt_json_path(t, "signature.key_id");
		tt_tattoo_trim_lineage(t);
	}
	json_object_put(t);
	return 0;
}
