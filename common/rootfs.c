#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "rootfs.h"
#include "tt.h"

#define MAX_SYMLINKS 40

bool tt_root_force_fallback;

int
tt_root_init(struct tt_root *root, const char *dir)
{
	struct stat st;
	int fd;

	root->fd = -1;
	if (strlcpy(root->path, dir, sizeof(root->path)) >= sizeof(root->path))
		return -ENAMETOOLONG;
	fd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	root->fd = fd;
	return 0;
}

void
tt_root_close(struct tt_root *root)
{
	if (root == NULL || root->fd < 0)
		return;
	close(root->fd);
	root->fd = -1;
}

bool
tt_root_is_host(const struct tt_root *root)
{
	struct stat a, b;

	if (root == NULL)
		return true;
	if (fstat(root->fd, &a) < 0 || stat("/", &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

static int
sys_openat2(int dirfd, const char *path, int flags, mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)flags,
		.mode = (flags & (O_CREAT | O_TMPFILE)) ? mode : 0,
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	long r;

	do {
		r = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));
	} while (r < 0 && errno == EAGAIN);
	return r < 0 ? -errno : (int)r;
}

/*
 * The fallback: a walk over components kept as a stack of directory fds,
 * so ".." pops back to an already verified directory and can never rise
 * above the root.
 */
struct walk {
	int fds[PATH_MAX / 2];
	int depth; /* fds[0] is the root */
};

static void
walk_release(struct walk *w)
{
	for (int i = 1; i <= w->depth; i++)
		close(w->fds[i]);
	w->depth = 0;
}

/* Pushes the remaining path "rest" in front of "tail" into out. */
static int
join_rest(char *out, size_t size, const char *head, const char *tail)
{
	int n;

	if (tail == NULL || *tail == '\0')
		n = snprintf(out, size, "%s", head);
	else
		n = snprintf(out, size, "%s/%s", head, tail);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}

static int
fallback_open(const struct tt_root *root, const char *path, int flags,
    mode_t mode)
{
	struct walk *w;
	char *todo, *next, *comp, *link;
	int links = 0, r, fd;
	bool nofollow_last = (flags & O_NOFOLLOW) != 0;

	w = calloc(1, sizeof(*w));
	todo = malloc(PATH_MAX);
	next = malloc(PATH_MAX);
	link = malloc(PATH_MAX);
	if (w == NULL || todo == NULL || next == NULL || link == NULL) {
		r = -ENOMEM;
		goto out;
	}
	w->fds[0] = root->fd;
	/* open(2) and openat2 refuse an empty path. */
	if (path[0] == '\0') {
		r = -ENOENT;
		goto out;
	}
	if (strlcpy(todo, path, PATH_MAX) >= PATH_MAX) {
		r = -ENAMETOOLONG;
		goto out;
	}

	for (;;) {
		char *p = todo, *slash;
		bool last;
		struct stat st;
		ssize_t n;

		while (*p == '/')
			p++;
		if (*p == '\0') {
			/* The path names the current directory itself. */
			fd = openat(w->fds[w->depth], ".",
			    flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW), mode);
			r = fd < 0 ? -errno : fd;
			goto out;
		}
		comp = p;
		slash = strchr(p, '/');
		if (slash != NULL) {
			*slash = '\0';
			p = slash + 1;
			while (*p == '/')
				p++;
		} else {
			p = comp + strlen(comp);
		}
		last = (*p == '\0');
		/* "name/" must be a directory, as the kernel has it: resolve
		 * it as "name/." (a symlink is followed, a file is ENOTDIR). */
		if (last && slash != NULL) {
			last = false;
			p = ".";
		}

		if (TT_STREQ(comp, ".")) {
			memmove(todo, p, strlen(p) + 1);
			continue;
		}
		if (TT_STREQ(comp, "..")) {
			if (w->depth > 0)
				close(w->fds[w->depth--]);
			memmove(todo, p, strlen(p) + 1);
			continue;
		}

		if (fstatat(w->fds[w->depth], comp, &st, AT_SYMLINK_NOFOLLOW) <
		    0) {
			if (errno == ENOENT && last && (flags & O_CREAT)) {
				fd = openat(w->fds[w->depth], comp,
				    flags | O_NOFOLLOW, mode);
				r = fd < 0 ? -errno : fd;
				goto out;
			}
			r = -errno;
			goto out;
		}
		if (S_ISLNK(st.st_mode) && !(last && nofollow_last)) {
			if (++links > MAX_SYMLINKS) {
				r = -ELOOP;
				goto out;
			}
			n = readlinkat(w->fds[w->depth], comp, link,
			    PATH_MAX - 1);
			if (n < 0) {
				r = -errno;
				goto out;
			}
			link[n] = '\0';
			if (link[0] == '/') {
				/* Absolute: restart from the root. */
				for (; w->depth > 0; w->depth--)
					close(w->fds[w->depth]);
			}
			if ((r = join_rest(next, PATH_MAX, link, p)) < 0)
				goto out;
			memcpy(todo, next, strlen(next) + 1);
			continue;
		}
		if (last) {
			fd = openat(w->fds[w->depth], comp, flags | O_NOFOLLOW,
			    mode);
			r = fd < 0 ? -errno : fd;
			goto out;
		}
		if (!S_ISDIR(st.st_mode)) {
			r = -ENOTDIR;
			goto out;
		}
		if (w->depth + 1 >= (int)TT_ARRAY_SIZE(w->fds)) {
			r = -ENAMETOOLONG;
			goto out;
		}
		fd = openat(w->fds[w->depth], comp,
		    O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			r = -errno;
			goto out;
		}
		w->fds[++w->depth] = fd;
		memmove(todo, p, strlen(p) + 1);
	}
out:
	if (w != NULL)
		walk_release(w);
	free(w);
	free(todo);
	free(next);
	free(link);
	return r;
}

int
tt_root_open(const struct tt_root *root, const char *path, int flags,
    mode_t mode)
{
	int r;

	flags |= O_CLOEXEC;
	if (root == NULL) {
		r = open(path, flags, mode);
		return r < 0 ? -errno : r;
	}
	if (!tt_root_force_fallback) {
		r = sys_openat2(root->fd, path, flags, mode);
		if (r != -ENOSYS && r != -EPERM)
			return r;
	}
	return fallback_open(root, path, flags, mode);
}

int
tt_root_open_parent(const struct tt_root *root, const char *path,
    const char **ret_name)
{
	char dir[PATH_MAX];
	const char *slash, *name;
	size_t len;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	if (len >= sizeof(dir))
		return -ENAMETOOLONG;
	memcpy(dir, path, len);
	dir[len] = '\0';
	slash = strrchr(dir, '/');
	name = dir + (slash ? (size_t)(slash - dir) + 1 : 0);
	if (*name == '\0' || TT_STREQ(name, ".") || TT_STREQ(name, ".."))
		return -EINVAL;
	*ret_name = path + (name - dir);
	if (slash == NULL) /* a bare name: the current directory */
		return tt_root_open(root, root == NULL ? "." : "/",
		    O_PATH | O_DIRECTORY, 0);
	dir[slash - dir + (slash == dir ? 1 : 0)] = '\0';
	return tt_root_open(root, dir, O_PATH | O_DIRECTORY, 0);
}

int
tt_root_stat(const struct tt_root *root, const char *path, struct stat *ret_st,
    bool follow)
{
	int fd, r = 0;

	fd = tt_root_open(root, path, O_PATH | (follow ? 0 : O_NOFOLLOW), 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, ret_st) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
tt_root_mkdir_p(const struct tt_root *root, const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	struct stat st;
	size_t i, len;
	int r;

	if (strlcpy(buf, path, sizeof(buf)) >= sizeof(buf))
		return -ENAMETOOLONG;
	len = strlen(buf);
	for (i = 1; i <= len; i++) {
		const char *name;
		int dfd;

		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		r = tt_root_stat(root, buf, &st, true);
		if (r == 0 && !S_ISDIR(st.st_mode))
			return -ENOTDIR;
		if (r == -ENOENT) {
			dfd = tt_root_open_parent(root, buf, &name);
			if (dfd < 0)
				return dfd;
			r = mkdirat(dfd, name, mode) < 0 && errno != EEXIST ?
			    -errno :
			    0;
			close(dfd);
			if (r < 0)
				return r;
		} else if (r < 0) {
			return r;
		}
		if (i < len)
			buf[i] = '/';
	}
	return 0;
}

int
tt_root_host_path(const struct tt_root *root, const char *path, char *ret,
    size_t size)
{
	const char *base = root == NULL ? "" : root->path;
	size_t blen = strlen(base);
	int n;

	while (blen > 0 && base[blen - 1] == '/')
		blen--;
	while (*path == '/')
		path++;
	n = snprintf(ret, size, "%.*s/%s", (int)blen, base, path);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	return 0;
}
