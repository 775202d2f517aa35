/*
 * scrub --apply: the leftovers a scrub found are deleted, truncated or
 * emptied, each change recorded in the harden journal (journal.h) before it
 * is made, so `tattoo rollback` gives every byte back and a person can
 * review what went.  Secrets inside other files are never touched: a
 * config file with a password in it is for a person to fix.
 *
 * Every removal is relative to directory descriptors: a leftover's parent
 * is opened once, one component at a time from the root with O_NOFOLLOW,
 * and everything below it is fstatat/openat/unlinkat'ed from the
 * directory above it, so no path is looked up by name twice and a user
 * who swaps a directory for a symlink while the scrub runs (on a live
 * system) moves nothing outside what was scanned.  A symlink is unlinked,
 * never followed.  Nothing on another mount than the root's (a tmpfs or
 * bind mount below /tmp, a chroot build's /run) is removed: it is left
 * and the item's reason names it.
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
 * Each item's reason says what happened: "" when done, else why not
 * ("left in place: /tmp/mnt is another mount").
 * *ret_failed counts the items not done.  Returns 0, or a negative errno
 * with err set when the journal cannot be written (the run stops there:
 * nothing is changed unrecorded).
 */
int tt_scrub_apply(const struct tt_scrub_catalog *cat,
    const struct tt_root *root, struct tt_journal *j, const char *build_user,
    struct tt_scrub_result *res, size_t *ret_failed, char *err, size_t errlen);

#endif
