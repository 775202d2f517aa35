#include "util.h"
#include "tt.h"

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	int r;

	r = tt_strv_add(&files, "/etc/security/pwquality.conf");
	if (r == 0) {
		struct tt_strv d = { 0 };

		r = tt_root_list_dir(a->root, "/etc/security/pwquality.conf.d",
		    ".conf", &d);
		for (size_t i = 0; r == 0 && i < d.n; i++) {
			char path[PATH_MAX];

			snprintf(path, sizeof(path),
			    "/etc/security/pwquality.conf.d/%s", d.v[i]);
			r = tt_strv_add(&files, path);
		}
		tt_strv_free(&d);
	}
	if (r == 0)
		r = tt_kv_probe(a, p, "kv:pwquality", &files, TT_KV_EQUALS, out,
		    err, errlen);
	tt_strv_free(&files);
	return r;
}

const struct tt_probe tt_probe_pwquality = {
	.name = "pwquality",
	.description =
	    "a key of pwquality.conf, then pwquality.conf.d/*.conf in order (later wins)",
	.params = tt_kv_params,
	.fields = tt_kv_fields,
	.run = run,
};
