#include "cli.h"
#include "rules.h"
#include "tailoring.h"
#include "log.h"
#include "term.h"
#include "text.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo rules [--profile ID|PACK:ID] [--format text|json]\n"
    "                    [--rules FILE]... [RULE_ID | PACK:RULE_ID]\n"
    "\n"
    "Lists the rule packs, their profiles and rules, or shows one rule in\n"
    "full.  With --rules, loads (and so validates) those pack files instead\n"
    "of the installed or built-in ones.\n"
    "\n"
    "  --profile ID     list only the rules of this profile\n"
    "  --format FORMAT  text (default) or json:\n"
    "                   {\"schema\": 1, \"profiles\": [...], \"rules\": [...]}\n"
    "  --rules FILE     a rule pack file (repeatable)\n"
    "\n"
    "Exit: 0 ok, 2 usage or unknown rule or profile, 3 bad rule pack.\n";

enum {
	OPT_PROFILE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_FORMAT,
	OPT_RULES,
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

static json_object *
rule_json(const struct tt_pack *pack, const struct tt_rule *rule)
{
	json_object *o = json_object_new_object();

	/* The rule as written, with the pack it comes from. */
	json_object_object_add(o, "pack", json_object_new_string(pack->name));
	json_object_object_foreach(rule->json, key, val)
	    json_object_object_add(o, key, json_object_get(val));
	return o;
}

static void
print_json(json_object *doc)
{
	puts(json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE));
}

static const char *
pretty(json_object *o)
{
	return json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* A JSON value over several lines: JSON escapes C0 controls but not C1
 * or bidi ones, so it goes through the sanitiser as lines. */
static void
print_lines(const char *label, const char *text)
{
	tt_term_fprintf(stdout, "  %-12s ", label);
	tt_term_write(stdout, text, strlen(text), TT_TERM_LINES);
	putchar('\n');
}

/* Packs may come from --rules files: every value is escaped (term.h). */
static void
show_text(const struct tt_pack *pack, const struct tt_rule *rule)
{
	static const char *const kinds[] = {
		[TT_PARAM_NUMBER] = "a number",
		[TT_PARAM_LIST] = "a list",
		[TT_PARAM_TEXT] = "a value",
	};
	struct tt_rule_param param;
	json_object *v;

	tt_term_fprintf(stdout, "%s (pack %s)\n", rule->id, pack->name);
	tt_term_fprintf(stdout, "  title:       %s\n", rule->title);
	tt_term_fprintf(stdout, "  severity:    %s\n", rule->severity);
	tt_term_fprintf(stdout, "  cis:         %s\n", rule->cis);
	if (rule->ssg != NULL)
		tt_term_fprintf(stdout, "  ssg:         %s\n", rule->ssg);
	tt_term_fprintf(stdout, "  scope:       %s%s%s\n",
	    rule->scope_image ? "image" : "",
	    rule->scope_image && rule->scope_runtime ? ", " : "",
	    rule->scope_runtime ? "runtime" : "");
	tt_term_fprintf(stdout, "  description: %s\n", rule->description);
	tt_term_fprintf(stdout, "  rationale:   %s\n", rule->rationale);
	if (rule->manual != NULL)
		tt_term_fprintf(stdout, "  manual:      %s\n", rule->manual);
	if (json_object_object_get_ex(rule->json, "applies", &v))
		tt_term_fprintf(stdout, "  applies:     %s\n",
		    json_object_to_json_string(v));
	if (json_object_object_get_ex(rule->json, "requires", &v))
		print_lines("requires:", pretty(v));
	if (json_object_object_get_ex(rule->json, "check", &v))
		print_lines("check:", pretty(v));
	print_lines("fix:", pretty(rule->fix));
	/* What a tailoring file may set (docs/tailoring.md). */
	if (tt_rule_param(rule, &param) == 0)
		tt_term_fprintf(stdout,
		    "  parameter:   %s (%s; the pack's value %s): a tailoring "
		    "sets it as {\"%s\": {\"%s\": VALUE}}\n",
		    param.name, kinds[param.kind], param.value, rule->id,
		    param.name);
}

static int
show_one(const struct tt_packset *set, const char *want, const char *format)
{
	const char *colon = strchr(want, ':');
	const char *id = colon ? colon + 1 : want;
	json_object *arr = json_object_new_array();
	const struct tt_pack *first = NULL;
	size_t found = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct tt_pack *pack = set->v[i];
		const struct tt_rule *rule;

		if (colon != NULL &&
		    (strlen(pack->name) != (size_t)(colon - want) ||
			strncmp(pack->name, want, (size_t)(colon - want)) != 0))
			continue;
		if (first == NULL)
			first = pack;
		if ((rule = tt_pack_rule(pack, id)) == NULL)
			continue;
		if (TT_STREQ(format, "json")) {
			json_object_array_add(arr, rule_json(pack, rule));
		} else {
			if (found > 0)
				putchar('\n');
			show_text(pack, rule);
		}
		found++;
	}
	if (found == 0) {
		char err[1024];

		json_object_put(arr);
		if (first != NULL) {
			tt_pack_unknown_rule(first, id, err, sizeof(err));
			tt_error("rules: %s", err);
		} else {
			tt_error("rules: unknown rule '%s'", want);
		}
		return TT_EXIT_USAGE;
	}
	if (TT_STREQ(format, "json"))
		print_json(
		    found == 1 ? json_object_array_get_idx(arr, 0) : arr);
	json_object_put(arr);
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

static int
list(const struct tt_packset *set, const char *profile, const char *format)
{
	const struct tt_pack *only_pack = NULL;
	const struct tt_profile *only = NULL;
	json_object *doc, *profiles, *rules;

	if (profile != NULL) {
		const char *colon = strchr(profile, ':');
		const char *pid = colon ? colon + 1 : profile;

		for (size_t i = 0; i < set->n && only == NULL; i++) {
			const struct tt_pack *p = set->v[i];

			if (colon != NULL &&
			    (strlen(p->name) != (size_t)(colon - profile) ||
				strncmp(p->name, profile,
				    (size_t)(colon - profile)) != 0))
				continue;
			for (size_t j = 0; j < p->nprofiles && !only; j++) {
				if (TT_STREQ(p->profiles[j].id, pid)) {
					only = &p->profiles[j];
					only_pack = p;
				}
			}
		}
		if (only == NULL)
			return unknown_profile(set, profile);
	}
	doc = json_object_new_object();
	profiles = json_object_new_array();
	rules = json_object_new_array();
	for (size_t i = 0; i < set->n; i++) {
		const struct tt_pack *p = set->v[i];

		if (only_pack != NULL && p != only_pack)
			continue;
		if (!TT_STREQ(format, "json") && i > 0)
			putchar('\n');
		if (!TT_STREQ(format, "json"))
			tt_term_fprintf(stdout,
			    "pack %s: %s (%zu rules; for %s %s)\n", p->name,
			    p->benchmark ? p->benchmark : "", p->nrules,
			    p->applies.nids ? p->applies.ids[0] : "any",
			    p->applies.nversions ? p->applies.versions[0] : "");
		for (size_t j = 0; j < p->nprofiles; j++) {
			const struct tt_profile *pr = &p->profiles[j];
			json_object *o, *ids;

			if (only != NULL && pr != only)
				continue;
			o = json_object_new_object();
			if (!TT_STREQ(format, "json"))
				tt_term_fprintf(stdout,
				    "  profile %s:%s  %s (%zu rules)\n",
				    p->name, pr->id, pr->title ? pr->title : "",
				    pr->nrules);
			ids = json_object_new_array();
			for (size_t k = 0; k < pr->nrules; k++)
				json_object_array_add(ids,
				    json_object_new_string(
					p->rules[pr->rules[k]].id));
			json_object_object_add(o, "pack",
			    json_object_new_string(p->name));
			json_object_object_add(o, "id",
			    json_object_new_string(pr->id));
			json_object_object_add(o, "title",
			    json_object_new_string(pr->title ? pr->title : ""));
			json_object_object_add(o, "applies",
			    json_object_get(json_object_object_get_ex(p->doc,
						"applies", NULL) ?
				    json_object_object_get(p->doc, "applies") :
				    NULL));
			json_object_object_add(o, "rules", ids);
			json_object_array_add(profiles, o);
		}
		for (size_t j = 0; j < p->nrules; j++) {
			const struct tt_rule *rule = &p->rules[j];

			if (!in_profile(only, p, rule))
				continue;
			json_object_array_add(rules, rule_json(p, rule));
			if (!TT_STREQ(format, "json"))
				tt_term_fprintf(stdout,
				    "  %-9s %-6s %-44s %s\n", rule->cis,
				    rule->severity, rule->id, rule->title);
		}
	}
	if (TT_STREQ(format, "json")) {
		json_object_object_add(doc, "schema", json_object_new_int(1));
		json_object_object_add(doc, "source",
		    json_object_new_string(set->source));
		json_object_object_add(doc, "profiles", profiles);
		json_object_object_add(doc, "rules", rules);
		print_json(doc);
	} else {
		json_object_put(profiles);
		json_object_put(rules);
		if (set->n == 0)
			tt_term_fprintf(stdout, "no rule packs (source: %s)\n",
			    set->source);
	}
	json_object_put(doc);
	return TT_EXIT_OK;
}

int
cmd_rules(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "rules", required_argument, NULL, OPT_RULES },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char **files, *profile = NULL, *format = "text";
	struct tt_packset set = { 0 };
	size_t nfiles = 0;
	char err[1024];
	int c, r, rc;

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
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			free(files);
			return stop;
		}
	}
	if (!TT_STREQ(format, "text") && !TT_STREQ(format, "json")) {
		tt_error("rules: unknown format '%s'", format);
		free(files);
		return TT_EXIT_USAGE;
	}
	if (argc - optind > 1) {
		tt_error("rules: one rule id at a time");
		free(files);
		return tt_usage(usage, true);
	}
	if ((r = tt_packset_load(&set, files, nfiles, NULL, err, sizeof(err))) <
	    0) {
		tt_error("%s", err);
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
		goto out;
	}
	rc = optind < argc ? show_one(&set, argv[optind], format) :
			     list(&set, profile, format);
out:
	tt_packset_free(&set);
	free(files);
	return rc;
}
