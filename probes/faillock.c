#include "util.h"
#include "tt.h"

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	return tt_kv_probe_file(a, p, "kv:faillock",
	    "/etc/security/faillock.conf", TT_KV_EQUALS, out, err, errlen);
}

const struct tt_probe tt_probe_faillock = {
	.name = "faillock",
	.description = "a key of /etc/security/faillock.conf; flags are true",
	.params = tt_kv_params,
	.fields = tt_kv_fields,
	.run = run,
};
