#include <fnmatch.h>

#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, true, NULL,
	    "the variable, dotted (net.ipv4.ip_forward) or with slashes" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the kernel's value when nothing sets it" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "key", "value", "file", "line", "source",
	"live", NULL };

/* systemd-sysctl's directories in priority order; the first directory
 * holding a file name wins, then all files are read sorted by name. */
static const char *const dirs[] = { "/etc/sysctl.d", "/run/sysctl.d",
	"/usr/local/lib/sysctl.d", "/usr/lib/sysctl.d", "/lib/sysctl.d" };

/* sysctl.d(5): "a/b.c" and "a.b/c" name the same variable; the first
 * separator decides, and the other kind is swapped. */
static void
normalize(char *key)
{
	size_t first = strcspn(key, "./");

	if (key[first] != '/')
		return;
	for (char *p = key; *p; p++) {
		if (*p == '/')
			*p = '.';
		else if (*p == '.')
			*p = '/';
	}
}

static int
parse(struct tt_kvset *set, const char *file, const char *text, size_t len)
{
	char *line = malloc(TT_PROBE_LINE_MAX);
	struct tt_lines l;
	size_t lineno;
	int r = 0;

	if (line == NULL)
		return -ENOMEM;
	tt_lines_init(&l, text, len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, &lineno) > 0) {
		char *s = tt_trim(line), *eq, *key;

		if (*s == '\0' || *s == '#' || *s == ';' ||
		    (eq = strchr(s, '=')) == NULL)
			continue;
		*eq = '\0';
		key = tt_trim(s);
		/* "-key" only means: ignore a failure to set it. */
		if (*key == '-')
			key = tt_trim(key + 1);
		normalize(key);
		if (*key == '\0')
			continue;
		r = tt_kv_add(set, file, lineno, key, tt_trim(eq + 1));
	}
	free(line);
	return r;
}

static int
load(struct tt_audit *a, const struct tt_kvset **ret, char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	struct tt_kvset *set;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "sysctl", &data, &cerr)) {
		*ret = data;
		return cerr;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return -ENOMEM;
	r = tt_dropin_files(a->root, dirs, TT_ARRAY_SIZE(dirs), ".conf",
	    &files);
	if (r == 0)
		r = tt_strv_add(&files, "/etc/sysctl.conf");
	for (size_t i = 0; r == 0 && i < files.n; i++) {
		struct tt_buf text;
		int rr = tt_probe_read(a, files.v[i], &text);

		if (rr == -ENOENT || rr == -ENOTDIR)
			continue;
		if (rr < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    files.v[i], tt_strerror(rr));
			r = rr;
			break;
		}
		r = parse(set, files.v[i], text.data, text.len);
		tt_buf_free(&text);
	}
	tt_strv_free(&files);
	if (r < 0) {
		tt_kvset_destroy(set);
		return r;
	}
	if ((r = tt_audit_cache_put(a, "sysctl", set, tt_kvset_destroy, 0)) < 0)
		return r;
	*ret = set;
	return 0;
}

/*
 * The assignment systemd-sysctl leaves in effect: the last explicit one;
 * failing that the last glob pattern (net.ipv4.conf.*.rp_filter) that
 * matches, since an explicit key is more specific than a pattern.
 */
static const struct tt_kv *
effective(const struct tt_kvset *set, const char *key)
{
	const struct tt_kv *glob = NULL;

	for (size_t i = set->n; i > 0; i--) {
		const struct tt_kv *kv = &set->v[i - 1];

		if (TT_STREQ(kv->key, key))
			return kv;
		if (glob == NULL && strpbrk(kv->key, "*?[") != NULL &&
		    fnmatch(kv->key, key, 0) == 0)
			glob = kv;
	}
	return glob;
}

static void
collapse_space(char *s)
{
	char *w = s;
	bool space = false;

	for (char *p = tt_trim(s); *p; p++) {
		if (*p == '\t' || *p == ' ' || *p == '\n') {
			space = true;
			continue;
		}
		if (space && w != s)
			*w++ = ' ';
		space = false;
		*w++ = *p;
	}
	*w = '\0';
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct tt_kvset *set;
	const struct tt_kv *kv;
	const char *def = tt_param(p, "default", NULL);
	char key[512], proc[600];
	struct tt_item *it;
	struct tt_buf live;
	bool have_live = false;
	int r;

	strlcpy(key, tt_param(p, "key", ""), sizeof(key));
	normalize(key);
	if ((r = load(a, &set, err, errlen)) < 0)
		return r;
	kv = effective(set, key);
	if (a->runtime) {
		snprintf(proc, sizeof(proc), "/proc/sys/%s", key);
		for (char *q = proc + 10; *q; q++) {
			if (*q == '.')
				*q = '/';
			else if (*q == '/')
				*q = '.';
		}
		have_live = tt_read_file(a->root, proc, 65536, &live) == 0;
	}
	if (kv == NULL && def == NULL && !have_live)
		return 0;
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "key", key)) < 0)
		goto out;
	if (kv != NULL || def != NULL) {
		if ((r = tt_item_set(it, "value", kv ? kv->value : def)) < 0 ||
		    (r = tt_item_set(it, "file", kv ? kv->file : "")) < 0 ||
		    (r = tt_item_setf(it, "line", "%zu", kv ? kv->line : 0)) <
			0 ||
		    (r = tt_item_set(it, "source", kv ? "config" : "default")) <
			0)
			goto out;
	}
	if (have_live) {
		collapse_space(live.data);
		r = tt_item_set(it, "live", live.data);
	}
out:
	if (have_live)
		tt_buf_free(&live);
	return r;
}

const struct tt_probe tt_probe_sysctl = {
	.name = "sysctl",
	.description =
	    "a kernel variable as systemd-sysctl sets it from "
	    "sysctl.d (first directory wins a name, sorted, then "
	    "/etc/sysctl.conf; later wins) and, live, from /proc/sys",
	.params = params,
	.fields = fields,
	.run = run,
};
