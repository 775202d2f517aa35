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

int
tt_format_json_text(json_object *doc, struct tt_buf *out)
{
	const char *s = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	const unsigned char *p;
	size_t n;
	int r = 0;

	if (s == NULL)
		return -ENOMEM;
	/* json-c escapes C0 controls but copies other bytes as they are:
	 * a file name that is not UTF-8 would make the document invalid.
	 * Such bytes are only ever inside strings (the rest is ASCII). */
	p = (const unsigned char *)s;
	n = strlen(s);
	while (n > 0 && r == 0) {
		uint32_t cp;
		size_t len = tt_fmt_utf8_next(p, n, &cp);

		if (len == 0) {
			r = tt_buf_puts(out, "\xef\xbf\xbd");
			len = 1;
		} else {
			size_t run = len;

			/* Copy the valid stretch at once. */
			while (run < n &&
			    (len = tt_fmt_utf8_next(p + run, n - run, &cp)) > 0)
				run += len;
			r = tt_buf_append(out, p, run);
			len = run;
		}
		p += len;
		n -= len;
	}
	return r < 0 ? r : tt_buf_putc(out, '\n');
}

int
tt_format_json_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r = tt_fmt_check_audit(in->doc, err, errlen);

	return r < 0 ? r : tt_format_json_text(in->doc, out);
}

int
tt_format_json_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	int r = tt_fmt_check_scrub(in->doc, err, errlen);

	return r < 0 ? r : tt_format_json_text(in->doc, out);
}
