#include <ctype.h>

#include "scrub_ac.h"
#include "tt.h"

/* The trie under construction: goto on lowercase bytes, -1 for none. */
struct trie {
	int32_t (*next)[256];
	int32_t *fail;
	int32_t *first_out; /* own pattern list head, -1 */
	int32_t *out_link; /* next pattern in that list */
	size_t n, cap;
};

static int
trie_add_state(struct trie *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		void *p;

		if (cap > TT_AC_MAX_STATES)
			cap = TT_AC_MAX_STATES;
		if (t->n == cap)
			return -E2BIG;
		if ((p = reallocarray(t->next, cap, sizeof(*t->next))) == NULL)
			return -ENOMEM;
		t->next = p;
		if ((p = reallocarray(t->fail, cap, sizeof(*t->fail))) == NULL)
			return -ENOMEM;
		t->fail = p;
		if ((p = reallocarray(t->first_out, cap,
			 sizeof(*t->first_out))) == NULL)
			return -ENOMEM;
		t->first_out = p;
		t->cap = cap;
	}
	for (int c = 0; c < 256; c++)
		t->next[t->n][c] = -1;
	t->fail[t->n] = 0;
	t->first_out[t->n] = -1;
	return (int)t->n++;
}

static void
trie_free(struct trie *t)
{
	free(t->next);
	free(t->fail);
	free(t->first_out);
	free(t->out_link);
}

int
tt_ac_build(struct tt_ac *ac, const char *const *patterns, size_t n)
{
	struct trie t = { 0 };
	int32_t *queue = NULL;
	size_t qh = 0, qt = 0, nouts = 0;
	int r;

	memset(ac, 0, sizeof(*ac));
	if ((t.out_link = calloc(n ? n : 1, sizeof(*t.out_link))) == NULL)
		return -ENOMEM;
	if ((r = trie_add_state(&t)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)patterns[i];
		int32_t s = 0;

		if (p[0] == '\0') {
			r = -EINVAL;
			goto out;
		}
		for (; *p; p++) {
			int c = tolower(*p);

			if (t.next[s][c] < 0) {
				if ((r = trie_add_state(&t)) < 0)
					goto out;
				t.next[s][c] = r;
			}
			s = t.next[s][c];
		}
		t.out_link[i] = t.first_out[s];
		t.first_out[s] = (int32_t)i;
	}
	/* Breadth first: failure links, and the goto completed into a DFA. */
	if ((queue = calloc(t.n, sizeof(*queue))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (int c = 0; c < 256; c++) {
		if (t.next[0][c] < 0) {
			t.next[0][c] = 0;
		} else {
			t.fail[t.next[0][c]] = 0;
			queue[qt++] = t.next[0][c];
		}
	}
	while (qh < qt) {
		int32_t s = queue[qh++];

		for (int c = 0; c < 256; c++) {
			int32_t u = t.next[s][c];

			if (u < 0) {
				t.next[s][c] = t.next[t.fail[s]][c];
				continue;
			}
			t.fail[u] = t.next[t.fail[s]][c];
			queue[qt++] = u;
		}
	}
	/* Outputs: a state's own patterns and those of its failure chain. */
	for (size_t s = 0; s < t.n; s++)
		for (int32_t f = (int32_t)s; f != 0; f = t.fail[f])
			for (int32_t o = t.first_out[f]; o >= 0;
			     o = t.out_link[o])
				nouts++;
	ac->nstates = t.n;
	ac->npatterns = n;
	ac->delta = reallocarray(NULL, t.n * 256, sizeof(*ac->delta));
	ac->out_start = calloc(t.n + 1, sizeof(*ac->out_start));
	ac->outs = calloc(nouts ? nouts : 1, sizeof(*ac->outs));
	ac->pat_len = calloc(n ? n : 1, sizeof(*ac->pat_len));
	if (ac->delta == NULL || ac->out_start == NULL || ac->outs == NULL ||
	    ac->pat_len == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		ac->pat_len[i] = (uint32_t)strlen(patterns[i]);
	nouts = 0;
	for (size_t s = 0; s < t.n; s++) {
		ac->out_start[s] = (uint32_t)nouts;
		for (int32_t f = (int32_t)s; f != 0; f = t.fail[f])
			for (int32_t o = t.first_out[f]; o >= 0;
			     o = t.out_link[o])
				ac->outs[nouts++] = (uint32_t)o;
	}
	ac->out_start[t.n] = (uint32_t)nouts;
	for (size_t s = 0; s < t.n; s++)
		for (int c = 0; c < 256; c++) {
			uint32_t u = (uint32_t)t.next[s][tolower(c)];
			uint32_t e = u * 256;

			if (ac->out_start[u + 1] > ac->out_start[u])
				e |= TT_AC_OUT;
			ac->delta[s * 256 + (size_t)c] = e;
		}
	r = 0;
out:
	free(queue);
	trie_free(&t);
	if (r < 0)
		tt_ac_free(ac);
	return r;
}

void
tt_ac_free(struct tt_ac *ac)
{
	if (ac == NULL)
		return;
	free(ac->delta);
	free(ac->out_start);
	free(ac->outs);
	free(ac->pat_len);
	memset(ac, 0, sizeof(*ac));
}

void
tt_ac_scan(const struct tt_ac *ac, uint32_t *state, const uint8_t *data,
    size_t len, void (*fn)(void *arg, uint32_t id, size_t end), void *arg)
{
	const uint32_t *delta = ac->delta;
	uint32_t s = *state;

	for (size_t i = 0; i < len; i++) {
		s = delta[s + data[i]];
		if (__builtin_expect((s & TT_AC_OUT) != 0, 0)) {
			uint32_t st;

			s &= ~TT_AC_OUT;
			st = s / 256;
			for (uint32_t k = ac->out_start[st];
			     k < ac->out_start[st + 1]; k++)
				fn(arg, ac->outs[k], i + 1);
		}
	}
	*state = s;
}
