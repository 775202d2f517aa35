#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "accounts_db.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

#define WALK_MAX_DEPTH 64
/* Findings kept per kind: an image without a passwd file would make every
 * file "unowned"; memory stays bounded and a rule still sees plenty. */
#define WALK_MAX_FOUND 4096

enum kind {
	K_WORLD_WRITABLE,
	K_DIRS_NO_STICKY,
	K_SUID,
	K_SGID,
	K_UNOWNED,
	K_UNGROUPED,
	K_COUNT,
};

static const char *const kinds[] = { "world_writable",
	"world_writable_dirs_no_sticky", "suid", "sgid", "unowned", "ungrouped",
	NULL };

static const struct tt_param_spec params[] = {
	{ "kind", TT_PARAM_CHOICE, true, kinds,
	    "world_writable, world_writable_dirs_no_sticky, suid, sgid, "
	    "unowned or ungrouped" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "mode", "uid", "gid", NULL };

/* Everything one walk found, for every kind: the walk is made once per
 * audit and every walk rule reads from here. */
struct walk_result {
	struct tt_items found[K_COUNT];
	size_t files;
};

struct walker {
	struct tt_audit *a;
	struct walk_result *res;
	const struct tt_acct_table_data *pw, *gr;
	char path[PATH_MAX];
	char *err;
	size_t errlen;
};

static void
result_destroy(void *p)
{
	struct walk_result *res = p;

	if (res == NULL)
		return;
	for (size_t i = 0; i < K_COUNT; i++)
		tt_items_free(&res->found[i]);
	free(res);
}

/* File systems a live walk does not enter: remote ones (as `df --local`
 * leaves out) and kernel pseudo file systems. */
static bool
skip_fs(long type)
{
	static const long skip[] = {
		0x6969, /* nfs */
		0x517B, /* smb */
		(long)0xFF534D42, /* cifs */
		(long)0xFE534D42, /* smb2 */
		0x73757245, /* coda */
		0x5346414F, /* afs */
		0x00c36400, /* ceph */
		0x65735546, /* fuse (sshfs and friends) */
		0x01021997, /* 9p */
		0x564c, /* ncp */
		0x0BD00BD0, /* lustre */
		0x9fa0, /* proc */
		0x62656572, /* sysfs */
		0x1cd1, /* devpts */
		0x27e0eb, /* cgroup */
		0x63677270, /* cgroup2 */
		0x64626720, /* debugfs */
		0x73636673, /* securityfs */
		0x74726163, /* tracefs */
		0x0187, /* autofs */
		0xcafe4a11, /* bpf */
		0x6165676C, /* pstore */
		0x62656570, /* configfs */
		0x19800202, /* mqueue */
		0x42494e4d, /* binfmt_misc */
		0xde5e81e4, /* efivarfs */
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(skip); i++)
		if ((unsigned long)type == (unsigned long)skip[i])
			return true;
	return false;
}

static int
record(struct walker *w, enum kind k, const struct stat *st)
{
	struct tt_item *it;
	int r;

	if (w->res->found[k].n >= WALK_MAX_FOUND)
		return 0;
	if ((r = tt_items_add(&w->res->found[k], &it)) < 0 ||
	    (r = tt_item_set(it, "path", w->path[0] ? w->path : "/")) < 0 ||
	    (r = tt_item_setf(it, "mode", "%04o",
		 (unsigned)(st->st_mode & 07777))) < 0 ||
	    (r = tt_item_setf(it, "uid", "%u", (unsigned)st->st_uid)) < 0)
		return r;
	return tt_item_setf(it, "gid", "%u", (unsigned)st->st_gid);
}

static int
visit(struct walker *w, const struct stat *st)
{
	mode_t m = st->st_mode;
	int r = 0;

	w->res->files++;
	if (S_ISREG(m) && (m & S_IWOTH))
		r = record(w, K_WORLD_WRITABLE, st);
	if (r == 0 && S_ISDIR(m) && (m & S_IWOTH) && !(m & S_ISVTX))
		r = record(w, K_DIRS_NO_STICKY, st);
	if (r == 0 && S_ISREG(m) && (m & S_ISUID))
		r = record(w, K_SUID, st);
	if (r == 0 && S_ISREG(m) && (m & S_ISGID))
		r = record(w, K_SGID, st);
	if (r == 0 && !tt_acct_has_id(w->pw, st->st_uid))
		r = record(w, K_UNOWNED, st);
	if (r == 0 && !tt_acct_has_id(w->gr, st->st_gid))
		r = record(w, K_UNGROUPED, st);
	return r;
}

static int
walk_dir(struct walker *w, int dfd, const struct stat *dst, int depth)
{
	size_t base = strlen(w->path);
	struct dirent *de;
	DIR *d;
	int r = 0;

	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return 0;
	}
	/* A large tree must not keep the audit past its deadline. */
	if (tt_audit_timed_out(w->a)) {
		closedir(d);
		return tt_budget_charge(w->a, TT_BUDGET_KIND_GLOB_DIR, 0,
		    w->path[0] ? w->path : "/", w->err, w->errlen);
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		const char *n = de->d_name;

		if (TT_STREQ(n, ".") || TT_STREQ(n, ".."))
			continue;
		if (base + 1 + strlen(n) >= sizeof(w->path))
			continue;
		w->path[base] = '/';
		strlcpy(w->path + base + 1, n, sizeof(w->path) - base - 1);
		if (depth == 0 &&
		    (TT_STREQ(n, "proc") || TT_STREQ(n, "sys") ||
			TT_STREQ(n, "dev") || TT_STREQ(n, "run")))
			continue;
		if (fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if ((r = visit(w, &st)) < 0)
			break;
		if (!S_ISDIR(st.st_mode) || depth + 1 >= WALK_MAX_DEPTH)
			continue;
		{
			int sub = openat(dirfd(d), n,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC |
				O_NOATIME);

			if (sub < 0 && errno == EPERM)
				sub = openat(dirfd(d), n,
				    O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
					O_CLOEXEC);
			if (sub < 0)
				continue;
			if (w->a->runtime && st.st_dev != dst->st_dev) {
				struct statfs sf;

				if (fstatfs(sub, &sf) == 0 &&
				    skip_fs((long)sf.f_type)) {
					close(sub);
					continue;
				}
			}
			r = walk_dir(w, sub, &st, depth + 1);
		}
	}
	w->path[base] = '\0';
	closedir(d);
	return r;
}

static int
load(struct tt_audit *a, struct walk_result **ret, char *err, size_t errlen)
{
	struct walker w = { .a = a, .err = err, .errlen = errlen };
	struct stat st;
	void *data;
	int r, cerr, fd;

	if (tt_audit_cache_get(a, "walk", &data, &cerr)) {
		*ret = data;
		return cerr;
	}
	if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &w.pw, err, errlen)) < 0 ||
	    (r = tt_acct_load(a, TT_ACCT_GROUP, &w.gr, err, errlen)) < 0)
		return r;
	if ((w.res = calloc(1, sizeof(*w.res))) == NULL)
		return -ENOMEM;
	fd = tt_root_open(a->root, "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = fd < 0 ? fd : -errno;
		if (fd >= 0)
			close(fd);
		tt_seterr(err, errlen, "cannot open the root: %s",
		    tt_strerror(-r));
		result_destroy(w.res);
		return r;
	}
	a->walk_count++;
	r = walk_dir(&w, fd, &st, 0);
	if (r < 0) {
		result_destroy(w.res);
		return r;
	}
	if ((r = tt_audit_cache_put(a, "walk", w.res, result_destroy, 0)) < 0)
		return r;
	*ret = w.res;
	return 0;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *kind = tt_param(p, "kind", "");
	struct walk_result *res;
	size_t k;
	int r;

	for (k = 0; k < K_COUNT && !TT_STREQ(kinds[k], kind); k++)
		;
	if (k == K_COUNT)
		return -EINVAL;
	if ((r = load(a, &res, err, errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < res->found[k].n; i++) {
		const struct tt_item *src = &res->found[k].v[i];
		struct tt_item *it;

		if ((r = tt_items_add(out, &it)) < 0)
			break;
		for (size_t f = 0; r == 0 && f < src->n; f++)
			r = tt_item_set(it, src->f[f].name, src->f[f].value);
	}
	return r;
}

const struct tt_probe tt_probe_walk = {
	.name = "walk",
	.description =
	    "files found by one walk of the whole tree per audit "
	    "(world-writable, without sticky bit, SUID, SGID, unowned, "
	    "ungrouped); skips /proc, /sys, /dev, /run and, live, remote "
	    "and pseudo file systems",
	.params = params,
	.fields = fields,
	.run = run,
};
