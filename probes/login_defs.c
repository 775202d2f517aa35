#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, true, NULL, "the key" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the value when the key is not set" },
	{ NULL, 0, false, NULL, NULL },
};

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	const struct tt_kvset *set;
	int r;

	r = tt_strv_add(&files, "/etc/login.defs");
	if (r == 0)
		r = tt_kv_load(a, "kv:login_defs", &files, TT_KV_SPACE, &set,
		    err, errlen);
	tt_strv_free(&files);
	if (r < 0)
		return r;
	return tt_kv_item(out, set, tt_param(p, "key", ""),
	    tt_param(p, "default", NULL), false);
}

const struct tt_probe tt_probe_login_defs = {
	.name = "login_defs",
	.description =
	    "the effective value of a key of /etc/login.defs (last assignment wins)",
	.params = params,
	.fields = tt_kv_fields,
	.run = run,
};
