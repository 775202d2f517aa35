#include <stdarg.h>

#include "accounts_db.h"
#include "util.h"
#include "tt.h"

static const char *const checks[] = { "passwd_shadow", "group_exists",
	"shadow_group_empty", NULL };

static const struct tt_param_spec params[] = {
	{ "check", TT_PARAM_CHOICE, true, checks,
	    "passwd_shadow, group_exists or shadow_group_empty" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "name", "detail", NULL };

static int __attribute__((format(printf, 3, 4)))
problem(struct tt_items *out, const char *name, const char *fmt, ...)
{
	char detail[512];
	va_list ap;

	struct tt_item *it;
	int r;

	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "name", name)) < 0)
		return r;
	va_start(ap, fmt);
	vsnprintf(detail, sizeof(detail), fmt, ap);
	va_end(ap);
	return tt_item_set(it, "detail", detail);
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_acct_table_data *pw, *other;
	const char *check = tt_param(p, "check", "");
	int r;

	if (TT_STREQ(check, "passwd_shadow")) {
		if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) <
			0 ||
		    (r = tt_acct_load(a, TT_ACCT_SHADOW, &other, err, errlen)) <
			0)
			return r;
		for (size_t i = 0; r == 0 && i < pw->n; i++)
			if (!pw->v[i].malformed &&
			    tt_acct_find(other, pw->v[i].f[0]) == NULL)
				r = problem(out, pw->v[i].f[0],
				    "no entry in %s", other->path);
		return r;
	}
	if (TT_STREQ(check, "group_exists")) {
		if ((r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) <
			0 ||
		    (r = tt_acct_load(a, TT_ACCT_GROUP, &other, err, errlen)) <
			0)
			return r;
		for (size_t i = 0; r == 0 && i < pw->n; i++) {
			const char *e = NULL;
			long long gid;

			if (pw->v[i].malformed)
				continue;
			gid = strtonum(pw->v[i].f[3], 0, 4294967295LL, &e);
			if (e != NULL || !tt_acct_has_id(other, gid))
				r = problem(out, pw->v[i].f[0],
				    "gid %s has no group", pw->v[i].f[3]);
		}
		return r;
	}
	/* shadow_group_empty: nobody may be in the shadow group. */
	if ((r = tt_acct_load(a, TT_ACCT_GROUP, &other, err, errlen)) < 0 ||
	    (r = tt_acct_load(a, TT_ACCT_PASSWD, &pw, err, errlen)) < 0)
		return r;
	{
		const struct tt_acct_entry *g = tt_acct_find(other, "shadow");
		char members[TT_PROBE_LINE_MAX], *s, *save = NULL;

		if (g == NULL)
			return 0;
		strlcpy(members, g->f[3], sizeof(members));
		for (s = strtok_r(members, ",", &save); r == 0 && s != NULL;
		     s = strtok_r(NULL, ",", &save))
			if (*s != '\0')
				r = problem(out, s, "member of group %s",
				    "shadow");
		for (size_t i = 0; r == 0 && i < pw->n; i++)
			if (!pw->v[i].malformed && g->id >= 0 &&
			    TT_STREQ(pw->v[i].f[3], g->f[2]))
				r = problem(out, pw->v[i].f[0],
				    "primary group is %s", "shadow");
	}
	return r;
}

const struct tt_probe tt_probe_account_consistency = {
	.name = "account_consistency",
	.description =
	    "problems across passwd, shadow and group: users "
	    "without shadow entries, gids without groups, members of shadow",
	.params = params,
	.fields = fields,
	.run = run,
};
