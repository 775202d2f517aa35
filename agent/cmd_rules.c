#include "cli.h"
#include "fileio.h"
#include "format.h"
#include "rules.h"
#include "tailoring.h"
#include "log.h"
#include "osrelease.h"
#include "text.h"
#include "tt.h"

static const char usage_tmpl[] =
    "usage: tattoo rules [--all] [--profile ID|PACK:ID] [--format FORMAT]\n"
    "                    [--rules FILE]... [--root DIR] [RULE_ID | "
    "PACK:RULE_ID]\n"
    "\n"
    "Lists the rule packs that apply to the root (its os-release), their\n"
    "profiles and rules, or shows one rule in full.  A rule id is shown\n"
    "once, with the packs that have it.  With --rules, loads (and so\n"
    "validates) those pack files instead of the installed or built-in\n"
    "ones, and lists them all.\n"
    "\n"
    "  --all            every pack, whatever the root's OS\n"
    "  --profile ID     list only the rules of this profile (PACK:ID: that\n"
    "                   pack's, whatever the root's OS)\n"
    "  --format FORMAT  @FORMATS@\n"
    "  --rules FILE     a rule pack file (repeatable)\n"
    "\n"
    "Exit: 0 ok, 2 usage or unknown rule or profile, 3 bad rule pack.\n";

enum {
	OPT_PROFILE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_FORMAT,
	OPT_RULES,
	OPT_ALL,
};

/* Which packs are listed: all of them with --all or --rules, else those
 * that apply to the root's os-release. */
struct shown {
	bool *on;
	size_t n;
	const char *note; /* why none is shown */
};

static bool
in_profile(const struct tt_profile *prof, const struct tt_pack *pack,
    const struct tt_rule *rule)
{
	if (prof == NULL)
		return true;
	for (size_t i = 0; i < prof->nrules; i++)
		if (&pack->rules[prof->rules[i]] == rule)
			return true;
	return false;
}

/* The pack part of "PACK:X" is pack's name. */
static bool
named(const struct tt_pack *pack, const char *want, const char *colon)
{
	return strlen(pack->name) == (size_t)(colon - want) &&
	    strncmp(pack->name, want, (size_t)(colon - want)) == 0;
}

static json_object *
rule_json(const struct tt_pack *pack, const struct tt_rule *rule)
{
	json_object *o = json_object_new_object();

	/* The rule as written, with the pack it comes from ("packs": every
	 * pack that has it, added by the caller). */
	json_object_object_add(o, "pack", json_object_new_string(pack->name));
	static const char *const kinds[] = {
		[TT_PARAM_NUMBER] = "number",
		[TT_PARAM_LIST] = "list",
		[TT_PARAM_TEXT] = "text",
	};
	struct tt_rule_param param;

	json_object_object_foreach(rule->json, key, val)
	    json_object_object_add(o, key, json_object_get(val));
	json_object_object_add(o, "packs", json_object_new_array());
	/* What a tailoring file may set (docs/tailoring.md). */
	if (tt_rule_param(rule, &param) == 0) {
		json_object *p = json_object_new_object();

		json_object_object_add(p, "name",
		    json_object_new_string(param.name));
		json_object_object_add(p, "kind",
		    json_object_new_string(kinds[param.kind]));
		json_object_object_add(p, "value",
		    json_object_new_string(param.value));
		json_object_object_add(o, "parameter", p);
	}
	return o;
}

/* The rule's definition without "pack"/"packs": packs that define it
 * alike share one entry. */
static bool
same_rule(json_object *a, const struct tt_rule *b)
{
	return json_object_equal(json_object_object_get(a, "check"),
		   json_object_object_get(b->json, "check")) &&
	    json_object_equal(json_object_object_get(a, "fix"),
		json_object_object_get(b->json, "fix")) &&
	    json_object_equal(json_object_object_get(a, "title"),
		json_object_object_get(b->json, "title")) &&
	    json_object_equal(json_object_object_get(a, "references"),
		json_object_object_get(b->json, "references"));
}

/* Adds pack's rule to arr: to the entry of the same id (and, with
 * by_definition, the same definition), or as a new entry.  by_id, when
 * not NULL, maps each id to its entry (a listing of every pack holds
 * thousands: a scan of arr per rule was a tenth of `rules --all`). */
static void
add_rule(json_object *arr, json_object *by_id, const struct tt_pack *pack,
    const struct tt_rule *rule, bool by_definition)
{
	json_object *o = NULL;

	if (by_id != NULL)
		(void)json_object_object_get_ex(by_id, rule->id, &o);
	for (size_t i = 0;
	     by_id == NULL && i < json_object_array_length(arr) && !o; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (TT_STREQ(json_object_get_string(
				 json_object_object_get(e, "id")),
			rule->id) &&
		    (!by_definition || same_rule(e, rule)))
			o = e;
	}
	if (o == NULL) {
		o = rule_json(pack, rule);
		json_object_array_add(arr, o);
		if (by_id != NULL)
			json_object_object_add(by_id, rule->id,
			    json_object_get(o));
	}
	json_object_array_add(json_object_object_get(o, "packs"),
	    json_object_new_string(pack->name));
}

static int
show_one(const struct tt_packset *set, const struct shown *sh, const char *want,
    json_object **ret)
{
	const char *colon = strchr(want, ':');
	const char *id = colon ? colon + 1 : want;
	json_object *arr = json_object_new_array();
	const struct tt_pack *first = NULL;

	for (size_t i = 0; i < set->n; i++) {
		const struct tt_pack *pack = set->v[i];
		const struct tt_rule *rule;

		if (colon != NULL ? !named(pack, want, colon) : !sh->on[i])
			continue;
		if (first == NULL)
			first = pack;
		if ((rule = tt_pack_rule(pack, id)) != NULL)
			add_rule(arr, NULL, pack, rule, true);
	}
	if (json_object_array_length(arr) == 0) {
		char err[1024];

		json_object_put(arr);
		if (first != NULL) {
			tt_pack_unknown_rule(first, id, err, sizeof(err));
			tt_error("rules: %s", err);
		} else {
			tt_error("rules: unknown rule '%s'%s%s%s", want,
			    sh->note ? " (" : "", sh->note ? sh->note : "",
			    sh->note ? ")" : "");
		}
		return TT_EXIT_USAGE;
	}
	if (json_object_array_length(arr) == 1) {
		*ret = json_object_get(json_object_array_get_idx(arr, 0));
		json_object_put(arr);
	} else {
		*ret = arr;
	}
	return TT_EXIT_OK;
}

/* An unknown --profile: the closest id of any pack, and the ids. */
static int
unknown_profile(const struct tt_packset *set, const char *profile)
{
	const char *colon = strchr(profile, ':');
	const char *cands[128], *near;
	char list[1024] = "";
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		for (size_t j = 0;
		     j < set->v[i]->nprofiles && n < TT_ARRAY_SIZE(cands);
		     j++) {
			const char *id = set->v[i]->profiles[j].id;
			bool seen = false;

			for (size_t k = 0; k < n && !seen; k++)
				seen = TT_STREQ(cands[k], id);
			if (seen) /* packs share profile names */
				continue;
			strlcat(list, n > 0 ? ", " : "", sizeof(list));
			strlcat(list, id, sizeof(list));
			cands[n++] = id;
		}
	near = tt_suggest(colon ? colon + 1 : profile, cands, n);
	if (near != NULL)
		tt_error("rules: unknown profile '%s'; did you mean '%s'? "
			 "(profiles: %s)",
		    profile, near, list);
	else
		tt_error("rules: unknown profile '%s' (profiles: %s)", profile,
		    list);
	return TT_EXIT_USAGE;
}

/* --profile: the pack and profile it names, among the shown packs unless
 * it names its pack. */
static const struct tt_profile *
find_profile(const struct tt_packset *set, const struct shown *sh,
    const char *profile, const struct tt_pack **ret_pack)
{
	const char *colon = strchr(profile, ':');
	const char *pid = colon ? colon + 1 : profile;

	for (size_t i = 0; i < set->n; i++) {
		const struct tt_pack *p = set->v[i];

		if (colon != NULL ? !named(p, profile, colon) : !sh->on[i])
			continue;
		for (size_t j = 0; j < p->nprofiles; j++)
			if (TT_STREQ(p->profiles[j].id, pid)) {
				*ret_pack = p;
				return &p->profiles[j];
			}
	}
	return NULL;
}

static json_object *
pack_json(const struct tt_pack *p)
{
	json_object *o = json_object_new_object(), *ap = NULL;
	char what[256];

	json_object_object_get_ex(p->doc, "applies", &ap);
	snprintf(what, sizeof(what), "%s%s%s",
	    p->applies.nids ? p->applies.ids[0] : "any",
	    p->applies.nversions ? " " : "",
	    p->applies.nversions ? p->applies.versions[0] : "");
	json_object_object_add(o, "name", json_object_new_string(p->name));
	json_object_object_add(o, "benchmark",
	    json_object_new_string(p->benchmark ? p->benchmark : ""));
	json_object_object_add(o, "for", json_object_new_string(what));
	json_object_object_add(o, "applies", json_object_get(ap));
	json_object_object_add(o, "nrules",
	    json_object_new_int64((int64_t)p->nrules));
	return o;
}

static json_object *
profile_json(const struct tt_pack *p, const struct tt_profile *pr)
{
	json_object *o = json_object_new_object(), *ids, *ap = NULL;

	ids = json_object_new_array();
	for (size_t k = 0; k < pr->nrules; k++)
		json_object_array_add(ids,
		    json_object_new_string(p->rules[pr->rules[k]].id));
	json_object_object_get_ex(p->doc, "applies", &ap);
	json_object_object_add(o, "pack", json_object_new_string(p->name));
	json_object_object_add(o, "id", json_object_new_string(pr->id));
	json_object_object_add(o, "title",
	    json_object_new_string(pr->title ? pr->title : ""));
	json_object_object_add(o, "applies", json_object_get(ap));
	json_object_object_add(o, "rules", ids);
	return o;
}

static int
list(const struct tt_packset *set, const struct shown *sh, const char *profile,
    json_object **ret)
{
	const struct tt_pack *only_pack = NULL;
	const struct tt_profile *only = NULL;
	json_object *doc, *packs, *profiles, *rules, *by_id;

	if (profile != NULL &&
	    (only = find_profile(set, sh, profile, &only_pack)) == NULL)
		return unknown_profile(set, profile);
	doc = json_object_new_object();
	packs = json_object_new_array();
	profiles = json_object_new_array();
	rules = json_object_new_array();
	by_id = json_object_new_object();
	for (size_t i = 0; i < set->n; i++) {
		const struct tt_pack *p = set->v[i];

		if (only_pack != NULL ? p != only_pack : !sh->on[i])
			continue;
		json_object_array_add(packs, pack_json(p));
		for (size_t j = 0; j < p->nprofiles; j++)
			if (only == NULL || &p->profiles[j] == only)
				json_object_array_add(profiles,
				    profile_json(p, &p->profiles[j]));
		for (size_t j = 0; j < p->nrules; j++)
			if (in_profile(only, p, &p->rules[j]))
				add_rule(rules, by_id, p, &p->rules[j], false);
	}
	json_object_put(by_id);
	json_object_object_add(doc, "schema", json_object_new_int(1));
	json_object_object_add(doc, "source",
	    json_object_new_string(set->source));
	if (sh->note != NULL && json_object_array_length(packs) == 0)
		json_object_object_add(doc, "note",
		    json_object_new_string(sh->note));
	json_object_object_add(doc, "packs", packs);
	json_object_object_add(doc, "profiles", profiles);
	json_object_object_add(doc, "rules", rules);
	*ret = doc;
	return TT_EXIT_OK;
}

/* The packs to list: with --all or --rules every one, else those that
 * apply to the root's os-release (note says why none does). */
static int
choose(struct tt_ctx *ctx, const struct tt_packset *set, bool all,
    struct shown *sh, char *note, size_t notelen)
{
	struct tt_osrelease os = { 0 };
	size_t n = 0;
	int r = 0;

	if ((sh->on = calloc(set->n + 1, sizeof(*sh->on))) == NULL)
		return -ENOMEM;
	sh->n = set->n;
	if (!all && (r = tt_osrelease_load(&os, &ctx->root)) < 0 &&
	    r != -ENOENT)
		goto out;
	for (size_t i = 0; i < set->n; i++) {
		sh->on[i] = all || tt_pack_applies(set->v[i], &os);
		n += sh->on[i];
	}
	if (n == 0 && set->n > 0) {
		const char *id = tt_osrelease_get(&os, "ID");
		const char *ver = tt_osrelease_get(&os, "VERSION_ID");

		snprintf(note, notelen,
		    "none applies to %s (%s%s%s); --all lists them all",
		    ctx->root.path, id ? id : "no os-release", ver ? " " : "",
		    ver ? ver : "");
		sh->note = note;
	}
	r = 0;
out:
	tt_osrelease_free(&os);
	return r;
}

/* Reads the packs: with --all or --rules every one; else only the pack
 * that a "PACK:" prefix names (of the rule id, or of --profile when no
 * rule is asked for), or the packs that apply to the root.  Parsing the
 * packs not shown was most of the command's time (a pack is up to a
 * megabyte of JSON).  An os-release that cannot be read reads them all:
 * choose() then says why. */
static int
load(struct tt_ctx *ctx, struct tt_packset *set, const char *const *files,
    size_t nfiles, bool every, const char *named, char *err, size_t errlen)
{
	struct tt_osrelease os = { 0 };
	struct tt_pack_filter filter = { .want = named, .every_pack = true };
	int r;

	if (every || nfiles > 0)
		return tt_packset_load(set, files, nfiles, NULL, err, errlen);
	if (named == NULL) {
		if ((r = tt_osrelease_load(&os, &ctx->root)) < 0 &&
		    r != -ENOENT) {
			tt_osrelease_free(&os);
			return tt_packset_load(set, NULL, 0, NULL, err, errlen);
		}
		filter.os = &os;
	}
	r = tt_packset_load(set, NULL, 0, &filter, err, errlen);
	tt_osrelease_free(&os);
	return r;
}

/* Does the set hold what was asked for (the rule, the profile, any pack
 * shown)?  When it does not, the answer is an error naming what every
 * pack has, so the command reads them all. */
static bool
found(const struct tt_packset *set, const struct shown *sh, const char *profile,
    const char *want)
{
	const struct tt_pack *pack;
	size_t n = 0;

	if (want != NULL) {
		const char *colon = strchr(want, ':');

		for (size_t i = 0; i < set->n; i++)
			if ((colon != NULL ? named(set->v[i], want, colon) :
					     sh->on[i]) &&
			    tt_pack_rule(set->v[i], colon ? colon + 1 : want))
				return true;
		return false;
	}
	if (profile != NULL)
		return find_profile(set, sh, profile, &pack) != NULL;
	for (size_t i = 0; i < set->n; i++)
		n += sh->on[i];
	return n > 0;
}

/* Loads the packs, picks those shown and builds the document.  The packs
 * are read filtered first (load); the rare answer the filtered set
 * cannot give (an unknown rule or profile, no pack for the root) comes
 * from all of them, as it always did. */
static int
run(struct tt_ctx *ctx, const char *const *files, size_t nfiles, bool all,
    const char *profile, const char *want, json_object **doc)
{
	struct tt_packset set = { 0 };
	struct shown sh = { 0 };
	const char *prefixed = want != NULL ? want : profile;
	const char *named =
	    prefixed != NULL && strchr(prefixed, ':') ? prefixed : NULL;
	char err[1024], note[PATH_MAX + 512];
	bool every = all || nfiles > 0;
	int r, rc;

again:
	if ((r = load(ctx, &set, files, nfiles, every, named, err,
		 sizeof(err))) < 0) {
		tt_error("%s", err);
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
		goto out;
	}
	if ((r = choose(ctx, &set, all || nfiles > 0, &sh, note,
		 sizeof(note))) < 0) {
		tt_error("rules: cannot read the os-release of '%s': %s",
		    ctx->root.path, tt_strerror(r));
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
		goto out;
	}
	if (!every && !found(&set, &sh, profile, want)) {
		free(sh.on);
		sh = (struct shown){ 0 };
		tt_packset_free(&set);
		every = true;
		goto again;
	}
	rc = want != NULL ? show_one(&set, &sh, want, doc) :
			    list(&set, &sh, profile, doc);
out:
	free(sh.on);
	tt_packset_free(&set);
	return rc;
}

int
cmd_rules(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "all", no_argument, NULL, OPT_ALL },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	const char **files, *profile = NULL, *format = TT_FORMAT_DEFAULT;
	const struct tt_format *fmt;
	struct tt_format_input in = { 0 };
	struct tt_buf out;
	size_t nfiles = 0;
	char err[1024], usage[sizeof(usage_tmpl) + 512];
	bool all = false;
	int c, r, rc;

	(void)tt_format_usage(usage, sizeof(usage), usage_tmpl,
	    TT_FORMAT_RULES);
	if ((files = calloc((size_t)argc + 1, sizeof(*files))) == NULL) {
		tt_error("rules: out of memory");
		return TT_EXIT_ENV;
	}
	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: profile = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_RULES: files[nfiles++] = optarg; break;
		case OPT_ALL: all = true; break;
		default:
			if ((rc = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			free(files);
			return rc;
		}
	}
	if ((fmt = tt_format_lookup(format, TT_FORMAT_RULES, err,
		 sizeof(err))) == NULL) {
		tt_error("rules: %s", err);
		free(files);
		return TT_EXIT_USAGE;
	}
	if (argc - optind > 1) {
		tt_error("rules: one rule id at a time");
		free(files);
		return tt_usage(usage, true);
	}
	tt_buf_init(&out, TT_FORMAT_MAX_BYTES);
	if ((rc = tt_ctx_setup(ctx)) != 0 ||
	    (rc = run(ctx, files, nfiles, all, profile,
		 optind < argc ? argv[optind] : NULL, &in.doc)) != 0)
		goto out;
	if ((r = tt_format_write(fmt, TT_FORMAT_RULES, &in, &out, err,
		 sizeof(err))) < 0) {
		tt_error("rules: %s", err);
		rc = TT_EXIT_ENV;
	} else if ((r = tt_format_emit(NULL, &out)) < 0) {
		tt_error("rules: cannot write standard output: %s",
		    tt_strerror(r));
		rc = TT_EXIT_ENV;
	}
out:
	json_object_put(in.doc);
	tt_buf_free(&out);
	free(files);
	return rc;
}
