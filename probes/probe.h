/*
 * Probes: C functions that read one kind of system state inside an image
 * root and return facts, never verdicts.  A probe returns items, each a
 * small record of named string fields; the rule engine (hardening/) judges
 * them.  Each probe is one file exporting one `const struct tt_probe`,
 * listed in probes/registry.c.
 *
 * Every read goes through rootfs.h (inside the root), every file read has
 * a size limit (TT_PROBE_FILE_MAX unless said otherwise) and every line a
 * length limit (TT_PROBE_LINE_MAX: longer lines are skipped).
 *
 * A probe runs inside a per-audit context (struct tt_audit) that holds
 * caches: a parse used by many rules (passwd, sysctl.d, sshd_config, the
 * file system walk...) is made once per audit and freed with the context.
 */
#ifndef TT_PROBE_H
#define TT_PROBE_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#include "rootfs.h"

#define TT_PROBE_FILE_MAX ((size_t)4 * 1024 * 1024)
#define TT_PROBE_LINE_MAX 8192
#define TT_ITEM_MAX_FIELDS 20
#define TT_PROBE_MAX_PARAMS 8
/* Glob matches per pattern; include depth of PAM, rsyslog, sshd, sudoers
 * (libpam's and sshd's own limit: past it they refuse the file too). */
#define TT_GLOB_MAX 4096
#define TT_INCLUDE_DEPTH 16

/*
 * The totals one audit may spend expanding includes and globs (issue 13):
 * a hostile tree (an include loop, a glob over a symlink to ".", a file
 * including thousands of files that each include thousands) would make
 * them read for hours.  Far above real systems: a Debian 12 tree with
 * openssh-server, rsyslog, sudo, cron and apparmor spends 4 files, 7.3 KiB,
 * 269 lines, 31 directories and 45 names under the debian12 pack (16 files,
 * 404 lines under rhel9's PAM rules).
 */
#define TT_BUDGET_FILES 4096 /* files read by include expansion */
#define TT_BUDGET_BYTES ((uint64_t)64 * 1024 * 1024) /* their bytes */
#define TT_BUDGET_LINES ((uint64_t)1000000) /* their lines */
#define TT_BUDGET_GLOB_DIRS 100000 /* directories a glob lists */
#define TT_BUDGET_GLOB_MATCHES 100000 /* names a glob matches */

/* An item: named string fields.  Names are static strings (the probe's
 * field table); values are owned by the item. */
struct tt_field {
	const char *name;
	char *value;
};

struct tt_item {
	size_t n;
	struct tt_field f[TT_ITEM_MAX_FIELDS];
};

struct tt_items {
	struct tt_item *v;
	size_t n, cap;
};

/* Appends an empty item; *ret points into items (valid until the next
 * add).  0 or -ENOMEM. */
int tt_items_add(struct tt_items *items, struct tt_item **ret);

/* Sets (or replaces) field name (a static string) to a copy of value.
 * 0, -ENOMEM, -E2BIG past TT_ITEM_MAX_FIELDS. */
int tt_item_set(struct tt_item *it, const char *name, const char *value);
int tt_item_setf(struct tt_item *it, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int tt_item_set_bool(struct tt_item *it, const char *name, bool value);

/* The value of field name, or NULL when the item has none. */
const char *tt_item_get(const struct tt_item *it, const char *name);

/* Frees every item; accepts an empty or zeroed list. */
void tt_items_free(struct tt_items *items);

/* Parameter types, checked when a pack is loaded. */
enum tt_param_type {
	TT_PARAM_STRING,
	TT_PARAM_BOOL, /* JSON true/false (or "true"/"false") */
	TT_PARAM_REGEX, /* POSIX ERE, compiled once at load */
	TT_PARAM_CHOICE, /* one of choices */
};

struct tt_param_spec {
	const char *name;
	enum tt_param_type type;
	bool required;
	const char *const *choices; /* TT_PARAM_CHOICE: NULL-terminated */
	const char *help;
};

struct tt_probe;

/* Parameters of one probe call, validated when the pack is loaded; their
 * regexes compiled then, or (a precompiled pack's) when first used.
 * Values are indexed as the probe's params table. */
struct tt_params {
	const struct tt_probe *probe;
	const char *v[TT_PROBE_MAX_PARAMS]; /* NULL: not given */
	regex_t *re[TT_PROBE_MAX_PARAMS];
	bool icase; /* regexes compiled caseless ("nocase": true) */
};

/* The value of parameter name, or def when not given. */
const char *
tt_param(const struct tt_params *p, const char *name, const char *def);
bool tt_param_bool(const struct tt_params *p, const char *name, bool def);
/*
 * The regex of parameter name, compiled now if its pack left it for later
 * (tt_params_set_deferred): a probe asks when it has a line to match, so
 * an audit of an image that lacks the file compiles nothing for it.  The
 * params are const to the probe; the compiled regex is a cache in them.
 * 0 with *ret (NULL: the parameter is not set); -ENOMEM; -EINVAL with err.
 */
int tt_param_regex_use(const struct tt_params *p, const char *name,
    const regex_t **ret, char *err, size_t errlen);

/*
 * Validates and stores value for parameter name of probe into p; compiles
 * regexes (REG_ICASE when icase).  Returns 0; -ENOENT unknown parameter;
 * -EINVAL bad value (err says why).
 */
int tt_params_set(struct tt_params *p, const char *name, const char *value,
    bool icase, char *err, size_t errlen);

/*
 * tt_params_set, but a regex is only stored, and compiled by
 * tt_param_regex_use when first needed: the precompiled packs' regexes
 * compiled when they were built, and compiling every rule's at each load
 * was most of a one-rule audit's pack loading.
 */
int tt_params_set_deferred(struct tt_params *p, const char *name,
    const char *value, bool icase, char *err, size_t errlen);

/* -EINVAL with err naming the first missing required parameter, or 0. */
int
tt_params_check_required(const struct tt_params *p, char *err, size_t errlen);

/* Frees compiled regexes (values are borrowed). */
void tt_params_free(struct tt_params *p);

/*
 * What one audit has spent, its limits (TT_BUDGET_*; tests lower them) and
 * its deadline.  Once a limit or the deadline is passed the budget stays
 * spent: every later probe that needs more fails at once with `why`, so
 * the audit ends with those rules "error" and the others judged.
 */
struct tt_budget {
	uint64_t files, bytes, lines, glob_dirs, glob_matches;
	uint64_t max_files, max_bytes, max_lines, max_glob_dirs,
	    max_glob_matches;
	int64_t deadline_ns; /* CLOCK_MONOTONIC; 0: none */
	long timeout_s; /* the deadline as given, for messages */
	int spent; /* 0, -E2BIG (a limit) or -ETIMEDOUT (the deadline) */
	char why[160]; /* which limit: "more than 4096 files included" */
	size_t not_judged; /* rules left "error" by the deadline */
};

/* The per-audit context. */
struct tt_cache_entry {
	char *key;
	uint64_t hash; /* of key: most lookups miss on it alone */
	void *data;
	void (*destroy)(void *);
	int err; /* a remembered failure, returned to later callers */
};

struct tt_audit {
	const struct tt_root *root;
	bool runtime; /* auditing the live system: /proc, /sys are real */
	struct tt_cache_entry *cache;
	size_t ncache, capcache;
	size_t walk_count; /* how many file system walks were made (tests) */
	/* Results carry id, title and result only: what status.json keeps
	 * (tt_audit_status_section). */
	bool brief;
	struct tt_budget budget;
};

/* Initialises ctx over root; runtime when root is the live host. */
void
tt_audit_init(struct tt_audit *a, const struct tt_root *root, bool runtime);

/* Gives the audit a deadline timeout_s seconds from now (0: none). */
void tt_audit_set_timeout(struct tt_audit *a, long timeout_s);

/* True once the audit's deadline has passed (and marks the budget
 * spent). */
bool tt_audit_timed_out(struct tt_audit *a);

/* Frees every cached parse; accepts a zeroed context. */
void tt_audit_free(struct tt_audit *a);

/*
 * The cache: tt_audit_cache_get returns true and the entry's data (or its
 * remembered error in *ret_err) when key was stored.  tt_audit_cache_put
 * takes data over (destroyed with destroy when the audit ends, or at once
 * on failure).  A failure (err < 0, data NULL) is remembered too, so a
 * missing file is looked for once.
 */
bool tt_audit_cache_get(struct tt_audit *a, const char *key, void **ret,
    int *ret_err);
int tt_audit_cache_put(struct tt_audit *a, const char *key, void *data,
    void (*destroy)(void *), int err);

/* The probe's function: appends items to out.  0, or a negative errno with
 * a reason in err (the rule becomes "error").  A missing file is not an
 * error for most probes: it is a fact. */
typedef int (*tt_probe_fn)(struct tt_audit *a, const struct tt_params *p,
    struct tt_items *out, char *err, size_t errlen);

struct tt_probe {
	const char *name;
	const char *description;
	const struct tt_param_spec *params; /* ended by a NULL name */
	const char *const *fields; /* ended by NULL */
	tt_probe_fn run;
};

/* The registry: every probe, ended by NULL. */
extern const struct tt_probe *const tt_probes[];

/* The probe of that name, or NULL. */
const struct tt_probe *tt_probe_find(const char *name);

/* True when the probe emits field name. */
bool tt_probe_has_field(const struct tt_probe *probe, const char *name);

#endif
