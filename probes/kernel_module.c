#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "module", TT_PARAM_STRING, true, NULL,
	    "the module name ('-' and '_' are the same)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "module", "install", "disabled",
	"blacklisted", "loadable", "loaded", "file", "line", NULL };

static const char *const dirs[] = { "/etc/modprobe.d", "/run/modprobe.d",
	"/usr/local/lib/modprobe.d", "/usr/lib/modprobe.d", "/lib/modprobe.d" };

struct modprobe {
	struct tt_kvset install; /* key module, value the command */
	struct tt_kvset blacklist; /* key module */
	struct tt_strv modules; /* names of .ko files, sorted */
};

static void
normalize(char *m)
{
	for (; *m; m++)
		if (*m == '-')
			*m = '_';
}

static void
modprobe_destroy(void *p)
{
	struct modprobe *m = p;

	if (m == NULL)
		return;
	tt_kvset_free(&m->install);
	tt_kvset_free(&m->blacklist);
	tt_strv_free(&m->modules);
	free(m);
}

static int
parse(struct modprobe *m, const char *file, const char *text, size_t len)
{
	struct tt_kvset raw = { 0 };
	int r = tt_kv_parse(&raw, file, text, len, TT_KV_SPACE);

	/* modprobe.d(5) lines are "command module rest"; continuation
	 * lines are rare enough that kv's space style serves. */
	for (size_t i = 0; r == 0 && i < raw.n; i++) {
		struct tt_kv *kv = &raw.v[i];
		struct tt_kvset *dst = TT_STREQ(kv->key, "install") ?
		    &m->install :
		    TT_STREQ(kv->key, "blacklist") ? &m->blacklist :
						     NULL;
		char *mod = kv->value, *rest;
		char buf[TT_PROBE_LINE_MAX];

		if (dst == NULL)
			continue;
		strlcpy(buf, mod, sizeof(buf));
		rest = buf + strcspn(buf, " \t");
		if (*rest != '\0')
			*rest++ = '\0';
		normalize(buf);
		r = tt_kv_add(dst, file, kv->line, buf, tt_trim(rest));
	}
	tt_kvset_free(&raw);
	return r;
}

/* Collects module names under an open directory, depth-bounded, never
 * following links (the walk stays inside the root). */
static int
scan_modules(int dfd, int depth, struct tt_strv *out)
{
	DIR *d;
	struct dirent *de;
	int r = 0;

	if (depth > 12 || (d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return 0;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		const char *ko;

		if (de->d_name[0] == '.')
			continue;
		if (de->d_type == DT_DIR) {
			int sub = openat(dirfd(d), de->d_name,
			    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

			if (sub >= 0)
				r = scan_modules(sub, depth + 1, out);
			continue;
		}
		if ((ko = strstr(de->d_name, ".ko")) != NULL &&
		    (ko[3] == '\0' || ko[3] == '.')) {
			char name[NAME_MAX + 1];

			snprintf(name, sizeof(name), "%.*s",
			    (int)(ko - de->d_name), de->d_name);
			normalize(name);
			if (out->n < 65536)
				r = tt_strv_add(out, name);
		}
	}
	closedir(d);
	return r;
}

static int
load(struct tt_audit *a, struct modprobe **ret, char *err, size_t errlen)
{
	static const char *const moddirs[] = { "/usr/lib/modules",
		"/lib/modules" };
	struct tt_strv files = { 0 };
	struct modprobe *m;
	struct stat seen = { 0 };
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "modprobe", &data, &cerr)) {
		*ret = data;
		return cerr;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	r = tt_dropin_files(a->root, dirs, TT_ARRAY_SIZE(dirs), ".conf",
	    &files);
	for (size_t i = 0; r == 0 && i < files.n; i++) {
		struct tt_buf text;
		int rr = tt_probe_read(a, files.v[i], &text);

		if (rr < 0) {
			if (rr == -ENOENT)
				continue;
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    files.v[i], tt_strerror(rr));
			r = rr;
			break;
		}
		r = parse(m, files.v[i], text.data, text.len);
		tt_buf_free(&text);
	}
	tt_strv_free(&files);
	/* /lib is often a link to /usr/lib: scan a directory once. */
	for (size_t i = 0; r == 0 && i < TT_ARRAY_SIZE(moddirs); i++) {
		int fd = tt_root_open(a->root, moddirs[i],
		    O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
		struct stat st;

		if (fd < 0)
			continue;
		if (fstat(fd, &st) == 0 && st.st_ino == seen.st_ino &&
		    st.st_dev == seen.st_dev) {
			close(fd);
			continue;
		}
		if (fstat(fd, &seen) < 0)
			memset(&seen, 0, sizeof(seen));
		r = scan_modules(fd, 0, &m->modules);
	}
	tt_strv_sort(&m->modules);
	if (r < 0) {
		modprobe_destroy(m);
		return r;
	}
	if ((r = tt_audit_cache_put(a, "modprobe", m, modprobe_destroy, 0)) < 0)
		return r;
	*ret = m;
	return 0;
}

static int
cmp_key(const void *k, const void *e)
{
	return strcmp(k, *(char *const *)e);
}

static bool
loaded(struct tt_audit *a, const char *mod)
{
	struct tt_buf text;
	struct tt_lines l;
	char line[512];
	bool found = false;

	if (tt_read_file(a->root, "/proc/modules", TT_PROBE_FILE_MAX, &text) <
	    0)
		return false;
	tt_lines_init(&l, text.data, text.len);
	while (
	    !found && tt_lines_next(&l, line, sizeof(line), false, NULL) > 0) {
		line[strcspn(line, " ")] = '\0';
		normalize(line);
		found = TT_STREQ(line, mod);
	}
	tt_buf_free(&text);
	return found;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct modprobe *m;
	const struct tt_kv *inst = NULL;
	char mod[NAME_MAX + 1], cmd[TT_PROBE_LINE_MAX];
	struct tt_item *it;
	bool disabled = false;
	int r;

	strlcpy(mod, tt_param(p, "module", ""), sizeof(mod));
	normalize(mod);
	if ((r = load(a, &m, err, errlen)) < 0)
		return r;
	/* kmod takes the first install command for a module. */
	for (size_t i = 0; i < m->install.n && inst == NULL; i++)
		if (TT_STREQ(m->install.v[i].key, mod))
			inst = &m->install.v[i];
	if (inst != NULL) {
		char *c;

		strlcpy(cmd, inst->value, sizeof(cmd));
		c = tt_trim(cmd);
		c[strcspn(c, " \t")] = '\0';
		disabled = TT_STREQ(c, "/bin/false") ||
		    TT_STREQ(c, "/usr/bin/false") || TT_STREQ(c, "/bin/true") ||
		    TT_STREQ(c, "/usr/bin/true");
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "module", mod)) < 0 ||
	    (r = tt_item_set(it, "install", inst ? inst->value : "")) < 0 ||
	    (r = tt_item_set_bool(it, "disabled", disabled)) < 0 ||
	    (r = tt_item_set_bool(it, "blacklisted",
		 tt_kv_last(&m->blacklist, mod, false) != NULL)) < 0 ||
	    (r = tt_item_set_bool(it, "loadable",
		 m->modules.n > 0 &&
		     bsearch(mod, m->modules.v, m->modules.n, sizeof(char *),
			 cmp_key) != NULL)) < 0)
		return r;
	if (inst != NULL &&
	    ((r = tt_item_set(it, "file", inst->file)) < 0 ||
		(r = tt_item_setf(it, "line", "%zu", inst->line)) < 0))
		return r;
	if (a->runtime)
		r = tt_item_set_bool(it, "loaded", loaded(a, mod));
	return r;
}

const struct tt_probe tt_probe_kernel_module = {
	.name = "kernel_module",
	.description =
	    "whether a kernel module is disabled (install "
	    "/bin/false), blacklisted, loadable (a .ko in /lib/modules) and, "
	    "live, loaded",
	.params = params,
	.fields = fields,
	.run = run,
};
