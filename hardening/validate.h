/*
 * After harden has changed a live system: the owning tool's own check of
 * the files it reads (sshd -t, visudo -c), and the changes it rejects put
 * back as they were, so that a change sshd or sudo would refuse to read
 * never stays.  Under --root none of this runs: the tools in an image are
 * the image's code (never run on the host), and the host's sshd -t -f on
 * an image file would follow its Include lines to host paths.  An image's
 * configuration is checked by its own tools in a chroot or VM of it
 * (tests/integration/run.sh does so for the Debian 12 tree).
 */
#ifndef TT_VALIDATE_H
#define TT_VALIDATE_H

#include "buf.h"
#include "plan.h"
#include "rootfs.h"

struct tt_validate_tool {
	const char *name; /* for messages: "sshd -t" */
	const char *prefix; /* the changes it judges: paths starting so */
	/* argv, NULL-terminated; an argument starting with '@' is a path
	 * inside the root ("@/etc/sudoers"), given to the tool as the host
	 * path of that file. */
	const char *argv[8];
};

/* sshd -t -f /etc/ssh/sshd_config and visudo -c -f /etc/sudoers, ended
 * by a NULL name. */
extern const struct tt_validate_tool tt_validate_tools[];

/*
 * For each tool of tools (ended by a NULL name) whose files the plan
 * changed (the plan already applied): runs it; when it exits non-zero,
 * puts every one of those changes back (the old bytes, mode and owner;
 * a file the plan created is removed) and appends one line to report
 * naming the tool, its first line of complaint, the files and the rules
 * undone.  A tool that is not installed judges nothing.  Returns the
 * number of tools that rejected the changes, or a negative errno when
 * one could not be run or undone (report says which).
 */
int tt_validate_live(const struct tt_root *root, const struct tt_plan *plan,
    const struct tt_validate_tool *tools, struct tt_buf *report);

/*
 * Under --root: appends to report one line naming the tools of tools
 * whose files the plan changed and that were not run ("" when none), so
 * that harden says what is left to a chroot or VM of the image.
 */
void tt_validate_unchecked(const struct tt_plan *plan,
    const struct tt_validate_tool *tools, struct tt_buf *report);

#endif
