/*
 * Unified diffs (diff -u) of two texts, for `harden --dry-run`: people read
 * exactly what would change before anything does.
 */
#ifndef TT_DIFF_H
#define TT_DIFF_H

#include <stddef.h>

#include "buf.h"

/*
 * Appends to out the unified diff, with three lines of context, that turns
 * old into new; label names both sides ("--- a/etc/x", "+++ b/etc/x").
 * old may be NULL for a file that does not exist yet, new NULL for one
 * that would be removed.  Nothing is appended when the texts are equal.
 * Returns 0, -E2BIG (out's bound) or -ENOMEM.
 */
int tt_diff_unified(const char *label, const char *old, size_t oldlen,
    const char *new, size_t newlen, struct tt_buf *out);

#endif
