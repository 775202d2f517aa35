#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/sysmacros.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "scrub_apply.h"
#include "tt.h"

/* Which object an entry is and on which mount it lives. */
struct ent {
	mode_t mode;
	ino_t ino;
	dev_t dev;
	uint64_t mnt; /* the kernel's mount id; 0 when it does not say */
};

struct apply {
	const struct tt_root *root;
	struct tt_journal *j;
	const char *rule;
	char *err;
	size_t errlen;
	bool journal_failed;
	int rootfd;
	struct ent fs; /* the root's: nothing on another mount is touched */
	char left[PATH_MAX]; /* the first path left alone, and why */
	int left_why;
};

static int
record(struct apply *a, const char *path, const char *change)
{
	int r =
	    tt_journal_record(a->j, path, a->rule, change, a->err, a->errlen);

	/* A file too big for the journal is left alone, not lost. */
	if (r < 0 && r != -EFBIG)
		a->journal_failed = true;
	return r;
}

/* lstat of name in dfd ("" for dfd itself), with the mount id: st_dev
 * alone does not tell a bind mount of the same file system. */
static int
ent_stat(int dfd, const char *name, struct ent *e)
{
	int flags = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
	    (name[0] == '\0' ? AT_EMPTY_PATH : 0);
	struct statx sx;
	struct stat st;

	if (statx(dfd, name, flags, STATX_TYPE | STATX_INO | STATX_MNT_ID,
		&sx) == 0) {
		e->mode = sx.stx_mode;
		e->ino = sx.stx_ino;
		e->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
		e->mnt = (sx.stx_mask & STATX_MNT_ID) ? sx.stx_mnt_id : 0;
		return 0;
	}
	if (errno != ENOSYS && errno != EPERM)
		return -errno;
	if (fstatat(dfd, name, &st, flags) < 0)
		return -errno;
	e->mode = st.st_mode;
	e->ino = st.st_ino;
	e->dev = st.st_dev;
	e->mnt = 0;
	return 0;
}

static bool
same_fs(const struct apply *a, const struct ent *e)
{
	return e->dev == a->fs.dev &&
	    (e->mnt == 0 || a->fs.mnt == 0 || e->mnt == a->fs.mnt);
}

static bool
same_ent(const struct ent *x, const struct ent *y)
{
	return x->ino == y->ino && x->dev == y->dev;
}

/*
 * path is left as it is: -EXDEV another mount, -ESTALE changed since the
 * scan (a symlink or a file where a directory was), -TT_ENOTREG a socket
 * or device, -ELOOP nested too deep.  The first one names the reason.
 */
static int
leave(struct apply *a, const char *path, int why)
{
	if (a->left_why == 0) {
		strlcpy(a->left, path, sizeof(a->left));
		a->left_why = why;
	}
	return why;
}

static bool
is_left(int r)
{
	return r == -EXDEV || r == -ESTALE || r == -TT_ENOTREG || r == -ELOOP;
}

/* An fsync of the directory, where it can be opened for one (dfd may be
 * an O_PATH descriptor). */
static void
sync_dir(int dfd)
{
	int fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

/*
 * Opens the directory that holds path's last component, one component at
 * a time from the root, each a real directory on the root's mount: a
 * symlink on the way is never followed (the scan never went through one,
 * so one there now was put there since), and the path is looked up this
 * once.  The last component goes into name.  Returns the directory's
 * descriptor or a negative errno.
 */
static int
open_parent(struct apply *a, const char *path, char *name, size_t namelen)
{
	char buf[PATH_MAX], *p, *slash;
	size_t len = strlen(path);
	struct ent e;
	int dfd, fd, r;

	while (len > 1 && path[len - 1] == '/')
		len--;
	if (path[0] != '/' || len >= sizeof(buf))
		return path[0] != '/' ? -EINVAL : -ENAMETOOLONG;
	memcpy(buf, path, len);
	buf[len] = '\0';
	if ((dfd = fcntl(a->rootfd, F_DUPFD_CLOEXEC, 0)) < 0)
		return -errno;
	for (p = buf + 1;; p = slash + 1) {
		while (*p == '/')
			p++;
		if ((slash = strchr(p, '/')) == NULL)
			break;
		*slash = '\0';
		if (TT_STREQ(p, ".") || TT_STREQ(p, "..")) {
			close(dfd);
			return -EINVAL;
		}
		fd = openat(dfd, p,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		r = fd < 0 ? -errno : ent_stat(fd, "", &e);
		close(dfd);
		dfd = fd;
		if (r == 0 && !S_ISDIR(e.mode))
			r = -ENOTDIR;
		if (r == -ELOOP || r == -ENOTDIR)
			r = leave(a, buf, -ESTALE);
		else if (r == 0 && !same_fs(a, &e))
			r = leave(a, buf, -EXDEV);
		if (r < 0) {
			if (dfd >= 0)
				close(dfd);
			return r;
		}
		*slash = '/';
	}
	if (*p == '\0' || TT_STREQ(p, ".") || TT_STREQ(p, "..") ||
	    strlcpy(name, p, namelen) >= namelen) {
		close(dfd);
		return -EINVAL;
	}
	return dfd;
}

static int remove_entry(struct apply *a, int dfd, const char *name,
    const char *path, size_t depth, bool keep);

/* The names in the directory open on fd (read first: the directory
 * changes under readdir otherwise).  Takes fd. */
static int
list_dir(int fd, DIR **ret_d, char ***ret_names, size_t *ret_n)
{
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;

	if ((d = fdopendir(fd)) == NULL) {
		int r = -errno;

		close(fd);
		return r;
	}
	while ((de = readdir(d)) != NULL) {
		if (TT_STREQ(de->d_name, ".") || TT_STREQ(de->d_name, ".."))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			char **v = reallocarray(names, c, sizeof(*v));

			if (v == NULL)
				goto nomem;
			names = v;
			cap = c;
		}
		if ((names[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	*ret_d = d;
	*ret_names = names;
	*ret_n = n;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return -ENOMEM;
}

/*
 * Removes what is in the directory name of pfd (and the directory itself
 * unless keep), deepest first, each entry journaled before it goes, every
 * step relative to the descriptor of the directory above it.  What is on
 * another mount, or changed into a symlink, is left and said so.
 */
static int
remove_dir(struct apply *a, int pfd, const char *name, const char *path,
    const struct ent *seen, size_t depth, bool keep)
{
	char **names = NULL, child[PATH_MAX];
	size_t n = 0;
	struct ent now;
	DIR *d = NULL;
	int fd, r = 0, left = 0;

	if (depth > TT_SCRUB_MAX_DEPTH)
		return leave(a, path, -ELOOP);
	fd = openat(pfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		if (r == -ENOENT)
			return 0;
		return r == -ELOOP || r == -ENOTDIR ? leave(a, path, -ESTALE) :
						      r;
	}
	if ((r = ent_stat(fd, "", &now)) < 0) {
		close(fd);
		return r;
	}
	if (!same_ent(&now, seen)) {
		close(fd);
		return leave(a, path, -ESTALE);
	}
	if (!same_fs(a, &now)) {
		close(fd);
		return leave(a, path, -EXDEV);
	}
	if ((r = list_dir(fd, &d, &names, &n)) < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		int cr;

		if ((size_t)snprintf(child, sizeof(child), "%s/%s",
			TT_STREQ(path, "/") ? "" : path,
			names[i]) >= sizeof(child)) {
			r = -ENAMETOOLONG;
			break;
		}
		cr = remove_entry(a, dirfd(d), names[i], child, depth + 1,
		    false);
		if (is_left(cr)) {
			left = left != 0 ? left : cr;
			continue;
		}
		if ((r = cr) < 0)
			break;
	}
	if (r == 0)
		fsync(dirfd(d));
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r < 0)
		return r;
	if (left != 0)
		return left; /* not empty: the directory stays */
	if (keep)
		return 0;
	if ((r = record(a, path, "delete")) < 0)
		return r;
	if (unlinkat(pfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Removes the entry name of dfd: a directory with what is in it (or only
 * that, keep), anything else unlinked, a symlink included: never followed. */
static int
remove_entry(struct apply *a, int dfd, const char *name, const char *path,
    size_t depth, bool keep)
{
	struct ent e, now;
	int r;

	if ((r = ent_stat(dfd, name, &e)) < 0)
		return r == -ENOENT ? 0 : r; /* gone with a directory before */
	if (!same_fs(a, &e))
		return leave(a, path, -EXDEV);
	if (S_ISDIR(e.mode))
		return remove_dir(a, dfd, name, path, &e, depth, keep);
	if (keep) /* to be emptied, and no longer a directory */
		return leave(a, path, -ESTALE);
	/* A socket or a device node holds no bytes, but the journal could
	 * not make it again: left for a person. */
	if (!S_ISREG(e.mode) && !S_ISLNK(e.mode) && !S_ISFIFO(e.mode))
		return leave(a, path, -TT_ENOTREG);
	if ((r = record(a, path, "delete")) < 0)
		return r;
	/* The journal read it by name: the entry it read is the one that
	 * goes, or none. */
	if ((r = ent_stat(dfd, name, &now)) < 0)
		return r == -ENOENT ? 0 : r;
	if (!same_ent(&now, &e) || (now.mode & S_IFMT) != (e.mode & S_IFMT))
		return leave(a, path, -ESTALE);
	if (unlinkat(dfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

/* Truncated in place, never replaced: the file keeps its inode, owner
 * and mode (systemd needs /etc/machine-id to exist). */
static int
truncate_at(struct apply *a, int dfd, const char *name, const char *path)
{
	struct ent e, now;
	int fd, r;

	if ((r = ent_stat(dfd, name, &e)) < 0)
		return r == -ENOENT ? 0 : r;
	if (!same_fs(a, &e))
		return leave(a, path, -EXDEV);
	if (S_ISLNK(e.mode) || S_ISDIR(e.mode))
		return leave(a, path, -ESTALE);
	if (!S_ISREG(e.mode))
		return leave(a, path, -TT_ENOTREG);
	fd = openat(dfd, name,
	    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return errno == ELOOP ? leave(a, path, -ESTALE) : -errno;
	if ((r = ent_stat(fd, "", &now)) == 0 &&
	    (!same_ent(&now, &e) || !S_ISREG(now.mode)))
		r = leave(a, path, -ESTALE);
	if (r == 0)
		r = record(a, path, "truncate");
	if (r == 0 && (ftruncate(fd, 0) < 0 || fsync(fd) < 0))
		r = -errno;
	close(fd);
	return r;
}

/* Is field (s, n) the user's name? */
static bool
is_user(const char *s, size_t n, const char *user)
{
	return n == strlen(user) && strncmp(s, user, n) == 0;
}

/* Appends the comma-separated list (s, n) without the user. */
static int
put_members(struct tt_buf *out, const char *s, size_t n, const char *user)
{
	bool first = true;
	int r = 0;

	while (n > 0 && r == 0) {
		const char *c = memchr(s, ',', n);
		size_t l = c != NULL ? (size_t)(c - s) : n;

		if (!is_user(s, l, user)) {
			if (!first)
				r = tt_buf_putc(out, ',');
			if (r == 0)
				r = tt_buf_append(out, s, l);
			first = false;
		}
		s += l + (c != NULL);
		n -= l + (c != NULL);
	}
	return r;
}

/*
 * One account file without the user: its own line (passwd, shadow, and
 * its private group in group and gshadow) and its name in member lists
 * (the last field of group; the last two of gshadow).
 */
static int
edit_accounts(const char *text, size_t len, const char *user, bool group,
    unsigned list_fields, struct tt_buf *out)
{
	size_t i = 0;
	int r = 0;

	while (i < len && r == 0) {
		const char *line = text + i, *nl = memchr(line, '\n', len - i);
		size_t n = nl != NULL ? (size_t)(nl - line) : len - i;
		const char *colon = memchr(line, ':', n);
		size_t fields = 1, start[8] = { 0 };

		i += n + (nl != NULL);
		if (colon != NULL &&
		    is_user(line, (size_t)(colon - line), user))
			continue;
		if (!group) {
			r = tt_buf_append(out, line, n + (nl != NULL));
			continue;
		}
		for (size_t k = 0; k < n && fields < 8; k++)
			if (line[k] == ':')
				start[fields++] = k + 1;
		if (fields < list_fields + 1) {
			r = tt_buf_append(out, line, n + (nl != NULL));
			continue;
		}
		/* Everything up to the first list field as it is. */
		r = tt_buf_append(out, line, start[fields - list_fields]);
		for (size_t f = fields - list_fields; f < fields && r == 0;
		     f++) {
			size_t end = f + 1 < fields ? start[f + 1] - 1 : n;

			r = put_members(out, line + start[f], end - start[f],
			    user);
			if (r == 0 && f + 1 < fields)
				r = tt_buf_putc(out, ':');
		}
		if (r == 0 && nl != NULL)
			r = tt_buf_putc(out, '\n');
	}
	return r;
}

/* The build user out of passwd, shadow, group and gshadow, each file
 * journaled and replaced atomically with its mode and owner. */
static int
remove_account(struct apply *a, const char *user)
{
	static const struct {
		const char *path;
		bool group;
		unsigned lists;
	} files[] = {
		{ "/etc/passwd", false, 0 },
		{ "/etc/shadow", false, 0 },
		{ "/etc/group", true, 1 },
		{ "/etc/gshadow", true, 2 },
	};

	if (user == NULL)
		return -EINVAL;
	for (size_t i = 0; i < TT_ARRAY_SIZE(files); i++) {
		struct tt_buf in, out;
		struct stat st;
		int r, fd;

		r = tt_read_file(a->root, files[i].path, (size_t)16 << 20, &in);
		if (r == -ENOENT)
			continue;
		if (r < 0)
			return r;
		tt_buf_init(&out, (size_t)16 << 20);
		r = edit_accounts(in.data ? in.data : "", in.len, user,
		    files[i].group, files[i].lists, &out);
		if (r == 0 &&
		    (out.len != in.len ||
			memcmp(out.data ? out.data : "", in.data ? in.data : "",
			    in.len) != 0) &&
		    (r = tt_root_stat(a->root, files[i].path, &st, false)) ==
			0 &&
		    (r = record(a, files[i].path, "remove-account")) == 0) {
			r = tt_atomic_write(a->root, files[i].path,
			    out.data ? out.data : "", out.len,
			    st.st_mode & 07777);
			fd = r == 0 ?
			    tt_root_open(a->root, files[i].path,
				O_RDONLY | O_NOFOLLOW | O_CLOEXEC, 0) :
			    -1;
			if (fd >= 0) {
				if (fchown(fd, st.st_uid, st.st_gid) < 0)
					r = -errno;
				close(fd);
			}
		}
		tt_buf_free_secret(&in);
		tt_buf_free_secret(&out);
		if (r < 0)
			return r;
	}
	return 0;
}

/* A hook for tests: stops between the scan and the first change, so a
 * test can change the tree as a user racing the scrub would. */
static void
test_pause(void)
{
	const char *v = getenv("TATTOO_TEST_PAUSE");

	if (v != NULL && TT_STREQ(v, "scrub-apply"))
		(void)raise(SIGSTOP);
}

/* One leftover of the catalogue at path, by action. */
static int
apply_one(struct apply *a, const struct tt_leftover *l, const char *path,
    const char *build_user)
{
	char name[NAME_MAX + 1];
	int pfd, r = 0;

	if (l->action == TT_LEFTOVER_REMOVE_ACCOUNT)
		return remove_account(a, build_user);
	pfd = open_parent(a, path, name, sizeof(name));
	if (pfd == -ENOENT)
		return 0; /* gone with a directory deleted before */
	if (pfd < 0)
		return pfd;
	switch (l->action) {
	case TT_LEFTOVER_DELETE:
		r = remove_entry(a, pfd, name, path, 0, false);
		break;
	case TT_LEFTOVER_TRUNCATE: r = truncate_at(a, pfd, name, path); break;
	case TT_LEFTOVER_EMPTY_DIR:
		r = remove_entry(a, pfd, name, path, 0, true);
		break;
	case TT_LEFTOVER_REMOVE_ACCOUNT: break;
	}
	sync_dir(pfd);
	close(pfd);
	return r;
}

static void
say_why(const struct apply *a, int r, char *reason, size_t len)
{
	if (r == 0)
		reason[0] = '\0';
	else if (r == -EFBIG)
		snprintf(reason, len,
		    "left in place: too large for the journal");
	else if (!is_left(r) || a->left_why == 0)
		snprintf(reason, len, "failed: %s", tt_strerror(r));
	else if ((r = a->left_why) == -EXDEV)
		snprintf(reason, len, "left in place: %.120s is another mount",
		    a->left);
	else if (r == -ESTALE)
		snprintf(reason, len,
		    "left in place: %.90s changed since the scan (a symlink "
		    "is never followed)",
		    a->left);
	else if (r == -TT_ENOTREG)
		snprintf(reason, len,
		    "left in place: holds a socket or device node (%.100s)",
		    a->left);
	else
		snprintf(reason, len,
		    "left in place: directories nested too deep below %.100s",
		    a->left);
}

int
tt_scrub_apply(const struct tt_scrub_catalog *cat, const struct tt_root *root,
    struct tt_journal *j, const char *build_user, struct tt_scrub_result *res,
    size_t *ret_failed, char *err, size_t errlen)
{
	struct apply a = { .root = root, .j = j, .err = err, .errlen = errlen };
	size_t failed = 0;
	int r;

	a.rootfd = root != NULL && root->fd >= 0 ?
	    fcntl(root->fd, F_DUPFD_CLOEXEC, 0) :
	    open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	r = a.rootfd < 0 ? -errno : ent_stat(a.rootfd, "", &a.fs);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot open '%s': %s",
		    root != NULL ? root->path : "/", tt_strerror(r));
		if (a.rootfd >= 0)
			close(a.rootfd);
		*ret_failed = 0;
		return r;
	}
	test_pause();
	for (size_t i = 0; i < res->n; i++) {
		struct tt_scrub_item *it = &res->v[i];
		const struct tt_leftover *l;

		if (it->kind != TT_SCRUB_LEFTOVER)
			continue;
		l = &cat->leftovers[it->index];
		a.rule = l->id;
		a.left[0] = '\0';
		a.left_why = 0;
		err[0] = '\0';
		r = apply_one(&a, l, it->path, build_user);
		if (a.journal_failed) {
			close(a.rootfd);
			*ret_failed = failed + 1;
			return r < 0 ? r : -EIO;
		}
		say_why(&a, r, it->reason, sizeof(it->reason));
		failed += r < 0;
	}
	close(a.rootfd);
	err[0] = '\0';
	*ret_failed = failed;
	return 0;
}
