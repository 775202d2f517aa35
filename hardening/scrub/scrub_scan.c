#include <unistd.h>

#include "crypto.h"
#include "scrub_archive.h"
#include "scrub_detect.h"
#include "scrub_scan.h"
#include "sha256.h"
#include "tt.h"

/* Bytes kept from one chunk to the next: what a hit near the end of the
 * data read so far may still look at, before and after its keyword. */
#define KEEP (TT_DETECT_BEFORE + TT_DETECT_AFTER + TT_SCRUB_MAX_KEYWORD_LEN)

int
tt_scanner_init(struct tt_scanner *s, const struct tt_scrub_catalog *cat)
{
	const char **pats = NULL;
	size_t n = 0, k = 0;
	int r;

	memset(s, 0, sizeof(*s));
	s->cat = cat;
	s->chunk = TT_SCAN_CHUNK;
	for (size_t i = 0; i < cat->ndetectors; i++)
		n += cat->detectors[i].nkeywords;
	pats = calloc(n ? n : 1, sizeof(*pats));
	s->pat_detector = calloc(n ? n : 1, sizeof(*s->pat_detector));
	s->pat_keyword = calloc(n ? n : 1, sizeof(*s->pat_keyword));
	if (pats == NULL || s->pat_detector == NULL || s->pat_keyword == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < cat->ndetectors; i++)
		for (size_t j = 0; j < cat->detectors[i].nkeywords; j++) {
			pats[k] = cat->detectors[i].keywords[j];
			s->pat_detector[k] = (uint32_t)i;
			s->pat_keyword[k] = (uint32_t)j;
			k++;
		}
	r = tt_ac_build(&s->ac, pats, n);
out:
	free(pats);
	if (r < 0)
		tt_scanner_free(s);
	return r;
}

void
tt_scanner_free(struct tt_scanner *s)
{
	if (s == NULL)
		return;
	tt_ac_free(&s->ac);
	free(s->pat_detector);
	free(s->pat_keyword);
	s->pat_detector = s->pat_keyword = NULL;
}

void
tt_scan_describe(struct tt_scan_finding *f, const uint8_t *secret, size_t len)
{
	uint8_t sum[32];
	/* Never more than a quarter of a short secret. */
	size_t n = len / 4 < TT_SCAN_PREVIEW ? len / 4 : TT_SCAN_PREVIEW;

	/* Printable ASCII only: the preview goes to terminals and XML. */
	for (size_t i = 0; i < n; i++) {
		f->preview[i] = '?';
		if (secret[i] > ' ' && secret[i] < 0x7f)
			memcpy(&f->preview[i], &secret[i], 1);
	}
	f->preview[n] = '\0';
	tt_sha256_small(secret, len, sum);
	tt_hex(sum, sizeof(sum), f->fingerprint);
	explicit_bzero(sum, sizeof(sum));
}

struct hit {
	uint64_t kstart;
	uint32_t pat;
};

/* One scan: the buffer, where it is in the file, and hits that wait for
 * more bytes. */
struct scan {
	const struct tt_scanner *s;
	tt_scan_emit_fn emit;
	void *arg;
	uint8_t *buf;
	size_t cap, have, scanned;
	uint64_t base; /* file offset of buf[0] */
	uint64_t lines_base; /* newlines before base */
	uint64_t line_pos, line_count; /* cache: newlines before line_pos */
	bool eof, found;
	struct hit *pending;
	size_t npending, cappending;
	uint64_t *last_end; /* per detector: end of its last secret */
	/* Findings not emitted yet, by offset.  Hits are validated in
	 * keyword order, but a secret may lie up to TT_DETECT_AFTER bytes
	 * after its keyword and TT_DETECT_BEFORE before: a later keyword can
	 * name an earlier secret, so a finding waits until no hit to come
	 * can land at or before it. */
	struct held *held;
	size_t nheld, capheld;
	int err;
};

struct held {
	struct tt_scan_finding f;
	unsigned rank;
};

static uint64_t
line_of(struct scan *sc, uint64_t abs)
{
	uint64_t from = sc->line_pos, count = sc->line_count;

	if (from < sc->base || from > abs) {
		from = sc->base;
		count = sc->lines_base;
	}
	for (const uint8_t *p = sc->buf + (from - sc->base),
			   *e = sc->buf + (abs - sc->base);
	     p < e;) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(e - p));

		if (nl == NULL)
			break;
		count++;
		p = nl + 1;
	}
	sc->line_pos = abs;
	sc->line_count = count;
	return count + 1;
}

/* How specific a finding is: a format with a structure over a value
 * next to a keyword in a known context over a value next to a longer,
 * more specific keyword (aws_secret_access_key over secret). */
static unsigned
rank(const struct tt_scrub_catalog *cat, size_t det, size_t klen)
{
	const struct tt_detector *d = &cat->detectors[det];

	if (d->type == TT_V_TOKEN && !d->keyword_in_secret)
		return 50000; /* Authorization: Bearer <a JWT> is a JWT */
	if (d->type == TT_V_CURL_HEADER)
		return 40000; /* Authorization: Bearer in curl -H: the header's */
	if (d->type != TT_V_ASSIGNMENT && d->type != TT_V_URL_PASSWORD)
		return 100000;
	return (d->context != NULL ? 10000 : 0) + (unsigned)klen;
}

/* Keeps f (of rank r) among the held findings in offset order.  One
 * secret, one finding: of the detectors that found the same bytes the
 * most specific names it (github-pat-classic rather than
 * token-assignment for GH_TOKEN=ghp_...); at equal rank the first. */
static void
hold(struct scan *sc, const struct tt_scan_finding *f, unsigned r)
{
	size_t i = sc->nheld;

	while (i > 0 && sc->held[i - 1].f.offset > f->offset)
		i--;
	if (i > 0 && sc->held[i - 1].f.offset == f->offset) {
		if (r > sc->held[i - 1].rank) {
			sc->held[i - 1].f = *f;
			sc->held[i - 1].rank = r;
		}
		return;
	}
	if (sc->nheld == sc->capheld) {
		size_t cap = sc->capheld ? sc->capheld * 2 : 16;
		struct held *p = reallocarray(NULL, cap, sizeof(*p));

		if (p == NULL) {
			sc->err = -ENOMEM;
			return;
		}
		/* Not realloc: the old array held previews and fingerprints,
		 * wiped before it is freed. */
		if (sc->nheld > 0)
			memcpy(p, sc->held, sc->nheld * sizeof(*p));
		if (sc->held != NULL)
			explicit_bzero(sc->held, sc->capheld * sizeof(*p));
		free(sc->held);
		sc->held = p;
		sc->capheld = cap;
	}
	memmove(&sc->held[i + 1], &sc->held[i],
	    (sc->nheld - i) * sizeof(*sc->held));
	sc->held[i].f = *f;
	sc->held[i].rank = r;
	sc->nheld++;
}

static void
validate(struct scan *sc, const struct hit *h)
{
	const struct tt_scanner *s = sc->s;
	size_t det = s->pat_detector[h->pat], kw = s->pat_keyword[h->pat];
	size_t klen = s->ac.pat_len[h->pat], kpos, lo, start, len;
	struct tt_scan_finding f;

	if (h->kstart < sc->base || h->kstart < sc->last_end[det])
		return;
	/* The validator sees TT_DETECT_BEFORE bytes before the keyword and
	 * no more, so no secret starts earlier: what emit_ready counts on. */
	kpos = (size_t)(h->kstart - sc->base);
	lo = kpos > TT_DETECT_BEFORE ? kpos - TT_DETECT_BEFORE : 0;
	if (!tt_detect(&s->cat->detectors[det], kw, sc->buf + lo, sc->have - lo,
		kpos - lo, klen, &start, &len))
		return;
	start += lo;
	memset(&f, 0, sizeof(f));
	f.detector = det;
	f.offset = sc->base + start;
	sc->last_end[det] = f.offset + len;
	sc->found = true;
	f.line = line_of(sc, f.offset);
	tt_scan_describe(&f, sc->buf + start, len);
	hold(sc, &f, rank(s->cat, det, klen));
	explicit_bzero(&f, sizeof(f));
}

static bool
ready(const struct scan *sc, const struct hit *h, size_t klen)
{
	return sc->eof ||
	    h->kstart + klen + TT_DETECT_AFTER <= sc->base + sc->have;
}

static void
on_hit(void *arg, uint32_t pat, size_t end)
{
	struct scan *sc = arg;
	size_t klen = sc->s->ac.pat_len[pat];
	struct hit h = { sc->base + sc->scanned + end - klen, pat };

	if (sc->npending == 0 && ready(sc, &h, klen)) {
		validate(sc, &h);
		return;
	}
	if (sc->npending == sc->cappending) {
		size_t cap = sc->cappending ? sc->cappending * 2 : 64;
		struct hit *p = reallocarray(sc->pending, cap, sizeof(*p));

		if (p == NULL) {
			sc->err = -ENOMEM;
			return;
		}
		sc->pending = p;
		sc->cappending = cap;
	}
	sc->pending[sc->npending++] = h;
}

static void
drain(struct scan *sc)
{
	size_t i = 0;

	for (; i < sc->npending; i++) {
		const struct hit *h = &sc->pending[i];

		if (!ready(sc, h, sc->s->ac.pat_len[h->pat]))
			break;
		validate(sc, h);
	}
	if (i == 0)
		return;
	memmove(sc->pending, sc->pending + i,
	    (sc->npending - i) * sizeof(*sc->pending));
	sc->npending -= i;
}

/* Emits the held findings no hit still to be validated can precede: a
 * hit's keyword starts at most TT_SCRUB_MAX_KEYWORD_LEN bytes before
 * where the automaton stands (or before the first waiting hit's, which
 * came first), and its secret at most TT_DETECT_BEFORE bytes before its
 * keyword.  At the end, all. */
static void
emit_ready(struct scan *sc, bool all)
{
	uint64_t next =
	    sc->npending > 0 ? sc->pending[0].kstart : sc->base + sc->scanned;
	uint64_t margin = TT_SCRUB_MAX_KEYWORD_LEN + TT_DETECT_BEFORE;
	size_t i = 0;

	for (; i < sc->nheld; i++) {
		if (!all &&
		    (next < margin || sc->held[i].f.offset >= next - margin))
			break;
		sc->emit(sc->arg, &sc->held[i].f);
	}
	if (i == 0)
		return;
	memmove(sc->held, sc->held + i, (sc->nheld - i) * sizeof(*sc->held));
	explicit_bzero(sc->held + (sc->nheld - i), i * sizeof(*sc->held));
	sc->nheld -= i;
}

/* Where the bytes come from: a descriptor, memory, or a reader. */
struct source {
	int fd;
	const uint8_t *mem;
	size_t memlen, memoff;
	tt_scan_read_fn rd;
	void *rdarg;
	bool sniff; /* stop at an archive's or compressed stream's magic */
	uint64_t hint; /* the expected size, 0 unknown: sizes the buffer */
};

/* Up to want bytes; fewer only at the end.  A short read is not the
 * end: only 0 is. */
static ssize_t
fill(struct source *src, uint8_t *buf, size_t want, bool *eof)
{
	size_t got = 0;

	if (src->rd == NULL && src->fd < 0) {
		got = src->memlen - src->memoff < want ?
		    src->memlen - src->memoff :
		    want;
		if (got > 0)
			memcpy(buf, src->mem + src->memoff, got);
		src->memoff += got;
		*eof = src->memoff == src->memlen;
		return (ssize_t)got;
	}
	while (got < want) {
		ssize_t n = src->rd != NULL ?
		    src->rd(src->rdarg, buf + got, want - got) :
		    read(src->fd, buf + got, want - got);

		if (n < 0 && src->rd == NULL && errno == EINTR)
			continue;
		if (n < 0)
			return src->rd != NULL ? n : -errno;
		if (n == 0) {
			*eof = true;
			break;
		}
		got += (size_t)n;
	}
	return (ssize_t)got;
}

static int
run(const struct tt_scanner *s, struct source *src, tt_scan_emit_fn emit,
    void *arg, uint64_t *ret_bytes)
{
	struct scan sc = { .s = s, .emit = emit, .arg = arg };
	uint32_t state = TT_AC_START;
	int r = TT_SCAN_DONE;
	/* A small file or member gets a small buffer: an archive of many
	 * small members must not cost a 1 MiB allocation each.  A size that
	 * lies only makes more, smaller reads. */
	size_t chunk = s->chunk;

	if (src->hint > 0 && src->hint < chunk)
		chunk =
		    src->hint < 4096 && chunk > 4096 ? 4096 : (size_t)src->hint;
	sc.cap = chunk + KEEP;
	sc.buf = malloc(sc.cap);
	sc.last_end = calloc(s->cat->ndetectors ? s->cat->ndetectors : 1,
	    sizeof(*sc.last_end));
	if (sc.buf == NULL || sc.last_end == NULL) {
		r = -ENOMEM;
		goto out;
	}
	while (!sc.eof) {
		size_t want, got;
		ssize_t n;

		if (sc.have + chunk > sc.cap) {
			size_t drop = sc.have - KEEP;

			for (const uint8_t *p = sc.buf, *e = sc.buf + drop;
			     (p = memchr(p, '\n', (size_t)(e - p))) != NULL;
			     p++)
				sc.lines_base++;
			memmove(sc.buf, sc.buf + drop, sc.have - drop);
			sc.base += drop;
			sc.have -= drop;
			sc.scanned -= drop;
		}
		want = sc.cap - sc.have < chunk ? sc.cap - sc.have : chunk;
		n = fill(src, sc.buf + sc.have, want, &sc.eof);
		if (n < 0) {
			r = (int)n;
			goto out;
		}
		got = (size_t)n;
		if (src->sniff && sc.base == 0 && sc.have == 0 &&
		    tt_archive_sniff(sc.buf, got)) {
			sc.have = got;
			r = TT_SCAN_ARCHIVE;
			goto out;
		}
		sc.have += got;
		drain(&sc);
		tt_ac_scan(&s->ac, &state, sc.buf + sc.scanned,
		    sc.have - sc.scanned, on_hit, &sc);
		sc.scanned = sc.have;
		drain(&sc);
		if (sc.err < 0) {
			r = sc.err;
			goto out;
		}
		emit_ready(&sc, sc.eof);
	}
out:
	if (sc.held != NULL)
		explicit_bzero(sc.held, sc.capheld * sizeof(*sc.held));
	free(sc.held);
	if (ret_bytes != NULL)
		*ret_bytes = sc.base + sc.have;
	/* The buffer held the secrets found: wipe it.  A file without
	 * findings is not worth the cost of a wipe per file. */
	if (sc.buf != NULL && sc.found)
		explicit_bzero(sc.buf, sc.cap);
	free(sc.buf);
	free(sc.pending);
	free(sc.last_end);
	return r;
}

int
tt_scan_fd(const struct tt_scanner *s, int fd, tt_scan_emit_fn emit, void *arg,
    uint64_t *ret_bytes)
{
	struct source src = { .fd = fd, .sniff = true };

	return run(s, &src, emit, arg, ret_bytes);
}

int
tt_scan_mem(const struct tt_scanner *s, const uint8_t *data, size_t len,
    tt_scan_emit_fn emit, void *arg)
{
	struct source src = { .fd = -1,
		.mem = data,
		.memlen = len,
		.sniff = true,
		.hint = len };

	return run(s, &src, emit, arg, NULL);
}

int
tt_scan_stream(const struct tt_scanner *s, tt_scan_read_fn rd, void *rdarg,
    uint64_t hint, tt_scan_emit_fn emit, void *arg, uint64_t *ret_bytes)
{
	struct source src = { .fd = -1, .rd = rd, .rdarg = rdarg, .hint = hint };

	return run(s, &src, emit, arg, ret_bytes);
}
