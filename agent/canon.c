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
	case json_type_double: return -EDOM;
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

/* Members of every object in obj, recursively (depth bounded by the
 * parser's limit). */
static size_t
count_members(json_object *obj)
{
	size_t n = 0;

	if (json_object_is_type(obj, json_type_array)) {
		size_t len = json_object_array_length(obj);

		for (size_t i = 0; i < len; i++)
			n += count_members(json_object_array_get_idx(obj, i));
	} else if (json_object_is_type(obj, json_type_object)) {
		json_object_object_foreach(obj, k, v)
		{
			(void)k;
			n += 1 + count_members(v);
		}
	}
	return n;
}

/*
 * json-c keeps the last of duplicate keys and cuts a key at an escaped
 * NUL, so two different texts could share one digest while other readers
 * see other values.  Every ':' outside a string ends a key in valid JSON:
 * counting them and comparing with the parsed members finds duplicates.
 * Returns the count, or -EILSEQ for a key holding \u0000.
 */
static ssize_t
count_keys(const char *s, size_t len)
{
	bool in_string = false, nul = false, last_nul = false;
	ssize_t n = 0;

	for (size_t i = 0; i < len; i++) {
		if (in_string) {
			if (s[i] == '\\' && i + 1 < len) {
				if (s[i + 1] == 'u' && i + 5 < len &&
				    memcmp(s + i + 2, "0000", 4) == 0)
					nul = true;
				i++;
			} else if (s[i] == '"') {
				in_string = false;
				last_nul = nul;
			}
		} else if (s[i] == '"') {
			in_string = true;
			nul = false;
		} else if (s[i] == ':') {
			if (last_nul)
				return -EILSEQ;
			n++;
		}
	}
	return n;
}

json_object *
tt_json_parse(const char *text, size_t len, char *err, size_t errlen)
{
	ssize_t keys;
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error e;
	size_t off;

	if (len > INT32_MAX) {
		snprintf(err, errlen, "document too large");
		return NULL;
	}
	if ((tok = json_tokener_new_ex(TT_JSON_MAX_DEPTH)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, text, (int)len);
	e = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	/* A number at the very end ("12") leaves json-c waiting for more
	 * digits: a white space after all the input ends it. */
	if (obj == NULL && e == json_tokener_continue) {
		obj = json_tokener_parse_ex(tok, " ", 1);
		e = json_tokener_get_error(tok);
		off = len;
	}
	if (obj == NULL && e == json_tokener_continue) {
		snprintf(err, errlen, "truncated JSON");
		goto fail;
	}
	/* json-c gives NULL for the document "null" too. */
	if (obj == NULL && e == json_tokener_success) {
		snprintf(err, errlen, "the document is null, not a value");
		goto fail;
	}
	if (obj == NULL || e != json_tokener_success) {
		snprintf(err, errlen, "malformed JSON at byte %zu: %s", off,
		    json_tokener_error_desc(e));
		goto fail;
	}
	while (off < len &&
	    (text[off] == ' ' || text[off] == '\n' || text[off] == '\t' ||
		text[off] == '\r'))
		off++;
	if (off != len) {
		snprintf(err, errlen, "unexpected data after JSON at byte %zu",
		    off);
		goto fail;
	}
	keys = count_keys(text, len);
	if (keys < 0) {
		snprintf(err, errlen, "an object key holds a NUL character");
		goto fail;
	}
	if ((size_t)keys != count_members(obj)) {
		snprintf(err, errlen, "an object has the same key twice");
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}
