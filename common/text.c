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
