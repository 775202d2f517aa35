#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "canon.h"
#include "crypto.h"
#include "fileio.h"
#include "journal.h"
#include "timeutil.h"
#include "tt.h"

#define ENTRY_MAX ((size_t)64 * 1024)

static int
open_dir_rw(const struct tt_root *root, const char *path)
{
	int fd = tt_root_open(root, path, O_RDONLY | O_DIRECTORY, 0);

	return fd;
}

static int
write_json_at(int dirfd, const char *name, json_object *obj)
{
	const char *text = json_object_to_json_string_ext(obj,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (text == NULL)
		return -ENOMEM;
	return tt_atomic_write_at(dirfd, name, text, strlen(text), 0600);
}

static int
set_status(struct tt_journal *j, const char *command, const char *status)
{
	char now[TT_RFC3339_LEN];
	json_object *run = NULL;
	struct tt_buf text;
	int fd, r;

	fd = openat(j->dirfd, "run.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		char why[128];

		if (tt_read_fd(fd, ENTRY_MAX, &text) == 0) {
			run = tt_json_parse(text.data, text.len, why,
			    sizeof(why));
			tt_buf_free(&text);
		}
		close(fd);
	}
	if (run == NULL) {
		run = json_object_new_object();
		if (run == NULL)
			return -ENOMEM;
		tt_rfc3339_format(time(NULL), now);
		json_object_object_add(run, "schema", json_object_new_int(1));
		json_object_object_add(run, "run",
		    json_object_new_string(j->run));
		json_object_object_add(run, "command",
		    json_object_new_string(command ? command : ""));
		json_object_object_add(run, "started",
		    json_object_new_string(now));
	}
	json_object_object_add(run, "status", json_object_new_string(status));
	if (j->no_bytes)
		json_object_object_add(run, "bytes",
		    json_object_new_boolean(false));
	r = write_json_at(j->dirfd, "run.json", run);
	json_object_put(run);
	return r;
}

int
tt_journal_begin(struct tt_journal *j, const struct tt_root *state_root,
    const char *state_dir, const struct tt_root *image, const char *command,
    char *err, size_t errlen)
{
	char base[PATH_MAX], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int r;

	memset(j, 0, sizeof(*j));
	j->dirfd = -1;
	j->image = image;
	gmtime_r(&now, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(j->run, sizeof(j->run), "%s-%06x", stamp,
	    arc4random() & 0xffffff);
	if ((size_t)snprintf(j->dir, sizeof(j->dir), "%s/%s/%s", state_dir,
		TT_JOURNAL_DIR, j->run) >= sizeof(j->dir) ||
	    (size_t)snprintf(base, sizeof(base), "%s/%s", state_dir,
		TT_JOURNAL_DIR) >= sizeof(base)) {
		snprintf(err, errlen, "state directory path too long");
		return -ENAMETOOLONG;
	}
	/* Parents the image lacks get ordinary modes; only the journal,
	 * which holds copies of secrets such as /etc/shadow, is private. */
	if ((r = tt_root_mkdir_p(state_root, state_dir, 0755)) < 0 ||
	    (r = tt_root_mkdir_p(state_root, base, 0700)) < 0 ||
	    (r = tt_root_mkdir_p(state_root, j->dir, 0700)) < 0) {
		snprintf(err, errlen, "cannot create journal '%s': %s", j->dir,
		    tt_strerror(r));
		return r;
	}
	j->dirfd = open_dir_rw(state_root, j->dir);
	if (j->dirfd < 0) {
		r = j->dirfd;
		snprintf(err, errlen, "cannot open journal '%s': %s", j->dir,
		    tt_strerror(r));
		return r;
	}
	if ((r = set_status(j, command, "running")) < 0) {
		snprintf(err, errlen, "cannot write journal '%s': %s", j->dir,
		    tt_strerror(r));
		close(j->dirfd);
		j->dirfd = -1;
	}
	return r;
}

static const char *
type_name(mode_t m)
{
	if (S_ISREG(m))
		return "file";
	if (S_ISDIR(m))
		return "dir";
	if (S_ISLNK(m))
		return "link";
	if (S_ISFIFO(m))
		return "fifo"; /* scrub --apply empties /tmp */
	return "other";
}

static json_object *
timespec_json(const struct timespec *ts)
{
	json_object *a = json_object_new_array();

	json_object_array_add(a, json_object_new_int64(ts->tv_sec));
	json_object_array_add(a, json_object_new_int64(ts->tv_nsec));
	return a;
}

int
tt_journal_keep_no_bytes(struct tt_journal *j)
{
	if (j->dirfd < 0)
		return -EBADF;
	j->no_bytes = true;
	return set_status(j, NULL, "running");
}

/* One entry for path as it is now. */
static int
record_one(struct tt_journal *j, const char *path, const char *rule,
    const char *change, char *err, size_t errlen)
{
	char name[32], data[32], target[PATH_MAX];
	json_object *e;
	struct stat st;
	int r;

	if (j->dirfd < 0)
		return -EBADF;
	j->seq++;
	snprintf(name, sizeof(name), "%06u.json", j->seq);
	snprintf(data, sizeof(data), "%06u.data", j->seq);
	r = tt_root_stat(j->image, path, &st, false);
	if (r < 0 && r != -ENOENT) {
		snprintf(err, errlen, "cannot record '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((e = json_object_new_object()) == NULL)
		return -ENOMEM;
	json_object_object_add(e, "seq", json_object_new_int64(j->seq));
	json_object_object_add(e, "path", json_object_new_string(path));
	json_object_object_add(e, "existed", json_object_new_boolean(r == 0));
	json_object_object_add(e, "rule",
	    json_object_new_string(rule ? rule : ""));
	json_object_object_add(e, "change",
	    json_object_new_string(change ? change : ""));
	if (r == 0) {
		json_object_object_add(e, "type",
		    json_object_new_string(type_name(st.st_mode)));
		json_object_object_add(e, "mode",
		    json_object_new_int((int)(st.st_mode & 07777)));
		json_object_object_add(e, "uid",
		    json_object_new_int64(st.st_uid));
		json_object_object_add(e, "gid",
		    json_object_new_int64(st.st_gid));
		json_object_object_add(e, "atime", timespec_json(&st.st_atim));
		json_object_object_add(e, "mtime", timespec_json(&st.st_mtim));
	}
	if (r == 0 && S_ISLNK(st.st_mode)) {
		const char *lname;
		int dfd = tt_root_open_parent(j->image, path, &lname);
		ssize_t n = -1;

		if (dfd >= 0) {
			n = readlinkat(dfd, lname, target, sizeof(target) - 1);
			close(dfd);
		}
		if (n < 0) {
			json_object_put(e);
			snprintf(err, errlen, "cannot read link '%s'", path);
			return -EIO;
		}
		target[n] = '\0';
		json_object_object_add(e, "target",
		    json_object_new_string(target));
	}
	if (r == 0 && S_ISREG(st.st_mode)) {
		struct tt_buf bytes;
		uint8_t sum[TT_SHA256_LEN];
		char hex[2 * TT_SHA256_LEN + 1];

		json_object_object_add(e, "size",
		    json_object_new_int64((int64_t)st.st_size));
		r = tt_read_file(j->image, path, TT_JOURNAL_MAX_FILE, &bytes);
		if (j->no_bytes && r == -EFBIG) {
			/* Too big to digest within the limit: size only. */
			r = write_json_at(j->dirfd, name, e);
			json_object_put(e);
			if (r < 0)
				snprintf(err, errlen,
				    "cannot write journal entry for '%s': %s",
				    path, tt_strerror(r));
			return r;
		}
		if (r == 0 && !j->no_bytes)
			r = tt_atomic_write_at(j->dirfd, data, bytes.data,
			    bytes.len, 0600);
		if (r < 0) {
			tt_buf_free(&bytes);
			json_object_put(e);
			snprintf(err, errlen,
			    "cannot save '%s' in the journal: "
			    "%s",
			    path, tt_strerror(r));
			return r;
		}
		tt_sha256(bytes.data, bytes.len, sum);
		tt_hex(sum, sizeof(sum), hex);
		tt_buf_free_secret(&bytes);
		if (!j->no_bytes)
			json_object_object_add(e, "data",
			    json_object_new_string(data));
		json_object_object_add(e, "sha256",
		    json_object_new_string(hex));
	}
	r = write_json_at(j->dirfd, name, e);
	json_object_put(e);
	if (r < 0)
		snprintf(err, errlen, "cannot write journal entry for '%s': %s",
		    path, tt_strerror(r));
	return r;
}

int
tt_journal_record(struct tt_journal *j, const char *path, const char *rule,
    const char *change, char *err, size_t errlen)
{
	char prefix[PATH_MAX];
	struct stat st;
	size_t len = strlen(path);
	int r;

	if (len >= sizeof(prefix))
		return -ENAMETOOLONG;
	/* Ancestors that do not exist yet will be created by the change. */
	for (size_t i = 1; i < len; i++) {
		if (path[i] != '/')
			continue;
		memcpy(prefix, path, i);
		prefix[i] = '\0';
		if (tt_root_stat(j->image, prefix, &st, true) == -ENOENT &&
		    (r = record_one(j, prefix, rule, "mkdir", err, errlen)) < 0)
			return r;
	}
	return record_one(j, path, rule, change, err, errlen);
}

int
tt_journal_note(struct tt_journal *j, const char *kind, const char *what,
    const char *detail, const char *rule, char *err, size_t errlen)
{
	char name[32];
	json_object *e;
	int r;

	if (j->dirfd < 0)
		return -EBADF;
	j->seq++;
	snprintf(name, sizeof(name), "%06u.json", j->seq);
	if ((e = json_object_new_object()) == NULL)
		return -ENOMEM;
	json_object_object_add(e, "seq", json_object_new_int64(j->seq));
	json_object_object_add(e, "note", json_object_new_string(kind));
	json_object_object_add(e, "what", json_object_new_string(what));
	json_object_object_add(e, "detail",
	    json_object_new_string(detail ? detail : ""));
	json_object_object_add(e, "rule",
	    json_object_new_string(rule ? rule : ""));
	r = write_json_at(j->dirfd, name, e);
	json_object_put(e);
	if (r < 0)
		snprintf(err, errlen, "cannot write journal note: %s",
		    tt_strerror(r));
	return r;
}

int
tt_journal_finish(struct tt_journal *j, const char *status)
{
	int r;

	if (j == NULL || j->dirfd < 0)
		return 0;
	r = set_status(j, NULL, status);
	close(j->dirfd);
	j->dirfd = -1;
	return r;
}

/* --- rollback ------------------------------------------------------ */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dirfd ending with suffix. */
static int
list_names(int dirfd, const char *suffix, char ***ret, size_t *ret_n)
{
	size_t n = 0, cap = 0, sl = strlen(suffix);
	char **v = NULL;
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d;

	if (fd < 0)
		return -errno;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= sl ||
		    strcmp(de->d_name + l - sl, suffix) != 0)
			continue;
		if (n == cap) {
			char **nv =
			    reallocarray(v, cap ? cap * 2 : 64, sizeof(*nv));
			if (nv == NULL)
				goto nomem;
			v = nv;
			cap = cap ? cap * 2 : 64;
		}
		if ((v[n] = strdup(de->d_name)) == NULL)
			goto nomem;
		n++;
	}
	closedir(d);
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_names);
	*ret = v;
	*ret_n = n;
	return 0;
nomem:
	closedir(d);
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	return -ENOMEM;
}

static void
free_names(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static json_object *
read_json_at(int dirfd, const char *name)
{
	struct tt_buf text;
	json_object *obj;
	char why[128];
	int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (tt_read_fd(fd, ENTRY_MAX, &text) < 0) {
		close(fd);
		return NULL;
	}
	close(fd);
	obj = tt_json_parse(text.data, text.len, why, sizeof(why));
	tt_buf_free(&text);
	return obj;
}

static const char *
jstr(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* run.json says the run kept no bytes (tt_journal_keep_no_bytes). */
static bool
no_bytes(json_object *run)
{
	json_object *v;

	return json_object_object_get_ex(run, "bytes", &v) &&
	    json_object_is_type(v, json_type_boolean) &&
	    !json_object_get_boolean(v);
}

static long long
jint(json_object *o, const char *k, long long def)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_int))
		return def;
	return json_object_get_int64(v);
}

static void
jtime(json_object *o, const char *k, struct timespec *ts)
{
	json_object *v;

	ts->tv_sec = 0;
	ts->tv_nsec = UTIME_OMIT;
	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2)
		return;
	ts->tv_sec = json_object_get_int64(json_object_array_get_idx(v, 0));
	ts->tv_nsec = json_object_get_int64(json_object_array_get_idx(v, 1));
}

/* Gives path its recorded mode, owner and times, through an O_PATH
 * descriptor so that nothing is followed out of the root. */
static int
restore_meta(int dfd, const char *name, json_object *e, bool is_link)
{
	struct timespec times[2];
	char proc[64];
	int fd, r = 0;

	fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fchownat(fd, "", (uid_t)jint(e, "uid", 0), (gid_t)jint(e, "gid", 0),
		AT_EMPTY_PATH) < 0)
		r = -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	if (r == 0 && !is_link &&
	    chmod(proc, (mode_t)jint(e, "mode", 0600)) < 0)
		r = -errno;
	jtime(e, "atime", &times[0]);
	jtime(e, "mtime", &times[1]);
	if (r == 0 && utimensat(dfd, name, times, AT_SYMLINK_NOFOLLOW) < 0)
		r = -errno;
	close(fd);
	return r;
}

/*
 * A change killed inside its atomic write leaves the temporary file
 * (".NAME.tmpXXXXXXXX", or ".NAME.tattoo-link" for a link) beside NAME:
 * it is part of what the run did, so rollback removes it.
 */
static void
remove_temps(int dfd, const char *name)
{
	char prefix[NAME_MAX + 8], link[NAME_MAX + 16];
	struct dirent *de;
	size_t pl;
	int fd = dup(dfd);
	DIR *d;

	if (fd < 0)
		return;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	pl = (size_t)snprintf(prefix, sizeof(prefix), ".%.200s.tmp", name);
	snprintf(link, sizeof(link), ".%.200s.tattoo-link", name);
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if ((l == pl + 8 && strncmp(de->d_name, prefix, pl) == 0 &&
			strspn(de->d_name + pl, "0123456789abcdef") == 8) ||
		    TT_STREQ(de->d_name, link))
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

static int
undo_entry(const struct tt_root *image, int rundir, json_object *e,
    struct tt_rollback_stats *stats, char *err, size_t errlen)
{
	const char *path = jstr(e, "path"), *type = jstr(e, "type"), *name;
	json_object *existed;
	int dfd, fd, r = 0;

	if (path == NULL || !json_object_object_get_ex(e, "existed", &existed))
		return -EBADMSG;
	dfd = tt_root_open_parent(image, path, &name);
	if (dfd < 0)
		return dfd == -ENOENT && !json_object_get_boolean(existed) ?
		    0 :
		    dfd;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(dfd);
	if (fd < 0)
		return -errno;
	dfd = fd;
	remove_temps(dfd, name);
	if (!json_object_get_boolean(existed)) {
		struct stat st;

		if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
			if (unlinkat(dfd, name,
				S_ISDIR(st.st_mode) ? AT_REMOVEDIR : 0) < 0)
				r = -errno;
			else
				stats->removed++;
		}
		goto out;
	}
	if (type != NULL && TT_STREQ(type, "file")) {
		const char *data = jstr(e, "data");
		struct tt_buf bytes;

		fd = data ?
		    openat(rundir, data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) :
		    -1;
		if (fd < 0) {
			r = -ENOENT;
			snprintf(err, errlen, "journal data of '%s' is missing",
			    path);
			goto out;
		}
		r = tt_read_fd(fd, TT_JOURNAL_MAX_FILE, &bytes);
		close(fd);
		if (r == 0) {
			r = tt_atomic_write_at(dfd, name, bytes.data, bytes.len,
			    (mode_t)jint(e, "mode", 0600));
			tt_buf_free_secret(&bytes);
		}
		if (r == 0)
			r = restore_meta(dfd, name, e, false);
	} else if (type != NULL && TT_STREQ(type, "link")) {
		const char *target = jstr(e, "target");
		char tmp[NAME_MAX + 1];

		snprintf(tmp, sizeof(tmp), ".%.200s.tattoo-undo", name);
		unlinkat(dfd, tmp, 0);
		if (target == NULL)
			r = -EBADMSG;
		else if (symlinkat(target, dfd, tmp) < 0 ||
		    renameat(dfd, tmp, dfd, name) < 0)
			r = -errno;
		if (r == 0)
			r = restore_meta(dfd, name, e, true);
	} else if (type != NULL && TT_STREQ(type, "fifo")) {
		if (mkfifoat(dfd, name, 0600) < 0 && errno != EEXIST)
			r = -errno;
		if (r == 0)
			r = restore_meta(dfd, name, e, false);
	} else if (type != NULL && TT_STREQ(type, "dir")) {
		if (mkdirat(dfd, name, 0700) < 0 && errno != EEXIST)
			r = -errno;
		if (r == 0)
			r = restore_meta(dfd, name, e, false);
	} else {
		r = restore_meta(dfd, name, e, false);
	}
	if (r == 0)
		stats->restored++;
	else if (err[0] == '\0')
		snprintf(err, errlen, "cannot restore '%s': %s", path,
		    tt_strerror(r));
out:
	if (r < 0 && err[0] == '\0')
		snprintf(err, errlen, "cannot undo '%s': %s", path,
		    tt_strerror(r));
	fsync(dfd);
	close(dfd);
	return r;
}

static int
open_journal_base(const struct tt_root *state_root, const char *state_dir)
{
	char base[PATH_MAX];

	if ((size_t)snprintf(base, sizeof(base), "%s/%s", state_dir,
		TT_JOURNAL_DIR) >= sizeof(base))
		return -ENAMETOOLONG;
	return tt_root_open(state_root, base, O_RDONLY | O_DIRECTORY, 0);
}

int
tt_journal_list(const struct tt_root *state_root, const char *state_dir,
    void (*fn)(const char *run, const char *command, const char *started,
	const char *status, void *arg),
    void *arg)
{
	char **runs = NULL;
	size_t n = 0;
	int base, r;

	if ((base = open_journal_base(state_root, state_dir)) < 0)
		return base == -ENOENT ? 0 : base;
	if ((r = list_names(base, "", &runs, &n)) < 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		int rd = openat(base, runs[i],
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		json_object *run;

		if (rd < 0)
			continue;
		run = read_json_at(rd, "run.json");
		close(rd);
		if (run == NULL)
			continue;
		fn(runs[i], jstr(run, "command") ? jstr(run, "command") : "",
		    jstr(run, "started") ? jstr(run, "started") : "",
		    jstr(run, "status") ? jstr(run, "status") : "", arg);
		json_object_put(run);
	}
	r = 0;
out:
	free_names(runs, n);
	close(base);
	return r;
}

int
tt_journal_rollback(const struct tt_root *state_root, const char *state_dir,
    const struct tt_root *image, const char *run, char *ret_run,
    size_t ret_run_len, struct tt_rollback_stats *stats, char *err,
    size_t errlen)
{
	char **runs = NULL, **entries = NULL;
	size_t nruns = 0, nentries = 0;
	const char *chosen = run;
	struct tt_journal j = { .dirfd = -1 };
	json_object *meta = NULL;
	int base, rd = -1, r;

	memset(stats, 0, sizeof(*stats));
	err[0] = '\0';
	if ((base = open_journal_base(state_root, state_dir)) < 0) {
		snprintf(err, errlen, "no harden journal in '%s'", state_dir);
		return base == -ENOENT ? -ENOENT : base;
	}
	if (chosen == NULL) {
		if ((r = list_names(base, "", &runs, &nruns)) < 0)
			goto out;
		/* Newest first: the first one not rolled back yet. */
		for (size_t i = nruns; i-- > 0 && chosen == NULL;) {
			int fd = openat(base, runs[i],
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			json_object *m;

			if (fd < 0)
				continue;
			m = read_json_at(fd, "run.json");
			close(fd);
			if (m != NULL && jstr(m, "status") != NULL &&
			    !TT_STREQ(jstr(m, "status"), "rolled-back") &&
			    !no_bytes(m))
				chosen = runs[i];
			json_object_put(m);
		}
		if (chosen == NULL) {
			snprintf(err, errlen,
			    "no run to roll back in "
			    "'%s/%s'",
			    state_dir, TT_JOURNAL_DIR);
			r = -ENOENT;
			goto out;
		}
	}
	if (strchr(chosen, '/') != NULL || chosen[0] == '.') {
		snprintf(err, errlen, "'%s' is not a run id", chosen);
		r = -EINVAL;
		goto out;
	}
	rd = openat(base, chosen,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rd < 0 || (meta = read_json_at(rd, "run.json")) == NULL) {
		snprintf(err, errlen, "no run '%s' in the journal", chosen);
		r = -ENOENT;
		goto out;
	}
	strlcpy(ret_run, chosen, ret_run_len);
	if (jstr(meta, "status") &&
	    TT_STREQ(jstr(meta, "status"), "rolled-back")) {
		snprintf(err, errlen, "run '%s' was rolled back already",
		    chosen);
		r = -EALREADY;
		goto out;
	}
	if (no_bytes(meta)) {
		snprintf(err, errlen,
		    "run '%s' (%s inside the image) kept no copy of what it "
		    "removed, so that the image does not ship it: it is a "
		    "record to review, not to roll back",
		    chosen,
		    jstr(meta, "command") ? jstr(meta, "command") : "?");
		r = -EINVAL;
		goto out;
	}
	if ((r = list_names(rd, ".json", &entries, &nentries)) < 0)
		goto out;
	for (size_t i = nentries; i-- > 0;) {
		json_object *e;

		if (TT_STREQ(entries[i], "run.json"))
			continue;
		if ((e = read_json_at(rd, entries[i])) == NULL) {
			/* A torn last entry of a killed run: its change was
			 * never made. */
			continue;
		}
		if (jstr(e, "note") != NULL) {
			if (stats->notes++ == 0)
				snprintf(stats->note, sizeof(stats->note),
				    "package %s %s was removed by the run: "
				    "reinstall it with the package manager",
				    jstr(e, "what") ? jstr(e, "what") : "?",
				    jstr(e, "detail") ? jstr(e, "detail") : "");
			json_object_put(e);
			continue;
		}
		if (undo_entry(image, rd, e, stats, err, errlen) < 0)
			stats->failed++;
		json_object_put(e);
	}
	j.dirfd = rd;
	strlcpy(j.run, chosen, sizeof(j.run));
	r = set_status(&j, NULL,
	    stats->failed ? "rollback-incomplete" : "rolled-back");
	if (r == 0 && stats->failed)
		r = -EIO;
out:
	json_object_put(meta);
	free_names(runs, nruns);
	free_names(entries, nentries);
	if (rd >= 0)
		close(rd);
	close(base);
	return r;
}
