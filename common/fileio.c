#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "tt.h"

const char *
tt_strerror(int negerr)
{
	int e = negerr < 0 ? -negerr : negerr;

	if (e == TT_ENOTREG)
		return "not a regular file";
	if (e == TT_ENOTDURABLE)
		return "written, but the directory could not be synced to "
		       "disk";
	/* The one strerror call in tattoo (banned.h bans the rest): the
	 * parentheses keep the banning macro and check-banned off it. */
	return (strerror)(e);
}

int
tt_read_fd(int fd, size_t max, struct tt_buf *ret)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int r;

	tt_buf_init(ret, max);
	if (fstat(fd, &st) < 0)
		return -errno;
	if (S_ISDIR(st.st_mode))
		return -EISDIR;
	if (!S_ISREG(st.st_mode))
		return -TT_ENOTREG;
	if ((uint64_t)st.st_size > max)
		return -EFBIG;
	for (;;) {
		n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			goto fail;
		}
		if (n == 0)
			break;
		if ((r = tt_buf_append(ret, chunk, (size_t)n)) < 0) {
			if (r == -E2BIG)
				r = -EFBIG;
			goto fail;
		}
	}
	if (ret->data == NULL && (r = tt_buf_append(ret, "", 0)) < 0)
		goto fail;
	return 0;
fail:
	tt_buf_free(ret);
	return r;
}

static int
check_regular(const struct stat *st)
{
	if (S_ISDIR(st->st_mode))
		return -EISDIR;
	return S_ISREG(st->st_mode) ? 0 : -TT_ENOTREG;
}

int
tt_open_regular(const struct tt_root *root, const char *path)
{
	struct stat before, after;
	int fd, r;

	fd = tt_root_open(root, path, O_PATH, 0);
	if (fd < 0)
		return fd;
	r = fstat(fd, &before) < 0 ? -errno : check_regular(&before);
	close(fd);
	if (r < 0)
		return r;
	/* O_NONBLOCK: should a FIFO be swapped in meanwhile, the open must
	 * not hang before the second check refuses it. */
	fd = tt_root_open(root, path, O_RDONLY | O_NONBLOCK | O_NOCTTY, 0);
	if (fd < 0)
		return fd;
	r = fstat(fd, &after) < 0 ? -errno : check_regular(&after);
	if (r == 0 &&
	    (after.st_dev != before.st_dev || after.st_ino != before.st_ino))
		r = -TT_ENOTREG;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int
tt_read_file(const struct tt_root *root, const char *path, size_t max,
    struct tt_buf *ret)
{
	int fd, r;

	tt_buf_init(ret, max);
	fd = tt_open_regular(root, path);
	if (fd < 0)
		return fd;
	r = tt_read_fd(fd, max, ret);
	close(fd);
	return r;
}

int
tt_write_all(int fd, const void *data, size_t len)
{
	const char *p = data;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static void
test_pause(const char *point)
{
	const char *v = getenv("TATTOO_TEST_PAUSE");

	if (v != NULL && TT_STREQ(v, point))
		(void)raise(SIGSTOP); /* a test hook: nothing to undo */
}

int
tt_atomic_write_at(int dirfd, const char *name, const void *data, size_t len,
    mode_t mode)
{
	char tmp[NAME_MAX + 1];
	int fd = -1, r, n;

	for (int attempt = 0; attempt < 100; attempt++) {
		n = snprintf(tmp, sizeof(tmp), ".%.200s.tmp%08x", name,
		    arc4random());
		if (n < 0 || (size_t)n >= sizeof(tmp))
			return -ENAMETOOLONG;
		fd = openat(dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			break;
	}
	if (fd < 0)
		return -errno;
	if ((r = tt_write_all(fd, data, len)) < 0)
		goto fail;
	if (fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		r = -errno;
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		goto fail;
	}
	fd = -1;
	test_pause("atomic-write");
	if (renameat(dirfd, tmp, dirfd, name) < 0) {
		r = -errno;
		goto fail;
	}
	/* The rename is durable only once the directory is. */
	if (fsync(dirfd) < 0 && errno != EINVAL && errno != EBADF)
		return -TT_ENOTDURABLE;
	return 0;
fail:
	if (fd >= 0)
		close(fd);
	unlinkat(dirfd, tmp, 0);
	return r;
}

int
tt_atomic_write(const struct tt_root *root, const char *path, const void *data,
    size_t len, mode_t mode)
{
	const char *name;
	int dirfd, fd, r;

	dirfd = tt_root_open_parent(root, path, &name);
	if (dirfd < 0)
		return dirfd;
	/* O_PATH descriptors cannot be fsync'ed: reopen for reading. */
	fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(dirfd);
	if (fd < 0)
		return -errno;
	r = tt_atomic_write_at(fd, name, data, len, mode);
	close(fd);
	return r;
}

int
tt_check_secure_file(int fd, const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (fstat(fd, &st) < 0) {
		int r = -errno;

		tt_seterr(err, errlen, "cannot stat '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if (st.st_uid != 0 && st.st_uid != geteuid()) {
		tt_seterr(err, errlen,
		    "'%s' is owned by uid %u, not root: "
		    "refusing to trust it",
		    path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		tt_seterr(err, errlen,
		    "'%s' is group- or world-writable "
		    "(mode %04o): refusing to trust it",
		    path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}
