/*
 * Actions that set a key in a daemon's configuration, preferring a drop-in
 * where the daemon reads one and the drop-in can win: sshd (first value
 * wins, so an early drop-in), sysctl.d and journald.conf.d (last wins, so
 * a late one), modprobe.d; login.defs, pwquality, faillock and pwhistory
 * in place; sudoers through sudoers.d; rsyslog, shell variables, GRUB.
 */
#include <ctype.h>
#include <strings.h>

#include "actions.h"
#include "fileio.h"
#include "kvedit.h"
#include "log.h"
#include "util.h"
#include "tt.h"

#define CONF_MAX ((size_t)1024 * 1024)
#define SSHD_MAIN "/etc/ssh/sshd_config"
#define SSHD_DROPIN "/etc/ssh/sshd_config.d/00-tattoo-hardening.conf"
#define SYSCTL_DROPIN "/etc/sysctl.d/zz-tattoo-hardening.conf"
#define JOURNALD_DROPIN "/etc/systemd/journald.conf.d/zz-tattoo-hardening.conf"
#define SUDOERS_DROPIN "/etc/sudoers.d/tattoo-hardening"

static const struct tt_kvedit_style sshd_style = { .sep = " ",
	.nocase = true,
	.stop_at = "Match" };
static const struct tt_kvedit_style eq_style = { .sep = " = " };
static const struct tt_kvedit_style tab_style = { .sep = "\t" };
static const struct tt_kvedit_style ini_style = { .sep = "=",
	.section = "[Journal]" };
static const struct tt_kvedit_style shell_style = { .sep = "=", .quote = true };
static const struct tt_kvedit_style space_style = { .sep = " " };
static const struct tt_kvedit_style flag_style = { .sep = "" };

static int
need(json_object *params, const char *name, const char **ret, char *err,
    size_t errlen)
{
	*ret = tt_action_param(params, name);
	if (*ret == NULL || (*ret)[0] == '\0') {
		tt_seterr(err, errlen, "fix.params.%s is missing", name);
		return -EINVAL;
	}
	if (strpbrk(*ret, "\n\r") != NULL) {
		tt_seterr(err, errlen, "fix.params.%s holds a line break",
		    name);
		return -EINVAL;
	}
	return 0;
}

/* Sets key in path (created with mode when missing) through the plan. */
static int
set_in(struct tt_plan *plan, const char *rule, const char *path,
    const char *key, const char *value, const struct tt_kvedit_style *style,
    mode_t mode, char *err, size_t errlen)
{
	struct tt_buf cur, out;
	bool exists;
	int r;

	r = tt_plan_read(plan, path, CONF_MAX, &cur, &exists);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(-r));
		return r;
	}
	tt_buf_init(&out, CONF_MAX);
	r = tt_kv_set(cur.data, cur.len, key, value, style, &out);
	if (r == 0)
		r = tt_plan_write(plan, rule, path, out.data, out.len, mode);
	if (r < 0)
		tt_seterr(err, errlen, "cannot plan '%s': %s", path,
		    tt_strerror(-r));
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

/* Comments key out of path, when path exists. */
static int
unset_in(struct tt_plan *plan, const char *rule, const char *path,
    const char *key, const struct tt_kvedit_style *style, char *err,
    size_t errlen)
{
	struct tt_buf cur, out;
	bool exists;
	int r;

	r = tt_plan_read(plan, path, CONF_MAX, &cur, &exists);
	if (r < 0 || !exists) {
		tt_buf_free(&cur);
		return r == -ENOENT ? 0 : (r < 0 ? r : 0);
	}
	tt_buf_init(&out, CONF_MAX);
	r = tt_kv_unset(cur.data, cur.len, key, style, &out);
	if (r == 0 &&
	    (out.len != cur.len || memcmp(out.data, cur.data, cur.len) != 0))
		r = tt_plan_write(plan, rule, path, out.data, out.len, 0644);
	if (r < 0)
		tt_seterr(err, errlen, "cannot plan '%s': %s", path,
		    tt_strerror(-r));
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

/*
 * Where an sshd drop-in wins: the main file Includes sshd_config.d before
 * any global setting of key (first value wins).  Returns true then.
 */
static bool
sshd_dropin_wins(const char *text, size_t len, const char *key)
{
	size_t pos = 0, kl = strlen(key);

	while (pos < len) {
		const char *l = text + pos, *nl = memchr(l, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - l) : len - pos;

		pos += n + (nl ? 1 : 0);
		while (n > 0 && (*l == ' ' || *l == '\t')) {
			l++;
			n--;
		}
		if (n == 0 || *l == '#')
			continue;
		if (n > 5 && strncasecmp(l, "Match", 5) == 0 &&
		    (l[5] == ' ' || l[5] == '\t'))
			return false;
		if (n > 7 && strncasecmp(l, "Include", 7) == 0 &&
		    (l[7] == ' ' || l[7] == '\t') &&
		    memmem(l, n, "sshd_config.d/", 14) != NULL)
			return true;
		if (n > kl && strncasecmp(l, key, kl) == 0 &&
		    (l[kl] == ' ' || l[kl] == '\t' || l[kl] == '='))
			return false;
	}
	return false;
}

int
tt_act_sshd_set(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *key, *value;
	struct tt_buf main;
	struct tt_strv g = { 0 };
	bool exists, dropin;
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	r = tt_plan_read(plan, SSHD_MAIN, CONF_MAX, &main, &exists);
	if (r < 0 || !exists) {
		tt_buf_free(&main);
		tt_seterr(err, errlen, "no %s in the image", SSHD_MAIN);
		return r < 0 ? r : -ENOENT;
	}
	dropin = sshd_dropin_wins(main.data, main.len, key);
	tt_buf_free(&main);
	if (!dropin)
		return set_in(plan, rule, SSHD_MAIN, key, value, &sshd_style,
		    0600, err, errlen);
	/* Drop-ins that sort before ours would win: take the key out. */
	if ((r = tt_root_glob(plan->root, "/etc/ssh/sshd_config.d/*.conf",
		 &g)) < 0) {
		tt_seterr(err, errlen, "cannot list sshd_config.d: %s",
		    tt_strerror(-r));
		return r;
	}
	for (size_t i = 0; i < g.n && r == 0; i++)
		if (strcmp(g.v[i], SSHD_DROPIN) < 0)
			r = unset_in(plan, rule, g.v[i], key, &sshd_style, err,
			    errlen);
	tt_strv_free(&g);
	if (r < 0)
		return r;
	return set_in(plan, rule, SSHD_DROPIN, key, value, &sshd_style, 0600,
	    err, errlen);
}

int
tt_act_sysctl_set(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *key, *value;
	char slashed[256];
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	if (strlcpy(slashed, key, sizeof(slashed)) >= sizeof(slashed))
		return -ENAMETOOLONG;
	for (char *p = slashed; *p; p++)
		if (*p == '.')
			*p = '/';
	/* sysctl.conf is applied after the drop-ins on Debian (it is linked
	 * as 99-sysctl.conf) and so would win over ours. */
	if ((r = unset_in(plan, rule, "/etc/sysctl.conf", key, &eq_style, err,
		 errlen)) < 0 ||
	    (r = unset_in(plan, rule, "/etc/sysctl.conf", slashed, &eq_style,
		 err, errlen)) < 0)
		return r;
	return set_in(plan, rule, SYSCTL_DROPIN, key, value, &eq_style, 0644,
	    err, errlen);
}

int
tt_act_modprobe_disable(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *module;
	char path[PATH_MAX], content[512];
	int r;

	if ((r = need(params, "module", &module, err, errlen)) < 0)
		return r;
	for (const char *p = module; *p; p++) {
		if (!isalnum((unsigned char)*p) && *p != '_' && *p != '-') {
			tt_seterr(err, errlen,
			    "fix.params.module '%s' is not a "
			    "module name",
			    module);
			return -EINVAL;
		}
	}
	snprintf(path, sizeof(path), "/etc/modprobe.d/tattoo-%s.conf", module);
	snprintf(content, sizeof(content),
	    "# written by tattoo harden\n"
	    "install %s /bin/false\nblacklist %s\n",
	    module, module);
	return tt_plan_write(plan, rule, path, content, strlen(content), 0644);
}

int
tt_act_login_defs_set(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *key, *value;
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	return set_in(plan, rule, "/etc/login.defs", key, value, &tab_style,
	    0644, err, errlen);
}

/* pam module configuration files: "key = value", and bare flags. */
static int
set_module_conf(struct tt_plan *plan, const char *rule, const char *path,
    const char *dropins, json_object *params, char *err, size_t errlen)
{
	static const char *const flags[] = { "silent", "even_deny_root",
		"audit", "no_log_info", "local_users_only", "nodelay",
		"enforce_for_root", "dictcheck", "usercheck" };
	const char *key, *value;
	bool flag = false;
	struct tt_strv g = { 0 };
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < TT_ARRAY_SIZE(flags); i++)
		flag |= TT_STREQ(flags[i], key);
	flag &= TT_STREQ(value, "true") || TT_STREQ(value, "false");
	/* Drop-ins are read after the main file and would win. */
	if (dropins != NULL &&
	    (r = tt_root_glob(plan->root, dropins, &g)) == 0) {
		for (size_t i = 0; i < g.n && r == 0; i++)
			r = unset_in(plan, rule, g.v[i], key, &eq_style, err,
			    errlen);
		tt_strv_free(&g);
		if (r < 0)
			return r;
	}
	if (flag && TT_STREQ(value, "false"))
		return unset_in(plan, rule, path, key, &eq_style, err, errlen);
	if (flag)
		return set_in(plan, rule, path, key, "", &flag_style, 0644, err,
		    errlen);
	return set_in(plan, rule, path, key, value, &eq_style, 0644, err,
	    errlen);
}

int
tt_act_pwquality_set(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	return set_module_conf(plan, rule, "/etc/security/pwquality.conf",
	    "/etc/security/pwquality.conf.d/*.conf", params, err, errlen);
}

int
tt_act_faillock_set(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	return set_module_conf(plan, rule, "/etc/security/faillock.conf", NULL,
	    params, err, errlen);
}

int
tt_act_pwhistory_set(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	return set_module_conf(plan, rule, "/etc/security/pwhistory.conf", NULL,
	    params, err, errlen);
}

int
tt_act_journald_set(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *key, *value;
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	return set_in(plan, rule, JOURNALD_DROPIN, key, value, &ini_style, 0644,
	    err, errlen);
}

int
tt_act_rsyslog_set(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *key, *value, *path = "/etc/rsyslog.conf";
	struct tt_buf cur, out;
	bool exists, present = false;
	size_t kl;
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	if ((r = tt_plan_read(plan, path, CONF_MAX, &cur, &exists)) < 0)
		return r;
	kl = strlen(key);
	for (const char *p = cur.data; p != NULL && *p;) {
		const char *nl = strchr(p, '\n');

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, key, kl) == 0 && (p[kl] == ' ' || p[kl] == '\t'))
			present = true;
		p = nl ? nl + 1 : NULL;
	}
	tt_buf_init(&out, CONF_MAX);
	if (present) {
		r = tt_kv_set(cur.data, cur.len, key, value, &space_style,
		    &out);
	} else {
		/* Legacy directives apply to the actions after them: the
		 * setting goes first. */
		r = tt_buf_printf(&out, "%s %s\n", key, value);
		if (r == 0)
			r = tt_buf_append(&out, cur.data, cur.len);
	}
	if (r == 0)
		r = tt_plan_write(plan, rule, path, out.data, out.len, 0644);
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

int
tt_act_shell_var_set(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *path, *key, *value;
	int r;

	if ((r = need(params, "path", &path, err, errlen)) < 0 ||
	    (r = need(params, "key", &key, err, errlen)) < 0 ||
	    (r = need(params, "value", &value, err, errlen)) < 0)
		return r;
	if (strpbrk(value, "\"$`\\") != NULL) {
		tt_seterr(err, errlen,
		    "fix.params.value: shell metacharacters "
		    "are not written into '%s'",
		    path);
		return -EINVAL;
	}
	return set_in(plan, rule, path, key, value, &shell_style, 0644, err,
	    errlen);
}

int
tt_act_sudoers_defaults(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *key, *value = tt_action_param(params, "value");
	struct tt_buf main, cur, out;
	char line[1024];
	bool exists, dropins, replaced = false;
	size_t kl;
	const char *target;
	int r;

	if ((r = need(params, "key", &key, err, errlen)) < 0)
		return r;
	if (value != NULL && strpbrk(value, "\n\"") != NULL) {
		tt_seterr(err, errlen, "fix.params.value: not a sudoers value");
		return -EINVAL;
	}
	if (value != NULL && value[0] != '\0')
		snprintf(line, sizeof(line), "Defaults %s=\"%s\"", key, value);
	else
		snprintf(line, sizeof(line), "Defaults %s", key);
	if ((r = tt_plan_read(plan, "/etc/sudoers", CONF_MAX, &main, &exists)) <
	    0)
		return r;
	dropins = main.data != NULL &&
	    (strstr(main.data, "includedir /etc/sudoers.d") != NULL);
	tt_buf_free(&main);
	target = dropins ? SUDOERS_DROPIN : "/etc/sudoers";
	if ((r = tt_plan_read(plan, target, CONF_MAX, &cur, &exists)) < 0)
		return r;
	tt_buf_init(&out, CONF_MAX);
	kl = strlen(key);
	for (const char *p = cur.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n'), *q = p;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (*q == ' ' || *q == '\t')
			q++;
		if (strncmp(q, "Defaults ", 9) == 0 &&
		    strncmp(q + 9, key, kl) == 0 &&
		    (q[9 + kl] == '=' || q[9 + kl] == '\0' ||
			q[9 + kl] == '\n' || q[9 + kl] == ' ')) {
			if (!replaced)
				r = tt_buf_printf(&out, "%s\n", line);
			replaced = true;
		} else {
			r = tt_buf_append(&out, p, n);
			if (r == 0)
				r = tt_buf_putc(&out, '\n');
		}
		p = nl ? nl + 1 : NULL;
	}
	if (r == 0 && !replaced)
		r = tt_buf_printf(&out, "%s\n", line);
	if (r == 0)
		r = tt_plan_write(plan, rule, target, out.data, out.len, 0440);
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

/* Replaces or appends one "arg[=value]" word in a kernel command line. */
static int
cmdline_with(const char *cmd, size_t n, const char *arg, const char *word,
    struct tt_buf *out)
{
	size_t al = strlen(arg), i = 0;
	bool done = false;
	int r = 0;

	while (i < n && r == 0) {
		size_t s = i, e;

		while (s < n && cmd[s] == ' ')
			s++;
		if (s >= n)
			break;
		for (e = s; e < n && cmd[e] != ' '; e++)
			;
		if (out->len > 0 && (r = tt_buf_putc(out, ' ')) < 0)
			break;
		if (e - s >= al && strncmp(cmd + s, arg, al) == 0 &&
		    (e - s == al || cmd[s + al] == '=')) {
			if (!done)
				r = tt_buf_puts(out, word);
			else if (out->len > 0)
				out->data[--out->len] = '\0';
			done = true;
		} else {
			r = tt_buf_append(out, cmd + s, e - s);
		}
		i = e;
	}
	if (r == 0 && !done) {
		if (out->len > 0)
			r = tt_buf_putc(out, ' ');
		if (r == 0)
			r = tt_buf_puts(out, word);
	}
	return r;
}

static int
grub_default(struct tt_plan *plan, const char *rule, const char *arg,
    const char *word, char *err, size_t errlen)
{
	const char *path = "/etc/default/grub", *var = "GRUB_CMDLINE_LINUX";
	struct tt_buf cur, cmd, out;
	const char *v = "";
	size_t vl = 0, varl = strlen(var);
	bool exists;
	int r;

	if ((r = tt_plan_read(plan, path, CONF_MAX, &cur, &exists)) < 0)
		return r;
	for (const char *p = cur.data; p != NULL && *p;) {
		const char *nl = strchr(p, '\n');

		if (strncmp(p, var, varl) == 0 && p[varl] == '=') {
			v = p + varl + 1;
			vl = nl ? (size_t)(nl - v) : strlen(v);
			if (vl >= 2 && (v[0] == '"' || v[0] == '\'') &&
			    v[vl - 1] == v[0]) {
				v++;
				vl -= 2;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	tt_buf_init(&cmd, 4096);
	tt_buf_init(&out, CONF_MAX);
	r = cmdline_with(v, vl, arg, word, &cmd);
	if (r == 0 && strpbrk(cmd.data ? cmd.data : "", "\"$`\\") != NULL)
		r = -EINVAL;
	if (r == 0)
		r = tt_kv_set(cur.data, cur.len, var, cmd.data ? cmd.data : "",
		    &shell_style, &out);
	if (r == 0)
		r = tt_plan_write(plan, rule, path, out.data, out.len, 0644);
	if (r < 0)
		tt_seterr(err, errlen, "cannot plan %s: %s", path,
		    tt_strerror(-r));
	tt_buf_free(&cur);
	tt_buf_free(&cmd);
	tt_buf_free(&out);
	return r;
}

/* The generated grub.cfg: each "linux" line gets the word now, so the
 * image boots with it before update-grub next runs from the default. */
static int
grub_cfg(struct tt_plan *plan, const char *rule, const char *path,
    const char *arg, const char *word)
{
	struct tt_buf cur, out, cmd;
	bool exists;
	int r;

	if ((r = tt_plan_read(plan, path, CONF_MAX, &cur, &exists)) < 0 ||
	    !exists) {
		tt_buf_free(&cur);
		return r < 0 && r != -ENOENT ? r : 0;
	}
	tt_buf_init(&out, CONF_MAX);
	for (const char *p = cur.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n'), *q = p;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		while (*q == ' ' || *q == '\t')
			q++;
		if ((strncmp(q, "linux ", 6) == 0 ||
			strncmp(q, "linux\t", 6) == 0 ||
			strncmp(q, "linuxefi ", 9) == 0) &&
		    (size_t)(q - p) < n) {
			const char *args = strchr(q, ' ');
			const char *kernel_end;

			/* "linux /vmlinuz-x root=... ro quiet" */
			while (*args == ' ')
				args++;
			kernel_end = args;
			while (kernel_end < p + n && *kernel_end != ' ')
				kernel_end++;
			tt_buf_init(&cmd, 8192);
			r = cmdline_with(kernel_end,
			    (size_t)(p + n - kernel_end), arg, word, &cmd);
			if (r == 0)
				r = tt_buf_append(&out, p,
				    (size_t)(kernel_end - p));
			if (r == 0)
				r = tt_buf_printf(&out, " %s\n", cmd.data);
			tt_buf_free(&cmd);
		} else {
			r = tt_buf_append(&out, p, n);
			if (r == 0)
				r = tt_buf_putc(&out, '\n');
		}
		p = nl ? nl + 1 : NULL;
	}
	if (r == 0)
		r = tt_plan_write(plan, rule, path, out.data, out.len, 0600);
	tt_buf_free(&cur);
	tt_buf_free(&out);
	return r;
}

int
tt_act_grub_cmdline_arg(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *arg, *value = tt_action_param(params, "value");
	char word[512];
	int r;

	if ((r = need(params, "arg", &arg, err, errlen)) < 0)
		return r;
	if (strpbrk(arg, " =\"") != NULL ||
	    (value != NULL && strpbrk(value, " \"\n") != NULL)) {
		tt_seterr(err, errlen, "fix.params: not a kernel argument");
		return -EINVAL;
	}
	if (value != NULL && value[0] != '\0')
		snprintf(word, sizeof(word), "%s=%s", arg, value);
	else
		strlcpy(word, arg, sizeof(word));
	if ((r = grub_default(plan, rule, arg, word, err, errlen)) < 0)
		return r;
	if ((r = grub_cfg(plan, rule, "/boot/grub/grub.cfg", arg, word)) < 0 ||
	    (r = grub_cfg(plan, rule, "/boot/grub2/grub.cfg", arg, word)) < 0)
		tt_seterr(err, errlen, "cannot plan grub.cfg: %s",
		    tt_strerror(-r));
	return r;
}
