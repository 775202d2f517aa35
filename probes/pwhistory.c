#include "util.h"
#include "tt.h"

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	return tt_kv_probe_file(a, p, "kv:pwhistory",
	    "/etc/security/pwhistory.conf", TT_KV_EQUALS, out, err, errlen);
}

const struct tt_probe tt_probe_pwhistory = {
	.name = "pwhistory",
	.description = "a key of /etc/security/pwhistory.conf; flags are true",
	.params = tt_kv_params,
	.fields = tt_kv_fields,
	.run = run,
};
