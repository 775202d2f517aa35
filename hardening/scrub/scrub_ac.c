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
	/* Classes: the folded bytes some keyword uses; 0 for the rest. */
	{
		uint8_t of[256] = { 0 };

		ac->ncls = 1;
		for (size_t i = 0; i < n; i++)
			for (const unsigned char *p =
				 (const unsigned char *)patterns[i];
			     *p; p++)
				if (of[tolower(*p)] == 0)
					of[tolower(*p)] = (uint8_t)ac->ncls++;
		for (int c = 0; c < 256; c++)
			ac->cls[c] = of[tolower(c)];
	}
	ac->delta = reallocarray(NULL, t.n * ac->ncls, sizeof(*ac->delta));
	ac->out_start = calloc(t.n + 1, sizeof(*ac->out_start));
	ac->outs = calloc(nouts ? nouts : 1, sizeof(*ac->outs));
	ac->pat_len = calloc(n ? n : 1, sizeof(*ac->pat_len));
	if (ac->delta == NULL || ac->out_start == NULL || ac->outs == NULL ||
	    ac->pat_len == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		ac->pat_len[i] = (uint32_t)strlen(patterns[i]);
		if (ac->pat_len[i] > ac->maxlen)
			ac->maxlen = ac->pat_len[i];
	}
	nouts = 0;
	for (size_t s = 0; s < t.n; s++) {
		ac->out_start[s] = (uint32_t)nouts;
		for (int32_t f = (int32_t)s; f != 0; f = t.fail[f])
			for (int32_t o = t.first_out[f]; o >= 0;
			     o = t.out_link[o])
				ac->outs[nouts++] = (uint32_t)o;
		if (nouts - ac->out_start[s] > ac->maxouts)
			ac->maxouts = nouts - ac->out_start[s];
	}
	ac->out_start[t.n] = (uint32_t)nouts;
	for (size_t s = 0; s < t.n; s++)
		for (int c = 0; c < 256; c++) {
			uint32_t u = (uint32_t)t.next[s][tolower(c)];
			uint32_t e = u * (uint32_t)ac->ncls;

			if (ac->out_start[u + 1] > ac->out_start[u])
				e |= TT_AC_OUT;
			/* Every byte of a class goes the same way. */
			ac->delta[s * ac->ncls + ac->cls[c]] = e;
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

static void
scan_one(const struct tt_ac *ac, uint32_t *state, const uint8_t *data,
    size_t from, size_t to, size_t after,
    void (*fn)(void *arg, uint32_t id, size_t end), void *arg)
{
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	uint32_t s = *state;

	for (size_t i = from; i < to; i++) {
		s = delta[s + cls[data[i]]];
		if (__builtin_expect((s & TT_AC_OUT) != 0, 0)) {
			uint32_t st;

			s &= ~TT_AC_OUT;
			st = s / (uint32_t)ac->ncls;
			if (i + 1 <= after)
				continue;
			for (uint32_t k = ac->out_start[st];
			     k < ac->out_start[st + 1]; k++)
				fn(arg, ac->outs[k], i + 1);
		}
	}
	*state = s;
}

/* Matches of the second stream, held until the first one's are out. */
#define HELD 512
#define SPLIT_MIN 8192

/*
 * Each step of the automaton waits for the load of the step before: the
 * loop is bound by the cache's latency, not by work.  Two automata over
 * the two halves of the data, stepped together, keep two loads in
 * flight.  The second starts maxlen - 1 bytes before the middle from the
 * start state, which gives it the true state by the middle (a state is
 * the longest keyword prefix ending there), and reports only matches that
 * end after the middle.
 */
void
tt_ac_scan(const struct tt_ac *ac, uint32_t *state, const uint8_t *data,
    size_t len, void (*fn)(void *arg, uint32_t id, size_t end), void *arg)
{
	const uint32_t *delta = ac->delta;
	const uint8_t *cls = ac->cls;
	struct {
		uint32_t id;
		size_t end;
	} held[HELD];
	size_t nheld = 0, mid, warm, k;
	uint32_t a = *state, b = TT_AC_START;

	if (len < SPLIT_MIN || ac->maxouts > HELD / 2) {
		scan_one(ac, state, data, 0, len, 0, fn, arg);
		return;
	}
	mid = len / 2;
	warm = mid - (ac->maxlen > 0 ? ac->maxlen - 1 : 0);
	for (k = 0; k < mid && nheld + ac->maxouts <= HELD; k++) {
		a = delta[a + cls[data[k]]];
		b = delta[b + cls[data[warm + k]]];
		if (__builtin_expect(((a | b) & TT_AC_OUT) != 0, 0)) {
			if (a & TT_AC_OUT) {
				uint32_t st;

				a &= ~TT_AC_OUT;
				st = a / (uint32_t)ac->ncls;
				for (uint32_t o = ac->out_start[st];
				     o < ac->out_start[st + 1]; o++)
					fn(arg, ac->outs[o], k + 1);
			}
			if (b & TT_AC_OUT) {
				uint32_t st;

				b &= ~TT_AC_OUT;
				st = b / (uint32_t)ac->ncls;
				if (warm + k + 1 <= mid)
					continue;
				for (uint32_t o = ac->out_start[st];
				     o < ac->out_start[st + 1]; o++) {
					held[nheld].id = ac->outs[o];
					held[nheld++].end = warm + k + 1;
				}
			}
		}
	}
	/* The first half to its end, then what the second one held, then
	 * the second to the end. */
	scan_one(ac, &a, data, k, mid, 0, fn, arg);
	for (size_t i = 0; i < nheld; i++)
		fn(arg, held[i].id, held[i].end);
	scan_one(ac, &b, data, warm + k, len, mid, fn, arg);
	*state = b;
}
