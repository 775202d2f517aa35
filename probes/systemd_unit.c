#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "process.h"
#include "util.h"
#include "tt.h"

extern char **environ;

static const struct tt_param_spec params[] = {
	{ "unit", TT_PARAM_STRING, true, NULL,
	    "the unit name with its suffix (ssh.service)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "unit", "exists", "enabled", "masked",
	"state", "path", "active", NULL };

/* systemd's unit search path, most important first. */
static const char *const unit_dirs[] = { "/etc/systemd/system",
	"/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system" };

static bool
is_devnull_link(struct tt_audit *a, const char *path)
{
	const char *name;
	char target[PATH_MAX];
	int dfd = tt_root_open_parent(a->root, path, &name);
	ssize_t n;

	if (dfd < 0)
		return false;
	n = readlinkat(dfd, name, target, sizeof(target) - 1);
	close(dfd);
	if (n < 0)
		return false;
	target[n] = '\0';
	return TT_STREQ(target, "/dev/null");
}

/* The template of an instance: getty@tty1.service -> getty@.service. */
static bool
template_of(const char *unit, char *out, size_t size)
{
	const char *at = strchr(unit, '@'), *dot = strrchr(unit, '.');

	if (at == NULL || dot == NULL || dot < at || at[1] == '.')
		return false;
	snprintf(out, size, "%.*s%s", (int)(at - unit + 1), unit, dot);
	return true;
}

/* The unit file: the first directory that has the name. */
static bool
find_unit(struct tt_audit *a, const char *unit, char *path, size_t size)
{
	struct stat st;

	for (size_t i = 0; i < TT_ARRAY_SIZE(unit_dirs); i++) {
		snprintf(path, size, "%s/%s", unit_dirs[i], unit);
		if (tt_root_stat(a->root, path, &st, false) == 0)
			return true;
	}
	return false;
}

/* A link named unit in some *.wants or *.requires directory. */
static bool
wanted(struct tt_audit *a, const char *unit)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(unit_dirs); i++) {
		struct tt_strv sub = { 0 };
		bool hit = false;

		tt_root_list_dir(a->root, unit_dirs[i], "", &sub);
		for (size_t j = 0; j < sub.n && !hit; j++) {
			size_t n = strlen(sub.v[j]);
			char path[PATH_MAX];
			struct stat st;

			if (!(n > 6 && TT_STREQ(sub.v[j] + n - 6, ".wants")) &&
			    !(n > 9 && TT_STREQ(sub.v[j] + n - 9, ".requires")))
				continue;
			snprintf(path, sizeof(path), "%s/%s/%s", unit_dirs[i],
			    sub.v[j], unit);
			hit = tt_root_stat(a->root, path, &st, false) == 0;
		}
		tt_strv_free(&sub);
		if (hit)
			return true;
	}
	return false;
}

/* An alias: a link in /etc/systemd/system whose target is the unit
 * (sshd.service -> /lib/systemd/system/ssh.service). */
static bool
aliased(struct tt_audit *a, const char *unit)
{
	struct tt_strv names = { 0 };
	bool hit = false;
	int dfd = tt_root_open(a->root, "/etc/systemd/system",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);

	if (dfd < 0)
		return false;
	tt_root_list_dir(a->root, "/etc/systemd/system", "", &names);
	for (size_t i = 0; i < names.n && !hit; i++) {
		char target[PATH_MAX];
		const char *base;
		ssize_t n;

		if (TT_STREQ(names.v[i], unit))
			continue;
		n = readlinkat(dfd, names.v[i], target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		base = strrchr(target, '/');
		hit = TT_STREQ(base ? base + 1 : target, unit);
	}
	close(dfd);
	tt_strv_free(&names);
	return hit;
}

/* No [Install] section with WantedBy/RequiredBy/Alias/Also: static. */
static bool
is_static(struct tt_audit *a, const char *path)
{
	struct tt_buf text;
	struct tt_lines l;
	char line[1024];
	bool install = false, any = false;

	if (tt_probe_read(a, path, &text) < 0)
		return false;
	tt_lines_init(&l, text.data, text.len);
	while (tt_lines_next(&l, line, sizeof(line), true, NULL) > 0) {
		char *s = tt_trim(line);

		if (*s == '[')
			install = TT_STREQ(s, "[Install]");
		else if (install &&
		    (strncmp(s, "WantedBy", 8) == 0 ||
			strncmp(s, "RequiredBy", 10) == 0 ||
			strncmp(s, "Alias", 5) == 0 ||
			strncmp(s, "Also", 4) == 0 ||
			strncmp(s, "UpheldBy", 8) == 0))
			any = true;
	}
	tt_buf_free(&text);
	return !any;
}

/* At runtime: `systemctl is-active --quiet UNIT` (no D-Bus code here). */
static int
active(const char *unit)
{
	static const char *const paths[] = { "/usr/bin/systemctl",
		"/bin/systemctl" };
	char *argv[] = { (char *)"systemctl", (char *)"is-active",
		(char *)"--quiet", (char *)unit, NULL };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status;

	for (size_t i = 0; i < TT_ARRAY_SIZE(paths); i++) {
		if (access(paths[i], X_OK) != 0)
			continue;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY,
		    0);
		posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY,
		    0);
		if (posix_spawn(&pid, paths[i], &fa, NULL, argv, environ) !=
		    0) {
			posix_spawn_file_actions_destroy(&fa);
			return -1;
		}
		posix_spawn_file_actions_destroy(&fa);
		if (tt_wait_child(pid, &status) < 0)
			return -1;
		return WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}
	return -1;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *unit = tt_param(p, "unit", "");
	char path[PATH_MAX], tmpl[NAME_MAX + 1], mpath[PATH_MAX];
	bool exists, masked = false, enabled, stat_ic = false;
	struct tt_item *it;
	int r;

	if (strchr(unit, '/') != NULL || unit[0] == '.') {
		tt_seterr(err, errlen, "bad unit name '%s'", unit);
		return -EINVAL;
	}
	for (size_t i = 0; i < 2 && !masked; i++) {
		snprintf(mpath, sizeof(mpath), "%s/%s", unit_dirs[i], unit);
		masked = is_devnull_link(a, mpath);
	}
	exists = find_unit(a, unit, path, sizeof(path));
	if (!exists && template_of(unit, tmpl, sizeof(tmpl)))
		exists = find_unit(a, tmpl, path, sizeof(path));
	if (exists && is_devnull_link(a, path)) {
		/* Masked without a real unit file behind the mask. */
		char real[PATH_MAX];
		bool found = false;

		for (size_t i = 2; i < TT_ARRAY_SIZE(unit_dirs) && !found;
		     i++) {
			struct stat st;

			snprintf(real, sizeof(real), "%s/%s", unit_dirs[i],
			    unit);
			found = tt_root_stat(a->root, real, &st, true) == 0;
		}
		exists = found;
		if (found)
			strlcpy(path, real, sizeof(path));
	}
	enabled = !masked && exists && (wanted(a, unit) || aliased(a, unit));
	if (exists && !masked && !enabled)
		stat_ic = is_static(a, path);
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "unit", unit)) < 0 ||
	    (r = tt_item_set_bool(it, "exists", exists)) < 0 ||
	    (r = tt_item_set_bool(it, "enabled", enabled)) < 0 ||
	    (r = tt_item_set_bool(it, "masked", masked)) < 0 ||
	    (r = tt_item_set(it, "state",
		 masked	     ? "masked" :
		     !exists ? "absent" :
		     enabled ? "enabled" :
		     stat_ic ? "static" :
			       "disabled")) < 0 ||
	    (r = tt_item_set(it, "path", exists ? path : "")) < 0)
		return r;
	if (a->runtime) {
		int act = active(unit);

		if (act >= 0)
			r = tt_item_set_bool(it, "active", act == 1);
	}
	return r;
}

const struct tt_probe tt_probe_systemd_unit = {
	.name = "systemd_unit",
	.description =
	    "a systemd unit: exists, enabled (*.wants/*.requires "
	    "links or an alias), masked (a link to /dev/null in /etc or "
	    "/run), its state and, live, whether it is active",
	.params = params,
	.fields = fields,
	.run = run,
};
