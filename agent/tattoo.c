#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fileio.h"
#include "tattoo.h"
#include "log.h"
#include "tt.h"

static int
add_string(json_object *obj, const char *key, const char *value, bool optional)
{
	json_object *s;

	if (value == NULL || value[0] == '\0') {
		if (optional)
			return 0;
		value = "";
	}
	if ((s = json_object_new_string(value)) == NULL)
		return -ENOMEM;
	if (json_object_object_add(obj, key, s) != 0) {
		json_object_put(s);
		return -ENOMEM;
	}
	return 0;
}

static int
add_object(json_object *parent, const char *key, json_object *child)
{
	if (child == NULL)
		return -ENOMEM;
	if (json_object_object_add(parent, key, child) != 0) {
		json_object_put(child);
		return -ENOMEM;
	}
	return 0;
}

json_object *
tt_tattoo_build(const struct tt_tattoo_fields *f, json_object *baseline,
    json_object *parent)
{
	json_object *t, *src, *os, *img, *build;
	int r = 0;

	t = json_object_new_object();
	src = json_object_new_object();
	os = json_object_new_object();
	img = json_object_new_object();
	build = json_object_new_object();
	if (t == NULL || src == NULL || os == NULL || img == NULL ||
	    build == NULL) {
		json_object_put(src);
		json_object_put(os);
		json_object_put(img);
		json_object_put(build);
		goto fail;
	}
	r |= add_object(t, "schema", json_object_new_int(TT_TATTOO_SCHEMA));
	r |= add_string(t, "agent_version", TT_VERSION, false);

	r |= add_string(src, "publisher", f->source_publisher, false);
	r |= add_string(src, "offer", f->source_offer, false);
	r |= add_string(src, "sku", f->source_sku, false);
	r |= add_string(src, "version", f->source_version, false);
	r |= add_string(src, "id", f->source_id, true);
	r |= add_string(src, "origin", f->source_origin, false);
	r |= add_object(t, "source", src);

	r |= add_string(os, "id", f->os_id, false);
	r |= add_string(os, "version_id", f->os_version_id, false);
	r |= add_string(os, "pretty_name", f->os_pretty_name, false);
	r |= add_string(os, "kernel", f->kernel, false);
	r |= add_object(t, "os", os);

	r |= add_string(img, "name", f->image_name, false);
	r |= add_string(img, "version", f->image_version, false);
	r |= add_string(img, "published", f->published, false);
	r |= add_string(img, "gallery", f->gallery, true);
	r |= add_object(t, "image", img);

	r |= add_string(build, "id", f->build_id, true);
	r |= add_string(build, "template", f->build_template, true);
	r |= add_string(build, "pipeline_url", f->build_pipeline_url, true);
	r |= add_string(build, "builder", f->build_builder, true);
	r |= add_object(t, "build", build);
	if (r != 0)
		goto fail;
	if (baseline != NULL) {
		r = add_object(t, "baseline", baseline);
		baseline = NULL;
		if (r != 0)
			goto fail;
	}
	if (parent != NULL) {
		r = add_object(t, "parent", parent);
		parent = NULL;
		if (r != 0)
			goto fail;
		tt_tattoo_trim_lineage(t);
	}
	return t;
fail:
	json_object_put(baseline);
	json_object_put(parent);
	json_object_put(t);
	return NULL;
}

void
tt_tattoo_trim_lineage(json_object *t)
{
	json_object *cur = t, *next;

	for (int gen = 1; gen < TT_TATTOO_MAX_GENERATIONS; gen++) {
		if (!json_object_object_get_ex(cur, "parent", &next) ||
		    !json_object_is_type(next, json_type_object))
			return;
		cur = next;
	}
	if (json_object_object_get_ex(cur, "parent", NULL)) {
		json_object_object_del(cur, "parent");
		json_object_object_add(cur, "lineage_truncated",
		    json_object_new_boolean(1));
	}
}

/* The object without its seal, as a shallow copy sharing children. */
static json_object *
unsealed_view(json_object *tattoo)
{
	json_object *view = json_object_new_object();

	if (view == NULL)
		return NULL;
	json_object_object_foreach(tattoo, k, v)
	{
		if (TT_STREQ(k, "digest") || TT_STREQ(k, "signature"))
			continue;
		json_object_object_add(view, k, json_object_get(v));
	}
	return view;
}

static int
digest_raw(json_object *tattoo, uint8_t out[TT_SHA256_LEN])
{
	struct tt_buf canon;
	json_object *view;
	int r;

	if ((view = unsealed_view(tattoo)) == NULL)
		return -ENOMEM;
	tt_buf_init(&canon, 16 * TT_TATTOO_MAX_BYTES);
	r = tt_canon_json(view, &canon);
	if (r == 0)
		tt_sha256(canon.data, canon.len, out);
	tt_buf_free(&canon);
	json_object_put(view);
	return r;
}

int
tt_tattoo_digest(json_object *tattoo, char *out, size_t outlen)
{
	uint8_t raw[TT_SHA256_LEN];
	int r;

	if (outlen < 7 + 2 * TT_SHA256_LEN + 1)
		return -ENOBUFS;
	if ((r = digest_raw(tattoo, raw)) < 0)
		return r;
	strlcpy(out, "sha256:", outlen);
	tt_hex(raw, sizeof(raw), out + 7);
	return 0;
}

int
tt_tattoo_seal(json_object *tattoo, EVP_PKEY *key, const char *key_id)
{
	uint8_t raw[TT_SHA256_LEN], sig[64];
	char digest[80], id[TT_KEY_ID_MAX];
	int r;

	json_object_object_del(tattoo, "digest");
	json_object_object_del(tattoo, "signature");
	if ((r = digest_raw(tattoo, raw)) < 0)
		return r;
	memcpy(digest, "sha256:", 7);
	tt_hex(raw, sizeof(raw), digest + 7);
	if ((r = add_string(tattoo, "digest", digest, false)) < 0)
		return r;
	if (key == NULL)
		return 0;
	if ((r = tt_ed25519_sign(key, raw, sizeof(raw), sig)) < 0)
		return r;
	if (key_id == NULL || key_id[0] == '\0') {
		if ((r = tt_key_id(key, id)) < 0)
			return r;
		key_id = id;
	}
	return tt_tattoo_set_signature(tattoo, "ed25519", key_id, sig,
	    sizeof(sig));
}

int
tt_tattoo_digest_bytes(json_object *tattoo, uint8_t out[TT_SHA256_LEN])
{
	return digest_raw(tattoo, out);
}

int
tt_tattoo_set_signature(json_object *tattoo, const char *alg,
    const char *key_id, const uint8_t *sig, size_t len)
{
	json_object *s;
	char *b64;
	int r;

	if (key_id == NULL || key_id[0] == '\0' ||
	    strlen(key_id) >= TT_KEY_ID_MAX)
		return -EINVAL;
	if ((b64 = tt_base64_encode(sig, len)) == NULL)
		return -ENOMEM;
	s = json_object_new_object();
	r = s == NULL ? -ENOMEM : 0;
	if (r == 0)
		r = add_string(s, "alg", alg, false) |
		    add_string(s, "key_id", key_id, false) |
		    add_string(s, "value", b64, false);
	free(b64);
	if (r != 0) {
		json_object_put(s);
		return -ENOMEM;
	}
	json_object_object_del(tattoo, "signature");
	return add_object(tattoo, "signature", s);
}

static const char *
get_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The shape every tattoo must have; what a reader relies on. */
static bool
well_formed(json_object *t, char *why, size_t whylen)
{
	static const char *const sections[] = { "source", "os", "image" };
	json_object *v;

	if (!json_object_is_type(t, json_type_object)) {
		tt_seterr(why, whylen, "not a JSON object");
		return false;
	}
	if (!json_object_object_get_ex(t, "schema", &v) ||
	    !json_object_is_type(v, json_type_int)) {
		tt_seterr(why, whylen,
		    "field 'schema' is missing or not an "
		    "integer");
		return false;
	}
	if (json_object_get_int64(v) != TT_TATTOO_SCHEMA) {
		tt_seterr(why, whylen,
		    "unsupported schema %lld (this agent "
		    "reads %d)",
		    (long long)json_object_get_int64(v), TT_TATTOO_SCHEMA);
		return false;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(sections); i++) {
		if (!json_object_object_get_ex(t, sections[i], &v) ||
		    !json_object_is_type(v, json_type_object)) {
			tt_seterr(why, whylen,
			    "field '%s' is missing or not "
			    "an object",
			    sections[i]);
			return false;
		}
	}
	if (get_str(t, "digest") == NULL) {
		tt_seterr(why, whylen, "field 'digest' is missing");
		return false;
	}
	return true;
}

static const char *const signature_members[] = { "alg", "key_id", "value" };

static const char *
unknown_member(json_object *s)
{
	json_object_object_foreach(s, k, v)
	{
		bool known = false;

		(void)v;
		for (size_t i = 0; i < TT_ARRAY_SIZE(signature_members); i++)
			known |= TT_STREQ(k, signature_members[i]);
		if (!known)
			return k;
	}
	return NULL;
}

const char *
tt_tattoo_signature_unknown(json_object *tattoo)
{
	json_object *s;

	if (!json_object_object_get_ex(tattoo, "signature", &s) ||
	    !json_object_is_type(s, json_type_object))
		return NULL;
	return unknown_member(s);
}

/*
 * The signature's shape, before any key: an object of exactly alg
 * ("ed25519", or "ES256" from a Key Vault key), key_id and a value of 64
 * bytes in base64 (ES256: r||s as JOSE writes it).  The signature is
 * outside the digest, so nothing in it is authenticated: a member this
 * agent does not know ("trusted": true, a second key id) is refused
 * rather than ignored, lest some reader believe it.  *ret_alg points into
 * s.
 */
static bool
signature_shape(json_object *s, uint8_t sig[64], const char **ret_alg,
    char *why, size_t whylen)
{
	const char *alg, *key_id, *value, *unknown;
	uint8_t buf[128];
	int n;

	if (!json_object_is_type(s, json_type_object)) {
		tt_seterr(why, whylen, "field 'signature' is not an object");
		return false;
	}
	if ((unknown = unknown_member(s)) != NULL) {
		tt_seterr(why, whylen,
		    "field 'signature' has an unknown member '%.64s': refused "
		    "(only alg, key_id and value are defined)",
		    unknown);
		return false;
	}
	alg = get_str(s, "alg");
	key_id = get_str(s, "key_id");
	value = get_str(s, "value");
	if (alg == NULL || key_id == NULL || value == NULL ||
	    !(TT_STREQ(alg, "ed25519") || TT_STREQ(alg, "ES256")) ||
	    key_id[0] == '\0') {
		tt_seterr(why, whylen,
		    "field 'signature' is malformed (needs "
		    "alg \"ed25519\" or \"ES256\", key_id and value)");
		return false;
	}
	n = tt_base64_decode(value, strlen(value), buf, sizeof(buf));
	if (n != 64) {
		tt_seterr(why, whylen,
		    "field 'signature' is malformed: its value is not 64 "
		    "bytes in base64");
		return false;
	}
	memcpy(sig, buf, 64);
	*ret_alg = alg;
	return true;
}

enum tt_verify_result
tt_tattoo_verify_ex(json_object *tattoo, EVP_PKEY **keys, size_t nkeys,
    char *why, size_t whylen, int *key_index)
{
	char digest[80], id[TT_KEY_ID_MAX];
	uint8_t raw[TT_SHA256_LEN], sig[64];
	const char *stored, *key_id, *alg;
	json_object *s;
	int r;

	why[0] = '\0';
	*key_index = -1;
	if (!well_formed(tattoo, why, whylen))
		return TT_VERIFY_MALFORMED;
	stored = get_str(tattoo, "digest");
	r = digest_raw(tattoo, raw);
	if (r < 0) {
		tt_seterr(why, whylen, "cannot compute the digest: %s",
		    r == -EILSEQ   ? "a string is not valid UTF-8" :
			r == -EDOM ? "a number is not an integer" :
				     tt_strerror(r));
		return TT_VERIFY_MALFORMED;
	}
	memcpy(digest, "sha256:", 7);
	tt_hex(raw, sizeof(raw), digest + 7);
	if (!TT_STREQ(digest, stored)) {
		tt_seterr(why, whylen,
		    "digest mismatch: the tattoo says %.80s "
		    "but its content hashes to %s",
		    stored, digest);
		return TT_VERIFY_DIGEST_MISMATCH;
	}
	if (!json_object_object_get_ex(tattoo, "signature", &s)) {
		if (nkeys > 0) {
			tt_seterr(why, whylen, "the tattoo is not signed");
			return TT_VERIFY_UNSIGNED;
		}
		return TT_VERIFY_VALID;
	}
	if (!signature_shape(s, sig, &alg, why, whylen))
		return TT_VERIFY_MALFORMED;
	key_id = get_str(s, "key_id");
	if (nkeys == 0) {
		tt_seterr(why, whylen,
		    "signature by '%.255s' not checked: no trusted key "
		    "(--pubkey, trusted_keys)",
		    key_id);
		return TT_VERIFY_VALID;
	}
	for (size_t i = 0; i < nkeys; i++) {
		if (tt_key_id(keys[i], id) < 0 || !TT_STREQ(id, key_id))
			continue;
		if (tt_sig_verify(keys[i], alg, raw, sig, 64) != 0) {
			tt_seterr(why, whylen, "bad signature for key '%.255s'",
			    key_id);
			return TT_VERIFY_BAD_SIGNATURE;
		}
		*key_index = (int)i;
		return TT_VERIFY_VALID;
	}
	/* A key id chosen with --key-id cannot be derived from the key: the
	 * key that verifies the signature is the one; so with the key URL Key
	 * Vault returned, which names no key material.  None verifying is an
	 * unknown key: it cannot tell a damaged signature from a stranger's. */
	if (strncmp(key_id, "ed25519:", 8) != 0 &&
	    strncmp(key_id, "p256:", 5) != 0) {
		for (size_t i = 0; i < nkeys; i++) {
			if (tt_sig_verify(keys[i], alg, raw, sig, 64) == 0) {
				*key_index = (int)i;
				return TT_VERIFY_VALID;
			}
		}
	}
	tt_seterr(why, whylen,
	    "signed by unknown key '%.255s' (none of the %zu trusted keys "
	    "verifies it)",
	    key_id, nkeys);
	return TT_VERIFY_UNKNOWN_KEY;
}

enum tt_verify_result
tt_tattoo_verify(json_object *tattoo, EVP_PKEY **keys, size_t nkeys, char *why,
    size_t whylen, char *signed_by, size_t signed_by_len)
{
	enum tt_verify_result v;
	int idx;

	if (signed_by_len > 0)
		signed_by[0] = '\0';
	v = tt_tattoo_verify_ex(tattoo, keys, nkeys, why, whylen, &idx);
	if (v == TT_VERIFY_VALID && idx >= 0 && signed_by_len > 0)
		strlcpy(signed_by,
		    get_str(tt_json_path(tattoo, "signature"), "key_id"),
		    signed_by_len);
	return v;
}

const char *
tt_verify_word(enum tt_verify_result v, bool have_keys)
{
	if (!have_keys)
		return v == TT_VERIFY_VALID ? "digest-ok" : "invalid";
	switch (v) {
	case TT_VERIFY_VALID: return "valid";
	case TT_VERIFY_UNSIGNED: return "unsigned";
	case TT_VERIFY_UNKNOWN_KEY: return "untrusted";
	default: return "invalid";
	}
}

static const char *const parent_names[] = {
	[TT_PARENT_UNRECORDED] = "unrecorded",
	[TT_PARENT_VERIFIED] = "verified",
	[TT_PARENT_UNVERIFIED] = "unverified",
	[TT_PARENT_UNSIGNED] = "unsigned",
	[TT_PARENT_INVALID] = "invalid",
};

const char *
tt_parent_status_name(enum tt_parent_status s)
{
	return (size_t)s < TT_ARRAY_SIZE(parent_names) ? parent_names[s] :
							 "unrecorded";
}

enum tt_parent_status
tt_tattoo_check_parent(json_object *parent, EVP_PKEY **keys, size_t nkeys,
    char *key_id, char *why, size_t whylen)
{
	enum tt_verify_result v;
	int idx;

	key_id[0] = '\0';
	v = tt_tattoo_verify_ex(parent, keys, nkeys, why, whylen, &idx);
	switch (v) {
	case TT_VERIFY_VALID:
		if (idx >= 0) {
			if (tt_key_id(keys[idx], key_id) < 0)
				strlcpy(key_id, "?", TT_KEY_ID_MAX);
			return TT_PARENT_VERIFIED;
		}
		if (json_object_object_get_ex(parent, "signature", NULL))
			return TT_PARENT_UNVERIFIED;
		tt_seterr(why, whylen, "the tattoo is not signed");
		return TT_PARENT_UNSIGNED;
	case TT_VERIFY_UNSIGNED: return TT_PARENT_UNSIGNED;
	case TT_VERIFY_UNKNOWN_KEY: return TT_PARENT_UNVERIFIED;
	default: return TT_PARENT_INVALID;
	}
}

int
tt_tattoo_set_parent_verified(json_object *t, enum tt_parent_status s,
    const char *key_id)
{
	json_object *o = json_object_new_object();
	int r;

	if (o == NULL)
		return -ENOMEM;
	r = add_string(o, "status", tt_parent_status_name(s), false);
	if (r == 0 && s == TT_PARENT_VERIFIED)
		r = add_string(o, "key_id", key_id, false);
	if (r != 0) {
		json_object_put(o);
		return r;
	}
	return add_object(t, "parent_verified", o);
}

enum tt_parent_status
tt_tattoo_parent_record(json_object *t, char *key_id, size_t len)
{
	json_object *pv;
	const char *st, *id;

	if (len > 0)
		key_id[0] = '\0';
	if (!json_object_object_get_ex(t, "parent_verified", &pv) ||
	    !json_object_is_type(pv, json_type_object) ||
	    (st = get_str(pv, "status")) == NULL)
		return TT_PARENT_UNRECORDED;
	for (size_t i = 1; i < TT_ARRAY_SIZE(parent_names); i++) {
		if (!TT_STREQ(st, parent_names[i]))
			continue;
		if (i == TT_PARENT_VERIFIED) {
			/* "verified" without the key that did it says
			 * nothing. */
			if ((id = get_str(pv, "key_id")) == NULL ||
			    id[0] == '\0')
				return TT_PARENT_UNRECORDED;
			strlcpy(key_id, id, len);
		}
		return (enum tt_parent_status)i;
	}
	return TT_PARENT_UNRECORDED;
}

bool
tt_tattoo_lineage_cut(json_object *t)
{
	for (int gen = 0; t != NULL && gen <= TT_TATTOO_MAX_GENERATIONS;
	     gen++) {
		if (json_object_object_get_ex(t, "lineage_truncated", NULL))
			return true;
		t = tt_json_path(t, "parent");
		if (t != NULL && !json_object_is_type(t, json_type_object))
			return false;
	}
	return false;
}

int
tt_tattoo_load(const struct tt_root *root, const char *path, json_object **ret,
    char *why, size_t whylen)
{
	struct tt_buf text;
	json_object *obj;
	int r;

	r = tt_read_file(root, path, TT_TATTOO_MAX_BYTES, &text);
	if (r < 0) {
		tt_seterr(why, whylen, "%s",
		    r == -EFBIG ? "larger than 1 MiB" : tt_strerror(r));
		return r;
	}
	obj = tt_json_parse(text.data, text.len, why, whylen);
	tt_buf_free(&text);
	if (obj == NULL)
		return -EBADMSG;
	if (!json_object_is_type(obj, json_type_object)) {
		tt_seterr(why, whylen, "not a JSON object");
		json_object_put(obj);
		return -EBADMSG;
	}
	*ret = obj;
	return 0;
}

int
tt_tattoo_store(const struct tt_root *root, const char *path,
    json_object *tattoo)
{
	char dir[PATH_MAX];
	const char *text, *slash;
	size_t len;
	int r;

	slash = strrchr(path, '/');
	if (slash != NULL && slash != path) {
		len = (size_t)(slash - path);
		if (len >= sizeof(dir))
			return -ENAMETOOLONG;
		memcpy(dir, path, len);
		dir[len] = '\0';
		if ((r = tt_root_mkdir_p(root, dir, 0755)) < 0)
			return r;
	}
	text = json_object_to_json_string_ext(tattoo,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		return -ENOMEM;
	{
		struct tt_buf out;

		tt_buf_init(&out, 16 * TT_TATTOO_MAX_BYTES);
		r = tt_buf_puts(&out, text);
		if (r == 0)
			r = tt_buf_putc(&out, '\n');
		if (r == 0 && out.len > TT_TATTOO_MAX_BYTES)
			r = -EFBIG;
		if (r == 0)
			r = tt_atomic_write(root, path, out.data, out.len,
			    0644);
		tt_buf_free(&out);
	}
	return r;
}

json_object *
tt_json_path(json_object *obj, const char *path)
{
	char part[256];

	while (obj != NULL && *path != '\0') {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		json_object *next;

		if (n == 0 || n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		if (!json_object_is_type(obj, json_type_object) ||
		    !json_object_object_get_ex(obj, part, &next))
			return NULL;
		obj = next;
		path += n + (dot ? 1 : 0);
		if (dot != NULL && *path == '\0')
			return NULL;
	}
	return obj;
}

const char *
tt_json_path_str(json_object *obj, const char *path)
{
	json_object *v = tt_json_path(obj, path);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) :
	    "";
}
