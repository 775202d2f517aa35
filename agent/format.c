#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "format.h"
#include "format_util.h"
#include "text.h"
#include "tt.h"

/* The first row is TT_FORMAT_DEFAULT, as usage texts say. */
const struct tt_format tt_formats[] = {
	{ "text", "for people", tt_format_text_audit, tt_format_text_scrub,
	    tt_format_text_rules },
	{ "json", "the versioned JSON document (docs/schema)",
	    tt_format_json_audit, tt_format_json_scrub, tt_format_json_rules },
	{ "junit", "JUnit XML for pipelines' test tabs", tt_format_junit_audit,
	    tt_format_junit_scrub, NULL },
	{ "sarif", "SARIF 2.1.0 for code-scanning tools", tt_format_sarif_audit,
	    tt_format_sarif_scrub, NULL },
	{ "html", "one self-contained HTML report", tt_format_html_audit,
	    tt_format_html_scrub, NULL },
	{ "prom", "Prometheus text for node_exporter", tt_format_prom_audit,
	    tt_format_prom_scrub, NULL },
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

tt_format_fn
tt_format_writer(const struct tt_format *f, enum tt_format_kind kind)
{
	if (f == NULL)
		return NULL;
	switch (kind) {
	case TT_FORMAT_SCRUB: return f->scrub;
	case TT_FORMAT_RULES: return f->rules;
	default: return f->audit;
	}
}

/* "text, json, ..." for kind; with mark, "text (default), json, ...". */
static int
names(struct tt_buf *b, enum tt_format_kind kind, bool mark)
{
	int r = 0;
	bool first = true;

	for (size_t i = 0; i < tt_formats_count && r == 0; i++) {
		const struct tt_format *f = &tt_formats[i];

		if (tt_format_writer(f, kind) == NULL)
			continue;
		r = tt_buf_printf(b, "%s%s%s", first ? "" : ", ", f->name,
		    mark && TT_STREQ(f->name, TT_FORMAT_DEFAULT) ?
			" (default)" :
			"");
		first = false;
	}
	return r;
}

const struct tt_format *
tt_format_lookup(const char *name, enum tt_format_kind kind, char *err,
    size_t errlen)
{
	const struct tt_format *f = tt_format_find(name);
	const char *cands[TT_ARRAY_SIZE(tt_formats)], *near;
	char hint[64] = "";
	struct tt_buf b;
	size_t n = 0;

	if (tt_format_writer(f, kind) != NULL)
		return f;
	for (size_t i = 0; i < tt_formats_count; i++)
		if (tt_format_writer(&tt_formats[i], kind) != NULL)
			cands[n++] = tt_formats[i].name;
	if ((near = tt_suggest(name, cands, n)) != NULL)
		snprintf(hint, sizeof(hint), "; did you mean '%s'?", near);
	tt_buf_init(&b, 1024);
	/* The list is for the usage error; without memory the error says
	 * less, not nothing. */
	(void)names(&b, kind, false);
	tt_seterr(err, errlen, "unknown format '%s'%s (%s)",
	    name != NULL ? name : "", hint, b.data != NULL ? b.data : "");
	tt_buf_free(&b);
	return NULL;
}

int
tt_format_write(const struct tt_format *f, enum tt_format_kind kind,
    const struct tt_format_input *in, struct tt_buf *out, char *err,
    size_t errlen)
{
	tt_format_fn fn = tt_format_writer(f, kind);
	char why[512] = "";
	int r;

	if (fn == NULL) {
		tt_seterr(err, errlen, "format %s: not offered for %s",
		    f != NULL ? f->name : "(none)",
		    kind == TT_FORMAT_SCRUB	? "scrub" :
			kind == TT_FORMAT_RULES ? "rules" :
						  "audit");
		return -EINVAL;
	}
	if ((r = fn(in, out, why, sizeof(why))) < 0)
		tt_seterr(err, errlen, "format %s: %s", f->name,
		    r == -EINVAL && why[0] != '\0' ? why : tt_strerror(r));
	return r;
}

int
tt_format_usage(char *out, size_t outlen, const char *tmpl,
    enum tt_format_kind kind)
{
	static const char token[] = "@FORMATS@";
	const char *at = strstr(tmpl, token), *bol;
	struct tt_buf b;
	size_t width = 0;
	int r;

	if (outlen == 0)
		return -E2BIG;
	if (at == NULL)
		return strlcpy(out, tmpl, outlen) < outlen ? 0 : -E2BIG;
	for (bol = at; bol > tmpl && bol[-1] != '\n'; bol--)
		;
	for (size_t i = 0; i < tt_formats_count; i++)
		if (tt_format_writer(&tt_formats[i], kind) != NULL &&
		    strlen(tt_formats[i].name) > width)
			width = strlen(tt_formats[i].name);
	tt_buf_init(&b, outlen - 1);
	r = tt_buf_append(&b, tmpl, (size_t)(at - tmpl));
	if (r == 0)
		r = names(&b, kind, true);
	/* Then one line a format, under the list. */
	for (size_t i = 0; i < tt_formats_count && r == 0; i++) {
		const struct tt_format *f = &tt_formats[i];

		if (tt_format_writer(f, kind) == NULL)
			continue;
		r = tt_buf_printf(&b, "\n%*s%-*s  %s", (int)(at - bol) + 2, "",
		    (int)width, f->name, f->description);
	}
	if (r == 0)
		r = tt_buf_puts(&b, at + strlen(token));
	/* b holds at most outlen - 1 bytes: it fits. */
	strlcpy(out, b.data != NULL ? b.data : "", outlen);
	tt_buf_free(&b);
	return r;
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
