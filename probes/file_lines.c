#include "accounts_db.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, true, NULL,
	    "a path or glob; ~/ at the start stands for the home directory "
	    "of each interactive user" },
	{ "regex", TT_PARAM_REGEX, true, NULL,
	    "POSIX ERE matched against each line" },
	{ "comments", TT_PARAM_BOOL, false, NULL,
	    "also match comment lines (default false)" },
	{ "nocase", TT_PARAM_BOOL, false, NULL, "case-insensitive regex" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "line", "text", "1", "2", "3",
	"4", "5", "6", "7", "8", "9", "user", NULL };

/* The regex is compiled when a file is there to match it against. */
static int
scan_glob(struct tt_audit *a, const char *pattern, const struct tt_params *p,
    bool comments, const char *user, struct tt_items *out, char *err,
    size_t errlen)
{
	struct tt_strv paths = { 0 };
	const regex_t *re = NULL;
	int r;

	err[0] = '\0';
	if ((r = tt_probe_glob(a, pattern, &paths, err, errlen)) < 0 &&
	    err[0] == '\0')
		tt_seterr(err, errlen, "cannot expand '%s': too many matches",
		    pattern);
	if (r == 0 && paths.n > 0)
		r = tt_param_regex_use(p, "regex", &re, err, errlen);
	for (size_t i = 0; r == 0 && i < paths.n; i++)
		r = tt_lines_scan(a, paths.v[i], re, comments, user, out, err,
		    errlen);
	tt_strv_free(&paths);
	return r;
}

/*
 * ~/REST: REST under the home of every interactive user, that is every
 * passwd entry with a login shell (tt_acct_login_shell: in /etc/shells,
 * not nologin or false), as the CIS and SSG rules on users' start-up
 * files mean it.  A user whose home
 * is not an absolute path has none to read.
 */
static int
scan_homes(struct tt_audit *a, const char *rest, const struct tt_params *p,
    bool comments, struct tt_items *out, char *err, size_t errlen)
{
	const struct tt_acct_table_data *pw;
	char pattern[PATH_MAX];
	int r;

	if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < pw->n; i++) {
		const struct tt_acct_entry *e = &pw->v[i];
		const char *home = e->malformed ? "" : e->f[5];
		bool login = false;

		if (home[0] == '/' &&
		    (r = tt_acct_login_shell(a, e->f[6], &login, err, errlen)) <
			0)
			return r;
		if (!login)
			continue;
		if ((size_t)snprintf(pattern, sizeof(pattern), "%s/%s",
			TT_STREQ(home, "/") ? "" : home,
			rest) >= sizeof(pattern))
			continue;
		r = scan_glob(a, pattern, p, comments, e->f[0], out, err,
		    errlen);
	}
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *pattern = tt_param(p, "path", "");
	bool has_regex = tt_param(p, "regex", NULL) != NULL;
	bool comments = tt_param_bool(p, "comments", false);

	if (has_regex && strncmp(pattern, "~/", 2) == 0 && pattern[2] != '\0')
		return scan_homes(a, pattern + 2, p, comments, out, err,
		    errlen);
	if (pattern[0] != '/' || !has_regex) {
		tt_seterr(err, errlen, "path '%s' is not absolute", pattern);
		return -EINVAL;
	}
	return scan_glob(a, pattern, p, comments, NULL, out, err, errlen);
}

const struct tt_probe tt_probe_file_lines = {
	.name = "file_lines",
	.description = "the lines of the files matching a glob that match a "
		       "regular expression, with its capture groups",
	.params = params,
	.fields = fields,
	.run = run,
};
