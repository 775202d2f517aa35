#include "util.h"
#include "tt.h"

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	return tt_kv_probe_file(a, p, "kv:login_defs", "/etc/login.defs",
	    TT_KV_SPACE, out, err, errlen);
}

const struct tt_probe tt_probe_login_defs = {
	.name = "login_defs",
	.description =
	    "the effective value of a key of /etc/login.defs (last assignment wins)",
	.params = tt_kv_params,
	.fields = tt_kv_fields,
	.run = run,
};
