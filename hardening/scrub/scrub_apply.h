/*
 * scrub --apply: the leftovers a scrub found are deleted, truncated or
 * emptied, each change recorded in the harden journal (journal.h) before it
 * is made, so `tattoo rollback` gives every byte back and a person can
 * review what went.  Secrets inside other files are never touched: a
 * config file with a password in it is for a person to fix.
 */
#ifndef TT_SCRUB_APPLY_H
#define TT_SCRUB_APPLY_H

#include <stddef.h>

#include "journal.h"
#include "rootfs.h"
#include "scrub_walk.h"

/*
 * Applies every leftover item of res in the image root, journaled in j;
 * build_user (or NULL) is the account a remove-account entry removes.
 * Each item's reason says what happened: "" when done, else why not.
 * *ret_failed counts the items not done.  Returns 0, or a negative errno
 * with err set when the journal cannot be written (the run stops there:
 * nothing is changed unrecorded).
 */
int tt_scrub_apply(const struct tt_scrub_catalog *cat,
    const struct tt_root *root, struct tt_journal *j, const char *build_user,
    struct tt_scrub_result *res, size_t *ret_failed, char *err, size_t errlen);

#endif
