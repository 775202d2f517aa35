#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <strings.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static DIR *
open_dir(const struct tt_root *root, const char *dir)
{
	int fd = tt_root_open(root, dir[0] ? dir : "/",
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	DIR *d;

	if (fd < 0)
		return NULL;
	if ((d = fdopendir(fd)) == NULL)
		close(fd);
	return d;
}

int
tt_root_list_dir(const struct tt_root *root, const char *dir,
    const char *suffix, struct tt_strv *ret)
{
	size_t slen = strlen(suffix);
	struct dirent *de;
	DIR *d = open_dir(root, dir);
	int r = 0;

	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);

		if (de->d_name[0] == '.' || n < slen ||
		    strcmp(de->d_name + n - slen, suffix) != 0)
			continue;
		if (ret->n >= TT_GLOB_MAX) {
			r = -E2BIG;
			break;
		}
		if ((r = tt_strv_add(ret, de->d_name)) < 0)
			break;
	}
	closedir(d);
	tt_strv_sort(ret);
	return r;
}

static bool
has_magic(const char *s)
{
	return strpbrk(s, "*?[") != NULL;
}

/* Directories a glob descends through under patterns: more magic
 * components than this in one pattern are refused. */
#define GLOB_MAX_LEVELS 32

struct glob_state {
	const struct tt_root *root;
	struct tt_audit *a; /* NULL: the local budget */
	uint64_t dirs, matches; /* without an audit */
	struct {
		dev_t dev;
		ino_t ino;
	} anc[GLOB_MAX_LEVELS];
	size_t nanc;
	struct tt_strv *ret;
	char *err;
	size_t errlen;
};

static int
glob_charge(struct glob_state *g, enum tt_budget_kind kind, const char *path)
{
	uint64_t *n, limit = TT_BUDGET_GLOB_MATCHES;

	if (g->a != NULL)
		return tt_budget_charge(g->a, kind, 1, path, g->err, g->errlen);
	n = &g->matches;
	if (kind == TT_BUDGET_KIND_GLOB_DIR) {
		n = &g->dirs;
		limit = TT_BUDGET_GLOB_DIRS;
	}
	if (++*n > limit)
		return -E2BIG;
	return 0;
}

static int
glob_rec(struct glob_state *g, const char *prefix, const char *rest)
{
	char comp[NAME_MAX + 1], path[PATH_MAX];
	const char *slash;
	size_t n;
	struct stat st;

	while (*rest == '/')
		rest++;
	if (*rest == '\0') {
		if (tt_root_stat(g->root, prefix[0] ? prefix : "/", &st,
			false) < 0)
			return 0;
		if (g->ret->n >= TT_GLOB_MAX)
			return -E2BIG;
		return tt_strv_add(g->ret, prefix[0] ? prefix : "/");
	}
	slash = strchr(rest, '/');
	n = slash ? (size_t)(slash - rest) : strlen(rest);
	if (n > NAME_MAX)
		return 0;
	memcpy(comp, rest, n);
	comp[n] = '\0';
	rest += n;
	if (!has_magic(comp)) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", prefix,
			comp) >= sizeof(path))
			return 0;
		return glob_rec(g, path, rest);
	} else {
		struct tt_strv names = { 0 };
		const char *shown = prefix[0] ? prefix : "/";
		DIR *d;
		struct dirent *de;
		int r;

		if ((r = glob_charge(g, TT_BUDGET_KIND_GLOB_DIR, shown)) < 0)
			return r;
		if ((d = open_dir(g->root, prefix)) == NULL)
			return 0;
		/* The same directory again below itself: a symlink to "."
		 * or a parent, which would be listed without end. */
		if (fstat(dirfd(d), &st) == 0) {
			for (size_t i = 0; i < g->nanc; i++) {
				if (g->anc[i].dev == st.st_dev &&
				    g->anc[i].ino == st.st_ino) {
					closedir(d);
					if (g->err != NULL)
						snprintf(g->err, g->errlen,
						    "glob loop: '%s' is a "
						    "directory the pattern "
						    "already lists (a symlink "
						    "to itself or a parent)",
						    shown);
					return -ELOOP;
				}
			}
		}
		if (g->nanc >= GLOB_MAX_LEVELS) {
			closedir(d);
			if (g->err != NULL)
				snprintf(g->err, g->errlen,
				    "glob too deep: more than %d patterns "
				    "in one path at '%s'",
				    GLOB_MAX_LEVELS, shown);
			return -E2BIG;
		}
		g->anc[g->nanc].dev = st.st_dev;
		g->anc[g->nanc].ino = st.st_ino;
		g->nanc++;
		while ((de = readdir(d)) != NULL) {
			if (TT_STREQ(de->d_name, ".") ||
			    TT_STREQ(de->d_name, ".."))
				continue;
			if (fnmatch(comp, de->d_name, FNM_PERIOD) != 0)
				continue;
			if ((r = glob_charge(g, TT_BUDGET_KIND_GLOB_MATCH,
				 shown)) < 0)
				break;
			if (names.n >= TT_GLOB_MAX ||
			    (r = tt_strv_add(&names, de->d_name)) < 0) {
				r = r < 0 ? r : -E2BIG;
				break;
			}
		}
		closedir(d);
		tt_strv_sort(&names);
		for (size_t i = 0; r == 0 && i < names.n; i++) {
			if ((size_t)snprintf(path, sizeof(path), "%s/%s",
				prefix, names.v[i]) >= sizeof(path))
				continue;
			r = glob_rec(g, path, rest);
		}
		g->nanc--;
		tt_strv_free(&names);
		return r;
	}
}

int
tt_root_glob(const struct tt_root *root, const char *pattern,
    struct tt_strv *ret)
{
	struct glob_state g = { .root = root, .ret = ret };

	if (pattern[0] != '/')
		return -EINVAL;
	return glob_rec(&g, "", pattern);
}

int
tt_probe_glob(struct tt_audit *a, const char *pattern, struct tt_strv *ret,
    char *err, size_t errlen)
{
	struct glob_state g = { .root = a->root,
		.a = a,
		.ret = ret,
		.err = err,
		.errlen = errlen };

	if (pattern[0] != '/')
		return -EINVAL;
	return glob_rec(&g, "", pattern);
}

int
tt_budget_charge(struct tt_audit *a, enum tt_budget_kind kind, uint64_t n,
    const char *file, char *err, size_t errlen)
{
	struct tt_budget *b = &a->budget;
	uint64_t *used = NULL, max = 0;
	const char *what = "";

	if (b->spent == 0 && !tt_audit_timed_out(a)) {
		switch (kind) {
		case TT_BUDGET_KIND_GLOB_DIR:
			used = &b->glob_dirs;
			max = b->max_glob_dirs;
			what = "directories listed by globs";
			break;
		case TT_BUDGET_KIND_GLOB_MATCH:
			used = &b->glob_matches;
			max = b->max_glob_matches;
			what = "names matched by globs";
			break;
		case TT_BUDGET_KIND_FILE:
			used = &b->files;
			max = b->max_files;
			what = "files read by include expansion";
			break;
		case TT_BUDGET_KIND_BYTES:
			used = &b->bytes;
			max = b->max_bytes;
			what = "bytes read by include expansion";
			break;
		case TT_BUDGET_KIND_LINES:
			used = &b->lines;
			max = b->max_lines;
			what = "lines read by include expansion";
			break;
		}
		if (used == NULL)
			return -EINVAL;
		if (n <= max && *used <= max - n) {
			*used += n;
			return 0;
		}
		b->spent = -E2BIG;
		snprintf(b->why, sizeof(b->why), "more than %llu %s",
		    (unsigned long long)max, what);
	}
	if (err != NULL) {
		if (b->spent == -ETIMEDOUT)
			tt_seterr(err, errlen, "%s while reading '%s'", b->why,
			    file);
		else
			tt_seterr(err, errlen,
			    "budget exceeded: %s in this audit while reading "
			    "'%s'",
			    b->why, file);
	}
	return b->spent;
}

int
tt_probe_list_dir(struct tt_audit *a, const char *dir, const char *suffix,
    struct tt_strv *ret, char *err, size_t errlen)
{
	int r;

	if ((r = tt_budget_charge(a, TT_BUDGET_KIND_GLOB_DIR, 1, dir, err,
		 errlen)) < 0)
		return r;
	if ((r = tt_root_list_dir(a->root, dir, suffix, ret)) < 0)
		return r;
	return tt_budget_charge(a, TT_BUDGET_KIND_GLOB_MATCH, ret->n, dir, err,
	    errlen);
}

int
tt_parse_fail(struct tt_audit *a, const char *key, int r, const char *err)
{
	char *why;

	if (r == -ENOMEM || (why = strdup(err)) == NULL)
		return r;
	(void)tt_audit_cache_put(a, key, why, free, r);
	return r;
}

int
tt_parse_failed(void *data, int cerr, char *err, size_t errlen)
{
	if (data != NULL)
		strlcpy(err, data, errlen);
	return cerr;
}

static uint64_t
count_lines(const char *p, size_t len)
{
	const char *end = p + len, *nl;
	uint64_t n = 0;

	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n++;
		p = nl + 1;
	}
	return n + (p < end);
}

bool
tt_include_absent(int r, char *err)
{
	if (r != -ENOENT && r != -ENOTDIR && r != -EISDIR)
		return false;
	err[0] = '\0';
	return true;
}

int
tt_include_read(struct tt_audit *a, struct tt_include_stack *st,
    const char *path, struct tt_buf *ret, char *err, size_t errlen)
{
	struct stat sb;
	int fd, r;

	tt_buf_init(ret, TT_PROBE_FILE_MAX);
	if ((r = tt_budget_charge(a, TT_BUDGET_KIND_FILE, 1, path, err,
		 errlen)) < 0)
		return r;
	if ((fd = tt_open_regular(a->root, path)) < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(fd));
		return fd;
	}
	if (fstat(fd, &sb) < 0) {
		r = -errno;
		close(fd);
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	for (size_t i = 0; i < st->n; i++) {
		if (st->v[i].dev == sb.st_dev && st->v[i].ino == sb.st_ino) {
			char same[PATH_MAX + 16] = "";

			close(fd);
			/* Named as included, and as first read when that
			 * was another name (a symlink, "..", a glob). */
			if (!TT_STREQ(path, st->v[i].path))
				snprintf(same, sizeof(same), " (the file '%s')",
				    st->v[i].path);
			if (i + 1 == st->n)
				tt_seterr(err, errlen,
				    "include loop: '%s'%s includes itself",
				    path, same);
			else
				tt_seterr(err, errlen,
				    "include loop: '%s'%s is included again by "
				    "'%s'",
				    path, same, st->v[st->n - 1].path);
			return -ELOOP;
		}
	}
	if (st->n >= TT_ARRAY_SIZE(st->v)) {
		close(fd);
		tt_seterr(err, errlen,
		    "includes nested more than %d deep at '%s' (included by "
		    "'%s')",
		    TT_INCLUDE_DEPTH, path, st->v[st->n - 1].path);
		return -ELOOP;
	}
	r = tt_read_fd(fd, TT_PROBE_FILE_MAX, ret);
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((r = tt_budget_charge(a, TT_BUDGET_KIND_BYTES, ret->len, path, err,
		 errlen)) < 0 ||
	    (r = tt_budget_charge(a, TT_BUDGET_KIND_LINES,
		 count_lines(ret->data, ret->len), path, err, errlen)) < 0 ||
	    (st->v[st->n].path = strdup(path)) == NULL) {
		tt_buf_free(ret);
		return r < 0 ? r : -ENOMEM;
	}
	st->v[st->n].dev = sb.st_dev;
	st->v[st->n].ino = sb.st_ino;
	st->n++;
	return 0;
}

void
tt_include_pop(struct tt_include_stack *st)
{
	if (st->n > 0) {
		st->n--;
		TT_FREE(st->v[st->n].path);
	}
}

void
tt_include_clear(struct tt_include_stack *st)
{
	while (st->n > 0)
		tt_include_pop(st);
}

int
tt_dropin_files(const struct tt_root *root, const char *const *dirs,
    size_t ndirs, const char *suffix, struct tt_strv *ret)
{
	struct tt_strv names = { 0 }, owners = { 0 };
	char path[PATH_MAX];
	int r = 0;

	for (size_t d = 0; d < ndirs && r == 0; d++) {
		struct tt_strv here = { 0 };

		r = tt_root_list_dir(root, dirs[d], suffix, &here);
		for (size_t i = 0; r == 0 && i < here.n; i++) {
			if (tt_strv_has(&names, here.v[i]))
				continue;
			snprintf(path, sizeof(path), "%s/%s", dirs[d],
			    here.v[i]);
			if ((r = tt_strv_add(&names, here.v[i])) == 0)
				r = tt_strv_add(&owners, path);
		}
		tt_strv_free(&here);
	}
	if (r == 0) {
		/* Sort by base name; the owners list follows its names. */
		for (size_t i = 1; i < names.n; i++) {
			for (size_t j = i;
			     j > 0 && strcmp(names.v[j - 1], names.v[j]) > 0;
			     j--) {
				char *t = names.v[j];

				names.v[j] = names.v[j - 1];
				names.v[j - 1] = t;
				t = owners.v[j];
				owners.v[j] = owners.v[j - 1];
				owners.v[j - 1] = t;
			}
		}
		for (size_t i = 0; r == 0 && i < owners.n; i++)
			r = tt_strv_add(ret, owners.v[i]);
	}
	tt_strv_free(&names);
	tt_strv_free(&owners);
	return r;
}

int
tt_lines_scan(struct tt_audit *a, const char *path, const regex_t *re,
    bool comments, const char *user, struct tt_items *out, char *err,
    size_t errlen)
{
	static const char *const groups[] = { "1", "2", "3", "4", "5", "6", "7",
		"8", "9" };
	struct tt_buf text;
	struct tt_lines l;
	char *line;
	size_t lineno;
	int r;

	if ((r = tt_probe_lines_open(a, path, &text, &line, err, errlen)) <= 0)
		return r;
	r = 0;
	tt_lines_init(&l, text.data, text.len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, &lineno) > 0) {
		regmatch_t m[10];
		struct tt_item *it;

		if (!comments && tt_is_comment(line))
			continue;
		if (regexec(re, line, 10, m, 0) != 0)
			continue;
		if ((r = tt_items_add(out, &it)) < 0 ||
		    (r = tt_item_set(it, "path", path)) < 0 ||
		    (r = tt_item_setf(it, "line", "%zu", lineno)) < 0 ||
		    (r = tt_item_set(it, "text", line)) < 0 ||
		    (user != NULL && (r = tt_item_set(it, "user", user)) < 0))
			break;
		for (int g = 1; r == 0 && g < 10; g++) {
			if (m[g].rm_so < 0)
				continue;
			r = tt_item_setf(it, groups[g - 1], "%.*s",
			    (int)(m[g].rm_eo - m[g].rm_so), line + m[g].rm_so);
		}
	}
	free(line);
	tt_buf_free(&text);
	return r;
}

int
tt_probe_read(struct tt_audit *a, const char *path, struct tt_buf *ret)
{
	return tt_read_file(a->root, path, TT_PROBE_FILE_MAX, ret);
}

int
tt_probe_lines_open(struct tt_audit *a, const char *path, struct tt_buf *text,
    char **line, char *err, size_t errlen)
{
	int r = tt_probe_read(a, path, text);

	if (r == -ENOENT || r == -EISDIR || r == -TT_ENOTREG || r == -ENOTDIR)
		return 0;
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((*line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		tt_buf_free(text);
		return -ENOMEM;
	}
	return 1;
}

const char *const tt_kv_fields[] = { "key", "value", "file", "line", "source",
	NULL };

int
tt_kv_add(struct tt_kvset *set, const char *file, size_t line, const char *key,
    const char *value)
{
	struct tt_kv *kv;

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 32;

		kv = reallocarray(set->v, cap, sizeof(*kv));
		if (kv == NULL)
			return -ENOMEM;
		set->v = kv;
		set->cap = cap;
	}
	kv = &set->v[set->n];
	kv->key = strdup(key);
	kv->value = strdup(value);
	kv->file = strdup(file);
	kv->line = line;
	if (kv->key == NULL || kv->value == NULL || kv->file == NULL) {
		free(kv->key);
		free(kv->value);
		free(kv->file);
		return -ENOMEM;
	}
	set->n++;
	return 0;
}

int
tt_kv_parse(struct tt_kvset *set, const char *file, const char *text,
    size_t len, enum tt_kv_style style)
{
	char *buf = malloc(TT_PROBE_LINE_MAX);
	struct tt_lines l;
	size_t lineno;
	bool in_journal = false;
	int r = 0;

	if (buf == NULL)
		return -ENOMEM;
	tt_lines_init(&l, text, len);
	while (r == 0 &&
	    tt_lines_next(&l, buf, TT_PROBE_LINE_MAX,
		style == TT_KV_JOURNAL || style == TT_KV_SHELL, &lineno) > 0) {
		char *s = tt_trim(buf), *key, *val, *sep;

		if (*s == '\0' || *s == '#' ||
		    (style == TT_KV_JOURNAL && *s == ';'))
			continue;
		switch (style) {
		case TT_KV_JOURNAL:
			if (*s == '[') {
				in_journal = strncmp(s, "[Journal]", 9) == 0;
				continue;
			}
			if (!in_journal || (sep = strchr(s, '=')) == NULL)
				continue;
			*sep = '\0';
			key = tt_trim(s);
			val = tt_trim(sep + 1);
			break;
		case TT_KV_EQUALS:
			if ((sep = strchr(s, '=')) == NULL) {
				/* A bare word is a flag (faillock's silent). */
				if (strpbrk(s, " \t") != NULL)
					continue;
				key = s;
				val = "true";
				break;
			}
			*sep = '\0';
			key = tt_trim(s);
			val = tt_trim(sep + 1);
			break;
		case TT_KV_SHELL:
			if (strncmp(s, "export", 6) == 0 &&
			    isspace((unsigned char)s[6]))
				s = tt_trim(s + 6);
			if ((sep = strchr(s, '=')) == NULL)
				continue;
			*sep = '\0';
			key = s;
			if (strpbrk(key, " \t") != NULL)
				continue;
			val = sep + 1;
			if (*val == '"' || *val == '\'') {
				/* The quoted word; what follows the closing
				 * quote (a comment) is not the value. */
				char *close = strchr(val + 1, *val);

				if (close != NULL)
					*close = '\0';
				val++;
			} else {
				char *h = strstr(val, " #");

				if (h != NULL)
					*h = '\0';
				val = tt_trim(val);
			}
			break;
		case TT_KV_SPACE:
		case TT_KV_RSYSLOG:
		default:
			key = s;
			sep = s + strcspn(s, " \t");
			if (*sep != '\0') {
				*sep = '\0';
				val = tt_trim(sep + 1);
			} else {
				val = "";
			}
			if (style == TT_KV_SPACE)
				val = tt_unquote(val);
			break;
		}
		if (*key == '\0')
			continue;
		r = tt_kv_add(set, file, lineno, key, val);
	}
	free(buf);
	return r;
}

const struct tt_kv *
tt_kv_last(const struct tt_kvset *set, const char *key, bool nocase)
{
	for (size_t i = set->n; i > 0; i--) {
		const struct tt_kv *kv = &set->v[i - 1];

		if (nocase ? strcasecmp(kv->key, key) == 0 :
			     TT_STREQ(kv->key, key))
			return kv;
	}
	return NULL;
}

void
tt_kvset_free(struct tt_kvset *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++) {
		free(set->v[i].key);
		free(set->v[i].value);
		free(set->v[i].file);
	}
	TT_FREE(set->v);
	set->n = set->cap = 0;
}

void
tt_kvset_destroy(void *set)
{
	tt_kvset_free(set);
	free(set);
}

int
tt_kv_load(struct tt_audit *a, const char *cache_key,
    const struct tt_strv *files, enum tt_kv_style style,
    const struct tt_kvset **ret, char *err, size_t errlen)
{
	struct tt_kvset *set;
	void *data;
	int r = 0, cerr;

	if (tt_audit_cache_get(a, cache_key, &data, &cerr)) {
		if (cerr < 0)
			return cerr;
		*ret = data;
		return 0;
	}
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; r == 0 && i < files->n; i++) {
		struct tt_buf text;
		int rr = tt_probe_read(a, files->v[i], &text);

		if (rr == -ENOENT || rr == -ENOTDIR)
			continue;
		if (rr < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    files->v[i], tt_strerror(rr));
			r = rr;
			break;
		}
		r = tt_kv_parse(set, files->v[i], text.data, text.len, style);
		tt_buf_free(&text);
	}
	if (r < 0) {
		tt_kvset_destroy(set);
		return r;
	}
	if ((r = tt_audit_cache_put(a, cache_key, set, tt_kvset_destroy, 0)) <
	    0)
		return r;
	*ret = set;
	return 0;
}

int
tt_kv_item(struct tt_items *out, const struct tt_kvset *set, const char *key,
    const char *def, bool nocase)
{
	const struct tt_kv *kv = tt_kv_last(set, key, nocase);
	struct tt_item *it;
	int r;

	if (kv == NULL && def == NULL)
		return 0;
	if ((r = tt_items_add(out, &it)) < 0)
		return r;
	if ((r = tt_item_set(it, "key", key)) < 0 ||
	    (r = tt_item_set(it, "value", kv ? kv->value : def)) < 0 ||
	    (r = tt_item_set(it, "file", kv ? kv->file : "")) < 0 ||
	    (r = tt_item_setf(it, "line", "%zu", kv ? kv->line : 0)) < 0 ||
	    (r = tt_item_set(it, "source", kv ? "config" : "default")) < 0)
		return r;
	return 0;
}

const struct tt_param_spec tt_kv_params[] = {
	{ "key", TT_PARAM_STRING, true, NULL, "the key" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the value when the key is not set" },
	{ NULL, 0, false, NULL, NULL },
};

int
tt_kv_probe(struct tt_audit *a, const struct tt_params *p,
    const char *cache_key, const struct tt_strv *files, enum tt_kv_style style,
    struct tt_items *out, char *err, size_t errlen)
{
	const struct tt_kvset *set;
	int r;

	if ((r = tt_kv_load(a, cache_key, files, style, &set, err, errlen)) < 0)
		return r;
	return tt_kv_item(out, set, tt_param(p, "key", ""),
	    tt_param(p, "default", NULL), false);
}

int
tt_kv_probe_file(struct tt_audit *a, const struct tt_params *p,
    const char *cache_key, const char *path, enum tt_kv_style style,
    struct tt_items *out, char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	int r;

	if ((r = tt_strv_add(&files, path)) == 0)
		r = tt_kv_probe(a, p, cache_key, &files, style, out, err,
		    errlen);
	tt_strv_free(&files);
	return r;
}
