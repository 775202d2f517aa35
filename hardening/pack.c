/*
 * Loading a rule pack: every field of hardening/rules/README.md checked,
 * every regular expression compiled once, every reference resolved, so a
 * bad pack fails at load with file, line, rule and field, never halfway
 * through an audit.
 */
#include <ctype.h>
#include <stdarg.h>

#include "canon.h"
#include "json.h"
#include "actions.h"
#include "regex_cache.h"
#include "rules.h"
#include "sha256.h"
#include "log.h"
#include "tt.h"

struct ctx {
	struct tt_pack *pack;
	const char *text;
	size_t len;
	const char *rule; /* current rule id, or NULL */
	size_t line; /* of the current rule */
	char *err;
	size_t errlen;
	/* Rules stand in the file in order: the search for the next id
	 * starts where the last one was found, with its line counted, so
	 * that loading stays linear in the file's size. */
	size_t scan_pos, scan_line;
	/* A built-in pack: the build parsed it with every regex compiled
	 * (tools/packprecompile), so they are compiled when first used. */
	bool defer_regex;
};

static int __attribute__((format(printf, 3, 4)))
fail(struct ctx *c, const char *where, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (c->rule != NULL && c->line > 0)
		snprintf(c->err, c->errlen, "%s:%zu: rule '%s': %s: %s",
		    c->pack->file, c->line, c->rule, where, what);
	else if (c->rule != NULL)
		snprintf(c->err, c->errlen, "%s: rule '%s': %s: %s",
		    c->pack->file, c->rule, where, what);
	else
		snprintf(c->err, c->errlen, "%s: %s: %s", c->pack->file, where,
		    what);
	return -EINVAL;
}

/* Where `"id": "ID"` stands in text[from..len), or NULL. */
static const char *
find_id(const char *text, size_t from, size_t len, const char *id)
{
	size_t idlen = strlen(id);
	const char *p = text + from, *end = text + len;

	while (
	    p < end && (p = memmem(p, (size_t)(end - p), id, idlen)) != NULL) {
		const char *q;

		if (p > text && p[-1] == '"' && p + idlen < end &&
		    p[idlen] == '"') {
			q = p - 2;
			while (q > text && isspace((unsigned char)*q))
				q--;
			if (q > text && *q == ':') {
				q--;
				while (q > text && isspace((unsigned char)*q))
					q--;
				if (q - 3 >= text &&
				    strncmp(q - 3, "\"id\"", 4) == 0)
					return p;
			}
		}
		p += idlen;
	}
	return NULL;
}

/* The line of `"id": "ID"` in the pack's text, 0 when not found. */
static size_t
line_of_id(struct ctx *c, const char *id)
{
	const char *p = find_id(c->text, c->scan_pos, c->len, id);

	if (p == NULL) {
		/* Out of order: count from the start once. */
		p = find_id(c->text, 0, c->len, id);
		if (p == NULL)
			return 0;
		c->scan_pos = 0;
		c->scan_line = 1;
	}
	for (const char *s = c->text + c->scan_pos; s < p; s++)
		c->scan_line += *s == '\n';
	c->scan_pos = (size_t)(p - c->text);
	return c->scan_line;
}

/* Strings of the pack live in chunks owned by the pack, so the JSON
 * document can be dropped after loading (an audit does; see
 * tt_pack_drop_json). */
struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

#define CHUNK_SIZE ((size_t)32 * 1024)

static const char *
keep(struct ctx *c, const char *s)
{
	struct chunk *ch = c->pack->arena;
	size_t n = strlen(s) + 1;

	if (ch == NULL || ch->size - ch->used < n) {
		size_t size = n > CHUNK_SIZE ? n : CHUNK_SIZE;

		if ((ch = malloc(sizeof(*ch) + size)) == NULL)
			return NULL;
		ch->next = c->pack->arena;
		ch->used = 0;
		ch->size = size;
		c->pack->arena = ch;
	}
	memcpy(ch->data + ch->used, s, n);
	ch->used += n;
	return ch->data + ch->used - n;
}

/* A scalar as text: strings as they are, numbers and booleans printed.
 * NULL for objects, arrays and null. */
static const char *
scalar(struct ctx *c, json_object *v)
{
	char buf[64];

	switch (json_object_get_type(v)) {
	case json_type_string: return keep(c, json_object_get_string(v));
	case json_type_boolean:
		return json_object_get_boolean(v) ? "true" : "false";
	case json_type_int:
		snprintf(buf, sizeof(buf), "%lld",
		    (long long)json_object_get_int64(v));
		return keep(c, buf);
	default: return NULL;
	}
}

static int
check_keys(struct ctx *c, json_object *obj, const char *where,
    const char *const *allowed)
{
	json_object_object_foreach(obj, key, val)
	{
		bool ok = false;

		(void)val;
		for (size_t i = 0; allowed[i] != NULL && !ok; i++)
			ok = TT_STREQ(allowed[i], key);
		if (!ok)
			return fail(c, where, "unknown field '%s'", key);
	}
	return 0;
}

static int
get_string(struct ctx *c, json_object *obj, const char *key, const char *where,
    bool required, const char **ret)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v)) {
		if (required)
			return fail(c, where, "missing '%s'", key);
		*ret = NULL;
		return 0;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    (required && json_object_get_string_len(v) == 0))
		return fail(c, where, "'%s' must be a non-empty string", key);
	if ((*ret = keep(c, json_object_get_string(v))) == NULL)
		return -ENOMEM;
	return 0;
}

static int
string_list(struct ctx *c, json_object *arr, const char *where,
    const char ***ret, size_t *ret_n)
{
	size_t n;
	const char **v;

	if (!json_object_is_type(arr, json_type_array))
		return fail(c, where, "must be an array of strings");
	n = json_object_array_length(arr);
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, i);

		if ((v[i] = scalar(c, e)) == NULL ||
		    json_object_is_type(e, json_type_boolean)) {
			free(v);
			return fail(c, where, "element %zu must be a string",
			    i);
		}
	}
	*ret = v;
	*ret_n = n;
	return 0;
}

static int
parse_applies(struct ctx *c, json_object *obj, const char *where,
    struct tt_applies *ret)
{
	static const char *const keys[] = { "id", "version_id", NULL };
	json_object *v;
	char w[128];
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return fail(c, where, "must be an object");
	if ((r = check_keys(c, obj, where, keys)) < 0)
		return r;
	if (json_object_object_get_ex(obj, "id", &v)) {
		snprintf(w, sizeof(w), "%s.id", where);
		if ((r = string_list(c, v, w, &ret->ids, &ret->nids)) < 0)
			return r;
	}
	if (json_object_object_get_ex(obj, "version_id", &v)) {
		snprintf(w, sizeof(w), "%s.version_id", where);
		if ((r = string_list(c, v, w, &ret->versions,
			 &ret->nversions)) < 0)
			return r;
	}
	return 0;
}

static const struct {
	const char *name;
	enum tt_op op;
} ops[] = {
	{ "eq", TT_OP_EQ },
	{ "ne", TT_OP_NE },
	{ "in", TT_OP_IN },
	{ "not_in", TT_OP_NOT_IN },
	{ "match", TT_OP_MATCH },
	{ "not_match", TT_OP_NOT_MATCH },
	{ "lt", TT_OP_LT },
	{ "le", TT_OP_LE },
	{ "gt", TT_OP_GT },
	{ "ge", TT_OP_GE },
	{ "mode_max", TT_OP_MODE_MAX },
	{ "has_word", TT_OP_HAS_WORD },
	{ "lacks_word", TT_OP_LACKS_WORD },
	{ "exists", TT_OP_EXISTS },
	{ "absent", TT_OP_ABSENT },
};

static int
parse_cond(struct ctx *c, const struct tt_probe *probe, json_object *obj,
    const char *where, struct tt_cond *ret)
{
	static const char *const keys[] = { "field", "op", "value", "nocase",
		"optional", NULL };
	const char *op;
	json_object *v, *val = NULL;
	size_t i;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return fail(c, where, "a condition must be an object");
	if ((r = check_keys(c, obj, where, keys)) < 0 ||
	    (r = get_string(c, obj, "field", where, true, &ret->field)) < 0 ||
	    (r = get_string(c, obj, "op", where, true, &op)) < 0)
		return r;
	if (!tt_probe_has_field(probe, ret->field))
		return fail(c, where, "unknown field '%s' for probe '%s'",
		    ret->field, probe->name);
	for (i = 0; i < TT_ARRAY_SIZE(ops) && !TT_STREQ(ops[i].name, op); i++)
		;
	if (i == TT_ARRAY_SIZE(ops))
		return fail(c, where, "unknown operator '%s'", op);
	ret->op = ops[i].op;
	if (json_object_object_get_ex(obj, "nocase", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return fail(c, where, "'nocase' must be true or false");
		ret->nocase = json_object_get_boolean(v);
	}
	if (json_object_object_get_ex(obj, "optional", &v)) {
		if (!json_object_is_type(v, json_type_boolean))
			return fail(c, where,
			    "'optional' must be true or false");
		ret->optional = json_object_get_boolean(v);
	}
	json_object_object_get_ex(obj, "value", &val);
	if (ret->op == TT_OP_EXISTS || ret->op == TT_OP_ABSENT) {
		if (val != NULL)
			return fail(c, where, "operator '%s' takes no value",
			    op);
		return 0;
	}
	if (val == NULL)
		return fail(c, where, "operator '%s' needs a value", op);
	switch (ret->op) {
	case TT_OP_IN:
	case TT_OP_NOT_IN:
		return string_list(c, val, where, &ret->values, &ret->nvalues);
	case TT_OP_LT:
	case TT_OP_LE:
	case TT_OP_GT:
	case TT_OP_GE: {
		const char *s = scalar(c, val), *e = NULL;

		if (s == NULL || json_object_is_type(val, json_type_boolean))
			return fail(c, where, "'%s' needs an integer", op);
		ret->num = strtonum(s, LLONG_MIN, LLONG_MAX, &e);
		if (e != NULL)
			return fail(c, where,
			    "'%s' needs an integer, not "
			    "'%s'",
			    op, s);
		ret->value = s;
		return 0;
	}
	case TT_OP_MODE_MAX: {
		const char *s = scalar(c, val);
		char *end;
		unsigned long m;

		if (s == NULL || *s == '\0' ||
		    !json_object_is_type(val, json_type_string))
			return fail(c, where,
			    "'mode_max' needs an octal "
			    "string such as \"0644\"");
		m = strtoul(s, &end, 8);
		if (*end != '\0' || m > 07777)
			return fail(c, where, "'%s' is not an octal mode", s);
		ret->mode = (unsigned)m;
		ret->value = s;
		return 0;
	}
	default: break;
	}
	if ((ret->value = scalar(c, val)) == NULL)
		return fail(c, where, "operator '%s' needs a string", op);
	if ((ret->op == TT_OP_MATCH || ret->op == TT_OP_NOT_MATCH) &&
	    !c->defer_regex) {
		char why[128];

		r = tt_cond_compile(ret, why, sizeof(why));
		if (r == -EINVAL)
			return fail(c, where,
			    "bad regular expression '%s': "
			    "%s",
			    ret->value, why);
		return r;
	}
	return 0;
}

int
tt_cond_compile(struct tt_cond *cond, char *why, size_t whylen)
{
	return tt_regex_get(cond->value,
	    REG_EXTENDED | REG_NOSUB | (cond->nocase ? REG_ICASE : 0),
	    &cond->re, why, whylen);
}

int
tt_check_compile_conds(const struct tt_check *ch, char *why, size_t whylen)
{
	/* Not a const object: the pack's checks are allocated by its
	 * loader, and only their regex caches are written here. */
	struct tt_check *w = (struct tt_check *)ch;
	struct {
		struct tt_cond *v;
		size_t n;
	} lists[] = { { w->filter, w->nfilter }, { w->expect, w->nexpect } };
	int r;

	if (ch->kind != TT_CHECK_PROBE)
		return 0;
	for (size_t l = 0; l < TT_ARRAY_SIZE(lists); l++)
		for (size_t i = 0; i < lists[l].n; i++) {
			struct tt_cond *c = &lists[l].v[i];

			if ((c->op == TT_OP_MATCH ||
				c->op == TT_OP_NOT_MATCH) &&
			    c->re == NULL &&
			    (r = tt_cond_compile(c, why, whylen)) < 0)
				return r;
		}
	return 0;
}

static int
parse_conds(struct ctx *c, const struct tt_probe *probe, json_object *arr,
    const char *where, struct tt_cond **ret, size_t *ret_n)
{
	size_t n;
	int r;

	if (!json_object_is_type(arr, json_type_array))
		return fail(c, where, "must be an array of conditions");
	n = json_object_array_length(arr);
	if ((*ret = calloc(n + 1, sizeof(**ret))) == NULL)
		return -ENOMEM;
	*ret_n = n;
	for (size_t i = 0; i < n; i++) {
		char w[160];

		snprintf(w, sizeof(w), "%s[%zu]", where, i);
		if ((r = parse_cond(c, probe, json_object_array_get_idx(arr, i),
			 w, &(*ret)[i])) < 0)
			return r;
	}
	return 0;
}

static int parse_check(struct ctx *c, json_object *obj, const char *where,
    int depth, struct tt_check *ret);

static int
parse_probe_check(struct ctx *c, json_object *obj, const char *where,
    struct tt_check *ret)
{
	static const char *const keys[] = { "probe", "params", "filter",
		"quantifier", "empty", "expect", NULL };
	const struct tt_probe *probe;
	const char *name, *q, *empty;
	json_object *params = NULL, *v;
	struct tt_buf memo;
	char w[160], why[256];
	bool icase = false;
	int r;

	if ((r = check_keys(c, obj, where, keys)) < 0 ||
	    (r = get_string(c, obj, "probe", where, true, &name)) < 0)
		return r;
	if ((probe = tt_probe_find(name)) == NULL)
		return fail(c, where, "unknown probe '%s'", name);
	ret->kind = TT_CHECK_PROBE;
	ret->params.probe = probe;
	snprintf(w, sizeof(w), "%s.params", where);
	if (json_object_object_get_ex(obj, "params", &params) &&
	    !json_object_is_type(params, json_type_object))
		return fail(c, w, "must be an object");
	/* nocase first: it decides how a regex parameter compiles. */
	if (params != NULL && json_object_object_get_ex(params, "nocase", &v))
		icase = json_object_is_type(v, json_type_boolean) &&
		    json_object_get_boolean(v);
	ret->params.icase = icase;
	tt_buf_init(&memo, 16384);
	tt_buf_puts(&memo, probe->name);
	if (params != NULL) {
		json_object_object_foreach(params, key, val)
		{
			const char *s = scalar(c, val);

			if (s == NULL) {
				tt_buf_free(&memo);
				return fail(c, w,
				    "parameter '%s' must be a "
				    "string, number or boolean",
				    key);
			}
			r = c->defer_regex ?
			    tt_params_set_deferred(&ret->params, key, s, icase,
				why, sizeof(why)) :
			    tt_params_set(&ret->params, key, s, icase, why,
				sizeof(why));
			if (r < 0) {
				tt_buf_free(&memo);
				return r == -ENOMEM ? r : fail(c, w, "%s", why);
			}
			tt_buf_printf(&memo, "\x1f%s=%s", key, s);
		}
	}
	ret->memo_key = tt_buf_steal(&memo);
	if (ret->memo_key == NULL)
		return -ENOMEM;
	if ((r = tt_params_check_required(&ret->params, why, sizeof(why))) < 0)
		return fail(c, w, "%s", why);
	if (json_object_object_get_ex(obj, "filter", &v)) {
		snprintf(w, sizeof(w), "%s.filter", where);
		if ((r = parse_conds(c, probe, v, w, &ret->filter,
			 &ret->nfilter)) < 0)
			return r;
	}
	if (json_object_object_get_ex(obj, "expect", &v)) {
		snprintf(w, sizeof(w), "%s.expect", where);
		if ((r = parse_conds(c, probe, v, w, &ret->expect,
			 &ret->nexpect)) < 0)
			return r;
	}
	if ((r = get_string(c, obj, "quantifier", where, false, &q)) < 0)
		return r;
	if (q == NULL || TT_STREQ(q, "all"))
		ret->quant = TT_Q_ALL;
	else if (TT_STREQ(q, "any"))
		ret->quant = TT_Q_ANY;
	else if (TT_STREQ(q, "none"))
		ret->quant = TT_Q_NONE;
	else
		return fail(c, where,
		    "unknown quantifier '%s' (all, any or "
		    "none)",
		    q);
	if ((r = get_string(c, obj, "empty", where, false, &empty)) < 0)
		return r;
	if (empty != NULL && !TT_STREQ(empty, "pass") &&
	    !TT_STREQ(empty, "fail"))
		return fail(c, where,
		    "'empty' must be \"pass\" or \"fail\", "
		    "not '%s'",
		    empty);
	ret->empty_pass = empty != NULL && TT_STREQ(empty, "pass");
	return 0;
}

static int
parse_check(struct ctx *c, json_object *obj, const char *where, int depth,
    struct tt_check *ret)
{
	json_object *v;
	char w[160];
	int r;

	if (depth > TT_CHECK_MAX_DEPTH)
		return fail(c, where, "checks nested too deeply");
	if (!json_object_is_type(obj, json_type_object))
		return fail(c, where, "must be an object");
	if (json_object_object_get_ex(obj, "probe", NULL))
		return parse_probe_check(c, obj, where, ret);
	if (json_object_object_length(obj) != 1)
		return fail(c, where,
		    "needs \"probe\", or exactly one of "
		    "\"all\", \"any\", \"not\"");
	if (json_object_object_get_ex(obj, "not", &v)) {
		ret->kind = TT_CHECK_NOT;
		if ((ret->sub = calloc(1, sizeof(*ret->sub))) == NULL)
			return -ENOMEM;
		ret->nsub = 1;
		snprintf(w, sizeof(w), "%s.not", where);
		return parse_check(c, v, w, depth + 1, ret->sub);
	}
	if (json_object_object_get_ex(obj, "all", &v))
		ret->kind = TT_CHECK_ALL;
	else if (json_object_object_get_ex(obj, "any", &v))
		ret->kind = TT_CHECK_ANY;
	else
		return fail(c, where,
		    "needs \"probe\", or one of \"all\", "
		    "\"any\", \"not\"");
	if (!json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) == 0)
		return fail(c, where,
		    "'%s' must be a non-empty array of "
		    "checks",
		    ret->kind == TT_CHECK_ALL ? "all" : "any");
	ret->nsub = json_object_array_length(v);
	if ((ret->sub = calloc(ret->nsub, sizeof(*ret->sub))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < ret->nsub; i++) {
		snprintf(w, sizeof(w), "%s.%s[%zu]", where,
		    ret->kind == TT_CHECK_ALL ? "all" : "any", i);
		if ((r = parse_check(c, json_object_array_get_idx(v, i), w,
			 depth + 1, &ret->sub[i])) < 0)
			return r;
	}
	return 0;
}

static void free_conds(struct tt_cond *v, size_t n);

/* Values a harden action could not use are refused now, not at harden
 * time: modes are octal, tables are passwd or shadow. */
static int
check_fix_value(struct ctx *c, const char *key, const char *value)
{
	if (TT_STREQ(key, "mode")) {
		char *end;
		unsigned long m = strtoul(value, &end, 8);

		if (*value == '\0' || *end != '\0' || m > 07777)
			return fail(c, "fix.params",
			    "mode '%s' is not an "
			    "octal mode such as \"0644\"",
			    value);
	}
	if (TT_STREQ(key, "table") && !TT_STREQ(value, "passwd") &&
	    !TT_STREQ(value, "shadow"))
		return fail(c, "fix.params",
		    "table '%s' is not passwd or "
		    "shadow",
		    value);
	return 0;
}

static bool
in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i] != NULL; i++)
		if (TT_STREQ(list[i], s))
			return true;
	return false;
}

static int
parse_fix(struct ctx *c, json_object *fix)
{
	static const char *const keys[] = { "action", "params", "manual",
		NULL };
	const struct tt_action *act;
	const char *name, *manual;
	json_object *params = NULL;
	int r;

	if (!json_object_is_type(fix, json_type_object))
		return fail(c, "fix", "must be an object");
	if ((r = check_keys(c, fix, "fix", keys)) < 0 ||
	    (r = get_string(c, fix, "manual", "fix", false, &manual)) < 0 ||
	    (r = get_string(c, fix, "action", "fix", false, &name)) < 0)
		return r;
	if (manual != NULL && name == NULL) {
		if (json_object_object_get_ex(fix, "params", NULL))
			return fail(c, "fix", "a manual fix takes no params");
		return 0;
	}
	if (name == NULL || manual != NULL)
		return fail(c, "fix", "needs either \"action\" or \"manual\"");
	if ((act = tt_action_find(name)) == NULL)
		return fail(c, "fix.action", "unknown fix action '%s'", name);
	if (json_object_object_get_ex(fix, "params", &params) &&
	    !json_object_is_type(params, json_type_object))
		return fail(c, "fix.params", "must be an object");
	for (size_t i = 0; act->required[i] != NULL; i++)
		if (params == NULL ||
		    !json_object_object_get_ex(params, act->required[i], NULL))
			return fail(c, "fix.params",
			    "missing parameter '%s' "
			    "for action '%s'",
			    act->required[i], name);
	if (params != NULL) {
		json_object_object_foreach(params, key, val)
		{
			if (!in_list(act->required, key) &&
			    !in_list(act->optional, key))
				return fail(c, "fix.params",
				    "unknown parameter "
				    "'%s' for action '%s'",
				    key, name);
			if (TT_STREQ(key, "where")) {
				struct tt_cond *conds = NULL;
				size_t n = 0;

				/* Conditions on the accounts probe's fields. */
				r = parse_conds(c, tt_probe_find("accounts"),
				    val, "fix.params.where", &conds, &n);
				free_conds(conds, n);
				if (r < 0)
					return r;
				continue;
			}
			if (scalar(c, val) == NULL)
				return fail(c, "fix.params",
				    "parameter '%s' "
				    "must be a string",
				    key);
			if ((r = check_fix_value(c, key, scalar(c, val))) < 0)
				return r;
		}
	}
	return 0;
}

static bool
valid_cis(const char *s)
{
	bool digit = false;

	for (; *s; s++) {
		if (isdigit((unsigned char)*s))
			digit = true;
		else if (*s != '.' || !digit)
			return false;
		else
			digit = false;
	}
	return digit;
}

#define MAX_URL 300

/* A documentation link as the reports show it (HTML attribute, SARIF
 * helpUri): https, one token, nothing an output would have to escape
 * beyond &. */
static bool
valid_url(const char *s)
{
	size_t n = strlen(s);

	if (n > MAX_URL || strncmp(s, "https://", 8) != 0 || n == 8)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f ||
		    strchr("\"'<>\\`", *s) != NULL)
			return false;
	return true;
}

static bool
valid_id(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			return false;
	return true;
}

#define SSG_PREFIX "xccdf_org.ssgproject.content_rule_"

/* "PREFIX-NN-NNNNNN", the STIG id of DISA's benchmarks: UBTU-22-211015,
 * RHEL-09-211010. */
static bool
valid_stig_id(const char *s)
{
	size_t n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");

	if (n == 0 || s[n] != '-' || strspn(s + n + 1, "0123456789") != 2 ||
	    s[n + 3] != '-')
		return false;
	s += n + 4;
	n = strspn(s, "0123456789");
	return n == 6 && s[n] == '\0';
}

/* PREFIX then digits, and for the rule id "r" digits "_rule". */
static bool
valid_disa_id(const char *s, const char *prefix, bool rule)
{
	size_t n = strlen(prefix);

	if (strncmp(s, prefix, n) != 0 ||
	    (n = strspn(s += n, "0123456789")) == 0)
		return false;
	if (!rule)
		return s[n] == '\0';
	s += n;
	if (*s++ != 'r' || (n = strspn(s, "0123456789")) == 0)
		return false;
	return TT_STREQ(s + n, "_rule");
}

/* references.stig, optional: {"id": "UBTU-22-211015", "cat": "II",
 * "vuln": "V-260470", "rule": "SV-260470r958472_rule"}.  The category
 * is DISA's CAT I/II/III (high/medium/low); vuln and rule where the
 * generator knew them (DISA's XCCDF). */
static int
parse_stig(struct ctx *c, json_object *refs, struct tt_rule *rule)
{
	static const char *const keys[] = { "id", "cat", "vuln", "rule", NULL };
	json_object *st;
	int r;

	if (!json_object_object_get_ex(refs, "stig", &st))
		return 0;
	if (!json_object_is_type(st, json_type_object))
		return fail(c, "references.stig",
		    "must be an object {\"id\", \"cat\", \"vuln\", "
		    "\"rule\"}");
	if ((r = check_keys(c, st, "references.stig", keys)) < 0 ||
	    (r = get_string(c, st, "id", "references.stig.id", true,
		 &rule->stig_id)) < 0 ||
	    (r = get_string(c, st, "cat", "references.stig.cat", true,
		 &rule->stig_cat)) < 0 ||
	    (r = get_string(c, st, "vuln", "references.stig.vuln", false,
		 &rule->stig_vuln)) < 0 ||
	    (r = get_string(c, st, "rule", "references.stig.rule", false,
		 &rule->stig_rule)) < 0)
		return r;
	if (!valid_stig_id(rule->stig_id))
		return fail(c, "references.stig.id",
		    "'%s' is not a STIG id such as \"UBTU-22-211015\"",
		    rule->stig_id);
	if (tt_stig_severity(rule->stig_cat) == NULL)
		return fail(c, "references.stig.cat",
		    "'%s' is not I, II or III", rule->stig_cat);
	if (rule->stig_vuln != NULL &&
	    !valid_disa_id(rule->stig_vuln, "V-", false))
		return fail(c, "references.stig.vuln",
		    "'%s' is not a vulnerability id such as \"V-260470\"",
		    rule->stig_vuln);
	if (rule->stig_rule != NULL &&
	    !valid_disa_id(rule->stig_rule, "SV-", true))
		return fail(c, "references.stig.rule",
		    "'%s' is not a rule id such as "
		    "\"SV-260470r958472_rule\"",
		    rule->stig_rule);
	return 0;
}

const char *
tt_stig_severity(const char *cat)
{
	if (cat == NULL)
		return NULL;
	if (TT_STREQ(cat, "I"))
		return "high";
	if (TT_STREQ(cat, "II"))
		return "medium";
	if (TT_STREQ(cat, "III"))
		return "low";
	return NULL;
}

bool
tt_profile_is_stig(const struct tt_profile *profile)
{
	return profile != NULL &&
	    (TT_STREQ(profile->id, "stig") ||
		strncmp(profile->id, "stig-", 5) == 0);
}

static int
parse_rule(struct ctx *c, json_object *obj, size_t index, struct tt_rule *rule)
{
	static const char *const keys[] = { "id", "title", "description",
		"rationale", "severity", "references", "scope", "applies",
		"requires", "check", "manual", "expected", "fix", NULL };
	static const char *const refkeys[] = { "cis", "ssg", "azure", "stig",
		NULL };
	json_object *v, *refs;
	char where[32];
	int r;

	snprintf(where, sizeof(where), "rules[%zu]", index);
	if (!json_object_is_type(obj, json_type_object))
		return fail(c, where, "must be an object");
	if ((r = get_string(c, obj, "id", where, true, &rule->id)) < 0)
		return r;
	c->rule = rule->id;
	c->line = rule->line = line_of_id(c, rule->id);
	rule->json = obj;
	rule->pack = c->pack;
	if (!valid_id(rule->id))
		return fail(c, "id", "must be lower case [a-z0-9_]");
	if ((r = check_keys(c, obj, "rule", keys)) < 0 ||
	    (r = get_string(c, obj, "title", "title", true, &rule->title)) <
		0 ||
	    (r = get_string(c, obj, "description", "description", true,
		 &rule->description)) < 0 ||
	    (r = get_string(c, obj, "rationale", "rationale", true,
		 &rule->rationale)) < 0 ||
	    (r = get_string(c, obj, "severity", "severity", true,
		 &rule->severity)) < 0 ||
	    (r = get_string(c, obj, "manual", "manual", false, &rule->manual)) <
		0 ||
	    (r = get_string(c, obj, "expected", "expected", false,
		 &rule->expected)) < 0)
		return r;
	if (!TT_STREQ(rule->severity, "low") &&
	    !TT_STREQ(rule->severity, "medium") &&
	    !TT_STREQ(rule->severity, "high"))
		return fail(c, "severity", "'%s' is not low, medium or high",
		    rule->severity);
	if (!json_object_object_get_ex(obj, "references", &refs) ||
	    !json_object_is_type(refs, json_type_object))
		return fail(c, "references",
		    "missing (an object with \"cis\", \"ssg\", \"stig\" "
		    "or \"azure\")");
	if ((r = check_keys(c, refs, "references", refkeys)) < 0 ||
	    (r = parse_stig(c, refs, rule)) < 0 ||
	    (r = get_string(c, refs, "cis", "references.cis", false,
		 &rule->cis)) < 0 ||
	    (r = get_string(c, refs, "ssg", "references.ssg", false,
		 &rule->ssg)) < 0 ||
	    (r = get_string(c, refs, "azure", "references.azure", false,
		 &rule->azure)) < 0)
		return r;
	/* A rule says where it comes from: a CIS section, a STIG id, or
	 * for checks no benchmark numbers (the Azure image preparation),
	 * the document. */
	if (rule->cis == NULL && rule->ssg == NULL && rule->azure == NULL &&
	    rule->stig_id == NULL)
		return fail(c, "references",
		    "no reference: \"cis\" (a section number), \"ssg\", "
		    "\"stig\" or \"azure\" (a documentation URL)");
	if (rule->cis != NULL && !valid_cis(rule->cis))
		return fail(c, "references.cis",
		    "'%s' is not a section "
		    "number such as \"5.1.20\"",
		    rule->cis);
	if (rule->azure != NULL && !valid_url(rule->azure))
		return fail(c, "references.azure",
		    "'%.80s' is not an https:// URL of at most %d bytes "
		    "without spaces, quotes or control characters",
		    rule->azure, MAX_URL);
	if (rule->ssg != NULL &&
	    (strncmp(rule->ssg, SSG_PREFIX, strlen(SSG_PREFIX)) != 0 ||
		rule->ssg[strlen(SSG_PREFIX)] == '\0'))
		return fail(c, "references.ssg",
		    "'%s' is not an XCCDF id "
		    "starting with " SSG_PREFIX,
		    rule->ssg);
	if (!json_object_object_get_ex(obj, "scope", &v) ||
	    !json_object_is_type(v, json_type_array) ||
	    json_object_array_length(v) == 0)
		return fail(c, "scope",
		    "must be [\"image\"], [\"runtime\"] "
		    "or both");
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		const char *s =
		    json_object_get_string(json_object_array_get_idx(v, i));

		if (s != NULL && TT_STREQ(s, "image"))
			rule->scope_image = true;
		else if (s != NULL && TT_STREQ(s, "runtime"))
			rule->scope_runtime = true;
		else
			return fail(c, "scope", "unknown scope '%s'",
			    s ? s : "(not a string)");
	}
	if (json_object_object_get_ex(obj, "applies", &v)) {
		rule->has_applies = true;
		if ((r = parse_applies(c, v, "applies", &rule->applies)) < 0)
			return r;
	}
	if (json_object_object_get_ex(obj, "requires", &v)) {
		if ((rule->requires = calloc(1, sizeof(*rule->requires))) ==
		    NULL)
			return -ENOMEM;
		if ((r = parse_check(c, v, "requires", 0, rule->requires)) < 0)
			return r;
	}
	if (json_object_object_get_ex(obj, "check", &v)) {
		if (rule->manual != NULL)
			return fail(c, "check", "a manual rule has no check");
		if ((rule->check = calloc(1, sizeof(*rule->check))) == NULL)
			return -ENOMEM;
		if ((r = parse_check(c, v, "check", 0, rule->check)) < 0)
			return r;
	} else if (rule->manual == NULL) {
		return fail(c, "check",
		    "missing (or \"manual\" with the text "
		    "a person needs)");
	}
	if (!json_object_object_get_ex(obj, "fix", &rule->fix))
		return fail(c, "fix",
		    "missing (an action, or "
		    "{\"manual\": text})");
	return parse_fix(c, rule->fix);
}

const char *
tt_pack_keep(struct tt_pack *pack, const char *s)
{
	struct ctx c = { .pack = pack };

	return keep(&c, s);
}

void
tt_conds_free(struct tt_cond *v, size_t n)
{
	free_conds(v, n);
}

static void
free_conds(struct tt_cond *v, size_t n)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].values);
		tt_regex_put(v[i].re);
	}
	free(v);
}

static void
free_check(struct tt_check *ch)
{
	if (ch == NULL)
		return;
	tt_params_free(&ch->params);
	free(ch->memo_key);
	free_conds(ch->filter, ch->nfilter);
	free_conds(ch->expect, ch->nexpect);
	for (size_t i = 0; i < ch->nsub; i++)
		free_check(&ch->sub[i]);
	free(ch->sub);
}

void
tt_pack_free(struct tt_pack *pack)
{
	if (pack == NULL)
		return;
	for (size_t i = 0; i < pack->nrules; i++) {
		struct tt_rule *r = &pack->rules[i];

		free_check(r->check);
		free(r->check);
		free_check(r->requires);
		free(r->requires);
		free(r->applies.ids);
		free(r->applies.versions);
	}
	free(pack->rules);
	for (size_t i = 0; i < pack->nprofiles; i++)
		free(pack->profiles[i].rules);
	free(pack->profiles);
	free(pack->sections);
	free(pack->applies.ids);
	free(pack->applies.versions);
	while (pack->arena != NULL) {
		struct chunk *next = ((struct chunk *)pack->arena)->next;

		free(pack->arena);
		pack->arena = next;
	}
	json_object_put(pack->doc);
	free(pack->by_id);
	free(pack->file);
	free(pack);
}

int
tt_pack_drop_json(struct tt_pack *pack, bool keep_fix)
{
	struct ctx c = { .pack = pack };

	if (pack->doc == NULL)
		return 0;
	for (size_t i = 0; keep_fix && i < pack->nrules; i++) {
		struct tt_rule *r = &pack->rules[i];
		const char *t = json_object_to_json_string_ext(r->fix,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (t == NULL || (r->fix_text = keep(&c, t)) == NULL)
			return -ENOMEM;
	}
	for (size_t i = 0; i < pack->nrules; i++) {
		pack->rules[i].fix = NULL;
		pack->rules[i].json = NULL;
	}
	json_object_put(pack->doc);
	pack->doc = NULL;
	return 0;
}

static int
by_id_order(const void *a, const void *b, void *pack)
{
	const struct tt_rule *rules = ((const struct tt_pack *)pack)->rules;
	size_t i = *(const size_t *)a, j = *(const size_t *)b;
	int d = strcmp(rules[i].id, rules[j].id);

	if (d != 0)
		return d;
	return i < j ? -1 : i > j;
}

int
tt_pack_index(struct tt_pack *p, size_t *ret_dup, size_t *ret_first)
{
	size_t dup = SIZE_MAX, first = 0;

	if ((p->by_id = calloc(p->nrules + 1, sizeof(*p->by_id))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < p->nrules; i++)
		p->by_id[i] = i;
	qsort_r(p->by_id, p->nrules, sizeof(*p->by_id), by_id_order, p);
	for (size_t k = 1; k < p->nrules; k++) {
		const struct tt_rule *a = &p->rules[p->by_id[k - 1]];
		const struct tt_rule *b = &p->rules[p->by_id[k]];

		if (TT_STREQ(a->id, b->id) && p->by_id[k] < dup) {
			dup = p->by_id[k];
			first = p->by_id[k - 1];
		}
	}
	if (dup == SIZE_MAX)
		return 0;
	*ret_dup = dup;
	*ret_first = first;
	return -EEXIST;
}

/* Sorts the rules by id for tt_pack_rule; an id twice is refused, named
 * at its second place in the file as a reader would find it. */
static int
index_rules(struct ctx *c)
{
	struct tt_pack *p = c->pack;
	size_t dup = 0, first = 0;
	int r = tt_pack_index(p, &dup, &first);

	if (r != -EEXIST)
		return r;
	c->rule = p->rules[dup].id;
	c->line = p->rules[dup].line;
	return fail(c, "id", "duplicate rule id (first at rules[%zu])", first);
}

const struct tt_rule *
tt_pack_rule(const struct tt_pack *pack, const char *id)
{
	size_t lo = 0, hi = pack->nrules;

	if (pack->by_id == NULL)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct tt_rule *r = &pack->rules[pack->by_id[mid]];
		int d = strcmp(r->id, id);

		if (d == 0)
			return r;
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Bounds: a CIS benchmark has a few hundred numbered headings, titles of
 * a line; anything past them is a damaged or hostile pack. */
#define MAX_SECTIONS 2000
#define MAX_SECTION_NUMBER 31
#define MAX_SECTION_TITLE 200

/* "sections": {"5.2": "Configure SSH Server", ...}, numbers as in the
 * rules' "cis", titles one line of text. */
static int
parse_sections(struct ctx *c, json_object *obj)
{
	struct tt_pack *p = c->pack;
	size_t n;

	if (!json_object_is_type(obj, json_type_object))
		return fail(c, "sections",
		    "must be an object of section number to title");
	n = (size_t)json_object_object_length(obj);
	if (n > MAX_SECTIONS)
		return fail(c, "sections", "more than %d sections",
		    MAX_SECTIONS);
	if ((p->sections = calloc(2 * n + 1, sizeof(*p->sections))) == NULL)
		return -ENOMEM;
	json_object_object_foreach(obj, key, val)
	{
		const char *t;

		/* "azure": the heading of the rules that have no CIS number
		 * and an Azure reference (run.c section_of). */
		if (strlen(key) > MAX_SECTION_NUMBER ||
		    (!valid_cis(key) && !TT_STREQ(key, "azure")))
			return fail(c, "sections",
			    "'%.40s' is not a section number (1, 5.2, ...) "
			    "or \"azure\"",
			    key);
		if (!json_object_is_type(val, json_type_string) ||
		    json_object_get_string_len(val) == 0 ||
		    json_object_get_string_len(val) > MAX_SECTION_TITLE)
			return fail(c, "sections",
			    "'%s': the title must be a string of 1 to %d "
			    "bytes",
			    key, MAX_SECTION_TITLE);
		t = json_object_get_string(val);
		for (const char *q = t; *q; q++)
			if ((unsigned char)*q < 0x20 || *q == 0x7f)
				return fail(c, "sections",
				    "'%s': the title has a control character",
				    key);
		if ((p->sections[2 * p->nsections] = keep(c, key)) == NULL ||
		    (p->sections[2 * p->nsections + 1] = keep(c, t)) == NULL)
			return -ENOMEM;
		p->nsections++;
	}
	return 0;
}

static int
parse_profiles(struct ctx *c, json_object *arr)
{
	static const char *const keys[] = { "id", "title", "rules", NULL };
	struct tt_pack *p = c->pack;
	int r;

	if (!json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) == 0)
		return fail(c, "profiles", "must be a non-empty array");
	p->nprofiles = json_object_array_length(arr);
	if ((p->profiles = calloc(p->nprofiles, sizeof(*p->profiles))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < p->nprofiles; i++) {
		json_object *obj = json_object_array_get_idx(arr, i), *rules;
		struct tt_profile *pr = &p->profiles[i];
		char where[64];
		size_t n;

		snprintf(where, sizeof(where), "profiles[%zu]", i);
		if (!json_object_is_type(obj, json_type_object))
			return fail(c, where, "must be an object");
		if ((r = check_keys(c, obj, where, keys)) < 0 ||
		    (r = get_string(c, obj, "id", where, true, &pr->id)) < 0 ||
		    (r = get_string(c, obj, "title", where, false,
			 &pr->title)) < 0)
			return r;
		for (size_t j = 0; j < i; j++)
			if (TT_STREQ(p->profiles[j].id, pr->id))
				return fail(c, where, "duplicate profile '%s'",
				    pr->id);
		snprintf(where, sizeof(where), "profile '%s'", pr->id);
		if (!json_object_object_get_ex(obj, "rules", &rules) ||
		    !json_object_is_type(rules, json_type_array))
			return fail(c, where,
			    "'rules' must be an array of "
			    "rule ids");
		n = json_object_array_length(rules);
		if ((pr->rules = calloc(n + 1, sizeof(*pr->rules))) == NULL)
			return -ENOMEM;
		for (size_t j = 0; j < n; j++) {
			const char *id = json_object_get_string(
			    json_object_array_get_idx(rules, j));
			const struct tt_rule *rule =
			    id ? tt_pack_rule(p, id) : NULL;

			if (rule == NULL)
				return fail(c, where, "unknown rule '%s'",
				    id ? id : "(not a string)");
			for (size_t k = 0; k < pr->nrules; k++)
				if (pr->rules[k] == (size_t)(rule - p->rules))
					return fail(c, where,
					    "rule '%s' listed "
					    "twice",
					    id);
			pr->rules[pr->nrules++] = (size_t)(rule - p->rules);
			/* A STIG audit reports every rule by its STIG id and
			 * category. */
			if (tt_profile_is_stig(pr) && rule->stig_id == NULL) {
				/* Named at the rule: that is where it goes. */
				c->rule = rule->id;
				c->line = rule->line;
				return fail(c, where,
				    "listed without references.stig (a STIG "
				    "profile's rules need one)");
			}
		}
	}
	return 0;
}

static int parse_pack(const char *file, const char *text, size_t len,
    const uint8_t *sha256, struct tt_pack **ret, char *err, size_t errlen);

int
tt_pack_parse(const char *file, const char *text, size_t len,
    struct tt_pack **ret, char *err, size_t errlen)
{
	return parse_pack(file, text, len, NULL, ret, err, errlen);
}

int
tt_pack_parse_built_in(const char *file, const char *text, size_t len,
    const uint8_t *sha256, struct tt_pack **ret, char *err, size_t errlen)
{
	return parse_pack(file, text, len, sha256, ret, err, errlen);
}

/* sha256 NULL: a pack of unknown origin, digested and checked whole here;
 * else a built-in one (tt_pack_parse_built_in). */
static int
parse_pack(const char *file, const char *text, size_t len,
    const uint8_t *sha256, struct tt_pack **ret, char *err, size_t errlen)
{
	static const char *const keys[] = { "schema", "pack", "benchmark",
		"sections", "applies", "profiles", "rules", NULL };
	struct ctx c = { .text = text,
		.len = len,
		.err = err,
		.errlen = errlen,
		.scan_line = 1,
		.defer_regex = sha256 != NULL };
	json_object *doc, *v, *rules;
	char why[256];
	int r;

	if ((c.pack = calloc(1, sizeof(*c.pack))) == NULL ||
	    (c.pack->file = strdup(file)) == NULL) {
		free(c.pack);
		return -ENOMEM;
	}
	if (sha256 != NULL)
		memcpy(c.pack->sha256, sha256, sizeof(c.pack->sha256));
	else
		tt_sha256_small(text, len, c.pack->sha256);
	if ((doc = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "%s: not valid JSON: %s", file, why);
		r = -EINVAL;
		goto out;
	}
	c.pack->doc = doc;
	if (!json_object_is_type(doc, json_type_object)) {
		r = fail(&c, "pack", "must be a JSON object");
		goto out;
	}
	if ((r = check_keys(&c, doc, "pack", keys)) < 0)
		goto out;
	if (!json_object_object_get_ex(doc, "schema", &v) ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int(v) != TT_PACK_SCHEMA) {
		r = fail(&c, "schema", "must be %d", TT_PACK_SCHEMA);
		goto out;
	}
	if ((r = get_string(&c, doc, "pack", "pack", true, &c.pack->name)) <
		0 ||
	    (r = get_string(&c, doc, "benchmark", "benchmark", false,
		 &c.pack->benchmark)) < 0)
		goto out;
	if (!valid_id(c.pack->name)) {
		r = fail(&c, "pack", "'%s' must be lower case [a-z0-9_]",
		    c.pack->name);
		goto out;
	}
	if (json_object_object_get_ex(doc, "sections", &v) &&
	    (r = parse_sections(&c, v)) < 0)
		goto out;
	if (!json_object_object_get_ex(doc, "applies", &v)) {
		r = fail(&c, "applies", "missing");
		goto out;
	}
	if ((r = parse_applies(&c, v, "applies", &c.pack->applies)) < 0)
		goto out;
	if (!json_object_object_get_ex(doc, "rules", &rules) ||
	    !json_object_is_type(rules, json_type_array)) {
		r = fail(&c, "rules", "must be an array");
		goto out;
	}
	c.pack->nrules = json_object_array_length(rules);
	if (c.pack->nrules > TT_PACK_MAX_RULES) {
		r = fail(&c, "rules", "more than %d rules", TT_PACK_MAX_RULES);
		c.pack->nrules = 0;
		goto out;
	}
	if ((c.pack->rules = calloc(c.pack->nrules + 1,
		 sizeof(*c.pack->rules))) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < c.pack->nrules; i++) {
		if ((r = parse_rule(&c, json_object_array_get_idx(rules, i), i,
			 &c.pack->rules[i])) < 0)
			goto out;
		c.rule = NULL;
		c.line = 0;
	}
	if ((r = index_rules(&c)) < 0)
		goto out;
	if (!json_object_object_get_ex(doc, "profiles", &v)) {
		r = fail(&c, "profiles", "missing");
		goto out;
	}
	r = parse_profiles(&c, v);
out:
	if (r < 0) {
		tt_pack_free(c.pack);
		return r;
	}
	*ret = c.pack;
	return 0;
}
