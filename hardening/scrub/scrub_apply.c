#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "scrub_apply.h"
#include "tt.h"

struct apply {
	const struct tt_root *root;
	struct tt_journal *j;
	const char *rule;
	char *err;
	size_t errlen;
	bool journal_failed;
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

/* Removes what is in the directory path (and the directory itself unless
 * keep), deepest first, each entry journaled before it goes. */
static int
remove_tree(struct apply *a, const char *path, bool keep, size_t depth)
{
	char **names = NULL, child[PATH_MAX];
	size_t n = 0, cap = 0;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (depth > TT_SCRUB_MAX_DEPTH)
		return -ELOOP;
	fd = tt_root_open(a->root, path,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	/* Names first: the directory changes under readdir otherwise. */
	while ((de = readdir(d)) != NULL) {
		if (TT_STREQ(de->d_name, ".") || TT_STREQ(de->d_name, ".."))
			continue;
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			char **p = reallocarray(names, c, sizeof(*p));

			if (p == NULL) {
				r = -ENOMEM;
				goto out;
			}
			names = p;
			cap = c;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		n++;
	}
	for (size_t i = 0; i < n && r == 0; i++) {
		struct stat st;

		if ((size_t)snprintf(child, sizeof(child), "%s/%s",
			TT_STREQ(path, "/") ? "" : path,
			names[i]) >= sizeof(child)) {
			r = -ENAMETOOLONG;
			break;
		}
		if (fstatat(dirfd(d), names[i], &st, AT_SYMLINK_NOFOLLOW) < 0) {
			if (errno != ENOENT)
				r = -errno;
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			r = remove_tree(a, child, false, depth + 1);
			continue;
		}
		/* A socket or a device node holds no bytes, but the journal
		 * could not make it again: left for a person. */
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) &&
		    !S_ISFIFO(st.st_mode)) {
			r = -TT_ENOTREG;
			break;
		}
		if ((r = record(a, child, "delete")) < 0)
			break;
		if (unlinkat(dirfd(d), names[i], 0) < 0 && errno != ENOENT)
			r = -errno;
	}
	if (r == 0)
		fsync(dirfd(d));
out:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	if (r == 0 && !keep) {
		const char *name;
		int pfd;

		if ((r = record(a, path, "delete")) < 0)
			return r;
		if ((pfd = tt_root_open_parent(a->root, path, &name)) < 0)
			return pfd;
		if (unlinkat(pfd, name, AT_REMOVEDIR) < 0 && errno != ENOENT)
			r = -errno;
		fsync(pfd);
		close(pfd);
	}
	return r;
}

static int
delete_path(struct apply *a, const char *path)
{
	struct stat st;
	const char *name;
	int pfd, r;

	r = tt_root_stat(a->root, path, &st, false);
	if (r == -ENOENT)
		return 0; /* gone with a directory deleted before */
	if (r < 0)
		return r;
	if (S_ISDIR(st.st_mode))
		return remove_tree(a, path, false, 0);
	if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode) &&
	    !S_ISFIFO(st.st_mode))
		return -TT_ENOTREG;
	if ((r = record(a, path, "delete")) < 0)
		return r;
	if ((pfd = tt_root_open_parent(a->root, path, &name)) < 0)
		return pfd;
	if (unlinkat(pfd, name, 0) < 0 && errno != ENOENT)
		r = -errno;
	fsync(pfd);
	close(pfd);
	return r;
}

/* Truncated in place, never replaced: the file keeps its inode, owner
 * and mode (systemd needs /etc/machine-id to exist). */
static int
truncate_path(struct apply *a, const char *path)
{
	struct stat st;
	int fd, r;

	if ((r = record(a, path, "truncate")) < 0)
		return r;
	fd = tt_root_open(a->root, path,
	    O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		r = -TT_ENOTREG;
	else if (ftruncate(fd, 0) < 0 || fsync(fd) < 0)
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

int
tt_scrub_apply(const struct tt_scrub_catalog *cat, const struct tt_root *root,
    struct tt_journal *j, const char *build_user, struct tt_scrub_result *res,
    size_t *ret_failed, char *err, size_t errlen)

{
	struct apply a = { .root = root, .j = j, .err = err, .errlen = errlen };
	size_t failed = 0;

	for (size_t i = 0; i < res->n; i++) {
		struct tt_scrub_item *it = &res->v[i];
		const struct tt_leftover *l;
		int r = 0;

		if (it->kind != TT_SCRUB_LEFTOVER)
			continue;
		l = &cat->leftovers[it->index];
		a.rule = l->id;
		err[0] = '\0';
		switch (l->action) {
		case TT_LEFTOVER_DELETE: r = delete_path(&a, it->path); break;
		case TT_LEFTOVER_TRUNCATE:
			r = truncate_path(&a, it->path);
			break;
		case TT_LEFTOVER_EMPTY_DIR:
			r = remove_tree(&a, it->path, true, 0);
			break;
		case TT_LEFTOVER_REMOVE_ACCOUNT:
			r = remove_account(&a, build_user);
			break;
		}
		if (a.journal_failed) {
			*ret_failed = failed + 1;
			return r < 0 ? r : -EIO;
		}
		it->reason[0] = '\0';
		if (r == -EFBIG)
			snprintf(it->reason, sizeof(it->reason),
			    "left in place: too large for the journal");
		else if (r == -TT_ENOTREG)
			snprintf(it->reason, sizeof(it->reason),
			    "left in place: holds a socket or device node");
		else if (r < 0)
			snprintf(it->reason, sizeof(it->reason), "failed: %s",
			    tt_strerror(r));
		failed += r < 0;
	}
	err[0] = '\0';
	*ret_failed = failed;
	return 0;
}
