/*
 * The change journal of harden and scrub --apply.  Every change to the
 * image is recorded BEFORE it is made, durably (written, fsync'ed, renamed,
 * directory fsync'ed), in state_dir/journal/<run id>/ (inside the image
 * root by default, so the journal travels with the image it can restore):
 *
 *   run.json            {"schema":1, "run", "command", "started", "status"}
 *                       status: "running", "complete", "rolled-back";
 *                       "bytes": false when the run kept no copies
 *   000001.json         one entry per recorded path, in order:
 *                       {"seq", "path", "existed", "type", "mode", "uid",
 *                        "gid", "atime", "mtime" ([sec, nsec]), "target"
 *                        (symlinks), "size", "data" (file with the
 *                        previous bytes; absent without copies),
 *                        "sha256", "rule", "change"}
 *   000001.data         the previous bytes of a regular file
 *
 * Missing parent directories are recorded (existed: false) before the path
 * that needs them, so a rollback removes what the run created.  A run that
 * was killed half way has every change it made recorded, and entries for
 * changes it never made restore what is already there: rollback works.
 */
#ifndef TT_JOURNAL_H
#define TT_JOURNAL_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

#define TT_JOURNAL_DIR "journal"
#define TT_JOURNAL_MAX_FILE ((size_t)64 * 1024 * 1024)

struct tt_journal {
	const struct tt_root *image; /* the root the changes are made in */
	int dirfd; /* the run directory */
	char run[64]; /* run id */
	char dir[PATH_MAX]; /* run directory, for messages */
	unsigned seq;
	/* Keep no copy of the previous bytes, only their size and digest:
	 * scrub --apply inside the image, where a copy of what it removed
	 * would ship the secrets with the image.  Such a run is a record to
	 * review and cannot be rolled back. */
	bool no_bytes;
};

/*
 * Starts a run: creates state_dir/journal/<run id> under state_root (NULL:
 * a host path) and writes run.json with status "running".  command is
 * "harden" or "scrub".  0 or a negative errno with err set.
 */
int tt_journal_begin(struct tt_journal *j, const struct tt_root *state_root,
    const char *state_dir, const struct tt_root *image, const char *command,
    char *err, size_t errlen);

/* Makes a begun run keep no bytes (see no_bytes), marked in run.json as
 * "bytes": false.  0 or errno. */
int tt_journal_keep_no_bytes(struct tt_journal *j);

/*
 * Records the present state of path in the image (and of its missing
 * parent directories) before it changes.  rule and change are free text
 * for the record ("sshd_disable_root_login", "content").  0 or errno.
 */
int tt_journal_record(struct tt_journal *j, const char *path, const char *rule,
    const char *change, char *err, size_t errlen);

/*
 * Records a change the journal cannot undo (a package removal): kind
 * ("package-remove"), what (the package), detail (its version).  Rollback
 * reports it with what a person must do.  0 or errno.
 */
int tt_journal_note(struct tt_journal *j, const char *kind, const char *what,
    const char *detail, const char *rule, char *err, size_t errlen);

/* Sets the run's status ("complete") and closes it; accepts a journal that
 * was never begun. */
int tt_journal_finish(struct tt_journal *j, const char *status);

struct tt_rollback_stats {
	unsigned restored; /* paths given back their bytes or metadata */
	unsigned removed; /* paths the run had created */
	unsigned failed;
	unsigned notes; /* changes a person must undo (packages) */
	char note[512]; /* the first of them, in words */
};

/*
 * Undoes run (NULL: the newest run not rolled back yet that kept its
 * bytes), newest entry first, and marks it "rolled-back".  ret_run gets
 * the run id.  Returns 0; -ENOENT when there is no such run; -EALREADY
 * when it was rolled back; -EINVAL when it kept no bytes;
 * another negative errno with err set.  Entries that fail are counted and
 * the first reason is in err; the rest still run.
 */
int tt_journal_rollback(const struct tt_root *state_root, const char *state_dir,
    const struct tt_root *image, const char *run, char *ret_run,
    size_t ret_run_len, struct tt_rollback_stats *stats, char *err,
    size_t errlen);

/* Calls fn for each run, oldest first, with its id, command, start time
 * and status.  0 or errno. */
int tt_journal_list(const struct tt_root *state_root, const char *state_dir,
    void (*fn)(const char *run, const char *command, const char *started,
	const char *status, void *arg),
    void *arg);

#endif
