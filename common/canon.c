#include <ctype.h>

#include "canon.h"
#include "tt.h"

bool
tt_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t k = 1; k <= n; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return false;
		i += n + 1;
	}
	return true;
}

static int
canon_string(const char *s, size_t len, struct tt_buf *out)
{
	int r;

	if (!tt_utf8_valid(s, len))
		return -EILSEQ;
	if ((r = tt_buf_putc(out, '"')) < 0)
		return r;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		const char *esc = NULL;

		switch (c) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\b': esc = "\\b"; break;
		case '\f': esc = "\\f"; break;
		case '\n': esc = "\\n"; break;
		case '\r': esc = "\\r"; break;
		case '\t': esc = "\\t"; break;
		default: break;
		}
		if (esc != NULL)
			r = tt_buf_puts(out, esc);
		else if (c < 0x20)
			r = tt_buf_printf(out, "\\u%04x", c);
		else
			r = tt_buf_putc(out, (char)c);
		if (r < 0)
			return r;
	}
	return tt_buf_putc(out, '"');
}

/*
 * A number with a fraction (a json-c double): its text, as parsed or as
 * given to json_object_new_double_s, must be -?(0|[1-9][0-9]{0,14}) with
 * at most one decimal, and prints in its shortest form: "61.1", "100" for
 * "100.0", "0" for "-0.0".  The text, not the double, is what is read:
 * two texts of one value ("0.1", "0.10000000000000001") would otherwise
 * both pass, and an exponent, NaN or Infinity has no one text.
 */
int
tt_canon_number(json_object *num, char out[TT_CANON_NUMBER_MAX])
{
	const char *s = json_object_to_json_string(num), *p;
	size_t digits, neg;

	if (s == NULL)
		return -EDOM;
	neg = s[0] == '-';
	p = s + neg;
	digits = strspn(p, "0123456789");
	if (digits == 0 || digits > 15 || (p[0] == '0' && digits > 1))
		return -EDOM;
	if (p[digits] == '.') {
		if (!isdigit((unsigned char)p[digits + 1]) ||
		    p[digits + 2] != '\0')
			return -EDOM;
	} else if (p[digits] != '\0') {
		return -EDOM;
	}
	/* Without its zero decimal, a minus of zero dropped. */
	if (p[digits] == '.' && p[digits + 1] == '0')
		snprintf(out, TT_CANON_NUMBER_MAX, "%s%.*s", neg ? "-" : "",
		    (int)digits, p);
	else
		strlcpy(out, s, TT_CANON_NUMBER_MAX);
	if (TT_STREQ(out, "-0"))
		strlcpy(out, "0", TT_CANON_NUMBER_MAX);
	return 0;
}

static int
cmp_keys(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
canon_value(json_object *obj, struct tt_buf *out, int depth)
{
	int r = 0;

	if (depth > TT_JSON_MAX_DEPTH)
		return -ELOOP;
	switch (json_object_get_type(obj)) {
	case json_type_null: return tt_buf_puts(out, "null");
	case json_type_boolean:
		return tt_buf_puts(out,
		    json_object_get_boolean(obj) ? "true" : "false");
	case json_type_int:
		if (json_object_get_int64(obj) == INT64_MAX &&
		    json_object_get_uint64(obj) > (uint64_t)INT64_MAX)
			return tt_buf_printf(out, "%llu",
			    (unsigned long long)json_object_get_uint64(obj));
		return tt_buf_printf(out, "%lld",
		    (long long)json_object_get_int64(obj));
	case json_type_double: {
		char num[TT_CANON_NUMBER_MAX];

		if ((r = tt_canon_number(obj, num)) < 0)
			return r;
		return tt_buf_puts(out, num);
	}
	case json_type_string:
		return canon_string(json_object_get_string(obj),
		    (size_t)json_object_get_string_len(obj), out);
	case json_type_array: {
		size_t n = json_object_array_length(obj);

		if ((r = tt_buf_putc(out, '[')) < 0)
			return r;
		for (size_t i = 0; i < n; i++) {
			if (i > 0 && (r = tt_buf_putc(out, ',')) < 0)
				return r;
			r = canon_value(json_object_array_get_idx(obj, i), out,
			    depth + 1);
			if (r < 0)
				return r;
		}
		return tt_buf_putc(out, ']');
	}
	case json_type_object: {
		size_t n = (size_t)json_object_object_length(obj), i = 0;
		const char **keys;

		keys = reallocarray(NULL, n ? n : 1, sizeof(*keys));
		if (keys == NULL)
			return -ENOMEM;
		json_object_object_foreach(obj, k, v)
		{
			(void)v;
			keys[i++] = k;
		}
		qsort(keys, n, sizeof(*keys), cmp_keys);
		if ((r = tt_buf_putc(out, '{')) < 0)
			goto out_obj;
		for (i = 0; i < n; i++) {
			if (i > 0 && (r = tt_buf_putc(out, ',')) < 0)
				goto out_obj;
			r = canon_string(keys[i], strlen(keys[i]), out);
			if (r < 0 || (r = tt_buf_putc(out, ':')) < 0)
				goto out_obj;
			r = canon_value(json_object_object_get(obj, keys[i]),
			    out, depth + 1);
			if (r < 0)
				goto out_obj;
		}
		r = tt_buf_putc(out, '}');
	out_obj:
		free(keys);
		return r;
	}
	}
	return -EINVAL;
}

int
tt_canon_json(json_object *obj, struct tt_buf *out)
{
	return canon_value(obj, out, 0);
}
