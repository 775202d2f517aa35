#include "format.h"
#include "output.h"
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
