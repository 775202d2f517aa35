#include <fnmatch.h>
#include <strings.h>
#include <sys/stat.h>

#include "accounts_db.h"
#include "buf.h"
#include "fileio.h"
#include "lockout.h"
#include "util.h"
#include "log.h"
#include "tt.h"

static const char *
provisioning_agent(const struct tt_root *root)
{
	static const struct {
		const char *path, *name;
	} agents[] = {
		{ "/usr/sbin/waagent", "waagent" },
		{ "/usr/bin/waagent", "waagent" },
		{ "/usr/bin/cloud-init", "cloud-init" },
		{ "/etc/cloud/cloud.cfg", "cloud-init" },
	};
	struct stat st;

	for (size_t i = 0; i < TT_ARRAY_SIZE(agents); i++)
		if (tt_root_stat(root, agents[i].path, &st, true) == 0)
			return agents[i].name;
	return NULL;
}

static bool
login_shell(const char *shell)
{
	const char *base = strrchr(shell, '/');

	base = base ? base + 1 : shell;
	return shell[0] != '\0' && !TT_STREQ(base, "nologin") &&
	    !TT_STREQ(base, "false") && !TT_STREQ(base, "sync") &&
	    !TT_STREQ(base, "halt") && !TT_STREQ(base, "shutdown");
}

#define CONF_MAX ((size_t)1024 * 1024)
#define LIST_MAX 2048

/* The file as it will be once the planned changes are made. */
static int
planned(struct tt_plan *plan, const char *path, struct tt_buf *b)
{
	bool exists;
	int r = tt_plan_read(plan, path, CONF_MAX, b, &exists);

	if (r == 0 && !exists) {
		tt_buf_free(b);
		return -ENOENT;
	}
	if (r < 0)
		tt_buf_free(b);
	return r;
}

/* Paths matching pattern once the plan is made: the image's, plus files
 * the plan creates (a drop-in written by this run). */
static void
planned_glob(struct tt_plan *plan, const char *pattern, struct tt_strv *ret)
{
	if (tt_root_glob(plan->root, pattern, ret) < 0)
		tt_strv_free(ret);
	for (size_t i = 0; i < plan->n; i++)
		if (plan->v[i].kind == TT_CHANGE_CONTENT &&
		    fnmatch(pattern, plan->v[i].path, FNM_PATHNAME) == 0 &&
		    !tt_strv_has(ret, plan->v[i].path))
			(void)tt_strv_add(ret, plan->v[i].path);
	tt_strv_sort(ret);
}

/* The global settings of sshd_config that decide who gets in, as sshd
 * reads them: first value wins, Include expanded in place, Match blocks
 * not followed (they narrow per connection; the guard judges the
 * global policy). */
struct sshd_eff {
	char permit_root[32], pubkey[8], password[8], use_pam[8];
	char akf[512], akc[8];
	char allow_users[LIST_MAX], deny_users[LIST_MAX];
	char allow_groups[LIST_MAX], deny_groups[LIST_MAX];
	bool in_match;
};

static void
first(char *dst, size_t len, const char *v)
{
	if (dst[0] == '\0')
		snprintf(dst, len, "%s", v);
}

static void
append(char *dst, size_t len, const char *v)
{
	if (dst[0] != '\0')
		strlcat(dst, " ", len);
	strlcat(dst, v, len);
}

static void sshd_file(struct tt_plan *plan, const char *path,
    struct sshd_eff *e, int depth);

static void
sshd_line(struct tt_plan *plan, char *l, struct sshd_eff *e, int depth)
{
	char *key, *val;

	l += strspn(l, " \t");
	if (*l == '#' || *l == '\0')
		return;
	key = l;
	l += strcspn(l, " \t=");
	if (*l != '\0')
		*l++ = '\0';
	l += strspn(l, " \t=");
	val = l;
	for (char *t = val + strlen(val);
	     t > val && (t[-1] == ' ' || t[-1] == '\t' || t[-1] == '\r');)
		*--t = '\0';
	if (strcasecmp(key, "Match") == 0)
		e->in_match = true;
	if (e->in_match)
		return;
	if (strcasecmp(key, "Include") == 0) {
		char *save = NULL;

		for (char *w = strtok_r(val, " \t", &save); w != NULL;
		     w = strtok_r(NULL, " \t", &save)) {
			char pat[PATH_MAX];
			struct tt_strv g = { 0 };

			snprintf(pat, sizeof(pat), "%s%s",
			    w[0] == '/' ? "" : "/etc/ssh/", w);
			planned_glob(plan, pat, &g);
			for (size_t i = 0; i < g.n && !e->in_match; i++)
				sshd_file(plan, g.v[i], e, depth + 1);
			tt_strv_free(&g);
		}
	} else if (strcasecmp(key, "PermitRootLogin") == 0) {
		first(e->permit_root, sizeof(e->permit_root), val);
	} else if (strcasecmp(key, "PubkeyAuthentication") == 0) {
		first(e->pubkey, sizeof(e->pubkey), val);
	} else if (strcasecmp(key, "PasswordAuthentication") == 0) {
		first(e->password, sizeof(e->password), val);
	} else if (strcasecmp(key, "UsePAM") == 0) {
		first(e->use_pam, sizeof(e->use_pam), val);
	} else if (strcasecmp(key, "AuthorizedKeysFile") == 0) {
		first(e->akf, sizeof(e->akf), val);
	} else if (strcasecmp(key, "AuthorizedKeysCommand") == 0) {
		first(e->akc, sizeof(e->akc),
		    strcasecmp(val, "none") == 0 ? "none" : "set");
	} else if (strcasecmp(key, "AllowUsers") == 0) {
		append(e->allow_users, sizeof(e->allow_users), val);
	} else if (strcasecmp(key, "DenyUsers") == 0) {
		append(e->deny_users, sizeof(e->deny_users), val);
	} else if (strcasecmp(key, "AllowGroups") == 0) {
		append(e->allow_groups, sizeof(e->allow_groups), val);
	} else if (strcasecmp(key, "DenyGroups") == 0) {
		append(e->deny_groups, sizeof(e->deny_groups), val);
	}
}

static void
sshd_file(struct tt_plan *plan, const char *path, struct sshd_eff *e, int depth)
{
	struct tt_buf b;
	char *save = NULL;

	/* sshd refuses deeper Include nesting too; also bounds a loop. */
	if (depth > 8 || planned(plan, path, &b) < 0)
		return;
	if (b.data == NULL) {
		tt_buf_free(&b);
		return;
	}
	for (char *l = strtok_r(b.data, "\n", &save); l != NULL;
	     l = strtok_r(NULL, "\n", &save))
		sshd_line(plan, l, e, depth);
	tt_buf_free(&b);
	/* A Match block ends at the end of an included file. */
	if (depth > 0)
		e->in_match = false;
}

static bool
is_no(const char *v)
{
	return strcasecmp(v, "no") == 0;
}

/* Whether a pattern of the space-separated list matches name
 * ("user@host" patterns: the user part; sshd knows the host). */
static bool
in_list(const char *list, const char *name)
{
	char copy[LIST_MAX], *save = NULL;

	snprintf(copy, sizeof(copy), "%s", list);
	for (char *w = strtok_r(copy, " \t,", &save); w != NULL;
	     w = strtok_r(NULL, " \t,", &save)) {
		char *at = strchr(w, '@');

		if (at != NULL)
			*at = '\0';
		if (fnmatch(w, name, 0) == 0)
			return true;
	}
	return false;
}

/* The groups user is in: primary (gid) and supplementary. */
static bool
in_groups(const struct tt_acct_table_data *group, const char *user,
    const char *gid, const char *list)
{
	if (group == NULL)
		return false;
	for (size_t i = 0; i < group->n; i++) {
		const struct tt_acct_entry *g = &group->v[i];
		bool member = TT_STREQ(g->f[2], gid);
		char copy[LIST_MAX], *save = NULL;

		snprintf(copy, sizeof(copy), "%s", g->f[3]);
		for (char *m = strtok_r(copy, ",", &save); m && !member;
		     m = strtok_r(NULL, ",", &save))
			member = TT_STREQ(m, user);
		if (member && in_list(list, g->f[0]))
			return true;
	}
	return false;
}

/* sshd's own order: DenyUsers, AllowUsers, DenyGroups, AllowGroups. */
static bool
sshd_allows(const struct sshd_eff *e, const struct tt_acct_table_data *group,
    const char *user, const char *gid)
{
	if (e->deny_users[0] && in_list(e->deny_users, user))
		return false;
	if (e->allow_users[0] && !in_list(e->allow_users, user))
		return false;
	if (e->deny_groups[0] && in_groups(group, user, gid, e->deny_groups))
		return false;
	if (e->allow_groups[0] && !in_groups(group, user, gid, e->allow_groups))
		return false;
	return true;
}

/* An authorized key in a file sshd reads for this user. */
static bool
has_key(struct tt_plan *plan, const struct sshd_eff *e, const char *user,
    const char *home)
{
	char files[512], *save = NULL;

	snprintf(files, sizeof(files), "%s",
	    e->akf[0] ? e->akf : ".ssh/authorized_keys .ssh/authorized_keys2");
	for (char *w = strtok_r(files, " \t", &save); w != NULL;
	     w = strtok_r(NULL, " \t", &save)) {
		char path[PATH_MAX] = "";
		struct tt_buf b;
		bool found = false;

		if (strcasecmp(w, "none") == 0)
			continue;
		if (w[0] != '/' && w[0] != '%')
			snprintf(path, sizeof(path), "%s/", home);
		/* The tokens of sshd_config(5) "TOKENS" that this needs. */
		for (const char *p = w; *p; p++) {
			char c[2] = { *p, '\0' };

			if (*p == '%' && p[1] == 'h')
				strlcat(path, home, sizeof(path));
			else if (*p == '%' && p[1] == 'u')
				strlcat(path, user, sizeof(path));
			else if (*p == '%' && p[1] == '%')
				strlcat(path, "%", sizeof(path));
			else if (*p == '%')
				break;
			else {
				strlcat(path, c, sizeof(path));
				continue;
			}
			p++;
		}
		if (planned(plan, path, &b) < 0)
			continue;
		for (const char *p = b.data; p != NULL && *p && !found;) {
			const char *nl = strchr(p, '\n');

			while (*p == ' ' || *p == '\t')
				p++;
			found = *p != '#' && *p != '\n' && *p != '\0';
			p = nl ? nl + 1 : NULL;
		}
		tt_buf_free(&b);
		if (found)
			return true;
	}
	return false;
}

/*
 * Whether the planned PAM stack of service still checks a password with
 * pam_unix: an auth line of pam_unix.so (through @include, include and
 * substack), not after a pam_deny.so auth line.  A static reading: the
 * integration test runs pamtester against the real stack.
 */
static int
pam_auths(struct tt_plan *plan, const char *service, int depth)
{
	char path[PATH_MAX], *save = NULL;
	struct tt_buf b;
	int verdict = -1; /* -1 undecided, 0 no, 1 yes */

	if (depth > 8 || strchr(service, '/') != NULL)
		return 0;
	snprintf(path, sizeof(path), "/etc/pam.d/%s", service);
	if (planned(plan, path, &b) < 0)
		return 0;
	if (b.data == NULL) {
		tt_buf_free(&b);
		return 0;
	}
	for (char *l = strtok_r(b.data, "\n", &save); l != NULL && verdict < 0;
	     l = strtok_r(NULL, "\n", &save)) {
		char *w[4] = { 0 }, *s2 = NULL;
		int n = 0;

		l += strspn(l, " \t");
		if (*l == '#')
			continue;
		if (strncmp(l, "@include", 8) == 0) {
			char *inc = strtok_r(l + 8, " \t", &s2);

			if (inc != NULL && pam_auths(plan, inc, depth + 1) == 1)
				verdict = 1;
			continue;
		}
		if (*l == '-')
			l++;
		/* type, control (a [bracket] holds spaces), module. */
		w[n++] = strtok_r(l, " \t", &s2);
		if (w[0] == NULL || strcmp(w[0], "auth") != 0)
			continue;
		if (s2 != NULL && (s2 += strspn(s2, " \t"))[0] == '[') {
			char *c = strchr(s2, ']');

			if (c == NULL)
				continue;
			*c = '\0';
			w[n++] = s2;
			s2 = c + 1;
		} else {
			w[n++] = strtok_r(NULL, " \t", &s2);
		}
		w[n++] = strtok_r(NULL, " \t", &s2);
		if (w[1] == NULL || w[2] == NULL)
			continue;
		if (strcmp(w[1], "include") == 0 ||
		    strcmp(w[1], "substack") == 0) {
			if (pam_auths(plan, w[2], depth + 1) == 1)
				verdict = 1;
			continue;
		}
		if (strstr(w[2], "pam_unix.so") != NULL)
			verdict = 1;
		else if (strstr(w[2], "pam_deny.so") != NULL)
			verdict = 0;
	}
	tt_buf_free(&b);
	return verdict == 1;
}

/* Whether user has a usable password hash in the planned shadow. */
static bool
has_password(const struct tt_acct_table_data *shadow, const char *user)
{
	const struct tt_acct_entry *e =
	    shadow != NULL ? tt_acct_first(shadow, user) : NULL;

	return e != NULL && e->f[1][0] != '\0' && e->f[1][0] != '!' &&
	    e->f[1][0] != '*';
}

static struct tt_acct_table_data *
planned_table(struct tt_plan *plan, enum tt_acct_table t, const char *path)
{
	struct tt_acct_table_data *d = NULL;
	struct tt_buf b;

	if (planned(plan, path, &b) < 0)
		return NULL;
	if (tt_acct_parse(t, b.data ? b.data : "", b.len, &d) < 0)
		d = NULL;
	tt_buf_free(&b);
	return d;
}

bool
tt_lockout_closes_door(const char *key, const char *value)
{
	return key != NULL && value != NULL && strcasecmp(value, "no") == 0 &&
	    (strcasecmp(key, "PasswordAuthentication") == 0 ||
		strcasecmp(key, "PermitRootLogin") == 0);
}

bool
tt_lockout_safe(const struct tt_root *root, enum tt_lockout_change change,
    bool other_stays, char *why, size_t whylen)
{
	struct tt_plan plan;
	bool safe;

	tt_plan_init(&plan, root);
	safe = tt_lockout_safe_plan(&plan, change, other_stays, why, whylen);
	tt_plan_free(&plan);
	return safe;
}

bool
tt_lockout_safe_plan(struct tt_plan *plan, enum tt_lockout_change change,
    bool other_stays, char *why, size_t whylen)
{
	const char *agent = provisioning_agent(plan->root);
	struct tt_acct_table_data *passwd, *shadow, *group;
	struct sshd_eff e = { 0 };
	char users[256] = "";
	bool root_login, root_password, passwords, keys, pam_ok;
	int with_keys = 0, with_password = 0;

	if (agent != NULL) {
		tt_seterr(why, whylen,
		    "%s in the image provisions the VM's SSH "
		    "key",
		    agent);
		return true;
	}
	if ((passwd = planned_table(plan, TT_ACCT_PASSWD, "/etc/passwd")) ==
	    NULL) {
		tt_seterr(why, whylen,
		    "no readable /etc/passwd, no waagent or "
		    "cloud-init: nobody is known to be able to log in");
		return false;
	}
	shadow = planned_table(plan, TT_ACCT_SHADOW, "/etc/shadow");
	group = planned_table(plan, TT_ACCT_GROUP, "/etc/group");
	/* The doors as they will be after this run, this change included. */
	sshd_file(plan, "/etc/ssh/sshd_config", &e, 0);
	root_login = other_stays && change != TT_LOCKOUT_NO_ROOT_LOGIN &&
	    !is_no(e.permit_root) &&
	    strcasecmp(e.permit_root, "forced-commands-only") != 0;
	root_password = root_login && strcasecmp(e.permit_root, "yes") == 0;
	passwords = change != TT_LOCKOUT_NO_PASSWORD_AUTH &&
	    (change != TT_LOCKOUT_NO_ROOT_LOGIN || other_stays) &&
	    !is_no(e.password);
	keys = !is_no(e.pubkey);
	/* With UsePAM yes, sshd hands the password to PAM: it must still
	 * reach pam_unix after this run's PAM edits. */
	pam_ok =
	    strcasecmp(e.use_pam, "yes") != 0 || pam_auths(plan, "sshd", 0);
	for (size_t i = 0; i < passwd->n; i++) {
		const char *const *f = passwd->v[i].f;
		bool is_root;

		if (passwd->v[i].nf < 7 || !login_shell(f[6]))
			continue;
		is_root = TT_STREQ(f[2], "0");
		if ((is_root && !root_login) ||
		    !sshd_allows(&e, group, f[0], f[3]))
			continue;
		if (passwords && pam_ok && (!is_root || root_password) &&
		    has_password(shadow, f[0]))
			with_password++;
		if (!keys || !has_key(plan, &e, f[0], f[5]))
			continue;
		with_keys++;
		if (strlen(users) + strlen(f[0]) + 3 < sizeof(users)) {
			if (users[0])
				strlcat(users, ", ", sizeof(users));
			strlcat(users, f[0], sizeof(users));
		}
	}
	tt_acct_table_free(passwd);
	tt_acct_table_free(shadow);
	tt_acct_table_free(group);
	if (with_keys > 0) {
		tt_seterr(why, whylen, "accounts with an authorized key: %s",
		    users);
		return true;
	}
	if (with_password > 0) {
		tt_seterr(why, whylen,
		    "%d account(s) can log in with a password that PAM's "
		    "pam_unix still checks after this run",
		    with_password);
		return true;
	}
	tt_seterr(why, whylen,
	    "no account that sshd lets in after this run has an authorized "
	    "key sshd reads%s, and no waagent or cloud-init is in the image "
	    "to provision one: %s would lock everybody out",
	    change == TT_LOCKOUT_NO_ROOT_LOGIN ?
		" or a password pam_unix still checks" :
		"",
	    change == TT_LOCKOUT_NO_ROOT_LOGIN ? "PermitRootLogin no" :
						 "PasswordAuthentication no");
	return false;
}
