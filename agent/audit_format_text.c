#include <string.h>

#include "audit_formats.h"
#include "term.h"
#include "tt.h"

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

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
static void
sgr(struct tt_buf *out, bool color, const char *code)
{
	if (color)
		tt_buf_puts(out, code);
}

static int
cmp_section(const void *a, const void *b)
{
	return strverscmp(*(const char *const *)a, *(const char *const *)b);
}

int
tt_audit_format_text(json_object *doc, struct tt_buf *out,
    const struct tt_audit_format_opts *opts)
{
	json_object *results = NULL, *summary = NULL, *refs;
	const char **sections;
	size_t n, nsec = 0;
	bool color = opts != NULL && opts->color;
	bool verbose = opts != NULL && opts->verbose;

	json_object_object_get_ex(doc, "results", &results);
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

	/* Every value below can come from the image (found, the root's
	 * path) or a pack: tt_term_printf escapes each %s (term.h). */
	sgr(out, color, BOLD);
	tt_term_printf(out, "%s", get(doc, "profile_qualified"));
	sgr(out, color, RESET);
	tt_term_printf(out, " on %s (%s audit)\n", get(doc, "root"),
	    get(doc, "mode"));
	if (*get(doc, "benchmark"))
		tt_term_printf(out, "%s\n", get(doc, "benchmark"));
	for (size_t s = 0; s < nsec; s++) {
		long c[5] = { 0 };
		static const char *const names[] = { "pass", "fail", "error",
			"notapplicable", "manual" };

		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(results, i);

			if (!TT_STREQ(get(r, "section"), sections[s]))
				continue;
			for (size_t k = 0; k < 5; k++)
				c[k] += TT_STREQ(get(r, "result"), names[k]);
		}
		tt_buf_putc(out, '\n');
		sgr(out, color, BOLD);
		tt_term_printf(out, "Section %s", sections[s]);
		sgr(out, color, RESET);
		tt_term_printf(out, ": %ld pass, %ld fail", c[0], c[1]);
		if (c[2])
			tt_term_printf(out, ", %ld error", c[2]);
		if (c[3])
			tt_term_printf(out, ", %ld not applicable", c[3]);
		if (c[4])
			tt_term_printf(out, ", %ld manual", c[4]);
		tt_buf_putc(out, '\n');
		for (size_t i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(results, i);
			const char *res = get(r, "result");
			bool bad =
			    TT_STREQ(res, "fail") || TT_STREQ(res, "error");
			bool manual = TT_STREQ(res, "manual");

			/* Failures, errors and what a person must review;
			 * everything with -v. */
			if (!TT_STREQ(get(r, "section"), sections[s]) ||
			    (!bad && !manual && !verbose))
				continue;
			json_object_object_get_ex(r, "references", &refs);
			tt_buf_puts(out, "  ");
			sgr(out, color,
			    TT_STREQ(res, "fail")      ? RED :
				TT_STREQ(res, "error") ? YELLOW :
				TT_STREQ(res, "pass")  ? GREEN :
							 "");
			tt_term_printf(out, "%-5s",
			    TT_STREQ(res, "notapplicable") ? "n/a" : res);
			sgr(out, color, RESET);
			tt_term_printf(out, " %-9s %s\n        %s\n",
			    get(refs, "cis"), get(r, "id"), get(r, "title"));
			if (*get(r, "found") && (bad || verbose))
				tt_term_printf(out, "        found:    %s\n",
				    get(r, "found"));
			if (*get(r, "expected") && bad)
				tt_term_printf(out, "        expected: %s\n",
				    get(r, "expected"));
			if (*get(r, "expected") && manual)
				tt_term_printf(out, "        review:   %s\n",
				    get(r, "expected"));
		}
	}
	free(sections);
	tt_term_printf(out,
	    "\nSummary: %ld pass, %ld fail, %ld error, "
	    "%ld not applicable, %ld manual\n",
	    count(summary, "pass"), count(summary, "fail"),
	    count(summary, "error"), count(summary, "notapplicable"),
	    count(summary, "manual"));
	tt_buf_puts(out, "Score: ");
	sgr(out, color, BOLD);
	tt_term_printf(out, "%s%%", get(summary, "score"));
	sgr(out, color, RESET);
	return tt_buf_puts(out, " (pass / (pass + fail))\n");
}
