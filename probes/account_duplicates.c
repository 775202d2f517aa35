#include "accounts_db.h"
#include "buf.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const char *const tables[] = { "passwd", "shadow", "group", NULL };
static const char *const keys[] = { "name", "uid", "gid", NULL };

static const struct tt_param_spec params[] = {
	{ "table", TT_PARAM_CHOICE, true, tables, "passwd, shadow or group" },
	{ "field", TT_PARAM_CHOICE, true, keys, "name, uid or gid" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "value", "count", "names", NULL };

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_acct_table_data *t;
	enum tt_acct_table table;
	const char *field = tt_param(p, "field", "name");
	size_t col;
	int r;

	if ((r = tt_acct_table_by_name(tt_param(p, "table", ""), &table)) < 0)
		return r;
	if (TT_STREQ(field, "name")) {
		col = 0;
	} else if (TT_STREQ(field, "uid") && table == TT_ACCT_PASSWD) {
		col = 2;
	} else if (TT_STREQ(field, "gid") && table != TT_ACCT_SHADOW) {
		col = table == TT_ACCT_PASSWD ? 3 : 2;
	} else {
		tt_seterr(err, errlen, "table '%s' has no field '%s'",
		    tt_param(p, "table", ""), field);
		return -EINVAL;
	}
	if ((r = tt_acct_load(a, table, &t, err, errlen)) < 0)
		return r;
	/* Quadratic, but over a few hundred entries at most: cheaper than
	 * a hash table's code. */
	for (size_t i = 0; r == 0 && i < t->n; i++) {
		const char *v = t->v[i].f[col];
		struct tt_buf names;
		struct tt_item *it;
		size_t count = 0;
		bool seen = false;

		if (t->v[i].malformed)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen =
			    !t->v[j].malformed && TT_STREQ(t->v[j].f[col], v);
		if (seen)
			continue;
		tt_buf_init(&names, TT_PROBE_LINE_MAX);
		for (size_t j = i; j < t->n; j++) {
			if (t->v[j].malformed || !TT_STREQ(t->v[j].f[col], v))
				continue;
			count++;
			if (names.len > 0)
				tt_buf_putc(&names, ',');
			tt_buf_puts(&names, t->v[j].f[0]);
		}
		if (count > 1) {
			if ((r = tt_items_add(out, &it)) == 0 &&
			    (r = tt_item_set(it, "value", v)) == 0 &&
			    (r = tt_item_setf(it, "count", "%zu", count)) == 0)
				r = tt_item_set(it, "names",
				    names.data ? names.data : "");
		}
		tt_buf_free(&names);
	}
	return r;
}

const struct tt_probe tt_probe_account_duplicates = {
	.name = "account_duplicates",
	.description = "one item per value of a name or id field that "
		       "appears more than once in passwd, shadow or group",
	.params = params,
	.fields = fields,
	.run = run,
};
