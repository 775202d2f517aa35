/*
 * The change journal of harden and scrub --apply.  Every change to the
 * image is recorded BEFORE it is made, durably (written, fsync'ed, renamed,
 * directory fsync'ed), in a journal directory with one directory per run:
 * on a live system state_dir/journal (host), under --root the fixed image
 * path /var/lib/tattoo/journal inside the image (so the journal travels
 * with the image it can restore; see tt_ctx_journal_dir):
 *
 *   run.json            {"schema":2, "run", "command", "started", "seq",
 *                        "status", "entries" (once finished), "mac"}
 *                       status: "running", "complete", "failed",
 *                       "rolled-back", "rollback-incomplete";
 *                       "bytes": false when the run kept no copies;
 *                       seq: one more than the largest seq of the
 *                       authenticated runs beside it (the run order)
 *   000001.json         one entry per recorded path, in order:
 *                       {"run", "seq", "path", "existed", "type", "mode",
 *                        "uid", "gid", "atime", "mtime" ([sec, nsec]),
 *                        "target" (symlinks), "size", "data" (file with
 *                        the previous bytes; absent without copies),
 *                        "sha256", "rule", "change", "mac"}
 *                       a file entry "sealed" by scrub --apply
 *                       (tt_journal_seal) has no "data" and carries
 *                       "sealed" (why) and "sealed_at" instead
 *   000001.data         the previous bytes of a regular file
 *
 * Authentication: "mac" is HMAC-SHA256, under a 32-byte key kept in the
 * HOST's state_dir (journal.key, 0600, created on first use), of
 * "tattoo-journal-v1\0" and the canonical JSON (canon.h) of the object
 * without "mac".  The run id is a member of every entry and of run.json;
 * a data file is bound by its entry's sha256; run.json of a finished run
 * counts its entries, so a dropped entry is seen.  An image can ship any
 * journal it likes: under --root only runs whose every MAC verifies are
 * listed or rolled back.  A live system's journal is in its own root-owned
 * state_dir: there a run written before MACs existed (no "mac") is still
 * accepted, and a MAC is checked whenever the run has one and the key is
 * there.
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
#include <stdint.h>

#include <json-c/json.h>

#include "rootfs.h"

#define TT_JOURNAL_DIR "journal"
/* Where the journal of an offline image lives, inside the image. */
#define TT_JOURNAL_IMAGE_DIR "/var/lib/tattoo/journal"
/* The HMAC key, in the host's state_dir. */
#define TT_JOURNAL_KEY "journal.key"
#define TT_JOURNAL_KEY_LEN 32
#define TT_JOURNAL_MAC_HEX ((size_t)2 * 32)
#define TT_JOURNAL_MAX_FILE ((size_t)64 * 1024 * 1024)
/* A run started this far ahead of the clock is refused. */
#define TT_JOURNAL_FUTURE_SLACK 300

struct tt_journal {
	const struct tt_root *image; /* the root the changes are made in */
	int dirfd; /* the run directory */
	char run[64]; /* run id */
	char dir[PATH_MAX]; /* run directory, for messages */
	unsigned seq; /* the last entry written */
	json_object *meta; /* run.json as written */
	uint8_t key[TT_JOURNAL_KEY_LEN];
	bool have_key;
	/* Keep no copy of the previous bytes, only their size and digest:
	 * scrub --apply inside the image, where a copy of what it removed
	 * would ship the secrets with the image.  Such a run is a record to
	 * review and cannot be rolled back. */
	bool no_bytes;
};

/*
 * Loads the journal key state_dir/journal.key (a host path), creating it
 * with 32 random bytes when create is set and it does not exist (atomic:
 * a key another run made first wins).  The file must be a regular file
 * owned by the user running tattoo (root), mode 0600, 32 bytes; anything
 * else is refused.  0; -ENOENT without create when there is none;
 * -EPERM/-EINVAL for a bad file; another negative errno; err says why.
 */
int tt_journal_key_load(const char *state_dir, bool create,
    uint8_t key[TT_JOURNAL_KEY_LEN], char *err, size_t errlen);

/*
 * The MAC of a journal object (run.json or an entry): obj without its
 * "mac" member, canonical JSON, HMAC-SHA256 under key, in hex.  0 or a
 * negative errno (-EILSEQ: a string that is not UTF-8).
 */
int tt_journal_mac(const uint8_t key[TT_JOURNAL_KEY_LEN], json_object *obj,
    char hex[TT_JOURNAL_MAC_HEX + 1]);

/*
 * Checks one entry as read from the journal of run, file number seq, in a
 * run that kept bytes (bytes) or not: the members rollback acts on have
 * the types and ranges it needs ("path" absolute without "..", "." or
 * empty components; "type" file, dir, link or fifo; "mode" within 07777;
 * "uid"/"gid" within 32 bits; "data" exactly NNNNNN.data of seq with a
 * "sha256"; notes of packages).  Does not look at the MAC.  0 or -EBADMSG
 * with err naming the field.
 */
int tt_journal_check_entry(json_object *e, const char *run, unsigned seq,
    bool bytes, char *err, size_t errlen);

/*
 * Starts a run: creates the run directory in journal_dir (inside jroot, or
 * the host for NULL) and writes run.json with status "running".  The
 * journal key comes from the host's state_dir (created on first use).
 * command is "harden" or "scrub".  0 or a negative errno with err set.
 */
int tt_journal_begin(struct tt_journal *j, const struct tt_root *jroot,
    const char *journal_dir, const char *state_dir, const struct tt_root *image,
    const char *command, char *err, size_t errlen);

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

/* Sets the run's status ("complete") and entry count and closes it, wiping
 * the key; accepts a journal that was never begun. */
int tt_journal_finish(struct tt_journal *j, const char *status);

struct tt_rollback_stats {
	unsigned restored; /* paths given back their bytes or metadata */
	unsigned removed; /* paths the run had created */
	unsigned failed; /* could not be undone (I/O) */
	unsigned refused; /* not touched: a device, socket, mount, link,
			   * a sealed copy */
	unsigned sealed; /* of refused: copies dropped by tt_journal_seal */
	char seal[512]; /* the first of them, in words */
	unsigned notes; /* changes a person must undo (packages) */
	char note[512]; /* the first of them, in words */
	unsigned skipped; /* runs left out: not authenticated, in future */
	char skip[512]; /* the first of them, in words */
	/* A plain rollback refused because the newest run kept no bytes:
	 * the newest run that could be undone instead, by name ("" none). */
	char older[64];
	char older_command[16];
};

/*
 * Undoes run (NULL: the newest authenticated run not rolled back yet, by
 * run.json's "started" and "seq"; when that run kept no bytes it is
 * refused with -EINVAL, never an older one undone in its place, and
 * stats->older names the newest run that could be), newest entry first,
 * and marks it "rolled-back" ("rollback-incomplete" when a path failed or
 * was refused for another reason than a sealed copy, which no later try
 * can give back).  The whole run is checked (MACs, entry
 * count, fields, data digests) before anything is undone.  jroot and
 * journal_dir as for tt_journal_begin; the key is read from state_dir
 * (host) and never created.  ret_run gets the run id.  Returns 0; -ENOENT
 * when there is no such run; -EALREADY when it was rolled back; -EINVAL
 * when it kept no bytes; -EBADMSG for a journal that does not verify or
 * holds a bad field (nothing undone); -ENOKEY when a journal in an image
 * root must be authenticated and the host has no key; another negative
 * errno with err set.  Entries that fail are counted (failed, refused) and
 * the first reason is in err; the rest still run (-EIO, -EPERM when one
 * was refused).
 */
int tt_journal_rollback(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir, const struct tt_root *image, const char *run,
    char *ret_run, size_t ret_run_len, struct tt_rollback_stats *stats,
    char *err, size_t errlen);

/*
 * Decides whether a journaled copy of path (the file data, NNNNNN.data, in
 * the run directory run) holds secrets that must not ship with the image:
 * NULL keeps it; otherwise the reason in a few words ("password hashes").
 */
typedef const char *(*tt_journal_secret_fn)(const char *run, const char *data,
    const char *path, void *arg);

/*
 * Seals the journaled copies of secret-bearing files: in every
 * authenticated run that kept bytes, each file entry for which secret()
 * gives a reason loses its copy.  The entry is rewritten first (atomic:
 * temp, fsync, rename, directory fsync; re-MACed), without "data" and with
 * "sealed" (the reason) and "sealed_at"; it keeps path, metadata and
 * "sha256".  Only then is NNNNNN.data unlinked and the directory synced: a
 * crash between the two leaves a copy no entry names, which the next seal
 * removes (it also removes the copy beside an entry sealed already).
 * Rollback of a sealed path is refused, naming it and why; the run's
 * other paths still roll back.  A run that does not verify, or whose
 * entries do not, is left alone and counted in skipped (its first problem
 * in skip).  jroot, journal_dir and state_dir as for tt_journal_rollback.
 * 0 (no journal at all is 0), -ENOKEY, or a negative errno with err set;
 * sealed counts the copies dropped by this call.
 */
int tt_journal_seal(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir, tt_journal_secret_fn secret, void *arg,
    unsigned *sealed, unsigned *skipped, char *skip, size_t skiplen, char *err,
    size_t errlen);

/* Calls fn for each run, oldest first by "started" and "seq", with its
 * id, command, start time and status; a run that cannot be trusted (see
 * tt_journal_rollback) is passed with problem set, saying why, and the
 * other fields empty.  0, -ENOKEY (err set), or errno. */
int tt_journal_list(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir,
    void (*fn)(const char *run, const char *command, const char *started,
	const char *status, const char *problem, void *arg),
    void *arg, char *err, size_t errlen);

#endif
