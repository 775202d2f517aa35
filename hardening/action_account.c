/*
 * Accounts: set a field of passwd or shadow entries chosen by conditions
 * (e.g. PASS_MAX_DAYS of every user with a password), lock a user.
 */
#include "accounts_db.h"
#include "actions.h"
#include "log.h"
#include "tt.h"

#define ACCOUNTS_MAX ((size_t)16 * 1024 * 1024)

static const char *const shadow_fields[] = { "name", "password", "lastchg",
	"min", "max", "warn", "inactive", "expire", "reserved" };
static const char *const passwd_fields[] = { "name", "password", "uid", "gid",
	"gecos", "home", "shell" };

static int
field_index(const char *table, const char *field)
{
	const char *const *names =
	    TT_STREQ(table, "shadow") ? shadow_fields : passwd_fields;
	size_t n = TT_STREQ(table, "shadow") ? TT_ARRAY_SIZE(shadow_fields) :
					       TT_ARRAY_SIZE(passwd_fields);

	for (size_t i = 0; i < n; i++)
		if (TT_STREQ(names[i], field))
			return (int)i;
	return -1;
}

/* Splits a colon line into at most max fields (pointers into line). */
static int
split_colon(char *line, char **f, int max)
{
	int n = 0;

	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == ':') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

/* The uid of name in the image's passwd (the plan's view of it), or -1:
 * the third field of its first entry, which has at least four fields. */
static long long
uid_of(const struct tt_acct_table_data *passwd, const char *name)
{
	const struct tt_acct_entry *e = tt_acct_first(passwd, name);

	return e != NULL && e->nf >= 4 ? e->id : -1;
}

/* The password state as the accounts probe names it. */
static const char *
password_state(const char *hash)
{
	if (hash[0] == '\0')
		return "empty";
	if (hash[0] == '!' || hash[0] == '*')
		return "locked";
	return "hash";
}

/*
 * Evaluates where (conditions on name, uid, password) for one entry.
 * Supported: eq, ne, ge, gt, le, lt; unknown ones are refused.
 */
static int
matches(json_object *where, const char *name, long long uid,
    const char *pwstate, bool *ret, char *err, size_t errlen)
{
	*ret = true;
	if (where == NULL)
		return 0;
	if (!json_object_is_type(where, json_type_array)) {
		tt_seterr(err, errlen, "fix.params.where: not an array");
		return -EINVAL;
	}
	for (size_t i = 0; i < json_object_array_length(where); i++) {
		json_object *c = json_object_array_get_idx(where, i), *v;
		const char *field = NULL, *op = NULL, *value = NULL;
		char have[32];
		const char *h;
		long long a, b;
		bool ok;

		if (json_object_object_get_ex(c, "field", &v))
			field = json_object_get_string(v);
		if (json_object_object_get_ex(c, "op", &v))
			op = json_object_get_string(v);
		if (json_object_object_get_ex(c, "value", &v))
			value = json_object_get_string(v);
		if (field == NULL || op == NULL || value == NULL) {
			tt_seterr(err, errlen,
			    "fix.params.where[%zu]: needs "
			    "field, op and value",
			    i);
			return -EINVAL;
		}
		if (TT_STREQ(field, "name"))
			h = name;
		else if (TT_STREQ(field, "password"))
			h = pwstate;
		else if (TT_STREQ(field, "uid")) {
			snprintf(have, sizeof(have), "%lld", uid);
			h = have;
		} else {
			tt_seterr(err, errlen,
			    "fix.params.where[%zu].field: "
			    "'%s' is not name, uid or password",
			    i, field);
			return -EINVAL;
		}
		a = strtoll(h, NULL, 10);
		b = strtoll(value, NULL, 10);
		if (TT_STREQ(op, "eq"))
			ok = TT_STREQ(h, value);
		else if (TT_STREQ(op, "ne"))
			ok = !TT_STREQ(h, value);
		else if (TT_STREQ(op, "ge"))
			ok = a >= b;
		else if (TT_STREQ(op, "gt"))
			ok = a > b;
		else if (TT_STREQ(op, "le"))
			ok = a <= b;
		else if (TT_STREQ(op, "lt"))
			ok = a < b;
		else {
			tt_seterr(err, errlen,
			    "fix.params.where[%zu].op: '%s' "
			    "is not supported here",
			    i, op);
			return -EINVAL;
		}
		if (!ok)
			*ret = false;
	}
	return 0;
}

static int
edit_table(struct tt_plan *plan, const char *rule, const char *table, int idx,
    const char *value, const char *only_user, bool lock, json_object *where,
    char *err, size_t errlen)
{
	const char *path =
	    TT_STREQ(table, "shadow") ? "/etc/shadow" : "/etc/passwd";
	struct tt_buf cur, passwd, out;
	struct tt_acct_table_data *users = NULL;
	bool exists, pexists;
	int r;

	if ((r = tt_plan_read(plan, path, ACCOUNTS_MAX, &cur, &exists)) < 0 ||
	    !exists) {
		tt_seterr(err, errlen, "cannot read %s", path);
		tt_buf_free(&cur);
		return r < 0 ? r : -ENOENT;
	}
	if ((r = tt_plan_read(plan, "/etc/passwd", ACCOUNTS_MAX, &passwd,
		 &pexists)) < 0) {
		tt_buf_free(&cur);
		return r;
	}
	r = tt_acct_parse(TT_ACCT_PASSWD, pexists ? passwd.data : NULL,
	    pexists ? passwd.len : 0, &users);
	tt_buf_free(&passwd);
	if (r < 0) {
		tt_buf_free(&cur);
		return r;
	}
	tt_buf_init(&out, ACCOUNTS_MAX);
	for (const char *p = cur.data; r == 0 && p != NULL && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char *line = strndup(p, n), *f[16];
		int nf;
		bool hit = false;

		if (line == NULL) {
			r = -ENOMEM;
			break;
		}
		nf = split_colon(line, f, 16);
		if (nf > 1 &&
		    (only_user == NULL || TT_STREQ(f[0], only_user))) {
			const char *pw = TT_STREQ(table, "shadow") ? f[1] : "";

			r = matches(where, f[0], uid_of(users, f[0]),
			    password_state(pw), &hit, err, errlen);
		}
		if (r == 0 && hit && (lock || idx < nf)) {
			for (int k = 0; r == 0 && k < nf; k++) {
				if (k > 0)
					r = tt_buf_putc(&out, ':');
				if (r != 0)
					break;
				if (lock && k == 1 && f[1][0] != '!' &&
				    f[1][0] != '*')
					r = tt_buf_printf(&out, "!%s", f[1]);
				else if (!lock && k == idx)
					r = tt_buf_puts(&out, value);
				else
					r = tt_buf_puts(&out, f[k]);
			}
			if (r == 0)
				r = tt_buf_putc(&out, '\n');
		} else if (r == 0) {
			r = tt_buf_append(&out, p, n);
			if (r == 0)
				r = tt_buf_putc(&out, '\n');
		}
		free(line);
		p = nl ? nl + 1 : NULL;
	}
	if (r == 0)
		r = tt_plan_write(plan, rule, path, out.data ? out.data : "",
		    out.len, TT_STREQ(table, "shadow") ? 0640 : 0644);
	tt_buf_free(&cur);
	tt_acct_table_free(users);
	tt_buf_free(&out);
	return r;
}

int
tt_act_account_field(struct tt_plan *plan, const char *rule,
    json_object *params, char *err, size_t errlen)
{
	const char *table = tt_action_param(params, "table");
	const char *field = tt_action_param(params, "field");
	const char *value = tt_action_param(params, "value");
	json_object *where = NULL;
	int idx;

	if (table == NULL ||
	    (!TT_STREQ(table, "shadow") && !TT_STREQ(table, "passwd"))) {
		tt_seterr(err, errlen,
		    "fix.params.table must be shadow or "
		    "passwd");
		return -EINVAL;
	}
	idx = field == NULL ? -1 : field_index(table, field);
	if (idx <= 0 || (TT_STREQ(table, "passwd") && idx <= 3)) {
		tt_seterr(err, errlen,
		    "fix.params.field '%s' cannot be set in "
		    "%s",
		    field ? field : "", table);
		return -EINVAL;
	}
	if (value == NULL || strpbrk(value, ":\n") != NULL) {
		tt_seterr(err, errlen,
		    "fix.params.value must not hold ':' or "
		    "a line break");
		return -EINVAL;
	}
	json_object_object_get_ex(params, "where", &where);
	return edit_table(plan, rule, table, idx, value, NULL, false, where,
	    err, errlen);
}

int
tt_act_account_lock(struct tt_plan *plan, const char *rule, json_object *params,
    char *err, size_t errlen)
{
	const char *user = tt_action_param(params, "user");

	if (user == NULL || user[0] == '\0' || strchr(user, ':') != NULL) {
		tt_seterr(err, errlen, "fix.params.user is missing");
		return -EINVAL;
	}
	return edit_table(plan, rule, "shadow", 1, NULL, user, true, NULL, err,
	    errlen);
}
