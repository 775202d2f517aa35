/*
 * The detectors catalogue loader over arbitrary JSON bytes, then the
 * scanner built from what loaded over a fixed text holding a keyword of
 * every kind: validators with any parameters the loader accepts.
 * Properties: an error names the file; a loaded catalogue builds an
 * automaton (or says it is too big) and scans without fault.
 */
#include <string.h>

#include "fuzz.h"
#include "scrub/scrub_scan.h"
#include "tt.h"

static const char text[] =
    "ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa password = 'x1y2z3w4v5' "
    "https://u:p4ssw0rd@h/ eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl "
    "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"
    "sig=abc%2Bdef&sv=1&se=2 xyz8Q~abcdefghijklmnopqrstuvwxyz01234567 "
    "$6$salt$hash \"auth\": \"dTpw\" client-key-data: LS0tLS1CRUdJTg== "
    "PuTTY-User-Key-File-3\nPrivate-Lines: 1\nAAAA\n";

static void
on_finding(void *arg, const struct tt_scan_finding *f)
{
	FUZZ_ASSERT(f->offset < sizeof(text));
	(void)arg;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_scrub_catalog cat = { 0 };
	struct tt_scanner s;
	char err[512] = "";
	int r = tt_scrub_load_detectors(&cat, "fuzz.json", (const char *)data,
	    size, err, sizeof(err));

	if (r < 0) {
		FUZZ_ASSERT(strncmp(err, "fuzz.json", 9) == 0);
		tt_scrub_catalog_free(&cat);
		return 0;
	}
	r = tt_scanner_init(&s, &cat);
	FUZZ_ASSERT(r == 0 || r == -E2BIG || r == -ENOMEM);
	if (r == 0) {
		FUZZ_ASSERT(tt_scan_mem(&s, (const uint8_t *)text,
				sizeof(text) - 1, on_finding, NULL) >= 0);
		tt_scanner_free(&s);
	}
	tt_scrub_catalog_free(&cat);
	return 0;
}
