/*
 * Judging a rule: the probe's items (one run per distinct probe call per
 * audit), the filter, the quantifier over expect, all/any/not, and the
 * words that say what was found and what was expected.
 */
#include <ctype.h>
#include <strings.h>

#include "buf.h"
#include "fileio.h"
#include "log.h"
#include "rules.h"
#include "tt.h"

#define TEXT_MAX 4096
#define DESCRIBE_MAX 5

enum verdict { V_PASS, V_FAIL, V_ERROR };

struct memo {
	struct tt_items items;
	char *err;
};

static void
memo_destroy(void *p)
{
	struct memo *m = p;

	if (m == NULL)
		return;
	tt_items_free(&m->items);
	free(m->err);
	free(m);
}

/* The probe's items for this call, run once per audit. */
static int
items_of(struct tt_audit *a, const struct tt_check *ch, const struct memo **ret)
{
	struct memo *m;
	char key[16384], err[512] = "";
	void *data;
	int r;

	snprintf(key, sizeof(key), "memo:%s", ch->memo_key);
	if (tt_audit_cache_get(a, key, &data, NULL)) {
		*ret = data;
		return 0;
	}
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return -ENOMEM;
	r = ch->params.probe->run(a, &ch->params, &m->items, err, sizeof(err));
	if (r < 0) {
		tt_items_free(&m->items);
		if (err[0] == '\0')
			tt_seterr(err, sizeof(err), "%s", tt_strerror(-r));
		if ((m->err = strdup(err)) == NULL) {
			free(m);
			return -ENOMEM;
		}
	}
	if ((r = tt_audit_cache_put(a, key, m, memo_destroy, 0)) < 0)
		return r;
	*ret = m;
	return 0;
}

static bool
word_in(const char *list, const char *word, bool nocase)
{
	size_t n = strlen(word);
	const char *p = list;

	while (*p) {
		size_t len;

		while (*p && (*p == ',' || isspace((unsigned char)*p)))
			p++;
		len = strcspn(p, ", \t\n");
		if (len == n &&
		    (nocase ? strncasecmp(p, word, n) : strncmp(p, word, n)) ==
			0)
			return true;
		p += len;
	}
	return false;
}

static bool
streq(const char *a, const char *b, bool nocase)
{
	return nocase ? strcasecmp(a, b) == 0 : strcmp(a, b) == 0;
}

/* 1 true, 0 false, -1 skipped (an optional field the item lacks). */
static int
cond_eval(const struct tt_cond *c, const struct tt_item *it)
{
	const char *v = tt_item_get(it, c->field), *e = NULL;
	long long n;
	bool any;

	if (c->op == TT_OP_EXISTS)
		return v != NULL;
	if (c->op == TT_OP_ABSENT)
		return v == NULL;
	if (v == NULL)
		return c->optional ? -1 : 0;
	switch (c->op) {
	case TT_OP_EQ: return streq(v, c->value, c->nocase);
	case TT_OP_NE: return !streq(v, c->value, c->nocase);
	case TT_OP_IN:
	case TT_OP_NOT_IN:
		any = false;
		for (size_t i = 0; i < c->nvalues && !any; i++)
			any = streq(v, c->values[i], c->nocase);
		return c->op == TT_OP_IN ? any : !any;
	case TT_OP_MATCH: return regexec(c->re, v, 0, NULL, 0) == 0;
	case TT_OP_NOT_MATCH: return regexec(c->re, v, 0, NULL, 0) != 0;
	case TT_OP_LT:
	case TT_OP_LE:
	case TT_OP_GT:
	case TT_OP_GE:
		n = strtonum(v, LLONG_MIN, LLONG_MAX, &e);
		if (e != NULL)
			return 0;
		return c->op == TT_OP_LT ? n < c->num :
		    c->op == TT_OP_LE	 ? n <= c->num :
		    c->op == TT_OP_GT	 ? n > c->num :
					   n >= c->num;
	case TT_OP_MODE_MAX: {
		char *end;
		unsigned long m = strtoul(v, &end, 8);

		if (*v == '\0' || *end != '\0')
			return 0;
		return (m & ~(unsigned long)c->mode) == 0;
	}
	case TT_OP_HAS_WORD: return word_in(v, c->value, c->nocase);
	case TT_OP_LACKS_WORD: return !word_in(v, c->value, c->nocase);
	default: return 0;
	}
}

static bool
conds_hold(const struct tt_cond *c, size_t n, const struct tt_item *it)
{
	for (size_t i = 0; i < n; i++)
		if (cond_eval(&c[i], it) == 0)
			return false;
	return true;
}

static const char *
op_words(enum tt_op op)
{
	static const char *const w[] = { "=", "!=", "in", "not in", "matches",
		"does not match", "<", "<=", ">", ">=", "at most", "has",
		"lacks", "present", "absent" };

	return w[op];
}

static void
cond_text(struct tt_buf *b, const struct tt_cond *c)
{
	tt_buf_printf(b, "%s %s", c->field, op_words(c->op));
	switch (c->op) {
	case TT_OP_EXISTS:
	case TT_OP_ABSENT: break;
	case TT_OP_IN:
	case TT_OP_NOT_IN:
		tt_buf_puts(b, " {");
		for (size_t i = 0; i < c->nvalues; i++)
			tt_buf_printf(b, "%s\"%s\"", i ? ", " : "",
			    c->values[i]);
		tt_buf_puts(b, "}");
		break;
	case TT_OP_MATCH:
	case TT_OP_NOT_MATCH: tt_buf_printf(b, " /%s/", c->value); break;
	case TT_OP_LT:
	case TT_OP_LE:
	case TT_OP_GT:
	case TT_OP_GE:
	case TT_OP_MODE_MAX: tt_buf_printf(b, " %s", c->value); break;
	default: tt_buf_printf(b, " \"%s\"", c->value); break;
	}
	if (c->nocase)
		tt_buf_puts(b, " (any case)");
	if (c->optional)
		tt_buf_puts(b, " (where known)");
}

static void
conds_text(struct tt_buf *b, const struct tt_cond *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			tt_buf_puts(b, " and ");
		cond_text(b, &c[i]);
	}
}

/* What the check expects, in words. */
static void
expected_text(struct tt_buf *b, const struct tt_check *ch)
{
	switch (ch->kind) {
	case TT_CHECK_PROBE:
		if (ch->quant == TT_Q_NONE) {
			if (ch->nexpect == 0) {
				tt_buf_puts(b, "nothing found");
			} else {
				tt_buf_puts(b, "no item with ");
				conds_text(b, ch->expect, ch->nexpect);
			}
		} else {
			if (ch->quant == TT_Q_ANY)
				tt_buf_puts(b, "some item with ");
			if (ch->nexpect == 0)
				tt_buf_puts(b, "something found");
			else
				conds_text(b, ch->expect, ch->nexpect);
			if (ch->empty_pass)
				tt_buf_puts(b, " (or nothing found)");
		}
		break;
	case TT_CHECK_NOT:
		tt_buf_puts(b, "not (");
		expected_text(b, ch->sub);
		tt_buf_puts(b, ")");
		break;
	case TT_CHECK_ALL:
	case TT_CHECK_ANY:
		for (size_t i = 0; i < ch->nsub; i++) {
			if (i > 0)
				tt_buf_puts(b,
				    ch->kind == TT_CHECK_ALL ? "; and " :
							       "; or ");
			expected_text(b, &ch->sub[i]);
		}
		break;
	}
}

/* "FILE:LINE: field=value, ..." for an item, naming the fields the
 * conditions look at. */
static void
describe(struct tt_buf *b, const struct tt_item *it, const struct tt_cond *c,
    size_t n, bool only_failing)
{
	const char *file = tt_item_get(it, "file");
	const char *path = tt_item_get(it, "path");
	const char *line = tt_item_get(it, "line");
	const char *source = tt_item_get(it, "source");
	const char *text = tt_item_get(it, "text");
	const char *name = tt_item_get(it, "name");
	const char *match = tt_item_get(it, "match");
	const char *where = file && *file ? file : path;
	bool first = true;

	if ((where == NULL || *where == '\0') && name != NULL) {
		/* Accounts: the entry's name says where. */
		tt_buf_printf(b, "%s: ", name);
	} else if ((where == NULL || *where == '\0') && it->n > 0) {
		/* The probe's first field names its subject (module, unit,
		 * key). */
		tt_buf_printf(b, "%s %s: ", it->f[0].name, it->f[0].value);
	} else if (where != NULL && *where) {
		tt_buf_puts(b, where);
		if (line != NULL && !TT_STREQ(line, "0"))
			tt_buf_printf(b, ":%s", line);
		tt_buf_puts(b, ": ");
	}
	for (size_t i = 0; i < n; i++) {
		const char *v = tt_item_get(it, c[i].field);
		bool dup = false;

		for (size_t j = 0; j < i && !dup; j++)
			dup = TT_STREQ(c[j].field, c[i].field);
		if (dup || TT_STREQ(c[i].field, "path") ||
		    (v == NULL && c[i].optional) ||
		    (only_failing && cond_eval(&c[i], it) != 0))
			continue;
		if (v == NULL)
			tt_buf_printf(b, "%s%s missing", first ? "" : ", ",
			    c[i].field);
		else
			tt_buf_printf(b, "%s%s=%s%s%s", first ? "" : ", ",
			    c[i].field, *v ? "" : "\"", v, *v ? "" : "\"");
		first = false;
	}
	if (first) {
		/* No condition named a field: show the item's first ones. */
		for (size_t i = 0; i < it->n && i < 4; i++) {
			if (TT_STREQ(it->f[i].name, "path") ||
			    TT_STREQ(it->f[i].name, "file") ||
			    TT_STREQ(it->f[i].name, "line"))
				continue;
			tt_buf_printf(b, "%s%s=%s", first ? "" : ", ",
			    it->f[i].name, it->f[i].value);
			first = false;
		}
	}
	if (match != NULL)
		tt_buf_printf(b, " in \"Match %s\"", match);
	if (source != NULL && TT_STREQ(source, "default"))
		tt_buf_puts(b, " (not set; the default)");
	if (text != NULL)
		tt_buf_printf(b, " (\"%s\")", text);
}

static void
probe_call_text(struct tt_buf *b, const struct tt_check *ch)
{
	bool first = true;

	tt_buf_printf(b, "%s(", ch->params.probe->name);
	for (size_t i = 0; ch->params.probe->params[i].name != NULL; i++) {
		if (ch->params.v[i] == NULL)
			continue;
		tt_buf_printf(b, "%s%s=%s", first ? "" : ", ",
		    ch->params.probe->params[i].name, ch->params.v[i]);
		first = false;
	}
	tt_buf_puts(b, ")");
}

static enum verdict eval_check(struct tt_audit *a, const struct tt_check *ch,
    struct tt_buf *found, int *ret_err);

static enum verdict
eval_probe(struct tt_audit *a, const struct tt_check *ch, struct tt_buf *found,
    int *ret_err)
{
	const struct memo *m;
	const struct tt_item **kept;
	size_t nkept = 0, nok = 0, shown = 0;
	enum verdict v;
	char why[256];
	int r;

	if ((r = items_of(a, ch, &m)) < 0) {
		*ret_err = r;
		return V_ERROR;
	}
	if (m->err != NULL) {
		probe_call_text(found, ch);
		tt_buf_printf(found, ": %s", m->err);
		return V_ERROR;
	}
	/* A precompiled pack's condition regexes are compiled when there
	 * are items to judge (regcomp was a fifth of an audit of a sparse
	 * image under the sanitizers). */
	if (m->items.n > 0 &&
	    (r = tt_check_compile_conds(ch, why, sizeof(why))) < 0) {
		if (r == -ENOMEM) {
			*ret_err = r;
			return V_ERROR;
		}
		probe_call_text(found, ch);
		tt_buf_printf(found, ": %s", why);
		return V_ERROR;
	}
	/* An array of pointers to items: sizeof(*kept) is a pointer's. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	if ((kept = calloc(m->items.n + 1, sizeof(*kept))) == NULL) {
		*ret_err = -ENOMEM;
		return V_ERROR;
	}
	for (size_t i = 0; i < m->items.n; i++)
		if (conds_hold(ch->filter, ch->nfilter, &m->items.v[i]))
			kept[nkept++] = &m->items.v[i];
	if (nkept == 0) {
		tt_buf_puts(found, "nothing found by ");
		probe_call_text(found, ch);
		v = ch->quant == TT_Q_NONE || ch->empty_pass ? V_PASS : V_FAIL;
		free(kept);
		return v;
	}
	for (size_t i = 0; i < nkept; i++)
		nok += conds_hold(ch->expect, ch->nexpect, kept[i]);
	switch (ch->quant) {
	case TT_Q_ALL: v = nok == nkept ? V_PASS : V_FAIL; break;
	case TT_Q_ANY: v = nok > 0 ? V_PASS : V_FAIL; break;
	case TT_Q_NONE:
	default: v = nok == 0 ? V_PASS : V_FAIL; break;
	}
	/* Describe the items that decide: the offending ones on failure
	 * (for any: all of them), the satisfying ones on success. */
	for (size_t i = 0; i < nkept; i++) {
		bool ok = conds_hold(ch->expect, ch->nexpect, kept[i]);
		bool show = ch->quant == TT_Q_ANY ? (v == V_FAIL || ok) :
		    ch->quant == TT_Q_NONE	  ? ok :
						    (v == V_PASS || !ok);

		if (!show)
			continue;
		if (shown == DESCRIBE_MAX) {
			tt_buf_puts(found, "; and more");
			break;
		}
		if (shown++ > 0)
			tt_buf_puts(found, "; ");
		/* A failing item shows the fields that failed; an item
		 * that is there but must not be shows them all. */
		describe(found, kept[i], ch->expect, ch->nexpect,
		    !ok && ch->quant != TT_Q_NONE);
	}
	free(kept);
	return v;
}

static enum verdict
eval_check(struct tt_audit *a, const struct tt_check *ch, struct tt_buf *found,
    int *ret_err)
{
	enum verdict v, sub;
	bool any_error = false;

	switch (ch->kind) {
	case TT_CHECK_PROBE: return eval_probe(a, ch, found, ret_err);
	case TT_CHECK_NOT: {
		struct tt_buf inner;

		tt_buf_init(&inner, TEXT_MAX);
		sub = eval_check(a, ch->sub, &inner, ret_err);
		if (sub == V_PASS)
			tt_buf_printf(found, "found what must not be: %s",
			    inner.data ? inner.data : "");
		else if (sub == V_ERROR)
			tt_buf_puts(found, inner.data ? inner.data : "");
		tt_buf_free(&inner);
		return sub == V_ERROR ? V_ERROR :
		    sub == V_PASS     ? V_FAIL :
					V_PASS;
	}
	case TT_CHECK_ALL:
	case TT_CHECK_ANY:
	default:
		v = ch->kind == TT_CHECK_ALL ? V_PASS : V_FAIL;
		for (size_t i = 0; i < ch->nsub; i++) {
			struct tt_buf inner;

			tt_buf_init(&inner, TEXT_MAX);
			sub = eval_check(a, &ch->sub[i], &inner, ret_err);
			if (*ret_err < 0) {
				tt_buf_free(&inner);
				return V_ERROR;
			}
			/* Say what made the combination fail (all) or what
			 * every branch found (any). */
			if ((ch->kind == TT_CHECK_ALL && sub != V_PASS) ||
			    (ch->kind == TT_CHECK_ANY && sub != V_PASS)) {
				if (found->len > 0)
					tt_buf_puts(found, "; ");
				tt_buf_puts(found,
				    inner.data ? inner.data : "");
			}
			tt_buf_free(&inner);
			if (sub == V_ERROR)
				any_error = true;
			else if (ch->kind == TT_CHECK_ALL && sub == V_FAIL)
				v = V_FAIL;
			else if (ch->kind == TT_CHECK_ANY && sub == V_PASS)
				v = V_PASS;
		}
		if (ch->kind == TT_CHECK_ANY && v == V_PASS)
			return V_PASS;
		if (ch->kind == TT_CHECK_ALL && v == V_FAIL)
			return V_FAIL;
		return any_error ? V_ERROR : v;
	}
}

const char *
tt_result_name(enum tt_result r)
{
	static const char *const names[] = { "pass", "fail", "error",
		"notapplicable", "manual" };

	return names[r];
}

void
tt_rule_result_free(struct tt_rule_result *res)
{
	if (res == NULL)
		return;
	TT_FREE(res->found);
	TT_FREE(res->expected);
}

static int
set_text(char **dst, const char *s)
{
	free(*dst);
	*dst = strdup(s ? s : "");
	return *dst ? 0 : -ENOMEM;
}

int
tt_rule_eval(struct tt_audit *a, const struct tt_rule *rule,
    const struct tt_osrelease *os, struct tt_rule_result *ret)
{
	struct tt_buf found, expected;
	enum verdict v;
	int err = 0, r;

	memset(ret, 0, sizeof(*ret));
	if (!tt_rule_applies(rule, os)) {
		ret->result = TT_RESULT_NOTAPPLICABLE;
		if ((r = set_text(&ret->found,
			 "the rule does not apply to "
			 "this distribution")) < 0 ||
		    (r = set_text(&ret->expected, "")) < 0)
			return r;
		return 0;
	}
	if (!(a->runtime ? (rule->scope_runtime || rule->scope_image) :
			   rule->scope_image)) {
		ret->result = TT_RESULT_NOTAPPLICABLE;
		if ((r = set_text(&ret->found,
			 "a runtime check: this audit "
			 "is of an image tree")) < 0 ||
		    (r = set_text(&ret->expected, "")) < 0)
			return r;
		return 0;
	}
	if (rule->check == NULL) {
		ret->result = TT_RESULT_MANUAL;
		if ((r = set_text(&ret->found, "")) < 0 ||
		    (r = set_text(&ret->expected, rule->manual)) < 0)
			return r;
		return 0;
	}
	if (tt_audit_timed_out(a)) {
		/* Past the deadline a rule is not judged: the audit ends
		 * and says which rules it could not finish. */
		struct tt_buf why;

		tt_buf_init(&why, TEXT_MAX);
		tt_buf_printf(&why, "not judged: %s before this rule ran",
		    a->budget.why);
		ret->result = TT_RESULT_ERROR;
		a->budget.not_judged++;
		r = set_text(&ret->found, why.data ? why.data : "");
		tt_buf_free(&why);
		if (r == 0)
			r = set_text(&ret->expected, "");
		return r;
	}
	tt_buf_init(&found, TEXT_MAX);
	tt_buf_init(&expected, TEXT_MAX);
	if (rule->requires != NULL) {
		v = eval_check(a, rule->requires, &found, &err);
		if (err < 0)
			goto fail;
		if (v != V_PASS) {
			struct tt_buf why;

			tt_buf_init(&why, TEXT_MAX);
			tt_buf_printf(&why, "%s: %s",
			    v == V_ERROR ?
				"cannot tell whether the rule applies" :
				"not applicable",
			    found.data ? found.data : "");
			ret->result = v == V_ERROR ? TT_RESULT_ERROR :
						     TT_RESULT_NOTAPPLICABLE;
			r = set_text(&ret->found, why.data);
			tt_buf_free(&why);
			if (r == 0)
				r = set_text(&ret->expected, "");
			tt_buf_free(&found);
			tt_buf_free(&expected);
			return r;
		}
		tt_buf_reset(&found);
	}
	v = eval_check(a, rule->check, &found, &err);
	if (err < 0)
		goto fail;
	ret->result = v == V_PASS ? TT_RESULT_PASS :
	    v == V_FAIL		  ? TT_RESULT_FAIL :
				    TT_RESULT_ERROR;
	if (rule->expected != NULL)
		tt_buf_puts(&expected, rule->expected);
	else
		expected_text(&expected, rule->check);
	r = set_text(&ret->found, v == V_PASS ? "" : found.data);
	if (r == 0)
		r = set_text(&ret->expected, v == V_FAIL ? expected.data : "");
	tt_buf_free(&found);
	tt_buf_free(&expected);
	if (r < 0)
		tt_rule_result_free(ret);
	return r;
fail:
	tt_buf_free(&found);
	tt_buf_free(&expected);
	tt_rule_result_free(ret);
	return err;
}
