#include <ctype.h>
#include <strings.h>

#include "kvedit.h"
#include "tt.h"

#define DISABLED "# tattoo: "

struct parsed {
	const char *key;
	size_t keylen;
	bool active; /* not a comment, not blank */
	bool section; /* an "[...]" header */
};

static void
parse_line(const char *s, size_t n, struct parsed *p)
{
	size_t i = 0, k;

	memset(p, 0, sizeof(*p));
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	if (i == n || s[i] == '#' || s[i] == ';')
		return;
	p->active = true;
	if (s[i] == '[') {
		p->section = true;
		p->key = s + i;
		for (k = i; k < n && s[k] != ']'; k++)
			;
		p->keylen = k < n ? k - i + 1 : n - i;
		return;
	}
	for (k = i; k < n && s[k] != ' ' && s[k] != '\t' && s[k] != '='; k++)
		;
	p->key = s + i;
	p->keylen = k - i;
}

static bool
key_is(const struct parsed *p, const char *key, bool nocase)
{
	size_t kl = strlen(key);

	if (!p->active || p->section || p->keylen != kl)
		return false;
	return nocase ? strncasecmp(p->key, key, kl) == 0 :
			strncmp(p->key, key, kl) == 0;
}

static int
put_assignment(struct tt_buf *out, const char *key, const char *value,
    const struct tt_kvedit_style *st)
{
	if (st->quote)
		return tt_buf_printf(out, "%s%s\"%s\"\n", key, st->sep, value);
	return tt_buf_printf(out, "%s%s%s\n", key, st->sep, value);
}

static bool
same_assignment(const char *line, size_t n, const char *key, const char *value,
    const struct tt_kvedit_style *st)
{
	char want[4096];
	int w = st->quote ?
	    snprintf(want, sizeof(want), "%s%s\"%s\"", key, st->sep, value) :
	    snprintf(want, sizeof(want), "%s%s%s", key, st->sep, value);

	while (n > 0 && (line[n - 1] == '\r' || line[n - 1] == ' '))
		n--;
	return w > 0 && (size_t)w == n && memcmp(line, want, n) == 0;
}

static int
edit(const char *text, size_t len, const char *key, const char *value,
    const struct tt_kvedit_style *st, struct tt_buf *out)
{
	size_t pos = 0;
	bool in_scope = st->section == NULL, done = false, section_seen = false;
	bool unset = value == NULL;
	int r = 0;

	while (pos < len && r == 0) {
		const char *line = text + pos, *nl;
		size_t n, full;
		struct parsed p;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		full = n + (nl ? 1 : 0);
		parse_line(line, n, &p);

		if (!unset && st->section != NULL && p.section) {
			bool entering = p.keylen == strlen(st->section) &&
			    strncasecmp(p.key, st->section, p.keylen) == 0;

			/* Leaving our section without having set the key:
			 * add it at the section's end. */
			if (in_scope && !entering && !done) {
				r = put_assignment(out, key, value, st);
				done = true;
			}
			in_scope = entering;
			section_seen |= entering;
		}
		if (!unset && st->stop_at != NULL && p.active && in_scope &&
		    p.keylen == strlen(st->stop_at) &&
		    strncasecmp(p.key, st->stop_at, p.keylen) == 0) {
			if (!done)
				r = put_assignment(out, key, value, st);
			done = true;
			in_scope = false;
		}
		if (r == 0 && key_is(&p, key, st->nocase) &&
		    (in_scope || unset)) {
			if (!unset && !done) {
				if (same_assignment(line, n, key, value, st))
					r = tt_buf_append(out, line, full);
				else
					r = put_assignment(out, key, value, st);
				done = true;
			} else {
				r = tt_buf_puts(out, DISABLED);
				if (r == 0)
					r = tt_buf_append(out, line, full);
			}
			/* A last line without its newline gets one, so that a
			 * second edit sees the same text (idempotence). */
			if (r == 0 && out->len > 0 &&
			    out->data[out->len - 1] != '\n')
				r = tt_buf_putc(out, '\n');
		} else if (r == 0) {
			r = tt_buf_append(out, line, full);
			if (r == 0 && !nl && n > 0)
				r = tt_buf_putc(out, '\n');
		}
		pos += full;
	}
	if (r == 0 && !unset && !done) {
		if (st->section != NULL && !section_seen)
			r = tt_buf_printf(out, "%s%s\n", len > 0 ? "\n" : "",
			    st->section);
		if (r == 0)
			r = put_assignment(out, key, value, st);
	}
	if (r == 0 && out->data == NULL)
		r = tt_buf_append(out, "", 0);
	return r;
}

int
tt_kv_set(const char *text, size_t len, const char *key, const char *value,
    const struct tt_kvedit_style *style, struct tt_buf *out)
{
	return edit(text, len, key, value, style, out);
}

int
tt_kv_unset(const char *text, size_t len, const char *key,
    const struct tt_kvedit_style *style, struct tt_buf *out)
{
	return edit(text, len, key, NULL, style, out);
}
