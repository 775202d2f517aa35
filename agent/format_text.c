/*
 * The "text" format, for people: the audit grouped by CIS section with
 * what was found and expected, the scrub's findings one a line, each
 * ended by a summary.  Every value below can come from the image (found,
 * a path, a preview, the root's path) or a pack: tt_term_printf escapes
 * each %s (term.h), so a value cannot print a line of its own.  The only
 * raw bytes are the program's own colour codes, and only with in->color.
 */
#include <string.h>

#include "format.h"
#include "format_util.h"
#include "term.h"
#include "tt.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"

#define TRY(x)                                                                 \
	do {                                                                   \
		if ((r = (x)) < 0)                                             \
			goto out;                                              \
	} while (0)

/* Member key as text: a string's value, the JSON text of anything else,
 * "" when absent or null (the score is a number, printed as json-c does). */
static const char *
get(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	return json_object_get_string(v);
}

static long
count(json_object *summary, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(summary, key, &v) ?
	    (long)json_object_get_int64(v) :
	    0;
}

/* The program's own colour code, or nothing: always a constant, never a
 * value, so it goes around tt_term_printf, not through it. */
static int
sgr(struct tt_buf *out, bool color, const char *code)
{
	return color ? tt_buf_puts(out, code) : 0;
}

static int
cmp_section(const void *a, const void *b)
{
	return strverscmp(*(const char *const *)a, *(const char *const *)b);
}

/* When the audit ran and which tattoo it saw (evidence.h). */
static int
evidence(json_object *doc, struct tt_buf *out)
{
	struct tt_fmt_evidence ev;
	int r = 0;

	tt_fmt_evidence_of(doc, &ev);
	if (ev.generated_at[0] != '\0')
		r = tt_term_printf(out, "Generated %s\n", ev.generated_at);
	if (r == 0 && TT_STREQ(ev.signature, "absent"))
		r = tt_term_printf(out, "Tattoo: none\n");
	else if (r == 0 && ev.signature[0] != '\0')
		r = tt_term_printf(out, "Tattoo: %s %s (signature: %s)\n",
		    ev.image, ev.version, ev.signature);
	return r;
}

/* "stig: CAT II V-260470 SV-260470r958472_rule" under a STIG result. */
static int
stig_line(struct tt_buf *out, json_object *stig)
{
	int r;

	TRY(tt_term_printf(out, "        stig:     CAT %s", get(stig, "cat")));
	if (*get(stig, "vuln"))
		TRY(tt_term_printf(out, " %s", get(stig, "vuln")));
	if (*get(stig, "rule"))
		TRY(tt_term_printf(out, " %s", get(stig, "rule")));
	TRY(tt_buf_putc(out, '\n'));
out:
	return r;
}

/* The results of one section: failures, errors and what a person must
 * review; everything with -v. */
static int
audit_section(const struct tt_format_input *in, json_object *results,
    const char *section, struct tt_buf *out)
{
	static const char *const names[] = { "pass", "fail", "error",
		"notapplicable", "manual" };
	size_t n = json_object_array_length(results);
	long c[5] = { 0 };
	json_object *refs, *stig;
	int r;

	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(results, i);

		if (!TT_STREQ(get(res, "section"), section))
			continue;
		for (size_t k = 0; k < 5; k++)
			c[k] += TT_STREQ(get(res, "result"), names[k]);
	}
	TRY(tt_buf_putc(out, '\n'));
	TRY(sgr(out, in->color, BOLD));
	/* A STIG audit groups by category ("CAT I"), a CIS one by section. */
	TRY(tt_term_printf(out,
	    strncmp(section, "CAT ", 4) == 0 ? "%s" : "Section %s", section));
	TRY(sgr(out, in->color, RESET));
	TRY(tt_term_printf(out, ": %ld pass, %ld fail", c[0], c[1]));
	if (c[2])
		TRY(tt_term_printf(out, ", %ld error", c[2]));
	if (c[3])
		TRY(tt_term_printf(out, ", %ld not applicable", c[3]));
	if (c[4])
		TRY(tt_term_printf(out, ", %ld manual", c[4]));
	TRY(tt_buf_putc(out, '\n'));
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(results, i);
		const char *v = get(res, "result");
		bool bad = TT_STREQ(v, "fail") || TT_STREQ(v, "error");
		bool manual = TT_STREQ(v, "manual");

		if (!TT_STREQ(get(res, "section"), section) ||
		    (!bad && !manual && !in->verbose))
			continue;
		refs = stig = NULL;
		json_object_object_get_ex(res, "references", &refs);
		json_object_object_get_ex(refs, "stig", &stig);
		TRY(tt_buf_puts(out, "  "));
		TRY(tt_term_word(out, in->color,
		    TT_STREQ(v, "notapplicable") ? "n/a" : v, 5));
		TRY(tt_term_printf(out, " %-9s %s\n        %s\n",
		    stig != NULL ? get(stig, "id") : get(refs, "cis"),
		    get(res, "id"), get(res, "title")));
		if (stig != NULL)
			TRY(stig_line(out, stig));
		if (*get(res, "found") && (bad || in->verbose))
			TRY(tt_term_printf(out, "        found:    %s\n",
			    get(res, "found")));
		if (*get(res, "expected") && bad)
			TRY(tt_term_printf(out, "        expected: %s\n",
			    get(res, "expected")));
		if (*get(res, "expected") && manual)
			TRY(tt_term_printf(out, "        review:   %s\n",
			    get(res, "expected")));
	}
out:
	return r;
}

int
tt_format_text_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	json_object *doc = in->doc, *results, *summary = NULL;
	const char **sections = NULL;
	size_t n, nsec = 0;
	int r;

	TRY(tt_fmt_check_audit(doc, err, errlen));
	results = tt_fmt_array(doc, "results");
	json_object_object_get_ex(doc, "summary", &summary);
	n = json_object_array_length(results);
	if ((sections = calloc(n + 1, sizeof(*sections))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const char *s =
		    get(json_object_array_get_idx(results, i), "section");
		bool seen = false;

		for (size_t j = 0; j < nsec && !seen; j++)
			seen = TT_STREQ(sections[j], s);
		if (!seen)
			sections[nsec++] = s;
	}
	qsort(sections, nsec, sizeof(*sections), cmp_section);

	TRY(sgr(out, in->color, BOLD));
	TRY(tt_term_printf(out, "%s", get(doc, "profile_qualified")));
	TRY(sgr(out, in->color, RESET));
	TRY(tt_term_printf(out, " on %s (%s audit)\n", get(doc, "root"),
	    get(doc, "mode")));
	if (*get(doc, "benchmark"))
		TRY(tt_term_printf(out, "%s\n", get(doc, "benchmark")));
	TRY(evidence(doc, out));
	for (size_t s = 0; s < nsec; s++)
		TRY(audit_section(in, results, sections[s], out));
	TRY(tt_term_printf(out,
	    "\nSummary: %ld pass, %ld fail, %ld error, "
	    "%ld not applicable, %ld manual\n",
	    count(summary, "pass"), count(summary, "fail"),
	    count(summary, "error"), count(summary, "notapplicable"),
	    count(summary, "manual")));
	TRY(tt_buf_puts(out, "Score: "));
	TRY(sgr(out, in->color, BOLD));
	TRY(tt_term_printf(out, "%s%%", get(summary, "score")));
	TRY(sgr(out, in->color, RESET));
	TRY(tt_buf_puts(out, " (pass / (pass + fail))\n"));
out:
	free(sections);
	return r;
}

static int
scrub_finding(json_object *f, bool apply, struct tt_buf *out)
{
	if (TT_STREQ(get(f, "kind"), "secret"))
		return tt_term_printf(out,
		    "secret    %s:%llu (offset %llu)  %s  %s...  %s\n",
		    get(f, "path"),
		    (unsigned long long)tt_fmt_int(f, "line", 0),
		    (unsigned long long)tt_fmt_int(f, "offset", 0),
		    get(f, "detector"), get(f, "preview"),
		    get(f, "fingerprint"));
	return tt_term_printf(out, "leftover  %s  %s%s%s  (%s)\n",
	    get(f, "path"), get(f, "action"), apply ? ": " : "",
	    apply ? get(f, "result") : "", get(f, "description"));
}

int
tt_format_text_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	json_object *doc = in->doc, *fs, *sk, *summary = NULL;
	bool apply;
	size_t nf, ns, i = 0, j = 0, secrets = 0, leftovers = 0;
	int r;

	TRY(tt_fmt_check_scrub(doc, err, errlen));
	apply = TT_STREQ(get(doc, "mode"), "apply");
	fs = tt_fmt_array(doc, "findings");
	sk = tt_fmt_array(doc, "skipped");
	json_object_object_get_ex(doc, "summary", &summary);
	nf = json_object_array_length(fs);
	ns = sk != NULL ? json_object_array_length(sk) : 0;
	/* Both lists are sorted by path, a file's findings before its being
	 * skipped (scrub_walk.h): merged, they read in the walk's order. */
	while (i < nf || j < ns) {
		json_object *f =
		    i < nf ? json_object_array_get_idx(fs, i) : NULL;
		json_object *s =
		    j < ns ? json_object_array_get_idx(sk, j) : NULL;

		if (f != NULL &&
		    (s == NULL ||
			strcmp(get(f, "path"), get(s, "path")) <= 0)) {
			if (TT_STREQ(get(f, "kind"), "secret"))
				secrets++;
			else
				leftovers++;
			TRY(scrub_finding(f, apply, out));
			i++;
			continue;
		}
		if (in->verbose)
			TRY(tt_term_printf(out, "skipped   %s  %s\n",
			    get(s, "path"), get(s, "reason")));
		j++;
	}
	TRY(tt_term_printf(out,
	    "%llu files, %llu bytes scanned: %zu secrets, %zu leftovers, "
	    "%zu not scanned%s",
	    (unsigned long long)tt_fmt_int(summary, "files", 0),
	    (unsigned long long)tt_fmt_int(summary, "bytes", 0), secrets,
	    leftovers, ns, ns && !in->verbose ? " (-v lists them)" : ""));
	if (count(summary, "allowed") > 0)
		TRY(tt_term_printf(out,
		    ", %zu allowed (allowlist or known public)",
		    (size_t)count(summary, "allowed")));
	if (count(summary, "packaged") > 0)
		TRY(tt_term_printf(out,
		    ", %zu in files as their package shipped them",
		    (size_t)count(summary, "packaged")));
	TRY(tt_buf_puts(out, "\n"));
out:
	return r;
}
