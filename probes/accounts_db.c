#include <ctype.h>

#include "accounts_db.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const char *const paths[] = { "/etc/passwd", "/etc/shadow",
	"/etc/group" };
static const char *const cache_keys[] = { "acct:passwd", "acct:shadow",
	"acct:group" };
static const size_t nfields[] = { 7, 9, 4 };

void
tt_acct_table_free(struct tt_acct_table_data *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i].buf);
	free(t->v);
	free(t->ids);
	free(t);
}

static void
table_destroy(void *p)
{
	tt_acct_table_free(p);
}

static long long
parse_id(const char *s)
{
	const char *e = NULL;
	long long v;

	if (*s == '\0')
		return -1;
	v = strtonum(s, 0, 4294967295LL, &e);
	return e != NULL ? -1 : v;
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return x < y ? -1 : x > y;
}

static int
parse_table(struct tt_acct_table_data *t, const char *text, size_t len)
{
	char *line = malloc(TT_PROBE_LINE_MAX);
	struct tt_lines l;
	size_t lineno, cap = 0;

	if (line == NULL)
		return -ENOMEM;
	tt_lines_init(&l, text, len);
	while (tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, &lineno) > 0) {
		struct tt_acct_entry *e;
		char *p;

		if (*tt_trim(line) == '\0')
			continue;
		if (t->n == cap) {
			size_t ncap = cap ? cap * 2 : 64;

			e = reallocarray(t->v, ncap, sizeof(*e));
			if (e == NULL)
				goto nomem;
			t->v = e;
			cap = ncap;
		}
		e = &t->v[t->n];
		memset(e, 0, sizeof(*e));
		if ((e->buf = strdup(line)) == NULL)
			goto nomem;
		t->n++;
		e->line = lineno;
		p = e->buf;
		for (;;) {
			char *c = strchr(p, ':');

			if (e->nf < TT_ACCT_MAX_FIELDS)
				e->f[e->nf] = p;
			e->nf++;
			if (c == NULL)
				break;
			*c = '\0';
			p = c + 1;
		}
		for (size_t i = e->nf; i < TT_ACCT_MAX_FIELDS; i++)
			e->f[i] = "";
		e->malformed = e->nf != nfields[t->table] || e->f[0][0] == '\0';
		e->id = -1;
		if (t->table != TT_ACCT_SHADOW && e->nf >= 3)
			e->id = parse_id(e->f[2]);
		if (t->table != TT_ACCT_SHADOW && e->id < 0)
			e->malformed = true;
	}
	free(line);
	if ((t->ids = calloc(t->n + 1, sizeof(*t->ids))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].malformed && t->v[i].id >= 0)
			t->ids[t->nids++] = t->v[i].id;
	qsort(t->ids, t->nids, sizeof(*t->ids), cmp_ll);
	return 0;
nomem:
	free(line);
	return -ENOMEM;
}

int
tt_acct_parse(enum tt_acct_table table, const char *text, size_t len,
    struct tt_acct_table_data **ret)
{
	struct tt_acct_table_data *t = calloc(1, sizeof(*t));
	int r;

	if (t == NULL)
		return -ENOMEM;
	t->table = table;
	t->path = paths[table];
	if ((r = parse_table(t, text != NULL ? text : "", len)) < 0) {
		tt_acct_table_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

int
tt_acct_read(const struct tt_root *root, enum tt_acct_table table,
    struct tt_acct_table_data **ret)
{
	struct tt_buf text;
	int r;

	if ((r = tt_read_file(root, paths[table], TT_ACCT_FILE_MAX, &text)) < 0)
		return r;
	r = tt_acct_parse(table, text.data, text.len, ret);
	/* shadow holds password hashes: no copy left in freed memory. */
	tt_buf_free_secret(&text);
	return r;
}

int
tt_acct_table_by_name(const char *name, enum tt_acct_table *ret)
{
	for (size_t i = 0; i < 3; i++) {
		if (TT_STREQ(name, paths[i] + 5)) {
			*ret = (enum tt_acct_table)i;
			return 0;
		}
	}
	return -EINVAL;
}

int
tt_acct_load(struct tt_audit *a, enum tt_acct_table table,
    const struct tt_acct_table_data **ret, char *err, size_t errlen)
{
	struct tt_acct_table_data *t;
	struct tt_buf text;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, cache_keys[table], &data, &cerr)) {
		if (cerr < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    paths[table], tt_strerror(cerr));
			return cerr;
		}
		*ret = data;
		return 0;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return -ENOMEM;
	t->table = table;
	t->path = paths[table];
	r = tt_probe_read(a, paths[table], &text);
	if (r == 0) {
		r = parse_table(t, text.data, text.len);
		tt_buf_free(&text);
	} else if (r == -ENOENT) {
		r = 0;
	}
	if (r < 0) {
		table_destroy(t);
		tt_seterr(err, errlen, "cannot read '%s': %s", paths[table],
		    tt_strerror(r));
		tt_audit_cache_put(a, cache_keys[table], NULL, NULL, r);
		return r;
	}
	if ((r = tt_audit_cache_put(a, cache_keys[table], t, table_destroy,
		 0)) < 0)
		return r;
	*ret = t;
	return 0;
}

bool
tt_acct_has_id(const struct tt_acct_table_data *t, long long id)
{
	if (t->nids == 0)
		return false;
	return bsearch(&id, t->ids, t->nids, sizeof(*t->ids), cmp_ll) != NULL;
}

const char *
tt_acct_name_of(const struct tt_acct_table_data *t, long long id)
{
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].malformed && t->v[i].id == id)
			return t->v[i].f[0];
	return NULL;
}

const struct tt_acct_entry *
tt_acct_first(const struct tt_acct_table_data *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (TT_STREQ(t->v[i].f[0], name))
			return &t->v[i];
	return NULL;
}

const struct tt_acct_entry *
tt_acct_find(const struct tt_acct_table_data *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!t->v[i].malformed && TT_STREQ(t->v[i].f[0], name))
			return &t->v[i];
	return NULL;
}

long long
tt_acct_uid_min(struct tt_audit *a)
{
	struct tt_strv files = { 0 };
	const struct tt_kvset *set = NULL;
	const struct tt_kv *kv;
	char err[256];
	long long v = 1000;
	const char *e = NULL;
	int r;

	/* The same cache key as the login_defs probe: one parse. */
	if ((r = tt_strv_add(&files, "/etc/login.defs")) == 0)
		r = tt_kv_load(a, "kv:login_defs", &files, TT_KV_SPACE, &set,
		    err, sizeof(err));
	tt_strv_free(&files);
	if (r == 0 && (kv = tt_kv_last(set, "UID_MIN", false)) != NULL) {
		long long n = strtonum(kv->value, 0, 4294967295LL, &e);

		if (e == NULL)
			v = n;
	}
	return v;
}

bool
tt_acct_nologin_shell(const char *shell)
{
	const char *base = strrchr(shell, '/');

	base = base ? base + 1 : shell;
	return TT_STREQ(base, "nologin") || TT_STREQ(base, "false");
}

/* /etc/shells as a list of strings, one per shell line. */
struct shells {
	struct tt_strv v;
};

static void
shells_destroy(void *p)
{
	struct shells *s = p;

	tt_strv_free(&s->v);
	free(s);
}

/* The image's /etc/shells, parsed once per audit: NULL in *ret when the
 * file is absent. */
static int
load_shells(struct tt_audit *a, const struct shells **ret, char *err,
    size_t errlen)
{
	struct shells *s;
	struct tt_buf text;
	struct tt_lines l;
	char *line;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "acct:shells", &data, &cerr)) {
		if (cerr < 0 && cerr != -ENOENT) {
			tt_seterr(err, errlen, "cannot read '/etc/shells': %s",
			    tt_strerror(cerr));
			return cerr;
		}
		*ret = cerr < 0 ? NULL : data;
		return 0;
	}
	*ret = NULL;
	if ((r = tt_probe_read(a, "/etc/shells", &text)) < 0) {
		tt_audit_cache_put(a, "acct:shells", NULL, NULL, r);
		if (r == -ENOENT)
			return 0;
		tt_seterr(err, errlen, "cannot read '/etc/shells': %s",
		    tt_strerror(r));
		return r;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		free(s);
		tt_buf_free(&text);
		return -ENOMEM;
	}
	tt_lines_init(&l, text.data, text.len);
	r = 0;
	while (
	    r == 0 && tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, NULL)) {
		char *t = tt_trim(line);

		/* getusershell(3): a line is a shell; '#' starts a comment
		 * line. */
		if (*t != '\0' && *t != '#')
			r = tt_strv_add(&s->v, t);
	}
	free(line);
	tt_buf_free(&text);
	if (r < 0) {
		shells_destroy(s);
		return r;
	}
	if ((r = tt_audit_cache_put(a, "acct:shells", s, shells_destroy, 0)) <
	    0)
		return r;
	*ret = s;
	return 0;
}

int
tt_acct_login_shell(struct tt_audit *a, const char *shell, bool *ret, char *err,
    size_t errlen)
{
	const struct shells *s = NULL;
	int r;

	*ret = false;
	if (tt_acct_nologin_shell(shell))
		return 0;
	if ((r = load_shells(a, &s, err, errlen)) < 0)
		return r;
	if (s == NULL) {
		*ret = true;
		return 0;
	}
	*ret = tt_strv_has(&s->v, shell);
	return 0;
}
