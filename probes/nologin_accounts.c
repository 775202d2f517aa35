/*
 * The accounts that cannot log in by their shell, with the state of their
 * password: CIS's "accounts without a valid login shell are locked" (and
 * SSG's no_invalid_shell_accounts_unlocked) joins passwd and shadow, which
 * the accounts probe reads one table at a time.  A shell is a login shell
 * as file_lines' ~/ and home_dirs judge it (tt_acct_login_shell: listed in
 * /etc/shells, not nologin or false).  root is left out unless asked for,
 * as CIS leaves it out: its shell is its own rule's business.
 */
#include "accounts_db.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "root", TT_PARAM_BOOL, false, NULL,
	    "also list root (default false, as CIS leaves it out)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "user", "uid", "shell", "password",
	"line", NULL };

/* "locked" ('!' or '*' first, what `passwd -S` calls L), "empty",
 * "hash", or "none" when shadow has no entry for the user. */
static const char *
password_state(const struct tt_acct_table_data *sh, const char *user)
{
	const struct tt_acct_entry *e = tt_acct_find(sh, user);

	if (e == NULL)
		return "none";
	if (e->f[1][0] == '\0')
		return "empty";
	return e->f[1][0] == '!' || e->f[1][0] == '*' ? "locked" : "hash";
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_acct_table_data *pw, *sh;
	bool root = tt_param_bool(p, "root", false);
	int r;

	if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) < 0 ||
	    (r = tt_acct_load(a, TT_ACCT_SHADOW, &sh, err, errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < pw->n; i++) {
		const struct tt_acct_entry *e = &pw->v[i];
		struct tt_item *it;
		bool login = false;

		if (e->malformed || (!root && TT_STREQ(e->f[0], "root")))
			continue;
		if ((r = tt_acct_login_shell(a, e->f[6], &login, err, errlen)) <
		    0)
			return r;
		if (login)
			continue;
		if ((r = tt_items_add(out, &it)) < 0)
			return r;
		if ((r = tt_item_set(it, "user", e->f[0])) == 0 &&
		    (r = tt_item_set(it, "uid", e->f[2])) == 0 &&
		    (r = tt_item_set(it, "shell", e->f[6])) == 0 &&
		    (r = tt_item_set(it, "password",
			 password_state(sh, e->f[0]))) == 0)
			r = tt_item_setf(it, "line", "%zu", e->line);
	}
	return r;
}

const struct tt_probe tt_probe_nologin_accounts = {
	.name = "nologin_accounts",
	.description = "the accounts of passwd (root aside) whose shell is no "
		       "login shell, with their shadow password's state",
	.params = params,
	.fields = fields,
	.run = run,
};
