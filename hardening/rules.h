/*
 * The rule engine: rule packs (hardening/rules/README.md is the format)
 * loaded and validated strictly, profiles chosen from os-release, and
 * rules evaluated over the probes' items.  `tattoo audit`, `tattoo rules`,
 * `tattoo harden` and the audit summary of write/report all use it.
 *
 * Which packs are used (tt_packset_load):
 *   1. the files named with --rules, when any: only those;
 *   2. else the *.json files of /usr/share/tattoo/rules on the host when that directory
 *      holds any: the installed packs, which a package update may change
 *      without a new binary;
 *   3. else the packs compiled into the binary (embedded.h).
 * The sources are never mixed, so a result always names one set of packs.
 * Pack files must be owned by root (or us) and not group- or
 * world-writable.
 */
#ifndef TT_RULES_H
#define TT_RULES_H

#include <regex.h>
#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "osrelease.h"
#include "probe.h"

#define TT_PACK_SCHEMA 1
#define TT_PACK_MAX_BYTES ((size_t)8 * 1024 * 1024)
/* Far beyond any benchmark (CIS packs hold a few hundred): a bound on the
 * work a hostile pack can ask for. */
#define TT_PACK_MAX_RULES 5000
#define TT_RULES_DIR "/usr/share/tattoo/rules"
#define TT_CHECK_MAX_DEPTH 8

enum tt_op {
	TT_OP_EQ,
	TT_OP_NE,
	TT_OP_IN,
	TT_OP_NOT_IN,
	TT_OP_MATCH,
	TT_OP_NOT_MATCH,
	TT_OP_LT,
	TT_OP_LE,
	TT_OP_GT,
	TT_OP_GE,
	TT_OP_MODE_MAX,
	TT_OP_HAS_WORD,
	TT_OP_LACKS_WORD,
	TT_OP_EXISTS,
	TT_OP_ABSENT,
};

struct tt_cond {
	const char *field;
	enum tt_op op;
	const char *value; /* eq, ne, words, match (the text) */
	const char **values; /* in, not_in */
	size_t nvalues;
	regex_t *re; /* match, not_match: compiled at load */
	long long num; /* lt, le, gt, ge */
	unsigned mode; /* mode_max */
	bool nocase, optional;
};

enum tt_check_kind { TT_CHECK_PROBE, TT_CHECK_ALL, TT_CHECK_ANY, TT_CHECK_NOT };
enum tt_quant { TT_Q_ALL, TT_Q_ANY, TT_Q_NONE };

struct tt_check {
	enum tt_check_kind kind;
	/* TT_CHECK_PROBE */
	struct tt_params params;
	char *memo_key; /* probe name and parameters: one run per audit */
	struct tt_cond *filter, *expect;
	size_t nfilter, nexpect;
	enum tt_quant quant;
	bool empty_pass;
	/* all, any, not */
	struct tt_check *sub;
	size_t nsub;
};

struct tt_applies {
	const char **ids, **versions;
	size_t nids, nversions;
};

struct tt_pack;

struct tt_rule {
	const char *id, *title, *description, *rationale, *severity;
	/* References: cis, ssg and azure (a documentation URL) each NULL
	 * when absent; a rule has at least one reference (stig included). */
	const char *cis, *ssg, *azure, *manual, *expected;
	/* references.stig, all NULL when the rule has none. */
	const char *stig_id, *stig_cat, *stig_vuln, *stig_rule;
	bool scope_image, scope_runtime, has_applies;
	struct tt_applies applies;
	struct tt_check *check, *requires; /* check NULL for manual rules */
	/* {"action", "params"} or {"manual"}, and the rule as written;
	 * both NULL after tt_pack_drop_json, which keeps fix_text. */
	json_object *fix;
	json_object *json;
	const char *fix_text;
	const struct tt_pack *pack;
	size_t line;
};

struct tt_profile {
	const char *id, *title;
	size_t *rules; /* indices into the pack's rules */
	size_t nrules;
};

struct tt_pack {
	char *file; /* where it came from, for messages */
	const char *name, *benchmark;
	struct tt_applies applies;
	struct tt_profile *profiles;
	size_t nprofiles;
	struct tt_rule *rules;
	size_t nrules;
	/* The benchmark's section titles ("sections" in the pack, optional):
	 * 2 * nsections strings, number then title ("5.2", "Configure SSH
	 * Server"), in the pack's order, for the reports' headings. */
	const char **sections;
	size_t nsections;
	size_t *by_id; /* indices into rules, sorted by id: tt_pack_rule */
	json_object *doc; /* the document as written, or NULL */
	void *arena; /* owns every string above */
	uint8_t sha256[32]; /* of the file's bytes */
};

struct tt_packset {
	struct tt_pack **v;
	size_t n;
	const char *source; /* "--rules", TT_RULES_DIR or "embedded" */
};

/*
 * Parses and validates a pack.  file names it in messages.  On error
 * returns -EINVAL (or -ENOMEM) with "FILE:LINE: rule 'ID': FIELD: what is
 * wrong" in err (LINE where it can be found).
 */
int tt_pack_parse(const char *file, const char *text, size_t len,
    struct tt_pack **ret, char *err, size_t errlen);

/*
 * The same, for a pack built into the binary: sha256 is its digest, taken
 * at build time, and its regexes are compiled when first used (the build
 * parsed it with tt_pack_parse, every regex compiled, in
 * tools/packprecompile): `tattoo rules`, which shows the packs' JSON,
 * spent a quarter of its time compiling regexes it never matched.
 */
int tt_pack_parse_built_in(const char *file, const char *text, size_t len,
    const uint8_t *sha256, struct tt_pack **ret, char *err, size_t errlen);

void tt_pack_free(struct tt_pack *pack);

/*
 * Frees the pack's JSON document, keeping what an audit needs (with
 * keep_fix, each rule's fix as text, for reports that show it): an
 * audit's peak memory is then the larger of loading and running, not
 * their sum.  rule->json and rule->fix become NULL.  0 or -ENOMEM (the
 * pack is unchanged).
 */
int tt_pack_drop_json(struct tt_pack *pack, bool keep_fix);

/*
 * The packs of the binary also come precompiled (tools/packprecompile, run by
 * the build): json-c's parse of a 370 KB pack is two thirds of a report
 * round's audit.  tt_pack_precompile writes a pack (loaded, JSON dropped with
 * its fix text kept) as a blob; tt_pack_load_precompiled makes the same pack from it,
 * its strings pointing into the blob, which must outlive it.  file and
 * sha256 are the JSON's.  0, or -ENOMEM, or -EINVAL (err says where) for
 * a blob that is not one, which the build guarantees it is.
 */
struct tt_buf;
int tt_pack_precompile(const struct tt_pack *pack, struct tt_buf *out);
int tt_pack_load_precompiled(const char *file, const unsigned char *blob,
    size_t len, const uint8_t sha256[32], struct tt_pack **ret, char *err,
    size_t errlen);

/* Internal to pack.c and pack_precompiled.c: the index tt_pack_rule searches
 * (-EEXIST with the second and first index of a duplicate id), and a
 * match condition's regex (-EINVAL with regerror's text in why). */
int tt_pack_index(struct tt_pack *p, size_t *ret_dup, size_t *ret_first);
/* The built-in file a pack at path holds byte for byte, or NULL. */
struct tt_embedded_file;
const struct tt_embedded_file *
tt_pack_built_in_copy(const char *path, const char *text, size_t len);
int tt_cond_compile(struct tt_cond *cond, char *why, size_t whylen);
/*
 * Compiles the regexes a precompiled pack left uncompiled in a probe
 * check's conditions: the evaluator calls it when the probe found items
 * to judge, so an audit compiles only what it matches (audit --rule: one
 * rule's; an image without the file: none).  The parameters' regexes are
 * compiled by the probe that uses them (tt_param_regex_use).  The check is
 * const to the evaluator; the compiled regexes are a cache in it.  0,
 * -ENOMEM, or -EINVAL with why.
 */
int tt_check_compile_conds(const struct tt_check *ch, char *why, size_t whylen);
/* For tailoring.c, which rewrites rules: a copy of s owned by the pack
 * (NULL: out of memory), and the freeing of conditions. */
const char *tt_pack_keep(struct tt_pack *pack, const char *s);
void tt_conds_free(struct tt_cond *v, size_t n);

/* The rule of that id in pack, or NULL. */
const struct tt_rule *tt_pack_rule(const struct tt_pack *pack, const char *id);

/* The severity ("high", "medium", "low") of DISA's category "I", "II" or
 * "III"; NULL for anything else. */
const char *tt_stig_severity(const char *cat);

/* Whether a profile is a DISA STIG ("stig" or "stig-..."): its rules all
 * carry references.stig, and its audit reports them. */
bool tt_profile_is_stig(const struct tt_profile *profile);

/* For a rule id pack does not have: says so in err, with the closest id
 * when one is close (text.h tt_suggest), and returns -ENOENT. */
int tt_pack_unknown_rule(const struct tt_pack *pack, const char *id, char *err,
    size_t errlen);

/* True when the pack (and the rule, when not NULL) applies to os. */
bool tt_pack_applies(const struct tt_pack *pack, const struct tt_osrelease *os);
bool tt_rule_applies(const struct tt_rule *rule, const struct tt_osrelease *os);

/* Which installed or built-in packs an audit needs: those that apply to
 * os, or the one named by want's "PACK:" prefix. */
struct tt_pack_filter {
	const struct tt_osrelease *os;
	const char *want; /* --profile as given, may be NULL */
	/* The caller drops the JSON (tt_pack_drop_json with keep_fix):
	 * built-in packs may come precompiled. */
	bool no_json;
	/* Keep every pack that passes the filter (`rules` lists them all),
	 * not only the one an audit's profile is in. */
	bool every_pack;
};

/*
 * Loads the packs by the precedence above (files: the --rules files, may
 * be empty).  With a filter, installed and built-in packs that the audit
 * does not need are dropped after a look at their "pack" and "applies"
 * (an audit holds one pack in memory, not all of them); files named with
 * --rules are always loaded and validated whole.  -EINVAL with err as
 * tt_pack_parse says; another negative errno (unreadable, insecure) with
 * the file named in err.
 */
int
tt_packset_load(struct tt_packset *set, const char *const *files, size_t nfiles,
    const struct tt_pack_filter *filter, char *err, size_t errlen);

void tt_packset_free(struct tt_packset *set);

/*
 * Chooses a profile: want is "ID", "PACK:ID" or NULL (the first profile
 * of the pack that applies to os; cis-l1-server when it has one).  With
 * "ID" alone the pack must apply to os.  -ENOENT (unknown profile or pack)
 * and -ESRCH (no pack applies) with a reason in err.
 */
int
tt_profile_select(const struct tt_packset *set, const struct tt_osrelease *os,
    const char *want, const struct tt_pack **ret_pack,
    const struct tt_profile **ret_profile, char *err, size_t errlen);

/* SHA-256 over the packs of the set, in order: "sha256:" and hex. */
void tt_packset_digest(const struct tt_packset *set, char out[72]);

enum tt_result {
	TT_RESULT_PASS,
	TT_RESULT_FAIL,
	TT_RESULT_ERROR,
	TT_RESULT_NOTAPPLICABLE,
	TT_RESULT_MANUAL,
};

const char *tt_result_name(enum tt_result r);

struct tt_rule_result {
	enum tt_result result;
	char *found; /* what was found (fail, error, notapplicable why) */
	char *expected; /* what was expected (fail) */
};

/*
 * Evaluates one rule in the audit (a->runtime says the mode).  Fills ret
 * (free with tt_rule_result_free).  0 or -ENOMEM; a probe failure is a
 * result (error), not a return value.
 */
int tt_rule_eval(struct tt_audit *a, const struct tt_rule *rule,
    const struct tt_osrelease *os, struct tt_rule_result *ret);

void tt_rule_result_free(struct tt_rule_result *res);

/*
 * Runs the profile's rules (only those in rule_ids when nrule_ids > 0;
 * each must be in the profile or the pack: -ENOENT naming it in err) and
 * returns the audit document of DESIGN.md's "Outputs":
 * {schema, profile, root, summary{pass, fail, error, notapplicable,
 * manual, score}, results[{id, title, severity, result, references{cis,
 * ssg}, found, expected, section, description, rationale, fix}]} plus
 * "pack", "benchmark", "mode" and "rules_digest".
 */
int tt_audit_run(struct tt_audit *a, const struct tt_packset *set,
    const struct tt_pack *pack, const struct tt_profile *profile,
    const struct tt_osrelease *os, const char *root_shown,
    const char *const *rule_ids, size_t nrule_ids, json_object **ret, char *err,
    size_t errlen);

/* pass / (pass + fail) * 100 rounded to one decimal; 100 with neither. */
double tt_audit_score(long pass, long fail);

/* Fix actions are validated against hardening/actions.h's table. */

/*
 * An audit job: what `tattoo audit` and tt_audit_summary run.  The root's
 * os-release read, the packs loaded (only the one the profile needs, with
 * their JSON dropped), the profile chosen and its rules evaluated into the
 * audit document (tt_audit_run).
 */
struct tt_audit_job_opts {
	const struct tt_root *root;
	const char *const *files; /* --rules; nfiles 0: installed/built-in */
	size_t nfiles;
	const char *want; /* --profile or the configured one; NULL: OS */
	/* --tailoring or the configured one (a host path), or NULL. */
	const char *tailoring;
	const char *const *rule_ids; /* --rule; nrule_ids 0: the profile */
	size_t nrule_ids;
	long timeout_s; /* 0: no deadline */
	bool brief; /* status only: no fix text, descriptions (summary) */
};

/* The step a job stopped at: the caller's exit code and message. */
enum tt_audit_job_step {
	TT_AUDIT_JOB_DONE,
	TT_AUDIT_JOB_OSRELEASE, /* os-release unreadable; err says why */
	TT_AUDIT_JOB_PACKS, /* a pack: err is the whole message */
	TT_AUDIT_JOB_DROP, /* out of memory dropping the packs' JSON */
	TT_AUDIT_JOB_PROFILE, /* no such profile; err says why */
	TT_AUDIT_JOB_RUN, /* tt_audit_run: -ENOENT an unknown rule (err) */
	TT_AUDIT_JOB_TAILORING, /* the tailoring file: err is the message */
};

struct tt_tailoring;

struct tt_audit_job {
	struct tt_osrelease os;
	struct tt_packset set;
	const struct tt_pack *pack;
	const struct tt_profile *profile;
	struct tt_tailoring *tailoring; /* NULL: none */
	struct tt_audit audit; /* its budget says what was not judged */
	json_object *doc; /* the audit document */
	enum tt_audit_job_step failed_at;
};

/*
 * Runs the job into j (zeroed by the caller; free with tt_audit_job_free
 * in every case).  0, or a negative errno with j->failed_at set and, where
 * that step says so, the reason in err.
 */
int tt_audit_job_run(struct tt_audit_job *j, const struct tt_audit_job_opts *o,
    char *err, size_t errlen);

void tt_audit_job_free(struct tt_audit_job *j);

#endif
