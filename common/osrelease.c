#include <ctype.h>

#include "buf.h"
#include "fileio.h"
#include "osrelease.h"
#include "tt.h"

#define OSRELEASE_MAX_BYTES ((size_t)64 * 1024)

static bool
valid_key(const char *s, size_t n)
{
	if (n == 0 || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

/*
 * Unquotes a shell-style value as os-release(5) describes: in double
 * quotes a backslash escapes $ " \ ` only; in single quotes nothing is
 * special; outside quotes a backslash escapes any character.  Returns
 * -EINVAL for an unterminated quote.
 */
static int
unquote(const char *s, size_t n, struct tt_buf *out)
{
	char quote = 0;
	int r;

	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (quote == '\'') {
			if (c == '\'')
				quote = 0;
			else if ((r = tt_buf_putc(out, c)) < 0)
				return r;
			continue;
		}
		if (quote == '"') {
			if (c == '"') {
				quote = 0;
				continue;
			}
			if (c == '\\' && i + 1 < n &&
			    strchr("$\"\\`", s[i + 1]) != NULL)
				c = s[++i];
			if ((r = tt_buf_putc(out, c)) < 0)
				return r;
			continue;
		}
		if (c == '"' || c == '\'') {
			quote = c;
			continue;
		}
		if (c == '\\' && i + 1 < n)
			c = s[++i];
		else if (c == ' ' || c == '\t')
			break; /* unquoted value ends at white space */
		if ((r = tt_buf_putc(out, c)) < 0)
			return r;
	}
	return quote ? -EINVAL : 0;
}

static int
set_var(struct tt_osrelease *os, const char *key, size_t kl, char *value)
{
	for (size_t i = 0; i < os->n; i++) {
		if (strlen(os->keys[i]) == kl &&
		    memcmp(os->keys[i], key, kl) == 0) {
			free(os->values[i]);
			os->values[i] = value;
			return 0;
		}
	}
	if (os->n == TT_OSRELEASE_MAX_VARS) {
		free(value);
		return 0; /* more variables than any real file: ignore */
	}
	os->keys[os->n] = strndup(key, kl);
	if (os->keys[os->n] == NULL) {
		free(value);
		return -ENOMEM;
	}
	os->values[os->n++] = value;
	return 0;
}

int
tt_osrelease_parse(struct tt_osrelease *ret, const char *text, size_t len)
{
	size_t pos = 0;
	int r;

	while (pos < len) {
		const char *line = text + pos, *nl, *eq;
		size_t ll, kl;
		struct tt_buf v;
		char *value;

		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		while (ll > 0 && (*line == ' ' || *line == '\t')) {
			line++;
			ll--;
		}
		while (ll > 0 &&
		    (line[ll - 1] == ' ' || line[ll - 1] == '\t' ||
			line[ll - 1] == '\r'))
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		eq = memchr(line, '=', ll);
		if (eq == NULL)
			continue;
		kl = (size_t)(eq - line);
		if (!valid_key(line, kl))
			continue;
		tt_buf_init(&v, 4096);
		r = unquote(eq + 1, ll - kl - 1, &v);
		if (r == -EINVAL || r == -E2BIG ||
		    (v.len > 0 && memchr(v.data, '\0', v.len) != NULL)) {
			tt_buf_free(&v);
			continue; /* a malformed line is skipped, as systemd */
		}
		if (r < 0) {
			tt_buf_free(&v);
			return r;
		}
		value = tt_buf_steal(&v);
		if (value == NULL)
			return -ENOMEM;
		if ((r = set_var(ret, line, kl, value)) < 0)
			return r;
	}
	return 0;
}

int
tt_osrelease_load(struct tt_osrelease *ret, const struct tt_root *root)
{
	static const char *const paths[] = { "/etc/os-release",
		"/usr/lib/os-release" };
	struct tt_buf text;
	int r = -ENOENT;

	memset(ret, 0, sizeof(*ret));
	for (size_t i = 0; i < TT_ARRAY_SIZE(paths); i++) {
		r = tt_read_file(root, paths[i], OSRELEASE_MAX_BYTES, &text);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		strlcpy(ret->source, paths[i], sizeof(ret->source));
		r = tt_osrelease_parse(ret, text.data, text.len);
		tt_buf_free(&text);
		return r;
	}
	return r;
}

const char *
tt_osrelease_get(const struct tt_osrelease *os, const char *key)
{
	for (size_t i = 0; i < os->n; i++)
		if (TT_STREQ(os->keys[i], key))
			return os->values[i];
	return NULL;
}

void
tt_osrelease_free(struct tt_osrelease *os)
{
	if (os == NULL)
		return;
	for (size_t i = 0; i < os->n; i++) {
		free(os->keys[i]);
		free(os->values[i]);
	}
	os->n = 0;
}
