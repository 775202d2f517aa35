#include <ctype.h>
#include <fnmatch.h>

#include "log.h"
#include "scrub_allow.h"
#include "tt.h"

/* The line is not NUL-terminated: count, do not strspn. */
static bool
all_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

static int
add_path(struct tt_allowlist *al, const char *s, size_t n)
{
	char **p = reallocarray(al->paths, al->npaths + 1, sizeof(*p));

	if (p == NULL)
		return -ENOMEM;
	al->paths = p;
	if ((p[al->npaths] = strndup(s, n)) == NULL)
		return -ENOMEM;
	al->npaths++;
	return 0;
}

static int
add_fingerprint(struct tt_allowlist *al, const char *s)
{
	char(*p)[65] =
	    reallocarray(al->fingerprints, al->nfingerprints + 1, sizeof(*p));

	if (p == NULL)
		return -ENOMEM;
	al->fingerprints = p;
	for (size_t i = 0; i < 64; i++)
		p[al->nfingerprints][i] = (char)tolower((unsigned char)s[i]);
	p[al->nfingerprints][64] = '\0';
	al->nfingerprints++;
	return 0;
}

int
tt_allowlist_parse(struct tt_allowlist *al, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	size_t i = 0, lineno = 0;
	int r = 0;

	memset(al, 0, sizeof(*al));
	while (i < len) {
		const char *line = text + i, *nl, *word, *arg, *end;
		size_t n, wl;

		nl = memchr(line, '\n', len - i);
		n = nl ? (size_t)(nl - line) : len - i;
		i += n + (nl != NULL);
		lineno++;
		if (n > TT_ALLOW_MAX_LINE) {
			tt_seterr(err, errlen,
			    "%s:%zu: line longer than %d bytes", name, lineno,
			    TT_ALLOW_MAX_LINE);
			r = -EINVAL;
			goto out;
		}
		if (memchr(line, '\0', n) != NULL) {
			tt_seterr(err, errlen, "%s:%zu: NUL byte", name,
			    lineno);
			r = -EINVAL;
			goto out;
		}
		end = line + n;
		while (line < end && isspace((unsigned char)*line))
			line++;
		while (end > line && isspace((unsigned char)end[-1]))
			end--;
		if (line == end || *line == '#')
			continue;
		if (al->npaths + al->nfingerprints >= TT_ALLOW_MAX_ENTRIES) {
			tt_seterr(err, errlen, "%s:%zu: more than %d entries",
			    name, lineno, TT_ALLOW_MAX_ENTRIES);
			r = -EINVAL;
			goto out;
		}
		word = line;
		while (line < end && !isspace((unsigned char)*line))
			line++;
		wl = (size_t)(line - word);
		while (line < end && isspace((unsigned char)*line))
			line++;
		arg = line;
		if (wl == 11 && strncmp(word, "fingerprint", 11) == 0) {
			size_t al_len;

			/* As the findings print it, or the bare digits. */
			if (end - arg > 7 && strncmp(arg, "sha256:", 7) == 0)
				arg += 7;
			al_len = (size_t)(end - arg);

			if (al_len != 64 || !all_hex(arg, al_len)) {
				tt_seterr(err, errlen,
				    "%s:%zu: fingerprint: not 64 hex digits",
				    name, lineno);
				r = -EINVAL;
				goto out;
			}
			r = add_fingerprint(al, arg);
		} else if (wl == 4 && strncmp(word, "path", 4) == 0) {
			if (arg == end || *arg != '/') {
				tt_seterr(err, errlen,
				    "%s:%zu: path: not an absolute path or "
				    "glob",
				    name, lineno);
				r = -EINVAL;
				goto out;
			}
			r = add_path(al, arg, (size_t)(end - arg));
		} else {
			tt_seterr(err, errlen,
			    "%s:%zu: unknown entry '%.*s' (fingerprint or "
			    "path)",
			    name, lineno, (int)(wl > 40 ? 40 : wl), word);
			r = -EINVAL;
			goto out;
		}
		if (r < 0) {
			tt_seterr(err, errlen, "%s: out of memory", name);
			goto out;
		}
	}
out:
	if (r < 0)
		tt_allowlist_free(al);
	return r;
}

bool
tt_allowlist_match(const struct tt_allowlist *al, const char *path,
    const char *fingerprint)
{
	if (al == NULL)
		return false;
	if (fingerprint != NULL)
		for (size_t i = 0; i < al->nfingerprints; i++)
			if (strcmp(al->fingerprints[i], fingerprint) == 0)
				return true;
	for (size_t i = 0; i < al->npaths; i++)
		if (fnmatch(al->paths[i], path, 0) == 0)
			return true;
	return false;
}

void
tt_allowlist_free(struct tt_allowlist *al)
{
	if (al == NULL)
		return;
	for (size_t i = 0; i < al->npaths; i++)
		free(al->paths[i]);
	free(al->paths);
	free(al->fingerprints);
	memset(al, 0, sizeof(*al));
}
