/*
 * Helpers the probes share: bounded line reading, string lists, globbing
 * and directory listing inside the root, and key/value configuration
 * files in their several styles.  Not probes themselves.
 */
#ifndef TT_PROBE_UTIL_H
#define TT_PROBE_UTIL_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "probe.h"

struct tt_lines {
	const char *p, *end;
	size_t lineno; /* of the last line returned */
	size_t skipped; /* lines longer than the caller's buffer */
};

void tt_lines_init(struct tt_lines *l, const char *data, size_t len);

/*
 * Copies the next line (without its newline) into buf.  With cont, a
 * backslash at the end of a line joins the next one (the backslash is
 * dropped).  *ret_lineno gets the number of the line's first physical
 * line.  Lines that do not fit are skipped and counted.  Returns 1 for a
 * line, 0 at the end.
 */
int tt_lines_next(struct tt_lines *l, char *buf, size_t size, bool cont,
    size_t *ret_lineno);

/* Trims white space in place; returns the first non-blank character. */
char *tt_trim(char *s);

/* True when the first non-blank character of s is '#'. */
bool tt_is_comment(const char *s);

/* A growable list of strings. */
struct tt_strv {
	char **v;
	size_t n, cap;
};

int tt_strv_add(struct tt_strv *sv, const char *s);
void tt_strv_sort(struct tt_strv *sv);
bool tt_strv_has(const struct tt_strv *sv, const char *s);
void tt_strv_free(struct tt_strv *sv);

/*
 * Expands pattern (absolute, fnmatch(3) patterns in any component) inside
 * root into the sorted list of existing paths.  Components without a
 * pattern are taken as they are; a pattern never matches a leading dot
 * unless it starts with one.  At most TT_GLOB_MAX matches (-E2BIG).
 */
int tt_root_glob(const struct tt_root *root, const char *pattern,
    struct tt_strv *ret);

/* The names in dir ending with suffix ("" for all; dot files are left
 * out), sorted.  A missing directory gives an empty list and 0. */
int tt_root_list_dir(const struct tt_root *root, const char *dir,
    const char *suffix, struct tt_strv *ret);

/*
 * The "drop-in" order of systemd and kmod: *.conf names from dirs in
 * priority order (a name in an earlier dir masks the same name in later
 * ones), sorted by name; full paths into ret.
 */
int tt_dropin_files(const struct tt_root *root, const char *const *dirs,
    size_t ndirs, const char *suffix, struct tt_strv *ret);

/* Reads a file under the probe limits; -ENOENT etc. as tt_read_file. */
int tt_probe_read(struct tt_audit *a, const char *path, struct tt_buf *ret);

/* Key/value configuration styles. */
enum tt_kv_style {
	TT_KV_SPACE, /* login.defs: KEY value */
	TT_KV_EQUALS, /* pwquality: key = value; a bare key is "true" */
	TT_KV_SHELL, /* /etc/default/grub: KEY="value", export allowed */
	TT_KV_JOURNAL, /* systemd ini: [Journal] Key=value */
	TT_KV_RSYSLOG, /* $Directive value */
};

struct tt_kv {
	char *key, *value, *file;
	size_t line;
};

struct tt_kvset {
	struct tt_kv *v;
	size_t n, cap;
};

/* Parses text of file (for messages) in style, appending in order. */
int tt_kv_parse(struct tt_kvset *set, const char *file, const char *text,
    size_t len, enum tt_kv_style style);

/* Appends one assignment (copies). */
int tt_kv_add(struct tt_kvset *set, const char *file, size_t line,
    const char *key, const char *value);

/* The last assignment of key (case-insensitive when nocase), or NULL. */
const struct tt_kv *
tt_kv_last(const struct tt_kvset *set, const char *key, bool nocase);

void tt_kvset_free(struct tt_kvset *set);
void tt_kvset_destroy(void *set);

/*
 * Loads files in order into one set, cached in the audit under cache_key;
 * missing files are skipped.  *ret stays owned by the audit.
 */
int tt_kv_load(struct tt_audit *a, const char *cache_key,
    const struct tt_strv *files, enum tt_kv_style style,
    const struct tt_kvset **ret, char *err, size_t errlen);

/*
 * The item of a key/value probe: key, value, file, line, source
 * ("config" or "default"); nothing when unset without a default.
 */
int tt_kv_item(struct tt_items *out, const struct tt_kvset *set,
    const char *key, const char *def, bool nocase);

/* Field names shared by the key/value probes. */
extern const char *const tt_kv_fields[];

/* Parameters shared by the key/value probes: key (required), default. */
extern const struct tt_param_spec tt_kv_params[];

/*
 * The whole run of a key/value probe: loads files in order (cached under
 * cache_key) and adds the item of the "key" parameter, with "default"
 * when it is unset.
 */
int tt_kv_probe(struct tt_audit *a, const struct tt_params *p,
    const char *cache_key, const struct tt_strv *files, enum tt_kv_style style,
    struct tt_items *out, char *err, size_t errlen);

/* tt_kv_probe over one file. */
int tt_kv_probe_file(struct tt_audit *a, const struct tt_params *p,
    const char *cache_key, const char *path, enum tt_kv_style style,
    struct tt_items *out, char *err, size_t errlen);

/* Removes one level of matching single or double quotes in place. */
char *tt_unquote(char *s);

#endif
