/*
 * The write use case (write_run.h).
 */
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "audit_summary.h"
#include "canon.h"
#include "fileio.h"
#include "imds.h"
#include "osrelease.h"
#include "sbom.h"
#include "term.h"
#include "tt.h"
#include "write_run.h"

static void note(const struct tt_write_opts *o, enum tt_log_level level,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
note(const struct tt_write_opts *o, enum tt_log_level level, const char *fmt,
    ...)
{
	char msg[2048];
	va_list ap;

	if (o->note == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	o->note(o->note_arg, level, msg);
}

int
tt_write_parse_source(const char *s, struct tt_write_source *ret)
{
	char *fields[4] = { ret->publisher, ret->offer, ret->sku,
		ret->version };
	size_t sizes[4] = { sizeof(ret->publisher), sizeof(ret->offer),
		sizeof(ret->sku), sizeof(ret->version) };
	const char *p = s;

	/* A URN names no image id: a caller's struct is whole afterwards. */
	ret->id[0] = '\0';
	for (int i = 0; i < 4; i++) {
		const char *end = i < 3 ? strchr(p, ':') : p + strlen(p);
		size_t n;

		if (end == NULL)
			return -EINVAL;
		n = (size_t)(end - p);
		if (n == 0 || n >= sizes[i] || memchr(p, ':', n) != NULL)
			return -EINVAL;
		memcpy(fields[i], p, n);
		fields[i][n] = '\0';
		p = end + 1;
	}
	if (strchr(ret->version, ':') != NULL)
		return -EINVAL;
	ret->origin = "cli";
	return 0;
}

static void
source_from_imds(const struct tt_write_opts *o, struct tt_write_source *src)
{
	struct tt_imds_instance *inst;
	char err[512];
	const char *version, *id;

	src->origin = "unknown";
	if ((inst = calloc(1, sizeof(*inst))) == NULL)
		return;
	if (tt_imds_get_instance(o->cfg, inst, err, sizeof(err)) < 0) {
		/* Off Azure (no IMDS, a 403 from another cloud's metadata
		 * service, a timeout) only the user knows the source. */
		note(o, TT_LOG_INFO,
		    "source image unknown: %s; not on Azure? pass --source "
		    "PUBLISHER:OFFER:SKU:VERSION (or --no-imds)",
		    err);
		free(inst);
		return;
	}
	version = inst->image.version;
	/* "latest" is what was asked for; record what was delivered. */
	if (TT_STREQ(version, "latest"))
		version = inst->image.exact_version[0] ?
		    inst->image.exact_version :
		    inst->version;
	id = inst->image.id[0] ? inst->image.id :
	    inst->image.shared_gallery_image_id[0] ?
				 inst->image.shared_gallery_image_id :
				 inst->image.community_gallery_image_id;
	strlcpy(src->publisher, inst->image.publisher, sizeof(src->publisher));
	strlcpy(src->offer, inst->image.offer, sizeof(src->offer));
	strlcpy(src->sku, inst->image.sku, sizeof(src->sku));
	strlcpy(src->version, version, sizeof(src->version));
	strlcpy(src->id, id, sizeof(src->id));
	if (src->publisher[0] == '\0' && src->id[0] == '\0') {
		note(o, TT_LOG_INFO,
		    "source image unknown: IMDS names no image reference");
	} else {
		src->origin = "imds";
	}
	free(inst);
}

/* The image's newest installed kernel: the running kernel says nothing
 * about an offline tree. */
static void
image_kernel(const struct tt_root *root, char *out, size_t size)
{
	static const char *const dirs[] = { "/usr/lib/modules",
		"/lib/modules" };
	struct utsname u;

	out[0] = '\0';
	if (tt_root_is_host(root)) {
		if (uname(&u) == 0)
			strlcpy(out, u.release, size);
		return;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(dirs) && out[0] == '\0'; i++) {
		int fd = tt_root_open(root, dirs[i], O_RDONLY | O_DIRECTORY, 0);
		struct dirent *de;
		DIR *d;

		if (fd < 0)
			continue;
		if ((d = fdopendir(fd)) == NULL) {
			close(fd);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			if (out[0] == '\0' || strverscmp(de->d_name, out) > 0)
				strlcpy(out, de->d_name, size);
		}
		closedir(d);
	}
}

/*
 * The baseline: the audit summary at write time, when a rule pack applies
 * to the image.  The score is a number in its canonical text (61.1, 100:
 * canon.h), as in status.json; tattoos before it had a string, which
 * verify still accepts.  NULL (and why, said once) otherwise.
 */
static int
baseline(const struct tt_write_opts *o, json_object **ret, char *err,
    size_t errlen)
{
	json_object *sec = NULL, *b, *v, *sum, *tl;
	char why[1024], score[TT_CANON_NUMBER_MAX];
	int r;

	*ret = NULL;
	r = tt_audit_summary_tailored(o->root, o->profile, o->tailoring,
	    TT_AUDIT_TIMEOUT_S, &sec, why, sizeof(why));
	if (r == -ESRCH) {
		note(o, TT_LOG_INFO, "%s: the tattoo has no baseline", why);
		return 0;
	}
	/* A tailoring asked for and not applied would leave a baseline
	 * that claims less than was asked: the write stops. */
	if (r < 0 && o->tailoring != NULL) {
		tt_seterr(err, errlen, "%s", why);
		return r;
	}
	if (r < 0) {
		note(o, TT_LOG_WARN,
		    "cannot audit the image (%s): the tattoo has no "
		    "baseline",
		    why);
		return 0;
	}
	if ((b = json_object_new_object()) == NULL) {
		json_object_put(sec);
		return 0;
	}
	/* The audit's "%.1f" text, shortened: the file shows what is
	 * signed. */
	if (!json_object_object_get_ex(sec, "score", &v) ||
	    tt_canon_number(v, score) < 0) {
		note(o, TT_LOG_WARN,
		    "the audit's score has no canonical form: the tattoo "
		    "has no baseline");
		json_object_put(b);
		json_object_put(sec);
		return 0;
	}
	json_object_object_add(b, "profile",
	    json_object_get(json_object_object_get(sec, "profile")));
	json_object_object_get_ex(sec, "summary", &sum);
	json_object_object_add(b, "summary", json_object_get(sum));
	json_object_object_add(b, "score",
	    json_object_new_double_s(json_object_get_double(v), score));
	json_object_object_add(b, "compliant",
	    json_object_get(json_object_object_get(sec, "compliant")));
	json_object_object_add(b, "rules_digest",
	    json_object_get(json_object_object_get(sec, "rules_digest")));
	/* The tailoring by id and digest: its host path says nothing about
	 * the image. */
	if (json_object_object_get_ex(sec, "tailoring", &v) &&
	    (tl = json_object_new_object()) != NULL) {
		json_object_object_add(tl, "id",
		    json_object_get(json_object_object_get(v, "id")));
		json_object_object_add(tl, "sha256",
		    json_object_get(json_object_object_get(v, "sha256")));
		json_object_object_add(b, "tailoring", tl);
	}
	json_object_put(sec);
	/* The image's pending security updates as its own metadata says
	 * (or why that is unknown): signed with the baseline. */
	if ((v = tt_security_updates(o->root)) != NULL)
		json_object_object_add(b, "security_updates", v);
	*ret = b;
	return 0;
}

/* "golden 1.0.0" of a tattoo, for messages; quoted from the image. */
static void
describe(json_object *t, char *out, size_t outlen)
{
	json_object *n = tt_json_path(t, "image.name");
	json_object *v = tt_json_path(t, "image.version");

	snprintf(out, outlen, "%s %s",
	    n && json_object_is_type(n, json_type_string) ?
		json_object_get_string(n) :
		"?",
	    v && json_object_is_type(v, json_type_string) ?
		json_object_get_string(v) :
		"?");
	tt_term_sanitize(out, outlen, TT_TERM_FIELD);
}

/*
 * Checks the tattoo that is about to become the parent: the lineage a
 * signed tattoo carries must not vouch for what nobody checked.  Returns
 * its status, or UNRECORDED when the write must stop (why in err).
 */
static enum tt_parent_status
check_parent(const struct tt_write_opts *o, json_object *parent,
    struct tt_keyring *trusted, const char *shown, char *key_id, char *err,
    size_t errlen)
{
	enum tt_parent_status s;
	char why[512], name[300];
	const char *keys =
	    o->nparent_keys > 0 ? "--parent-pubkey" : "trusted_keys";

	s = tt_tattoo_check_parent(parent, trusted->key, trusted->n, key_id,
	    why, sizeof(why));
	tt_term_sanitize(why, sizeof(why), TT_TERM_FIELD);
	describe(parent, name, sizeof(name));
	switch (s) {
	case TT_PARENT_VERIFIED:
		note(o, TT_LOG_INFO,
		    "the existing tattoo (%s) is signed by %s, verified "
		    "with %s",
		    name, key_id, keys);
		break;
	case TT_PARENT_UNVERIFIED:
		note(o, TT_LOG_WARN,
		    "the existing tattoo (%s) is not verified: %s; it is "
		    "kept as the parent, marked unverified (give "
		    "--parent-pubkey or trusted_keys to check it)",
		    name, why);
		break;
	case TT_PARENT_UNSIGNED:
		note(o, TT_LOG_WARN,
		    "the existing tattoo (%s) is not signed; it is kept "
		    "as the parent, marked unsigned",
		    name);
		break;
	case TT_PARENT_INVALID:
	default:
		if (!o->allow_untrusted) {
			tt_seterr(err, errlen,
			    "the existing tattoo '%s' (%s) does "
			    "not verify: %s; a new tattoo would carry a "
			    "forged or damaged lineage, so nothing is "
			    "written: move it away to start a new "
			    "lineage, or give --allow-untrusted-parent "
			    "to keep it marked invalid",
			    shown, name, why);
			return TT_PARENT_UNRECORDED;
		}
		note(o, TT_LOG_WARN,
		    "the existing tattoo (%s) does not verify: %s; it is "
		    "kept as the parent, marked invalid "
		    "(--allow-untrusted-parent)",
		    name, why);
		s = TT_PARENT_INVALID;
		break;
	}
	return s;
}

static int
fail(struct tt_write_result *res, enum tt_write_failure f, int r)
{
	res->failure = f;
	return r;
}

/* The tattoo already there, checked against the trusted keys: its status
 * in res->parent.  The keys are read only when there is a parent to check:
 * a first write does not fail on a key file. */
static int
load_parent(const struct tt_write_opts *o, json_object **parent,
    struct tt_write_result *res, char *err, size_t errlen)
{
	struct tt_keyring trusted = { 0 };
	char why[512];
	int r;

	r = tt_tattoo_load(o->root, TT_TATTOO_PATH, parent, why, sizeof(why));
	if (r == -ENOENT)
		return 0;
	if (r < 0) {
		tt_seterr(err, errlen,
		    "the existing tattoo '%s' is unreadable (%s); it would "
		    "become the parent of the new one, so it is left as it "
		    "is: move it away to start a new lineage",
		    res->shown, why);
		return r;
	}
	for (size_t i = 0; i < o->nparent_keys && r == 0; i++)
		if ((r = tt_keyring_add_file(&trusted, o->parent_keys[i], why,
			 sizeof(why))) < 0)
			tt_seterr(err, errlen, "--parent-pubkey: %s", why);
	if (r == 0 && o->nparent_keys == 0 &&
	    (r = tt_keyring_add_list(&trusted, o->cfg->trusted_keys, why,
		 sizeof(why))) < 0)
		tt_seterr(err, errlen, "%s", why);
	if (r == 0) {
		res->parent = check_parent(o, *parent, &trusted, res->shown,
		    res->parent_key_id, err, errlen);
		if (res->parent == TT_PARENT_UNRECORDED)
			r = -EBADMSG;
	}
	tt_keyring_free(&trusted);
	return r;
}

/* The source image and the image's OS into f. */
static int
describe_image(const struct tt_write_opts *o, struct tt_write_source *src,
    struct tt_osrelease *os, char *kernel, size_t kernlen,
    struct tt_tattoo_fields *f, char *err, size_t errlen)
{
	int r;

	if (o->source != NULL)
		*src = *o->source;
	else if (!o->no_imds)
		source_from_imds(o, src);
	else
		note(o, TT_LOG_INFO, "source image unknown: --no-imds");
	if (o->source_id != NULL)
		strlcpy(src->id, o->source_id, sizeof(src->id));
	f->source_publisher = src->publisher;
	f->source_offer = src->offer;
	f->source_sku = src->sku;
	f->source_version = src->version;
	f->source_id = src->id;
	f->source_origin = src->origin;

	r = tt_osrelease_load(os, o->root);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot read os-release: %s",
		    tt_strerror(r));
		return r;
	}
	if (r == -ENOENT)
		note(o, TT_LOG_WARN,
		    "no /etc/os-release or /usr/lib/os-release: the OS "
		    "fields stay empty");
	f->os_id = tt_osrelease_get(os, "ID");
	f->os_version_id = tt_osrelease_get(os, "VERSION_ID");
	f->os_pretty_name = tt_osrelease_get(os, "PRETTY_NAME");
	image_kernel(o->root, kernel, kernlen);
	f->kernel = kernel;
	return 0;
}

/* --sign-keyvault: the token and the key version, from the start of the
 * run to the signature. */
struct kv_signer {
	struct tt_token_cache tokens;
	char kid[TT_KEY_ID_MAX];
};

static int
kv_fail(struct tt_write_result *res, enum tt_kv_failure kf, int r,
    const char *why, char *err, size_t errlen)
{
	tt_seterr(err, errlen,
	    "--sign-keyvault: %s; nothing is written, the previous tattoo, "
	    "if any, is intact",
	    why);
	return fail(res,
	    kf == TT_KV_FAILED_KEY ? TT_WRITE_FAILED_INPUT :
				     TT_WRITE_FAILED_ENV,
	    r);
}

/* Reads the Key Vault key before the slow part of the run (the audit):
 * a missing role, key or token stops the write at once. */
static int
resolve_keyvault(const struct tt_write_opts *o, struct kv_signer *kv,
    struct tt_write_result *res, char *err, size_t errlen)
{
	enum tt_kv_failure kf;
	char why[1024];
	int r;

	r = tt_kv_resolve(o->cfg, &kv->tokens, o->sign_keyvault, kv->kid, &kf,
	    why, sizeof(why));
	return r < 0 ? kv_fail(res, kf, r, why, err, errlen) : 0;
}

/* Signs the sealed t's digest with the Key Vault key (ES256); nothing is
 * stored when it cannot: the previous tattoo stays. */
static int
sign_keyvault(const struct tt_write_opts *o, struct kv_signer *kv,
    json_object *t, struct tt_write_result *res, char *err, size_t errlen)
{
	uint8_t raw[TT_SHA256_LEN], sig[TT_ES256_SIG_LEN];
	enum tt_kv_failure kf;
	char why[1024];
	int r;

	if ((r = tt_tattoo_digest_bytes(t, raw)) < 0) {
		tt_seterr(err, errlen, "cannot seal the tattoo: %s",
		    tt_strerror(r));
		return fail(res, TT_WRITE_FAILED_ENV, r);
	}
	r = tt_kv_sign_digest(o->cfg, &kv->tokens, o->sign_keyvault, kv->kid,
	    raw, sig, &kf, why, sizeof(why));
	if (r < 0)
		return kv_fail(res, kf, r, why, err, errlen);
	if ((r = tt_tattoo_set_signature(t, "ES256", kv->kid, sig,
		 sizeof(sig))) < 0) {
		tt_seterr(err, errlen, "cannot seal the tattoo: %s",
		    tt_strerror(r));
		return fail(res, TT_WRITE_FAILED_ENV, r);
	}
	strlcpy(res->signed_by, kv->kid, sizeof(res->signed_by));
	res->sealed_with_key = true;
	return 0;
}

/* Seals t and stores it in place of the old one. */
static int
seal_store(const struct tt_write_opts *o, json_object *t, EVP_PKEY *key,
    struct kv_signer *kv, struct tt_write_result *res, char *err, size_t errlen)
{
	char why[PATH_MAX + 256];
	int r;

	/* --sbom: the SBOM's digest goes in before the seal covers it. */
	if (o->sbom &&
	    (r = tt_sbom_write_image(o->root, t, why, sizeof(why))) < 0) {
		tt_seterr(err, errlen, "--sbom: %s", why);
		return fail(res, TT_WRITE_FAILED_ENV, r);
	}
	r = tt_tattoo_seal(t, key, o->key_id);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot seal the tattoo: %s",
		    r == -EILSEQ ? "a value is not valid UTF-8" :
				   tt_strerror(r));
		return fail(res,
		    r == -EILSEQ ? TT_WRITE_FAILED_USAGE : TT_WRITE_FAILED_ENV,
		    r);
	}
	if (o->sign_keyvault != NULL &&
	    (r = sign_keyvault(o, kv, t, res, err, errlen)) < 0)
		return r;
	r = tt_tattoo_store(o->root, TT_TATTOO_PATH, t);
	if (r == -TT_ENOTDURABLE) {
		/* The new tattoo is in place: "the previous one is intact"
		 * would be false. */
		tt_seterr(err, errlen,
		    "'%s' was replaced but may not survive a crash: %s; check "
		    "the disk and write again",
		    res->shown, tt_strerror(r));
		return fail(res, TT_WRITE_FAILED_ENV, r);
	}
	if (r < 0) {
		tt_seterr(err, errlen,
		    "cannot write '%s': %s; the previous tattoo, if any, is "
		    "intact",
		    res->shown, tt_strerror(r));
		return fail(res, TT_WRITE_FAILED_ENV, r);
	}
	tt_tattoo_digest(t, res->digest, sizeof(res->digest));
	return 0;
}

int
tt_write_run(const struct tt_write_opts *o, struct tt_write_result *res,
    char *err, size_t errlen)
{
	struct tt_tattoo_fields f = o->fields;
	struct tt_write_source src = { .origin = "unknown" };
	struct tt_osrelease os = { 0 };
	json_object *parent = NULL, *t = NULL, *base = NULL;
	EVP_PKEY *key = NULL;
	struct kv_signer kv = { 0 };
	char why[512], kernel[256];
	int r;

	res->parent = TT_PARENT_UNRECORDED;
	res->failure = TT_WRITE_FAILED_NONE;
	res->signed_by[0] = '\0';
	res->origin = "unknown";
	tt_root_host_path(o->root, TT_TATTOO_PATH, res->shown,
	    sizeof(res->shown));
	if (o->sign_key != NULL &&
	    (r = tt_key_load(o->sign_key, true, &key, why, sizeof(why))) < 0) {
		tt_seterr(err, errlen, "%s", why);
		return fail(res, TT_WRITE_FAILED_INPUT, r);
	}
	res->sealed_with_key = key != NULL;
	if (o->sign_keyvault != NULL &&
	    (r = resolve_keyvault(o, &kv, res, err, errlen)) < 0)
		goto out;
	if ((r = load_parent(o, &parent, res, err, errlen)) < 0 ||
	    (r = describe_image(o, &src, &os, kernel, sizeof(kernel), &f, err,
		 errlen)) < 0) {
		fail(res, TT_WRITE_FAILED_INPUT, r);
		goto out;
	}
	res->origin = src.origin;
	if ((r = baseline(o, &base, err, errlen)) < 0) {
		fail(res,
		    r == -ENOMEM ? TT_WRITE_FAILED_ENV : TT_WRITE_FAILED_INPUT,
		    r);
		goto out;
	}
	t = tt_tattoo_build(&f, base, parent);
	parent = NULL;
	/* Next to the parent and inside the digest: the signature of the
	 * new tattoo vouches for what was checked, and no more. */
	if (t != NULL && res->parent != TT_PARENT_UNRECORDED &&
	    tt_tattoo_set_parent_verified(t, res->parent, res->parent_key_id) <
		0) {
		json_object_put(t);
		t = NULL;
	}
	if (t == NULL) {
		tt_seterr(err, errlen, "out of memory");
		r = fail(res, TT_WRITE_FAILED_ENV, -ENOMEM);
		goto out;
	}
	r = seal_store(o, t, key, &kv, res, err, errlen);
out:
	tt_token_cache_free(&kv.tokens);
	json_object_put(parent);
	json_object_put(t);
	EVP_PKEY_free(key);
	tt_osrelease_free(&os);
	return r;
}
