#include "embedded.h"
#include "tt.h"

const struct tt_embedded_file *
tt_embedded_find(const char *name)
{
	for (const struct tt_embedded_file *f = tt_embedded_files;
	     f->name != NULL; f++)
		if (TT_STREQ(f->name, name))
			return f;
	return NULL;
}
