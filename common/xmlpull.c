#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "log.h"
#include "tt.h"
#include "xmlpull.h"

void
tt_xml_init(struct tt_xml *x, const char *data, size_t len)
{
	memset(x, 0, sizeof(*x));
	x->start = x->p = data;
	x->end = data + len;
}

size_t
tt_xml_line(const struct tt_xml *x)
{
	size_t n = 1;

	for (const char *q = x->start; q < x->p; q++)
		n += *q == '\n';
	return n;
}

static int
bad(struct tt_xml *x, char *err, size_t errlen, const char *what)
{
	tt_seterr(err, errlen, "line %zu: %s", tt_xml_line(x), what);
	return -EINVAL;
}

static bool
space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Letters, '_', ':' and any byte of a multibyte UTF-8 character start a
 * name; digits, '-' and '.' may follow. */
static bool
name_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	    c == ':' || (unsigned char)c >= 0x80;
}

static bool
name_char(char c)
{
	return name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

/* The first occurrence of lit from x->p, or NULL. */
static const char *
find(const struct tt_xml *x, const char *from, const char *lit)
{
	size_t n = strlen(lit);

	for (const char *q = from; q + n <= x->end; q++)
		if (*q == *lit && memcmp(q, lit, n) == 0)
			return q;
	return NULL;
}

static bool
at(const struct tt_xml *x, const char *lit)
{
	size_t n = strlen(lit);

	return (size_t)(x->end - x->p) >= n && memcmp(x->p, lit, n) == 0;
}

static size_t
name_len(const struct tt_xml *x, const char *q)
{
	const char *s = q;

	if (q >= x->end || !name_start(*q))
		return 0;
	while (q < x->end && name_char(*q))
		q++;
	return (size_t)(q - s);
}

static void
skip_space(struct tt_xml *x)
{
	while (x->p < x->end && space(*x->p))
		x->p++;
}

/* <name attr="v" ...> or .../>: x->p at the '<'. */
static int
start_tag(struct tt_xml *x, struct tt_xml_tok *t, char *err, size_t errlen)
{
	size_t n = name_len(x, x->p + 1);

	if (n == 0)
		return bad(x, err, errlen, "'<' not followed by a name");
	if (x->depth == 0 && x->root_seen)
		return bad(x, err, errlen, "a second root element");
	if (x->depth == TT_XML_DEPTH)
		return bad(x, err, errlen, "elements nested too deep");
	memset(t, 0, sizeof(*t));
	t->kind = TT_XML_START;
	t->name = x->p + 1;
	t->namelen = n;
	x->p += 1 + n;
	t->raw = x->p;
	for (;;) {
		const char *q;
		size_t an;
		bool sep = x->p < x->end && space(*x->p);

		skip_space(x);
		if (x->p >= x->end)
			return bad(x, err, errlen, "a tag not closed");
		if (*x->p == '>' || at(x, "/>"))
			break;
		if (!sep || (an = name_len(x, x->p)) == 0)
			return bad(x, err, errlen, "a bad attribute in a tag");
		x->p += an;
		skip_space(x);
		if (x->p >= x->end || *x->p != '=')
			return bad(x, err, errlen, "an attribute without '='");
		x->p++;
		skip_space(x);
		if (x->p >= x->end || (*x->p != '"' && *x->p != '\''))
			return bad(x, err, errlen, "an attribute not quoted");
		q = memchr(x->p + 1, *x->p, (size_t)(x->end - x->p - 1));
		if (q == NULL || memchr(x->p + 1, '<', (size_t)(q - x->p - 1)))
			return bad(x, err, errlen,
			    "an attribute value not closed");
		x->p = q + 1;
	}
	t->rawlen = (size_t)(x->p - t->raw);
	x->stack[x->depth].name = t->name;
	x->stack[x->depth].len = n;
	x->depth++;
	x->root_seen = true;
	t->depth = x->depth;
	if (*x->p == '/') {
		/* <name/>: its END comes next. */
		x->p += 2;
		x->pending = *t;
		x->pending.kind = TT_XML_END;
		x->pending.raw = NULL;
		x->pending.rawlen = 0;
		x->empty_pending = true;
	} else {
		x->p++;
	}
	return 1;
}

static int
end_tag(struct tt_xml *x, struct tt_xml_tok *t, char *err, size_t errlen)
{
	size_t n = name_len(x, x->p + 2);

	if (n == 0)
		return bad(x, err, errlen, "'</' not followed by a name");
	if (x->depth == 0 || x->stack[x->depth - 1].len != n ||
	    memcmp(x->stack[x->depth - 1].name, x->p + 2, n) != 0)
		return bad(x, err, errlen, "an end tag that does not match");
	memset(t, 0, sizeof(*t));
	t->kind = TT_XML_END;
	t->name = x->p + 2;
	t->namelen = n;
	t->depth = x->depth;
	x->p += 2 + n;
	skip_space(x);
	if (x->p >= x->end || *x->p != '>')
		return bad(x, err, errlen, "an end tag not closed");
	x->p++;
	x->depth--;
	return 1;
}

int
tt_xml_next(struct tt_xml *x, struct tt_xml_tok *t, char *err, size_t errlen)
{
	if (x->empty_pending) {
		*t = x->pending;
		x->empty_pending = false;
		x->depth--;
		return 1;
	}
	for (;;) {
		const char *q;

		if (x->p >= x->end) {
			if (x->depth > 0)
				return bad(x, err, errlen,
				    "the document ends inside an element");
			if (!x->root_seen)
				return bad(x, err, errlen, "no root element");
			return 0;
		}
		if (*x->p != '<') {
			q = memchr(x->p, '<', (size_t)(x->end - x->p));
			q = q ? q : x->end;
			if (x->depth == 0) {
				while (x->p < q && space(*x->p))
					x->p++;
				if (x->p < q)
					return bad(x, err, errlen,
					    "text outside the root element");
				continue;
			}
			memset(t, 0, sizeof(*t));
			t->kind = TT_XML_TEXT;
			t->raw = x->p;
			t->rawlen = (size_t)(q - x->p);
			x->p = q;
			return 1;
		}
		if (at(x, "<?")) {
			if ((q = find(x, x->p + 2, "?>")) == NULL)
				return bad(x, err, errlen,
				    "a processing instruction not closed");
			x->p = q + 2;
		} else if (at(x, "<!--")) {
			if ((q = find(x, x->p + 4, "-->")) == NULL)
				return bad(x, err, errlen,
				    "a comment not closed");
			x->p = q + 3;
		} else if (at(x, "<![CDATA[")) {
			if (x->depth == 0)
				return bad(x, err, errlen,
				    "CDATA outside the root element");
			if ((q = find(x, x->p + 9, "]]>")) == NULL)
				return bad(x, err, errlen, "CDATA not closed");
			memset(t, 0, sizeof(*t));
			t->kind = TT_XML_TEXT;
			t->cdata = true;
			t->raw = x->p + 9;
			t->rawlen = (size_t)(q - t->raw);
			x->p = q + 3;
			return 1;
		} else if (at(x, "<!")) {
			return bad(x, err, errlen,
			    "a DOCTYPE or declaration, which is not read "
			    "(no entity is expanded)");
		} else if (at(x, "</")) {
			return end_tag(x, t, err, errlen);
		} else {
			return start_tag(x, t, err, errlen);
		}
	}
}

bool
tt_xml_is(const struct tt_xml_tok *t, const char *name)
{
	const char *n = t->name;
	size_t len = t->namelen;
	const char *colon;

	if (n == NULL)
		return false;
	if ((colon = memchr(n, ':', len)) != NULL) {
		len -= (size_t)(colon + 1 - n);
		n = colon + 1;
	}
	return strlen(name) == len && memcmp(n, name, len) == 0;
}

static int
put(char *buf, size_t buflen, size_t *o, const char *s, size_t n)
{
	if (*o + n >= buflen)
		return -ENAMETOOLONG;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
	return 0;
}

/* Decodes s[0..n) (entities) into buf. */
static int
decode(const char *s, size_t n, bool entities, char *buf, size_t buflen)
{
	static const struct {
		const char *name;
		char c;
	} named[] = { { "lt", '<' }, { "gt", '>' }, { "amp", '&' },
		{ "quot", '"' }, { "apos", '\'' } };
	size_t o = 0, i = 0;
	int r;

	if (buflen == 0)
		return -ENAMETOOLONG;
	buf[0] = '\0';
	while (i < n) {
		const char *semi;
		size_t en;
		uint32_t cp = 0;
		char u[4];
		size_t ul;
		bool ok = false;

		if (!entities || s[i] != '&') {
			const char *amp =
			    entities ? memchr(s + i, '&', n - i) : NULL;
			size_t run = amp ? (size_t)(amp - (s + i)) : n - i;

			if ((r = put(buf, buflen, &o, s + i, run)) < 0)
				return r;
			i += run;
			continue;
		}
		semi = memchr(s + i, ';', n - i < 12 ? n - i : 12);
		if (semi == NULL)
			return -EINVAL;
		en = (size_t)(semi - (s + i + 1));
		for (size_t k = 0; k < TT_ARRAY_SIZE(named) && !ok; k++)
			if (strlen(named[k].name) == en &&
			    memcmp(s + i + 1, named[k].name, en) == 0) {
				if ((r = put(buf, buflen, &o, &named[k].c, 1)) <
				    0)
					return r;
				ok = true;
			}
		if (!ok && en >= 2 && s[i + 1] == '#') {
			bool hex = s[i + 2] == 'x';
			size_t k = hex ? 3 : 2;

			if (i + k >= (size_t)(semi - s))
				return -EINVAL;
			for (; s + i + k < semi; k++) {
				char c = s[i + k];
				int d = c >= '0' && c <= '9'	? c - '0' :
				    hex && c >= 'a' && c <= 'f' ? c - 'a' + 10 :
				    hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 :
								  -1;

				if (d < 0 || cp > 0x10FFFF)
					return -EINVAL;
				cp = cp * (hex ? 16 : 10) + (uint32_t)d;
			}
			if (cp == 0 || cp > 0x10FFFF ||
			    (cp >= 0xD800 && cp <= 0xDFFF))
				return -EINVAL;
			if (cp < 0x80) {
				u[0] = (char)cp;
				ul = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xC0 | (cp >> 6));
				u[1] = (char)(0x80 | (cp & 0x3F));
				ul = 2;
			} else if (cp < 0x10000) {
				u[0] = (char)(0xE0 | (cp >> 12));
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
				u[2] = (char)(0x80 | (cp & 0x3F));
				ul = 3;
			} else {
				u[0] = (char)(0xF0 | (cp >> 18));
				u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
				u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
				u[3] = (char)(0x80 | (cp & 0x3F));
				ul = 4;
			}
			if ((r = put(buf, buflen, &o, u, ul)) < 0)
				return r;
			ok = true;
		}
		if (!ok)
			return -EINVAL;
		i = (size_t)(semi - s) + 1;
	}
	return 0;
}

int
tt_xml_attr(const struct tt_xml_tok *t, const char *name, char *buf,
    size_t buflen)
{
	const char *p, *end;
	size_t want = strlen(name);

	if (buflen > 0)
		buf[0] = '\0';
	if (t->kind != TT_XML_START || t->raw == NULL)
		return 0;
	p = t->raw;
	end = t->raw + t->rawlen;
	/* The tag was checked when read: name = quoted value, repeated. */
	while (p < end) {
		const char *n, *v, *q;
		size_t nl;

		while (p < end && space(*p))
			p++;
		if (p >= end || *p == '/' || *p == '>')
			break;
		n = p;
		while (p < end && name_char(*p))
			p++;
		nl = (size_t)(p - n);
		while (p < end && *p != '"' && *p != '\'')
			p++;
		if (p >= end)
			break;
		v = p + 1;
		if ((q = memchr(v, *p, (size_t)(end - v))) == NULL)
			break;
		p = q + 1;
		if (nl == want && memcmp(n, name, nl) == 0) {
			int r = decode(v, (size_t)(q - v), true, buf, buflen);

			return r < 0 ? r : 1;
		}
	}
	return 0;
}

int
tt_xml_text(const struct tt_xml_tok *t, char *buf, size_t buflen)
{
	if (t->kind != TT_XML_TEXT) {
		if (buflen > 0)
			buf[0] = '\0';
		return 0;
	}
	return decode(t->raw, t->rawlen, !t->cdata, buf, buflen);
}
