/*
 * One self-contained HTML file: inline CSS, no script, no image, no font,
 * no link to anything, so it opens the same from a pipeline artifact, a
 * mail attachment or a USB stick, and the Content-Security-Policy meta
 * forbids loading anything should someone edit it.  Print CSS keeps the
 * bars (print-color-adjust) and avoids breaking a rule across pages.
 */
#include "actions.h"
#include "format.h"
#include "format_util.h"
#include "tt.h"

#define TRY(x)                                                                 \
	do {                                                                   \
		if ((r = (x)) < 0)                                             \
			goto out;                                              \
	} while (0)

static const char css[] =
    ":root{--pass:#2e7d32;--fail:#c62828;--err:#ef6c00;--na:#9e9e9e;"
    "--man:#1565c0;--ink:#212121;--muted:#616161;--line:#ddd}\n"
    "*{box-sizing:border-box}\n"
    "body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,"
    "sans-serif;color:var(--ink);max-width:60rem;margin:1.5rem auto;"
    "padding:0 1rem}\n"
    "h1{font-size:1.6rem;margin:.2rem 0}h2{font-size:1.25rem;"
    "border-bottom:2px solid var(--line);padding-bottom:.2rem;"
    "margin-top:2rem}h3{font-size:1.05rem;margin:.2rem 0}\n"
    "table{border-collapse:collapse;width:100%}th,td{text-align:left;"
    "vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid "
    "var(--line)}th{color:var(--muted);font-weight:600}\n"
    "code,.mono{font-family:ui-monospace,'DejaVu Sans Mono',Consolas,"
    "monospace;font-size:.9em;overflow-wrap:anywhere}\n"
    ".tattoo{background:#f5f5f5;border:1px solid var(--line);"
    "border-radius:6px;padding:.6rem 1rem}.tattoo th{width:11rem}\n"
    ".score{display:flex;gap:2rem;align-items:center;flex-wrap:wrap}\n"
    ".big{font-size:3rem;font-weight:700}\n"
    ".counts span{display:inline-block;margin-right:1rem}\n"
    ".bar{display:flex;height:1rem;border:1px solid var(--line);"
    "border-radius:3px;overflow:hidden;min-width:10rem}"
    ".bar i{display:block;height:100%}\n"
    ".tag.pass,.bar .pass{background:var(--pass)}"
    ".tag.fail,.bar .fail{background:var(--fail)}"
    ".tag.error,.bar .error{background:var(--err)}"
    ".tag.notapplicable,.bar .notapplicable{background:var(--na)}"
    ".tag.manual,.bar .manual{background:var(--man)}\n"
    ".tag{color:#fff;border-radius:3px;padding:0 .35rem;font-size:.8em;"
    "font-weight:600}\n"
    ".rule{border:1px solid var(--line);border-left:5px solid "
    "var(--fail);border-radius:4px;padding:.6rem 1rem;margin:.8rem 0;"
    "break-inside:avoid}.rule.error{border-left-color:var(--err)}"
    ".rule.manual{border-left-color:var(--man)}\n"
    ".rule dl{display:grid;grid-template-columns:8rem 1fr;gap:.2rem .8rem;"
    "margin:.4rem 0 0}.rule dt{color:var(--muted)}.rule dd{margin:0}\n"
    ".muted{color:var(--muted)}h3.section{margin-top:1.2rem;"
    "color:var(--muted)}\n"
    "@media print{body{margin:0;max-width:none;font-size:11pt}"
    "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
    "h2,h3.section{break-after:avoid}tr{break-inside:avoid}"
    "a{color:inherit;text-decoration:none}}\n";

static int scrub_sections(struct tt_buf *b, json_object *doc);

static int
esc(struct tt_buf *b, const char *s)
{
	return tt_fmt_xml(b, s, false);
}

static int
head(struct tt_buf *b, const char *title)
{
	int r;

	TRY(tt_buf_puts(b,
	    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" "
	    "content=\"default-src 'none'; style-src "
	    "'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-"
	    "width, initial-scale=1\">\n<title>"));
	TRY(esc(b, title));
	TRY(tt_buf_printf(b, "</title>\n<style>\n%s</style>\n</head>\n<body>\n",
	    css));
out:
	return r;
}

static int
row(struct tt_buf *b, const char *label, const char *value, bool mono)
{
	int r;

	if (value == NULL || value[0] == '\0')
		return 0;
	TRY(tt_buf_printf(b, "<tr><th>%s</th><td%s>", label,
	    mono ? " class=\"mono\"" : ""));
	TRY(esc(b, value));
	TRY(tt_buf_puts(b, "</td></tr>\n"));
out:
	return r;
}

/* When the document was made and the benchmark it applies. */
static int
generated(struct tt_buf *b, json_object *doc)
{
	struct tt_fmt_evidence ev;
	int r = 0;

	tt_fmt_evidence_of(doc, &ev);
	if (ev.benchmark[0] != '\0') {
		TRY(tt_buf_puts(b, "<p id=\"benchmark\">Benchmark: "));
		TRY(esc(b, ev.benchmark));
		TRY(tt_buf_puts(b, "</p>\n"));
	}
	if (ev.generated_at[0] != '\0') {
		TRY(tt_buf_puts(b,
		    "<p class=\"muted\">Generated <time "
		    "id=\"generated-at\" datetime=\""));
		TRY(tt_fmt_xml(b, ev.generated_at, true));
		TRY(tt_buf_puts(b, "\">"));
		TRY(esc(b, ev.generated_at));
		TRY(tt_buf_puts(b, "</time></p>\n"));
	}
out:
	return r;
}

static int
tattoo_block(const struct tt_format_input *in, struct tt_buf *b)
{
	json_object *t = in->tattoo, *img = NULL, *os = NULL, *src = NULL,
		    *build = NULL;
	struct tt_fmt_evidence ev;
	char srcs[1024], age[64];
	int64_t secs;
	int r;

	TRY(tt_buf_puts(b,
	    "<section class=\"tattoo\" id=\"tattoo\">\n"
	    "<h2 style=\"margin-top:0\">Image tattoo</h2>\n"));
	tt_fmt_evidence_of(in->doc, &ev);
	if (t == NULL) {
		TRY(tt_buf_puts(b,
		    "<p class=\"muted\" id=\"no-tattoo\">This image "
		    "carries no tattoo.</p>\n</section>\n"));
		return 0;
	}
	json_object_object_get_ex(t, "image", &img);
	json_object_object_get_ex(t, "os", &os);
	json_object_object_get_ex(t, "source", &src);
	json_object_object_get_ex(t, "build", &build);
	snprintf(srcs, sizeof(srcs), "%s:%s:%s:%s",
	    tt_fmt_str(src, "publisher"), tt_fmt_str(src, "offer"),
	    tt_fmt_str(src, "sku"), tt_fmt_str(src, "version"));
	secs = tt_fmt_tattoo_age(t, in->now);
	if (secs >= 0)
		snprintf(age, sizeof(age), "%lld days",
		    (long long)(secs / 86400));
	else
		age[0] = '\0';
	TRY(tt_buf_puts(b, "<table>\n"));
	TRY(row(b, "Image", tt_fmt_str(img, "name"), false));
	TRY(row(b, "Signature", ev.signature, false));
	TRY(row(b, "Version", tt_fmt_str(img, "version"), false));
	TRY(row(b, "Published", tt_fmt_str(img, "published"), false));
	TRY(row(b, "Age", age, false));
	TRY(row(b, "Gallery", tt_fmt_str(img, "gallery"), true));
	TRY(row(b, "Source", TT_STREQ(srcs, ":::") ? "" : srcs, true));
	TRY(row(b, "Source id", tt_fmt_str(src, "id"), true));
	TRY(row(b, "OS", tt_fmt_str(os, "pretty_name"), false));
	TRY(row(b, "Kernel", tt_fmt_str(os, "kernel"), true));
	TRY(row(b, "Build", tt_fmt_str(build, "id"), true));
	TRY(row(b, "Pipeline", tt_fmt_str(build, "pipeline_url"), true));
	TRY(row(b, "Digest", tt_fmt_str(t, "digest"), true));
	if (in->drift != NULL &&
	    json_object_is_type(in->drift, json_type_object)) {
		json_object_object_foreach(in->drift, key, val)
		{
			if (json_object_is_type(val, json_type_boolean) &&
			    json_object_get_boolean(val))
				TRY(row(b, "Drift", key, true));
		}
	}
	TRY(tt_buf_puts(b, "</table>\n</section>\n"));
out:
	return r;
}

/* A bar of counts[] as percentages of total, with a text alternative. */
static int
bar(struct tt_buf *b, const int64_t c[TT_FMT_NRESULTS])
{
	int64_t total = 0;
	int r;

	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		total += c[i];
	TRY(tt_buf_puts(b, "<div class=\"bar\" role=\"img\" aria-label=\""));
	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		TRY(tt_buf_printf(b, "%s%lld %s", i ? ", " : "",
		    (long long)c[i], tt_fmt_result_names[i]));
	TRY(tt_buf_puts(b, "\">"));
	for (int i = 0; i < TT_FMT_NRESULTS && total > 0; i++)
		if (c[i] > 0)
			TRY(tt_buf_printf(b,
			    "<i class=\"%s\" style=\"width:%.2f%%\"></i>",
			    tt_fmt_result_names[i],
			    100.0 * (double)c[i] / (double)total));
	TRY(tt_buf_puts(b, "</div>"));
out:
	return r;
}

#define MAX_SECTIONS 128

struct section {
	char name[64];
	int64_t c[TT_FMT_NRESULTS];
};

static int
section_cmp(const void *a, const void *b)
{
	/* Version order: section 10 after section 9. */
	return strverscmp(((const struct section *)a)->name,
	    ((const struct section *)b)->name);
}

/* "N Title" from the audit's "sections" (the pack's titles), the number
 * alone when the pack has no title for it. */
static int
section_heading(struct tt_buf *b, json_object *doc, const char *number)
{
	json_object *titles;
	const char *t = "";
	int r;

	if (json_object_object_get_ex(doc, "sections", &titles))
		t = tt_fmt_str(titles, number);
	TRY(esc(b, number));
	if (t[0] != '\0') {
		TRY(tt_buf_puts(b, " "));
		TRY(esc(b, t));
	}
out:
	return r;
}

static int
sections(struct tt_buf *b, json_object *doc, json_object *results)
{
	size_t n = json_object_array_length(results), nsec = 0;
	struct section *sec;
	int r = 0;

	sec = calloc(MAX_SECTIONS, sizeof(*sec));
	if (sec == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(results, i);
		char name[64];
		size_t k;

		tt_fmt_section(res, name, sizeof(name));
		for (k = 0; k < nsec; k++)
			if (TT_STREQ(sec[k].name, name))
				break;
		if (k == nsec) {
			/* Benchmarks have about ten sections; past the cap
			 * the rest are counted with the last one. */
			if (nsec == MAX_SECTIONS)
				k = nsec - 1;
			else
				strlcpy(sec[nsec++].name, name, sizeof(name));
		}
		sec[k].c[tt_fmt_result_of(res)]++;
	}
	qsort(sec, nsec, sizeof(*sec), section_cmp);
	TRY(tt_buf_puts(b,
	    "<h2>By section</h2>\n<table class=\"sections\">\n"
	    "<tr><th>Section</th><th>Pass</th><th>Fail</th>"
	    "<th>Error</th><th>N/A</th><th>Manual</th>"
	    "<th style=\"width:40%\">Results</th></tr>\n"));
	for (size_t i = 0; i < nsec; i++) {
		const int64_t *c = sec[i].c;

		TRY(tt_buf_puts(b, "<tr><td>"));
		TRY(section_heading(b, doc, sec[i].name));
		TRY(tt_buf_printf(b,
		    "</td><td>%lld</td><td>%lld</td><td>%lld</td><td>%lld"
		    "</td><td>%lld</td><td>",
		    (long long)c[0], (long long)c[1], (long long)c[2],
		    (long long)c[3], (long long)c[4]));
		TRY(bar(b, c));
		TRY(tt_buf_puts(b, "</td></tr>\n"));
	}
	TRY(tt_buf_puts(b, "</table>\n"));
out:
	free(sec);
	return r;
}

static int
dd(struct tt_buf *b, const char *label, const char *value, bool mono)
{
	int r;

	if (value[0] == '\0')
		return 0;
	TRY(tt_buf_printf(b, "<dt>%s</dt><dd%s>", label,
	    mono ? " class=\"mono\"" : ""));
	TRY(esc(b, value));
	TRY(tt_buf_puts(b, "</dd>\n"));
out:
	return r;
}

/* A reference that is a documentation URL (the pack checked it is one
 * https token): a link, escaped as the text is. */
static int
link_dd(struct tt_buf *b, const char *label, const char *url)
{
	int r;

	if (strncmp(url, "https://", 8) != 0)
		return dd(b, label, url, true);
	TRY(tt_buf_printf(b, "<dt>%s</dt><dd class=\"mono\"><a href=\"",
	    label));
	TRY(tt_fmt_xml(b, url, true));
	TRY(tt_buf_puts(b, "\">"));
	TRY(esc(b, url));
	TRY(tt_buf_puts(b, "</a></dd>\n"));
out:
	return r;
}

/* What harden does about a fix, in words, from the action table: the
 * ones it declines (manual, an install it leaves to the image build) and
 * the ones that need a flag (package changes: --allow-package-changes,
 * and never under --root, where a person removes the package in the
 * image build).  Lock-out guards are decided at harden time: harden
 * --dry-run says so for this system. */
static const char *
harden_note(const char *action)
{
	const struct tt_action *a = tt_action_find(action);

	if (a == NULL)
		return "harden does not know this action";
	if (a->plan == NULL)
		return "harden declines it: install the package in the image "
		       "build";
	if (a->package_change)
		return "needs tattoo harden --allow-package-changes on the "
		       "system itself; under --root harden declines it (remove "
		       "the package in the image build)";
	return "tattoo harden applies it";
}

static int
fix_dd(struct tt_buf *b, json_object *res)
{
	json_object *fix, *params;
	int r = 0;

	if (!json_object_object_get_ex(res, "fix", &fix) || fix == NULL)
		return 0;
	if (json_object_is_type(fix, json_type_string))
		return dd(b, "Fix", json_object_get_string(fix), false);
	if (tt_fmt_str(fix, "manual")[0] != '\0') {
		TRY(dd(b, "Fix", "manual: harden declines it, a person does it",
		    false));
		return dd(b, "Review", tt_fmt_str(fix, "manual"), false);
	}
	if (tt_fmt_str(fix, "action")[0] == '\0')
		return 0;
	TRY(tt_buf_puts(b, "<dt>Fix</dt><dd class=\"fix\">"));
	TRY(esc(b, harden_note(tt_fmt_str(fix, "action"))));
	TRY(tt_buf_puts(b, ": <code>"));
	TRY(esc(b, tt_fmt_str(fix, "action")));
	TRY(tt_buf_puts(b, "</code>"));
	if (json_object_object_get_ex(fix, "params", &params)) {
		TRY(tt_buf_puts(b, " <code>"));
		TRY(esc(b,
		    json_object_to_json_string_ext(params,
			JSON_C_TO_STRING_PLAIN |
			    JSON_C_TO_STRING_NOSLASHESCAPE)));
		TRY(tt_buf_puts(b, "</code>"));
	}
	TRY(tt_buf_puts(b, "</dd>\n"));
out:
	return r;
}

/* The CIS number with the title of the nearest subsection above it that
 * the pack names, "5.1.20 (5.1 Configure SSH Server)": the heading above
 * the article already names the top-level section. */
static int
cis_dd(struct tt_buf *b, json_object *doc, const char *cis)
{
	json_object *titles = NULL;
	const char *t = "";
	char up[64];
	char *dot;
	int r;

	if (cis[0] == '\0')
		return 0;
	json_object_object_get_ex(doc, "sections", &titles);
	strlcpy(up, cis, sizeof(up));
	while (titles != NULL && (dot = strrchr(up, '.')) != NULL) {
		*dot = '\0';
		if (strchr(up, '.') == NULL)
			break;
		if ((t = tt_fmt_str(titles, up))[0] != '\0')
			break;
	}
	TRY(tt_buf_puts(b, "<dt>CIS</dt><dd>"));
	TRY(esc(b, cis));
	if (t[0] != '\0') {
		TRY(tt_buf_puts(b, " ("));
		TRY(esc(b, up));
		TRY(tt_buf_puts(b, " "));
		TRY(esc(b, t));
		TRY(tt_buf_puts(b, ")"));
	}
	TRY(tt_buf_puts(b, "</dd>\n"));
out:
	return r;
}

static int
failing_rule(struct tt_buf *b, json_object *doc, json_object *res)
{
	enum tt_fmt_result kind = tt_fmt_result_of(res);
	json_object *refs = NULL, *stig = NULL;
	char cat[16];
	int r;

	json_object_object_get_ex(res, "references", &refs);
	TRY(tt_buf_printf(b, "<article class=\"rule %s\" id=\"rule-",
	    tt_fmt_result_names[kind]));
	TRY(tt_fmt_xml(b, tt_fmt_str(res, "id"), true));
	TRY(tt_buf_printf(b, "\" data-result=\"%s\">\n<h3>",
	    tt_fmt_result_names[kind]));
	TRY(esc(b, tt_fmt_str(res, "title")));
	TRY(tt_buf_printf(b,
	    " <span class=\"tag %s\">%s</span></h3>\n"
	    "<dl>\n",
	    tt_fmt_result_names[kind], tt_fmt_result_names[kind]));
	TRY(dd(b, "Rule", tt_fmt_str(res, "id"), true));
	TRY(dd(b, "Severity", tt_fmt_str(res, "severity"), false));
	TRY(cis_dd(b, doc, tt_fmt_str(refs, "cis")));
	TRY(dd(b, "SSG", tt_fmt_str(refs, "ssg"), true));
	TRY(link_dd(b, "Azure", tt_fmt_str(refs, "azure")));
	if (json_object_object_get_ex(refs, "stig", &stig)) {
		snprintf(cat, sizeof(cat), "CAT %s", tt_fmt_str(stig, "cat"));
		TRY(dd(b, "STIG", tt_fmt_str(stig, "id"), true));
		TRY(dd(b, "Category", cat, false));
		TRY(dd(b, "Vulnerability", tt_fmt_str(stig, "vuln"), true));
		TRY(dd(b, "STIG rule", tt_fmt_str(stig, "rule"), true));
	}
	TRY(dd(b, "Found", tt_fmt_str(res, "found"), true));
	TRY(dd(b, "Expected", tt_fmt_str(res, "expected"), true));
	TRY(dd(b, "Description", tt_fmt_str(res, "description"), false));
	TRY(dd(b, "Rationale", tt_fmt_str(res, "rationale"), false));
	TRY(fix_dd(b, res));
	TRY(tt_buf_puts(b, "</dl>\n</article>\n"));
out:
	return r;
}

static bool
article_wanted(json_object *res, bool manual)
{
	enum tt_fmt_result k = tt_fmt_result_of(res);

	return manual ? k == TT_FMT_MANUAL :
			k == TT_FMT_FAIL || k == TT_FMT_ERROR;
}

/* The articles of the wanted rules of section NAME (every section not in
 * SEC when NAME is NULL), in the pack's order, under NAME's heading. */
static int
section_articles(struct tt_buf *b, json_object *doc, json_object *results,
    bool manual, const char *name, const struct section *sec, size_t nsec)
{
	bool headed = false;
	int r = 0;

	for (size_t i = 0; i < json_object_array_length(results); i++) {
		json_object *res = json_object_array_get_idx(results, i);
		char s[64];
		size_t k = 0;

		if (!article_wanted(res, manual))
			continue;
		tt_fmt_section(res, s, sizeof(s));
		if (name != NULL ? !TT_STREQ(s, name) : false)
			continue;
		while (name == NULL && k < nsec && !TT_STREQ(sec[k].name, s))
			k++;
		if (name == NULL && k < nsec)
			continue;
		if (!headed || name == NULL) {
			TRY(tt_buf_puts(b, "<h3 class=\"section\">"));
			TRY(section_heading(b, doc, s));
			TRY(tt_buf_puts(b, "</h3>\n"));
			headed = true;
		}
		TRY(failing_rule(b, doc, res));
	}
out:
	return r;
}

/* The failing rules (or, with manual, the rules a person reviews, with
 * what to review) as articles grouped by CIS section, the sections in
 * the benchmark's order under a heading each. */
static int
rule_articles(struct tt_buf *b, json_object *doc, json_object *results,
    bool manual)
{
	struct section *sec;
	size_t nsec = 0;
	int r = 0;

	sec = calloc(MAX_SECTIONS, sizeof(*sec));
	if (sec == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		json_object *res = json_object_array_get_idx(results, i);
		char name[64];
		size_t k = 0;

		if (!article_wanted(res, manual))
			continue;
		tt_fmt_section(res, name, sizeof(name));
		while (k < nsec && !TT_STREQ(sec[k].name, name))
			k++;
		if (k == nsec && nsec < MAX_SECTIONS)
			strlcpy(sec[nsec++].name, name, sizeof(name));
	}
	qsort(sec, nsec, sizeof(*sec), section_cmp);
	for (size_t i = 0; i < nsec; i++)
		TRY(section_articles(b, doc, results, manual, sec[i].name, sec,
		    nsec));
	/* Past the cap (benchmarks have about ten sections), the rest in
	 * the pack's order, a heading each. */
	if (nsec == MAX_SECTIONS)
		TRY(section_articles(b, doc, results, manual, NULL, sec, nsec));
out:
	free(sec);
	return r;
}

/* Whether the results are a STIG audit's (they carry references.stig). */
static bool
any_stig(json_object *results)
{
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		json_object *refs = NULL;

		if (json_object_object_get_ex(json_object_array_get_idx(results,
						  i),
			"references", &refs) &&
		    json_object_object_get_ex(refs, "stig", NULL))
			return true;
	}
	return false;
}

static int
all_results(struct tt_buf *b, json_object *doc, json_object *results)
{
	size_t n = json_object_array_length(results);
	char last[64] = "";
	int r = 0;

	TRY(tt_buf_printf(b,
	    "<h2>All rules</h2>\n<table class=\"results\">\n"
	    "<tr><th>%s</th><th>Rule</th><th>Title</th><th>Severity</th>"
	    "<th>Result</th></tr>\n",
	    any_stig(results) ? "STIG" : "CIS"));
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(results, i);
		const char *kind = tt_fmt_result_names[tt_fmt_result_of(res)];
		json_object *refs = NULL, *stig = NULL;
		char name[64];

		/* A heading row where the section changes: the rules are in
		 * the pack's (the benchmark's) order. */
		tt_fmt_section(res, name, sizeof(name));
		if (!TT_STREQ(name, last)) {
			TRY(tt_buf_puts(b,
			    "<tr class=\"section\"><th colspan=\"5\">"));
			TRY(section_heading(b, doc, name));
			TRY(tt_buf_puts(b, "</th></tr>\n"));
			strlcpy(last, name, sizeof(last));
		}
		json_object_object_get_ex(res, "references", &refs);
		TRY(tt_buf_puts(b, "<tr><td class=\"cis\">"));
		/* A STIG audit's first column is the STIG id. */
		if (json_object_object_get_ex(refs, "stig", &stig))
			TRY(esc(b, tt_fmt_str(stig, "id")));
		else
			TRY(esc(b, tt_fmt_str(refs, "cis")));
		TRY(tt_buf_puts(b, "</td><td class=\"mono\">"));
		TRY(esc(b, tt_fmt_str(res, "id")));
		TRY(tt_buf_puts(b, "</td><td>"));
		TRY(esc(b, tt_fmt_str(res, "title")));
		TRY(tt_buf_puts(b, "</td><td>"));
		TRY(esc(b, tt_fmt_str(res, "severity")));
		TRY(tt_buf_printf(b,
		    "</td><td><span class=\"tag %s\">%s</span>"
		    "</td></tr>\n",
		    kind, kind));
	}
	TRY(tt_buf_puts(b, "</table>\n"));
out:
	return r;
}

static int
foot(struct tt_buf *b)
{
	return tt_buf_printf(b,
	    "<p class=\"muted\">Written by tattoo %s.</p>\n"
	    "</body>\n</html>\n",
	    TT_VERSION);
}

int
tt_format_html_audit(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	json_object *results;
	int64_t c[TT_FMT_NRESULTS];
	const char *profile;
	char title[300];
	int r;

	if ((r = tt_fmt_check_audit(in->doc, err, errlen)) < 0)
		return r;
	if (in->scrub != NULL &&
	    (r = tt_fmt_check_scrub(in->scrub, err, errlen)) < 0) {
		char why[256];

		snprintf(why, sizeof(why), "scrub document: %s", err);
		strlcpy(err, why, errlen);
		return r;
	}
	results = tt_fmt_array(in->doc, "results");
	profile = tt_fmt_str(in->doc, "profile");
	tt_fmt_count(results, c);
	snprintf(title, sizeof(title), "tattoo audit: %s", profile);
	TRY(head(b, title));
	TRY(tt_buf_puts(b, "<header>\n<h1>"));
	TRY(esc(b, title));
	TRY(tt_buf_puts(b, "</h1>\n<p class=\"muted\">Root <code>"));
	TRY(esc(b, tt_fmt_str(in->doc, "root")));
	TRY(tt_buf_puts(b, "</code></p>\n"));
	TRY(generated(b, in->doc));
	TRY(tt_buf_puts(b, "</header>\n"));
	TRY(tattoo_block(in, b));
	TRY(tt_buf_printf(b,
	    "<h2>Score</h2>\n<div class=\"score\">"
	    "<div class=\"big\" id=\"score\">%.1f%%</div>"
	    "<div class=\"counts\">",
	    tt_fmt_score(in->doc, c)));
	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		TRY(tt_buf_printf(b,
		    "<span><span class=\"tag %s\">%s</span> "
		    "<b id=\"count-%s\">%lld</b></span>",
		    tt_fmt_result_names[i], tt_fmt_result_names[i],
		    tt_fmt_result_names[i], (long long)c[i]));
	TRY(tt_buf_puts(b, "</div></div>\n"));
	TRY(bar(b, c));
	TRY(sections(b, in->doc, results));
	TRY(tt_buf_printf(b, "<h2>Failing rules (%lld)</h2>\n",
	    (long long)(c[TT_FMT_FAIL] + c[TT_FMT_ERROR])));
	if (c[TT_FMT_FAIL] + c[TT_FMT_ERROR] == 0)
		TRY(tt_buf_puts(b, "<p>No rule fails.</p>\n"));
	TRY(rule_articles(b, in->doc, results, false));
	if (c[TT_FMT_MANUAL] > 0) {
		TRY(tt_buf_printf(b, "<h2>To review (%lld)</h2>\n",
		    (long long)c[TT_FMT_MANUAL]));
		TRY(rule_articles(b, in->doc, results, true));
	}
	TRY(all_results(b, in->doc, results));
	if (in->scrub != NULL)
		TRY(scrub_sections(b, in->scrub));
	TRY(foot(b));
out:
	return r;
}

/* The scrub's summary and findings table (doc checked beforehand). */
static int
scrub_sections(struct tt_buf *b, json_object *doc)
{
	json_object *findings, *summary = NULL;
	size_t n;
	int r;

	findings = tt_fmt_array(doc, "findings");
	n = json_object_array_length(findings);
	json_object_object_get_ex(doc, "summary", &summary);
	TRY(tt_buf_printf(b,
	    "<h2>Scrub</h2>\n<p class=\"counts\">"
	    "<span>files <b>%lld</b></span>"
	    "<span>bytes <b>%lld</b></span>"
	    "<span>findings <b id=\"count-findings\">%zu</b>"
	    "</span></p>\n",
	    (long long)tt_fmt_int(summary, "files", 0),
	    (long long)tt_fmt_int(summary, "bytes", 0), n));
	if (n == 0)
		TRY(tt_buf_puts(b, "<p>No secrets or leftovers found.</p>\n"));
	else
		TRY(tt_buf_puts(b,
		    "<table class=\"findings\">\n<tr>"
		    "<th>Kind</th><th>Detector</th><th>Path</th>"
		    "<th>Line</th><th>Preview</th>"
		    "<th>Action</th></tr>\n"));
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(findings, i);
		int64_t line = tt_fmt_int(f, "line", 0);

		TRY(tt_buf_puts(b, "<tr class=\"finding\"><td>"));
		TRY(esc(b, tt_fmt_str(f, "kind")));
		TRY(tt_buf_puts(b, "</td><td class=\"mono\">"));
		TRY(esc(b, tt_fmt_str(f, "detector")));
		TRY(tt_buf_puts(b, "</td><td class=\"mono\">"));
		TRY(esc(b, tt_fmt_str(f, "path")));
		TRY(tt_buf_puts(b, "</td><td>"));
		if (line > 0)
			TRY(tt_buf_printf(b, "%lld", (long long)line));
		TRY(tt_buf_puts(b, "</td><td class=\"mono\">"));
		TRY(esc(b, tt_fmt_str(f, "preview")));
		TRY(tt_buf_puts(b, "</td><td>"));
		TRY(esc(b, tt_fmt_str(f, "action")));
		TRY(tt_buf_puts(b, "</td></tr>\n"));
	}
	if (n > 0)
		TRY(tt_buf_puts(b, "</table>\n"));
out:
	return r;
}

int
tt_format_html_scrub(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	int r;

	if ((r = tt_fmt_check_scrub(in->doc, err, errlen)) < 0)
		return r;
	TRY(head(b, "tattoo scrub"));
	TRY(tt_buf_puts(b,
	    "<header>\n<h1>tattoo scrub</h1>\n"
	    "<p class=\"muted\">Root <code>"));
	TRY(esc(b, tt_fmt_str(in->doc, "root")));
	TRY(tt_buf_puts(b, "</code></p>\n"));
	TRY(generated(b, in->doc));
	TRY(tt_buf_puts(b, "</header>\n"));
	TRY(tattoo_block(in, b));
	TRY(scrub_sections(b, in->doc));
	TRY(foot(b));
out:
	return r;
}
