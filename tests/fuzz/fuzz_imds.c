/*
 * The IMDS instance document as it comes off the network:
 * tt_imds_parse_instance over arbitrary bytes (wrong types where strings
 * are expected, endless tag lists, deep nesting).  Properties: every
 * field stays terminated and the tag count stays within the table.
 */
#include <string.h>

#include "fuzz.h"
#include "imds.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tt_imds_instance inst;
	int r;

	r = tt_imds_parse_instance((const char *)data, size, &inst);
	FUZZ_ASSERT(r == 0 || r == -EBADMSG || r == -ENOMEM);
	if (r < 0)
		return 0;
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.vm_id));
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.resource_id));
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.version));
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.image.publisher));
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.image.exact_version));
	FUZZ_ASSERT(FUZZ_TERMINATED(inst.image.community_gallery_image_id));
	FUZZ_ASSERT(inst.n_tags <= TT_IMDS_MAX_TAGS);
	for (size_t i = 0; i < inst.n_tags; i++) {
		FUZZ_ASSERT(FUZZ_TERMINATED(inst.tags[i].name));
		FUZZ_ASSERT(FUZZ_TERMINATED(inst.tags[i].value));
		FUZZ_ASSERT(inst.tags[i].name[0] != '\0');
	}
	return 0;
}
