#include <dirent.h>
#include <fcntl.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "audit_summary.h"
#include "cli.h"
#include "crypto.h"
#include "fileio.h"
#include "imds.h"
#include "log.h"
#include "osrelease.h"
#include "sbom.h"
#include "tattoo.h"
#include "term.h"
#include "timeutil.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo write --image-name NAME --image-version VERSION [OPTIONS]\n"
    "\n"
    "Writes the signed record of this image to /etc/tattoo/tattoo.json\n"
    "(inside --root).  A tattoo already there becomes the new one's parent.\n"
    "\n"
    "  --image-name NAME        the custom image's name\n"
    "  --image-version VERSION  its version, e.g. the gallery version 1.4.0\n"
    "  --published TIME         RFC 3339 publish time (default: now, UTC)\n"
    "  --gallery ID             gallery image resource id\n"
    "  --source P:O:S:V         source image publisher:offer:sku:version\n"
    "                           (default: IMDS imageReference when on Azure)\n"
    "  --source-id ID           source image resource id (gallery images)\n"
    "  --build-id ID            the build that made the image\n"
    "  --template NAME          the image template\n"
    "  --pipeline-url URL       the pipeline run\n"
    "  --builder TEXT           the builder (free-form)\n"
    "  --sign-key FILE          Ed25519 private key (PEM) to sign with\n"
    "  --key-id ID              key id to record (default: derived from key)\n"
    "  --parent-pubkey FILE     a public key (PEM) trusted to have signed the\n"
    "                           existing tattoo; repeat for several (default:\n"
    "                           the keys of trusted_keys)\n"
    "  --allow-untrusted-parent keep an existing tattoo that fails its digest\n"
    "                           or signature check as parent, marked invalid\n"
    "  --no-imds                do not ask IMDS for the source image\n"
    "  --sbom                   also write /etc/tattoo/sbom.cdx.json and\n"
    "                           record its SHA-256 in the tattoo\n"
    "\n"
    "The existing tattoo's signature is checked before it becomes the\n"
    "parent; the new tattoo records the outcome in \"parent_verified\"\n"
    "(verified, unverified, unsigned or invalid).  An unverified or unsigned\n"
    "parent is kept with a warning; an invalid one is refused (exit 3).\n";

enum {
	OPT_NAME = TT_OPT_FIRST_COMMAND_OPT,
	OPT_VERSION,
	OPT_PUBLISHED,
	OPT_GALLERY,
	OPT_SOURCE,
	OPT_SOURCE_ID,
	OPT_BUILD_ID,
	OPT_TEMPLATE,
	OPT_PIPELINE,
	OPT_BUILDER,
	OPT_SIGN_KEY,
	OPT_KEY_ID,
	OPT_NO_IMDS,
	OPT_PARENT_PUBKEY,
	OPT_ALLOW_UNTRUSTED_PARENT,
	OPT_SBOM,
};

#define MAX_PARENT_KEYS TT_KEYRING_MAX

struct source {
	char publisher[256], offer[256], sku[256], version[128], id[1024];
	const char *origin;
};

/* PUBLISHER:OFFER:SKU:VERSION, each part non-empty, as `az vm image list`
 * prints a URN. */
static int
parse_source(const char *s, struct source *ret)
{
	char *fields[4] = { ret->publisher, ret->offer, ret->sku,
		ret->version };
	size_t sizes[4] = { sizeof(ret->publisher), sizeof(ret->offer),
		sizeof(ret->sku), sizeof(ret->version) };
	const char *p = s;

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
source_from_imds(struct tt_ctx *ctx, struct source *src)
{
	struct tt_imds_instance *inst;
	char err[512];
	const char *version, *id;

	src->origin = "unknown";
	if ((inst = calloc(1, sizeof(*inst))) == NULL)
		return;
	if (tt_imds_get_instance(&ctx->cfg, inst, err, sizeof(err)) < 0) {
		tt_info("source image unknown: %s", err);
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
		tt_info("source image unknown: IMDS names no image reference");
	} else {
		src->origin = "imds";
	}
	free(inst);
}

/* The image's newest installed kernel: the running kernel says nothing
 * about an offline tree. */
static void
image_kernel(struct tt_ctx *ctx, char *out, size_t size)
{
	static const char *const dirs[] = { "/usr/lib/modules",
		"/lib/modules" };
	struct utsname u;

	out[0] = '\0';
	if (tt_root_is_host(&ctx->root)) {
		if (uname(&u) == 0)
			strlcpy(out, u.release, size);
		return;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(dirs) && out[0] == '\0'; i++) {
		int fd = tt_root_open(&ctx->root, dirs[i],
		    O_RDONLY | O_DIRECTORY, 0);
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
 * to the image.  The score is a string: the tattoo's canonical form has
 * no floating point numbers.  NULL (and why, said once) otherwise.
 */
static json_object *
baseline(struct tt_ctx *ctx)
{
	json_object *sec = NULL, *b, *v, *sum;
	char why[1024], score[32];
	int r;

	r = tt_audit_summary(&ctx->root, tt_ctx_profile(ctx),
	    TT_AUDIT_TIMEOUT_S, &sec, why, sizeof(why));
	if (r == -ESRCH) {
		tt_info("%s: the tattoo has no baseline", why);
		return NULL;
	}
	if (r < 0) {
		tt_warn("cannot audit the image (%s): the tattoo has no "
			"baseline",
		    why);
		return NULL;
	}
	if ((b = json_object_new_object()) == NULL) {
		json_object_put(sec);
		return NULL;
	}
	json_object_object_get_ex(sec, "score", &v);
	snprintf(score, sizeof(score), "%.1f", json_object_get_double(v));
	json_object_object_add(b, "profile",
	    json_object_get(json_object_object_get(sec, "profile")));
	json_object_object_get_ex(sec, "summary", &sum);
	json_object_object_add(b, "summary", json_object_get(sum));
	json_object_object_add(b, "score", json_object_new_string(score));
	json_object_object_add(b, "compliant",
	    json_object_get(json_object_object_get(sec, "compliant")));
	json_object_object_add(b, "rules_digest",
	    json_object_get(json_object_object_get(sec, "rules_digest")));
	json_object_put(sec);
	return b;
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
 * its status, or UNRECORDED when the write must stop (said here).
 */
static enum tt_parent_status
check_parent(json_object *parent, struct tt_keyring *trusted, const char *shown,
    bool from_cli, char *key_id, bool allow_untrusted)
{
	enum tt_parent_status s;
	char why[512], name[300];
	const char *keys = from_cli ? "--parent-pubkey" : "trusted_keys";

	s = tt_tattoo_check_parent(parent, trusted->key, trusted->n, key_id,
	    why, sizeof(why));
	tt_term_sanitize(why, sizeof(why), TT_TERM_FIELD);
	describe(parent, name, sizeof(name));
	switch (s) {
	case TT_PARENT_VERIFIED:
		tt_info("the existing tattoo (%s) is signed by %s, verified "
			"with %s",
		    name, key_id, keys);
		break;
	case TT_PARENT_UNVERIFIED:
		tt_warn("the existing tattoo (%s) is not verified: %s; it is "
			"kept as the parent, marked unverified (give "
			"--parent-pubkey or trusted_keys to check it)",
		    name, why);
		break;
	case TT_PARENT_UNSIGNED:
		tt_warn("the existing tattoo (%s) is not signed; it is kept "
			"as the parent, marked unsigned",
		    name);
		break;
	case TT_PARENT_INVALID:
	default:
		if (!allow_untrusted) {
			tt_error("write: the existing tattoo '%s' (%s) does "
				 "not verify: %s; a new tattoo would carry a "
				 "forged or damaged lineage, so nothing is "
				 "written: move it away to start a new "
				 "lineage, or give --allow-untrusted-parent "
				 "to keep it marked invalid",
			    shown, name, why);
			return TT_PARENT_UNRECORDED;
		}
		tt_warn("the existing tattoo (%s) does not verify: %s; it is "
			"kept as the parent, marked invalid "
			"(--allow-untrusted-parent)",
		    name, why);
		s = TT_PARENT_INVALID;
		break;
	}
	return s;
}

int
cmd_write(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "image-name", required_argument, NULL, OPT_NAME },
		{ "image-version", required_argument, NULL, OPT_VERSION },
		{ "published", required_argument, NULL, OPT_PUBLISHED },
		{ "gallery", required_argument, NULL, OPT_GALLERY },
		{ "source", required_argument, NULL, OPT_SOURCE },
		{ "source-id", required_argument, NULL, OPT_SOURCE_ID },
		{ "build-id", required_argument, NULL, OPT_BUILD_ID },
		{ "template", required_argument, NULL, OPT_TEMPLATE },
		{ "pipeline-url", required_argument, NULL, OPT_PIPELINE },
		{ "builder", required_argument, NULL, OPT_BUILDER },
		{ "sign-key", required_argument, NULL, OPT_SIGN_KEY },
		{ "key-id", required_argument, NULL, OPT_KEY_ID },
		{ "no-imds", no_argument, NULL, OPT_NO_IMDS },
		{ "sbom", no_argument, NULL, OPT_SBOM },
		{ "parent-pubkey", required_argument, NULL, OPT_PARENT_PUBKEY },
		{ "allow-untrusted-parent", no_argument, NULL,
		    OPT_ALLOW_UNTRUSTED_PARENT },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	struct tt_tattoo_fields f = { 0 };
	struct source src = { .origin = "unknown" };
	struct tt_osrelease os = { 0 };
	const char *source_arg = NULL, *source_id = NULL, *sign_key = NULL;
	const char *key_id = NULL, *published = NULL;
	char published_buf[TT_RFC3339_LEN], kernel[256], why[512];
	char shown[PATH_MAX], digest[80];
	json_object *parent = NULL, *t = NULL;
	const char *parent_keys[MAX_PARENT_KEYS];
	size_t nparent_keys = 0;
	struct tt_keyring trusted = { 0 };
	enum tt_parent_status pstatus = TT_PARENT_UNRECORDED;
	char pkey_id[TT_KEY_ID_MAX] = "";
	EVP_PKEY *key = NULL;
	bool no_imds = false, allow_untrusted = false, sbom = false;
	time_t when;
	int c, r, rc = TT_EXIT_OK;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_NAME: f.image_name = optarg; break;
		case OPT_VERSION: f.image_version = optarg; break;
		case OPT_PUBLISHED: published = optarg; break;
		case OPT_GALLERY: f.gallery = optarg; break;
		case OPT_SOURCE: source_arg = optarg; break;
		case OPT_SOURCE_ID: source_id = optarg; break;
		case OPT_BUILD_ID: f.build_id = optarg; break;
		case OPT_TEMPLATE: f.build_template = optarg; break;
		case OPT_PIPELINE: f.build_pipeline_url = optarg; break;
		case OPT_BUILDER: f.build_builder = optarg; break;
		case OPT_SIGN_KEY: sign_key = optarg; break;
		case OPT_KEY_ID: key_id = optarg; break;
		case OPT_NO_IMDS: no_imds = true; break;
		case OPT_PARENT_PUBKEY:
			if (nparent_keys == MAX_PARENT_KEYS) {
				tt_error("write: at most %d --parent-pubkey",
				    MAX_PARENT_KEYS);
				return TT_EXIT_USAGE;
			}
			parent_keys[nparent_keys++] = optarg;
			break;
		case OPT_ALLOW_UNTRUSTED_PARENT: allow_untrusted = true; break;
		case OPT_SBOM: sbom = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc) {
		tt_error("write: unexpected argument '%s'", argv[optind]);
		return tt_usage(usage, true);
	}
	if (f.image_name == NULL || f.image_name[0] == '\0' ||
	    f.image_version == NULL || f.image_version[0] == '\0') {
		tt_error(
		    "write: --image-name and --image-version are required");
		return tt_usage(usage, true);
	}
	if (source_arg != NULL && parse_source(source_arg, &src) < 0) {
		tt_error("write: --source '%s' is not PUBLISHER:OFFER:SKU:"
			 "VERSION (four non-empty parts separated by ':')",
		    source_arg);
		return TT_EXIT_USAGE;
	}
	if (published != NULL) {
		if (tt_rfc3339_parse(published, &when) < 0) {
			tt_error("write: --published '%s' is not an RFC 3339 "
				 "time such as 2026-11-24T06:00:00Z",
			    published);
			return TT_EXIT_USAGE;
		}
	} else {
		when = time(NULL);
	}
	tt_rfc3339_format(when, published_buf);
	f.published = published_buf;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	tt_root_host_path(&ctx->root, TT_TATTOO_PATH, shown, sizeof(shown));

	if (sign_key != NULL &&
	    tt_key_load(sign_key, true, &key, why, sizeof(why)) < 0) {
		tt_error("write: %s", why);
		return TT_EXIT_INPUT;
	}
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &parent, why,
	    sizeof(why));
	if (r < 0 && r != -ENOENT) {
		tt_error("write: the existing tattoo '%s' is unreadable (%s); "
			 "it would become the parent of the new one, so it is left "
			 "as it is: move it away to start a new lineage",
		    shown, why);
		rc = TT_EXIT_INPUT;
		goto out;
	}
	if (parent != NULL) {
		/* The keys are needed only when there is a parent to check:
		 * a first write does not fail on a key file. */
		for (size_t i = 0; i < nparent_keys; i++) {
			if (tt_keyring_add_file(&trusted, parent_keys[i], why,
				sizeof(why)) < 0) {
				tt_error("write: --parent-pubkey: %s", why);
				rc = TT_EXIT_INPUT;
				goto out;
			}
		}
		if (nparent_keys == 0 &&
		    tt_keyring_add_list(&trusted, ctx->cfg.trusted_keys, why,
			sizeof(why)) < 0) {
			tt_error("write: %s", why);
			rc = TT_EXIT_INPUT;
			goto out;
		}
		pstatus = check_parent(parent, &trusted, shown,
		    nparent_keys > 0, pkey_id, allow_untrusted);
		if (pstatus == TT_PARENT_UNRECORDED) {
			rc = TT_EXIT_INPUT;
			goto out;
		}
	}

	if (source_arg == NULL && !no_imds)
		source_from_imds(ctx, &src);
	else if (source_arg == NULL)
		tt_info("source image unknown: --no-imds");
	if (source_id != NULL)
		strlcpy(src.id, source_id, sizeof(src.id));
	f.source_publisher = src.publisher;
	f.source_offer = src.offer;
	f.source_sku = src.sku;
	f.source_version = src.version;
	f.source_id = src.id;
	f.source_origin = src.origin;

	r = tt_osrelease_load(&os, &ctx->root);
	if (r < 0 && r != -ENOENT) {
		tt_error("write: cannot read os-release: %s", tt_strerror(r));
		rc = TT_EXIT_INPUT;
		goto out;
	}
	if (r == -ENOENT)
		tt_warn("no /etc/os-release or /usr/lib/os-release: the OS "
			"fields stay empty");
	f.os_id = tt_osrelease_get(&os, "ID");
	f.os_version_id = tt_osrelease_get(&os, "VERSION_ID");
	f.os_pretty_name = tt_osrelease_get(&os, "PRETTY_NAME");
	image_kernel(ctx, kernel, sizeof(kernel));
	f.kernel = kernel;

	t = tt_tattoo_build(&f, baseline(ctx), parent);
	parent = NULL;
	/* Next to the parent and inside the digest: the signature of the
	 * new tattoo vouches for what was checked, and no more. */
	if (t != NULL && pstatus != TT_PARENT_UNRECORDED &&
	    tt_tattoo_set_parent_verified(t, pstatus, pkey_id) < 0) {
		json_object_put(t);
		t = NULL;
	}
	if (t == NULL) {
		tt_error("write: out of memory");
		rc = TT_EXIT_ENV;
		goto out;
	}
	/* --sbom: the SBOM's digest goes in before the seal covers it. */
	if (sbom && tt_sbom_write_image(&ctx->root, t, why, sizeof(why)) < 0) {
		tt_error("write: --sbom: %s", why);
		rc = TT_EXIT_ENV;
		goto out;
	}
	r = tt_tattoo_seal(t, key, key_id);
	if (r < 0) {
		tt_error("write: cannot seal the tattoo: %s",
		    r == -EILSEQ ? "a value is not valid UTF-8" :
				   tt_strerror(r));
		rc = r == -EILSEQ ? TT_EXIT_USAGE : TT_EXIT_ENV;
		goto out;
	}
	r = tt_tattoo_store(&ctx->root, TT_TATTOO_PATH, t);
	if (r == -TT_ENOTDURABLE) {
		/* The new tattoo is in place: "the previous one is intact"
		 * would be false. */
		tt_error("write: '%s' was replaced but may not survive a "
			 "crash: %s; check the disk and write again",
		    shown, tt_strerror(r));
		rc = TT_EXIT_ENV;
		goto out;
	}
	if (r < 0) {
		tt_error("write: cannot write '%s': %s; the previous tattoo, "
			 "if any, is intact",
		    shown, tt_strerror(r));
		rc = TT_EXIT_ENV;
		goto out;
	}
	tt_tattoo_digest(t, digest, sizeof(digest));
	tt_term_fprintf(stdout, "wrote %s: %s %s, source %s, %s%s", shown,
	    f.image_name, f.image_version,
	    TT_STREQ(src.origin, "unknown") ? "unknown" : src.origin, digest,
	    key ? ", signed" : "");
	if (pstatus == TT_PARENT_VERIFIED)
		tt_term_fprintf(stdout, ", parent verified with %s", pkey_id);
	else if (pstatus != TT_PARENT_UNRECORDED)
		printf(", parent %s", tt_parent_status_name(pstatus));
	printf("\n");
out:
	json_object_put(parent);
	json_object_put(t);
	EVP_PKEY_free(key);
	tt_keyring_free(&trusted);
	tt_osrelease_free(&os);
	return rc;
}
