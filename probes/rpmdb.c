#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "process.h"
#include "rpmdb.h"
#include "tt.h"

#define RPM_OUTPUT_MAX ((size_t)16 * 1024 * 1024)
#define RPM_TIMEOUT_MS 60000
/* The most of an image's rpm database copied out to read it: a RHEL
 * image's is some 10-100 MiB. */
#define RPMDB_COPY_MAX ((uint64_t)1024 * 1024 * 1024)
#define RPMDB_COPY_FILES 4096

const char *
tt_rpmdb_dir(const struct tt_root *root)
{
	static const char *const dirs[] = { "/var/lib/rpm",
		"/usr/lib/sysimage/rpm" };
	struct stat st;

	for (size_t i = 0; i < TT_ARRAY_SIZE(dirs); i++)
		if (tt_root_stat(root, dirs[i], &st, true) == 0 &&
		    S_ISDIR(st.st_mode))
			return dirs[i];
	return NULL;
}

bool
tt_rpmdb_present(const struct tt_root *root)
{
	return tt_rpmdb_dir(root) != NULL;
}

static int
cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct tt_rpm_package *)a)->name,
	    ((const struct tt_rpm_package *)b)->name);
}

int
tt_rpmdb_parse(const char *text, size_t len, struct tt_rpmdb *ret)
{
	size_t pos = 0, cap = 0;

	memset(ret, 0, sizeof(*ret));
	while (pos < len) {
		const char *line = text + pos, *nl, *tab;
		size_t n;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		tab = memchr(line, '\t', n);
		/* rpm prints text: a line with a NUL byte is not one of its. */
		if (tab == NULL || tab == line || memchr(line, '\0', n) != NULL)
			continue;
		if (ret->n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct tt_rpm_package *v =
			    reallocarray(ret->v, c, sizeof(*v));
			if (v == NULL)
				goto nomem;
			ret->v = v;
			cap = c;
		}
		ret->v[ret->n].name = strndup(line, (size_t)(tab - line));
		ret->v[ret->n].evr =
		    strndup(tab + 1, (size_t)(line + n - tab - 1));
		if (ret->v[ret->n].name == NULL || ret->v[ret->n].evr == NULL) {
			free(ret->v[ret->n].name);
			free(ret->v[ret->n].evr);
			goto nomem;
		}
		/* "0:" is rpm's way of saying "no epoch". */
		if (strncmp(ret->v[ret->n].evr, "0:", 2) == 0)
			memmove(ret->v[ret->n].evr, ret->v[ret->n].evr + 2,
			    strlen(ret->v[ret->n].evr + 2) + 1);
		ret->n++;
	}
	if (ret->n > 1)
		qsort(ret->v, ret->n, sizeof(*ret->v), cmp_pkg);
	return 0;
nomem:
	tt_rpmdb_free(ret);
	return -ENOMEM;
}

/* Removes the private copy: its files (whatever rpm added: locks, a
 * sqlite journal) and, one level down, directories rpm may have made. */
static void
remove_copy(const char *dir)
{
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (dfd >= 0 && (d = fdopendir(dfd)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			if (TT_STREQ(de->d_name, ".") ||
			    TT_STREQ(de->d_name, ".."))
				continue;
			if (unlinkat(dfd, de->d_name, 0) < 0 &&
			    (errno == EISDIR || errno == EPERM)) {
				int sub = openat(dfd, de->d_name,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
				DIR *sd = sub >= 0 ? fdopendir(sub) : NULL;
				struct dirent *se;

				while (sd != NULL && (se = readdir(sd)) != NULL)
					(void)unlinkat(sub, se->d_name, 0);
				if (sd != NULL)
					closedir(sd);
				else if (sub >= 0)
					close(sub);
				(void)unlinkat(dfd, de->d_name, AT_REMOVEDIR);
			}
		}
		closedir(d);
	} else if (dfd >= 0) {
		close(dfd);
	}
	(void)rmdir(dir);
}

/* Copies one regular file of the image's database into dfd. */
static int
copy_one(const struct tt_root *root, const char *path, int dfd,
    const char *name, uint64_t *total)
{
	char buf[65536];
	int in, out, r = 0;
	ssize_t n;

	if ((in = tt_open_regular(root, path)) < 0)
		return in;
	out = openat(dfd, name,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (out < 0) {
		r = -errno;
		close(in);
		return r;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			r = -errno;
			break;
		}
		*total += (uint64_t)n;
		if (*total > RPMDB_COPY_MAX) {
			r = -EFBIG;
			break;
		}
		if ((r = tt_write_all(out, buf, (size_t)n)) < 0)
			break;
	}
	close(in);
	if (close(out) < 0 && r == 0)
		r = -errno;
	return r;
}

/*
 * Copies the image's database directory, file by file through the
 * confined reads, into the new private directory tmp.  rpm then reads the
 * copy with no --root: it opens nothing of the image, so it can neither
 * change the tree (a sqlite journal, a lock, ~/.rpmdb of the image's
 * root) nor be led out of it.  Regular files only, at most
 * RPMDB_COPY_MAX bytes in all.
 */
static int
copy_database(const struct tt_root *root, const char *dir, const char *tmp,
    char *err, size_t errlen)
{
	char path[PATH_MAX];
	uint64_t total = 0;
	unsigned nfiles = 0;
	struct dirent *de;
	struct stat st;
	int sfd, dfd, r = 0;
	DIR *d;

	sfd = tt_root_open(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (sfd < 0) {
		tt_seterr(err, errlen, "cannot open the image's %s: %s", dir,
		    tt_strerror(sfd));
		return sfd;
	}
	if ((d = fdopendir(sfd)) == NULL) {
		r = -errno;
		close(sfd);
		return r;
	}
	dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dfd < 0) {
		r = -errno;
		closedir(d);
		tt_seterr(err, errlen, "cannot open '%s': %s", tmp,
		    tt_strerror(r));
		return r;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' &&
		    (de->d_name[1] == '\0' ||
			(de->d_name[1] == '.' && de->d_name[2] == '\0')))
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			de->d_name) >= sizeof(path))
			continue;
		/* A symlink, device, FIFO or directory is no part of a
		 * database rpm wrote: not followed, not opened. */
		if (tt_root_stat(root, path, &st, false) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		/* The size said up front spares copying a gigabyte only to
		 * throw it away; copy_one counts again as it reads. */
		if ((uint64_t)st.st_size > RPMDB_COPY_MAX - total) {
			r = -EFBIG;
			tt_seterr(err, errlen,
			    "the image's rpm database %s is larger than %llu "
			    "MiB: not read",
			    dir, (unsigned long long)(RPMDB_COPY_MAX >> 20));
			break;
		}
		if (++nfiles > RPMDB_COPY_FILES) {
			r = -EFBIG;
			tt_seterr(err, errlen,
			    "the image's rpm database %s has more than %d "
			    "files",
			    dir, RPMDB_COPY_FILES);
			break;
		}
		if ((r = copy_one(root, path, dfd, de->d_name, &total)) < 0) {
			if (r == -EFBIG)
				tt_seterr(err, errlen,
				    "the image's rpm database %s is larger "
				    "than %llu MiB: not read",
				    dir,
				    (unsigned long long)(RPMDB_COPY_MAX >> 20));
			else
				tt_seterr(err, errlen,
				    "cannot copy the image's %s: %s", path,
				    tt_strerror(r));
			break;
		}
	}
	closedir(d);
	close(dfd);
	return r;
}

int
tt_rpmdb_query(const struct tt_root *root, const char *qf, struct tt_buf *out,
    char *err, size_t errlen)
{
	char qfbuf[512];
	char dbpath[PATH_MAX], tmp[PATH_MAX] = "";
	/* The database's place is given: the host's rpm may default to
	 * another one (Debian's says ~/.rpmdb).  No --root: under --root
	 * rpm reads a private copy (copy_database). */
	char *argv[] = { "rpm", "--dbpath", dbpath, "-qa", "--qf", qfbuf,
		NULL };
	struct tt_spawn_result res;
	const char *dir = tt_rpmdb_dir(root);
	const char *tmpdir = getenv("TMPDIR");
	int r;

	memset(out, 0, sizeof(*out));
	if (strlcpy(qfbuf, qf, sizeof(qfbuf)) >= sizeof(qfbuf))
		return -ENAMETOOLONG;
	if (dir == NULL) {
		tt_seterr(err, errlen, "no rpm database in the image");
		return -ENOENT;
	}
	if (tt_root_is_host(root)) {
		strlcpy(dbpath, dir, sizeof(dbpath));
	} else {
		if (tmpdir == NULL || *tmpdir != '/')
			tmpdir = "/var/tmp";
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s/tattoo-rpmdb-XXXXXX",
			tmpdir) >= sizeof(tmp))
			return -ENAMETOOLONG;
		if (mkdtemp(tmp) == NULL) {
			r = -errno;
			tt_seterr(err, errlen,
			    "cannot make a directory in %s for a copy of the "
			    "image's rpm database: %s",
			    tmpdir, tt_strerror(r));
			return r;
		}
		if ((r = copy_database(root, dir, tmp, err, errlen)) < 0) {
			remove_copy(tmp);
			return r == -EFBIG ? -EIO : r;
		}
		strlcpy(dbpath, tmp, sizeof(dbpath));
	}
	r = tt_spawn(argv, RPM_OUTPUT_MAX, RPM_TIMEOUT_MS, &res);
	if (tmp[0] != '\0')
		remove_copy(tmp);
	if (r == -ENOENT) {
		tt_seterr(err, errlen,
		    "the image has an rpm database but this "
		    "machine has no rpm program to read it");
		return r;
	}
	if (r < 0)
		return r;
	if (res.status != 0 || res.timed_out) {
		tt_seterr(err, errlen,
		    "rpm -qa of %s%s failed (status %d): %.200s",
		    tt_root_is_host(root) ? "" : root->path, dir, res.status,
		    res.err.data ? res.err.data : "");
		tt_spawn_result_free(&res);
		return -EIO;
	}
	*out = res.out;
	memset(&res.out, 0, sizeof(res.out));
	tt_spawn_result_free(&res);
	return 0;
}

int
tt_rpmdb_load(const struct tt_root *root, struct tt_rpmdb *ret, char *err,
    size_t errlen)
{
	struct tt_buf out;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = tt_rpmdb_query(root, "%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n",
	    &out, err, errlen);
	if (r < 0)
		return r;
	r = tt_rpmdb_parse(out.data ? out.data : "", out.len, ret);
	tt_buf_free(&out);
	return r;
}

const struct tt_rpm_package *
tt_rpmdb_find(const struct tt_rpmdb *db, const char *name)
{
	struct tt_rpm_package key = { .name = (char *)name };

	if (db->n == 0)
		return NULL;
	return bsearch(&key, db->v, db->n, sizeof(*db->v), cmp_pkg);
}

void
tt_rpmdb_free(struct tt_rpmdb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].name);
		free(db->v[i].evr);
	}
	TT_FREE(db->v);
	db->n = 0;
}
