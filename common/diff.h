/*
 * Unified diffs (diff -u) of two texts, for `harden --dry-run`: people read
 * exactly what would change before anything does.  The diff is for a
 * terminal: the label and every line go through term.h's sanitiser (an
 * escape sequence in an image's file is shown as "\x1b", a tab is kept),
 * so it is for reading, not for patch(1) when a line holds controls.
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
