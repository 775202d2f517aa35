/*
 * Precompiled rule packs: tt_pack_load_precompiled over arbitrary bytes.  The blobs
 * the agent reads are its build's own, but a reader that trusts its input
 * is one bug away from a wild read.  Properties: an error names the file
 * and leaves no pack; a success yields rules with ids, profiles naming
 * rules of the pack, and a clean free (ASan).
 */
#include <string.h>

#include "rules.h"
#include "fuzz.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t sum[32];
	struct tt_pack *pack = NULL;
	char err[1024] = "";
	int r;

	r = tt_pack_load_precompiled("fuzz.pack", data, size, sum, &pack, err, sizeof(err));
	FUZZ_ASSERT(FUZZ_TERMINATED(err));
	if (r < 0) {
		FUZZ_ASSERT(pack == NULL);
		FUZZ_ASSERT(strstr(err, "fuzz.pack") != NULL);
		return 0;
	}
	FUZZ_ASSERT(pack != NULL && pack->name != NULL);
	for (size_t i = 0; i < pack->nrules; i++)
		FUZZ_ASSERT(pack->rules[i].id != NULL &&
		    tt_pack_rule(pack, pack->rules[i].id) != NULL);
	for (size_t i = 0; i < pack->nprofiles; i++)
		for (size_t k = 0; k < pack->profiles[i].nrules; k++)
			FUZZ_ASSERT(pack->profiles[i].rules[k] < pack->nrules);
	tt_pack_free(pack);
	return 0;
}
