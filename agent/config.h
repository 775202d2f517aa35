/*
 * The agent's configuration: agent.conf ("key = value", "#" comments) and
 * TATTOO_<KEY> environment overrides, which win.  Every key of DESIGN.md is
 * here with its default.  Files that are group- or world-writable, or owned
 * by anyone but root (or the user running tattoo), are refused as sshd's
 * StrictModes and doas do.
 *
 * The configuration is always the host's: --config FILE, else the file
 * TATTOO_CONFIG names, else the host's /etc/tattoo/agent.conf.  Under
 * --root the image is data: its own /etc/tattoo/agent.conf is read only
 * for `profile` (when the host did not set one); every other key there
 * would let the image pick an endpoint, a credential or a host path, and
 * is ignored with a warning.  state_dir and spool_dir are host paths.
 */
#ifndef TT_CONFIG_H
#define TT_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "rootfs.h"

#define TT_DEFAULT_CONFIG "/etc/tattoo/agent.conf"
/* Names the host configuration file when --config does not. */
#define TT_CONFIG_ENV "TATTOO_CONFIG"
#define TT_DEFAULT_STATE_DIR "/var/lib/tattoo"
#define TT_URL_MAX 2048

struct tt_config {
	char imds_url[TT_URL_MAX];
	char arm_url[TT_URL_MAX];
	/* Where Key Vault requests go instead of the vault's own
	 * https://NAME.vault.azure.net ("" : there).  A host setting for
	 * tests and stand-ins; the key URL of write --sign-keyvault still
	 * chooses the key, the token's resource and the recorded key id. */
	char keyvault_url[TT_URL_MAX];
	bool tags;
	/* report_sbom: the report carries the image's SBOM (write --sbom) */
	bool report_sbom;
	/* image_freshness: report asks ARM, once a day, for the versions of
	 * the VM's gallery image (gallery.h) */
	bool image_freshness;
	char tag_prefix[64];
	char collector_url[TT_URL_MAX];
	char collector_format[32];
	char identity[512];
	char collector_token_file[PATH_MAX];
	char ca_file[PATH_MAX];
	char ca_dir[PATH_MAX];
	char client_cert[PATH_MAX];
	char client_key[PATH_MAX];
	char spool_dir[PATH_MAX];
	uint64_t spool_max_bytes;
	char state_dir[PATH_MAX];
	char profile[128];
	/* A tailoring file (a host path; docs/tailoring.md), "" for none. */
	char tailoring[PATH_MAX];
	int64_t max_tattoo_age_days;
	/* Public keys (PEM files on the host, separated by spaces or commas)
	 * whose signatures make a tattoo "valid" and a parent "verified". */
	char trusted_keys[4096];
	/* Multiplier for every retry delay, in milliseconds per second of the
	 * documented schedule: 1000 is the real schedule; tests set it low. */
	int64_t retry_scale_ms;

	/* spool_dir was set (file or environment): it no longer follows
	 * state_dir.  Both are host paths, under --root too. */
	bool spool_dir_set;
	char loaded_from[PATH_MAX]; /* "" when no host file was read */
	/* Where profile came from when the image's agent.conf chose it. */
	char profile_from[PATH_MAX];
	/* What was wrong with, or ignored in, the image's agent.conf: one
	 * warning for the caller to print ("" when nothing). */
	char image_note[1024];
};

/* Fills cfg with the defaults of DESIGN.md. */
void tt_config_defaults(struct tt_config *cfg);

/*
 * Loads the host file path over the defaults, then applies TATTOO_<KEY>
 * environment overrides.  A missing file is not an error unless path_named
 * (--config, TATTOO_CONFIG).  When root is an image (not the host's "/"),
 * then reads the image's agent.conf for `profile` only, when neither the
 * file nor the environment set one; anything else about that file goes
 * into cfg->image_note, never into an error.  On error returns a negative
 * errno and writes "file:line: what is wrong" (or the variable's name)
 * into err.
 */
int tt_config_load(struct tt_config *cfg, const struct tt_root *root,
    const char *path, bool path_named, char *err, size_t errlen);

/*
 * Reads the text of an image's agent.conf (name for messages) for the one
 * key an image may set: profile goes into profile ("" when absent).  Other
 * keys are not looked at; note says, once, which were ignored ("file:line:
 * ... ignored: 'key' (line N), ...").  Returns 0, or -EINVAL when the text
 * is malformed (NUL byte, overlong line, no '=', profile twice or not a
 * profile id): then profile is "" and note says why.
 */
int tt_config_parse_image(const char *name, const char *text, size_t len,
    char *profile, size_t profilelen, char *note, size_t notelen);

/*
 * Parses the text of a configuration file (name for messages) into cfg.
 * Exposed for tests and fuzzing.
 */
int tt_config_parse(struct tt_config *cfg, const char *name, const char *text,
    size_t len, char *err, size_t errlen);

/* Applies the environment; err names the variable on failure. */
int tt_config_apply_env(struct tt_config *cfg, char *err, size_t errlen);

#endif
