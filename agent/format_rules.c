/*
 * The formats of `tattoo rules` (rows of tt_formats with a rules writer):
 * the document cmd_rules builds (docs/schema/rules.schema.json for a
 * list; one rule object, or an array of its differing definitions, for
 * `rules RULE_ID`) as JSON or as text.  Packs may come from --rules files:
 * every value in the text goes through tt_term_printf (term.h).
 */
#include <string.h>

#include "format.h"
#include "format_util.h"
#include "log.h"
#include "term.h"
#include "tt.h"

#define TRY(x)                                                                 \
	do {                                                                   \
		if ((r = (x)) < 0)                                             \
			return r;                                              \
	} while (0)

static const char *
get(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

static const char *
pretty(json_object *o)
{
	return json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
}

/* "a, b" of a JSON array of strings. */
static int
joined(struct tt_buf *out, json_object *arr)
{
	int r = 0;

	for (size_t i = 0; r == 0 && i < json_object_array_length(arr); i++)
		r = tt_term_printf(out, "%s%s", i > 0 ? ", " : "",
		    json_object_get_string(json_object_array_get_idx(arr, i)));
	return r;
}

/* A JSON value over several lines: JSON escapes C0 controls but not C1
 * or bidi ones, so it goes through the sanitiser as lines. */
static int
lines(struct tt_buf *out, const char *label, json_object *v)
{
	const char *s = pretty(v);
	int r;

	if (s == NULL)
		return -ENOMEM;
	TRY(tt_term_printf(out, "  %-12s ", label));
	TRY(tt_term_escape(out, s, strlen(s), TT_TERM_LINES));
	return tt_buf_putc(out, '\n');
}

static json_object *
stig_of(json_object *refs)
{
	json_object *v = NULL;

	json_object_object_get_ex(refs, "stig", &v);
	return v;
}

static int
one_rule(json_object *rule, struct tt_buf *out)
{
	json_object *refs = NULL, *packs = NULL, *scope = NULL, *v;
	int r;

	json_object_object_get_ex(rule, "references", &refs);
	json_object_object_get_ex(rule, "packs", &packs);
	json_object_object_get_ex(rule, "scope", &scope);
	TRY(tt_term_printf(out, "%s\n", get(rule, "id")));
	TRY(tt_buf_puts(out, "  packs:       "));
	if (packs != NULL)
		TRY(joined(out, packs));
	else
		TRY(tt_term_printf(out, "%s", get(rule, "pack")));
	TRY(tt_term_printf(out, "\n  title:       %s\n", get(rule, "title")));
	TRY(tt_term_printf(out, "  severity:    %s\n", get(rule, "severity")));
	if (*get(refs, "cis"))
		TRY(tt_term_printf(out, "  cis:         %s\n",
		    get(refs, "cis")));
	if (json_object_object_get_ex(refs, "stig", &v))
		TRY(tt_term_printf(out, "  stig:        %s CAT %s %s %s\n",
		    get(v, "id"), get(v, "cat"), get(v, "vuln"),
		    get(v, "rule")));
	if (*get(refs, "ssg"))
		TRY(tt_term_printf(out, "  ssg:         %s\n",
		    get(refs, "ssg")));
	if (*get(refs, "azure"))
		TRY(tt_term_printf(out, "  azure:       %s\n",
		    get(refs, "azure")));
	TRY(tt_buf_puts(out, "  scope:       "));
	TRY(joined(out, scope));
	TRY(tt_term_printf(out, "\n  description: %s\n",
	    get(rule, "description")));
	TRY(tt_term_printf(out, "  rationale:   %s\n", get(rule, "rationale")));
	if (*get(rule, "manual"))
		TRY(tt_term_printf(out, "  manual:      %s\n",
		    get(rule, "manual")));
	if (json_object_object_get_ex(rule, "applies", &v))
		TRY(tt_term_printf(out, "  applies:     %s\n",
		    json_object_to_json_string(v)));
	if (json_object_object_get_ex(rule, "requires", &v))
		TRY(lines(out, "requires:", v));
	if (json_object_object_get_ex(rule, "check", &v))
		TRY(lines(out, "check:", v));
	if (json_object_object_get_ex(rule, "fix", &v))
		TRY(lines(out, "fix:", v));
	if (json_object_object_get_ex(rule, "parameter", &v))
		TRY(tt_term_printf(out,
		    "  parameter:   %s (a %s; %s%s): a "
		    "tailoring sets it as {\"%s\": {\"%s\": VALUE}}\n",
		    get(v, "name"), get(v, "kind"),
		    /* log_forward's loghost: empty means "any" */
		    *get(v, "value") ? "the pack's value " :
				       "empty in the pack",
		    get(v, "value"), get(rule, "id"), get(v, "name")));
	return 0;
}

static int
list(json_object *doc, struct tt_buf *out)
{
	json_object *packs = tt_fmt_array(doc, "packs");
	json_object *profiles = tt_fmt_array(doc, "profiles");
	json_object *rules = tt_fmt_array(doc, "rules");
	size_t np = json_object_array_length(packs);
	int r;

	for (size_t i = 0; i < np; i++) {
		json_object *p = json_object_array_get_idx(packs, i);

		if (i > 0)
			TRY(tt_buf_putc(out, '\n'));
		TRY(tt_term_printf(out, "pack %s: %s (%lld rules; for %s)\n",
		    get(p, "name"), get(p, "benchmark"),
		    (long long)tt_fmt_int(p, "nrules", 0), get(p, "for")));
		for (size_t j = 0; j < json_object_array_length(profiles);
		     j++) {
			json_object *pr =
			    json_object_array_get_idx(profiles, j);

			if (!TT_STREQ(get(pr, "pack"), get(p, "name")))
				continue;
			TRY(tt_term_printf(out,
			    "  profile %s:%s  %s (%zu rules)\n",
			    get(pr, "pack"), get(pr, "id"), get(pr, "title"),
			    json_object_array_length(
				tt_fmt_array(pr, "rules"))));
		}
	}
	if (json_object_array_length(rules) > 0)
		TRY(tt_buf_puts(out, "\nrules:\n"));
	/* A rule id once, with the packs that have it when more than one
	 * pack is listed. */
	for (size_t i = 0; i < json_object_array_length(rules); i++) {
		json_object *rule = json_object_array_get_idx(rules, i);
		json_object *refs = NULL, *in = NULL;

		json_object_object_get_ex(rule, "references", &refs);
		json_object_object_get_ex(rule, "packs", &in);
		/* A rule only a STIG asks for shows its STIG id. */
		TRY(tt_term_printf(out, "  %-9s %-6s %-44s %s",
		    *get(refs, "cis") ? get(refs, "cis") :
					get(stig_of(refs), "id"),
		    get(rule, "severity"), get(rule, "id"),
		    get(rule, "title")));
		if (np > 1 && in != NULL) {
			TRY(tt_buf_puts(out, "  ["));
			TRY(joined(out, in));
			TRY(tt_buf_putc(out, ']'));
		}
		TRY(tt_buf_putc(out, '\n'));
	}
	if (np == 0)
		TRY(tt_term_printf(out, "no rule packs%s%s (source: %s)\n",
		    *get(doc, "note") ? ": " : "", get(doc, "note"),
		    get(doc, "source")));
	return 0;
}

/* A list has "rules"; `rules RULE_ID` is the rule itself, or an array of
 * its definitions when packs define it differently. */
static int
check(json_object *doc, char *err, size_t errlen)
{
	if (json_object_is_type(doc, json_type_array) ||
	    (json_object_is_type(doc, json_type_object) &&
		(tt_fmt_array(doc, "rules") != NULL ||
		    json_object_object_get_ex(doc, "id", NULL))))
		return 0;
	tt_seterr(err, errlen,
	    "not a rules document: no \"rules\" array and no \"id\"");
	return -EINVAL;
}

int
tt_format_text_rules(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r;

	TRY(check(in->doc, err, errlen));
	if (json_object_is_type(in->doc, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(in->doc); i++) {
			if (i > 0)
				TRY(tt_buf_putc(out, '\n'));
			TRY(one_rule(json_object_array_get_idx(in->doc, i),
			    out));
		}
		return 0;
	}
	if (tt_fmt_array(in->doc, "rules") != NULL)
		return list(in->doc, out);
	return one_rule(in->doc, out);
}

int
tt_format_json_rules(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r;

	TRY(check(in->doc, err, errlen));
	return tt_format_json_text(in->doc, out);
}
