#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, true, NULL, "the mount point (/tmp)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "in_fstab", "fstab_type",
	"fstab_options", "fstab_line", "mounted", "options", "separate", NULL };

/* fstab(5) and mountinfo escape space, tab, newline and backslash as
 * octal \040 and so on. */
static void
unescape(char *s)
{
	char *w = s;

	for (char *p = s; *p; p++) {
		if (p[0] == '\\' && p[1] >= '0' && p[1] <= '3' && p[2] >= '0' &&
		    p[2] <= '7' && p[3] >= '0' && p[3] <= '7') {
			*w++ = (char)((p[1] - '0') * 64 + (p[2] - '0') * 8 +
			    (p[3] - '0'));
			p += 3;
		} else {
			*w++ = *p;
		}
	}
	*w = '\0';
}

static void
strip_slash(char *s)
{
	size_t n = strlen(s);

	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* fstab entries as a kvset: key mount point, value "type options". */
static int
load_fstab(struct tt_audit *a, const struct tt_kvset **ret, char *err,
    size_t errlen)
{
	struct tt_kvset *set;
	struct tt_buf text;
	struct tt_lines l;
	char line[TT_PROBE_LINE_MAX];
	size_t lineno;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "fstab", &data, &cerr)) {
		*ret = data;
		return cerr;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return -ENOMEM;
	r = tt_probe_read(a, "/etc/fstab", &text);
	if (r == -ENOENT) {
		r = 0;
	} else if (r < 0) {
		tt_seterr(err, errlen, "cannot read '/etc/fstab': %s",
		    tt_strerror(r));
	} else {
		tt_lines_init(&l, text.data, text.len);
		while (r == 0 &&
		    tt_lines_next(&l, line, sizeof(line), false, &lineno) > 0) {
			char *f[4], *save = NULL, *s = tt_trim(line);
			char val[TT_PROBE_LINE_MAX];
			size_t n = 0;

			if (*s == '#' || *s == '\0')
				continue;
			for (char *t = strtok_r(s, " \t", &save);
			     t != NULL && n < 4;
			     t = strtok_r(NULL, " \t", &save))
				f[n++] = t;
			if (n < 3)
				continue;
			unescape(f[1]);
			strip_slash(f[1]);
			snprintf(val, sizeof(val), "%s %s", f[2],
			    n > 3 ? f[3] : "defaults");
			r = tt_kv_add(set, "/etc/fstab", lineno, f[1], val);
		}
		tt_buf_free(&text);
	}
	if (r < 0) {
		tt_kvset_destroy(set);
		return r;
	}
	if ((r = tt_audit_cache_put(a, "fstab", set, tt_kvset_destroy, 0)) < 0)
		return r;
	*ret = set;
	return 0;
}

/* The last mount on path in /proc/self/mountinfo: per-mount and super
 * options joined. */
static bool
mountinfo(struct tt_audit *a, const char *path, char *opts, size_t size)
{
	struct tt_buf text;
	struct tt_lines l;
	char line[TT_PROBE_LINE_MAX];
	bool found = false;

	if (tt_read_file(a->root, "/proc/self/mountinfo", TT_PROBE_FILE_MAX,
		&text) < 0)
		return false;
	tt_lines_init(&l, text.data, text.len);
	while (tt_lines_next(&l, line, sizeof(line), false, NULL) > 0) {
		char *f[6], *save = NULL, *dash, *super = "";
		size_t n = 0;

		if ((dash = strstr(line, " - ")) != NULL) {
			char *s2 = NULL, *t;

			*dash = '\0';
			/* " - fstype source superoptions" */
			t = strtok_r(dash + 3, " ", &s2);
			t = t ? strtok_r(NULL, " ", &s2) : NULL;
			t = t ? strtok_r(NULL, " ", &s2) : NULL;
			super = t ? t : "";
		}
		for (char *t = strtok_r(line, " ", &save); t != NULL && n < 6;
		     t = strtok_r(NULL, " ", &save))
			f[n++] = t;
		if (n < 6)
			continue;
		unescape(f[4]);
		strip_slash(f[4]);
		if (!TT_STREQ(f[4], path))
			continue;
		found = true;
		snprintf(opts, size, "%s%s%s", f[5], *super ? "," : "", super);
	}
	tt_buf_free(&text);
	return found;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_kvset *fstab;
	const struct tt_kv *kv;
	char path[PATH_MAX], type[256] = "", opts[TT_PROBE_LINE_MAX] = "";
	struct tt_item *it;
	bool mounted = false;
	int r;

	strlcpy(path, tt_param(p, "path", ""), sizeof(path));
	strip_slash(path);
	if ((r = load_fstab(a, &fstab, err, errlen)) < 0)
		return r;
	kv = tt_kv_last(fstab, path, false);
	if (kv != NULL) {
		const char *sp = strchr(kv->value, ' ');

		snprintf(type, sizeof(type), "%.*s",
		    (int)(sp ? (size_t)(sp - kv->value) : strlen(kv->value)),
		    kv->value);
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "path", path)) < 0 ||
	    (r = tt_item_set_bool(it, "in_fstab", kv != NULL)) < 0 ||
	    (r = tt_item_set(it, "fstab_type", type)) < 0 ||
	    (r = tt_item_set(it, "fstab_options",
		 kv ? strchr(kv->value, ' ') + 1 : "")) < 0 ||
	    (r = tt_item_setf(it, "fstab_line", "%zu", kv ? kv->line : 0)) < 0)
		return r;
	if (a->runtime) {
		mounted = mountinfo(a, path, opts, sizeof(opts));
		if ((r = tt_item_set_bool(it, "mounted", mounted)) < 0 ||
		    (r = tt_item_set(it, "options", opts)) < 0)
			return r;
	}
	return tt_item_set_bool(it, "separate", kv != NULL || mounted);
}

const struct tt_probe tt_probe_mount = {
	.name = "mount",
	.description = "a mount point: its /etc/fstab entry and options and, "
		       "live, its mount options from /proc/self/mountinfo",
	.params = params,
	.fields = fields,
	.run = run,
};
