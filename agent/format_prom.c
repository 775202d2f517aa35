/*
 * Prometheus text exposition format 0.0.4 for node_exporter's textfile
 * collector: HELP and TYPE before each family, every family once, label
 * values escaped.  Every result x severity series is written, zeros too,
 * so a series does not vanish when its count drops to zero.
 */
#include "format.h"
#include "format_util.h"
#include "timeutil.h"
#include "tt.h"

#define TRY(x)                                                                 \
	do {                                                                   \
		if ((r = (x)) < 0)                                             \
			goto out;                                              \
	} while (0)

static int
family(struct tt_buf *b, const char *name, const char *type, const char *help)
{
	return tt_buf_printf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help,
	    name, type);
}

/* name{k="v",…} — labels as pairs, NULL-terminated. */
static int
sample(struct tt_buf *b, const char *name, const char *const *labels,
    const char *value)
{
	int r;

	TRY(tt_buf_puts(b, name));
	if (labels != NULL && labels[0] != NULL) {
		TRY(tt_buf_putc(b, '{'));
		for (size_t i = 0; labels[i] != NULL; i += 2) {
			TRY(tt_buf_printf(b, "%s%s=\"", i ? "," : "",
			    labels[i]));
			TRY(tt_fmt_prom_label(b, labels[i + 1]));
			TRY(tt_buf_putc(b, '"'));
		}
		TRY(tt_buf_putc(b, '}'));
	}
	TRY(tt_buf_printf(b, " %s\n", value));
out:
	return r;
}

static int
sample_int(struct tt_buf *b, const char *name, const char *const *labels,
    int64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", (long long)v);
	return sample(b, name, labels, s);
}

/* The gallery check of the last report: every status series, zeros
 * too, and the versions compared as labels. */
static int
image_families(const struct tt_format_input *in, struct tt_buf *b)
{
	static const char *const words[] = { "latest", "outdated", "eol",
		"unknown" };
	const char *status;
	int r = 0;

	if (in->image == NULL ||
	    !json_object_is_type(in->image, json_type_object))
		return 0;
	status = tt_fmt_str(in->image, "status");
	TRY(family(b, "tattoo_image_status", "gauge",
	    "1 for the status of the VM's gallery image version."));
	for (size_t i = 0; i < TT_ARRAY_SIZE(words); i++) {
		const char *const labels[] = { "status", words[i], NULL };

		TRY(sample_int(b, "tattoo_image_status", labels,
		    TT_STREQ(status, words[i])));
	}
	const char *const info[] = { "version",
		tt_fmt_str(in->image, "version"), "latest",
		tt_fmt_str(in->image, "latest"), NULL };

	TRY(family(b, "tattoo_image_info", "gauge",
	    "The VM's gallery image version and the latest; always 1."));
	TRY(sample(b, "tattoo_image_info", info, "1"));
out:
	return r;
}

/* The tattoo and drift families, shared by audit and scrub. */
/* When the audit ran (seconds since the epoch, as node_exporter's own
 * timestamps) and the benchmark and tattoo signature it saw. */
static int
evidence_families(const struct tt_format_input *in, struct tt_buf *b)
{
	struct tt_fmt_evidence ev;
	time_t at;
	int r = 0;

	tt_fmt_evidence_of(in->doc, &ev);
	if (ev.generated_at[0] != '\0' &&
	    tt_rfc3339_parse(ev.generated_at, &at) == 0) {
		TRY(family(b, "tattoo_audit_timestamp_seconds", "gauge",
		    "When the audit ran, in seconds since the epoch."));
		TRY(sample_int(b, "tattoo_audit_timestamp_seconds", NULL,
		    (int64_t)at));
	}
	const char *const labels[] = { "profile",
		tt_fmt_str(in->doc, "profile"), "benchmark", ev.benchmark,
		"tattoo_signature", ev.signature, NULL };

	TRY(family(b, "tattoo_audit_info", "gauge",
	    "The benchmark of the last audit and the signature status of "
	    "the tattoo it saw; always 1."));
	TRY(sample(b, "tattoo_audit_info", labels, "1"));
out:
	return r;
}

static int
tattoo_families(const struct tt_format_input *in, struct tt_buf *b)
{
	json_object *t = in->tattoo, *img = NULL, *os = NULL, *src = NULL;
	int64_t age;
	int r;

	TRY(family(b, "tattoo_present", "gauge",
	    "1 when the image carries a tattoo."));
	TRY(sample_int(b, "tattoo_present", NULL, t != NULL));
	if (t != NULL) {
		json_object_object_get_ex(t, "image", &img);
		json_object_object_get_ex(t, "os", &os);
		json_object_object_get_ex(t, "source", &src);
		const char *const labels[] = {
			"image_name",
			tt_fmt_str(img, "name"),
			"image_version",
			tt_fmt_str(img, "version"),
			"os_id",
			tt_fmt_str(os, "id"),
			"os_version_id",
			tt_fmt_str(os, "version_id"),
			"source_publisher",
			tt_fmt_str(src, "publisher"),
			"source_offer",
			tt_fmt_str(src, "offer"),
			"source_sku",
			tt_fmt_str(src, "sku"),
			"source_version",
			tt_fmt_str(src, "version"),
			NULL,
		};

		TRY(family(b, "tattoo_info", "gauge",
		    "The image's tattoo; always 1."));
		TRY(sample(b, "tattoo_info", labels, "1"));
		age = tt_fmt_tattoo_age(t, in->now);
		if (age >= 0) {
			TRY(family(b, "tattoo_age_seconds", "gauge",
			    "Seconds since the image was published."));
			TRY(sample_int(b, "tattoo_age_seconds", NULL, age));
		}
	}
	if (in->drift != NULL &&
	    json_object_is_type(in->drift, json_type_object)) {
		bool header = false;

		json_object_object_foreach(in->drift, key, val)
		{
			const char *const labels[] = { "flag", key, NULL };

			if (!json_object_is_type(val, json_type_boolean))
				continue;
			if (!header) {
				TRY(family(b, "tattoo_drift", "gauge",
				    "1 when the drift check flag is raised."));
				header = true;
			}
			TRY(sample_int(b, "tattoo_drift", labels,
			    json_object_get_boolean(val)));
		}
	}
	TRY(image_families(in, b));
	r = 0;
out:
	return r;
}

int
tt_format_prom_audit(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	static const char *const sevs[] = { "high", "medium", "low", "none" };
	int64_t grid[TT_FMT_NRESULTS][4] = { { 0 } }, c[TT_FMT_NRESULTS];
	const char *profile;
	json_object *results;
	char score[32];
	size_t n;
	int r;

	if ((r = tt_fmt_check_audit(in->doc, err, errlen)) < 0)
		return r;
	results = tt_fmt_array(in->doc, "results");
	n = json_object_array_length(results);
	profile = tt_fmt_str(in->doc, "profile");
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(results, i);
		int sev = tt_fmt_severity_of(res);

		grid[tt_fmt_result_of(res)][sev < 0 ? 3 : sev]++;
	}
	tt_fmt_count(results, c);

	TRY(family(b, "tattoo_audit_rules", "gauge",
	    "Rules of the last audit by result and severity."));
	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		for (int s = 0; s < 4; s++) {
			const char *const labels[] = { "profile", profile,
				"result", tt_fmt_result_names[i], "severity",
				sevs[s], NULL };

			TRY(sample_int(b, "tattoo_audit_rules", labels,
			    grid[i][s]));
		}
	const char *const plabel[] = { "profile", profile, NULL };

	snprintf(score, sizeof(score), "%g", tt_fmt_score(in->doc, c));
	TRY(family(b, "tattoo_audit_score", "gauge",
	    "Percentage of evaluated rules that pass."));
	TRY(sample(b, "tattoo_audit_score", plabel, score));
	TRY(family(b, "tattoo_audit_compliant", "gauge",
	    "1 when no rule fails or errs."));
	TRY(sample_int(b, "tattoo_audit_compliant", plabel,
	    c[TT_FMT_FAIL] + c[TT_FMT_ERROR] == 0));
	TRY(evidence_families(in, b));
	TRY(tattoo_families(in, b));
out:
	return r;
}

/* Whether findings[0..i) holds (kind, detector). */
static bool
pair_seen(json_object *findings, size_t i, const char *kind, const char *det)
{
	for (size_t j = 0; j < i; j++) {
		json_object *f = json_object_array_get_idx(findings, j);

		if (TT_STREQ(tt_fmt_str(f, "kind"), kind) &&
		    TT_STREQ(tt_fmt_str(f, "detector"), det))
			return true;
	}
	return false;
}

int
tt_format_prom_scrub(const struct tt_format_input *in, struct tt_buf *b,
    char *err, size_t errlen)
{
	json_object *findings, *summary = NULL;
	int64_t secrets = 0, leftovers = 0;
	size_t n;
	int r;

	if ((r = tt_fmt_check_scrub(in->doc, err, errlen)) < 0)
		return r;
	findings = tt_fmt_array(in->doc, "findings");
	n = json_object_array_length(findings);
	json_object_object_get_ex(in->doc, "summary", &summary);
	for (size_t i = 0; i < n; i++) {
		const char *k =
		    tt_fmt_str(json_object_array_get_idx(findings, i), "kind");

		secrets += TT_STREQ(k, "secret");
		leftovers += !TT_STREQ(k, "secret");
	}

	TRY(family(b, "tattoo_scrub_findings_by_kind", "gauge",
	    "Findings of the last scrub by kind."));
	const char *const ls[] = { "kind", "secret", NULL };
	const char *const ll[] = { "kind", "leftover", NULL };

	TRY(sample_int(b, "tattoo_scrub_findings_by_kind", ls, secrets));
	TRY(sample_int(b, "tattoo_scrub_findings_by_kind", ll, leftovers));
	if (n > 0)
		TRY(family(b, "tattoo_scrub_findings", "gauge",
		    "Findings of the last scrub by kind and detector."));
	for (size_t i = 0; i < n; i++) {
		json_object *f = json_object_array_get_idx(findings, i);
		const char *kind = tt_fmt_str(f, "kind");
		const char *det = tt_fmt_str(f, "detector");
		int64_t count = 0;

		if (pair_seen(findings, i, kind, det))
			continue;
		for (size_t j = i; j < n; j++) {
			json_object *g = json_object_array_get_idx(findings, j);

			count += TT_STREQ(tt_fmt_str(g, "kind"), kind) &&
			    TT_STREQ(tt_fmt_str(g, "detector"), det);
		}
		const char *const labels[] = { "kind", kind, "detector", det,
			NULL };

		TRY(sample_int(b, "tattoo_scrub_findings", labels, count));
	}
	TRY(family(b, "tattoo_scrub_files_scanned", "gauge",
	    "Regular files the last scrub read."));
	TRY(sample_int(b, "tattoo_scrub_files_scanned", NULL,
	    tt_fmt_int(summary, "files", 0)));
	TRY(family(b, "tattoo_scrub_bytes_scanned", "gauge",
	    "Bytes the last scrub read."));
	TRY(sample_int(b, "tattoo_scrub_bytes_scanned", NULL,
	    tt_fmt_int(summary, "bytes", 0)));
	TRY(tattoo_families(in, b));
out:
	return r;
}
