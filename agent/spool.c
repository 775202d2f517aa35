#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "fileio.h"
#include "json.h"
#include "log.h"
#include "spool.h"
#include "tt.h"

int
tt_spool_open(struct tt_spool *s, const struct tt_root *root, const char *dir,
    uint64_t max_bytes)
{
	int r, fd;

	s->dirfd = -1;
	if (root == NULL ||
	    tt_root_host_path(root, dir, s->dir, sizeof(s->dir)) < 0)
		strlcpy(s->dir, dir, sizeof(s->dir));
	s->max_bytes = max_bytes;
	/* Reports name the VM and its failing rules: not for everyone. */
	if ((r = tt_root_mkdir_p(root, dir, 0700)) < 0)
		return r;
	if (root != NULL)
		fd = tt_root_open(root, dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC,
		    0);
	else if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		fd = -errno;
	if (fd < 0)
		return fd;
	s->dirfd = fd;
	return 0;
}

void
tt_spool_close(struct tt_spool *s)
{
	if (s != NULL && s->dirfd >= 0) {
		close(s->dirfd);
		s->dirfd = -1;
	}
}

static bool
is_uuid(const char *s, size_t len)
{
	if (len != 36)
		return false;
	for (size_t i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!((s[i] >= '0' && s[i] <= '9') ||
			       (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	}
	return true;
}

bool
tt_spool_name_valid(const char *name)
{
	if (strnlen(name, TT_SPOOL_NAME_LEN + 1) != TT_SPOOL_NAME_LEN)
		return false;
	for (size_t i = 0; i < 20; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return name[20] == '-' && is_uuid(name + 21, 36) &&
	    strcmp(name + 57, ".json") == 0;
}

int
tt_spool_name(int64_t created_ns, const char *report_id, char *out,
    size_t outlen)
{
	int n;

	if (created_ns < 0 || !is_uuid(report_id, strlen(report_id)))
		return -EINVAL;
	n = snprintf(out, outlen, "%020lld-%s.json", (long long)created_ns,
	    report_id);
	return n < 0 || (size_t)n >= outlen ? -ENAMETOOLONG : 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct tt_spool_entry *)a)->name,
	    ((const struct tt_spool_entry *)b)->name);
}

int
tt_spool_list(struct tt_spool *s, struct tt_spool_entry **ret, size_t *ret_n,
    uint64_t *ret_bytes)
{
	struct tt_spool_entry *v = NULL, *nv;
	size_t n = 0, cap = 0;
	uint64_t bytes = 0;
	struct dirent *de;
	DIR *d;
	int fd;

	if ((fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
	    0)
		return -errno;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) != NULL && n < TT_SPOOL_MAX_ENTRIES) {
		struct stat st;

		if (!tt_spool_name_valid(de->d_name))
			continue;
		if (fstatat(s->dirfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) <
			0 ||
		    !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			nv = reallocarray(v, cap, sizeof(*v));
			if (nv == NULL) {
				free(v);
				closedir(d);
				return -ENOMEM;
			}
			v = nv;
		}
		strlcpy(v[n].name, de->d_name, sizeof(v[n].name));
		v[n].size = (uint64_t)st.st_size;
		bytes += v[n].size;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_entry);
	*ret = v;
	*ret_n = n;
	*ret_bytes = bytes;
	return 0;
}

int
tt_spool_clean(struct tt_spool *s)
{
	struct dirent *de;
	DIR *d;
	int fd, n = 0;

	if ((fd = openat(s->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) <
	    0)
		return -errno;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	while ((de = readdir(d)) != NULL) {
		char name[TT_SPOOL_NAME_LEN + 1];
		const char *tmp;

		/* fileio.c names them ".<name>.tmp<8 hex digits>". */
		if (strncmp(de->d_name, "." TT_SPOOL_DROPPED_FILE ".tmp",
			sizeof(TT_SPOOL_DROPPED_FILE) + 4) == 0) {
			if (unlinkat(s->dirfd, de->d_name, 0) == 0)
				n++;
			continue;
		}
		if (de->d_name[0] != '.' ||
		    (tmp = strstr(de->d_name, ".json.tmp")) == NULL ||
		    (size_t)(tmp + 5 - (de->d_name + 1)) != TT_SPOOL_NAME_LEN)
			continue;
		memcpy(name, de->d_name + 1, TT_SPOOL_NAME_LEN);
		name[TT_SPOOL_NAME_LEN] = '\0';
		if (tt_spool_name_valid(name) &&
		    unlinkat(s->dirfd, de->d_name, 0) == 0)
			n++;
	}
	closedir(d);
	return n;
}

/* A file of the spool directory, a regular file only, at most max. */
static int
read_at(struct tt_spool *s, const char *name, size_t max, struct tt_buf *ret)
{
	int fd, r;

	tt_buf_init(ret, max);
	fd = openat(s->dirfd, name,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	r = tt_read_fd(fd, max, ret);
	close(fd);
	return r;
}

int
tt_spool_dropped(struct tt_spool *s, uint64_t *ret)
{
	struct tt_buf b;
	char text[32];
	const char *errstr;
	long long v;
	int r;

	*ret = 0;
	r = read_at(s, TT_SPOOL_DROPPED_FILE, sizeof(text) - 1, &b);
	if (r == -ENOENT) {
		tt_buf_free(&b);
		return r;
	}
	if (r < 0 || b.len == 0) {
		tt_buf_free(&b);
		return -EBADMSG;
	}
	memcpy(text, b.data, b.len);
	text[b.len] = '\0';
	if (text[b.len - 1] == '\n')
		text[b.len - 1] = '\0';
	tt_buf_free(&b);
	v = strtonum(text, 0, INT64_MAX, &errstr);
	if (errstr != NULL)
		return -EBADMSG;
	*ret = (uint64_t)v;
	return 0;
}

int
tt_spool_count_dropped(struct tt_spool *s, uint64_t n)
{
	uint64_t count = 0, total;
	char text[32];
	int len;

	(void)tt_spool_dropped(s, &count);
	/* tt_spool_dropped reads back at most INT64_MAX. */
	total =
	    n > (uint64_t)INT64_MAX - count ? (uint64_t)INT64_MAX : count + n;
	len = snprintf(text, sizeof(text), "%llu\n", (unsigned long long)total);
	return tt_atomic_write_at(s->dirfd, TT_SPOOL_DROPPED_FILE, text,
	    (size_t)len, 0600);
}

static int
sync_dir(struct tt_spool *s)
{
	return fsync(s->dirfd) < 0 ? -errno : 0;
}

int
tt_spool_remove(struct tt_spool *s, const char *name)
{
	if (!tt_spool_name_valid(name))
		return -EINVAL;
	if (unlinkat(s->dirfd, name, 0) < 0 && errno != ENOENT)
		return -errno;
	return sync_dir(s);
}

int
tt_spool_quarantine(struct tt_spool *s, const char *name)
{
	char bad[TT_SPOOL_NAME_LEN + 8];

	if (!tt_spool_name_valid(name))
		return -EINVAL;
	snprintf(bad, sizeof(bad), "%s.bad", name);
	if (renameat(s->dirfd, name, s->dirfd, bad) < 0)
		return -errno;
	return sync_dir(s);
}

int
tt_spool_put(struct tt_spool *s, const char *name, const void *data, size_t len,
    uint64_t *ret_dropped)
{
	struct tt_spool_entry *v = NULL;
	size_t n = 0, i, k = 0;
	uint64_t bytes = 0;
	int r;

	*ret_dropped = 0;
	if (!tt_spool_name_valid(name))
		return -EINVAL;
	if ((uint64_t)len > s->max_bytes)
		return -EFBIG;
	if ((r = tt_spool_list(s, &v, &n, &bytes)) < 0)
		return r;
	/* Oldest first: the newest state of the VM matters most, and the
	 * count of what was dropped travels in every later report. */
	while (k < n && bytes + len > s->max_bytes)
		bytes -= v[k++].size;
	/* A count on disk but perhaps not yet durable still counts. */
	if (k > 0 && (r = tt_spool_count_dropped(s, k)) < 0 &&
	    r != -TT_ENOTDURABLE)
		goto out;
	for (i = 0; i < k; i++) {
		if (unlinkat(s->dirfd, v[i].name, 0) < 0 && errno != ENOENT) {
			r = -errno;
			goto out;
		}
		(*ret_dropped)++;
	}
	r = tt_atomic_write_at(s->dirfd, name, data, len, 0600);
out:
	free(v);
	return r;
}

int
tt_spool_read(struct tt_spool *s, const char *name, struct tt_buf *ret)
{
	if (!tt_spool_name_valid(name)) {
		tt_buf_init(ret, TT_SPOOL_MAX_REPORT);
		return -EINVAL;
	}
	return read_at(s, name, TT_SPOOL_MAX_REPORT, ret);
}

int
tt_spool_parse(const char *name, const char *data, size_t len,
    json_object **ret, char *err, size_t errlen)
{
	json_object *obj, *id;
	char why[256];

	obj = tt_json_parse(data, len, why, sizeof(why));
	if (obj == NULL) {
		tt_seterr(err, errlen, "not JSON: %s", why);
		return -EBADMSG;
	}
	if (!json_object_is_type(obj, json_type_object) ||
	    !json_object_object_get_ex(obj, "report_id", &id) ||
	    !json_object_is_type(id, json_type_string)) {
		tt_seterr(err, errlen, "not a report (no report_id)");
		json_object_put(obj);
		return -EBADMSG;
	}
	if (name != NULL &&
	    (strlen(name) < 57 ||
		strncmp(name + 21, json_object_get_string(id), 36) != 0 ||
		json_object_get_string_len(id) != 36)) {
		tt_seterr(err, errlen,
		    "its report_id does not match its file name");
		json_object_put(obj);
		return -EBADMSG;
	}
	*ret = obj;
	return 0;
}
