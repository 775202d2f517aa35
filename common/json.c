#include "json.h"
#include "log.h"
#include "tt.h"

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
		tt_seterr(err, errlen, "document too large");
		return NULL;
	}
	if ((tok = json_tokener_new_ex(TT_JSON_MAX_DEPTH)) == NULL) {
		tt_seterr(err, errlen, "out of memory");
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
		tt_seterr(err, errlen, "truncated JSON");
		goto fail;
	}
	/* json-c gives NULL for the document "null" too. */
	if (obj == NULL && e == json_tokener_success) {
		tt_seterr(err, errlen, "the document is null, not a value");
		goto fail;
	}
	if (obj == NULL || e != json_tokener_success) {
		tt_seterr(err, errlen, "malformed JSON at byte %zu: %s", off,
		    json_tokener_error_desc(e));
		goto fail;
	}
	while (off < len &&
	    (text[off] == ' ' || text[off] == '\n' || text[off] == '\t' ||
		text[off] == '\r'))
		off++;
	if (off != len) {
		tt_seterr(err, errlen, "unexpected data after JSON at byte %zu",
		    off);
		goto fail;
	}
	keys = count_keys(text, len);
	if (keys < 0) {
		tt_seterr(err, errlen, "an object key holds a NUL character");
		goto fail;
	}
	if ((size_t)keys != count_members(obj)) {
		tt_seterr(err, errlen, "an object has the same key twice");
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}
