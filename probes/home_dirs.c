#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "accounts_db.h"
#include "util.h"
#include "tt.h"

static const char *const whats[] = { "home", "dotfiles", "netrc", "rhosts",
	"shosts", "forward", NULL };

static const struct tt_param_spec params[] = {
	{ "what", TT_PARAM_CHOICE, true, whats,
	    "home, dotfiles, netrc, rhosts, shosts or forward" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "user", "path", "exists", "mode", "uid",
	"owner_ok", NULL };

static int
add(struct tt_items *out, const char *user, const char *path, long long uid,
    const struct stat *st)
{
	struct tt_item *it;
	int r;

	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "user", user)) < 0 ||
	    (r = tt_item_set(it, "path", path)) < 0 ||
	    (r = tt_item_set_bool(it, "exists", st != NULL)) < 0)
		return r;
	if (st == NULL)
		return 0;
	if ((r = tt_item_setf(it, "mode", "%04o",
		 (unsigned)(st->st_mode & 07777))) < 0 ||
	    (r = tt_item_setf(it, "uid", "%u", (unsigned)st->st_uid)) < 0)
		return r;
	return tt_item_set_bool(it, "owner_ok", (long long)st->st_uid == uid);
}

static int
dotfiles(struct tt_audit *a, const char *user, const char *home, long long uid,
    const char *only, struct tt_items *out)
{
	char path[PATH_MAX];
	struct tt_strv names = { 0 };
	struct stat st;
	int r;

	if (only != NULL) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s",
			TT_STREQ(home, "/") ? "" : home, only) >= sizeof(path))
			return 0;
		if (tt_root_stat(a->root, path, &st, false) < 0)
			return 0;
		return add(out, user, path, uid, &st);
	}
	{
		int fd = tt_root_open(a->root, home,
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		struct dirent *de;
		DIR *d;

		if (fd < 0)
			return 0;
		if ((d = fdopendir(fd)) == NULL) {
			close(fd);
			return 0;
		}
		r = 0;
		while (r == 0 && (de = readdir(d)) != NULL) {
			if (de->d_name[0] != '.' || TT_STREQ(de->d_name, ".") ||
			    TT_STREQ(de->d_name, ".."))
				continue;
			r = names.n < TT_GLOB_MAX ?
			    tt_strv_add(&names, de->d_name) :
			    0;
		}
		closedir(d);
	}
	tt_strv_sort(&names);
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		snprintf(path, sizeof(path), "%s/%s",
		    TT_STREQ(home, "/") ? "" : home, names.v[i]);
		/* Dot files, as CIS means them: regular files (.bashrc),
		 * not directories such as .cache or .ssh. */
		if (tt_root_stat(a->root, path, &st, false) == 0 &&
		    S_ISREG(st.st_mode))
			r = add(out, user, path, uid, &st);
	}
	tt_strv_free(&names);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_acct_table_data *pw;
	const char *what = tt_param(p, "what", "home");
	const char *only = TT_STREQ(what, "netrc") ? ".netrc" :
	    TT_STREQ(what, "rhosts")		   ? ".rhosts" :
	    TT_STREQ(what, "shosts")		   ? ".shosts" :
	    TT_STREQ(what, "forward")		   ? ".forward" :
						     NULL;
	int r;

	if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) < 0)
		return r;
	/* Interactive users: a login shell (tt_acct_login_shell). */
	for (size_t i = 0; r == 0 && i < pw->n; i++) {
		const struct tt_acct_entry *e = &pw->v[i];
		struct stat st;
		bool login = false;

		if (!e->malformed &&
		    (r = tt_acct_login_shell(a, e->f[6], &login, err, errlen)) <
			0)
			return r;
		if (!login || e->f[5][0] != '/')
			continue;
		if (TT_STREQ(what, "home")) {
			bool ok =
			    tt_root_stat(a->root, e->f[5], &st, true) == 0;

			r = add(out, e->f[0], e->f[5], e->id, ok ? &st : NULL);
		} else {
			r = dotfiles(a, e->f[0], e->f[5], e->id, only, out);
		}
	}
	return r;
}

const struct tt_probe tt_probe_home_dirs = {
	.name = "home_dirs",
	.description = "interactive users' home directories, their dot "
		       "files, or their .netrc/.rhosts/.shosts/.forward files",
	.params = params,
	.fields = fields,
	.run = run,
};
