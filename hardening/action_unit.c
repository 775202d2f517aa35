/* systemd units: mask (a link to /dev/null in /etc), disable (remove the
 * .wants/.requires links), enable (the links the [Install] section asks). */
#include <ctype.h>
#include <strings.h>
#include <sys/stat.h>

#include "actions.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const char *const unit_dirs[] = { "/etc/systemd/system",
	"/run/systemd/system", "/usr/lib/systemd/system",
	"/lib/systemd/system" };

static int
unit_name(json_object *params, const char **ret, char *err, size_t errlen)
{
	const char *u = tt_action_param(params, "unit");

	if (u == NULL || u[0] == '\0' || strchr(u, '/') != NULL ||
	    strchr(u, '.') == NULL) {
		tt_seterr(err, errlen,
		    "fix.params.unit '%s' is not a unit name "
		    "such as avahi-daemon.service",
		    u ? u : "");
		return -EINVAL;
	}
	*ret = u;
	return 0;
}

int
tt_act_unit_mask(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *unit;
	char path[PATH_MAX];
	int r;

	if ((r = unit_name(params, &unit, err, errlen)) < 0)
		return r;
	snprintf(path, sizeof(path), "/etc/systemd/system/%s", unit);
	return tt_plan_symlink(plan, rule, path, "/dev/null");
}

int
tt_act_unit_disable(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	static const char *const kinds[] = { "wants", "requires" };
	const char *unit;
	char pattern[PATH_MAX];
	struct tt_strv g = { 0 };
	int r;

	if ((r = unit_name(params, &unit, err, errlen)) < 0)
		return r;
	for (size_t k = 0; k < TT_ARRAY_SIZE(kinds); k++) {
		snprintf(pattern, sizeof(pattern),
		    "/etc/systemd/system/*.%s/%s", kinds[k], unit);
		if ((r = tt_root_glob(plan->root, pattern, &g)) < 0)
			return r;
		for (size_t i = 0; i < g.n && r == 0; i++)
			r = tt_plan_remove(plan, rule, g.v[i]);
		tt_strv_free(&g);
		if (r < 0)
			return r;
	}
	return 0;
}

int
tt_act_unit_enable(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *unit, *found = NULL;
	char path[PATH_MAX], link[PATH_MAX];
	struct tt_buf text = { 0 };
	bool masked = false;
	int r = -ENOENT;

	if ((r = unit_name(params, &unit, err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < TT_ARRAY_SIZE(unit_dirs); i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", unit_dirs[i], unit);
		if (tt_root_stat(plan->root, path, &st, false) == 0 &&
		    S_ISLNK(st.st_mode) && i < 2) {
			/* A mask in /etc or /run: unmask first. */
			masked = true;
			if ((r = tt_plan_remove(plan, rule, path)) < 0)
				return r;
			continue;
		}
		if (tt_read_file(plan->root, path, (size_t)1024 * 1024,
			&text) == 0) {
			found = unit_dirs[i];
			break;
		}
	}
	if (found == NULL) {
		tt_seterr(err, errlen, "no unit file for '%s' in the image%s",
		    unit, masked ? " (it was masked)" : "");
		return -ENOENT;
	}
	r = 0;
	for (const char *p = text.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n > 9 && strncmp(p, "WantedBy=", 9) == 0) {
			char targets[512];
			char *save = NULL;

			snprintf(targets, sizeof(targets), "%.*s", (int)(n - 9),
			    p + 9);
			for (char *t = strtok_r(targets, " \t", &save);
			     t != NULL && r == 0;
			     t = strtok_r(NULL, " \t", &save)) {
				snprintf(link, sizeof(link),
				    "/etc/systemd/system/%s.wants/%s", t, unit);
				r = tt_plan_symlink(plan, rule, link, path);
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	tt_buf_free(&text);
	return r;
}
