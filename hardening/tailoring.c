/*
 * Tailoring files (tailoring.h, docs/tailoring.md): parsed and checked
 * whole, then applied to the one pack a run uses.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "actions.h"
#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "log.h"
#include "sha256.h"
#include "tailoring.h"
#include "text.h"
#include "tt.h"

/* Where the parser is in the file's text: keys and values are looked for
 * in the order json-c gives them, which is the file's order, so each
 * search goes on from the last one and counting lines stays linear. */
struct lines {
	const char *text;
	size_t len, pos, line;
};

struct pctx {
	struct tt_tailoring *t;
	struct lines at;
	char *err;
	size_t errlen;
};

static int __attribute__((format(printf, 6, 7)))
failed(const char *file, size_t line, const char *where, char *err,
    size_t errlen, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (line > 0)
		tt_seterr(err, errlen, "%s:%zu: %s: %s", file, line, where,
		    what);
	else
		tt_seterr(err, errlen, "%s: %s: %s", file, where, what);
	return -EINVAL;
}

#define FAIL(c, line, where, ...)                                              \
	failed((c)->t->file, (line), (where), (c)->err, (c)->errlen,           \
	    __VA_ARGS__)

/* The line of the next `"s"` (followed by ':' when key) from the cursor
 * on, 0 when not found (a string written with escapes). */
static size_t
line_of(struct lines *l, const char *s, bool key)
{
	size_t n = strlen(s);

	for (int pass = 0; pass < 2; pass++) {
		const char *p = l->text + l->pos, *end = l->text + l->len;

		while (p + n + 2 <= end &&
		    (p = memchr(p, '"', (size_t)(end - p))) != NULL) {
			const char *q = p + 1 + n;

			if (q < end && memcmp(p + 1, s, n) == 0 && *q == '"') {
				q++;
				while (q < end && isspace((unsigned char)*q))
					q++;
				if (!key || (q < end && *q == ':')) {
					for (const char *c = l->text + l->pos;
					     c < p; c++)
						l->line += *c == '\n';
					l->pos = (size_t)(p - l->text) + n + 2;
					return l->line;
				}
			}
			/* Skip the string p starts, escapes included. */
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			p++;
		}
		/* Out of order: from the start once. */
		l->pos = 0;
		l->line = 1;
	}
	return 0;
}

static bool
id_ok(const char *s, size_t max, const char *extra)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_' &&
		    strchr(extra, *s) == NULL)
			return false;
	return true;
}

/* A value goes into sshd_config, pwquality.conf, sysctl.d...: one word of
 * the characters such values are made of, nothing a config file would read
 * as a comment, a quote, a second key or a new line. */
static bool
value_ok(const char *s)
{
	if (*s == '\0' || strlen(s) > TT_TAILORING_VALUE_MAX)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) &&
		    strchr("@._+:,/-", *s) == NULL)
			return false;
	return true;
}

static const char *const top_keys[] = { "schema", "id", "title", "profile",
	"extends", "select", "deselect", "params" };

static int
get_str(struct pctx *c, json_object *v, size_t line, const char *key,
    const char **ret)
{
	if (!json_object_is_type(v, json_type_string))
		return FAIL(c, line, key, "must be a string");
	*ret = json_object_get_string(v);
	return 0;
}

static int
parse_refs(struct pctx *c, json_object *arr, size_t line, const char *key,
    struct tt_tailoring_ref **ret, size_t *ret_n)
{
	size_t n;

	if (!json_object_is_type(arr, json_type_array))
		return FAIL(c, line, key, "must be an array of rule ids");
	n = json_object_array_length(arr);
	if ((*ret = calloc(n + 1, sizeof(**ret))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *v = json_object_array_get_idx(arr, i);
		char where[64];
		const char *id;

		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		if (!json_object_is_type(v, json_type_string))
			return FAIL(c, line, where, "must be a rule id");
		id = json_object_get_string(v);
		(*ret)[i].line = line_of(&c->at, id, false);
		(*ret)[i].rule = id;
		if (!id_ok(id, 128, ""))
			return FAIL(c, (*ret)[i].line, where,
			    "'%s' is not a rule id (lower case [a-z0-9_])", id);
		for (size_t j = 0; j < i; j++)
			if (TT_STREQ((*ret)[j].rule, id))
				return FAIL(c, (*ret)[i].line, where,
				    "rule '%s' listed twice", id);
		*ret_n = i + 1;
	}
	return 0;
}

/* A string made here, owned by the tailoring (t->strings). */
static const char *
keep_string(struct pctx *c, const char *s)
{
	json_object *v = json_object_new_string(s);

	if (v == NULL || json_object_array_add(c->t->strings, v) < 0) {
		json_object_put(v);
		return NULL;
	}
	return json_object_get_string(v);
}

/* One parameter's value: a string, an integer, or an array of strings
 * (a list, joined with ","). */
static int
param_value(struct pctx *c, json_object *v, const char *where, size_t line,
    struct tt_tailoring_param *p)
{
	struct tt_buf b;
	char num[32];
	int br = 0;

	switch (json_object_get_type(v)) {
	case json_type_string: p->value = json_object_get_string(v); break;
	case json_type_int:
		snprintf(num, sizeof(num), "%lld",
		    (long long)json_object_get_int64(v));
		p->value = keep_string(c, num);
		break;
	case json_type_array:
		tt_buf_init(&b, TT_TAILORING_VALUE_MAX + 1);
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *w = json_object_array_get_idx(v, i);

			if (!json_object_is_type(w, json_type_string) ||
			    strchr(json_object_get_string(w), ',') != NULL) {
				tt_buf_free(&b);
				return FAIL(c, line, where,
				    "a list holds strings without commas");
			}
			if (br == 0)
				br = tt_buf_printf(&b, "%s%s", i ? "," : "",
				    json_object_get_string(w));
		}
		if (b.data == NULL || br < 0) {
			tt_buf_free(&b);
			if (br == -ENOMEM)
				return br;
			return br < 0 ? FAIL(c, line, where, "list too long") :
					FAIL(c, line, where, "empty list");
		}
		p->value = keep_string(c, b.data);
		tt_buf_free(&b);
		p->list = true;
		break;
	default:
		return FAIL(c, line, where,
		    "must be a string, an integer or an array of strings");
	}
	if (p->value == NULL)
		return -ENOMEM;
	if (!value_ok(p->value))
		return FAIL(c, line, where,
		    "'%s' is not a value a rule can take (letters, digits and "
		    "@._+:,/- only, at most %d characters)",
		    p->value, TT_TAILORING_VALUE_MAX);
	return 0;
}

static int
parse_params(struct pctx *c, json_object *obj, size_t line)
{
	size_t n = 0;
	int r;

	if (!json_object_is_type(obj, json_type_object))
		return FAIL(c, line, "params",
		    "must be an object: {\"RULE\": {\"PARAMETER\": VALUE}}");
	json_object_object_foreach(obj, rule, names)
	{
		if (!json_object_is_type(names, json_type_object))
			return FAIL(c, line_of(&c->at, rule, true), "params",
			    "'%s' must be an object of parameters", rule);
		n += (size_t)json_object_object_length(names);
	}
	if ((c->t->params = calloc(n + 1, sizeof(*c->t->params))) == NULL)
		return -ENOMEM;
	json_object_object_foreach(obj, rid, pobj)
	{
		size_t rline = line_of(&c->at, rid, true);
		char where[512];

		snprintf(where, sizeof(where), "params.%s", rid);
		if (!id_ok(rid, 128, ""))
			return FAIL(c, rline, where,
			    "'%s' is not a rule id (lower case [a-z0-9_])",
			    rid);
		if (json_object_object_length(pobj) == 0)
			return FAIL(c, rline, where, "sets no parameter");
		json_object_object_foreach(pobj, name, v)
		{
			struct tt_tailoring_param *p =
			    &c->t->params[c->t->nparams];

			p->rule = rid;
			p->name = name;
			p->line = line_of(&c->at, name, true);
			if (p->line == 0)
				p->line = rline;
			snprintf(where, sizeof(where), "params.%s.%s", rid,
			    name);
			if ((r = param_value(c, v, where, p->line, p)) < 0)
				return r;
			c->t->nparams++;
		}
	}
	return 0;
}

static int
parse_key(struct pctx *c, const char *key, json_object *v, size_t line)
{
	const char *near;
	int r;

	if (TT_STREQ(key, "schema")) {
		if (!json_object_is_type(v, json_type_int) ||
		    json_object_get_int(v) != TT_TAILORING_SCHEMA)
			return FAIL(c, line, key, "must be %d",
			    TT_TAILORING_SCHEMA);
		return 0;
	}
	if (TT_STREQ(key, "id") || TT_STREQ(key, "profile") ||
	    TT_STREQ(key, "extends") || TT_STREQ(key, "title")) {
		const char *s = NULL;

		if ((r = get_str(c, v, line, key, &s)) < 0)
			return r;
		if (TT_STREQ(key, "title"))
			c->t->title = s;
		else if (TT_STREQ(key, "id") && !id_ok(s, 64, "-."))
			return FAIL(c, line, key,
			    "'%s' is not an id (lower case letters, digits, "
			    "'_', '-', '.'; at most 64)",
			    s);
		else if (TT_STREQ(key, "id"))
			c->t->id = s;
		else if (!id_ok(s, 64, "-"))
			return FAIL(c, line, key, "'%s' is not a %s id", s,
			    TT_STREQ(key, "profile") ? "profile" : "pack");
		else if (TT_STREQ(key, "profile"))
			c->t->profile = s, c->t->profile_line = line;
		else
			c->t->extends = s, c->t->extends_line = line;
		return 0;
	}
	if (TT_STREQ(key, "select"))
		return parse_refs(c, v, line, key, &c->t->select,
		    &c->t->nselect);
	if (TT_STREQ(key, "deselect"))
		return parse_refs(c, v, line, key, &c->t->deselect,
		    &c->t->ndeselect);
	if (TT_STREQ(key, "params"))
		return parse_params(c, v, line);
	near = tt_suggest(key, top_keys, TT_ARRAY_SIZE(top_keys));
	if (near != NULL)
		return FAIL(c, line, key, "unknown key; did you mean '%s'?",
		    near);
	return FAIL(c, line, key,
	    "unknown key (schema, id, title, profile, extends, select, "
	    "deselect, params)");
}

static int
parse_doc(struct pctx *c)
{
	struct tt_tailoring *t = c->t;
	int r;

	if (!json_object_is_type(t->doc, json_type_object))
		return FAIL(c, 0, "tailoring", "must be a JSON object");
	if (!json_object_object_get_ex(t->doc, "schema", NULL))
		return FAIL(c, 0, "schema", "missing (must be %d)",
		    TT_TAILORING_SCHEMA);
	json_object_object_foreach(t->doc, key, val)
	{
		if ((r = parse_key(c, key, val, line_of(&c->at, key, true))) <
		    0)
			return r;
	}
	if (t->id == NULL)
		return FAIL(c, 0, "id", "missing (the tailoring's name)");
	if (t->profile == NULL)
		return FAIL(c, 0, "profile",
		    "missing (the profile it tailors, e.g. cis-l1-server)");
	for (size_t i = 0; i < t->ndeselect; i++)
		for (size_t j = 0; j < t->nselect; j++)
			if (TT_STREQ(t->deselect[i].rule, t->select[j].rule))
				return FAIL(c, t->deselect[i].line, "deselect",
				    "rule '%s' is also selected",
				    t->select[j].rule);
	return 0;
}

int
tt_tailoring_parse(const char *file, const char *text, size_t len,
    struct tt_tailoring **ret, char *err, size_t errlen)
{
	struct tt_tailoring *t = calloc(1, sizeof(*t));
	struct pctx c = { .t = t,
		.at = { .text = text, .len = len, .line = 1 },
		.err = err,
		.errlen = errlen };
	uint8_t sum[32];
	char why[256];
	int r;

	if (t == NULL || (t->file = strdup(file)) == NULL) {
		free(t);
		return -ENOMEM;
	}
	tt_sha256_small(text, len, sum);
	strlcpy(t->digest, "sha256:", sizeof(t->digest));
	for (size_t i = 0; i < sizeof(sum); i++)
		snprintf(t->digest + 7 + 2 * i, 3, "%02x", sum[i]);
	if ((t->strings = json_object_new_array()) == NULL) {
		tt_tailoring_free(t);
		return -ENOMEM;
	}
	if ((t->doc = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "%s: not valid JSON: %s", file, why);
		tt_tailoring_free(t);
		return -EINVAL;
	}
	if ((r = parse_doc(&c)) < 0) {
		tt_tailoring_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

int
tt_tailoring_load(const char *path, struct tt_tailoring **ret, char *err,
    size_t errlen)
{
	struct tt_buf text;
	int fd, r;

	/* A host path: under --root too (tailoring.h). */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot read tailoring '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((r = tt_check_secure_file(fd, path, err, errlen)) < 0) {
		close(fd);
		return r;
	}
	r = tt_read_fd(fd, TT_TAILORING_MAX_BYTES, &text);
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read tailoring '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	r = tt_tailoring_parse(path, text.data ? text.data : "", text.len, ret,
	    err, errlen);
	tt_buf_free(&text);
	return r;
}

void
tt_tailoring_free(struct tt_tailoring *t)
{
	if (t == NULL)
		return;
	free(t->select);
	free(t->deselect);
	free(t->params);
	free(t->profile_out.rules);
	json_object_put(t->doc);
	json_object_put(t->strings);
	free(t->file);
	free(t);
}

int
tt_tailoring_want(struct tt_tailoring *t, const char *want, const char **ret,
    char *err, size_t errlen)
{
	const char *colon = want ? strchr(want, ':') : NULL;
	const char *prof = colon ? colon + 1 : want;

	if (want != NULL && !TT_STREQ(prof, t->profile))
		return failed(t->file, t->profile_line, "profile", err, errlen,
		    "the tailoring is for profile '%s', not '%s'", t->profile,
		    want);
	if (colon != NULL && t->extends != NULL &&
	    (strlen(t->extends) != (size_t)(colon - want) ||
		strncmp(want, t->extends, (size_t)(colon - want)) != 0))
		return failed(t->file, t->extends_line, "extends", err, errlen,
		    "the tailoring extends pack '%s', not the one '%s' names",
		    t->extends, want);
	/* The pack is the root's, as without a tailoring ("PACK:" on the
	 * command line chooses one whatever the OS): tt_tailoring_apply
	 * refuses it when it is not the one the tailoring extends. */
	if (colon != NULL)
		snprintf(t->want, sizeof(t->want), "%s", want);
	else
		snprintf(t->want, sizeof(t->want), "%s", t->profile);
	*ret = t->want;
	return 0;
}

/* --- parameters ---------------------------------------------------- */

/* The actions that set one value, with where the check looks at it: the
 * probe's parameter naming the key and the item field holding the value. */
static const struct shape {
	const char *action, *name_param, *probe, *field;
} shapes[] = {
	{ "sshd_set", "key", "sshd_config", "value" },
	{ "sysctl_set", "key", "sysctl", "value" },
	{ "login_defs_set", "key", "login_defs", "value" },
	{ "pwquality_set", "key", "pwquality", "value" },
	{ "faillock_set", "key", "faillock", "value" },
	{ "pwhistory_set", "key", "pwhistory", "value" },
	{ "journald_set", "key", "journald", "value" },
	{ "rsyslog_set", "key", "rsyslog", "value" },
	{ "shell_var_set", "key", "shell_vars", "value" },
	{ "pam_module_arg", "arg", "pam", "arg_value" },
	{ "grub_cmdline_arg", "arg", "grub_cmdline", "value" },
};

static const struct shape *
shape_of(const struct tt_rule *rule, const char **name, const char **value)
{
	json_object *act, *params;

	if (rule->fix == NULL || rule->check == NULL ||
	    !json_object_object_get_ex(rule->fix, "action", &act) ||
	    !json_object_object_get_ex(rule->fix, "params", &params))
		return NULL;
	for (size_t i = 0; i < TT_ARRAY_SIZE(shapes); i++) {
		if (!TT_STREQ(shapes[i].action, json_object_get_string(act)))
			continue;
		*name = tt_action_param(params, shapes[i].name_param);
		*value = tt_action_param(params, "value");
		if (*name == NULL || *value == NULL)
			return NULL;
		return &shapes[i];
	}
	return NULL;
}

/* Calls fn on each probe check of ch that reads the parameter. */
static int
each_check(struct tt_check *ch, const struct shape *s, const char *name,
    int (*fn)(struct tt_check *, void *), void *arg)
{
	int r, n = 0;

	if (ch->kind != TT_CHECK_PROBE) {
		for (size_t i = 0; i < ch->nsub; i++) {
			if ((r = each_check(&ch->sub[i], s, name, fn, arg)) < 0)
				return r;
			n += r;
		}
		return n;
	}
	if (ch->params.probe == NULL ||
	    !TT_STREQ(ch->params.probe->name, s->probe) ||
	    tt_param(&ch->params, s->name_param, NULL) == NULL ||
	    strcasecmp(tt_param(&ch->params, s->name_param, NULL), name) != 0)
		return 0;
	if ((r = fn(ch, arg)) < 0)
		return r;
	return 1;
}

static bool
numeric_op(enum tt_op op)
{
	return op == TT_OP_LT || op == TT_OP_LE || op == TT_OP_GT ||
	    op == TT_OP_GE;
}

static bool
is_number(const char *s, long long *ret)
{
	const char *e = NULL;
	long long n = strtonum(s, LLONG_MIN, LLONG_MAX, &e);

	if (e != NULL)
		return false;
	if (ret != NULL)
		*ret = n;
	return true;
}

struct kind_scan {
	const char *field, *value;
	bool numeric_bound, regex, any;
};

static int
scan_kind(struct tt_check *ch, void *arg)
{
	struct kind_scan *k = arg;
	long long v = 0;

	(void)is_number(k->value, &v);
	for (size_t i = 0; i < ch->nexpect; i++) {
		const struct tt_cond *c = &ch->expect[i];

		if (!TT_STREQ(c->field, k->field))
			continue;
		k->any = true;
		if ((numeric_op(c->op) && c->num == v) ||
		    (c->op == TT_OP_EQ && c->value != NULL &&
			TT_STREQ(c->value, k->value)))
			k->numeric_bound = true;
		if (c->op == TT_OP_MATCH || c->op == TT_OP_NOT_MATCH)
			k->regex = true;
	}
	return 0;
}

static int
probe_param_of(const struct tt_rule *rule, struct tt_rule_param *ret);

int
tt_rule_param(const struct tt_rule *rule, struct tt_rule_param *ret)
{
	const struct shape *s;
	struct kind_scan k = { 0 };
	const char *name = NULL, *value = NULL;
	int n;

	if ((s = shape_of(rule, &name, &value)) == NULL)
		return probe_param_of(rule, ret);
	k.field = s->field;
	k.value = value;
	n = each_check(rule->check, s, name, scan_kind, &k);
	if (n <= 0 || !k.any)
		return -ENOENT;
	ret->name = name;
	ret->value = value;
	if (is_number(value, NULL) && k.numeric_bound)
		ret->kind = TT_PARAM_NUMBER;
	else if (strchr(value, ',') != NULL && k.regex)
		ret->kind = TT_PARAM_LIST;
	else
		ret->kind = TT_PARAM_TEXT;
	return 0;
}

/* The rewrite of one check's conditions on the value. */
struct rewrite {
	struct tt_pack *pack;
	const struct shape *shape;
	const struct tt_rule_param *param;
	const char *value; /* the new one */
	long long old_num, new_num;
	const char *regex; /* TT_PARAM_LIST */
	struct tt_buf expected;
	bool expected_bad;
	char why[256];
};

static int
set_cond_text(struct rewrite *w, struct tt_cond *c, const char *s)
{
	if ((c->value = tt_pack_keep(w->pack, s)) == NULL)
		return -ENOMEM;
	return 0;
}

static const char *
op_text(enum tt_op op)
{
	switch (op) {
	case TT_OP_LT: return "<";
	case TT_OP_LE: return "<=";
	case TT_OP_GT: return ">";
	case TT_OP_GE: return ">=";
	default: return "=";
	}
}

/* A number: the conditions whose bound was the pack's value take the new
 * one; the others (MaxAuthTries' lower bound 1) stay, and the new value
 * must satisfy them, or the rule could never pass. */
static int
rewrite_number(struct tt_check *ch, struct rewrite *w)
{
	for (size_t i = 0; i < ch->nexpect; i++) {
		struct tt_cond *c = &ch->expect[i];
		bool bound = (numeric_op(c->op) && c->num == w->old_num) ||
		    (c->op == TT_OP_EQ && TT_STREQ(c->value, w->param->value));
		long long n = w->new_num;
		int r;

		if (!TT_STREQ(c->field, w->shape->field))
			continue;
		if (bound) {
			c->num = n;
			if ((r = set_cond_text(w, c, w->value)) < 0)
				return r;
		} else if (numeric_op(c->op) &&
		    !(c->op == TT_OP_LT	      ? n < c->num :
			    c->op == TT_OP_LE ? n <= c->num :
			    c->op == TT_OP_GT ? n > c->num :
						n >= c->num)) {
			snprintf(w->why, sizeof(w->why),
			    "%s is outside what the rule allows (%s %s)",
			    w->value, op_text(c->op), c->value);
			return -EINVAL;
		}
		if (tt_buf_printf(&w->expected, "%s%s %s %s",
			w->expected.len ? " and " : "", w->param->name,
			op_text(c->op), c->value) < 0)
			w->expected_bad = true;
	}
	return 0;
}

/* Text and lists: the conditions on the value become one, "= VALUE", or
 * for a list "only these words", as a match every comma list of them
 * satisfies. */
static int
rewrite_one(struct tt_check *ch, struct rewrite *w)
{
	struct tt_cond *conds, *c;
	size_t n = 0;
	bool nocase = false;
	int r;

	if ((conds = calloc(ch->nexpect + 1, sizeof(*conds))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < ch->nexpect; i++) {
		if (TT_STREQ(ch->expect[i].field, w->shape->field)) {
			nocase = nocase || ch->expect[i].nocase;
			continue;
		}
		conds[n++] = ch->expect[i];
		memset(&ch->expect[i], 0, sizeof(ch->expect[i]));
	}
	c = &conds[n++];
	c->nocase = nocase;
	if (w->param->kind == TT_PARAM_LIST) {
		char why[128];

		c->op = TT_OP_MATCH;
		if ((r = set_cond_text(w, c, w->regex)) < 0 ||
		    (r = tt_cond_compile(c, why, sizeof(why))) < 0) {
			tt_conds_free(conds, n);
			return r;
		}
	} else {
		c->op = TT_OP_EQ;
		if ((r = set_cond_text(w, c, w->value)) < 0) {
			tt_conds_free(conds, n);
			return r;
		}
	}
	if ((c->field = tt_pack_keep(w->pack, w->shape->field)) == NULL) {
		tt_conds_free(conds, n);
		return -ENOMEM;
	}
	tt_conds_free(ch->expect, ch->nexpect);
	ch->expect = conds;
	ch->nexpect = n;
	return 0;
}

static int
rewrite_check(struct tt_check *ch, void *arg)
{
	struct rewrite *w = arg;

	if (w->param->kind == TT_PARAM_NUMBER)
		return rewrite_number(ch, w);
	return rewrite_one(ch, w);
}

/* "^(a|b)(,(a|b))*$" for the words a, b: a comma list of them only. */
static int
list_regex(const char *value, struct tt_buf *out)
{
	struct tt_buf alt;
	int r;

	tt_buf_init(&alt, (size_t)4 * TT_TAILORING_VALUE_MAX);
	r = tt_buf_puts(&alt, "(");
	for (const char *p = value; r == 0 && *p; p++) {
		if (*p == ',')
			r = tt_buf_puts(&alt, "|");
		else if (strchr(".+", *p) != NULL)
			r = tt_buf_printf(&alt, "\\%c", *p);
		else
			r = tt_buf_putc(&alt, *p);
	}
	if (r == 0)
		r = tt_buf_puts(&alt, ")");
	if (r == 0)
		r = tt_buf_printf(out, "^%s(,%s)*$", alt.data, alt.data);
	tt_buf_free(&alt);
	return r < 0 ? -ENOMEM : 0;
}

/* Probe parameters a site sets in a rule whose check is one call of the
 * probe: lists of its own, not a fix's value. */
static const struct {
	const char *probe, *param;
} probe_params[] = {
	{ "required_agents", "packages" },
	{ "required_agents", "units" },
	/* The site's log host (log_forward: rsyslog_remote_loghost). */
	{ "log_forward", "loghost" },
};

static bool
tunable(const char *probe, const char *param)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(probe_params); i++)
		if (TT_STREQ(probe_params[i].probe, probe) &&
		    TT_STREQ(probe_params[i].param, param))
			return true;
	return false;
}

/* The parameter of a rule whose check is one call of a probe with a
 * single parameter a site sets (log_forward's loghost): its value in the
 * pack ("" when unset).  required_agents' two lists are not one
 * parameter: -ENOENT, as before. */
static int
probe_param_of(const struct tt_rule *rule, struct tt_rule_param *ret)
{
	const struct tt_probe *probe;
	const char *name = NULL;
	size_t n = 0;

	if (rule->check == NULL || rule->check->kind != TT_CHECK_PROBE ||
	    (probe = rule->check->params.probe) == NULL)
		return -ENOENT;
	for (size_t i = 0; probe->params[i].name != NULL; i++)
		if (tunable(probe->name, probe->params[i].name)) {
			name = probe->params[i].name;
			n++;
		}
	if (n != 1)
		return -ENOENT;
	ret->name = name;
	ret->value = tt_param(&rule->check->params, name, "");
	ret->kind = TT_PARAM_TEXT;
	return 0;
}

/* True when name is a probe parameter a site sets in rule's check. */
static bool
probe_tuned(const struct tt_rule *rule, const char *name)
{
	return rule->check != NULL && rule->check->kind == TT_CHECK_PROBE &&
	    rule->check->params.probe != NULL &&
	    tunable(rule->check->params.probe->name, name);
}

/*
 * A parameter of the rule's probe that a site sets (probe_params:
 * required_agents' packages and units): the check's
 * parameter takes the value, its memo key follows, and a failure says
 * what was required.  -ENOENT when the rule has no such parameter (then
 * the fix/check parameters are tried).
 */
static int
apply_probe_param(struct tt_tailoring *t, struct tt_pack *pack,
    struct tt_rule *rule, const struct tt_tailoring_param *p, char *err,
    size_t errlen)
{
	struct tt_check *ch = rule->check;
	const struct tt_param_spec *spec = NULL;
	const struct tt_probe *probe;
	const char *kept;
	char why[256], where[512];
	struct tt_buf b;
	int r;

	if (ch == NULL || ch->kind != TT_CHECK_PROBE ||
	    (probe = ch->params.probe) == NULL)
		return -ENOENT;
	for (size_t i = 0; probe->params[i].name != NULL; i++)
		if (tunable(probe->name, probe->params[i].name) &&
		    TT_STREQ(probe->params[i].name, p->name))
			spec = &probe->params[i];
	if (spec == NULL)
		return -ENOENT;
	snprintf(where, sizeof(where), "params.%s.%s", p->rule, p->name);
	if ((kept = tt_pack_keep(pack, p->value)) == NULL)
		return -ENOMEM;
	if ((r = tt_params_set(&ch->params, p->name, kept, ch->params.icase,
		 why, sizeof(why))) < 0)
		return r == -ENOMEM ?
		    r :
		    failed(t->file, p->line, where, err, errlen, "%s", why);
	/* One probe run per audit and key: the key names the new value. */
	tt_buf_init(&b, 16384);
	tt_buf_puts(&b, probe->name);
	for (size_t i = 0; probe->params[i].name != NULL; i++)
		if (ch->params.v[i] != NULL)
			tt_buf_printf(&b, "\x1f%s=%s", probe->params[i].name,
			    ch->params.v[i]);
	free(ch->memo_key);
	if ((ch->memo_key = tt_buf_steal(&b)) == NULL)
		return -ENOMEM;
	tt_buf_init(&b, 4096);
	if (TT_STREQ(probe->name, "log_forward")) {
		tt_buf_printf(&b, "logs forwarded to %s (tailoring '%s')",
		    p->value, t->id);
	} else {
		tt_buf_puts(&b, "required:");
		for (size_t i = 0; probe->params[i].name != NULL; i++)
			if (tunable(probe->name, probe->params[i].name) &&
			    ch->params.v[i] != NULL &&
			    ch->params.v[i][0] != '\0')
				tt_buf_printf(&b, " %s %s;",
				    probe->params[i].name, ch->params.v[i]);
		tt_buf_printf(&b, " all present (tailoring '%s')", t->id);
	}
	rule->expected = b.data ? tt_pack_keep(pack, b.data) : NULL;
	tt_buf_free(&b);
	return rule->expected == NULL ? -ENOMEM : 0;
}

static int
apply_param(struct tt_tailoring *t, struct tt_pack *pack, struct tt_rule *rule,
    const struct tt_tailoring_param *p, char *err, size_t errlen)
{
	struct tt_rule_param param;
	struct rewrite w = { .pack = pack, .param = &param, .value = p->value };
	struct tt_buf re;
	const char *name = NULL, *value = NULL, *tail;
	json_object *params;
	char where[512], tailored[128];
	int r;

	if ((r = apply_probe_param(t, pack, rule, p, err, errlen)) != -ENOENT)
		return r;
	snprintf(where, sizeof(where), "params.%s.%s", p->rule, p->name);
	if (tt_rule_param(rule, &param) < 0)
		return failed(t->file, p->line, where, err, errlen,
		    "rule '%s' takes no parameter (its fix does not set one "
		    "value that its check reads)",
		    p->rule);
	if (strcasecmp(param.name, p->name) != 0) {
		const char *cands[] = { param.name };

		if (tt_suggest(p->name, cands, 1) != NULL)
			return failed(t->file, p->line, where, err, errlen,
			    "unknown parameter '%s' of rule '%s'; did you "
			    "mean '%s'?",
			    p->name, p->rule, param.name);
		return failed(t->file, p->line, where, err, errlen,
		    "unknown parameter '%s' of rule '%s' (its parameter is "
		    "'%s')",
		    p->name, p->rule, param.name);
	}
	/* A probe's parameter (loghost, packages) is named exactly:
	 * apply_probe_param took it, so a name that differs in case
	 * arrives here with no fix shape to rewrite. */
	if ((w.shape = shape_of(rule, &name, &value)) == NULL)
		return failed(t->file, p->line, where, err, errlen,
		    "unknown parameter '%s' of rule '%s'; did you mean '%s'?",
		    p->name, p->rule, param.name);
	tt_buf_init(&w.expected, 4096);
	tt_buf_init(&re, (size_t)8 * TT_TAILORING_VALUE_MAX);
	if (param.kind == TT_PARAM_NUMBER) {
		(void)is_number(param.value, &w.old_num);
		if (!is_number(p->value, &w.new_num)) {
			r = failed(t->file, p->line, where, err, errlen,
			    "'%s' is not an integer (the rule's value is %s)",
			    p->value, param.value);
			goto out;
		}
	} else if (param.kind == TT_PARAM_LIST) {
		if ((r = list_regex(p->value, &re)) < 0)
			goto out;
		w.regex = re.data;
		(void)tt_buf_printf(&w.expected, "%s only among %s", param.name,
		    p->value);
	} else {
		(void)tt_buf_printf(&w.expected, "%s = %s", param.name,
		    p->value);
	}
	if ((r = each_check(rule->check, w.shape, name, rewrite_check, &w)) <
	    0) {
		if (r == -EINVAL)
			r = failed(t->file, p->line, where, err, errlen, "%s",
			    w.why);
		goto out;
	}
	/* The fix writes the site's value: harden uses it, the outputs
	 * show it. */
	json_object_object_get_ex(rule->fix, "params", &params);
	json_object_object_add(params, "value",
	    json_object_new_string(p->value));
	snprintf(tailored, sizeof(tailored), " (tailoring '%s')", t->id);
	/* The words of a failure: the rule's own words would quote the
	 * pack's value.  A check of several parts (or words too long to
	 * keep) keeps its generated text, which shows the new
	 * conditions. */
	tail = w.expected_bad || tt_buf_puts(&w.expected, tailored) < 0 ?
	    NULL :
	    w.expected.data;
	if (rule->check->kind == TT_CHECK_PROBE && tail != NULL)
		rule->expected = tt_pack_keep(pack, tail);
	else
		rule->expected = NULL;
	r = tail != NULL && rule->check->kind == TT_CHECK_PROBE &&
		rule->expected == NULL ?
	    -ENOMEM :
	    0;
out:
	tt_buf_free(&w.expected);
	tt_buf_free(&re);
	return r;
}

static bool
in_profile(const struct tt_profile *p, size_t idx)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (p->rules[i] == idx)
			return true;
	return false;
}

/* The rule named at ref, or an error naming it with a suggestion. */
static int
find_rule(struct tt_tailoring *t, struct tt_pack *pack, const char *id,
    size_t line, const char *where, size_t *ret, char *err, size_t errlen)
{
	const struct tt_rule *rule = tt_pack_rule(pack, id);
	char why[1024];

	if (rule != NULL) {
		*ret = (size_t)(rule - pack->rules);
		return 0;
	}
	(void)tt_pack_unknown_rule(pack, id, why, sizeof(why));
	return failed(t->file, line, where, err, errlen, "%s", why);
}

int
tt_tailoring_apply(struct tt_tailoring *t, struct tt_pack *pack,
    const struct tt_profile *base, char *err, size_t errlen)
{
	struct tt_profile *out = &t->profile_out;
	size_t idx = 0;
	char where[256];
	int r;

	if (t->extends != NULL && !TT_STREQ(t->extends, pack->name))
		return failed(t->file, t->extends_line, "extends", err, errlen,
		    "the tailoring extends pack '%s', but the root's pack is "
		    "'%s'",
		    t->extends, pack->name);
	out->id = base->id;
	out->title = base->title;
	out->rules = calloc(base->nrules + t->nselect + 1, sizeof(*out->rules));
	if (out->rules == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < t->ndeselect; i++) {
		snprintf(where, sizeof(where), "deselect[%zu]", i);
		if ((r = find_rule(t, pack, t->deselect[i].rule,
			 t->deselect[i].line, where, &idx, err, errlen)) < 0)
			return r;
		if (!in_profile(base, idx))
			return failed(t->file, t->deselect[i].line, where, err,
			    errlen, "rule '%s' is not in profile '%s'",
			    t->deselect[i].rule, base->id);
	}
	for (size_t i = 0; i < base->nrules; i++) {
		bool drop = false;

		for (size_t j = 0; j < t->ndeselect; j++)
			drop = drop ||
			    TT_STREQ(pack->rules[base->rules[i]].id,
				t->deselect[j].rule);
		if (!drop)
			out->rules[out->nrules++] = base->rules[i];
	}
	for (size_t i = 0; i < t->nselect; i++) {
		snprintf(where, sizeof(where), "select[%zu]", i);
		if ((r = find_rule(t, pack, t->select[i].rule,
			 t->select[i].line, where, &idx, err, errlen)) < 0)
			return r;
		if (in_profile(base, idx))
			return failed(t->file, t->select[i].line, where, err,
			    errlen, "rule '%s' is already in profile '%s'",
			    t->select[i].rule, base->id);
		out->rules[out->nrules++] = idx;
	}
	for (size_t i = 0; i < t->nparams; i++) {
		const struct tt_tailoring_param *p = &t->params[i];

		snprintf(where, sizeof(where), "params.%s", p->rule);
		if ((r = find_rule(t, pack, p->rule, p->line, where, &idx, err,
			 errlen)) < 0)
			return r;
		if (!in_profile(out, idx))
			return failed(t->file, p->line, where, err, errlen,
			    "rule '%s' is not in the tailored profile (select "
			    "it, or leave its parameter out)",
			    p->rule);
		/* One fix value per rule; a probe's lists may be several. */
		for (size_t j = 0; j < i; j++)
			if (TT_STREQ(t->params[j].rule, p->rule) &&
			    (TT_STREQ(t->params[j].name, p->name) ||
				!probe_tuned(&pack->rules[idx], p->name)))
				return failed(t->file, p->line, where, err,
				    errlen, "rule '%s' takes one parameter",
				    p->rule);
		if ((r = apply_param(t, pack, &pack->rules[idx], p, err,
			 errlen)) < 0)
			return r;
	}
	return 0;
}

json_object *
tt_tailoring_json(const struct tt_tailoring *t)
{
	json_object *o = json_object_new_object();
	int err = 0;

	if (o == NULL)
		return NULL;
	if (json_object_object_add(o, "id", json_object_new_string(t->id)) <
		0 ||
	    json_object_object_add(o, "file", json_object_new_string(t->file)) <
		0 ||
	    json_object_object_add(o, "sha256",
		json_object_new_string(t->digest)) < 0)
		err = -ENOMEM;
	if (err < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
tt_tailored_load(struct tt_packset *set, const struct tt_tailored_opts *o,
    struct tt_tailoring **ret_t, const struct tt_pack **ret_pack,
    const struct tt_profile **ret_profile, enum tt_tailored_step *ret_step,
    char *err, size_t errlen)
{
	struct tt_pack_filter filter = { .os = o->os, .want = o->want };
	struct tt_tailoring *t = NULL;
	const char *want = o->want;
	int r;

	*ret_t = NULL;
	*ret_step = TT_TAILORED_FILE;
	if (o->tailoring != NULL &&
	    ((r = tt_tailoring_load(o->tailoring, &t, err, errlen)) < 0 ||
		(r = tt_tailoring_want(t, o->want, &want, err, errlen)) < 0))
		goto fail;
	*ret_t = t;
	/* A tailoring rewrites rules through their JSON: no precompiled
	 * pack then. */
	filter.want = want;
	filter.no_json = o->no_json && t == NULL;
	*ret_step = TT_TAILORED_PACKS;
	if ((r = tt_packset_load(set, o->files, o->nfiles, &filter, err,
		 errlen)) < 0)
		return r;
	*ret_step = TT_TAILORED_PROFILE;
	if ((r = tt_profile_select(set, o->os, want, ret_pack, ret_profile, err,
		 errlen)) < 0) {
		/* The tailoring chose the profile: its file is the input to
		 * fix. */
		if (t != NULL && r == -ENOENT) {
			char why[1024];

			strlcpy(why, err, sizeof(why));
			*ret_step = TT_TAILORED_FILE;
			return failed(t->file, t->profile_line, "profile", err,
			    errlen, "%s", why);
		}
		return r;
	}
	*ret_step = TT_TAILORED_FILE;
	for (size_t i = 0; t != NULL && i < set->n; i++) {
		if (set->v[i] != *ret_pack)
			continue;
		if ((r = tt_tailoring_apply(t, set->v[i], *ret_profile, err,
			 errlen)) < 0)
			return r;
		*ret_profile = &t->profile_out;
	}
	*ret_step = TT_TAILORED_PACKS;
	for (size_t i = 0; o->no_json && i < set->n; i++)
		if ((r = tt_pack_drop_json(set->v[i], o->keep_fix)) < 0)
			return r;
	*ret_step = TT_TAILORED_OK;
	return 0;
fail:
	tt_tailoring_free(t);
	return r;
}
