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

int
tt_scrub_apply(const struct tt_scrub_catalog *cat, const struct tt_root *root,
    struct tt_journal *j, struct tt_scrub_result *res, size_t *ret_failed,
    char *err, size_t errlen)
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
