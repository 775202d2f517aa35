/*
 * os-release(5): tt_osrelease_parse over arbitrary bytes (quotes,
 * escapes, NUL bytes, endless lines, more variables than the table).
 * Properties: keys are valid names, values carry no NUL, lookups work.
 */
#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "osrelease.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_osrelease os;
	int r;

	memset(&os, 0, sizeof(os));
	r = tt_osrelease_parse(&os, (const char *)data, size);
	FUZZ_ASSERT(r == 0 || r == -ENOMEM);
	FUZZ_ASSERT(os.n <= TT_OSRELEASE_MAX_VARS);
	for (size_t i = 0; i < os.n; i++) {
		FUZZ_ASSERT(os.keys[i][0] != '\0');
		FUZZ_ASSERT(!isdigit((unsigned char)os.keys[i][0]));
		FUZZ_ASSERT(tt_osrelease_get(&os, os.keys[i]) == os.values[i]);
		FUZZ_ASSERT(strlen(os.values[i]) <= 4096);
	}
	(void)tt_osrelease_get(&os, "PRETTY_NAME");
	tt_osrelease_free(&os);
	return 0;
}
