/*
 * Rule packs: tt_pack_parse over arbitrary bytes.  Properties: an error
 * always names the file, a success yields a pack whose every rule has an
 * id and a known result path, and freeing it is clean (ASan).
 */
#include <string.h>

#include "rules.h"
#include "fuzz.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_pack *pack = NULL;
	char err[1024] = "";
	int r;

	r = tt_pack_parse("fuzz.json", (const char *)data, size, &pack, err,
	    sizeof(err));
	FUZZ_ASSERT(FUZZ_TERMINATED(err));
	if (r < 0) {
		FUZZ_ASSERT(pack == NULL);
		FUZZ_ASSERT(err[0] != '\0');
		return 0;
	}
	FUZZ_ASSERT(pack != NULL);
	for (size_t i = 0; i < pack->nrules; i++)
		FUZZ_ASSERT(pack->rules[i].id != NULL &&
		    pack->rules[i].id[0] != '\0');
	tt_pack_free(pack);
	return 0;
}
