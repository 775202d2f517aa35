/*
 * The IMDS token response as it comes off the network: tt_token_parse
 * over arbitrary bytes.  Properties: a parse either fails with a reason
 * or yields a non-empty token of printable ASCII without spaces (it goes
 * into an Authorization header) and a positive expires_on; the reason of
 * a failure never quotes the token.
 */
#include <string.h>

#include "fuzz.h"
#include "token.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *tok = NULL, err[256] = "";
	int64_t exp = 0;
	int r;

	r = tt_token_parse((const char *)data, size, &tok, &exp, err,
	    sizeof(err));
	FUZZ_ASSERT(r == 0 || r == -EBADMSG || r == -ENOMEM);
	if (r < 0) {
		FUZZ_ASSERT(tok == NULL);
		FUZZ_ASSERT(r == -ENOMEM || err[0] != '\0');
		FUZZ_ASSERT(memchr(err, '\0', sizeof(err)) != NULL);
		return 0;
	}
	FUZZ_ASSERT(tok != NULL && tok[0] != '\0');
	for (const char *p = tok; *p; p++)
		FUZZ_ASSERT(*p > ' ' && *p < 0x7f);
	FUZZ_ASSERT(exp > 0);
	explicit_bzero(tok, strlen(tok));
	free(tok);
	return 0;
}
