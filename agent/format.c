#include <unistd.h>

#include "fileio.h"
#include "format.h"
#include "format_util.h"
#include "tt.h"

const struct tt_format tt_formats[] = {
	{ "json", "the versioned JSON document (docs/schema)",
	    tt_format_json_audit, tt_format_json_scrub },
	{ "junit", "JUnit XML for pipelines' test tabs", tt_format_junit_audit,
	    tt_format_junit_scrub },
	{ "sarif", "SARIF 2.1.0 for code-scanning tools", tt_format_sarif_audit,
	    tt_format_sarif_scrub },
	{ "html", "one self-contained HTML report", tt_format_html_audit,
	    tt_format_html_scrub },
	{ "prom", "Prometheus text for node_exporter's textfile collector",
	    tt_format_prom_audit, tt_format_prom_scrub },
};
const size_t tt_formats_count = TT_ARRAY_SIZE(tt_formats);

const struct tt_format *
tt_format_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < tt_formats_count; i++)
		if (TT_STREQ(tt_formats[i].name, name))
			return &tt_formats[i];
	return NULL;
}

int
tt_format_emit(const char *output, const struct tt_buf *out)
{
	const char *data = out->data != NULL ? out->data : "";

	if (output == NULL || TT_STREQ(output, "-"))
		return tt_write_all(STDOUT_FILENO, data, out->len);
	return tt_atomic_write(NULL, output, data, out->len, 0644);
}

static int
json_doc(json_object *doc, struct tt_buf *out)
{
	const char *s = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	int r;

	if (s == NULL)
		return -ENOMEM;
	r = tt_buf_puts(out, s);
	return r < 0 ? r : tt_buf_putc(out, '\n');
}

int
tt_format_json_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r = tt_fmt_check_audit(in->doc, err, errlen);

	return r < 0 ? r : json_doc(in->doc, out);
}

int
tt_format_json_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r = tt_fmt_check_scrub(in->doc, err, errlen);

	return r < 0 ? r : json_doc(in->doc, out);
}
