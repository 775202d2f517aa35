/*
 * JUnit XML as Azure Pipelines' PublishTestResults (JUnit), GitHub test
 * reporters and GitLab's artifacts:reports:junit read it: <testsuites>
 * around <testsuite> elements with tests/failures/errors/skipped counts,
 * one <testcase> per rule or finding, <failure>, <error> and <skipped>
 * children.  No schema extension those readers would reject.
 */
#include "format.h"
#include "format_util.h"
#include "tt.h"

#define TRY(x)                                                                 \
	do {                                                                   \
		if ((r = (x)) < 0)                                             \
			goto out;                                              \
	} while (0)

static int
attr(struct tt_buf *b, const char *name, const char *value)
{
	int r;

	if ((r = tt_buf_printf(b, " %s=\"", name)) < 0 ||
	    (r = tt_fmt_xml(b, value, true)) < 0)
		return r;
	return tt_buf_putc(b, '"');
}

static int
counts_attrs(struct tt_buf *b, int64_t tests, int64_t failures, int64_t errors,
    int64_t skipped)
{
	return tt_buf_printf(b,
	    " tests=\"%lld\" failures=\"%lld\" errors=\"%lld\" "
	    "skipped=\"%lld\" time=\"0\"",
	    (long long)tests, (long long)failures, (long long)errors,
	    (long long)skipped);
}

static int
property(struct tt_buf *b, const char *name, const char *value)
{
	int r;

	if ((r = tt_buf_puts(b, "      <property")) < 0 ||
	    (r = attr(b, "name", name)) < 0 ||
	    (r = attr(b, "value", value)) < 0)
		return r;
	return tt_buf_puts(b, "/>\n");
}

/* The evidence of the run (evidence.h) as properties of a suite. */
static int
evidence_properties(struct tt_buf *b, json_object *doc)
{
	struct tt_fmt_evidence ev;
	int r = 0;

	tt_fmt_evidence_of(doc, &ev);
	if (ev.generated_at[0] != '\0')
		r = property(b, "generated_at", ev.generated_at);
	if (r == 0 && ev.benchmark[0] != '\0')
		r = property(b, "benchmark", ev.benchmark);
	if (r == 0 && ev.image[0] != '\0')
		r = property(b, "tattoo.image", ev.image);
	if (r == 0 && ev.version[0] != '\0')
		r = property(b, "tattoo.version", ev.version);
	if (r == 0 && ev.signature[0] != '\0')
		r = property(b, "tattoo.signature", ev.signature);
	return r;
}

/* "label: value" lines of the failure body, skipping empty values. */
static int
body_line(struct tt_buf *b, const char *label, const char *value)
{
	int r;

	if (value[0] == '\0')
		return 0;
	if ((r = tt_buf_printf(b, "%s: ", label)) < 0 ||
	    (r = tt_fmt_xml(b, value, false)) < 0)
		return r;
	return tt_buf_putc(b, '\n');
}

/* A STIG result's id, category and DISA ids, one line each. */
static int
stig_lines(struct tt_buf *b, json_object *refs)
{
	json_object *stig = NULL;
	char cat[16];
	int r;

	if (!json_object_object_get_ex(refs, "stig", &stig))
		return 0;
	snprintf(cat, sizeof(cat), "CAT %s", tt_fmt_str(stig, "cat"));
	TRY(body_line(b, "stig", tt_fmt_str(stig, "id")));
	TRY(body_line(b, "category", cat));
	TRY(body_line(b, "vuln", tt_fmt_str(stig, "vuln")));
	TRY(body_line(b, "stig rule", tt_fmt_str(stig, "rule")));
out:
	return r;
}

static int
audit_case(struct tt_buf *b, json_object *res, const char *profile,
    const char *section)
{
	enum tt_fmt_result kind = tt_fmt_result_of(res);
	json_object *refs = NULL;
	char path[512], msg[1024];
	int r;

	json_object_object_get_ex(res, "references", &refs);
	TRY(tt_buf_puts(b, "    <testcase"));
	TRY(attr(b, "name", tt_fmt_str(res, "id")));
	TRY(tt_buf_puts(b, " classname=\"tattoo.audit."));
	TRY(tt_fmt_xml(b, profile[0] != '\0' ? profile : "default", true));
	TRY(tt_buf_puts(b, ".section-"));
	TRY(tt_fmt_xml(b, section, true));
	TRY(tt_buf_puts(b, "\" time=\"0\""));
	if (tt_fmt_rule_path(res, path, sizeof(path)))
		TRY(attr(b, "file", path));
	if (kind == TT_FMT_PASS) {
		TRY(tt_buf_puts(b, "/>\n"));
		return 0;
	}
	TRY(tt_buf_puts(b, ">\n"));
	switch (kind) {
	case TT_FMT_FAIL:
		snprintf(msg, sizeof(msg), "%s: found %s; expected %s",
		    tt_fmt_str(res, "title"), tt_fmt_str(res, "found"),
		    tt_fmt_str(res, "expected"));
		TRY(tt_buf_puts(b, "      <failure"));
		TRY(attr(b, "message", msg));
		TRY(attr(b, "type", tt_fmt_str(res, "severity")));
		TRY(tt_buf_puts(b, ">"));
		TRY(body_line(b, "title", tt_fmt_str(res, "title")));
		TRY(body_line(b, "found", tt_fmt_str(res, "found")));
		TRY(body_line(b, "expected", tt_fmt_str(res, "expected")));
		TRY(body_line(b, "severity", tt_fmt_str(res, "severity")));
		TRY(body_line(b, "cis", tt_fmt_str(refs, "cis")));
		TRY(body_line(b, "ssg", tt_fmt_str(refs, "ssg")));
		TRY(body_line(b, "azure", tt_fmt_str(refs, "azure")));
		TRY(stig_lines(b, refs));
		TRY(body_line(b, "rationale", tt_fmt_str(res, "rationale")));
		TRY(tt_buf_puts(b, "</failure>\n"));
		break;
	case TT_FMT_ERROR:
		snprintf(msg, sizeof(msg), "%s: %s", tt_fmt_str(res, "title"),
		    tt_fmt_str(res, "found"));
		TRY(tt_buf_puts(b, "      <error"));
		TRY(attr(b, "message", msg));
		TRY(tt_buf_puts(b, " type=\"error\">"));
		TRY(body_line(b, "found", tt_fmt_str(res, "found")));
		TRY(body_line(b, "expected", tt_fmt_str(res, "expected")));
		TRY(tt_buf_puts(b, "</error>\n"));
		break;
	default:
		snprintf(msg, sizeof(msg), "%s%s%s", tt_fmt_result_names[kind],
		    tt_fmt_str(res, "found")[0] != '\0' ? ": " : "",
		    tt_fmt_str(res, "found"));
		TRY(tt_buf_puts(b, "      <skipped"));
		TRY(attr(b, "message", msg));
		TRY(tt_buf_puts(b, "/>\n"));
	}
	TRY(tt_buf_puts(b, "    </testcase>\n"));
out:
	return r;
}

/* Whether results[0..i) already holds a result of section sec. */
static bool
section_seen(json_object *results, size_t i, const char *sec)
{
	char other[64];

	for (size_t j = 0; j < i; j++) {
		tt_fmt_section(json_object_array_get_idx(results, j), other,
		    sizeof(other));
		if (TT_STREQ(other, sec))
			return true;
	}
	return false;
}

int
tt_format_junit_audit(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	json_object *results, *summary = NULL;
	const char *profile;
	int64_t c[TT_FMT_NRESULTS];
	char score[32];
	size_t n;
	int r;

	if ((r = tt_fmt_check_audit(in->doc, err, errlen)) < 0)
		return r;
	results = tt_fmt_array(in->doc, "results");
	n = json_object_array_length(results);
	profile = tt_fmt_str(in->doc, "profile");
	json_object_object_get_ex(in->doc, "summary", &summary);
	tt_fmt_count(results, c);
	snprintf(score, sizeof(score), "%.1f", tt_fmt_score(in->doc, c));

	TRY(tt_buf_puts(b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"tattoo audit\""));
	TRY(counts_attrs(b, (int64_t)n, c[TT_FMT_FAIL], c[TT_FMT_ERROR],
	    c[TT_FMT_NOTAPPLICABLE] + c[TT_FMT_MANUAL]));
	TRY(tt_buf_puts(b, ">\n"));
	/* One suite per benchmark section, in the order they first occur. */
	for (size_t i = 0; i < n; i++) {
		int64_t sc[TT_FMT_NRESULTS] = { 0 }, tests = 0;
		char sec[64], name[256];

		tt_fmt_section(json_object_array_get_idx(results, i), sec,
		    sizeof(sec));
		if (section_seen(results, i, sec))
			continue;
		for (size_t j = i; j < n; j++) {
			json_object *res =
			    json_object_array_get_idx(results, j);
			char other[64];

			tt_fmt_section(res, other, sizeof(other));
			if (TT_STREQ(other, sec)) {
				sc[tt_fmt_result_of(res)]++;
				tests++;
			}
		}
		snprintf(name, sizeof(name), "tattoo audit %s section %s",
		    profile, sec);
		TRY(tt_buf_puts(b, "  <testsuite"));
		TRY(attr(b, "name", name));
		TRY(counts_attrs(b, tests, sc[TT_FMT_FAIL], sc[TT_FMT_ERROR],
		    sc[TT_FMT_NOTAPPLICABLE] + sc[TT_FMT_MANUAL]));
		TRY(tt_buf_puts(b, ">\n    <properties>\n"));
		TRY(property(b, "profile", profile));
		TRY(property(b, "root", tt_fmt_str(in->doc, "root")));
		TRY(property(b, "score", score));
		TRY(evidence_properties(b, in->doc));
		TRY(tt_buf_puts(b, "    </properties>\n"));
		for (size_t j = i; j < n; j++) {
			json_object *res =
			    json_object_array_get_idx(results, j);
			char other[64];

			tt_fmt_section(res, other, sizeof(other));
			if (TT_STREQ(other, sec))
				TRY(audit_case(b, res, profile, sec));
		}
		TRY(tt_buf_puts(b, "  </testsuite>\n"));
	}
	TRY(tt_buf_puts(b, "</testsuites>\n"));
out:
	return r;
}

static int
scrub_case(struct tt_buf *b, json_object *f)
{
	const char *kind = tt_fmt_str(f, "kind");
	const char *path = tt_fmt_str(f, "path");
	int64_t line = tt_fmt_int(f, "line", 0);
	char name[1200], msg[1400];
	int r;

	if (line > 0)
		snprintf(name, sizeof(name), "%s:%lld %s", path,
		    (long long)line, tt_fmt_str(f, "detector"));
	else
		snprintf(name, sizeof(name), "%s %s", path,
		    tt_fmt_str(f, "detector"));
	snprintf(msg, sizeof(msg), "%s %s in %s (action: %s)", kind,
	    tt_fmt_str(f, "detector"), path, tt_fmt_str(f, "action"));
	TRY(tt_buf_puts(b, "    <testcase"));
	TRY(attr(b, "name", name));
	TRY(tt_buf_puts(b, " classname=\"tattoo.scrub."));
	TRY(tt_fmt_xml(b, kind, true));
	TRY(tt_buf_puts(b, "\" time=\"0\""));
	TRY(attr(b, "file", path));
	TRY(tt_buf_puts(b, ">\n      <failure"));
	TRY(attr(b, "message", msg));
	TRY(attr(b, "type", kind));
	TRY(tt_buf_puts(b, ">"));
	TRY(body_line(b, "path", path));
	if (line > 0)
		TRY(tt_buf_printf(b, "line: %lld\n", (long long)line));
	TRY(body_line(b, "offset", tt_fmt_str(f, "offset")));
	TRY(body_line(b, "detector", tt_fmt_str(f, "detector")));
	TRY(body_line(b, "preview", tt_fmt_str(f, "preview")));
	TRY(body_line(b, "fingerprint", tt_fmt_str(f, "fingerprint")));
	TRY(body_line(b, "action", tt_fmt_str(f, "action")));
	TRY(tt_buf_puts(b, "</failure>\n    </testcase>\n"));
out:
	return r;
}

int
tt_format_junit_scrub(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	json_object *findings;
	size_t n;
	int r;

	if ((r = tt_fmt_check_scrub(in->doc, err, errlen)) < 0)
		return r;
	findings = tt_fmt_array(in->doc, "findings");
	n = json_object_array_length(findings);
	TRY(tt_buf_puts(b,
	    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	    "<testsuites name=\"tattoo scrub\""));
	/* A clean tree is one passing case, so the test tab shows the run. */
	TRY(counts_attrs(b, n > 0 ? (int64_t)n : 1, (int64_t)n, 0, 0));
	TRY(tt_buf_puts(b, ">\n  <testsuite name=\"tattoo scrub\""));
	TRY(counts_attrs(b, n > 0 ? (int64_t)n : 1, (int64_t)n, 0, 0));
	TRY(tt_buf_puts(b, ">\n    <properties>\n"));
	TRY(property(b, "root", tt_fmt_str(in->doc, "root")));
	TRY(evidence_properties(b, in->doc));
	TRY(tt_buf_puts(b, "    </properties>\n"));
	if (n == 0)
		TRY(tt_buf_puts(b,
		    "    <testcase name=\"no secrets or "
		    "leftovers found\" classname=\"tattoo.scrub\""
		    " time=\"0\"/>\n"));
	for (size_t i = 0; i < n; i++)
		TRY(scrub_case(b, json_object_array_get_idx(findings, i)));
	TRY(tt_buf_puts(b, "  </testsuite>\n</testsuites>\n"));
out:
	return r;
}
