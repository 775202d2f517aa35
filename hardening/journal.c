#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fileio.h"
#include "journal.h"
#include "jsonb.h"
#include "log.h"
#include "timeutil.h"
#include "tt.h"

#define ENTRY_MAX ((size_t)64 * 1024)
#define MAX_ENTRIES 999999u
/* Domain separation: a journal MAC is never valid as anything else. */
static const char mac_label[] = "tattoo-journal-v1";

/* --- the key --------------------------------------------------------- */

static int
read_key(int fd, const char *path, uint8_t key[TT_JOURNAL_KEY_LEN], char *err,
    size_t errlen)
{
	struct stat st;
	size_t got = 0;

	if (fstat(fd, &st) < 0) {
		int r = -errno;

		tt_seterr(err, errlen, "cannot stat journal key '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0600) {
		tt_seterr(err, errlen,
		    "journal key '%s' must be a regular file owned by uid %u "
		    "with mode 0600 (it is mode %04o, uid %u): refused",
		    path, (unsigned)geteuid(), (unsigned)(st.st_mode & 07777),
		    (unsigned)st.st_uid);
		return -EPERM;
	}
	if (st.st_size != TT_JOURNAL_KEY_LEN) {
		tt_seterr(err, errlen,
		    "journal key '%s' holds %lld bytes, not %d: refused", path,
		    (long long)st.st_size, TT_JOURNAL_KEY_LEN);
		return -EINVAL;
	}
	while (got < TT_JOURNAL_KEY_LEN) {
		ssize_t n =
		    pread(fd, key + got, TT_JOURNAL_KEY_LEN - got, (off_t)got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			explicit_bzero(key, TT_JOURNAL_KEY_LEN);
			tt_seterr(err, errlen, "cannot read journal key '%s'",
			    path);
			return n < 0 ? -errno : -EIO;
		}
		got += (size_t)n;
	}
	return 0;
}

/* A new key under a temporary name, linked into place only if no other
 * run made one first (link(2) never replaces): -EEXIST then. */
static int
create_key(int dfd, uint8_t key[TT_JOURNAL_KEY_LEN])
{
	char tmp[64];
	int fd, r = 0;

	snprintf(tmp, sizeof(tmp), ".%s.%08x", TT_JOURNAL_KEY, arc4random());
	fd = openat(dfd, tmp,
	    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	arc4random_buf(key, TT_JOURNAL_KEY_LEN);
	if (fchmod(fd, 0600) < 0 || fsync(fd) < 0)
		r = -errno;
	if (r == 0)
		r = tt_write_all(fd, key, TT_JOURNAL_KEY_LEN);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && linkat(dfd, tmp, dfd, TT_JOURNAL_KEY, 0) < 0)
		r = -errno;
	unlinkat(dfd, tmp, 0);
	if (r == 0 && fsync(dfd) < 0)
		r = -errno;
	if (r < 0)
		explicit_bzero(key, TT_JOURNAL_KEY_LEN);
	return r;
}

int
tt_journal_key_load(const char *state_dir, bool create,
    uint8_t key[TT_JOURNAL_KEY_LEN], char *err, size_t errlen)
{
	char path[PATH_MAX];
	int dfd, fd, r = -ENOENT;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", state_dir,
		TT_JOURNAL_KEY) >= sizeof(path)) {
		tt_seterr(err, errlen, "state directory path too long");
		return -ENAMETOOLONG;
	}
	if (create && (r = tt_root_mkdir_p(NULL, state_dir, 0755)) < 0) {
		tt_seterr(err, errlen, "cannot create state directory '%s': %s",
		    state_dir, tt_strerror(r));
		return r;
	}
	dfd = open(state_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		r = -errno;
		tt_seterr(err, errlen,
		    r == -ENOENT ? "no journal key '%s' on this host" :
				   "cannot open journal key '%s': %s",
		    path, tt_strerror(r));
		return r;
	}
	for (int attempt = 0; attempt < 3; attempt++) {
		fd = openat(dfd, TT_JOURNAL_KEY,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			r = read_key(fd, path, key, err, errlen);
			close(fd);
			break;
		}
		r = -errno;
		if (r == -ELOOP) {
			tt_seterr(err, errlen,
			    "journal key '%s' is a symbolic link: refused",
			    path);
			r = -EPERM;
			break;
		}
		if (r != -ENOENT || !create) {
			tt_seterr(err, errlen,
			    r == -ENOENT ? "no journal key '%s' on this host" :
					   "cannot open journal key '%s': %s",
			    path, tt_strerror(r));
			break;
		}
		if ((r = create_key(dfd, key)) != -EEXIST) {
			if (r < 0)
				tt_seterr(err, errlen,
				    "cannot create journal key '%s': %s", path,
				    tt_strerror(r));
			break;
		}
	}
	if (r == -EEXIST)
		/* Created and removed under us three times. */
		tt_seterr(err, errlen, "cannot open journal key '%s': %s", path,
		    tt_strerror(r));
	close(dfd);
	return r;
}

/* --- MACs ------------------------------------------------------------ */

int
tt_journal_mac(const uint8_t key[TT_JOURNAL_KEY_LEN], json_object *obj,
    char hex[TT_JOURNAL_MAC_HEX + 1])
{
	unsigned char out[EVP_MAX_MD_SIZE];
	unsigned int outlen = 0;
	json_object *mac = NULL;
	struct tt_buf b;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return -EINVAL;
	if (json_object_object_get_ex(obj, "mac", &mac)) {
		json_object_get(mac);
		json_object_object_del(obj, "mac");
	}
	tt_buf_init(&b, 4 * ENTRY_MAX);
	r = tt_buf_append(&b, mac_label, sizeof(mac_label));
	if (r == 0)
		r = tt_canon_json(obj, &b);
	if (mac != NULL)
		json_object_object_add(obj, "mac", mac);
	if (r == 0 &&
	    HMAC(EVP_sha256(), key, TT_JOURNAL_KEY_LEN,
		(const unsigned char *)b.data, b.len, out, &outlen) == NULL)
		r = -EIO;
	tt_buf_free(&b);
	if (r < 0)
		return r;
	tt_hex(out, 32, hex);
	explicit_bzero(out, sizeof(out));
	return 0;
}

/* 0 when obj carries a MAC that verifies; -ENOMSG without one; -EBADMSG
 * for a wrong one. */
static int
verify_mac(const uint8_t *key, json_object *obj)
{
	char want[TT_JOURNAL_MAC_HEX + 1];
	json_object *v;

	if (!json_object_object_get_ex(obj, "mac", &v))
		return -ENOMSG;
	if (!json_object_is_type(v, json_type_string) ||
	    (size_t)json_object_get_string_len(v) != TT_JOURNAL_MAC_HEX ||
	    tt_journal_mac(key, obj, want) < 0)
		return -EBADMSG;
	return CRYPTO_memcmp(want, json_object_get_string(v),
		   TT_JOURNAL_MAC_HEX) == 0 ?
	    0 :
	    -EBADMSG;
}

static int
add_mac(const uint8_t *key, json_object *obj)
{
	char hex[TT_JOURNAL_MAC_HEX + 1];
	int r;

	json_object_object_del(obj, "mac");
	if (key == NULL)
		return 0;
	if ((r = tt_journal_mac(key, obj, hex)) < 0)
		return r;
	r = 0;
	return tt_jsonb_str(obj, "mac", hex, &r);
}

/* --- checking what was read ------------------------------------------ */

static const char *
jstr(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_string) ||
	    strlen(json_object_get_string(v)) !=
		(size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

static bool
jint_range(json_object *o, const char *k, long long lo, long long hi,
    long long *ret)
{
	json_object *v;
	long long n;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_int))
		return false;
	errno = 0;
	n = json_object_get_int64(v);
	if (errno != 0 || n < lo || n > hi)
		return false;
	if (ret != NULL)
		*ret = n;
	return true;
}

static long long
jint(json_object *o, const char *k, long long def)
{
	long long n;

	return jint_range(o, k, LLONG_MIN, LLONG_MAX, &n) ? n : def;
}

static bool
jbool(json_object *o, const char *k, bool *ret)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_boolean))
		return false;
	*ret = json_object_get_boolean(v);
	return true;
}

/* [sec, nsec] as stat(2) gives it. */
static bool
jtime(json_object *o, const char *k, struct timespec *ts)
{
	json_object *v, *s, *ns;

	if (!json_object_object_get_ex(o, k, &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) != 2)
		return false;
	s = json_object_array_get_idx(v, 0);
	ns = json_object_array_get_idx(v, 1);
	if (!json_object_is_type(s, json_type_int) ||
	    !json_object_is_type(ns, json_type_int))
		return false;
	ts->tv_sec = (time_t)json_object_get_int64(s);
	ts->tv_nsec = (long)json_object_get_int64(ns);
	return json_object_get_int64(ns) >= 0 &&
	    json_object_get_int64(ns) <= 999999999;
}

/* An absolute path of plain components: no "..", ".", empty ones or
 * trailing slash, each within NAME_MAX; "/" itself is not a path to
 * restore. */
static bool
path_ok(const char *p)
{
	size_t len;

	if (p == NULL || p[0] != '/' || (len = strlen(p)) >= PATH_MAX)
		return false;
	for (const char *s = p + 1;;) {
		const char *e = strchr(s, '/');
		size_t n = e ? (size_t)(e - s) : strlen(s);

		if (n == 0 || n > NAME_MAX || (n == 1 && s[0] == '.') ||
		    (n == 2 && s[0] == '.' && s[1] == '.'))
			return false;
		if (e == NULL)
			return true;
		s = e + 1;
	}
}

static bool
hex64(const char *s)
{
	return s != NULL && strlen(s) == 64 &&
	    strspn(s, "0123456789abcdef") == 64;
}

#define BAD(...)                                                               \
	do {                                                                   \
		tt_seterr(err, errlen, __VA_ARGS__);                           \
		return -EBADMSG;                                               \
	} while (0)

int
tt_journal_check_entry(json_object *e, const char *run, unsigned seq,
    bool bytes, char *err, size_t errlen)
{
	const char *path, *type, *s;
	long long n;
	bool existed;
	struct timespec ts;

	if (!json_object_is_type(e, json_type_object))
		BAD("not a JSON object");
	if ((s = jstr(e, "run")) == NULL || !TT_STREQ(s, run))
		BAD("'run' is not this run's id '%s'", run);
	if (!jint_range(e, "seq", 1, MAX_ENTRIES, &n) || n != (long long)seq)
		BAD("'seq' is not %u, the file's number", seq);
	if (json_object_object_get_ex(e, "note", NULL)) {
		if (jstr(e, "note") == NULL || jstr(e, "what") == NULL)
			BAD("a note needs the strings 'note' and 'what'");
		return 0;
	}
	if (!path_ok(path = jstr(e, "path")))
		BAD("'path' must be an absolute path without '..', '.' or "
		    "empty components");
	if (!jbool(e, "existed", &existed))
		BAD("'existed' must be true or false");
	if (!existed)
		return 0;
	type = jstr(e, "type");
	if (type == NULL ||
	    (!TT_STREQ(type, "file") && !TT_STREQ(type, "dir") &&
		!TT_STREQ(type, "link") && !TT_STREQ(type, "fifo")))
		BAD("'type' must be file, dir, link or fifo");
	if (!jint_range(e, "mode", 0, 07777, NULL))
		BAD("'mode' must be a number from 0 to 07777");
	if (!jint_range(e, "uid", 0, 0xfffffffeLL, NULL))
		BAD("'uid' must be a number from 0 to 4294967294");
	if (!jint_range(e, "gid", 0, 0xfffffffeLL, NULL))
		BAD("'gid' must be a number from 0 to 4294967294");
	if (!jtime(e, "atime", &ts) || !jtime(e, "mtime", &ts))
		BAD("'atime' and 'mtime' must be [seconds, nanoseconds]");
	if (TT_STREQ(type, "link")) {
		s = jstr(e, "target");
		if (s == NULL || s[0] == '\0' || strlen(s) >= PATH_MAX)
			BAD("'target' must be the link's target");
	}
	if (json_object_object_get_ex(e, "sealed", NULL)) {
		/* Its bytes were dropped (tt_journal_seal): the digest
		 * stays, the copy is gone for good. */
		if (!TT_STREQ(type, "file") || jstr(e, "sealed") == NULL ||
		    jstr(e, "sealed")[0] == '\0')
			BAD("'sealed' must be a reason, on a file");
		if (json_object_object_get_ex(e, "data", NULL))
			BAD("'data' on a sealed entry");
		if (!hex64(jstr(e, "sha256")))
			BAD("'sha256' must be 64 hex digits");
		return 0;
	}
	if (TT_STREQ(type, "file")) {
		char want[32];

		snprintf(want, sizeof(want), "%06u.data", seq);
		s = jstr(e, "data");
		if (bytes && (s == NULL || !TT_STREQ(s, want)))
			BAD("'data' must be '%s'", want);
		if (!bytes && json_object_object_get_ex(e, "data", NULL))
			BAD("'data' in a run that kept no bytes");
		if (bytes && !hex64(jstr(e, "sha256")))
			BAD("'sha256' must be 64 hex digits");
	} else if (json_object_object_get_ex(e, "data", NULL)) {
		BAD("'data' on a %s", type);
	}
	return 0;
}

/* --- writing --------------------------------------------------------- */

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
write_run(struct tt_journal *j)
{
	int r;

	if ((r = add_mac(j->have_key ? j->key : NULL, j->meta)) < 0)
		return r;
	return write_json_at(j->dirfd, "run.json", j->meta);
}

static int
set_status(struct tt_journal *j, const char *status)
{
	int r = 0;

	tt_jsonb_str(j->meta, "status", status, &r);
	if (j->no_bytes)
		tt_jsonb_bool(j->meta, "bytes", false, &r);
	if (r < 0)
		return r;
	return write_run(j);
}

/* jerr: the sticky error of the adds that built e (jsonb.h), checked here
 * so that an entry missing a member is never written and MACed. */
static int
write_entry(struct tt_journal *j, const char *name, json_object *e, int jerr)
{
	int r;

	if (tt_jsonb_str(e, "run", j->run, &jerr) < 0)
		return jerr;
	if ((r = add_mac(j->have_key ? j->key : NULL, e)) < 0)
		return r;
	return write_json_at(j->dirfd, name, e);
}

/* A file system object's identity for "never cross a mount": st_dev and,
 * where the kernel says it (5.8+), the mount id, which also tells a bind
 * mount of a directory of the same file system apart. */
struct fsid {
	mode_t mode;
	dev_t dev;
	uint64_t mnt;
	bool has_mnt;
};

static int
fsid_at(int dfd, const char *name, int flags, struct fsid *ret)
{
	struct statx stx;

	if (statx(dfd, name, flags | AT_STATX_SYNC_AS_STAT,
		STATX_TYPE | STATX_MODE | STATX_MNT_ID, &stx) < 0)
		return -errno;
	ret->mode = stx.stx_mode;
	ret->dev = makedev(stx.stx_dev_major, stx.stx_dev_minor);
	ret->has_mnt = (stx.stx_mask & STATX_MNT_ID) != 0;
	ret->mnt = stx.stx_mnt_id;
	return 0;
}

static bool
same_fs(const struct fsid *a, const struct fsid *b)
{
	return a->dev == b->dev &&
	    (!a->has_mnt || !b->has_mnt || a->mnt == b->mnt);
}

/* The journal directory of an image must lie on the image's own mount:
 * a link to a bind-mounted /dev/shm of the host is not a journal. */
static int
check_on_root(const struct tt_root *jroot, int fd)
{
	struct fsid a, b;

	if (jroot == NULL)
		return 0;
	if (fsid_at(jroot->fd, "", AT_EMPTY_PATH, &a) < 0 ||
	    fsid_at(fd, "", AT_EMPTY_PATH, &b) < 0)
		return -EIO;
	return same_fs(&a, &b) ? 0 : -EXDEV;
}

static bool
run_id_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n < 64 &&
	    strspn(s,
		"0123456789abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ-") == n;
}

struct run_info {
	char name[64];
	char problem[512];
	json_object *meta; /* run.json, verified */
	time_t started;
	long long seq;
	long long entries; /* -1: not finished */
	bool bytes;
	bool mac; /* run.json carries a MAC that verified */
};

static int load_run(int base, const char *name, const uint8_t *key,
    bool need_mac, const char *where, struct run_info *ri);
static int list_names(int dirfd, char ***ret, size_t *ret_n);
static void free_names(char **v, size_t n);

/* One more than the largest seq of the authenticated runs in base. */
static long long
next_seq(int base, const struct tt_journal *j, bool need_mac)
{
	char **names = NULL;
	size_t n = 0;
	long long max = 0;

	if (list_names(base, &names, &n) < 0)
		return 1;
	for (size_t i = 0; i < n; i++) {
		struct run_info ri;

		if (load_run(base, names[i], j->have_key ? j->key : NULL,
			need_mac, "", &ri) == 0 &&
		    ri.seq > max)
			max = ri.seq;
		json_object_put(ri.meta);
	}
	free_names(names, n);
	return max + 1;
}

int
tt_journal_begin(struct tt_journal *j, const struct tt_root *jroot,
    const char *journal_dir, const char *state_dir, const struct tt_root *image,
    const char *command, char *err, size_t errlen)
{
	char parent[PATH_MAX], stamp[32], now_s[TT_RFC3339_LEN];
	struct tm tm;
	time_t now = time(NULL);
	char *slash;
	int base = -1, r;

	memset(j, 0, sizeof(*j));
	j->dirfd = -1;
	j->image = image;
	gmtime_r(&now, &tm);
	(void)strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
	snprintf(j->run, sizeof(j->run), "%s-%06x", stamp,
	    arc4random() & 0xffffff);
	if ((size_t)snprintf(j->dir, sizeof(j->dir), "%s/%s", journal_dir,
		j->run) >= sizeof(j->dir) ||
	    strlcpy(parent, journal_dir, sizeof(parent)) >= sizeof(parent)) {
		tt_seterr(err, errlen, "journal path too long");
		return -ENAMETOOLONG;
	}
	if ((r = tt_journal_key_load(state_dir, true, j->key, err, errlen)) < 0)
		return r;
	j->have_key = true;
	/* Parents the image lacks get ordinary modes; only the journal,
	 * which holds copies of secrets such as /etc/shadow, is private. */
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent)
		*slash = '\0';
	if ((slash != NULL && slash != parent &&
		(r = tt_root_mkdir_p(jroot, parent, 0755)) < 0) ||
	    (r = tt_root_mkdir_p(jroot, journal_dir, 0700)) < 0 ||
	    (base = tt_root_open(jroot, journal_dir, O_RDONLY | O_DIRECTORY,
		 0)) < 0 ||
	    (r = check_on_root(jroot, base)) < 0 ||
	    (r = mkdirat(base, j->run, 0700) < 0 ? -errno : 0) < 0 ||
	    (j->dirfd = openat(base, j->run,
		 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
		if (base < 0 && r == 0)
			r = base;
		else if (r == 0)
			r = -errno;
		tt_seterr(err, errlen, "cannot create journal '%s': %s", j->dir,
		    r == -EXDEV ? "it is on another file system than the root" :
				  tt_strerror(r));
		goto fail;
	}
	if ((j->meta = json_object_new_object()) == NULL) {
		r = -ENOMEM;
		tt_seterr(err, errlen, "cannot write journal '%s': %s", j->dir,
		    tt_strerror(r));
		goto fail;
	}
	tt_rfc3339_format(now, now_s);
	r = 0;
	tt_jsonb_int(j->meta, "schema", 2, &r);
	tt_jsonb_str(j->meta, "run", j->run, &r);
	tt_jsonb_str(j->meta, "command", command ? command : "", &r);
	tt_jsonb_str(j->meta, "started", now_s, &r);
	tt_jsonb_int(j->meta, "seq", next_seq(base, j, jroot != NULL), &r);
	if (r < 0 || (r = set_status(j, "running")) < 0) {
		tt_seterr(err, errlen, "cannot write journal '%s': %s", j->dir,
		    tt_strerror(r));
		goto fail;
	}
	close(base);
	return 0;
fail:
	if (j->dirfd >= 0)
		close(j->dirfd);
	/* A run directory without run.json would only be passed over. */
	if (base >= 0) {
		unlinkat(base, j->run, AT_REMOVEDIR);
		close(base);
	}
	j->dirfd = -1;
	json_object_put(j->meta);
	j->meta = NULL;
	explicit_bzero(j->key, sizeof(j->key));
	j->have_key = false;
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
	int err = 0;

	tt_jsonb_append(a, json_object_new_int64(ts->tv_sec), &err);
	tt_jsonb_append(a, json_object_new_int64(ts->tv_nsec), &err);
	if (err < 0) {
		json_object_put(a);
		return NULL; /* taken as a failed add by tt_jsonb_add */
	}
	return a;
}

int
tt_journal_keep_no_bytes(struct tt_journal *j)
{
	if (j->dirfd < 0)
		return -EBADF;
	j->no_bytes = true;
	return set_status(j, "running");
}

/* One entry for path as it is now. */
static int
record_one(struct tt_journal *j, const char *path, const char *rule,
    const char *change, char *err, size_t errlen)
{
	char name[32], data[32], target[PATH_MAX];
	unsigned seq = j->seq + 1;
	json_object *e;
	struct stat st;
	int r, jerr = 0;

	if (j->dirfd < 0)
		return -EBADF;
	if (seq > MAX_ENTRIES) {
		tt_seterr(err, errlen, "journal '%s' is full", j->dir);
		return -EFBIG;
	}
	snprintf(name, sizeof(name), "%06u.json", seq);
	snprintf(data, sizeof(data), "%06u.data", seq);
	r = tt_root_stat(j->image, path, &st, false);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot record '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((e = json_object_new_object()) == NULL)
		return -ENOMEM;
	tt_jsonb_int(e, "seq", seq, &jerr);
	tt_jsonb_str(e, "path", path, &jerr);
	tt_jsonb_bool(e, "existed", r == 0, &jerr);
	tt_jsonb_str(e, "rule", rule ? rule : "", &jerr);
	tt_jsonb_str(e, "change", change ? change : "", &jerr);
	if (r == 0) {
		tt_jsonb_str(e, "type", type_name(st.st_mode), &jerr);
		tt_jsonb_int(e, "mode", (int)(st.st_mode & 07777), &jerr);
		tt_jsonb_int(e, "uid", st.st_uid, &jerr);
		tt_jsonb_int(e, "gid", st.st_gid, &jerr);
		tt_jsonb_add(e, "atime", timespec_json(&st.st_atim), &jerr);
		tt_jsonb_add(e, "mtime", timespec_json(&st.st_mtim), &jerr);
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
			tt_seterr(err, errlen, "cannot read link '%s'", path);
			return -EIO;
		}
		target[n] = '\0';
		tt_jsonb_str(e, "target", target, &jerr);
	}
	if (r == 0 && S_ISREG(st.st_mode)) {
		struct tt_buf bytes;
		uint8_t sum[TT_SHA256_LEN];
		char hex[2 * TT_SHA256_LEN + 1];

		tt_jsonb_int(e, "size", (int64_t)st.st_size, &jerr);
		r = tt_read_file(j->image, path, TT_JOURNAL_MAX_FILE, &bytes);
		if (j->no_bytes && r == -EFBIG) {
			/* Too big to digest within the limit: size only. */
			r = write_entry(j, name, e, jerr);
			json_object_put(e);
			if (r < 0)
				tt_seterr(err, errlen,
				    "cannot write journal entry for '%s': %s",
				    path, tt_strerror(r));
			else
				j->seq = seq;
			return r;
		}
		if (r == 0 && !j->no_bytes)
			r = tt_atomic_write_at(j->dirfd, data, bytes.data,
			    bytes.len, 0600);
		if (r < 0) {
			tt_buf_free_secret(&bytes);
			json_object_put(e);
			tt_seterr(err, errlen,
			    "cannot save '%s' in the journal: %s", path,
			    tt_strerror(r));
			return r;
		}
		tt_sha256(bytes.data, bytes.len, sum);
		tt_hex(sum, sizeof(sum), hex);
		tt_buf_free_secret(&bytes);
		if (!j->no_bytes)
			tt_jsonb_str(e, "data", data, &jerr);
		tt_jsonb_str(e, "sha256", hex, &jerr);
	}
	r = write_entry(j, name, e, jerr);
	json_object_put(e);
	if (r < 0)
		tt_seterr(err, errlen,
		    "cannot write journal entry for '%s': %s", path,
		    r == -EILSEQ ? "the path is not UTF-8" : tt_strerror(r));
	else
		j->seq = seq;
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
	unsigned seq = j->seq + 1;
	json_object *e;
	int r, jerr = 0;

	if (j->dirfd < 0)
		return -EBADF;
	snprintf(name, sizeof(name), "%06u.json", seq);
	if ((e = json_object_new_object()) == NULL)
		return -ENOMEM;
	tt_jsonb_int(e, "seq", seq, &jerr);
	tt_jsonb_str(e, "note", kind, &jerr);
	tt_jsonb_str(e, "what", what, &jerr);
	tt_jsonb_str(e, "detail", detail ? detail : "", &jerr);
	tt_jsonb_str(e, "rule", rule ? rule : "", &jerr);
	r = write_entry(j, name, e, jerr);
	json_object_put(e);
	if (r < 0)
		tt_seterr(err, errlen, "cannot write journal note: %s",
		    tt_strerror(r));
	else
		j->seq = seq;
	return r;
}

int
tt_journal_finish(struct tt_journal *j, const char *status)
{
	int r;

	if (j == NULL || j->dirfd < 0)
		return 0;
	/* The count makes a dropped entry visible to rollback. */
	r = 0;
	if (tt_jsonb_int(j->meta, "entries", j->seq, &r) == 0)
		r = set_status(j, status);
	close(j->dirfd);
	j->dirfd = -1;
	json_object_put(j->meta);
	j->meta = NULL;
	explicit_bzero(j->key, sizeof(j->key));
	j->have_key = false;
	return r;
}

/* --- reading --------------------------------------------------------- */

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dirfd, dot files left out. */
static int
list_names(int dirfd, char ***ret, size_t *ret_n)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	struct dirent *de;
	int fd = dup(dirfd);
	DIR *d;

	*ret = NULL;
	*ret_n = 0;
	if (fd < 0)
		return -errno;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	rewinddir(d);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
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

/* name in dirfd parsed as JSON, or NULL with why. */
static json_object *
read_json_at(int dirfd, const char *name, char *why, size_t whylen)
{
	struct tt_buf text;
	json_object *obj;
	int fd =
	    openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	int r;

	if (fd < 0) {
		tt_seterr(why, whylen, "%s", tt_strerror(-errno));
		return NULL;
	}
	r = tt_read_fd(fd, ENTRY_MAX, &text);
	close(fd);
	if (r < 0) {
		tt_seterr(why, whylen, "%s", tt_strerror(r));
		return NULL;
	}
	obj = tt_json_parse(text.data ? text.data : "", text.len, why, whylen);
	tt_buf_free(&text);
	if (obj != NULL && !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		tt_seterr(why, whylen, "not a JSON object");
		return NULL;
	}
	return obj;
}

/*
 * Reads and authenticates run.json of the run directory name in base.
 * where is the journal directory for messages.  0, -ENOENT (no such run
 * directory) or -EBADMSG, with ri->problem saying why; ri->meta is set
 * (and to be put) on success only.
 */
static int
load_run(int base, const char *name, const uint8_t *key, bool need_mac,
    const char *where, struct run_info *ri)
{
	char why[256];
	const char *s;
	bool b;
	int rd, r;

	memset(ri, 0, sizeof(*ri));
	strlcpy(ri->name, name, sizeof(ri->name));
	ri->entries = -1;
	ri->bytes = true;
#define PROBLEM(...)                                                           \
	do {                                                                   \
		tt_seterr(ri->problem, sizeof(ri->problem), __VA_ARGS__);      \
		goto bad;                                                      \
	} while (0)
	if (!run_id_ok(name))
		PROBLEM("'%s/%.64s' is not a run id", where, name);
	rd =
	    openat(base, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rd < 0) {
		r = -errno;
		tt_seterr(ri->problem, sizeof(ri->problem),
		    r == -ENOENT ? "no run '%s' in the journal '%s'" :
				   "run '%s' in '%s' is not a directory",
		    name, where);
		return r == -ENOENT ? -ENOENT : -EBADMSG;
	}
	ri->meta = read_json_at(rd, "run.json", why, sizeof(why));
	close(rd);
	if (ri->meta == NULL)
		PROBLEM("'%s/%s/run.json': %s", where, name, why);
	r = key ? verify_mac(key, ri->meta) : -ENOMSG;
	if (r == -EBADMSG)
		PROBLEM("'%s/%s/run.json': 'mac' does not verify with this "
			"host's journal key: not written by this host, or "
			"changed since",
		    where, name);
	if (r == -ENOMSG && json_object_object_get_ex(ri->meta, "mac", NULL) &&
	    need_mac)
		PROBLEM("'%s/%s/run.json': 'mac' cannot be checked", where,
		    name);
	if (r == -ENOMSG && need_mac)
		PROBLEM("'%s/%s/run.json' has no 'mac': not written by this "
			"host's tattoo",
		    where, name);
	ri->mac = r == 0;
	if ((s = jstr(ri->meta, "run")) == NULL || !TT_STREQ(s, name))
		PROBLEM("'%s/%s/run.json': 'run' is not '%s', the name of its "
			"directory",
		    where, name, name);
	if (jstr(ri->meta, "status") == NULL ||
	    jstr(ri->meta, "command") == NULL)
		PROBLEM("'%s/%s/run.json': 'status' and 'command' must be "
			"strings",
		    where, name);
	if ((s = jstr(ri->meta, "started")) == NULL ||
	    tt_rfc3339_parse(s, &ri->started) < 0)
		PROBLEM("'%s/%s/run.json': 'started' is not a time", where,
		    name);
	if (json_object_object_get_ex(ri->meta, "seq", NULL) &&
	    !jint_range(ri->meta, "seq", 0, LLONG_MAX, &ri->seq))
		PROBLEM("'%s/%s/run.json': 'seq' must be a number", where,
		    name);
	if (json_object_object_get_ex(ri->meta, "entries", NULL) &&
	    !jint_range(ri->meta, "entries", 0, MAX_ENTRIES, &ri->entries))
		PROBLEM("'%s/%s/run.json': 'entries' must be a number", where,
		    name);
	if (json_object_object_get_ex(ri->meta, "bytes", NULL)) {
		if (!jbool(ri->meta, "bytes", &b))
			PROBLEM("'%s/%s/run.json': 'bytes' must be true or "
				"false",
			    where, name);
		ri->bytes = b;
	}
	if (ri->started > time(NULL) + TT_JOURNAL_FUTURE_SLACK)
		PROBLEM("'%s/%s/run.json': the run is dated %s, in the "
			"future: refused",
		    where, name, s);
	return 0;
bad:
#undef PROBLEM
	json_object_put(ri->meta);
	ri->meta = NULL;
	return -EBADMSG;
}

/* "NNNNNN.json" (six digits or more, as %06u writes them): its number. */
static unsigned
entry_number(const char *name)
{
	size_t l = strlen(name), d = strspn(name, "0123456789");
	char again[32];
	long long n;
	const char *errstr;

	if (l < 11 || d != l - 5 || !TT_STREQ(name + d, ".json"))
		return 0;
	snprintf(again, sizeof(again), "%.*s", (int)d, name);
	n = strtonum(again, 1, MAX_ENTRIES, &errstr);
	if (errstr != NULL)
		return 0;
	snprintf(again, sizeof(again), "%06u.json", (unsigned)n);
	return TT_STREQ(again, name) ? (unsigned)n : 0;
}

/* Opens data (already checked to be the entry's own NNNNNN.data) in the
 * run directory without following anything, reads it and compares its
 * SHA-256 with the entry's.  0, or -EBADMSG/errno with err set. */
static int
read_data(int rundir, json_object *e, const char *where, struct tt_buf *ret,
    char *err, size_t errlen)
{
	const char *data = jstr(e, "data");
	uint8_t sum[TT_SHA256_LEN];
	char hex[2 * TT_SHA256_LEN + 1];
	int fd, r;

	fd = openat(rundir, data,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		tt_seterr(err, errlen, "'%s/%s': %s", where, data,
		    r == -ELOOP ? "a symbolic link, not journal data" :
				  tt_strerror(r));
		return r == -ENOENT || r == -ELOOP ? -EBADMSG : r;
	}
	r = tt_read_fd(fd, TT_JOURNAL_MAX_FILE, ret);
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "'%s/%s': %s", where, data,
		    tt_strerror(r));
		return r == -TT_ENOTREG || r == -EFBIG ? -EBADMSG : r;
	}
	tt_sha256(ret->data ? ret->data : "", ret->len, sum);
	tt_hex(sum, sizeof(sum), hex);
	if (!TT_STREQ(hex, jstr(e, "sha256"))) {
		tt_buf_free_secret(ret);
		tt_seterr(err, errlen,
		    "'%s/%s': its SHA-256 is not the entry's 'sha256': "
		    "refused",
		    where, data);
		return -EBADMSG;
	}
	return 0;
}

/*
 * Every entry of the run read and checked before anything is undone:
 * names, count, MACs, fields, data digests.  ret gets the entries in
 * order (index seq - 1).  0 or -EBADMSG/errno with err naming the file.
 */
static int
load_entries(int rd, const struct run_info *ri, const uint8_t *key,
    bool need_mac, const char *where, json_object ***ret, size_t *ret_n,
    char *err, size_t errlen)
{
	char **names = NULL, why[256];
	json_object **v = NULL;
	size_t n = 0, nnames = 0;
	bool check_mac = key != NULL && (need_mac || ri->mac);
	int r;

	if ((r = list_names(rd, &names, &nnames)) < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", where,
		    tt_strerror(r));
		return r;
	}
	for (size_t i = 0; i < nnames; i++) {
		size_t l = strlen(names[i]);

		if (TT_STREQ(names[i], "run.json") || l < 5 ||
		    !TT_STREQ(names[i] + l - 5, ".json"))
			continue;
		if (entry_number(names[i]) != n + 1) {
			tt_seterr(err, errlen,
			    entry_number(names[i]) == 0 ?
				"'%s/%s' is not a journal entry name" :
				"'%s/%s' follows a missing entry",
			    where, names[i]);
			r = -EBADMSG;
			goto out;
		}
		n++;
	}
	if (ri->entries >= 0 && (long long)n != ri->entries) {
		tt_seterr(err, errlen,
		    "'%s/run.json': 'entries' is %lld, the run holds %zu: "
		    "refused",
		    where, ri->entries, n);
		r = -EBADMSG;
		goto out;
	}
	/* An array of pointers: sizeof(*v) is a pointer's size. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	if (n > 0 && (v = calloc(n, sizeof(*v))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		char name[32];
		json_object *e;

		snprintf(name, sizeof(name), "%06zu.json", i + 1);
		if ((e = v[i] = read_json_at(rd, name, why, sizeof(why))) ==
		    NULL) {
			tt_seterr(err, errlen, "'%s/%s': %s", where, name, why);
			r = -EBADMSG;
			goto out;
		}
		if (check_mac && (r = verify_mac(key, e)) < 0) {
			tt_seterr(err, errlen, "'%s/%s': 'mac' %s: refused",
			    where, name,
			    r == -ENOMSG ? "is missing" :
					   "does not verify with this host's "
					   "journal key");
			r = -EBADMSG;
			goto out;
		}
		if ((r = tt_journal_check_entry(e, ri->name, (unsigned)(i + 1),
			 ri->bytes, why, sizeof(why))) < 0) {
			tt_seterr(err, errlen, "'%s/%s': %s: refused", where,
			    name, why);
			goto out;
		}
		if (jstr(e, "data") != NULL) {
			struct tt_buf bytes;

			if ((r = read_data(rd, e, where, &bytes, err, errlen)) <
			    0)
				goto out;
			tt_buf_free_secret(&bytes);
		}
	}
	*ret = v;
	*ret_n = n;
	v = NULL;
	r = 0;
out:
	if (v != NULL) {
		for (size_t i = 0; i < n; i++)
			json_object_put(v[i]);
		free(v);
	}
	free_names(names, nnames);
	return r;
}

/* --- undoing --------------------------------------------------------- */

struct undo {
	const struct tt_root *image;
	struct fsid root; /* the image root */
	bool offline; /* an image, not the live system */
	int rundir;
	const char *where; /* the run directory, for messages */
	struct tt_rollback_stats *stats;
	char why[1024]; /* why the entry at hand failed */
};

static const char *
kind_of(mode_t m)
{
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device node";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	return "a file";
}

/*
 * Opens the directory holding path's last component by walking from the
 * root one component at a time, never following a symlink, and (in an
 * image) never leaving the root's mount.  -EPERM for a symlink or another
 * mount on the way (refused, said in err), -ENOENT, or errno.
 */
static int
open_parent(struct undo *u, const char *path, const char **ret_name,
    struct fsid *ret_id)
{
	char comp[NAME_MAX + 1];
	const char *s = path + 1, *e;
	int fd, nfd;

	fd = openat(u->image->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((e = strchr(s, '/')) != NULL) {
		struct fsid id;

		memcpy(comp, s, (size_t)(e - s));
		comp[e - s] = '\0';
		nfd = openat(fd, comp,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			int r = -errno;
			struct fsid l;

			if ((r == -ELOOP || r == -ENOTDIR) &&
			    fsid_at(fd, comp, AT_SYMLINK_NOFOLLOW, &l) == 0) {
				tt_seterr(u->why, sizeof(u->why),
				    "'%s': '%.*s' on the way is %s: not "
				    "followed",
				    path, (int)(e - path), path,
				    kind_of(l.mode));
				r = -EPERM;
			}
			close(fd);
			return r;
		}
		close(fd);
		fd = nfd;
		if (u->offline &&
		    (fsid_at(fd, "", AT_EMPTY_PATH, &id) < 0 ||
			!same_fs(&id, &u->root))) {
			tt_seterr(u->why, sizeof(u->why),
			    "'%s': '%.*s' is another file system mounted in "
			    "the image: not crossed",
			    path, (int)(e - path), path);
			close(fd);
			return -EPERM;
		}
		s = e + 1;
	}
	if (fsid_at(fd, "", AT_EMPTY_PATH, ret_id) < 0) {
		close(fd);
		return -EIO;
	}
	*ret_name = s;
	return fd;
}

/* What is at name now, if anything, is something rollback may act on:
 * no device node or socket, not a mount point (nor, in an image, on
 * another file system than the root).  0, -ENOENT, -EPERM (err set). */
static int
check_object(struct undo *u, int dfd, const char *name, const char *path,
    const struct fsid *parent, struct fsid *ret)
{
	int r = fsid_at(dfd, name, AT_SYMLINK_NOFOLLOW, ret);

	if (r < 0)
		return r;
	if (S_ISCHR(ret->mode) || S_ISBLK(ret->mode) || S_ISSOCK(ret->mode)) {
		tt_seterr(u->why, sizeof(u->why), "'%s' is %s now: left alone",
		    path, kind_of(ret->mode));
		return -EPERM;
	}
	if (!same_fs(ret, parent) || (u->offline && !same_fs(ret, &u->root))) {
		tt_seterr(u->why, sizeof(u->why),
		    "'%s' is a mount point (another file system): left alone",
		    path);
		return -EPERM;
	}
	return 0;
}

/* Gives name its recorded owner, mode and times, through an O_PATH
 * descriptor of what is there, which must be of type want and on the
 * parent's file system; the mode comes from the authenticated entry
 * only, set after the owner (chown clears set-id bits). */
static int
restore_meta(struct undo *u, int dfd, const char *name, const char *path,
    json_object *e, mode_t want, const struct fsid *parent)
{
	struct timespec times[2];
	struct fsid id;
	char proc[64];
	int fd, r = 0;

	fd = openat(dfd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsid_at(fd, "", AT_EMPTY_PATH, &id) < 0) {
		close(fd);
		return -EIO;
	}
	if ((id.mode & S_IFMT) != want || !same_fs(&id, parent)) {
		tt_seterr(u->why, sizeof(u->why),
		    "'%s' is %s%s now, not what the journal recorded: left "
		    "alone",
		    path, kind_of(id.mode),
		    same_fs(&id, parent) ? "" : " on another file system");
		close(fd);
		return -EPERM;
	}
	if (fchownat(fd, "", (uid_t)jint(e, "uid", 0), (gid_t)jint(e, "gid", 0),
		AT_EMPTY_PATH) < 0)
		r = -errno;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	/* The magic link names the object itself, never a symlink's target:
	 * symlinks have no mode and take their times by name. */
	if (r == 0 && want != S_IFLNK &&
	    chmod(proc, (mode_t)jint(e, "mode", 0600)) < 0)
		r = -errno;
	jtime(e, "atime", &times[0]);
	jtime(e, "mtime", &times[1]);
	if (r == 0 &&
	    (want == S_IFLNK ?
		    utimensat(dfd, name, times, AT_SYMLINK_NOFOLLOW) :
		    utimensat(AT_FDCWD, proc, times, 0)) < 0)
		r = -errno;
	close(fd);
	return r;
}

/*
 * A change killed inside its atomic write leaves the temporary file
 * (".NAME.tmpXXXXXXXX", or ".NAME.tattoo-link" for a link) beside NAME:
 * it is part of what the run did, so rollback removes it (files and
 * links only).
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
		struct stat st;

		if (((l == pl + 8 && strncmp(de->d_name, prefix, pl) == 0 &&
			 strspn(de->d_name + pl, "0123456789abcdef") == 8) ||
			TT_STREQ(de->d_name, link)) &&
		    fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    (S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)))
			unlinkat(dfd, de->d_name, 0);
	}
	closedir(d);
}

static int
undo_entry(struct undo *u, json_object *e)
{
	const char *path = jstr(e, "path"), *type = jstr(e, "type");
	const char *name = NULL;
	struct fsid parent, now;
	bool existed = false, exists;
	int dfd, r = 0;

	u->why[0] = '\0';
	(void)jbool(e, "existed", &existed);
	dfd = open_parent(u, path, &name, &parent);
	if (dfd < 0)
		return dfd == -ENOENT && !existed ? 0 : dfd;
	remove_temps(dfd, name);
	r = check_object(u, dfd, name, path, &parent, &now);
	if (r < 0 && r != -ENOENT)
		goto out;
	exists = r == 0;
	r = 0;
	if (!existed) {
		if (!exists)
			goto out;
		if (unlinkat(dfd, name, S_ISDIR(now.mode) ? AT_REMOVEDIR : 0) <
		    0) {
			r = -errno;
			if (r == -ENOTEMPTY || r == -EEXIST)
				tt_seterr(u->why, sizeof(u->why),
				    "'%s' was created by the run but is not "
				    "empty now: left in place",
				    path);
		} else {
			u->stats->removed++;
		}
		goto out;
	}
	if (TT_STREQ(type, "file") && jstr(e, "sealed") != NULL) {
		/* Nothing to give back: left as it is, and said why. */
		u->stats->sealed++;
		tt_seterr(u->why, sizeof(u->why),
		    "'%s' not restored: its saved copy was sealed (%s) by "
		    "scrub --apply%s%s, so that the image does not ship it; "
		    "it is left as it is now",
		    path, jstr(e, "sealed"), jstr(e, "sealed_at") ? " at " : "",
		    jstr(e, "sealed_at") ? jstr(e, "sealed_at") : "");
		if (u->stats->seal[0] == '\0')
			strlcpy(u->stats->seal, u->why, sizeof(u->stats->seal));
		r = -EPERM;
		goto out;
	}
	if (TT_STREQ(type, "file")) {
		struct tt_buf bytes;

		if ((r = read_data(u->rundir, e, u->where, &bytes, u->why,
			 sizeof(u->why))) < 0)
			goto out;
		/* Created 0600; the recorded mode once the owner is. */
		r = tt_atomic_write_at(dfd, name, bytes.data, bytes.len, 0600);
		tt_buf_free_secret(&bytes);
		if (r == 0)
			r = restore_meta(u, dfd, name, path, e, S_IFREG,
			    &parent);
	} else if (TT_STREQ(type, "link")) {
		char tmp[NAME_MAX + 1];

		snprintf(tmp, sizeof(tmp), ".%.200s.tattoo-undo", name);
		unlinkat(dfd, tmp, 0);
		if (symlinkat(jstr(e, "target"), dfd, tmp) < 0 ||
		    renameat(dfd, tmp, dfd, name) < 0) {
			r = -errno;
			unlinkat(dfd, tmp, 0);
		}
		if (r == 0)
			r = restore_meta(u, dfd, name, path, e, S_IFLNK,
			    &parent);
	} else if (TT_STREQ(type, "fifo")) {
		if (!exists && mkfifoat(dfd, name, 0600) < 0)
			r = -errno;
		if (r == 0)
			r = restore_meta(u, dfd, name, path, e, S_IFIFO,
			    &parent);
	} else {
		if (!exists && mkdirat(dfd, name, 0700) < 0)
			r = -errno;
		if (r == 0)
			r = restore_meta(u, dfd, name, path, e, S_IFDIR,
			    &parent);
	}
	if (r == 0)
		u->stats->restored++;
out:
	if (r < 0 && u->why[0] == '\0')
		tt_seterr(u->why, sizeof(u->why), "cannot undo '%s': %s", path,
		    tt_strerror(r));
	fsync(dfd);
	close(dfd);
	return r;
}

/* --- rollback and list ----------------------------------------------- */

struct reader {
	int base;
	char where[PATH_MAX]; /* the journal directory, for messages */
	uint8_t key[TT_JOURNAL_KEY_LEN];
	bool have_key;
	bool need_mac; /* a journal in an image: only MAC'ed runs count */
};

static void
close_reader(struct reader *rr)
{
	if (rr->base >= 0)
		close(rr->base);
	rr->base = -1;
	explicit_bzero(rr->key, sizeof(rr->key));
	rr->have_key = false;
}

static int
open_reader(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir, struct reader *rr, char *err, size_t errlen)
{
	char why[PATH_MAX + 256];
	int r;

	memset(rr, 0, sizeof(*rr));
	rr->base = -1;
	rr->need_mac = jroot != NULL;
	if (jroot == NULL ||
	    tt_root_host_path(jroot, journal_dir, rr->where,
		sizeof(rr->where)) < 0)
		strlcpy(rr->where, journal_dir, sizeof(rr->where));
	rr->base = tt_root_open(jroot, journal_dir, O_RDONLY | O_DIRECTORY, 0);
	if (rr->base < 0) {
		r = rr->base;
		tt_seterr(err, errlen,
		    r == -ENOENT ? "no harden journal in '%s'" :
				   "cannot open the journal '%s': %s",
		    rr->where, tt_strerror(r));
		return r;
	}
	if ((r = check_on_root(jroot, rr->base)) < 0) {
		tt_seterr(err, errlen,
		    "the journal '%s' is on another file system than the "
		    "image: refused",
		    rr->where);
		close_reader(rr);
		return -EBADMSG;
	}
	r = state_dir ?
	    tt_journal_key_load(state_dir, false, rr->key, why, sizeof(why)) :
	    -ENOENT;
	if (r == 0) {
		rr->have_key = true;
	} else if (r != -ENOENT || rr->need_mac) {
		/* A live journal is the system's own: without a key its runs
		 * are taken as they are.  An image's never are. */
		tt_seterr(err, errlen,
		    "%s; the runs in '%s' cannot be authenticated", why,
		    rr->where);
		close_reader(rr);
		return -ENOKEY;
	}
	return 0;
}

/* Newer by the authenticated order: started, then seq, then the id. */
static bool
newer(const struct run_info *a, const struct run_info *b)
{
	if (a->started != b->started)
		return a->started > b->started;
	if (a->seq != b->seq)
		return a->seq > b->seq;
	return strcmp(a->name, b->name) > 0;
}

static void
add_skip(struct tt_rollback_stats *stats, const char *problem)
{
	if (stats->skipped++ == 0)
		strlcpy(stats->skip, problem, sizeof(stats->skip));
}

/* A string member or "", for messages. */
static const char *
jstr0(json_object *o, const char *k)
{
	const char *s = jstr(o, k);

	return s != NULL ? s : "";
}

/*
 * The run a plain rollback undoes: the newest run not rolled back yet,
 * whatever it kept.  A newer run that kept no bytes (a scrub record) is
 * never stepped over to undo an older one silently: undoing a harden
 * under a later scrub would give back what that scrub removed or judged,
 * out of order.  Then -EINVAL, err naming the run, and stats->older the
 * newest run that could be undone if asked for by name.
 */
static int
pick_newest(struct reader *rr, char ***runs, size_t *nruns, char *best,
    size_t bestlen, struct tt_rollback_stats *stats, char *err, size_t errlen)
{
	struct run_info top = { .started = 0 }, avail = { .started = 0 };
	char command[16] = "", started[40] = "";
	bool top_bytes = false;
	int r;

	best[0] = '\0';
	if ((r = list_names(rr->base, runs, nruns)) < 0)
		return r;
	for (size_t i = 0; i < *nruns; i++) {
		struct run_info cand;

		if (load_run(rr->base, (*runs)[i],
			rr->have_key ? rr->key : NULL, rr->need_mac, rr->where,
			&cand) < 0) {
			add_skip(stats, cand.problem);
			continue;
		}
		if (TT_STREQ(jstr(cand.meta, "status"), "rolled-back")) {
			json_object_put(cand.meta);
			continue;
		}
		if (best[0] == '\0' || newer(&cand, &top)) {
			top = cand;
			top.meta = NULL;
			top_bytes = cand.bytes;
			strlcpy(best, cand.name, bestlen);
			strlcpy(command, jstr0(cand.meta, "command"),
			    sizeof(command));
			strlcpy(started, jstr0(cand.meta, "started"),
			    sizeof(started));
		}
		if (cand.bytes &&
		    (stats->older[0] == '\0' || newer(&cand, &avail))) {
			avail = cand;
			avail.meta = NULL;
			strlcpy(stats->older, cand.name, sizeof(stats->older));
			strlcpy(stats->older_command,
			    jstr0(cand.meta, "command"),
			    sizeof(stats->older_command));
		}
		json_object_put(cand.meta);
	}
	if (best[0] == '\0') {
		tt_seterr(err, errlen, "no run to roll back in '%s'",
		    rr->where);
		return -ENOENT;
	}
	if (top_bytes) {
		stats->older[0] = stats->older_command[0] = '\0';
		return 0;
	}
	tt_seterr(err, errlen,
	    "%sthe newest run '%s' (%s, started %s) kept no copy of what it "
	    "changed, so that the image does not ship it: it is a record to "
	    "review and cannot be undone, and no older run is undone in its "
	    "place",
	    stats->older[0] ? "" : "no run to roll back: ", best, command,
	    started);
	return -EINVAL;
}

int
tt_journal_rollback(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir, const struct tt_root *image, const char *run,
    char *ret_run, size_t ret_run_len, struct tt_rollback_stats *stats,
    char *err, size_t errlen)
{
	char **runs = NULL, best[64] = "", where[PATH_MAX + 80];
	json_object **entries = NULL;
	size_t nruns = 0, nentries = 0;
	const char *chosen = run;
	struct tt_journal j = { .dirfd = -1 };
	struct run_info ri = { .meta = NULL };
	struct reader rr;
	struct undo *u = NULL;
	int rd = -1, r;

	memset(stats, 0, sizeof(*stats));
	err[0] = '\0';
	if ((r = open_reader(jroot, journal_dir, state_dir, &rr, err, errlen)) <
	    0)
		return r;
	if (chosen == NULL) {
		if ((r = pick_newest(&rr, &runs, &nruns, best, sizeof(best),
			 stats, err, errlen)) < 0)
			goto out;
		chosen = best;
	}
	if (!run_id_ok(chosen)) {
		tt_seterr(err, errlen, "'%s' is not a run id", chosen);
		r = -EINVAL;
		goto out;
	}
	r = load_run(rr.base, chosen, rr.have_key ? rr.key : NULL, rr.need_mac,
	    rr.where, &ri);
	if (r < 0) {
		strlcpy(err, ri.problem, errlen);
		goto out;
	}
	strlcpy(ret_run, chosen, ret_run_len);
	if (TT_STREQ(jstr(ri.meta, "status"), "rolled-back")) {
		tt_seterr(err, errlen, "run '%s' was rolled back already",
		    chosen);
		r = -EALREADY;
		goto out;
	}
	if (!ri.bytes) {
		tt_seterr(err, errlen,
		    "run '%s' (%s inside the image) kept no copy of what it "
		    "removed, so that the image does not ship it: it is a "
		    "record to review, not to roll back",
		    chosen, jstr(ri.meta, "command"));
		r = -EINVAL;
		goto out;
	}
	snprintf(where, sizeof(where), "%s/%s", rr.where, chosen);
	rd = openat(rr.base, chosen,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rd < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot open '%s': %s", where,
		    tt_strerror(r));
		goto out;
	}
	/* The whole run is checked before the first change is undone. */
	if ((r = load_entries(rd, &ri, rr.have_key ? rr.key : NULL, rr.need_mac,
		 where, &entries, &nentries, err, errlen)) < 0)
		goto out;
	if ((u = calloc(1, sizeof(*u))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	u->image = image;
	u->offline = !tt_root_is_host(image);
	u->rundir = rd;
	u->where = where;
	u->stats = stats;
	if (fsid_at(image->fd, "", AT_EMPTY_PATH, &u->root) < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot stat the root '%s': %s",
		    image->path, tt_strerror(r));
		goto out;
	}
	for (size_t i = nentries; i-- > 0;) {
		json_object *e = entries[i];

		if (jstr(e, "note") != NULL) {
			if (stats->notes++ == 0)
				snprintf(stats->note, sizeof(stats->note),
				    "package %s %s was removed by the run: "
				    "reinstall it with the package manager",
				    jstr(e, "what"),
				    jstr(e, "detail") ? jstr(e, "detail") : "");
			continue;
		}
		if ((r = undo_entry(u, e)) < 0) {
			if (r == -EPERM || r == -EBADMSG)
				stats->refused++;
			else
				stats->failed++;
			if (err[0] == '\0')
				strlcpy(err, u->why, errlen);
		}
	}
	j.dirfd = rd;
	j.meta = ri.meta;
	strlcpy(j.run, chosen, sizeof(j.run));
	if (rr.have_key) {
		memcpy(j.key, rr.key, sizeof(j.key));
		j.have_key = true;
	}
	/* A sealed path can never be given back: a run undone but for
	 * those is done with, and not offered again. */
	r = set_status(&j,
	    stats->failed || stats->refused > stats->sealed ?
		"rollback-incomplete" :
		"rolled-back");
	explicit_bzero(j.key, sizeof(j.key));
	if (r < 0)
		tt_seterr(err, errlen, "cannot mark '%s' rolled back: %s",
		    where, tt_strerror(r));
	else if (stats->refused)
		r = -EPERM;
	else if (stats->failed)
		r = -EIO;
out:
	free(u);
	json_object_put(ri.meta);
	for (size_t i = 0; i < nentries; i++)
		json_object_put(entries[i]);
	free(entries);
	free_names(runs, nruns);
	if (rd >= 0)
		close(rd);
	close_reader(&rr);
	return r;
}

/* --- sealing --------------------------------------------------------- */

/* Rewrites entry e (file name, seq n) sealed for why, then drops its copy.
 * The order makes a crash safe: the entry never names a missing copy. */
static int
seal_entry(int rd, const uint8_t *key, json_object *e, size_t n,
    const char *why, const char *now)
{
	char name[32], data[32];
	int r = 0;

	snprintf(name, sizeof(name), "%06zu.json", n);
	snprintf(data, sizeof(data), "%06zu.data", n);
	json_object_object_del(e, "data");
	tt_jsonb_str(e, "sealed", why, &r);
	tt_jsonb_str(e, "sealed_at", now, &r);
	if (r < 0 || (r = add_mac(key, e)) < 0 ||
	    (r = write_json_at(rd, name, e)) < 0)
		return r;
	if (unlinkat(rd, data, 0) < 0 && errno != ENOENT)
		return -errno;
	return fsync(rd) < 0 ? -errno : 0;
}

/* Seals one authenticated run's copies (tt_journal_seal).  -EBADMSG with
 * err set when the run does not verify (nothing changed). */
static int
seal_run(struct reader *rr, const struct run_info *ri,
    tt_journal_secret_fn secret, void *arg, unsigned *sealed, char *err,
    size_t errlen)
{
	char where[PATH_MAX + 80], now[TT_RFC3339_LEN];
	const uint8_t *key = rr->have_key ? rr->key : NULL;
	json_object **entries = NULL;
	size_t n = 0;
	int rd, r;

	snprintf(where, sizeof(where), "%s/%s", rr->where, ri->name);
	rd = openat(rr->base, ri->name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (rd < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot open '%s': %s", where,
		    tt_strerror(r));
		return r == -ENOENT || r == -ELOOP ? -EBADMSG : r;
	}
	/* Every entry and copy verified before the first is sealed. */
	if ((r = load_entries(rd, ri, key, rr->need_mac, where, &entries, &n,
		 err, errlen)) < 0)
		goto out;
	tt_rfc3339_format(time(NULL), now);
	for (size_t i = 0; i < n && r == 0; i++) {
		json_object *e = entries[i];
		const char *why;
		char data[32];

		if (jstr(e, "sealed") != NULL) {
			/* A seal killed after the rewrite left the copy. */
			snprintf(data, sizeof(data), "%06zu.data", i + 1);
			if (unlinkat(rd, data, 0) == 0)
				(void)fsync(rd);
			continue;
		}
		if (jstr(e, "data") == NULL ||
		    (why = secret(ri->name, jstr(e, "data"), jstr(e, "path"),
			 arg)) == NULL)
			continue;
		if ((r = seal_entry(rd, key, e, i + 1, why, now)) < 0)
			tt_seterr(err, errlen,
			    "cannot seal '%s/%06zu.json': %s", where, i + 1,
			    tt_strerror(r));
		else
			(*sealed)++;
	}
out:
	for (size_t i = 0; i < n; i++)
		json_object_put(entries[i]);
	free(entries);
	close(rd);
	return r;
}

int
tt_journal_seal(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir, tt_journal_secret_fn secret, void *arg,
    unsigned *sealed, unsigned *skipped, char *skip, size_t skiplen, char *err,
    size_t errlen)
{
	struct tt_rollback_stats st = { .skipped = 0 };
	char **runs = NULL, why[PATH_MAX + 512];
	size_t nruns = 0;
	struct reader rr;
	int r;

	*sealed = *skipped = 0;
	if (skiplen > 0)
		skip[0] = '\0';
	if ((r = open_reader(jroot, journal_dir, state_dir, &rr, err, errlen)) <
	    0)
		return r == -ENOENT ? 0 : r;
	if ((r = list_names(rr.base, &runs, &nruns)) < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", rr.where,
		    tt_strerror(r));
		goto out;
	}
	for (size_t i = 0; i < nruns && r == 0; i++) {
		struct run_info ri;

		if (load_run(rr.base, runs[i], rr.have_key ? rr.key : NULL,
			rr.need_mac, rr.where, &ri) < 0) {
			add_skip(&st, ri.problem);
			continue;
		}
		if (!ri.bytes) {
			json_object_put(ri.meta);
			continue;
		}
		/* A run MACed under a key this host does not have cannot be
		 * rewritten so that it still verifies. */
		if (!rr.have_key &&
		    json_object_object_get_ex(ri.meta, "mac", NULL)) {
			snprintf(why, sizeof(why),
			    "'%s/%s': carries MACs and the journal key is "
			    "missing",
			    rr.where, ri.name);
			add_skip(&st, why);
		} else if ((r = seal_run(&rr, &ri, secret, arg, sealed, why,
				sizeof(why))) == -EBADMSG) {
			add_skip(&st, why);
			r = 0;
		} else if (r < 0) {
			strlcpy(err, why, errlen);
		}
		json_object_put(ri.meta);
	}
	*skipped = st.skipped;
	strlcpy(skip, st.skip, skiplen);
out:
	free_names(runs, nruns);
	close_reader(&rr);
	return r;
}

static int
cmp_runs(const void *a, const void *b)
{
	const struct run_info *x = a, *y = b;

	return newer(x, y) ? 1 : newer(y, x) ? -1 : 0;
}

int
tt_journal_list(const struct tt_root *jroot, const char *journal_dir,
    const char *state_dir,
    void (*fn)(const char *run, const char *command, const char *started,
	const char *status, const char *problem, void *arg),
    void *arg, char *err, size_t errlen)
{
	struct run_info *v = NULL;
	char **runs = NULL;
	size_t nruns = 0, n = 0;
	struct reader rr;
	int r;

	if ((r = open_reader(jroot, journal_dir, state_dir, &rr, err, errlen)) <
	    0)
		return r == -ENOENT ? 0 : r;
	if ((r = list_names(rr.base, &runs, &nruns)) < 0)
		goto out;
	if (nruns > 0 && (v = calloc(nruns, sizeof(*v))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < nruns; i++) {
		if (load_run(rr.base, runs[i], rr.have_key ? rr.key : NULL,
			rr.need_mac, rr.where, &v[n]) < 0)
			fn(runs[i], "", "", "", v[n].problem, arg);
		else
			n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_runs);
	for (size_t i = 0; i < n; i++)
		fn(v[i].name, jstr(v[i].meta, "command"),
		    jstr(v[i].meta, "started"), jstr(v[i].meta, "status"), NULL,
		    arg);
	r = 0;
out:
	for (size_t i = 0; i < n; i++)
		json_object_put(v[i].meta);
	free(v);
	free_names(runs, nruns);
	close_reader(&rr);
	return r;
}
