#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diff.h"
#include "fileio.h"
#include "packages.h"
#include "plan.h"
#include "term.h"
#include "tt.h"

#define PLAN_FILE_MAX ((size_t)8 * 1024 * 1024)

void
tt_plan_init(struct tt_plan *plan, const struct tt_root *root)
{
	memset(plan, 0, sizeof(*plan));
	plan->root = root;
}

void
tt_plan_free(struct tt_plan *plan)
{
	if (plan == NULL)
		return;
	for (size_t i = 0; i < plan->n; i++) {
		tt_buf_free(&plan->v[i].old);
		tt_buf_free(&plan->v[i].new);
	}
	TT_FREE(plan->v);
	plan->n = plan->cap = 0;
}

static struct tt_change *
find(struct tt_plan *plan, const char *path, enum tt_change_kind kind)
{
	for (size_t i = plan->n; i-- > 0;)
		if (TT_STREQ(plan->v[i].path, path) &&
		    (plan->v[i].kind == kind ||
			(kind != TT_CHANGE_META &&
			    plan->v[i].kind != TT_CHANGE_META)))
			return &plan->v[i];
	return NULL;
}

/* A new change, with the "before" state of path filled in. */
static int
add(struct tt_plan *plan, const char *rule, const char *path,
    enum tt_change_kind kind, struct tt_change **ret)
{
	struct tt_change *c;
	struct stat st;
	int r;

	if (plan->n == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 16;
		struct tt_change *v = reallocarray(plan->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		plan->v = v;
		plan->cap = cap;
	}
	c = &plan->v[plan->n];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	tt_buf_init(&c->old, PLAN_FILE_MAX);
	tt_buf_init(&c->new, PLAN_FILE_MAX);
	if (strlcpy(c->path, path, sizeof(c->path)) >= sizeof(c->path))
		return -ENAMETOOLONG;
	strlcpy(c->rule, rule ? rule : "", sizeof(c->rule));
	r = tt_root_stat(plan->root, path, &st, false);
	if (r < 0 && r != -ENOENT)
		return r;
	c->existed = r == 0;
	if (c->existed) {
		c->old_mode = st.st_mode & 07777;
		c->old_uid = st.st_uid;
		c->old_gid = st.st_gid;
		c->mode = c->old_mode;
		c->uid = st.st_uid;
		c->gid = st.st_gid;
		if (S_ISREG(st.st_mode)) {
			r = tt_read_file(plan->root, path, PLAN_FILE_MAX,
			    &c->old);
			if (r < 0)
				return r;
		}
	}
	plan->n++;
	plan->edits++;
	*ret = c;
	return 0;
}

int
tt_plan_read(struct tt_plan *plan, const char *path, size_t max,
    struct tt_buf *ret, bool *ret_exists)
{
	struct tt_change *c = find(plan, path, TT_CHANGE_CONTENT);
	int r;

	tt_buf_init(ret, max);
	if (c != NULL) {
		*ret_exists = c->kind == TT_CHANGE_CONTENT;
		if (c->kind != TT_CHANGE_CONTENT)
			return tt_buf_append(ret, "", 0);
		return tt_buf_append(ret, c->new.data ? c->new.data : "",
		    c->new.len);
	}
	r = tt_read_file(plan->root, path, max, ret);
	*ret_exists = r == 0;
	if (r == -ENOENT) {
		tt_buf_init(ret, max);
		return tt_buf_append(ret, "", 0);
	}
	return r;
}

int
tt_plan_write(struct tt_plan *plan, const char *rule, const char *path,
    const char *data, size_t len, mode_t mode_if_new)
{
	struct tt_change *c = find(plan, path, TT_CHANGE_CONTENT);
	int r;

	if (c == NULL) {
		struct stat st;
		int sr = tt_root_stat(plan->root, path, &st, false);

		/* Writing over a symlink would replace it with a file that
		 * has the link's 0777 mode, and cut whatever manages the
		 * target (authselect's /etc/pam.d links) loose. */
		if (sr == 0 && !S_ISREG(st.st_mode))
			return -TT_ENOTREG;
		/* Nothing to do when the file already holds exactly this. */
		if (sr == 0) {
			struct tt_buf cur;

			if (tt_read_file(plan->root, path, PLAN_FILE_MAX,
				&cur) == 0) {
				bool same = cur.len == len &&
				    memcmp(cur.data, data, len) == 0;

				tt_buf_free(&cur);
				if (same)
					return 0;
			}
		}
		if ((r = add(plan, rule, path, TT_CHANGE_CONTENT, &c)) < 0)
			return r;
		if (!c->existed)
			c->mode = mode_if_new;
	} else if (c->kind == TT_CHANGE_CONTENT && c->new.len == len &&
	    (len == 0 || memcmp(c->new.data, data, len) == 0)) {
		return 0; /* already planned exactly so */
	} else {
		plan->edits++;
	}
	c->kind = TT_CHANGE_CONTENT;
	tt_buf_reset(&c->new);
	if ((r = tt_buf_append(&c->new, data, len)) < 0)
		return r;
	/* A planned write that brings the file back to what it was is no
	 * change at all: drop it. */
	if (c->existed && c->old.data != NULL && c->old.len == len &&
	    memcmp(c->old.data, data, len) == 0) {
		size_t idx = (size_t)(c - plan->v);

		tt_buf_free(&c->old);
		tt_buf_free(&c->new);
		memmove(c, c + 1, (plan->n - idx - 1) * sizeof(*c));
		plan->n--;
	}
	return 0;
}

int
tt_plan_remove(struct tt_plan *plan, const char *rule, const char *path)
{
	struct tt_change *c = find(plan, path, TT_CHANGE_CONTENT);
	struct stat st;
	int r;

	if (c == NULL) {
		if (tt_root_stat(plan->root, path, &st, false) == -ENOENT)
			return 0;
		if ((r = add(plan, rule, path, TT_CHANGE_REMOVE, &c)) < 0)
			return r;
	} else if (c->kind != TT_CHANGE_REMOVE) {
		plan->edits++;
	}
	c->kind = TT_CHANGE_REMOVE;
	tt_buf_reset(&c->new);
	return 0;
}

int
tt_plan_meta(struct tt_plan *plan, const char *rule, const char *path,
    mode_t mode, uid_t uid, gid_t gid)
{
	struct tt_change *c;
	struct stat st;
	int r;

	if ((r = tt_root_stat(plan->root, path, &st, false)) < 0)
		return r;
	if ((st.st_mode & 07777) == mode &&
	    (uid == (uid_t)-1 || st.st_uid == uid) &&
	    (gid == (gid_t)-1 || st.st_gid == gid))
		return 0;
	if ((c = find(plan, path, TT_CHANGE_META)) == NULL &&
	    (r = add(plan, rule, path, TT_CHANGE_META, &c)) < 0)
		return r;
	if (c->mode != mode || (uid != (uid_t)-1 && c->uid != uid) ||
	    (gid != (gid_t)-1 && c->gid != gid))
		plan->edits++;
	c->mode = mode;
	if (uid != (uid_t)-1)
		c->uid = uid;
	if (gid != (gid_t)-1)
		c->gid = gid;
	return 0;
}

int
tt_plan_symlink(struct tt_plan *plan, const char *rule, const char *path,
    const char *target)
{
	struct tt_change *c;
	char cur[PATH_MAX];
	const char *name;
	ssize_t n = -1;
	int dfd, r;

	dfd = tt_root_open_parent(plan->root, path, &name);
	if (dfd >= 0) {
		n = readlinkat(dfd, name, cur, sizeof(cur) - 1);
		close(dfd);
	}
	if (n >= 0) {
		cur[n] = '\0';
		if (TT_STREQ(cur, target))
			return 0;
	}
	if ((c = find(plan, path, TT_CHANGE_CONTENT)) == NULL &&
	    (r = add(plan, rule, path, TT_CHANGE_SYMLINK, &c)) < 0)
		return r;
	if (c->kind != TT_CHANGE_SYMLINK || !TT_STREQ(c->target, target))
		plan->edits++;
	c->kind = TT_CHANGE_SYMLINK;
	if (strlcpy(c->target, target, sizeof(c->target)) >= sizeof(c->target))
		return -ENAMETOOLONG;
	return 0;
}

int
tt_plan_package_remove(struct tt_plan *plan, const char *rule, const char *name,
    const char *version)
{
	struct tt_change *c;

	for (size_t i = 0; i < plan->n; i++)
		if (plan->v[i].kind == TT_CHANGE_PACKAGE &&
		    TT_STREQ(plan->v[i].path, name))
			return 0;
	if (plan->n == plan->cap) {
		size_t cap = plan->cap ? plan->cap * 2 : 16;
		struct tt_change *v = reallocarray(plan->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		plan->v = v;
		plan->cap = cap;
	}
	c = &plan->v[plan->n];
	memset(c, 0, sizeof(*c));
	c->kind = TT_CHANGE_PACKAGE;
	c->existed = true;
	tt_buf_init(&c->old, 1);
	tt_buf_init(&c->new, 1);
	if (strlcpy(c->path, name, sizeof(c->path)) >= sizeof(c->path) ||
	    strlcpy(c->target, version ? version : "", sizeof(c->target)) >=
		sizeof(c->target))
		return -ENAMETOOLONG;
	strlcpy(c->rule, rule ? rule : "", sizeof(c->rule));
	plan->n++;
	plan->edits++;
	return 0;
}

int
tt_plan_print(const struct tt_plan *plan, struct tt_buf *out)
{
	int r = 0;

	/* Paths and targets can name image files: tt_term_printf escapes
	 * them (term.h), and tt_diff_unified escapes the diffs. */
	for (size_t i = 0; i < plan->n && r == 0; i++) {
		const struct tt_change *c = &plan->v[i];

		r = tt_term_printf(out, "# %s\n", c->rule);
		if (r < 0)
			break;
		switch (c->kind) {
		case TT_CHANGE_CONTENT:
			r = tt_diff_unified(c->path,
			    c->existed ? (c->old.data ? c->old.data : "") :
					 NULL,
			    c->old.len, c->new.data ? c->new.data : "",
			    c->new.len, out);
			if (r == 0 && !c->existed)
				r = tt_term_printf(out, "mode %04o %s\n",
				    (unsigned)c->mode, c->path);
			break;
		case TT_CHANGE_REMOVE:
			if (c->old.data != NULL)
				r = tt_diff_unified(c->path, c->old.data,
				    c->old.len, NULL, 0, out);
			else
				r = tt_term_printf(out, "remove %s\n", c->path);
			break;
		case TT_CHANGE_META:
			r = tt_term_printf(out,
			    "meta %s: mode %04o -> %04o, "
			    "owner %u:%u -> %u:%u\n",
			    c->path, (unsigned)c->old_mode, (unsigned)c->mode,
			    (unsigned)c->old_uid, (unsigned)c->old_gid,
			    (unsigned)c->uid, (unsigned)c->gid);
			break;
		case TT_CHANGE_SYMLINK:
			r = tt_term_printf(out, "symlink %s -> %s\n", c->path,
			    c->target);
			break;
		case TT_CHANGE_PACKAGE:
			r = tt_term_printf(out, "package remove %s %s\n",
			    c->path, c->target);
			break;
		}
	}
	return r;
}

static int
parent_dir(const struct tt_root *root, const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL || slash == path)
		return 0;
	n = (size_t)(slash - path);
	if (n >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return tt_root_mkdir_p(root, dir, 0755);
}

int
tt_plan_apply_change(const struct tt_root *root, const struct tt_change *c)
{
	const char *name;
	char tmp[NAME_MAX + 1];
	int dfd = -1, fd, r = 0;

	if (c->kind == TT_CHANGE_PACKAGE) {
		char err[512];

		return tt_package_remove(root, c->path, err, sizeof(err));
	}
	if (c->kind != TT_CHANGE_REMOVE && c->kind != TT_CHANGE_META &&
	    (r = parent_dir(root, c->path)) < 0)
		return r;
	dfd = tt_root_open_parent(root, c->path, &name);
	if (dfd < 0)
		return dfd;
	/* O_PATH cannot fsync or hold a rename target: reopen. */
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return -errno;
	dfd = fd;
	switch (c->kind) {
	case TT_CHANGE_CONTENT:
		r = tt_atomic_write_at(dfd, name,
		    c->new.data ? c->new.data : "", c->new.len, c->mode);
		if (r == 0 && c->existed &&
		    fchownat(dfd, name, c->uid, c->gid, AT_SYMLINK_NOFOLLOW) <
			0)
			r = -errno;
		break;
	case TT_CHANGE_REMOVE:
		if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
			r = -errno;
		break;
	case TT_CHANGE_META:
		fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			break;
		}
		/* The O_PATH descriptor pins the inode: a symlink swapped in
		 * at that name cannot redirect the change to a host file.
		 * chmod has no AT_EMPTY_PATH, so it goes through the
		 * descriptor's /proc entry, as systemd's fchmod_opath does. */
		{
			char proc[64];
			struct stat st;

			if (fstat(fd, &st) < 0 || S_ISLNK(st.st_mode)) {
				r = S_ISLNK(st.st_mode) ? -ELOOP : -errno;
				close(fd);
				break;
			}
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
			if (fchownat(fd, "", c->uid, c->gid, AT_EMPTY_PATH) <
				0 ||
			    chmod(proc, c->mode) < 0)
				r = -errno;
		}
		close(fd);
		break;
	case TT_CHANGE_PACKAGE: break;
	case TT_CHANGE_SYMLINK:
		snprintf(tmp, sizeof(tmp), ".%.200s.tattoo-link", name);
		unlinkat(dfd, tmp, 0);
		if (symlinkat(c->target, dfd, tmp) < 0 ||
		    renameat(dfd, tmp, dfd, name) < 0) {
			r = -errno;
			unlinkat(dfd, tmp, 0);
		}
		break;
	}
	if (r == 0)
		fsync(dfd);
	close(dfd);
	return r;
}
