#include <sys/stat.h>

#include "accounts_db.h"
#include "buf.h"
#include "fileio.h"
#include "lockout.h"
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

/* An authorized_keys file holding at least one key line. */
static bool
has_key(const struct tt_root *root, const char *home)
{
	static const char *const files[] = { ".ssh/authorized_keys",
		".ssh/authorized_keys2" };
	char path[PATH_MAX];

	for (size_t i = 0; i < TT_ARRAY_SIZE(files); i++) {
		struct tt_buf b;
		bool found = false;

		snprintf(path, sizeof(path), "%s/%s", home, files[i]);
		if (tt_read_file(root, path, (size_t)1024 * 1024, &b) < 0)
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

/* Whether user has a usable password hash in the image's shadow. */
static bool
has_password(const struct tt_acct_table_data *shadow, const char *user)
{
	const struct tt_acct_entry *e =
	    shadow != NULL ? tt_acct_first(shadow, user) : NULL;

	return e != NULL && e->f[1][0] != '\0' && e->f[1][0] != '!' &&
	    e->f[1][0] != '*';
}

bool
tt_lockout_safe(const struct tt_root *root, enum tt_lockout_change change,
    bool other_stays, char *why, size_t whylen)
{
	const char *agent = provisioning_agent(root);
	struct tt_acct_table_data *passwd, *shadow;
	char users[256] = "";
	int with_keys = 0, with_password = 0;

	if (agent != NULL) {
		tt_seterr(why, whylen,
		    "%s in the image provisions the VM's SSH "
		    "key",
		    agent);
		return true;
	}
	if (tt_acct_read(root, TT_ACCT_PASSWD, &passwd) < 0) {
		tt_seterr(why, whylen,
		    "no readable /etc/passwd, no waagent or "
		    "cloud-init: nobody is known to be able to log in");
		return false;
	}
	if (tt_acct_read(root, TT_ACCT_SHADOW, &shadow) < 0)
		shadow = NULL;
	for (size_t i = 0; i < passwd->n; i++) {
		const char *const *f = passwd->v[i].f;

		if (passwd->v[i].nf < 7 || !login_shell(f[6]))
			continue;
		/* Root counts only where root login stays allowed. */
		if (TT_STREQ(f[2], "0") &&
		    (change == TT_LOCKOUT_NO_ROOT_LOGIN || !other_stays))
			continue;
		if (change == TT_LOCKOUT_NO_ROOT_LOGIN && other_stays &&
		    has_password(shadow, f[0]))
			with_password++;
		if (!has_key(root, f[5]))
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
	if (with_keys > 0) {
		tt_seterr(why, whylen, "accounts with an authorized key: %s",
		    users);
		return true;
	}
	if (with_password > 0) {
		tt_seterr(why, whylen,
		    "%d non-root account(s) can log in with a "
		    "password",
		    with_password);
		return true;
	}
	tt_seterr(why, whylen,
	    "no %saccount with a login shell has an "
	    "authorized key%s, and no waagent or cloud-init is in the image "
	    "to provision one: %s would lock everybody out",
	    change == TT_LOCKOUT_NO_ROOT_LOGIN ? "non-root " : "",
	    change == TT_LOCKOUT_NO_ROOT_LOGIN ? " or a password" : "",
	    change == TT_LOCKOUT_NO_ROOT_LOGIN ? "PermitRootLogin no" :
						 "PasswordAuthentication no");
	return false;
}
