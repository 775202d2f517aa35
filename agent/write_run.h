/*
 * The write use case: a new tattoo assembled from the options, IMDS (the
 * source image), the image itself (os-release, kernel, an audit baseline)
 * and the tattoo already there (checked, then kept as the parent), sealed
 * and stored.  `tattoo write` parses, calls tt_write_run, prints one line
 * and picks the exit code.
 */
#ifndef TT_WRITE_RUN_H
#define TT_WRITE_RUN_H

#include <limits.h>
#include <stdbool.h>

#include "config.h"
#include "crypto.h"
#include "keyvault.h"
#include "log.h"
#include "rootfs.h"
#include "tattoo.h"

/* The source image: from --source, IMDS, or unknown. */
struct tt_write_source {
	char publisher[256], offer[256], sku[256], version[128], id[1024];
	const char *origin; /* "cli", "imds" or "unknown" */
};

/* PUBLISHER:OFFER:SKU:VERSION, each part non-empty, as `az vm image list`
 * prints a URN, into ret (origin "cli").  0 or -EINVAL. */
int tt_write_parse_source(const char *s, struct tt_write_source *ret);

/* Told what the run found along the way (warnings, where the source came
 * from); the command logs it.  msg quotes the image and the network. */
typedef void (
    *tt_write_note_fn)(void *arg, enum tt_log_level level, const char *msg);

struct tt_write_opts {
	const struct tt_root *root;
	const struct tt_config *cfg; /* IMDS, trusted_keys */
	const char *profile; /* the baseline's profile; NULL: os-release */
	/* The baseline's tailoring (a host path), or NULL: a bad one stops
	 * the write (input). */
	const char *tailoring;
	/* image and build fields from the options; published set.  The
	 * source and OS fields are filled in by the run. */
	struct tt_tattoo_fields fields;
	const struct tt_write_source *source; /* --source, or NULL */
	const char *source_id; /* --source-id, or NULL */
	const char *sign_key, *key_id; /* --sign-key, --key-id, or NULL */
	/* --sign-keyvault (checked with tt_kv_parse_url), or NULL: the
	 * tattoo is signed ES256 by that key, its kid the key id. */
	const struct tt_kv_key *sign_keyvault;
	const char *const *parent_keys; /* --parent-pubkey; 0: trusted_keys */
	size_t nparent_keys;
	bool no_imds, allow_untrusted;
	/* --sbom: write /etc/tattoo/sbom.cdx.json and record its digest in
	 * the tattoo, before the seal covers it (sbom.h). */
	bool sbom;
	tt_write_note_fn note;
	void *note_arg;
};

/* Which kind of failure stopped a run: the exit code. */
enum tt_write_failure {
	TT_WRITE_FAILED_NONE,
	/* a key, the old tattoo, os-release, a Key Vault key that is
	 * missing (404) or not EC P-256 */
	TT_WRITE_FAILED_INPUT,
	TT_WRITE_FAILED_USAGE, /* a value that is not UTF-8 */
	/* memory, sealing, the disk; Key Vault's token, role (403) or
	 * network */
	TT_WRITE_FAILED_ENV,
};

struct tt_write_result {
	char shown[PATH_MAX]; /* the tattoo's path, as the host sees it */
	char digest[80];
	const char *origin; /* of the source image */
	bool sealed_with_key;
	char signed_by[TT_KEY_ID_MAX]; /* the Key Vault kid, or "" */
	enum tt_parent_status parent; /* UNRECORDED: no parent */
	char parent_key_id[TT_KEY_ID_MAX];
	enum tt_write_failure failure;
};

/*
 * Writes the tattoo.  0, or a negative errno with res->failure set and the
 * reason in err (without a "write: " prefix).
 */
int tt_write_run(const struct tt_write_opts *o, struct tt_write_result *res,
    char *err, size_t errlen);

#endif
