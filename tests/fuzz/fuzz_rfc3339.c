/*
 * RFC 3339 times (write --published, and every time a tattoo or status
 * file carries): tt_rfc3339_parse over arbitrary bytes.  Property: a
 * time that parses formats to 20 characters that parse to the same time.
 */
#include <string.h>

#include "fuzz.h"
#include "timeutil.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char text[256], out[TT_RFC3339_LEN + 8];
	time_t t, t2;

	if (size >= sizeof(text))
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (tt_rfc3339_parse(text, &t) < 0)
		return 0;
	memset(out, 'X', sizeof(out));
	tt_rfc3339_format(t, out);
	FUZZ_ASSERT(memchr(out, '\0', TT_RFC3339_LEN) != NULL);
	if (t >= 0) {
		FUZZ_ASSERT(strlen(out) == TT_RFC3339_LEN - 1);
		FUZZ_ASSERT(tt_rfc3339_parse(out, &t2) == 0 && t2 == t);
	}
	return 0;
}
