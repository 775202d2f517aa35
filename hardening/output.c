#include <time.h>

#include "format.h"
#include "output.h"
#include "timeutil.h"
#include "tt.h"

/* The pipeline formats are agent/format.h's writers, shared with scrub. */
static int
via_format(const char *name, json_object *doc, struct tt_buf *out,
    const struct tt_output_opts *opts)
{
	const struct tt_format *f = tt_format_find(name);
	struct tt_format_input in = { .doc = doc,
		.tattoo = opts->tattoo,
		.drift = opts->drift };
	char err[256];

	if (f == NULL || f->audit == NULL)
		return -EINVAL;
	return f->audit(&in, out, err, sizeof(err));
}

#define VIA(fmt)                                                               \
	static int via_##fmt(json_object *doc, struct tt_buf *out,             \
	    const struct tt_output_opts *opts)                                 \
	{                                                                      \
		return via_format(#fmt, doc, out, opts);                       \
	}
VIA(junit)
VIA(sarif)
VIA(html)
VIA(prom)

const struct tt_output_format tt_output_formats[] = {
	{ "text", tt_output_text, "for people" },
	{ "json", tt_output_json, "the versioned JSON document" },
	{ "junit", via_junit, "JUnit XML for pipelines' test tabs" },
	{ "sarif", via_sarif, "SARIF 2.1.0 for code scanning" },
	{ "html", via_html, "one self-contained HTML report" },
	{ "prom", via_prom, "Prometheus text for node_exporter" },
	{ NULL, NULL, NULL },
};

const struct tt_output_format *
tt_output_find(const char *name)
{
	for (size_t i = 0; tt_output_formats[i].name != NULL; i++)
		if (TT_STREQ(tt_output_formats[i].name, name))
			return &tt_output_formats[i];
	return NULL;
}

int
tt_output_json(json_object *doc, struct tt_buf *out,
    const struct tt_output_opts *opts)
{
	(void)opts;
	/* Valid UTF-8 whatever the image's bytes (format.h). */
	return tt_format_json_text(doc, out);
}

static json_object *
copy_int(json_object *from, const char *key)
{
	json_object *v;

	return json_object_new_int64(json_object_object_get_ex(from, key, &v) ?
		json_object_get_int64(v) :
		0);
}

json_object *
tt_audit_status_section(json_object *doc)
{
	static const char *const keys[] = { "pass", "fail", "error",
		"notapplicable", "manual" };
	json_object *sec = json_object_new_object(), *sum, *failing, *reasons;
	json_object *summary = NULL, *results = NULL, *v;
	char now[TT_RFC3339_LEN], profile[512];
	long fail = 0;

	if (sec == NULL)
		return NULL;
	json_object_object_get_ex(doc, "summary", &summary);
	json_object_object_get_ex(doc, "results", &results);
	tt_rfc3339_format(time(NULL), now);
	json_object_object_add(sec, "time", json_object_new_string(now));
	snprintf(profile, sizeof(profile), "%s",
	    json_object_object_get_ex(doc, "profile_qualified", &v) ?
		json_object_get_string(v) :
		"");
	json_object_object_add(sec, "profile", json_object_new_string(profile));
	json_object_object_add(sec, "root",
	    json_object_get(
		json_object_object_get_ex(doc, "root", &v) ? v : NULL));
	sum = json_object_new_object();
	for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++)
		json_object_object_add(sum, keys[i],
		    copy_int(summary, keys[i]));
	if (json_object_object_get_ex(summary, "fail", &v))
		fail = (long)json_object_get_int64(v);
	json_object_object_add(sec, "compliant",
	    json_object_new_boolean(fail == 0));
	json_object_object_add(sec, "score",
	    json_object_get(
		json_object_object_get_ex(summary, "score", &v) ? v : NULL));
	json_object_object_add(sec, "summary", sum);
	failing = json_object_new_array();
	reasons = json_object_new_array();
	for (size_t i = 0; i < json_object_array_length(results); i++) {
		json_object *r = json_object_array_get_idx(results, i), *res;
		json_object *id, *title, *reason;

		if (!json_object_object_get_ex(r, "result", &res) ||
		    !TT_STREQ(json_object_get_string(res), "fail"))
			continue;
		json_object_object_get_ex(r, "id", &id);
		json_object_object_get_ex(r, "title", &title);
		json_object_array_add(failing, json_object_get(id));
		reason = json_object_new_object();
		json_object_object_add(reason, "code", json_object_get(id));
		json_object_object_add(reason, "phrase",
		    json_object_get(title));
		json_object_array_add(reasons, reason);
	}
	json_object_object_add(sec, "failing", failing);
	json_object_object_add(sec, "reasons", reasons);
	json_object_object_add(sec, "rules_digest",
	    json_object_get(
		json_object_object_get_ex(doc, "rules_digest", &v) ? v : NULL));
	return sec;
}
