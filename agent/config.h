/*
 * The agent's configuration: agent.conf ("key = value", "#" comments) and
 * TATTOO_<KEY> environment overrides, which win.  Every key of DESIGN.md is
 * here with its default.  Files that are group- or world-writable, or owned
 * by anyone but root (or the user running tattoo), are refused as sshd's
 * StrictModes and doas do.
 */
#ifndef TT_CONFIG_H
#define TT_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>

#include "rootfs.h"

#define TT_DEFAULT_CONFIG "/etc/tattoo/agent.conf"
#define TT_DEFAULT_STATE_DIR "/var/lib/tattoo"
#define TT_URL_MAX 2048

struct tt_config {
	char imds_url[TT_URL_MAX];
	char arm_url[TT_URL_MAX];
	bool tags;
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
	int64_t max_tattoo_age_days;
	/* Public keys (PEM files on the host, separated by spaces or commas)
	 * whose signatures make a tattoo "valid" and a parent "verified". */
	char trusted_keys[4096];
	/* Multiplier for every retry delay, in milliseconds per second of the
	 * documented schedule: 1000 is the real schedule; tests set it low. */
	int64_t retry_scale_ms;

	/* Set explicitly (file or environment): a host path, used as given.
	 * Otherwise the default lives inside the root (DESIGN.md). */
	bool state_dir_is_host;
	bool spool_dir_is_host;
	char loaded_from[PATH_MAX]; /* "" when no file was read */
};

/* Fills cfg with the defaults of DESIGN.md. */
void tt_config_defaults(struct tt_config *cfg);

/*
 * Loads path (inside root when path is the default, on the host when the
 * user named it with --config) over the defaults, then applies TATTOO_<KEY>
 * environment overrides.  A missing default file is not an error; a
 * missing named file is.  On error returns a negative errno and writes
 * "file:line: what is wrong" (or the variable's name) into err.
 */
int tt_config_load(struct tt_config *cfg, const struct tt_root *root,
    const char *path, bool path_is_default, char *err, size_t errlen);

/*
 * Parses the text of a configuration file (name for messages) into cfg.
 * Exposed for tests and fuzzing.
 */
int tt_config_parse(struct tt_config *cfg, const char *name, const char *text,
    size_t len, char *err, size_t errlen);

/* Applies the environment; err names the variable on failure. */
int tt_config_apply_env(struct tt_config *cfg, char *err, size_t errlen);

/* Checks that an open file is owned by root (or us) and not group- or
 * world-writable; err names path on failure. */
int tt_check_secure_file(int fd, const char *path, char *err, size_t errlen);

#endif
