/*
 * One report run at a time: an flock on state_dir/report.lock.  A timer
 * run that finds another one running waits a little, then leaves it be.
 */
#ifndef TT_RUNLOCK_H
#define TT_RUNLOCK_H

#include "rootfs.h"

#define TT_RUNLOCK_FILE "report.lock"

/*
 * Takes the lock of state_dir (inside root; NULL: host), creating the
 * directory and the file, waiting at most wait_ms for another holder.
 * Returns the descriptor that holds the lock (close it to release), or
 * -EWOULDBLOCK when another run kept it, or another negative errno
 * (-TT_ENOTREG when something that is not a file sits there).
 */
int tt_runlock_take(const struct tt_root *root, const char *state_dir,
    long wait_ms);

#endif
