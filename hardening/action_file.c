/* Actions on files: modes and owners, removal, content, lines, fstab. */
#include <regex.h>
#include <sys/stat.h>

#include "actions.h"
#include "fileio.h"
#include "image_ids.h"
#include "log.h"
#include "packages.h"
#include "util.h"
#include "tt.h"

#define FILE_MAX ((size_t)8 * 1024 * 1024)
#define MAX_MATCHES 100000

static int
need(json_object *params, const char *name, const char **ret, char *err,
    size_t errlen)
{
	*ret = tt_action_param(params, name);
	if (*ret == NULL || (*ret)[0] == '\0') {
		tt_seterr(err, errlen, "fix.params.%s is missing", name);
		return -EINVAL;
	}
	return 0;
}

static int
parse_mode(const char *s, mode_t *ret)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 8);
	if (errno != 0 || *end != '\0' || end == s || v > 07777)
		return -EINVAL;
	*ret = (mode_t)v;
	return 0;
}

int
tt_act_file_mode(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path, *mode_s, *owner = tt_action_param(params, "owner");
	const char *group = tt_action_param(params, "group");
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	struct tt_strv g = { 0 };
	mode_t max;
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0 ||
	    (r = need(params, "mode", &mode_s, err, errlen)) < 0)
		return r;
	if (parse_mode(mode_s, &max) < 0) {
		tt_seterr(err, errlen,
		    "fix.params.mode '%s' is not an octal "
		    "mode",
		    mode_s);
		return -EINVAL;
	}
	if (owner != NULL && (r = tt_image_uid(plan->root, owner, &uid)) < 0) {
		tt_seterr(err, errlen, "no user '%s' in the image", owner);
		return r;
	}
	if (group != NULL && (r = tt_image_gid(plan->root, group, &gid)) < 0) {
		tt_seterr(err, errlen, "no group '%s' in the image", group);
		return r;
	}
	if ((r = tt_root_glob(plan->root, path, &g)) < 0) {
		tt_seterr(err, errlen, "cannot expand '%s': %s", path,
		    tt_strerror(-r));
		return r;
	}
	for (size_t i = 0; i < g.n && r == 0; i++) {
		struct stat st;

		if (tt_root_stat(plan->root, g.v[i], &st, false) < 0 ||
		    S_ISLNK(st.st_mode))
			continue;
		/* "mode" is the most permissive allowed: drop the extra
		 * bits, never add any. */
		r = tt_plan_meta(plan, rule, g.v[i], (st.st_mode & 07777) & max,
		    uid, gid);
	}
	tt_strv_free(&g);
	if (r < 0)
		tt_seterr(err, errlen, "cannot plan modes of '%s': %s", path,
		    tt_strerror(-r));
	return r;
}

int
tt_act_file_absent(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path;
	struct tt_strv g = { 0 };
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0)
		return r;
	if ((r = tt_root_glob(plan->root, path, &g)) < 0)
		return r;
	for (size_t i = 0; i < g.n && r == 0; i++) {
		struct stat st;

		if (tt_root_stat(plan->root, g.v[i], &st, false) == 0 &&
		    S_ISDIR(st.st_mode)) {
			tt_seterr(err, errlen,
			    "'%s' is a directory: not "
			    "removed",
			    g.v[i]);
			r = -EISDIR;
			break;
		}
		r = tt_plan_remove(plan, rule, g.v[i]);
	}
	tt_strv_free(&g);
	return r;
}

int
tt_act_file_content(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path, *content, *mode_s = tt_action_param(params, "mode");
	mode_t mode = 0644;
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0)
		return r;
	content = tt_action_param(params, "content");
	if (content == NULL) {
		tt_seterr(err, errlen, "fix.params.content is missing");
		return -EINVAL;
	}
	if (mode_s != NULL && parse_mode(mode_s, &mode) < 0) {
		tt_seterr(err, errlen,
		    "fix.params.mode '%s' is not an octal "
		    "mode",
		    mode_s);
		return -EINVAL;
	}
	r = tt_plan_write(plan, rule, path, content, strlen(content), mode);
	if (r == 0 && mode_s != NULL) {
		struct stat st;

		if (tt_root_stat(plan->root, path, &st, false) == 0)
			r = tt_plan_meta(plan, rule, path, mode, (uid_t)-1,
			    (gid_t)-1);
	}
	return r;
}

/* Rewrites path line by line: every line matching re is replaced by
 * replacement (so both branches of a shell if/else keep a line) or
 * dropped (NULL); with no match, replacement is appended. */
static int
rewrite_lines(struct tt_plan *plan, const char *rule, const char *path,
    const char *regex, const char *replacement, char *err, size_t errlen)
{
	struct tt_buf cur, out;
	bool exists, replaced = false;
	regex_t re;
	int r;

	if (regcomp(&re, regex, REG_EXTENDED | REG_NOSUB) != 0) {
		tt_seterr(err, errlen,
		    "fix.params.regex '%s' is not a valid "
		    "extended regular expression",
		    regex);
		return -EINVAL;
	}
	if ((r = tt_plan_read(plan, path, FILE_MAX, &cur, &exists)) < 0) {
		regfree(&re);
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(-r));
		return r;
	}
	tt_buf_init(&out, FILE_MAX);
	for (const char *p = cur.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n);

		if (line == NULL) {
			r = -ENOMEM;
			break;
		}
		if (regexec(&re, line, 0, NULL, 0) == 0) {
			if (replacement != NULL)
				r = tt_buf_printf(&out, "%s\n", replacement);
			replaced = true;
		} else {
			r = tt_buf_printf(&out, "%s\n", line);
		}
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	if (r == 0 && replacement != NULL && !replaced)
		r = tt_buf_printf(&out, "%s\n", replacement);
	if (r == 0 && (exists || replacement != NULL))
		r = tt_plan_write(plan, rule, path, out.data ? out.data : "",
		    out.len, 0644);
	regfree(&re);
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

int
tt_act_line_present(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path, *line, *regex;
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0 ||
	    (r = need(params, "line", &line, err, errlen)) < 0 ||
	    (r = need(params, "regex", &regex, err, errlen)) < 0)
		return r;
	return rewrite_lines(plan, rule, path, regex, line, err, errlen);
}

int
tt_act_line_absent(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path, *regex;
	struct tt_strv g = { 0 };
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0 ||
	    (r = need(params, "regex", &regex, err, errlen)) < 0)
		return r;
	if ((r = tt_root_glob(plan->root, path, &g)) < 0)
		return r;
	for (size_t i = 0; i < g.n && r == 0; i++)
		r = rewrite_lines(plan, rule, g.v[i], regex, NULL, err, errlen);
	tt_strv_free(&g);
	return r;
}

/* fstab: the options field (4th) of the entry mounted at path gets the
 * option; an entry must exist — making a partition is for a person. */
int
tt_act_mount_option(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *path, *option;
	struct tt_buf cur, out;
	bool exists, found = false;
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0 ||
	    (r = need(params, "option", &option, err, errlen)) < 0)
		return r;
	if ((r = tt_plan_read(plan, "/etc/fstab", FILE_MAX, &cur, &exists)) < 0)
		return r;
	tt_buf_init(&out, FILE_MAX);
	for (const char *p = cur.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char line[4096], *f[6] = { 0 }, *save = NULL;
		int nf = 0;

		if (n >= sizeof(line)) {
			r = tt_buf_append(&out, p, n);
			if (r == 0)
				r = tt_buf_putc(&out, '\n');
			p = nl ? nl + 1 : NULL;
			continue;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (line[strspn(line, " \t")] != '#')
			for (char *t = strtok_r(line, " \t", &save);
			     t != NULL && nf < 6;
			     t = strtok_r(NULL, " \t", &save))
				f[nf++] = t;
		if (nf >= 4 && TT_STREQ(f[1], path)) {
			char opts[1024];
			bool has = false;
			size_t ol = strlen(option);

			found = true;
			for (char *o = f[3]; o != NULL && *o;) {
				char *c = strchr(o, ',');
				size_t l = c ? (size_t)(c - o) : strlen(o);

				has |= l == ol && strncmp(o, option, l) == 0;
				o = c ? c + 1 : NULL;
			}
			if (TT_STREQ(f[3], "defaults"))
				snprintf(opts, sizeof(opts), "defaults,%s",
				    option);
			else
				snprintf(opts, sizeof(opts), "%s,%s", f[3],
				    option);
			if (has) {
				r = tt_buf_append(&out, p, n);
			} else {
				r = tt_buf_printf(&out, "%s\t%s\t%s\t%s", f[0],
				    f[1], f[2], opts);
				for (int k = 4; r == 0 && k < nf; k++)
					r = tt_buf_printf(&out, "\t%s", f[k]);
			}
		} else {
			r = tt_buf_append(&out, p, n);
		}
		if (r == 0)
			r = tt_buf_putc(&out, '\n');
		p = nl ? nl + 1 : NULL;
	}
	if (r == 0 && !found) {
		tt_seterr(err, errlen,
		    "no /etc/fstab entry for '%s': a "
		    "separate file system is for a person to create",
		    path);
		r = -ENOENT;
	}
	if (r == 0)
		r = tt_plan_write(plan, rule, "/etc/fstab", out.data, out.len,
		    0644);
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

/* package_remove; package_install needs the archive, which an image
 * being hardened offline does not have: it is for the image build. */
int
tt_act_package(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *name = tt_action_param(params, "name");
	char version[128];
	bool installed;
	int r;

	if (name == NULL) {
		tt_seterr(err, errlen, "fix.params.name is missing");
		return -EINVAL;
	}
	r = tt_package_installed(plan->root, name, &installed, version,
	    sizeof(version));
	if (r < 0) {
		tt_seterr(err, errlen,
		    "cannot tell whether '%s' is installed: "
		    "%s",
		    name, tt_strerror(-r));
		return r;
	}
	if (!installed)
		return 0;
	return tt_plan_package_remove(plan, rule, name, version);
}
