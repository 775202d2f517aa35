#include "format.h"
#include "audit_formats.h"
#include "tt.h"

/* json and the pipeline formats are agent/format.h's writers, shared with
 * scrub: one serialiser for the JSON document. */
static int
via_format(const char *name, json_object *doc, struct tt_buf *out,
    const struct tt_audit_format_opts *opts)
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
	    const struct tt_audit_format_opts *opts)                           \
	{                                                                      \
		return via_format(#fmt, doc, out, opts);                       \
	}
VIA(json)
VIA(junit)
VIA(sarif)
VIA(html)
VIA(prom)

const struct tt_audit_format tt_audit_formats[] = {
	{ "text", tt_audit_format_text, "for people" },
	{ "json", via_json, "the versioned JSON document" },
	{ "junit", via_junit, "JUnit XML for pipelines' test tabs" },
	{ "sarif", via_sarif, "SARIF 2.1.0 for code scanning" },
	{ "html", via_html, "one self-contained HTML report" },
	{ "prom", via_prom, "Prometheus text for node_exporter" },
	{ NULL, NULL, NULL },
};

const struct tt_audit_format *
tt_audit_format_find(const char *name)
{
	for (size_t i = 0; tt_audit_formats[i].name != NULL; i++)
		if (TT_STREQ(tt_audit_formats[i].name, name))
			return &tt_audit_formats[i];
	return NULL;
}
