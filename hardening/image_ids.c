#include "accounts_db.h"
#include "image_ids.h"
#include "tt.h"

/* The id of name in the image's passwd or group: digits are an id
 * already; else the third field of the first entry of that name, which
 * must have at least four fields and a number below (uid_t)-1. */
static int
lookup(const struct tt_root *root, enum tt_acct_table table, const char *name,
    unsigned *ret)
{
	const char *errstr = NULL;
	const struct tt_acct_entry *e;
	struct tt_acct_table_data *t;
	int r;

	if (name[0] >= '0' && name[0] <= '9') {
		long long v = strtonum(name, 0, UINT32_MAX - 1, &errstr);

		if (errstr != NULL)
			return -EINVAL;
		*ret = (unsigned)v;
		return 0;
	}
	if ((r = tt_acct_read(root, table, &t)) < 0)
		return r;
	e = tt_acct_first(t, name);
	r = -ENOENT;
	if (e != NULL && e->nf >= 4 && e->id >= 0 && e->id < UINT32_MAX) {
		*ret = (unsigned)e->id;
		r = 0;
	}
	tt_acct_table_free(t);
	return r;
}

int
tt_image_uid(const struct tt_root *root, const char *name, uid_t *ret)
{
	unsigned v;
	int r = lookup(root, TT_ACCT_PASSWD, name, &v);

	if (r == 0)
		*ret = (uid_t)v;
	return r;
}

int
tt_image_gid(const struct tt_root *root, const char *name, gid_t *ret)
{
	unsigned v;
	int r = lookup(root, TT_ACCT_GROUP, name, &v);

	if (r == 0)
		*ret = (gid_t)v;
	return r;
}
