#include <ctype.h>
#include <strings.h>

#include "fileio.h"
#include "util.h"
#include "tt.h"

static const char *const scopes[] = { "global", "all", NULL };

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, true, NULL, "the keyword (any case)" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "sshd's compiled-in value when the key is not set" },
	{ "scope", TT_PARAM_CHOICE, false, scopes,
	    "global (default) or all: also the Match blocks" },
	{ "path", TT_PARAM_STRING, false, NULL,
	    "the main file (default /etc/ssh/sshd_config)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "key", "value", "file", "line", "source",
	"match", NULL };

struct sshd_entry {
	char *key, *value, *file, *match;
	size_t line;
	size_t block; /* 0: global; else the Match block's number */
};

struct sshd_conf {
	struct sshd_entry *v;
	size_t n, cap;
	size_t blocks;
};

struct parse_state {
	struct tt_audit *a;
	struct sshd_conf *c;
	struct tt_include_stack stack; /* Include loops and depth end here */
	char *err;
	size_t errlen;
};

static void
conf_destroy(void *p)
{
	struct sshd_conf *c = p;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
		free(c->v[i].file);
		free(c->v[i].match);
	}
	free(c->v);
	free(c);
}

static int
add_entry(struct sshd_conf *c, const char *key, const char *value,
    const char *file, size_t line, const char *match, size_t block)
{
	struct sshd_entry *e;

	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;

		if ((e = reallocarray(c->v, cap, sizeof(*e))) == NULL)
			return -ENOMEM;
		c->v = e;
		c->cap = cap;
	}
	e = &c->v[c->n];
	e->key = strdup(key);
	e->value = strdup(value);
	e->file = strdup(file);
	e->match = match ? strdup(match) : NULL;
	e->line = line;
	e->block = block;
	if (e->key == NULL || e->value == NULL || e->file == NULL ||
	    (match != NULL && e->match == NULL)) {
		free(e->key);
		free(e->value);
		free(e->file);
		free(e->match);
		return -ENOMEM;
	}
	for (char *k = e->key; *k; k++)
		*k = (char)tolower((unsigned char)*k);
	c->n++;
	return 0;
}

static int parse_file(struct parse_state *st, const char *path,
    const char *match, size_t block);

static int
include(struct parse_state *st, char *args, const char *match, size_t block)
{
	char *save = NULL, *pat;
	int r = 0;

	for (pat = strtok_r(args, " \t", &save); r == 0 && pat != NULL;
	     pat = strtok_r(NULL, " \t", &save)) {
		struct tt_strv files = { 0 };
		char full[PATH_MAX];

		pat = tt_unquote(pat);
		/* Relative paths are taken from /etc/ssh, as sshd does. */
		if ((size_t)snprintf(full, sizeof(full), "%s%s",
			pat[0] == '/' ? "" : "/etc/ssh/", pat) >= sizeof(full))
			continue;
		/* A pattern that matches nothing is not an error to sshd. */
		r = tt_probe_glob(st->a, full, &files, st->err, st->errlen);
		if (r == 0) {
			for (size_t i = 0; r == 0 && i < files.n; i++)
				r = parse_file(st, files.v[i], match, block);
		} else if (r == -ELOOP || r == -E2BIG || r == -ETIMEDOUT) {
			if (st->err[0] == '\0')
				snprintf(st->err, st->errlen,
				    "cannot expand '%s': %s", full,
				    tt_strerror(r));
		} else {
			r = 0;
		}
		tt_strv_free(&files);
	}
	return r;
}

static int
parse_file(struct parse_state *st, const char *path, const char *match,
    size_t block)
{
	struct tt_buf text;
	struct tt_lines l;
	char *line, *cur_match = NULL;
	size_t lineno, cur_block = block;
	int r;

	/* An Include loop (a file including itself, or a cycle) or
	 * nesting past 16 is fatal to sshd ("Too many recursive
	 * configuration includes"); here the rule says so, naming the
	 * file. */
	r = tt_include_read(st->a, &st->stack, path, &text, st->err,
	    st->errlen);
	if (tt_include_absent(r, st->err))
		return 0;
	if (r < 0)
		return r;
	if ((line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		tt_include_pop(&st->stack);
		tt_buf_free(&text);
		return -ENOMEM;
	}
	tt_lines_init(&l, text.data, text.len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, &lineno) > 0) {
		char *s = tt_trim(line), *kw, *val, *h;

		if (*s == '\0' || *s == '#')
			continue;
		kw = s;
		s += strcspn(s, " \t=");
		if (*s != '\0') {
			*s++ = '\0';
			s += strspn(s, " \t");
			if (*s == '=')
				s++;
		}
		val = tt_trim(s);
		/* A word starting with '#' begins a comment (argv_split). */
		if ((h = strstr(val, " #")) != NULL ||
		    (h = strstr(val, "\t#")) != NULL) {
			*h = '\0';
			val = tt_trim(val);
		}
		if (*val == '"' &&
		    strchr(val + 1, '"') == val + strlen(val) - 1)
			val = tt_unquote(val);
		if (strcasecmp(kw, "Match") == 0) {
			free(cur_match);
			if ((cur_match = strdup(val)) == NULL) {
				r = -ENOMEM;
				break;
			}
			cur_block = ++st->c->blocks;
			continue;
		}
		if (strcasecmp(kw, "Include") == 0) {
			r = include(st, val, cur_match ? cur_match : match,
			    cur_block);
			continue;
		}
		r = add_entry(st->c, kw, val, path, lineno,
		    cur_match ? cur_match : match, cur_block);
	}
	/* A Match block in an included file ends with that file. */
	free(cur_match);
	free(line);
	tt_buf_free(&text);
	tt_include_pop(&st->stack);
	return r;
}

static int
load(struct tt_audit *a, const char *path, const struct sshd_conf **ret,
    char *err, size_t errlen)
{
	struct parse_state st = { .a = a, .err = err, .errlen = errlen };
	char key[PATH_MAX + 8];
	void *data;
	int r, cerr;

	snprintf(key, sizeof(key), "sshd:%s", path);
	if (tt_audit_cache_get(a, key, &data, &cerr)) {
		if (cerr < 0)
			return tt_parse_failed(data, cerr, err, errlen);
		*ret = data;
		return 0;
	}
	if ((st.c = calloc(1, sizeof(*st.c))) == NULL)
		return -ENOMEM;
	r = parse_file(&st, path, NULL, 0);
	tt_include_clear(&st.stack);
	if (r < 0) {
		conf_destroy(st.c);
		return tt_parse_fail(a, key, r, err);
	}
	if ((r = tt_audit_cache_put(a, key, st.c, conf_destroy, 0)) < 0)
		return r;
	*ret = st.c;
	return 0;
}

static int
add_item(struct tt_items *out, const char *key, const char *value,
    const char *file, size_t line, const char *source, const char *match)
{
	struct tt_item *it;
	int r;

	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "key", key)) < 0 ||
	    (r = tt_item_set(it, "value", value)) < 0 ||
	    (r = tt_item_set(it, "file", file)) < 0 ||
	    (r = tt_item_setf(it, "line", "%zu", line)) < 0 ||
	    (r = tt_item_set(it, "source", source)) < 0)
		return r;
	return match ? tt_item_set(it, "match", match) : 0;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const struct sshd_conf *c;
	const char *key = tt_param(p, "key", "");
	const char *def = tt_param(p, "default", NULL);
	bool all = TT_STREQ(tt_param(p, "scope", "global"), "all");
	const struct sshd_entry *global = NULL;
	size_t last_block = 0;
	int r;

	if ((r = load(a, tt_param(p, "path", "/etc/ssh/sshd_config"), &c, err,
		 errlen)) < 0)
		return r;
	/* First value wins, in the global scope and in each block. */
	for (size_t i = 0; i < c->n && global == NULL; i++)
		if (c->v[i].block == 0 && strcasecmp(c->v[i].key, key) == 0)
			global = &c->v[i];
	if (global != NULL)
		r = add_item(out, key, global->value, global->file,
		    global->line, "config", NULL);
	else if (def != NULL)
		r = add_item(out, key, def, "", 0, "default", NULL);
	for (size_t i = 0; all && r == 0 && i < c->n; i++) {
		const struct sshd_entry *e = &c->v[i];
		bool seen = false;

		if (e->block == 0 || strcasecmp(e->key, key) != 0)
			continue;
		for (size_t j = 0; j < i && !seen; j++)
			seen = c->v[j].block == e->block &&
			    strcasecmp(c->v[j].key, key) == 0;
		if (!seen)
			r = add_item(out, key, e->value, e->file, e->line,
			    "config", e->match ? e->match : "");
		last_block = e->block;
	}
	(void)last_block;
	return r;
}

const struct tt_probe tt_probe_sshd_config = {
	.name = "sshd_config",
	.description =
	    "the effective value of an sshd_config keyword: "
	    "Include (globs, relative to /etc/ssh), first value wins, "
	    "keywords in any case, Match blocks apart",
	.params = params,
	.fields = fields,
	.run = run,
};
