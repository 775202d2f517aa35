/*
 * A harden run: the failing rules of a profile planned (with the lock-out
 * and package guards), the plan journaled and applied (not in a dry run),
 * and every failing rule checked again from scratch.  `tattoo harden`
 * parses, calls tt_harden_run, prints the items and picks the exit code.
 */
#ifndef TT_HARDEN_RUN_H
#define TT_HARDEN_RUN_H

#include <stdbool.h>

#include "buf.h"
#include "osrelease.h"
#include "plan.h"
#include "rootfs.h"
#include "rules.h"

enum tt_harden_outcome {
	TT_HARDEN_PLANNED, /* changes planned */
	TT_HARDEN_NOTHING, /* the fix found nothing to change */
	TT_HARDEN_MANUAL,
	TT_HARDEN_REFUSED, /* lock-out guard, package change in an image */
	TT_HARDEN_SKIPPED, /* package change without permission */
	TT_HARDEN_DEFERRED, /* closes an SSH door: planned after the rest */
	TT_HARDEN_ERROR,
	/* The fix cannot be made by harden, says why, and leaves it to a
	 * person: what it edits is not in the image (an fstab entry, a PAM
	 * line, a unit file: -ENOENT), a file another tool owns (a symlink:
	 * -TT_ENOTREG), or a change that would break something (-EPERM). */
	TT_HARDEN_PERSON,
};

/* "changed", "unchanged", "manual", "refused", "skipped", "deferred",
 * "error" or "needs a person". */
const char *tt_harden_outcome_name(enum tt_harden_outcome o);

/* One rule that failed before the run. */
struct tt_harden_item {
	const struct tt_rule *rule;
	enum tt_harden_outcome outcome;
	char why[512]; /* why it was not planned; quotes the image */
	enum tt_result after; /* the check again after the run */
	/* Live only: it still fails on the running host (a sysctl's live
	 * value, a unit not active) but passes when the files are judged
	 * as an image's are: in effect at the next boot. */
	bool at_boot;
	char *found, *expected; /* of that check */
};

struct tt_harden_opts {
	const struct tt_root *root; /* the system or image to harden */
	const char *const *files; /* --rules; nfiles 0: the built-in packs */
	size_t nfiles;
	const char *want; /* --profile, or NULL: from os-release */
	const char *tailoring; /* --tailoring (a host path), or NULL */
	const char *const *rule_ids; /* --rule; nrule_ids 0: all of them */
	size_t nrule_ids;
	bool dry_run, allow_packages;
	/* Where the journal goes (tt_ctx_journal_dir); journal_dir NULL:
	 * its path was too long, said only when there is a change to make. */
	const struct tt_root *journal_root;
	const char *journal_dir, *state_dir;
};

/* Which kind of input a failed run stopped on: the exit code. */
enum tt_harden_failure {
	TT_HARDEN_FAILED_NONE,
	TT_HARDEN_FAILED_INPUT, /* os-release unreadable, a bad tailoring */
	TT_HARDEN_FAILED_PACKS, /* a rule pack: err is the whole message */
	TT_HARDEN_FAILED_USAGE, /* no such profile or rule */
	TT_HARDEN_FAILED_ENV, /* memory, the journal, a change */
};

struct tt_harden {
	struct tt_osrelease os;
	struct tt_packset set;
	const struct tt_pack *pack;
	const struct tt_profile *profile;
	struct tt_tailoring *tailoring; /* NULL: none */
	struct tt_plan plan;
	struct tt_harden_item *items; /* the rules that failed before */
	size_t nitems;
	size_t fixed, still; /* of the items, passing and failing after */
	/* Of the items not passing after the run: the ones harden declines
	 * (manual, refused, skipped: listed with the reason), and the ones
	 * whose fix it attempted and that still fail or errored. */
	size_t declined, unfixed;
	size_t at_boot; /* of the items still failing: at_boot */
	/* The chosen rules judged (pass or fail) before the run, and passing;
	 * the score after counts the rules that passed before as passing
	 * still (they are not checked again). */
	size_t judged_before, pass_before;
	char run[64]; /* the journal's run id; "" when nothing was applied */
	enum tt_harden_failure failure;
	/* Which SSH doors this run has already planned to close; whether the
	 * other changes are planned (the guard judges the PAM stack they
	 * leave). */
	bool closing_password_auth, closing_root_login, doors_last;
	/*
	 * What the owning tools said of the applied changes (validate.h):
	 * on a live system, sshd -t and visudo -c, and the changes they
	 * rejected put back (validation_failed); under --root, the checks
	 * left to a chroot or VM of the image.  Empty when nothing to say.
	 */
	struct tt_buf validation;
	bool validation_failed;
};

/*
 * Runs harden as o says into h (zeroed by the caller; free it with
 * tt_harden_free in every case).  0, or a negative errno with the reason in
 * err (without a "harden: " prefix) and h->failure saying what failed.  A
 * change that failed half way leaves h->run set: the run to roll back.
 */
int tt_harden_run(struct tt_harden *h, const struct tt_harden_opts *o,
    char *err, size_t errlen);

/* Whether harden declines the item's fix (manual, refused by a guard,
 * skipped package change, a fix that needs a person): a rule it leaves to
 * a person, not a failure of the run. */
bool tt_harden_declined(const struct tt_harden_item *it);

/* Whether the item passes after the run through another rule's change:
 * its own fix planned nothing (or was declined). */
bool tt_harden_fixed_by_other(const struct tt_harden_item *it);

/*
 * The exit a pipeline acts on (TT_EXIT_OK or TT_EXIT_FAIL).  A run: 1 when
 * a fix harden attempted left its rule failing or errored, or (strict)
 * when any rule still fails.  A dry run: 1 when changes are pending or a
 * fix could not be planned, or (strict) when any rule fails.
 */
int tt_harden_exit(const struct tt_harden *h, bool dry_run, bool strict);

void tt_harden_free(struct tt_harden *h);

#endif
