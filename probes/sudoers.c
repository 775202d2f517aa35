#include <ctype.h>

#include "fileio.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, true, NULL,
	    "a Defaults option (use_pty, logfile, timestamp_timeout)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "key", "value", "file", "line", "scope",
	NULL };

/* Every Defaults setting: key "scope\tname", value as written. */
struct sudo_state {
	struct tt_audit *a;
	struct tt_kvset *set;
	struct tt_include_stack stack; /* loops and depth end here */
	char *err;
	size_t errlen;
};

static int parse_file(struct sudo_state *st, const char *path);

static void
dir_of(const char *path, char *out, size_t size)
{
	const char *slash = strrchr(path, '/');

	snprintf(out, size, "%.*s", slash ? (int)(slash - path) : 0, path);
}

/* sudoers(5) #includedir: every file not ending in '~' and without a
 * '.', in lexical order. */
static int
include_dir(struct sudo_state *st, const char *dir)
{
	struct tt_strv names = { 0 };
	int r = tt_probe_list_dir(st->a, dir, "", &names, st->err, st->errlen);

	if (r < 0 && st->err[0] == '\0')
		snprintf(st->err, st->errlen, "cannot list '%s': %s", dir,
		    r == -E2BIG ? "too many names" : tt_strerror(r));

	for (size_t i = 0; r == 0 && i < names.n; i++) {
		char path[PATH_MAX];
		size_t n = strlen(names.v[i]);

		if (strchr(names.v[i], '.') != NULL || names.v[i][n - 1] == '~')
			continue;
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			names.v[i]) >= sizeof(path))
			continue;
		r = parse_file(st, path);
	}
	tt_strv_free(&names);
	return r;
}

/* "Defaults[:scope] a, !b, c=d, e+=f" into settings. */
static int
defaults(struct sudo_state *st, const char *file, size_t line, char *s)
{
	char scope[256] = "", *p = s + 8;
	int r = 0;

	if (strchr(":@>!", *p) != NULL && *p != '\0') {
		size_t n = strcspn(p, " \t");

		snprintf(scope, sizeof(scope), "%.*s", (int)n, p);
		p += n;
	}
	while (*p) {
		char opt[TT_PROBE_LINE_MAX], *o, *eq, key[512], val[4096];
		size_t n = 0;
		bool quoted = false;

		while (*p && (isspace((unsigned char)*p) || *p == ','))
			p++;
		while (p[n] && (quoted || p[n] != ',')) {
			if (p[n] == '"')
				quoted = !quoted;
			if (p[n] == '\\' && p[n + 1])
				n++;
			n++;
		}
		if (n == 0)
			break;
		snprintf(opt, sizeof(opt), "%.*s", (int)n, p);
		p += n;
		o = tt_trim(opt);
		if ((eq = strchr(o, '=')) != NULL) {
			char *k = o;

			*eq = '\0';
			if (eq > o && (eq[-1] == '+' || eq[-1] == '-'))
				eq[-1] = '\0';
			snprintf(key, sizeof(key), "%s\t%s", scope, tt_trim(k));
			strlcpy(val, tt_unquote(tt_trim(eq + 1)), sizeof(val));
		} else if (*o == '!') {
			snprintf(key, sizeof(key), "%s\t%s", scope,
			    tt_trim(o + 1));
			strlcpy(val, "false", sizeof(val));
		} else {
			snprintf(key, sizeof(key), "%s\t%s", scope, o);
			strlcpy(val, "true", sizeof(val));
		}
		if ((r = tt_kv_add(st->set, file, line, key, val)) < 0)
			break;
	}
	return r;
}

static int
parse_file(struct sudo_state *st, const char *path)
{
	char *line, dir[PATH_MAX];
	struct tt_buf text;
	struct tt_lines l;
	size_t lineno;
	int r;

	/* sudo refuses an include loop or nesting too deep ("too many
	 * levels of includes"); here the rule says so, naming the file. */
	r = tt_include_read(st->a, &st->stack, path, &text, st->err,
	    st->errlen);
	/* What #includedir lists may be a directory: sudo skips those. */
	if (tt_include_absent(r, st->err))
		return 0;
	if (r < 0)
		return r;
	if ((line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		tt_include_pop(&st->stack);
		tt_buf_free(&text);
		return -ENOMEM;
	}
	dir_of(path, dir, sizeof(dir));
	tt_lines_init(&l, text.data, text.len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, true, &lineno) > 0) {
		char *s = tt_trim(line), *arg, target[PATH_MAX];
		bool is_dir;

		if ((strncmp(s, "#include", 8) == 0 ||
			strncmp(s, "@include", 8) == 0) &&
		    isspace((unsigned char)s[8 + (s[8] == 'd' ? 3 : 0)])) {
			is_dir = strncmp(s + 8, "dir", 3) == 0;
			arg = tt_unquote(tt_trim(s + (is_dir ? 11 : 8)));
			/* Relative paths are relative to this file. */
			if ((size_t)snprintf(target, sizeof(target), "%s%s%s",
				arg[0] == '/' ? "" : dir,
				arg[0] == '/' ? "" : "/",
				arg) >= sizeof(target))
				continue;
			r = is_dir ? include_dir(st, target) :
				     parse_file(st, target);
			continue;
		}
		if (*s == '#' || *s == '\0')
			continue;
		if (strncmp(s, "Defaults", 8) == 0 &&
		    (s[8] == '\0' || strchr(" \t:@>!", s[8]) != NULL)) {
			char *h = strchr(s, '#');

			/* A '#' outside quotes starts a comment. */
			if (h != NULL &&
			    memchr(s, '"', (size_t)(h - s)) == NULL)
				*h = '\0';
			r = defaults(st, path, lineno, s);
		}
	}
	tt_include_pop(&st->stack);
	free(line);
	tt_buf_free(&text);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct sudo_state st = { .a = a, .err = err, .errlen = errlen };
	const char *key = tt_param(p, "key", "");
	void *data;
	int r = 0, cerr;

	if (tt_audit_cache_get(a, "sudoers", &data, &cerr)) {
		if (cerr < 0)
			return tt_parse_failed(data, cerr, err, errlen);
		st.set = data;
	} else {
		if ((st.set = calloc(1, sizeof(*st.set))) == NULL)
			return -ENOMEM;
		r = parse_file(&st, "/etc/sudoers");
		tt_include_clear(&st.stack);
		if (r < 0) {
			tt_kvset_destroy(st.set);
			return tt_parse_fail(a, "sudoers", r, err);
		}
		if ((r = tt_audit_cache_put(a, "sudoers", st.set,
			 tt_kvset_destroy, 0)) < 0)
			return r;
	}
	for (size_t i = 0; r == 0 && i < st.set->n; i++) {
		const struct tt_kv *kv = &st.set->v[i];
		const char *tab = strchr(kv->key, '\t');
		struct tt_item *it;

		if (tab == NULL || !TT_STREQ(tab + 1, key))
			continue;
		if ((r = tt_items_add(out, &it)) < 0 ||
		    (r = tt_item_set(it, "key", key)) < 0 ||
		    (r = tt_item_set(it, "value", kv->value)) < 0 ||
		    (r = tt_item_set(it, "file", kv->file)) < 0 ||
		    (r = tt_item_setf(it, "line", "%zu", kv->line)) < 0)
			break;
		r = tt_item_setf(it, "scope", "%.*s", (int)(tab - kv->key),
		    kv->key);
	}
	return r;
}

const struct tt_probe tt_probe_sudoers = {
	.name = "sudoers",
	.description =
	    "each Defaults line of /etc/sudoers and the files it "
	    "includes (#include, #includedir, @include...) that sets an option",
	.params = params,
	.fields = fields,
	.run = run,
};
