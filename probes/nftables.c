/*
 * The nftables ruleset an image loads at boot: nftables.service runs
 * `nft -f /etc/nftables.conf`, so that file and what it includes is the
 * permanent ruleset CIS's nftables controls judge (a table, base chains
 * for the input/forward/output hooks, their policy, the loopback rules).
 * The file is parsed as nft reads it: `table FAMILY NAME { chain NAME {
 * type T hook H priority P; policy X; RULE; ... } }`, statements ended by
 * `;` or a new line, `#` comments, `\` continuations, anonymous sets
 * `{ a, b }` inside a rule, `include "PATTERN"` expanded where it stands
 * (a relative name under /etc, nft's include path).  Sets, maps,
 * flowtables and the command forms (`add rule ...`) are not chains and
 * are skipped.  One item per chain, the blocks of the same family, table
 * and chain merged, as nft merges them.
 */
#include <ctype.h>

#include "buf.h"
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

#define NFT_CONF "/etc/nftables.conf"
#define NFT_MAX_CHAINS 1024
#define NFT_MAX_WORDS 256

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, false, NULL,
	    "the ruleset file (default /etc/nftables.conf)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "line", "family", "table",
	"chain", "type", "hook", "priority", "policy", "rules", NULL };

struct chain {
	char family[16], table[64], chain[64];
	char type[16], hook[16], priority[32], policy[16];
	char *path; /* the file that opened it first */
	size_t line;
	struct tt_buf rules; /* statements joined by "; " */
};

struct nft {
	struct tt_audit *a;
	struct tt_include_stack stack;
	struct chain *v;
	size_t n;
	char *err;
	size_t errlen;
};

/* One statement being read: its words (quotes removed, an anonymous
 * set kept as one word "{ a, b }"). */
struct stmt {
	char *w[NFT_MAX_WORDS];
	size_t n;
	size_t line;
};

static void
stmt_clear(struct stmt *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->w[i]);
	s->n = 0;
}

static int
stmt_add(struct stmt *s, const char *p, size_t len, size_t line)
{
	if (s->n == NFT_MAX_WORDS)
		return -E2BIG;
	if ((s->w[s->n] = strndup(p, len)) == NULL)
		return -ENOMEM;
	if (s->n++ == 0)
		s->line = line;
	return 0;
}

static struct chain *
chain_get(struct nft *st, const char *family, const char *table,
    const char *name, const char *path, size_t line)
{
	struct chain *c;

	for (size_t i = 0; i < st->n; i++) {
		c = &st->v[i];
		if (TT_STREQ(c->family, family) && TT_STREQ(c->table, table) &&
		    TT_STREQ(c->chain, name))
			return c;
	}
	if (st->n == NFT_MAX_CHAINS)
		return NULL;
	c = &st->v[st->n++];
	memset(c, 0, sizeof(*c));
	strlcpy(c->family, family, sizeof(c->family));
	strlcpy(c->table, table, sizeof(c->table));
	strlcpy(c->chain, name, sizeof(c->chain));
	if ((c->path = strdup(path)) == NULL) {
		st->n--;
		return NULL;
	}
	c->line = line;
	tt_buf_init(&c->rules, TT_PROBE_FILE_MAX);
	return c;
}

/* A statement inside a chain: its type/hook/priority, its policy or a
 * rule. */
static int
chain_stmt(struct chain *c, const struct stmt *s)
{
	int r = 0;

	if (s->n == 0)
		return 0;
	if (TT_STREQ(s->w[0], "type")) {
		for (size_t i = 1; i < s->n; i++) {
			const char *next = i + 1 < s->n ? s->w[i + 1] : "";

			if (i == 1)
				strlcpy(c->type, s->w[i], sizeof(c->type));
			else if (TT_STREQ(s->w[i], "hook"))
				strlcpy(c->hook, next, sizeof(c->hook));
			else if (TT_STREQ(s->w[i], "priority"))
				strlcpy(c->priority, next, sizeof(c->priority));
		}
		if (c->policy[0] == '\0')
			strlcpy(c->policy, "accept", sizeof(c->policy));
		return 0;
	}
	if (TT_STREQ(s->w[0], "policy") && s->n >= 2) {
		strlcpy(c->policy, s->w[1], sizeof(c->policy));
		return 0;
	}
	if (c->rules.len > 0)
		r = tt_buf_puts(&c->rules, "; ");
	for (size_t i = 0; r == 0 && i < s->n; i++) {
		if (i > 0)
			r = tt_buf_putc(&c->rules, ' ');
		if (r == 0)
			r = tt_buf_puts(&c->rules, s->w[i]);
	}
	return r;
}

static int parse_file(struct nft *st, const char *path);

static int
include(struct nft *st, const char *name)
{
	struct tt_strv files = { 0 };
	char pattern[PATH_MAX];
	int r;

	if ((size_t)snprintf(pattern, sizeof(pattern), "%s%s",
		name[0] == '/' ? "" : "/etc/", name) >= sizeof(pattern))
		return 0;
	st->err[0] = '\0';
	r = tt_probe_glob(st->a, pattern, &files, st->err, st->errlen);
	if (r < 0 && st->err[0] == '\0')
		tt_seterr(st->err, st->errlen, "cannot expand include '%s': %s",
		    pattern, tt_strerror(r));
	for (size_t i = 0; r == 0 && i < files.n; i++)
		r = parse_file(st, files.v[i]);
	tt_strv_free(&files);
	return r;
}

/* Where the parser is: at the top, in a table, in a chain, or in a block
 * it skips (set, map, flowtable...) with its own depth. */
enum where { TOP, TABLE, CHAIN, SKIP };

struct ctx {
	enum where where;
	int skip; /* depth of the skipped block */
	char family[16], table[64];
	struct chain *chain;
};

/* A statement ended by ';', a new line or '}' (brace: it opens a block). */
static int
end_stmt(struct nft *st, struct ctx *x, struct stmt *s, bool brace,
    const char *path)
{
	int r = 0;

	if (x->where == SKIP) {
		x->skip += brace;
		stmt_clear(s);
		return 0;
	}
	if (brace && x->where == TOP && s->n >= 2 &&
	    TT_STREQ(s->w[0], "table")) {
		strlcpy(x->family, s->n >= 3 ? s->w[1] : "ip",
		    sizeof(x->family));
		strlcpy(x->table, s->w[s->n >= 3 ? 2 : 1], sizeof(x->table));
		x->where = TABLE;
	} else if (brace && x->where == TABLE && s->n == 2 &&
	    TT_STREQ(s->w[0], "chain")) {
		x->chain =
		    chain_get(st, x->family, x->table, s->w[1], path, s->line);
		if (x->chain == NULL) {
			tt_seterr(st->err, st->errlen,
			    "%s:%zu: more than %d chains", path, s->line,
			    NFT_MAX_CHAINS);
			r = st->n == NFT_MAX_CHAINS ? -E2BIG : -ENOMEM;
		}
		x->where = CHAIN;
	} else if (brace) {
		x->where = SKIP;
		x->skip = 1;
	} else if (x->where == TOP && s->n == 2 &&
	    TT_STREQ(s->w[0], "include")) {
		r = include(st, s->w[1]);
	} else if (x->where == CHAIN) {
		r = chain_stmt(x->chain, s);
	}
	stmt_clear(s);
	return r;
}

static void
close_block(struct ctx *x)
{
	if (x->where == SKIP) {
		if (--x->skip > 0)
			return;
		/* a skipped block sits in a table (set, map) or at the top */
		x->where = x->table[0] != '\0' ? TABLE : TOP;
	} else if (x->where == CHAIN) {
		x->where = TABLE;
		x->chain = NULL;
	} else if (x->where == TABLE) {
		x->where = TOP;
		x->table[0] = '\0';
	}
}

/* The length of an anonymous set "{ ... }" starting at p (nested sets
 * counted), or 0 when it is not closed before the end. */
static size_t
set_len(const char *p, const char *end)
{
	int depth = 0;

	for (const char *q = p; q < end; q++) {
		if (*q == '{')
			depth++;
		else if (*q == '}' && --depth == 0)
			return (size_t)(q - p) + 1;
		else if (*q == '#' || *q == ';')
			return 0;
	}
	return 0;
}

static int
parse_text(struct nft *st, const char *path, const char *p, const char *end)
{
	struct ctx x = { .where = TOP };
	struct stmt s = { .n = 0 };
	size_t line = 1, len;
	int r = 0;

	while (r == 0 && p < end) {
		if (*p == '\\' && p + 1 < end && p[1] == '\n') {
			p += 2;
			line++;
		} else if (*p == '#') {
			while (p < end && *p != '\n')
				p++;
		} else if (*p == '\n' || *p == ';') {
			r = end_stmt(st, &x, &s, false, path);
			line += *p++ == '\n';
		} else if (*p == '{' && x.where == CHAIN && s.n > 0 &&
		    (len = set_len(p, end)) > 0) {
			/* an anonymous set in a rule */
			r = stmt_add(&s, p, len, line);
			for (size_t i = 0; i < len; i++)
				line += p[i] == '\n';
			p += len;
		} else if (*p == '{') {
			r = end_stmt(st, &x, &s, true, path);
			p++;
		} else if (*p == '}') {
			if ((r = end_stmt(st, &x, &s, false, path)) == 0)
				close_block(&x);
			p++;
		} else if (isspace((unsigned char)*p)) {
			p++;
		} else if (*p == '"') {
			const char *q =
			    memchr(p + 1, '"', (size_t)(end - p - 1));

			if (q == NULL || memchr(p, '\n', (size_t)(q - p))) {
				tt_seterr(st->err, st->errlen,
				    "%s:%zu: unterminated string", path, line);
				r = -EINVAL;
				break;
			}
			r = stmt_add(&s, p + 1, (size_t)(q - p - 1), line);
			p = q + 1;
		} else {
			const char *q = p;

			while (q < end && !isspace((unsigned char)*q) &&
			    !strchr(";{}#\"", *q))
				q++;
			r = stmt_add(&s, p, (size_t)(q - p), line);
			p = q;
		}
		if (r == -E2BIG && st->err[0] == '\0')
			tt_seterr(st->err, st->errlen,
			    "%s:%zu: statement of more than %d words", path,
			    line, NFT_MAX_WORDS);
	}
	if (r == 0)
		r = end_stmt(st, &x, &s, false, path);
	stmt_clear(&s);
	return r;
}

static int
parse_file(struct nft *st, const char *path)
{
	struct tt_buf text;
	int r;

	r = tt_include_read(st->a, &st->stack, path, &text, st->err,
	    st->errlen);
	/* A missing file, or a directory a pattern matched: nothing loaded. */
	if (tt_include_absent(r, st->err))
		return 0;
	if (r < 0)
		return r;
	st->err[0] = '\0';
	r = parse_text(st, path, text.data != NULL ? text.data : "",
	    (text.data != NULL ? text.data : "") + text.len);
	tt_buf_free(&text);
	tt_include_pop(&st->stack);
	return r;
}

static int
emit(const struct chain *c, struct tt_items *out)
{
	struct tt_item *it;
	int r;

	if ((r = tt_items_add(out, &it)) < 0)
		return r;
	if ((r = tt_item_set(it, "path", c->path)) == 0 &&
	    (r = tt_item_setf(it, "line", "%zu", c->line)) == 0 &&
	    (r = tt_item_set(it, "family", c->family)) == 0 &&
	    (r = tt_item_set(it, "table", c->table)) == 0 &&
	    (r = tt_item_set(it, "chain", c->chain)) == 0 &&
	    (r = tt_item_set(it, "type", c->type)) == 0 &&
	    (r = tt_item_set(it, "hook", c->hook)) == 0 &&
	    (r = tt_item_set(it, "priority", c->priority)) == 0 &&
	    (r = tt_item_set(it, "policy", c->policy)) == 0)
		r = tt_item_set(it, "rules",
		    c->rules.data != NULL ? c->rules.data : "");
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct nft st = { .a = a, .err = err, .errlen = errlen };
	const char *path = tt_param(p, "path", NFT_CONF);
	int r;

	if (path[0] != '/') {
		tt_seterr(err, errlen, "path '%s' is not absolute", path);
		return -EINVAL;
	}
	if ((st.v = calloc(NFT_MAX_CHAINS, sizeof(*st.v))) == NULL)
		return -ENOMEM;
	r = parse_file(&st, path);
	tt_include_clear(&st.stack);
	for (size_t i = 0; r == 0 && i < st.n; i++)
		r = emit(&st.v[i], out);
	for (size_t i = 0; i < st.n; i++) {
		tt_buf_free(&st.v[i].rules);
		free(st.v[i].path);
	}
	free(st.v);
	return r;
}

const struct tt_probe tt_probe_nftables = {
	.name = "nftables",
	.description = "the chains of the nftables ruleset loaded at boot "
		       "(/etc/nftables.conf and its includes)",
	.params = params,
	.fields = fields,
	.run = run,
};
