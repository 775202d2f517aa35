#include <sys/stat.h>
#include <unistd.h>

#include "accounts_db.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, true, NULL, "a path or glob" },
	{ "follow", TT_PARAM_BOOL, false, NULL,
	    "follow a symbolic link at the end (default true)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "exists", "type", "mode", "uid",
	"gid", "owner", "group", "size", "target", NULL };

static const char *
type_name(mode_t m)
{
	return S_ISREG(m) ? "file" :
	    S_ISDIR(m)	  ? "dir" :
	    S_ISLNK(m)	  ? "link" :
	    S_ISCHR(m)	  ? "char" :
	    S_ISBLK(m)	  ? "block" :
	    S_ISFIFO(m)	  ? "fifo" :
			    "socket";
}

static int
add_path(struct tt_audit *a, const char *path, bool follow,
    struct tt_items *out)
{
	const struct tt_acct_table_data *pw = NULL, *gr = NULL;
	const char *owner, *group;
	struct tt_item *it;
	struct stat st;
	char why[256];
	int r;

	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "path", path)) < 0)
		return r;
	if (tt_root_stat(a->root, path, &st, follow) < 0)
		return tt_item_set_bool(it, "exists", false);
	/* Names come from the image's own passwd and group, not the host's. */
	tt_acct_load(a, TT_ACCT_PASSWD, &pw, why, sizeof(why));
	tt_acct_load(a, TT_ACCT_GROUP, &gr, why, sizeof(why));
	owner = pw ? tt_acct_name_of(pw, st.st_uid) : NULL;
	group = gr ? tt_acct_name_of(gr, st.st_gid) : NULL;
	if ((r = tt_item_set_bool(it, "exists", true)) < 0 ||
	    (r = tt_item_set(it, "type", type_name(st.st_mode))) < 0 ||
	    (r = tt_item_setf(it, "mode", "%04o",
		 (unsigned)(st.st_mode & 07777))) < 0 ||
	    (r = tt_item_setf(it, "uid", "%u", (unsigned)st.st_uid)) < 0 ||
	    (r = tt_item_setf(it, "gid", "%u", (unsigned)st.st_gid)) < 0 ||
	    (r = tt_item_set(it, "owner", owner ? owner : "")) < 0 ||
	    (r = tt_item_set(it, "group", group ? group : "")) < 0 ||
	    (r = tt_item_setf(it, "size", "%lld", (long long)st.st_size)) < 0)
		return r;
	if (S_ISLNK(st.st_mode)) {
		const char *name;
		char target[PATH_MAX];
		int dfd = tt_root_open_parent(a->root, path, &name);
		ssize_t n;

		if (dfd < 0)
			return 0;
		n = readlinkat(dfd, name, target, sizeof(target) - 1);
		close(dfd);
		if (n >= 0) {
			target[n] = '\0';
			r = tt_item_set(it, "target", target);
		}
	}
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv paths = { 0 };
	const char *pattern = tt_param(p, "path", "");
	bool follow = tt_param_bool(p, "follow", true);
	struct tt_item *it;
	int r;

	if (pattern[0] != '/') {
		tt_seterr(err, errlen, "path '%s' is not absolute", pattern);
		return -EINVAL;
	}
	err[0] = '\0';
	if ((r = tt_probe_glob(a, pattern, &paths, err, errlen)) < 0) {
		if (err[0] == '\0')
			tt_seterr(err, errlen, "cannot expand '%s': %s",
			    pattern,
			    r == -E2BIG ? "too many matches" : tt_strerror(-r));
		tt_strv_free(&paths);
		return r;
	}
	if (paths.n == 0) {
		if ((r = tt_items_add(out, &it)) == 0 &&
		    (r = tt_item_set(it, "path", pattern)) == 0)
			r = tt_item_set_bool(it, "exists", false);
	}
	for (size_t i = 0; r == 0 && i < paths.n; i++)
		r = add_path(a, paths.v[i], follow, out);
	tt_strv_free(&paths);
	return r;
}

const struct tt_probe tt_probe_file = {
	.name = "file",
	.description = "metadata of each path matching a glob (exists, type, "
		       "mode, owner, group, size, link target)",
	.params = params,
	.fields = fields,
	.run = run,
};
