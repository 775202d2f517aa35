/*
 * The secret scanner over arbitrary bytes: the built-in catalogue's
 * automaton and every validator, with the read size taken from the first
 * input byte so that keywords and secrets straddle read boundaries.
 * Properties: every finding lies inside the input, in file order; its
 * preview is at most 4 bytes and those are the input's bytes at its
 * offset (or '?'); its fingerprint is 64 hex digits.  Nothing found may
 * ever expose more than the 4 bytes of its preview.
 */
#include <string.h>

#include "fuzz.h"
#include "scrub/scrub_scan.h"
#include "tt.h"

static struct tt_scrub_catalog cat;
static struct tt_scanner scanner;
static bool ready;

struct check {
	const uint8_t *data;
	size_t size;
	uint64_t last;
	size_t n;
};

static void
on_finding(void *arg, const struct tt_scan_finding *f)
{
	struct check *c = arg;
	size_t pl = strlen(f->preview);

	FUZZ_ASSERT(f->offset < c->size);
	FUZZ_ASSERT(f->offset >= c->last);
	FUZZ_ASSERT(f->detector < cat.ndetectors);
	FUZZ_ASSERT(f->line >= 1 && f->line <= c->size + 1);
	FUZZ_ASSERT(pl <= TT_SCAN_PREVIEW);
	FUZZ_ASSERT(f->offset + pl <= c->size);
	for (size_t i = 0; i < pl; i++)
		FUZZ_ASSERT(f->preview[i] == '?' ||
		    f->preview[i] == (char)c->data[f->offset + i]);
	FUZZ_ASSERT(strlen(f->fingerprint) == 64 &&
	    strspn(f->fingerprint, "0123456789abcdef") == 64);
	c->last = f->offset;
	c->n++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct check c = { .data = data, .size = size };
	char err[256];

	if (!ready) {
		if (tt_scrub_load_builtin(&cat, err, sizeof(err)) < 0 ||
		    tt_scanner_init(&scanner, &cat) < 0)
			abort();
		ready = true;
	}
	/* 1 to 256 bytes per read, or the real 1 MiB. */
	scanner.chunk = size > 0 && data[0] != 0 ? data[0] : TT_SCAN_CHUNK;
	FUZZ_ASSERT(tt_scan_mem(&scanner, data, size, on_finding, &c) >= 0);
	return 0;
}
