#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"
#include "tt.h"

void
tt_lines_init(struct tt_lines *l, const char *data, size_t len)
{
	l->p = data;
	l->end = data + len;
	l->lineno = 0;
	l->skipped = 0;
}

int
tt_lines_next(struct tt_lines *l, char *buf, size_t size, bool cont,
    size_t *ret_lineno)
{
	while (l->p < l->end) {
		size_t n = 0, first = l->lineno + 1;
		bool overflow = false, more;

		do {
			const char *nl =
			    memchr(l->p, '\n', (size_t)(l->end - l->p));
			const char *e = nl ? nl : l->end;
			size_t len = (size_t)(e - l->p);

			l->lineno++;
			more = cont && len > 0 && e[-1] == '\\';
			if (more)
				len--;
			if (len > 0 && !more && e[-1] == '\r')
				len--;
			if (n + len + 1 > size)
				overflow = true;
			else {
				memcpy(buf + n, l->p, len);
				n += len;
			}
			l->p = nl ? nl + 1 : l->end;
		} while (more && l->p < l->end);
		if (overflow) {
			l->skipped++;
			continue;
		}
		buf[n] = '\0';
		/* A NUL inside a text line ends it: we never trust one. */
		if (ret_lineno != NULL)
			*ret_lineno = first;
		return 1;
	}
	return 0;
}

char *
tt_trim(char *s)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

bool
tt_is_comment(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return *s == '#';
}

char *
tt_unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

int
tt_strv_add(struct tt_strv *sv, const char *s)
{
	char *copy;

	if (sv->n == sv->cap) {
		size_t cap = sv->cap ? sv->cap * 2 : 8;
		char **v = reallocarray(sv->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		sv->v = v;
		sv->cap = cap;
	}
	if ((copy = strdup(s)) == NULL)
		return -ENOMEM;
	sv->v[sv->n++] = copy;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
tt_strv_sort(struct tt_strv *sv)
{
	if (sv->n > 1)
		qsort(sv->v, sv->n, sizeof(sv->v[0]), cmp_str);
}

bool
tt_strv_has(const struct tt_strv *sv, const char *s)
{
	for (size_t i = 0; i < sv->n; i++)
		if (TT_STREQ(sv->v[i], s))
			return true;
	return false;
}

void
tt_strv_free(struct tt_strv *sv)
{
	if (sv == NULL)
		return;
	for (size_t i = 0; i < sv->n; i++)
		free(sv->v[i]);
	TT_FREE(sv->v);
	sv->n = sv->cap = 0;
}

/* Words longer than this get no suggestion: a typo is a short word, and
 * the rows stay on the stack. */
#define SUGGEST_MAX 64

/* The optimal string alignment distance between a and b (ASCII case
 * ignored), or SIZE_MAX when either is too long. */
static size_t
osa_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][SUGGEST_MAX + 1], *pp, *p, *c;

	if (la > SUGGEST_MAX || lb > SUGGEST_MAX)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		rows[1][j] = j;
	pp = rows[0];
	p = rows[1];
	c = rows[2];
	for (size_t i = 1; i <= la; i++) {
		c[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			int ai = tolower((unsigned char)a[i - 1]);
			int bj = tolower((unsigned char)b[j - 1]);
			size_t cost = ai != bj, v = p[j - 1] + cost;

			if (p[j] + 1 < v)
				v = p[j] + 1;
			if (c[j - 1] + 1 < v)
				v = c[j - 1] + 1;
			if (i > 1 && j > 1 &&
			    ai == tolower((unsigned char)b[j - 2]) &&
			    tolower((unsigned char)a[i - 2]) == bj &&
			    pp[j - 2] + 1 < v)
				v = pp[j - 2] + 1;
			c[j] = v;
		}
		{
			size_t *t = pp;

			pp = p;
			p = c;
			c = t;
		}
	}
	return p[lb];
}

const char *
tt_suggest(const char *word, const char *const *cands, size_t n)
{
	size_t len, limit, best = SIZE_MAX;
	const char *pick = NULL;

	if (word == NULL || (len = strlen(word)) == 0)
		return NULL;
	limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		size_t d;

		if (cands[i] == NULL)
			continue;
		if (strcmp(word, cands[i]) == 0)
			return NULL;
		d = osa_distance(word, cands[i]);
		if (d <= limit && d < best) {
			best = d;
			pick = cands[i];
		}
	}
	return pick;
}
