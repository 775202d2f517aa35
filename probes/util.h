/*
 * Helpers the probes share: bounded line reading, string lists, globbing
 * and directory listing inside the root, and key/value configuration
 * files in their several styles.  Not probes themselves.
 */
#ifndef TT_PROBE_UTIL_H
#define TT_PROBE_UTIL_H

#include <stdbool.h>
#include <regex.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "probe.h"
#include "text.h"

/*
 * Expands pattern (absolute, fnmatch(3) patterns in any component) inside
 * root into the sorted list of existing paths.  Components without a
 * pattern are taken as they are; a pattern never matches a leading dot
 * unless it starts with one.  At most TT_GLOB_MAX matches (-E2BIG).  A
 * directory listed again below itself (a symlink to "." or ".." under a
 * pattern) is -ELOOP; the directories listed and the names matched are
 * bounded by TT_BUDGET_GLOB_* per call (-E2BIG).
 */
int tt_root_glob(const struct tt_root *root, const char *pattern,
    struct tt_strv *ret);

/*
 * tt_root_glob inside an audit: the directories and matches count against
 * the audit's budget and the deadline is checked.  A loop, an overrun or
 * the deadline is -ELOOP, -E2BIG or -ETIMEDOUT with err naming the
 * directory; other failures as tt_root_glob, err untouched.
 */
int tt_probe_glob(struct tt_audit *a, const char *pattern, struct tt_strv *ret,
    char *err, size_t errlen);

/*
 * Charges n directories listed / names matched / files, bytes and lines
 * read to the audit's budget and checks its deadline.  0, or -E2BIG /
 * -ETIMEDOUT with err saying "budget exceeded: ... while reading FILE"
 * (every later charge fails the same way).
 */
enum tt_budget_kind {
	TT_BUDGET_KIND_GLOB_DIR,
	TT_BUDGET_KIND_GLOB_MATCH,
	TT_BUDGET_KIND_FILE,
	TT_BUDGET_KIND_BYTES,
	TT_BUDGET_KIND_LINES,
};
int tt_budget_charge(struct tt_audit *a, enum tt_budget_kind kind, uint64_t n,
    const char *file, char *err, size_t errlen);

/*
 * The files an include expander is reading, outermost first: a file that
 * is already on it (by device and inode, whatever path names it) is an
 * include loop, and more than TT_INCLUDE_DEPTH below the first is too
 * deep.
 */
struct tt_include_stack {
	struct {
		dev_t dev;
		ino_t ino;
		char *path;
	} v[TT_INCLUDE_DEPTH + 1];
	size_t n;
};

/*
 * Reads path (inside the audit's root, under the probe limits) for an
 * include expander and pushes it on st; tt_include_pop once it is parsed.
 * Failures set err naming the file: -ELOOP for a loop or past the depth,
 * -E2BIG / -ETIMEDOUT for the budget, else tt_read_file's errors (callers
 * skip -ENOENT and the like as before).
 */
int tt_include_read(struct tt_audit *a, struct tt_include_stack *st,
    const char *path, struct tt_buf *ret, char *err, size_t errlen);
void tt_include_pop(struct tt_include_stack *st);

/*
 * True when r, tt_include_read's answer, says the path is absent or no
 * regular file (a pattern matched a directory): the daemons skip such an
 * include, and so does the caller; err is cleared then.
 */
bool tt_include_absent(int r, char *err);

/* Empties st (after a failure that left files on it). */
void tt_include_clear(struct tt_include_stack *st);

/*
 * A parse cached in the audit that failed: tt_parse_fail remembers the
 * reason in err under key (so later rules get the same reason without
 * reading again) and returns r; tt_parse_failed copies a remembered
 * reason (data of a cache entry with an error) back into err and returns
 * the error.
 */
int tt_parse_fail(struct tt_audit *a, const char *key, int r, const char *err);
int tt_parse_failed(void *data, int cerr, char *err, size_t errlen);

/* tt_root_list_dir inside an audit: one directory and its names charged
 * to the budget (-E2BIG / -ETIMEDOUT with err as tt_budget_charge). */
int tt_probe_list_dir(struct tt_audit *a, const char *dir, const char *suffix,
    struct tt_strv *ret, char *err, size_t errlen);

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

/*
 * Reads path for a pass line by line (tt_lines_*): 1 with its text and a
 * line buffer of TT_PROBE_LINE_MAX (the caller frees both); 0 when the
 * file is absent or not a regular file (nothing to judge there); a
 * negative errno with err naming the file otherwise.
 */
int tt_probe_lines_open(struct tt_audit *a, const char *path,
    struct tt_buf *text, char **line, char *err, size_t errlen);

/*
 * The lines of path (inside the audit's root) that match re, skipping
 * comment lines unless comments: one item each with path, line, text, the
 * capture groups "1".."9" that took part in the match, and user when it
 * is not NULL.  A missing file, a directory or a non-regular file gives
 * no items and 0; another read failure sets err naming the file.
 */
int tt_lines_scan(struct tt_audit *a, const char *path, const regex_t *re,
    bool comments, const char *user, struct tt_items *out, char *err,
    size_t errlen);

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

/* The files rsyslogd reads: rsyslog.conf and what it includes, in the
 * order it reads them (a file included twice is listed twice), from the
 * audit's cache (rsyslog.c). */
int tt_rsyslog_files(struct tt_audit *a, const struct tt_strv **ret, char *err,
    size_t errlen);

/* A remote log target (log_forward.c): where a forwarding action of
 * rsyslog or systemd-journal-upload sends the logs. */
struct tt_logfwd {
	char proto[8]; /* udp, tcp, relp; http, https for journal-upload */
	char host[256];
	char port[8]; /* "" when the action names none (the default) */
	size_t line;
};

/*
 * Calls fn for each forwarding action in rsyslog configuration text: the
 * legacy selector lines ("*.* @host", "@@host:port", "@(o)host",
 * "@[v6]:port", "& @@host") and RainerScript's action(type="omfwd" or
 * "omrelp" target=...) over any number of lines, comments (# and the
 * C style) and quotes skipped.  Stops at fn's negative return, which it
 * returns; 0 otherwise; -ENOMEM.
 */
int tt_logfwd_rsyslog(const char *text, size_t len,
    int (*fn)(const struct tt_logfwd *, void *), void *arg);

/* systemd-journal-upload's URL ("https://host:port/path", or a bare host)
 * into out; -EINVAL when it names no host. */
int tt_logfwd_url(const char *url, struct tt_logfwd *out);

/* The port a target uses: its own, or its protocol's default (514 for
 * syslog, 19532 for journal-upload). */
const char *tt_logfwd_port(const struct tt_logfwd *t);

#endif
