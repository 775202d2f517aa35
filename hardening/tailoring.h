/*
 * Tailoring (docs/tailoring.md): a site's JSON file that, for one profile
 * of a pack, selects and deselects rules and sets rule parameters (a
 * password length, sshd's MaxAuthTries, the allowed ciphers).  It is
 * validated whole before anything uses it, like a pack: any error refuses
 * the file, named by file, line and field.
 *
 * The file is always the host's (--tailoring, the config key `tailoring`):
 * under --root the image is hostile input and chooses nothing.
 *
 * A rule's parameter is the value its fix sets (docs/tailoring.md,
 * "Parameters"; hardening/rules/README.md, "Tailoring"): the fix of a setter action (sshd_set, pwquality_set, ...)
 * names a key and a value, and the check's conditions on that key's value
 * are where the expected value lives.  Setting the parameter rewrites both,
 * so the audit expects, and harden writes, the site's value.
 */
#ifndef TT_TAILORING_H
#define TT_TAILORING_H

#include <stdbool.h>
#include <stddef.h>

#include <json-c/json.h>

#include "rules.h"

#define TT_TAILORING_SCHEMA 1
#define TT_TAILORING_MAX_BYTES ((size_t)1024 * 1024)
/* A parameter's value as text: far beyond any cipher list. */
#define TT_TAILORING_VALUE_MAX 1024

struct tt_tailoring_param {
	const char *rule, *name;
	const char *value; /* as text; a list joined with "," */
	bool list; /* written as an array of strings */
	size_t line;
};

struct tt_tailoring_ref {
	const char *rule;
	size_t line;
};

struct tt_tailoring {
	char *file; /* as given, for messages */
	json_object *doc; /* owns the strings below */
	json_object *strings; /* and the values made of integers and lists */
	const char *id, *title, *profile, *extends;
	size_t profile_line, extends_line;
	struct tt_tailoring_ref *select, *deselect;
	size_t nselect, ndeselect;
	struct tt_tailoring_param *params;
	size_t nparams;
	char digest[72]; /* "sha256:" and the hex of the file's bytes */
	/* The tailored profile, after tt_tailoring_apply: the base profile's
	 * id and title, its rules with the selection made. */
	struct tt_profile profile_out;
	char want[256]; /* "PACK:PROFILE" or "PROFILE": what it selects */
};

/*
 * Parses and validates a tailoring's text (file names it in messages).
 * On error -EINVAL (or -ENOMEM) with "FILE:LINE: FIELD: what is wrong" in
 * err, LINE where it can be found.
 */
int tt_tailoring_parse(const char *file, const char *text, size_t len,
    struct tt_tailoring **ret, char *err, size_t errlen);

/*
 * Reads path on the host (never inside an image), refusing a file that is
 * not regular, group- or world-writable or owned by someone else (as the
 * configuration is), and parses it.  Errors as tt_tailoring_parse, or the
 * read's negative errno with the path named in err.
 */
int tt_tailoring_load(const char *path, struct tt_tailoring **ret, char *err,
    size_t errlen);

void tt_tailoring_free(struct tt_tailoring *t);

/*
 * The profile a tailored run asks for, given --profile or the configured
 * one (want, may be NULL): the tailoring's own, in the pack that applies
 * to the root unless want names one ("PACK:PROFILE").  -EINVAL with err
 * when want names another profile or pack.
 */
int tt_tailoring_want(struct tt_tailoring *t, const char *want,
    const char **ret, char *err, size_t errlen);

/*
 * Applies t to pack, whose profile base was chosen for it: checks every
 * rule and parameter it names (unknown ones with a suggestion), makes
 * t->profile_out, and rewrites the parameters' rules in the pack (their
 * checks' conditions, fixes and expected text).  The pack must still have
 * its JSON (loaded with no_json false, not yet dropped).  0, or -EINVAL
 * with "FILE:LINE: FIELD: what" in err, or -ENOMEM.  On error the pack may
 * be half changed: the caller stops.
 */
int tt_tailoring_apply(struct tt_tailoring *t, struct tt_pack *pack,
    const struct tt_profile *base, char *err, size_t errlen);

/* {"id", "file", "sha256"} of the tailoring, for the audit document and the
 * tattoo's baseline; NULL when out of memory. */
json_object *tt_tailoring_json(const struct tt_tailoring *t);

/*
 * A rule's tunable parameter: the key its fix sets and the value it sets
 * it to, and what kind of value it is.  0, or -ENOENT when the rule has
 * none (a manual fix, an action that sets no single value, a check that
 * does not look at that value).  The rule's JSON must be there.
 */
enum tt_param_kind {
	TT_PARAM_NUMBER, /* the bound of <, <=, >, >=, = conditions */
	TT_PARAM_LIST, /* a comma list: only these words are allowed */
	TT_PARAM_TEXT, /* the value itself (=) */
};

struct tt_rule_param {
	const char *name; /* the key as the fix writes it: "MaxAuthTries" */
	const char *value; /* the pack's value */
	enum tt_param_kind kind;
};

int tt_rule_param(const struct tt_rule *rule, struct tt_rule_param *ret);

/*
 * Loads and applies a tailoring (path NULL: none) for a run: tt_packset_load
 * of the packs a profile needs with their JSON, the profile chosen (want
 * as tt_tailoring_want says), the tailoring applied.  The shared start of
 * audit, harden and the audit summary.  *ret_t is the loaded tailoring
 * (NULL without one; the caller frees it after the run).  Which step failed
 * is in *ret_step: 1 the tailoring file (input), 2 the packs (err is the
 * whole message), 3 the profile (usage).
 */
enum tt_tailored_step {
	TT_TAILORED_OK,
	TT_TAILORED_FILE,
	TT_TAILORED_PACKS,
	TT_TAILORED_PROFILE,
};

struct tt_tailored_opts {
	const struct tt_osrelease *os;
	const char *const *files;
	size_t nfiles;
	const char *want;
	const char *tailoring; /* host path, or NULL */
	bool no_json; /* audit: drop the packs' JSON (keep_fix) after */
	bool keep_fix;
};

int tt_tailored_load(struct tt_packset *set, const struct tt_tailored_opts *o,
    struct tt_tailoring **ret_t, const struct tt_pack **ret_pack,
    const struct tt_profile **ret_profile, enum tt_tailored_step *ret_step,
    char *err, size_t errlen);

#endif
