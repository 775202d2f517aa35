#include "cli.h"
#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "sbom.h"
#include "tattoo.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo verify [--pubkey FILE]...\n"
    "\n"
    "Checks the tattoo's digest and, with trusted keys, its signature\n"
    "(Ed25519, or ES256 from a Key Vault key); then says for each parent\n"
    "whether its signature was verified (now with the trusted keys, else\n"
    "as recorded at write).\n"
    "\n"
    "  --pubkey FILE  a trusted public key (PEM: Ed25519, or EC P-256 as\n"
    "                 az keyvault key download --encoding PEM writes it);\n"
    "                 repeat for several (default: the keys of trusted_keys)\n"
    "\n"
    "A tattoo written with --sbom: the SBOM file's digest is checked too.\n"
    "\n"
    "Exit: 0 valid, 1 invalid or tampered (the SBOM too), 2 absent.  The lineage does not\n"
    "change the exit status; an unverified one is said in the text.\n";

enum { OPT_PUBKEY = TT_OPT_FIRST_COMMAND_OPT };

/*
 * One line per parent and a last "lineage:" line.  A parent counts as
 * verified when a trusted key verifies it now, or when the record its
 * child made at write says so and that child is itself verified: a
 * record in a tattoo nobody checked is the image's word only.
 */
static void
print_lineage(json_object *t, struct tt_keyring *kr, bool top_verified)
{
	char line[1400], first_bad[1100] = "", name[300], why[512];
	char rkey[TT_KEY_ID_MAX], nkey[TT_KEY_ID_MAX], signer[TT_KEY_ID_MAX];
	bool chain = top_verified, cut = tt_tattoo_lineage_cut(t);
	bool recheck = kr->n > 0 && !cut;
	json_object *child = t, *p;
	int gen = 0;

	while ((p = tt_json_path(child, "parent")) != NULL &&
	    json_object_is_type(p, json_type_object) &&
	    gen < TT_TATTOO_MAX_GENERATIONS) {
		enum tt_parent_status rec, now;
		bool ok;

		gen++;
		snprintf(name, sizeof(name), "%s %s",
		    tt_json_path_str(p, "image.name"),
		    tt_json_path_str(p, "image.version"));
		snprintf(signer, sizeof(signer), "%s",
		    tt_json_path_str(p, "signature.key_id"));
		rec = tt_tattoo_parent_record(child, rkey, sizeof(rkey));
		now = recheck ? tt_tattoo_check_parent(p, kr->key, kr->n, nkey,
				    why, sizeof(why)) :
				TT_PARENT_UNRECORDED;
		if (now == TT_PARENT_VERIFIED) {
			snprintf(line, sizeof(line),
			    "signed by %s, verified with %s (at write: %s)",
			    signer, nkey, tt_parent_status_name(rec));
			ok = true;
		} else if (now == TT_PARENT_UNSIGNED ||
		    now == TT_PARENT_INVALID) {
			snprintf(line, sizeof(line), "%s%s (at write: %s)",
			    now == TT_PARENT_UNSIGNED ? "unsigned" :
							"invalid: ",
			    now == TT_PARENT_UNSIGNED ? "" : why,
			    tt_parent_status_name(rec));
			ok = false;
		} else if (chain && rec == TT_PARENT_VERIFIED) {
			/* No key given now checks it; the verified child
			 * vouches for the check made at write. */
			snprintf(line, sizeof(line),
			    "signed by %s (verified with %s at write)", signer,
			    rkey);
			ok = true;
		} else {
			switch (rec) {
			case TT_PARENT_VERIFIED:
				snprintf(line, sizeof(line),
				    "claims signer %s, verified with %s at "
				    "write",
				    signer, rkey);
				break;
			case TT_PARENT_UNVERIFIED:
				snprintf(line, sizeof(line),
				    "claims signer %s, unverified at write",
				    signer);
				break;
			case TT_PARENT_UNSIGNED:
				snprintf(line, sizeof(line),
				    "unsigned at write");
				break;
			case TT_PARENT_INVALID:
				snprintf(line, sizeof(line),
				    "invalid at write (kept with "
				    "--allow-untrusted-parent)");
				break;
			default:
				snprintf(line, sizeof(line),
				    "%s%s, not checked at write (no record)",
				    signer[0] ? "claims signer " : "unsigned",
				    signer);
				break;
			}
			if (recheck)
				strlcat(line,
				    "; no trusted key verifies it now",
				    sizeof(line));
			if (!chain)
				strlcat(line,
				    "; the record is in a tattoo whose "
				    "signature is not verified",
				    sizeof(line));
			ok = false;
		}
		tt_term_fprintf(stdout, "parent %d (%s): %s\n", gen, name,
		    line);
		if (!ok && first_bad[0] == '\0')
			snprintf(first_bad, sizeof(first_bad),
			    "parent %d (%s) is not verified", gen, name);
		chain = ok;
		child = p;
	}
	if (gen == 0)
		return;
	if (first_bad[0] == '\0')
		printf("lineage: verified (%d generation%s)\n", gen,
		    gen == 1 ? "" : "s");
	else if (!top_verified && !recheck)
		tt_term_fprintf(stdout,
		    "lineage: unverified: %s; the tattoo's own signature "
		    "was not verified (no --pubkey or trusted_keys), so "
		    "none of its records is authenticated\n",
		    first_bad);
	else
		tt_term_fprintf(stdout, "lineage: unverified: %s\n", first_bad);
	if (cut && kr->n > 0)
		printf("lineage: cut at %d generations, which changed the "
		       "ancestors' digests: the parents are judged by the "
		       "records made at write\n",
		    TT_TATTOO_MAX_GENERATIONS);
}
int
cmd_verify(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "pubkey", required_argument, NULL, OPT_PUBKEY },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char *paths[TT_KEYRING_MAX];
	struct tt_keyring kr = { 0 };
	size_t npaths = 0;
	char why[512], shown[PATH_MAX], by[TT_KEY_ID_MAX];
	json_object *t = NULL;
	enum tt_verify_result v;
	bool sbom = false;
	int c, r, rc;
	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PUBKEY:
			if (npaths == TT_KEYRING_MAX) {
				tt_error("verify: at most %d --pubkey",
				    TT_KEYRING_MAX);
				return TT_EXIT_USAGE;
			}
			paths[npaths++] = optarg;
			break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc)
		return tt_usage(usage, true);
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	/* The command line replaces the configuration's keys. */
	for (size_t i = 0; i < npaths; i++) {
		if (tt_keyring_add_file(&kr, paths[i], why, sizeof(why)) < 0) {
			tt_error("verify: %s", why);
			rc = TT_EXIT_INPUT;
			goto out;
		}
	}
	if (npaths == 0 &&
	    tt_keyring_add_list(&kr, ctx->cfg.trusted_keys, why, sizeof(why)) <
		0) {
		tt_error("verify: %s", why);
		rc = TT_EXIT_INPUT;
		goto out;
	}
	tt_root_host_path(&ctx->root, TT_TATTOO_PATH, shown, sizeof(shown));
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &t, why, sizeof(why));
	if (r == -ENOENT) {
		tt_term_fword(stdout, ctx->color, "absent", 0);
		tt_term_fprintf(stdout, ": no tattoo at %s\n", shown);
		rc = 2;
		goto out;
	}
	if (r < 0) {
		tt_term_fword(stdout, ctx->color, "invalid", 0);
		tt_term_fprintf(stdout, ": %s: %s\n", shown, why);
		rc = TT_EXIT_FAIL;
		goto out;
	}
	v = tt_tattoo_verify(t, kr.key, kr.n, why, sizeof(why), by, sizeof(by));
	/* why and by quote the file (key ids, digests): tt_term_fprintf
	 * escapes them. */
	tt_term_fword(stdout, ctx->color,
	    v == TT_VERIFY_VALID ? "valid" : "invalid", 0);
	if (v == TT_VERIFY_VALID) {
		if (by[0] != '\0')
			tt_term_fprintf(stdout,
			    ": digest matches, signed by %s\n", by);
		else
			tt_term_fprintf(stdout, ": digest matches%s%s\n",
			    why[0] ? "; " : "; not signed", why);
		rc = TT_EXIT_OK;
		print_lineage(t, &kr, by[0] != '\0');
		/* The SBOM the tattoo records: changed or removed fails. */
		if (tt_sbom_verify_image(&ctx->root, t, &sbom, why,
			sizeof(why)) < 0)
			rc = TT_EXIT_FAIL;
		if (sbom) {
			fputs("sbom: ", stdout);
			tt_term_fword(stdout, ctx->color,
			    rc == TT_EXIT_OK ? "valid" : "invalid", 0);
			tt_term_fprintf(stdout, ": %s\n", why);
		}
	} else {
		tt_term_fprintf(stdout, ": %s\n", why);
		rc = TT_EXIT_FAIL;
	}
out:
	json_object_put(t);
	tt_keyring_free(&kr);
	return rc;
}
