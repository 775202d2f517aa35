#include <ctype.h>

#include "fileio.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "arg", TT_PARAM_STRING, true, NULL,
	    "a kernel argument name (audit, apparmor, audit_backlog_limit)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "line", "present", "value",
	"text", NULL };

/* Looks for arg or arg=value as a word of cmdline. */
static bool
find_arg(const char *cmdline, const char *arg, char *value, size_t size)
{
	size_t n = strlen(arg);
	const char *p = cmdline;

	value[0] = '\0';
	while (*p) {
		const char *w;
		size_t len;

		while (isspace((unsigned char)*p) || *p == '"' || *p == '\'')
			p++;
		w = p;
		while (*p && !isspace((unsigned char)*p) && *p != '"' &&
		    *p != '\'')
			p++;
		len = (size_t)(p - w);
		if (len >= n && strncmp(w, arg, n) == 0 &&
		    (len == n || w[n] == '=')) {
			if (len > n)
				snprintf(value, size, "%.*s",
				    (int)(len - n - 1), w + n + 1);
			return true;
		}
	}
	return false;
}

static int
add(struct tt_items *out, const char *path, size_t line, const char *text,
    const char *arg)
{
	char value[1024];
	bool present = find_arg(text, arg, value, sizeof(value));
	struct tt_item *it;
	int r;

	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "path", path)) < 0 ||
	    (r = tt_item_setf(it, "line", "%zu", line)) < 0 ||
	    (r = tt_item_set_bool(it, "present", present)) < 0 ||
	    (r = tt_item_set(it, "value", value)) < 0)
		return r;
	return tt_item_set(it, "text", text);
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	static const char *const cfgs[] = { "/boot/grub/grub.cfg",
		"/boot/grub2/grub.cfg" };
	const char *arg = tt_param(p, "arg", "");
	struct tt_strv files = { 0 };
	const struct tt_kvset *set;
	const struct tt_kv *kv;
	int r = 0;

	for (size_t i = 0; r == 0 && i < TT_ARRAY_SIZE(cfgs); i++) {
		struct tt_buf text;
		struct tt_lines l;
		char line[TT_PROBE_LINE_MAX];
		size_t lineno;

		if (tt_probe_read(a, cfgs[i], &text) < 0)
			continue;
		tt_lines_init(&l, text.data, text.len);
		while (r == 0 &&
		    tt_lines_next(&l, line, sizeof(line), false, &lineno) > 0) {
			char *s = tt_trim(line);

			if (strncmp(s, "linux", 5) != 0 ||
			    !(isspace((unsigned char)s[5]) ||
				strncmp(s + 5, "16", 2) == 0 ||
				strncmp(s + 5, "efi", 3) == 0))
				continue;
			r = add(out, cfgs[i], lineno, s, arg);
		}
		tt_buf_free(&text);
		break; /* the first grub.cfg that exists is the one used */
	}
	if (r < 0)
		return r;
	/* The same cache key as shell_vars on /etc/default/grub. */
	if ((r = tt_strv_add(&files, "/etc/default/grub")) == 0)
		r = tt_kv_load(a, "shell:/etc/default/grub", &files,
		    TT_KV_SHELL, &set, err, errlen);
	tt_strv_free(&files);
	if (r < 0)
		return r;
	if ((kv = tt_kv_last(set, "GRUB_CMDLINE_LINUX", false)) != NULL)
		r = add(out, "/etc/default/grub", kv->line, kv->value, arg);
	return r;
}

const struct tt_probe tt_probe_grub_cmdline = {
	.name = "grub_cmdline",
	.description = "a kernel argument on each linux line of grub.cfg and "
		       "in GRUB_CMDLINE_LINUX of /etc/default/grub",
	.params = params,
	.fields = fields,
	.run = run,
};
