#include <ctype.h>

#include "scrub_ac.h"
#include "tt.h"

/*
 * The trie under construction, over byte classes (ac->cls): goto rows of
 * ncls entries, -1 for none.  Built over classes rather than all 256
 * bytes, its table is a sixth of the size for the built-in keywords
 * (about 40 classes), and it is sized once from the patterns' total
 * length, the most states they can make: scrub starts without growing
 * and copying a table of a megabyte and more.
 */
struct trie {
	int32_t *next; /* n * ncls */
	int32_t *fail;
	int32_t *first_out; /* own pattern list head, -1 */
	int32_t *out_link; /* next pattern in that list */
	size_t n, cap, ncls;
};

static int
trie_add_state(struct trie *t)
{
	if (t->n == t->cap)
		return -E2BIG;
	for (size_t c = 0; c < t->ncls; c++)
		t->next[t->n * t->ncls + c] = -1;
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

/* Classes: the folded bytes some keyword uses; 0 for the rest. */
static void
make_classes(struct tt_ac *ac, const char *const *patterns, size_t n)
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

/* Room for every state the patterns can make (one per byte, and the
 * root), at most TT_AC_MAX_STATES. */
static int
trie_alloc(struct trie *t, const char *const *patterns, size_t n, size_t ncls)
{
	size_t cap = 1;

	for (size_t i = 0; i < n && cap < TT_AC_MAX_STATES; i++)
		cap += strlen(patterns[i]);
	if (cap > TT_AC_MAX_STATES)
		cap = TT_AC_MAX_STATES;
	t->ncls = ncls;
	t->cap = cap;
	t->next = reallocarray(NULL, cap * ncls, sizeof(*t->next));
	t->fail = reallocarray(NULL, cap, sizeof(*t->fail));
	t->first_out = reallocarray(NULL, cap, sizeof(*t->first_out));
	t->out_link = calloc(n ? n : 1, sizeof(*t->out_link));
	if (t->next == NULL || t->fail == NULL || t->first_out == NULL ||
	    t->out_link == NULL)
		return -ENOMEM;
	return 0;
}

int
tt_ac_build(struct tt_ac *ac, const char *const *patterns, size_t n)
{
	struct trie t = { 0 };
	int32_t *queue = NULL, *next;
	size_t qh = 0, qt = 0, nouts = 0, ncls;
	int r;

	memset(ac, 0, sizeof(*ac));
	for (size_t i = 0; i < n; i++)
		if (patterns[i][0] == '\0')
			return -EINVAL;
	make_classes(ac, patterns, n);
	ncls = ac->ncls;
	if ((r = trie_alloc(&t, patterns, n, ncls)) < 0 ||
	    (r = trie_add_state(&t)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int32_t s = 0;

		for (const unsigned char *p =
			 (const unsigned char *)patterns[i];
		     *p; p++) {
			size_t c = ac->cls[*p];

			if (t.next[(size_t)s * ncls + c] < 0) {
				if ((r = trie_add_state(&t)) < 0)
					goto out;
				t.next[(size_t)s * ncls + c] = r;
			}
			s = t.next[(size_t)s * ncls + c];
		}
		t.out_link[i] = t.first_out[s];
		t.first_out[s] = (int32_t)i;
	}
	next = t.next;
	/* Breadth first: failure links, and the goto completed into a DFA. */
	if ((queue = calloc(t.n, sizeof(*queue))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t c = 0; c < ncls; c++) {
		if (next[c] < 0) {
			next[c] = 0;
		} else {
			t.fail[next[c]] = 0;
			queue[qt++] = next[c];
		}
	}
	while (qh < qt) {
		int32_t s = queue[qh++];
		size_t f = (size_t)t.fail[s] * ncls;

		for (size_t c = 0; c < ncls; c++) {
			int32_t u = next[(size_t)s * ncls + c];

			if (u < 0) {
				next[(size_t)s * ncls + c] = next[f + c];
				continue;
			}
			t.fail[u] = next[f + c];
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
	ac->delta = reallocarray(NULL, t.n * ncls, sizeof(*ac->delta));
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
		for (size_t c = 0; c < ncls; c++) {
			uint32_t u = (uint32_t)next[s * ncls + c];
			uint32_t e = u * (uint32_t)ncls;

			if (ac->out_start[u + 1] > ac->out_start[u])
				e |= TT_AC_OUT;
			ac->delta[s * ncls + c] = e;
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
