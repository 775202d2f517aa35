/*
 * tt_allowlist_parse (scrub --allowlist) over arbitrary bytes.
 * Properties: an error names the file and a line; a parsed list holds
 * only 64 lowercase hex fingerprints and absolute globs, and matching
 * with it works; freeing is clean.
 */
#include <string.h>

#include "fuzz.h"
#include "scrub/scrub_allow.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_allowlist al;
	char err[512] = "";
	int r = tt_allowlist_parse(&al, "fuzz.txt", (const char *)data, size,
	    err, sizeof(err));

	if (r < 0) {
		FUZZ_ASSERT(r == -EINVAL || r == -ENOMEM);
		FUZZ_ASSERT(strncmp(err, "fuzz.txt", 8) == 0);
		FUZZ_ASSERT(al.npaths == 0 && al.nfingerprints == 0);
		return 0;
	}
	for (size_t i = 0; i < al.nfingerprints; i++)
		FUZZ_ASSERT(strlen(al.fingerprints[i]) == 64 &&
		    strspn(al.fingerprints[i], "0123456789abcdef") == 64);
	for (size_t i = 0; i < al.npaths; i++)
		FUZZ_ASSERT(al.paths[i][0] == '/');
	(void)tt_allowlist_match(&al, "/etc/x", NULL);
	if (al.nfingerprints > 0)
		FUZZ_ASSERT(tt_allowlist_match(&al, "/x", al.fingerprints[0]));
	tt_allowlist_free(&al);
	return 0;
}
