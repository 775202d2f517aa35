#include "accounts_db.h"
#include "util.h"
#include "tt.h"

static const char *const tables[] = { "passwd", "shadow", "group", NULL };

static const struct tt_param_spec params[] = {
	{ "table", TT_PARAM_CHOICE, true, tables, "passwd, shadow or group" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "name", "uid", "gid", "gecos", "home",
	"shell", "line", "system", "login_shell", "password", "hash_type",
	"lastchg", "min", "max", "warn", "inactive", "expire", "members",
	"malformed", NULL };

static const char *
hash_type(const char *h)
{
	static const struct {
		const char *prefix, *name;
	} types[] = {
		{ "$y$", "yescrypt" },
		{ "$gy$", "gost-yescrypt" },
		{ "$7$", "scrypt" },
		{ "$6$", "sha512" },
		{ "$5$", "sha256" },
		{ "$2b$", "bcrypt" },
		{ "$2a$", "bcrypt" },
		{ "$2y$", "bcrypt" },
		{ "$1$", "md5" },
		{ "$sha1$", "sha1" },
	};

	while (*h == '!')
		h++;
	if (*h == '\0' || *h == '*')
		return "";
	for (size_t i = 0; i < TT_ARRAY_SIZE(types); i++)
		if (strncmp(h, types[i].prefix, strlen(types[i].prefix)) == 0)
			return types[i].name;
	return h[0] == '$' ? "unknown" : strlen(h) == 13 ? "des" : "unknown";
}

static int
add_entry(struct tt_audit *a, enum tt_acct_table table,
    const struct tt_acct_entry *e, long long uid_min, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_item *it;
	bool login;
	int r;

	if ((r = tt_items_add(out, &it)) < 0)
		return r;
	r = tt_item_setf(it, "line", "%zu", e->line);
	if (r == 0)
		r = tt_item_set(it, "name", e->f[0]);
	if (r == 0)
		r = tt_item_set_bool(it, "malformed", e->malformed);
	if (r < 0 || e->malformed)
		return r;
	switch (table) {
	case TT_ACCT_PASSWD:
		if ((r = tt_item_set(it, "uid", e->f[2])) < 0 ||
		    (r = tt_item_set(it, "gid", e->f[3])) < 0 ||
		    (r = tt_item_set(it, "gecos", e->f[4])) < 0 ||
		    (r = tt_item_set(it, "home", e->f[5])) < 0 ||
		    (r = tt_item_set(it, "shell", e->f[6])) < 0 ||
		    (r = tt_item_set_bool(it, "system", e->id < uid_min)) < 0 ||
		    (r = tt_acct_login_shell(a, e->f[6], &login, err, errlen)) <
			0 ||
		    (r = tt_item_set_bool(it, "login_shell", login)) < 0)
			return r;
		break;
	case TT_ACCT_SHADOW: {
		const char *pw = e->f[1];
		const char *kind = *pw == '\0' ? "empty" :
		    (*pw == '!' || *pw == '*') ? "locked" :
						 "hash";

		if ((r = tt_item_set(it, "password", kind)) < 0 ||
		    (r = tt_item_set(it, "hash_type", hash_type(pw))) < 0 ||
		    (r = tt_item_set(it, "lastchg", e->f[2])) < 0 ||
		    (r = tt_item_set(it, "min", e->f[3])) < 0 ||
		    (r = tt_item_set(it, "max", e->f[4])) < 0 ||
		    (r = tt_item_set(it, "warn", e->f[5])) < 0 ||
		    (r = tt_item_set(it, "inactive", e->f[6])) < 0 ||
		    (r = tt_item_set(it, "expire", e->f[7])) < 0)
			return r;
		break;
	}
	case TT_ACCT_GROUP:
		if ((r = tt_item_set(it, "gid", e->f[2])) < 0 ||
		    (r = tt_item_set(it, "members", e->f[3])) < 0)
			return r;
		break;
	}
	return 0;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_acct_table_data *t;
	enum tt_acct_table table;
	long long uid_min;
	int r;

	if ((r = tt_acct_table_by_name(tt_param(p, "table", ""), &table)) < 0)
		return r;
	if ((r = tt_acct_load(a, table, &t, err, errlen)) < 0)
		return r;
	uid_min = table == TT_ACCT_PASSWD ? tt_acct_uid_min(a) : 0;
	for (size_t i = 0; r == 0 && i < t->n; i++)
		r = add_entry(a, table, &t->v[i], uid_min, out, err, errlen);
	return r;
}

const struct tt_probe tt_probe_accounts = {
	.name = "accounts",
	.description = "one item per entry of passwd, shadow or group; "
		       "malformed lines are items with malformed=true",
	.params = params,
	.fields = fields,
	.run = run,
};
