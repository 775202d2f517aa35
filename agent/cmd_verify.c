#include "cli.h"
#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "tattoo.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo verify [--pubkey FILE]...\n"
    "\n"
    "Checks the tattoo's digest and, with --pubkey, its Ed25519 signature.\n"
    "\n"
    "  --pubkey FILE  a trusted public key (PEM); repeat for several\n"
    "\n"
    "Exit: 0 valid, 1 invalid or tampered, 2 absent.\n";

#define MAX_KEYS 16

enum { OPT_PUBKEY = TT_OPT_FIRST_COMMAND_OPT };

int
cmd_verify(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pubkey", required_argument, NULL, OPT_PUBKEY },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char *paths[MAX_KEYS];
	EVP_PKEY *keys[MAX_KEYS];
	size_t npaths = 0, nkeys = 0;
	char why[512], shown[PATH_MAX], by[TT_KEY_ID_MAX];
	json_object *t = NULL;
	enum tt_verify_result v;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PUBKEY:
			if (npaths == MAX_KEYS) {
				tt_error("verify: at most %d --pubkey",
				    MAX_KEYS);
				return TT_EXIT_USAGE;
			}
			paths[npaths++] = optarg;
			break;
		case 'h': return tt_usage(usage, false);
		default:
			if (tt_ctx_global_option(ctx, c, optarg))
				break;
			return tt_usage(usage, true);
		}
	}
	if (optind < argc)
		return tt_usage(usage, true);
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	for (size_t i = 0; i < npaths; i++) {
		if (tt_key_load(paths[i], false, &keys[nkeys], why,
			sizeof(why)) < 0) {
			tt_error("verify: %s", why);
			rc = TT_EXIT_INPUT;
			goto out;
		}
		nkeys++;
	}
	tt_root_host_path(&ctx->root, TT_TATTOO_PATH, shown, sizeof(shown));
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &t, why, sizeof(why));
	if (r == -ENOENT) {
		tt_term_fprintf(stdout, "absent: no tattoo at %s\n", shown);
		rc = 2;
		goto out;
	}
	if (r < 0) {
		tt_term_fprintf(stdout, "invalid: %s: %s\n", shown, why);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	v = tt_tattoo_verify(t, keys, nkeys, why, sizeof(why), by, sizeof(by));
	/* why and by quote the file (key ids, digests): tt_term_fprintf
	 * escapes them. */
	if (v == TT_VERIFY_VALID) {
		if (by[0] != '\0')
			tt_term_fprintf(stdout,
			    "valid: digest matches, signed by %s\n", by);
		else
			tt_term_fprintf(stdout, "valid: digest matches%s%s\n",
			    why[0] ? "; " : "", why);
		rc = TT_EXIT_OK;
	} else {
		tt_term_fprintf(stdout, "invalid: %s\n", why);
		rc = TT_EXIT_FAIL;
	}
out:
	json_object_put(t);
	for (size_t i = 0; i < nkeys; i++)
		EVP_PKEY_free(keys[i]);
	return rc;
}
