#include <ctype.h>
#include <math.h>

#include "format_util.h"
#include "log.h"
#include "timeutil.h"
#include "tt.h"

const char *const tt_fmt_result_names[TT_FMT_NRESULTS] = {
	"pass",
	"fail",
	"error",
	"notapplicable",
	"manual",
};

const char *const tt_fmt_severity_names[3] = { "high", "medium", "low" };

const char *
tt_fmt_str(json_object *o, const char *key)
{
	json_object *v;
	const char *s;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) || v == NULL)
		return "";
	switch (json_object_get_type(v)) {
	case json_type_string:
	case json_type_int:
	case json_type_double:
	case json_type_boolean:
		s = json_object_get_string(v);
		return s != NULL ? s : "";
	default: return "";
	}
}

int64_t
tt_fmt_int(json_object *o, const char *key, int64_t def)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v))
		return def;
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v);
	if (json_object_is_type(v, json_type_double))
		return (int64_t)json_object_get_double(v);
	return def;
}

json_object *
tt_fmt_array(json_object *o, const char *key)
{
	json_object *v;

	if (o == NULL || !json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

static bool
has_string(json_object *o, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string);
}

static int
check_list(json_object *doc, const char *list, const char *const *need,
    size_t nneed, char *err, size_t errlen, size_t *ret_n)
{
	json_object *arr;
	size_t n;

	if (!json_object_is_type(doc, json_type_object)) {
		tt_seterr(err, errlen, "document: not a JSON object");
		return -EINVAL;
	}
	arr = tt_fmt_array(doc, list);
	if (arr == NULL) {
		tt_seterr(err, errlen, "%s: missing or not an array", list);
		return -EINVAL;
	}
	n = json_object_array_length(arr);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if (!json_object_is_type(e, json_type_object)) {
			tt_seterr(err, errlen, "%s[%zu]: not an object", list,
			    i);
			return -EINVAL;
		}
		for (size_t k = 0; k < nneed; k++)
			if (!has_string(e, need[k])) {
				tt_seterr(err, errlen,
				    "%s[%zu].%s: missing or not a string", list,
				    i, need[k]);
				return -EINVAL;
			}
	}
	*ret_n = n;
	return 0;
}

static int
result_index(const char *s)
{
	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		if (TT_STREQ(s, tt_fmt_result_names[i]))
			return i;
	return -1;
}

int
tt_fmt_check_audit(json_object *doc, char *err, size_t errlen)
{
	static const char *const need[] = { "id", "result" };
	json_object *arr;
	size_t n;
	int r;

	r = check_list(doc, "results", need, TT_ARRAY_SIZE(need), err, errlen,
	    &n);
	if (r < 0)
		return r;
	arr = tt_fmt_array(doc, "results");
	for (size_t i = 0; i < n; i++) {
		const char *v =
		    tt_fmt_str(json_object_array_get_idx(arr, i), "result");

		if (result_index(v) < 0) {
			tt_seterr(err, errlen,
			    "results[%zu].result: unknown result '%s'", i, v);
			return -EINVAL;
		}
	}
	return 0;
}

int
tt_fmt_check_scrub(json_object *doc, char *err, size_t errlen)
{
	static const char *const need[] = { "kind", "detector", "path" };
	size_t n;

	return check_list(doc, "findings", need, TT_ARRAY_SIZE(need), err,
	    errlen, &n);
}

enum tt_fmt_result
tt_fmt_result_of(json_object *res)
{
	int i = result_index(tt_fmt_str(res, "result"));

	return i < 0 ? TT_FMT_ERROR : (enum tt_fmt_result)i;
}

int
tt_fmt_severity_of(json_object *res)
{
	const char *s = tt_fmt_str(res, "severity");

	for (size_t i = 0; i < TT_ARRAY_SIZE(tt_fmt_severity_names); i++)
		if (TT_STREQ(s, tt_fmt_severity_names[i]))
			return (int)i;
	return -1;
}

static bool
param_path(json_object *o, const char *outer, char *out, size_t outlen)
{
	json_object *v, *p;
	const char *s;

	if (outer != NULL &&
	    (!json_object_object_get_ex(o, outer, &v) ||
		!json_object_is_type(v, json_type_object)))
		return false;
	if (outer == NULL)
		v = o;
	if (!json_object_object_get_ex(v, "params", &p))
		return false;
	s = tt_fmt_str(p, "path");
	if (s[0] != '/')
		return false;
	strlcpy(out, s, outlen);
	return true;
}

/* The first word of text that starts with "/" and has more than "/". */
static bool
path_in_text(const char *text, char *out, size_t outlen)
{
	for (const char *p = text; *p != '\0'; p++) {
		size_t n;

		if (*p != '/' ||
		    (p != text && !isspace((unsigned char)p[-1]) &&
			p[-1] != '\'' && p[-1] != '"' && p[-1] != '('))
			continue;
		n = strcspn(p, " \t\n'\",:;()");
		if (n < 2)
			continue;
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, p, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

bool
tt_fmt_rule_path(json_object *res, char *out, size_t outlen)
{
	const char *s = tt_fmt_str(res, "path");

	if (outlen == 0)
		return false;
	if (s[0] == '/') {
		strlcpy(out, s, outlen);
		return true;
	}
	return param_path(res, NULL, out, outlen) ||
	    param_path(res, "check", out, outlen) ||
	    param_path(res, "fix", out, outlen) ||
	    path_in_text(tt_fmt_str(res, "found"), out, outlen) ||
	    path_in_text(tt_fmt_str(res, "expected"), out, outlen);
}

void
tt_fmt_section(json_object *res, char *out, size_t outlen)
{
	const char *s = tt_fmt_str(res, "section");
	json_object *refs;
	size_t n;

	if (s[0] != '\0') {
		strlcpy(out, s, outlen);
		return;
	}
	if (json_object_object_get_ex(res, "references", &refs)) {
		s = tt_fmt_str(refs, "cis");
		n = strspn(s, "0123456789");
		if (n > 0 && n < outlen) {
			memcpy(out, s, n);
			out[n] = '\0';
			return;
		}
	}
	strlcpy(out, "other", outlen);
}

void
tt_fmt_count(json_object *results, int64_t counts[TT_FMT_NRESULTS])
{
	size_t n = results != NULL ? json_object_array_length(results) : 0;

	for (int i = 0; i < TT_FMT_NRESULTS; i++)
		counts[i] = 0;
	for (size_t i = 0; i < n; i++)
		counts[tt_fmt_result_of(
		    json_object_array_get_idx(results, i))]++;
}

double
tt_fmt_score(json_object *doc, const int64_t counts[TT_FMT_NRESULTS])
{
	json_object *summary, *v;
	int64_t den;

	if (json_object_object_get_ex(doc, "summary", &summary) &&
	    json_object_object_get_ex(summary, "score", &v) &&
	    (json_object_is_type(v, json_type_int) ||
		json_object_is_type(v, json_type_double))) {
		double d = json_object_get_double(v);

		if (isfinite(d))
			return d;
	}
	den = counts[TT_FMT_PASS] + counts[TT_FMT_FAIL] + counts[TT_FMT_ERROR];
	return den == 0 ? 100.0 :
			  100.0 * (double)counts[TT_FMT_PASS] / (double)den;
}

size_t
tt_fmt_utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	/* Overlongs, surrogates and code points past U+10FFFF. */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    (c >= 0xd800 && c <= 0xdfff) || c > 0x10ffff)
		return 0;
	*cp = c;
	return len;
}

static const char replacement[] = "\xef\xbf\xbd";

int
tt_fmt_xml(struct tt_buf *b, const char *s, bool attr)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	int r = 0;

	while (n > 0 && r == 0) {
		uint32_t cp;
		size_t len = tt_fmt_utf8_next(p, n, &cp);

		if (len == 0) {
			r = tt_buf_puts(b, replacement);
			p++;
			n--;
			continue;
		}
		switch (cp) {
		case '&': r = tt_buf_puts(b, "&amp;"); break;
		case '<': r = tt_buf_puts(b, "&lt;"); break;
		case '>': r = tt_buf_puts(b, "&gt;"); break;
		case '"': r = tt_buf_puts(b, "&quot;"); break;
		case '\'': r = tt_buf_puts(b, "&#39;"); break;
		case '\t':
		case '\n':
		case '\r':
			r = attr ? tt_buf_printf(b, "&#%u;", (unsigned)cp) :
				   tt_buf_putc(b, (char)cp);
			break;
		default:
			if (cp < 0x20 || cp == 0xfffe || cp == 0xffff)
				r = tt_buf_puts(b, replacement);
			else
				r = tt_buf_append(b, p, len);
		}
		p += len;
		n -= len;
	}
	return r;
}

int
tt_fmt_prom_label(struct tt_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	int r = 0;

	while (n > 0 && r == 0) {
		uint32_t cp;
		size_t len = tt_fmt_utf8_next(p, n, &cp);

		if (len == 0) {
			r = tt_buf_puts(b, replacement);
			len = 1;
		} else if (cp == '\\') {
			r = tt_buf_puts(b, "\\\\");
		} else if (cp == '"') {
			r = tt_buf_puts(b, "\\\"");
		} else if (cp == '\n') {
			r = tt_buf_puts(b, "\\n");
		} else if ((cp < 0x20 && cp != '\t') || cp == 0x7f) {
			/* The format has no escape for them; raw, they would
			 * reach the terminal of whoever reads the file. */
			r = tt_buf_puts(b, replacement);
		} else {
			r = tt_buf_append(b, p, len);
		}
		p += len;
		n -= len;
	}
	return r;
}

int64_t
tt_fmt_tattoo_age(json_object *tattoo, time_t now)
{
	json_object *img;
	time_t t;

	if (tattoo == NULL || !json_object_object_get_ex(tattoo, "image", &img))
		return -1;
	if (tt_rfc3339_parse(tt_fmt_str(img, "published"), &t) < 0)
		return -1;
	if (now == 0)
		now = time(NULL);
	return now > t ? (int64_t)(now - t) : 0;
}

void
tt_fmt_evidence_of(json_object *doc, struct tt_fmt_evidence *ev)
{
	json_object *t = NULL;

	json_object_object_get_ex(doc, "tattoo", &t);
	ev->generated_at = tt_fmt_str(doc, "generated_at");
	ev->benchmark = tt_fmt_str(doc, "benchmark");
	ev->image = tt_fmt_str(t, "image");
	ev->version = tt_fmt_str(t, "version");
	ev->signature = tt_fmt_str(t, "signature");
}
