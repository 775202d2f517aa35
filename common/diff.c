#include "diff.h"
#include "term.h"
#include "tt.h"

#define CONTEXT 3
/* Beyond this many cells the middle is shown as removed and added whole:
 * a dry run must stay fast on a rewritten large file. */
#define MAX_LCS_CELLS ((size_t)4 * 1024 * 1024)

struct line {
	const char *s;
	size_t len; /* without the newline */
	bool nonl; /* the file's last line, with no newline */
};

struct lines {
	struct line *v;
	size_t n;
};

static int
split(const char *text, size_t len, struct lines *ret)
{
	size_t cap = 16, pos = 0;

	ret->n = 0;
	ret->v = reallocarray(NULL, cap, sizeof(*ret->v));
	if (ret->v == NULL)
		return -ENOMEM;
	while (text != NULL && pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;

		if (ret->n == cap) {
			struct line *v =
			    reallocarray(ret->v, cap * 2, sizeof(*v));
			if (v == NULL)
				return -ENOMEM;
			ret->v = v;
			cap *= 2;
		}
		ret->v[ret->n++] = (struct line){ text + pos, ll, nl == NULL };
		pos += ll + 1;
	}
	return 0;
}

static bool
same(const struct line *a, const struct line *b)
{
	return a->len == b->len && a->nonl == b->nonl &&
	    memcmp(a->s, b->s, a->len) == 0;
}

/* An edit script: for each position one of ' ', '-', '+'. */
struct edit {
	char op;
	size_t a, b; /* line indexes in old and new */
};

static int
script(const struct lines *a, const struct lines *b, struct edit **ret,
    size_t *ret_n)
{
	size_t pre = 0, suf = 0, n, m, k = 0;
	struct edit *e;
	uint32_t *t = NULL;

	while (pre < a->n && pre < b->n && same(&a->v[pre], &b->v[pre]))
		pre++;
	while (suf < a->n - pre && suf < b->n - pre &&
	    same(&a->v[a->n - 1 - suf], &b->v[b->n - 1 - suf]))
		suf++;
	n = a->n - pre - suf;
	m = b->n - pre - suf;
	e = reallocarray(NULL, a->n + b->n + 1, sizeof(*e));
	if (e == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < pre; i++)
		e[k++] = (struct edit){ ' ', i, i };
	if (n > 0 && m > 0 && (n + 1) * (m + 1) <= MAX_LCS_CELLS)
		t = calloc((n + 1) * (m + 1), sizeof(*t));
	if (t != NULL) {
		/* t[i][j]: LCS length of the middles' suffixes from i, j. */
		for (size_t i = n; i-- > 0;)
			for (size_t j = m; j-- > 0;)
				t[i * (m + 1) + j] =
				    same(&a->v[pre + i], &b->v[pre + j]) ?
				    t[(i + 1) * (m + 1) + j + 1] + 1 :
				    (t[(i + 1) * (m + 1) + j] >
						t[i * (m + 1) + j + 1] ?
					    t[(i + 1) * (m + 1) + j] :
					    t[i * (m + 1) + j + 1]);
		size_t i = 0, j = 0;
		while (i < n || j < m) {
			if (i < n && j < m &&
			    same(&a->v[pre + i], &b->v[pre + j])) {
				e[k++] = (struct edit){ ' ', pre + i, pre + j };
				i++;
				j++;
			} else if (i < n &&
			    (j == m ||
				t[(i + 1) * (m + 1) + j] >=
				    t[i * (m + 1) + j + 1])) {
				e[k++] = (struct edit){ '-', pre + i, pre + j };
				i++;
			} else {
				e[k++] = (struct edit){ '+', pre + i, pre + j };
				j++;
			}
		}
		free(t);
	} else {
		for (size_t i = 0; i < n; i++)
			e[k++] = (struct edit){ '-', pre + i, pre };
		for (size_t j = 0; j < m; j++)
			e[k++] = (struct edit){ '+', pre + n, pre + j };
	}
	for (size_t i = 0; i < suf; i++)
		e[k++] = (struct edit){ ' ', pre + n + i, pre + m + i };
	*ret = e;
	*ret_n = k;
	return 0;
}

static int
emit_line(struct tt_buf *out, char op, const struct lines *l, size_t idx)
{
	int r;

	/* The lines are a file's: escaped for the terminal (term.h); a tab
	 * is kept, a line has no newline inside. */
	if ((r = tt_buf_putc(out, op)) < 0 ||
	    (r = tt_term_escape(out, l->v[idx].s, l->v[idx].len,
		 TT_TERM_LINES)) < 0 ||
	    (r = tt_buf_putc(out, '\n')) < 0)
		return r;
	if (l->v[idx].nonl)
		return tt_buf_puts(out, "\\ No newline at end of file\n");
	return 0;
}

int
tt_diff_unified(const char *label, const char *old, size_t oldlen,
    const char *new, size_t newlen, struct tt_buf *out)
{
	struct lines a = { 0 }, b = { 0 };
	struct edit *e = NULL;
	size_t ne = 0, i = 0;
	int r;

	if (old != NULL && new != NULL &&
	    oldlen == newlen &&memcmp(old, new, oldlen) == 0)
		return 0;
	if ((r = split(old, oldlen, &a)) < 0 ||
	    (r = split(new, newlen, &b)) < 0 ||
	    (r = script(&a, &b, &e, &ne)) < 0)
		goto out;
	r = tt_term_printf(out, "--- %s%s\n+++ %s%s\n", old ? "a" : "/dev/null",
	    old ? label : "", new ? "b" : "/dev/null", new ? label : "");
	while (r == 0 && i < ne) {
		size_t start, end, a0, b0, acount = 0, bcount = 0;

		while (i < ne && e[i].op == ' ')
			i++;
		if (i == ne)
			break;
		start = i > CONTEXT ? i - CONTEXT : 0;
		/* Extend the hunk while changes are within 2*CONTEXT. */
		end = i;
		for (size_t j = i; j < ne; j++) {
			if (e[j].op != ' ')
				end = j;
			else if (j - end > (size_t)2 * CONTEXT)
				break;
		}
		end = end + CONTEXT + 1 < ne ? end + CONTEXT + 1 : ne;
		for (size_t j = start; j < end; j++) {
			acount += e[j].op != '+';
			bcount += e[j].op != '-';
		}
		a0 = e[start].a + (acount ? 1 : 0);
		b0 = e[start].b + (bcount ? 1 : 0);
		r = tt_buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", a0, acount,
		    b0, bcount);
		for (size_t j = start; r == 0 && j < end; j++)
			r = e[j].op == '+' ?
			    emit_line(out, '+', &b, e[j].b) :
			    emit_line(out, e[j].op, &a, e[j].a);
		i = end;
	}
out:
	free(a.v);
	free(b.v);
	free(e);
	return r;
}
