/*
 * The rpm query output (`rpm -qa --qf NAME\tEPOCH:VERSION-RELEASE\n`) from
 * an image's database: tt_rpmdb_parse over arbitrary bytes.  Properties:
 * every package has a non-empty name and the lookup finds each of them.
 */
#include <string.h>

#include "fuzz.h"
#include "rpmdb.h"
#include "tt.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_rpmdb db;

	if (tt_rpmdb_parse((const char *)data, size, &db) < 0)
		return 0;
	for (size_t i = 0; i < db.n; i++) {
		FUZZ_ASSERT(db.v[i].name[0] != '\0');
		FUZZ_ASSERT(tt_rpmdb_find(&db, db.v[i].name) != NULL);
	}
	tt_rpmdb_free(&db);
	return 0;
}
