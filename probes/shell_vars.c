#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, true, NULL, "a KEY=value file" },
	{ "key", TT_PARAM_STRING, true, NULL, "the variable" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the value when the variable is not set" },
	{ NULL, 0, false, NULL, NULL },
};

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	const struct tt_kvset *set;
	const char *path = tt_param(p, "path", "");
	char key[PATH_MAX + 8];
	int r;

	snprintf(key, sizeof(key), "shell:%s", path);
	if ((r = tt_strv_add(&files, path)) == 0)
		r = tt_kv_load(a, key, &files, TT_KV_SHELL, &set, err, errlen);
	tt_strv_free(&files);
	if (r < 0)
		return r;
	return tt_kv_item(out, set, tt_param(p, "key", ""),
	    tt_param(p, "default", NULL), false);
}

const struct tt_probe tt_probe_shell_vars = {
	.name = "shell_vars",
	.description =
	    "a variable of a shell-style KEY=value file such as "
	    "/etc/default/grub (last assignment wins, quotes removed)",
	.params = params,
	.fields = tt_kv_fields,
	.run = run,
};
