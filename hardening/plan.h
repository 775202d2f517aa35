/*
 * A remediation plan: the changes a harden run would make, computed from
 * the image as it is, before anything is touched.  `harden --dry-run`
 * prints a plan; `harden` journals each change and then applies it.  A
 * change is one of: replace a file's content (or create it), remove a
 * file, set mode/owner/group, or make a symlink (masking a unit).
 */
#ifndef TT_PLAN_H
#define TT_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include "buf.h"
#include "rootfs.h"

enum tt_change_kind {
	TT_CHANGE_CONTENT, /* write new content (create when absent) */
	TT_CHANGE_REMOVE, /* unlink a file or symlink */
	TT_CHANGE_META, /* mode, owner, group only */
	TT_CHANGE_SYMLINK, /* replace path with a symlink to target */
	TT_CHANGE_PACKAGE, /* remove the package named by path */
};

struct tt_change {
	enum tt_change_kind kind;
	char path[PATH_MAX]; /* inside the root */
	bool existed; /* the path existed before */
	struct tt_buf old; /* content before (regular files) */
	struct tt_buf new; /* CONTENT: the new bytes */
	char target[PATH_MAX]; /* SYMLINK: link target */
	mode_t old_mode, mode; /* permission bits; mode is what to set */
	uid_t old_uid, uid;
	gid_t old_gid, gid;
	char rule[128]; /* the rule that asked for the change */
};

struct tt_plan {
	struct tt_change *v;
	size_t n, cap;
	const struct tt_root *root;
	/* Changes already planned are seen by later actions of the same run,
	 * so two rules editing one file compose. */
	/* Bumped by every call that changes the plan, including an edit
	 * merged into a change already planned: whether a rule's fix did
	 * anything when n stays the same. */
	unsigned long edits;
};

void tt_plan_init(struct tt_plan *plan, const struct tt_root *root);
void tt_plan_free(struct tt_plan *plan);

/*
 * The content a file will have once the plan so far is applied: the
 * planned new bytes if a change to path is planned, else the file as it
 * is.  ret_exists says whether it will exist.  ret is initialised with a
 * bound of max bytes.  0, or a negative errno (-EFBIG, -TT_ENOTREG...).
 */
int tt_plan_read(struct tt_plan *plan, const char *path, size_t max,
    struct tt_buf *ret, bool *ret_exists);

/*
 * Plans new content for path (mode used when the file is created, else
 * the file keeps its mode).  Replaces an earlier planned content change
 * of the same path.  Planning the content it already has is a no-op.
 */
int tt_plan_write(struct tt_plan *plan, const char *rule, const char *path,
    const char *data, size_t len, mode_t mode_if_new);

/* Plans the removal of path, if it exists. */
int tt_plan_remove(struct tt_plan *plan, const char *rule, const char *path);

/* Plans mode/owner/group for path; (uid_t)-1 / (gid_t)-1 keep them.
 * A no-op when nothing would change. */
int tt_plan_meta(struct tt_plan *plan, const char *rule, const char *path,
    mode_t mode, uid_t uid, gid_t gid);

/* Plans path to become a symlink to target (no-op if it already is). */
int tt_plan_symlink(struct tt_plan *plan, const char *rule, const char *path,
    const char *target);

/*
 * Makes one change in the image: parents created (0755) as needed, content
 * written atomically keeping the file's owner (new files: root, c->mode),
 * removal, mode/owner, or a symlink replacing the path atomically.
 * 0 or a negative errno.  The caller journals the change first.
 */
int tt_plan_apply_change(const struct tt_root *root, const struct tt_change *c);

/* Plans the removal of package name (--allow-package-changes), when it
 * is installed; version is recorded for the journal. */
int tt_plan_package_remove(struct tt_plan *plan, const char *rule,
    const char *name, const char *version);

/* Appends a unified diff of every planned change to out (dry run), for a
 * terminal: paths and lines escaped by term.h's sanitiser. */
int tt_plan_print(const struct tt_plan *plan, struct tt_buf *out);

#endif
