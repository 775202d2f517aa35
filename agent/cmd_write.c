#include <time.h>

#include "cli.h"
#include "gallery.h"
#include "log.h"
#include "term.h"
#include "timeutil.h"
#include "tt.h"
#include "write_run.h"

static const char usage[] =
    "usage: tattoo write --image-name NAME --image-version VERSION [OPTIONS]\n"
    "\n"
    "Writes the signed record of this image to /etc/tattoo/tattoo.json\n"
    "(inside --root).  A tattoo already there becomes the new one's parent.\n"
    "\n"
    "  --image-name NAME        the custom image's name\n"
    "  --image-version VERSION  its version, e.g. the gallery version 1.4.0\n"
    "  --published TIME         RFC 3339 publish time (default: now, UTC)\n"
    "  --gallery ID             gallery image resource id (or its version's:\n"
    "                           .../versions/V, V must be --image-version)\n"
    "  --source P:O:S:V         source image publisher:offer:sku:version\n"
    "                           (default: IMDS imageReference when on Azure)\n"
    "  --source-id ID           source image resource id (gallery images)\n"
    "  --build-id ID            the build that made the image\n"
    "  --template NAME          the image template\n"
    "  --pipeline-url URL       the pipeline run\n"
    "  --builder TEXT           the builder (free-form)\n"
    "  --sign-key FILE          Ed25519 private key (PEM) to sign with\n"
    "  --key-id ID              key id to record (default: derived from key)\n"
    "  --sign-keyvault URL      sign ES256 with this Azure Key Vault key,\n"
    "                           https://VAULT.vault.azure.net/keys/NAME[/VER],\n"
    "                           through the VM's managed identity; the key id\n"
    "                           recorded is the versioned key URL\n"
    "  --parent-pubkey FILE     a public key (PEM) trusted to have signed the\n"
    "                           existing tattoo; repeat for several (default:\n"
    "                           the keys of trusted_keys)\n"
    "  --allow-untrusted-parent keep an existing tattoo that fails its digest\n"
    "                           or signature check as parent, marked invalid\n"
    "  --no-imds                do not ask IMDS for the source image\n"
    "  --tailoring FILE         the baseline's tailoring (a JSON file on this\n"
    "                           host; default: the configured `tailoring`);\n"
    "                           the tattoo records its id and SHA-256\n"
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
	OPT_SIGN_KEYVAULT,
	OPT_NO_IMDS,
	OPT_SBOM,
	OPT_PARENT_PUBKEY,
	OPT_ALLOW_UNTRUSTED_PARENT,
	OPT_TAILORING,
};

#define MAX_PARENT_KEYS TT_KEYRING_MAX

/* What the run found along the way, logged as it goes. */
static void
log_note(void *arg, enum tt_log_level level, const char *msg)
{
	(void)arg;
	tt_log(level, "%s", msg);
}

static const int failure_exit[] = {
	[TT_WRITE_FAILED_NONE] = TT_EXIT_OK,
	[TT_WRITE_FAILED_INPUT] = TT_EXIT_INPUT,
	[TT_WRITE_FAILED_USAGE] = TT_EXIT_USAGE,
	[TT_WRITE_FAILED_ENV] = TT_EXIT_ENV,
};

/* "wrote PATH: NAME VERSION, source ORIGIN, DIGEST[, signed][, parent …]" */
/* --gallery: the gallery image id is recorded with --image-version as its
 * version; a version id (…/versions/V, what Image Builder distributes
 * to) is split, and its V must be that version.  0 or the exit code. */
static int
gallery_arg(struct tt_tattoo_fields *f, char *image, size_t imagelen)
{
	char version[TT_GALLERY_VERSION_MAX];
	uint32_t parts[3];

	if (f->gallery == NULL || f->gallery[0] == '\0')
		return 0;
	if (tt_gallery_split_id(f->gallery, image, imagelen, version,
		sizeof(version)) < 0) {
		tt_warn("write: --gallery '%s' is not a Compute Gallery image "
			"id (/subscriptions/…/galleries/G/images/I): recorded, "
			"but report cannot check the image's freshness",
		    f->gallery);
		return 0;
	}
	if (version[0] != '\0' && !TT_STREQ(version, f->image_version)) {
		tt_error("write: --gallery names version %s, --image-version "
			 "says %s",
		    version, f->image_version);
		return TT_EXIT_USAGE;
	}
	if (tt_gallery_version_parse(f->image_version, parts) < 0)
		tt_warn("write: --image-version '%s' is not a gallery version "
			"(MAJOR.MINOR.PATCH): report cannot compare it",
		    f->image_version);
	f->gallery = image;
	return 0;
}

static void
print_written(const struct tt_write_opts *o, const struct tt_write_result *res)
{
	tt_term_fprintf(stdout, "wrote %s: %s %s, source %s, %s%s", res->shown,
	    o->fields.image_name, o->fields.image_version, res->origin,
	    res->digest, res->sealed_with_key ? ", signed" : "");
	if (res->signed_by[0] != '\0')
		tt_term_fprintf(stdout, " by %s", res->signed_by);
	if (res->parent == TT_PARENT_VERIFIED)
		tt_term_fprintf(stdout, ", parent verified with %s",
		    res->parent_key_id);
	else if (res->parent != TT_PARENT_UNRECORDED)
		printf(", parent %s", tt_parent_status_name(res->parent));
	printf("\n");
}

/* --sign-keyvault URL: checked here, a usage error when it is not a Key
 * Vault key URL or comes with another way of signing. */
static int
keyvault_option(struct tt_write_opts *o, const char *url, struct tt_kv_key *kv)
{
	char err[1024];

	if (o->sign_key != NULL || o->key_id != NULL) {
		tt_error(
		    "write: --sign-keyvault signs with the vault's key and "
		    "records its key URL: not with --sign-key or --key-id");
		return TT_EXIT_USAGE;
	}
	if (tt_kv_parse_url(url, kv, err, sizeof(err)) < 0) {
		tt_error("write: %s", err);
		return TT_EXIT_USAGE;
	}
	o->sign_keyvault = kv;
	return 0;
}

/* --published (default now) as RFC 3339 into buf: 0 or the exit code. */
static int
published_arg(const char *published, char buf[TT_RFC3339_LEN])
{
	time_t when = time(NULL);

	if (published != NULL && tt_rfc3339_parse(published, &when) < 0) {
		tt_error("write: --published '%s' is not an RFC 3339 time such "
			 "as 2026-11-24T06:00:00Z",
		    published);
		return TT_EXIT_USAGE;
	}
	tt_rfc3339_format(when, buf);
	return 0;
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
		{ "sign-keyvault", required_argument, NULL, OPT_SIGN_KEYVAULT },
		{ "no-imds", no_argument, NULL, OPT_NO_IMDS },
		{ "sbom", no_argument, NULL, OPT_SBOM },
		{ "parent-pubkey", required_argument, NULL, OPT_PARENT_PUBKEY },
		{ "allow-untrusted-parent", no_argument, NULL,
		    OPT_ALLOW_UNTRUSTED_PARENT },
		{ "tailoring", required_argument, NULL, OPT_TAILORING },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char *parent_keys[MAX_PARENT_KEYS];
	struct tt_write_opts o = { .parent_keys = parent_keys,
		.note = log_note };
	struct tt_tattoo_fields *f = &o.fields;
	struct tt_write_source src;
	struct tt_write_result res;
	const char *source_arg = NULL, *published = NULL, *kv_arg = NULL;
	struct tt_kv_key kv;
	char published_buf[TT_RFC3339_LEN], err[PATH_MAX + 1024];
	char gallery[1024];
	int c, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_NAME: f->image_name = optarg; break;
		case OPT_VERSION: f->image_version = optarg; break;
		case OPT_PUBLISHED: published = optarg; break;
		case OPT_GALLERY: f->gallery = optarg; break;
		case OPT_SOURCE: source_arg = optarg; break;
		case OPT_SOURCE_ID: o.source_id = optarg; break;
		case OPT_BUILD_ID: f->build_id = optarg; break;
		case OPT_TEMPLATE: f->build_template = optarg; break;
		case OPT_PIPELINE: f->build_pipeline_url = optarg; break;
		case OPT_BUILDER: f->build_builder = optarg; break;
		case OPT_SIGN_KEY: o.sign_key = optarg; break;
		case OPT_KEY_ID: o.key_id = optarg; break;
		case OPT_SIGN_KEYVAULT: kv_arg = optarg; break;
		case OPT_NO_IMDS: o.no_imds = true; break;
		case OPT_SBOM: o.sbom = true; break;
		case OPT_TAILORING: o.tailoring = optarg; break;
		case OPT_PARENT_PUBKEY:
			if (o.nparent_keys == MAX_PARENT_KEYS) {
				tt_error("write: at most %d --parent-pubkey",
				    MAX_PARENT_KEYS);
				return TT_EXIT_USAGE;
			}
			parent_keys[o.nparent_keys++] = optarg;
			break;
		case OPT_ALLOW_UNTRUSTED_PARENT:
			o.allow_untrusted = true;
			break;
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
	if (f->image_name == NULL || f->image_name[0] == '\0' ||
	    f->image_version == NULL || f->image_version[0] == '\0') {
		tt_error(
		    "write: --image-name and --image-version are required");
		return tt_usage(usage, true);
	}
	if ((rc = gallery_arg(f, gallery, sizeof(gallery))) != 0)
		return rc;
	if (kv_arg != NULL && (rc = keyvault_option(&o, kv_arg, &kv)) != 0)
		return rc;
	if (source_arg != NULL && tt_write_parse_source(source_arg, &src) < 0) {
		tt_error("write: --source '%s' is not PUBLISHER:OFFER:SKU:"
			 "VERSION (four non-empty parts separated by ':')",
		    source_arg);
		return TT_EXIT_USAGE;
	}
	if ((rc = published_arg(published, published_buf)) != 0)
		return rc;
	f->published = published_buf;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	o.root = &ctx->root;
	o.cfg = &ctx->cfg;
	o.profile = tt_ctx_profile(ctx);
	if (o.tailoring == NULL)
		o.tailoring = tt_ctx_tailoring(ctx);
	o.source = source_arg != NULL ? &src : NULL;
	if (tt_write_run(&o, &res, err, sizeof(err)) < 0) {
		tt_error("write: %s", err);
		return failure_exit[res.failure];
	}
	print_written(&o, &res);
	return TT_EXIT_OK;
}
