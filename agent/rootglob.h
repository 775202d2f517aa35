/*
 * Glob patterns (fnmatch(3) in any component, no brace expansion) matched
 * inside an image root, never leaving it, in sorted order.
 */
#ifndef TT_ROOTGLOB_H
#define TT_ROOTGLOB_H

#include <stddef.h>

#include "rootfs.h"

struct tt_glob {
	char **paths;	/* absolute paths inside the root, sorted */
	size_t n;
};

/*
 * Expands pattern (absolute, inside root).  A pattern without wildcards
 * yields itself when it exists.  Hidden entries match only a pattern
 * component that starts with '.'.  At most max_matches paths (-E2BIG
 * beyond).  0 (possibly with no match) or a negative errno.
 */
int tt_root_glob(const struct tt_root *root, const char *pattern,
    size_t max_matches, struct tt_glob *ret);

void tt_glob_free(struct tt_glob *g);

#endif
