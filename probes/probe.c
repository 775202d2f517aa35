#include <stdarg.h>
#include <time.h>

#include "log.h"
#include "probe.h"
#include "regex_cache.h"
#include "tt.h"

int
tt_items_add(struct tt_items *items, struct tt_item **ret)
{
	if (items->n == items->cap) {
		size_t cap = items->cap ? items->cap * 2 : 8;
		struct tt_item *v = reallocarray(items->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		items->v = v;
		items->cap = cap;
	}
	memset(&items->v[items->n], 0, sizeof(items->v[0]));
	*ret = &items->v[items->n++];
	return 0;
}

int
tt_item_set(struct tt_item *it, const char *name, const char *value)
{
	char *copy = strdup(value ? value : "");

	if (copy == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < it->n; i++) {
		if (TT_STREQ(it->f[i].name, name)) {
			free(it->f[i].value);
			it->f[i].value = copy;
			return 0;
		}
	}
	if (it->n == TT_ITEM_MAX_FIELDS) {
		free(copy);
		return -E2BIG;
	}
	it->f[it->n].name = name;
	it->f[it->n].value = copy;
	it->n++;
	return 0;
}

int
tt_item_setf(struct tt_item *it, const char *name, const char *fmt, ...)
{
	char buf[TT_PROBE_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return tt_item_set(it, name, buf);
}

int
tt_item_set_bool(struct tt_item *it, const char *name, bool value)
{
	return tt_item_set(it, name, value ? "true" : "false");
}

const char *
tt_item_get(const struct tt_item *it, const char *name)
{
	for (size_t i = 0; i < it->n; i++)
		if (TT_STREQ(it->f[i].name, name))
			return it->f[i].value;
	return NULL;
}

void
tt_items_free(struct tt_items *items)
{
	if (items == NULL)
		return;
	for (size_t i = 0; i < items->n; i++)
		for (size_t j = 0; j < items->v[i].n; j++)
			free(items->v[i].f[j].value);
	free(items->v);
	items->v = NULL;
	items->n = items->cap = 0;
}

static int
param_index(const struct tt_probe *probe, const char *name)
{
	for (int i = 0; probe->params[i].name != NULL; i++)
		if (TT_STREQ(probe->params[i].name, name))
			return i;
	return -1;
}

const char *
tt_param(const struct tt_params *p, const char *name, const char *def)
{
	int i = param_index(p->probe, name);

	return i >= 0 && p->v[i] != NULL ? p->v[i] : def;
}

bool
tt_param_bool(const struct tt_params *p, const char *name, bool def)
{
	const char *v = tt_param(p, name, NULL);

	return v == NULL ? def : TT_STREQ(v, "true");
}

/* Compiles parameter i's regex (p->v[i], REG_ICASE when p->icase), shared
 * with every other holder of the same pattern (regex_cache.h). */
static int
compile_param(struct tt_params *p, int i, char *err, size_t errlen)
{
	char why[128];
	int r;

	r = tt_regex_get(p->v[i],
	    REG_EXTENDED | REG_NEWLINE | (p->icase ? REG_ICASE : 0), &p->re[i],
	    why, sizeof(why));
	if (r == -EINVAL)
		tt_seterr(err, errlen,
		    "parameter '%s': bad regular "
		    "expression '%s': %s",
		    p->probe->params[i].name, p->v[i], why);
	return r;
}

int
tt_param_regex_use(const struct tt_params *p, const char *name,
    const regex_t **ret, char *err, size_t errlen)
{
	/* Not a const object: params live in the pack's checks (or on a
	 * caller's stack), and only the regex cache is written here. */
	struct tt_params *w = (struct tt_params *)p;
	int i = param_index(p->probe, name), r;

	*ret = NULL;
	if (i < 0 || p->v[i] == NULL)
		return 0;
	if (p->re[i] == NULL && (r = compile_param(w, i, err, errlen)) < 0)
		return r;
	*ret = p->re[i];
	return 0;
}

static int
params_set(struct tt_params *p, const char *name, const char *value, bool icase,
    bool compile, char *err, size_t errlen)
{
	const struct tt_param_spec *spec;
	int i = param_index(p->probe, name), r;

	if (i < 0) {
		tt_seterr(err, errlen, "unknown parameter '%s' for probe '%s'",
		    name, p->probe->name);
		return -ENOENT;
	}
	spec = &p->probe->params[i];
	switch (spec->type) {
	case TT_PARAM_BOOL:
		if (!TT_STREQ(value, "true") && !TT_STREQ(value, "false")) {
			tt_seterr(err, errlen,
			    "parameter '%s' must be true or "
			    "false, not '%s'",
			    name, value);
			return -EINVAL;
		}
		break;
	case TT_PARAM_CHOICE: {
		bool ok = false;

		for (size_t c = 0; spec->choices[c] != NULL; c++)
			ok = ok || TT_STREQ(spec->choices[c], value);
		if (!ok) {
			tt_seterr(err, errlen,
			    "parameter '%s': '%s' is not "
			    "one of the accepted values",
			    name, value);
			return -EINVAL;
		}
		break;
	}
	case TT_PARAM_REGEX:
		/* Compiled now, or by tt_param_regex_use when deferred. */
		tt_regex_put(p->re[i]);
		p->re[i] = NULL;
		if (!compile)
			break;
		p->v[i] = value;
		p->icase = icase;
		if ((r = compile_param(p, i, err, errlen)) < 0)
			p->v[i] = NULL;
		return r;
	case TT_PARAM_STRING: break;
	}
	p->v[i] = value;
	if (spec->type == TT_PARAM_REGEX)
		p->icase = icase;
	return 0;
}

int
tt_params_set(struct tt_params *p, const char *name, const char *value,
    bool icase, char *err, size_t errlen)
{
	return params_set(p, name, value, icase, true, err, errlen);
}

int
tt_params_set_deferred(struct tt_params *p, const char *name, const char *value,
    bool icase, char *err, size_t errlen)
{
	return params_set(p, name, value, icase, false, err, errlen);
}

int
tt_params_check_required(const struct tt_params *p, char *err, size_t errlen)
{
	for (int i = 0; p->probe->params[i].name != NULL; i++) {
		if (p->probe->params[i].required && p->v[i] == NULL) {
			tt_seterr(err, errlen,
			    "missing parameter '%s' for "
			    "probe '%s'",
			    p->probe->params[i].name, p->probe->name);
			return -EINVAL;
		}
	}
	return 0;
}

void
tt_params_free(struct tt_params *p)
{
	if (p == NULL)
		return;
	for (size_t i = 0; i < TT_PROBE_MAX_PARAMS; i++) {
		tt_regex_put(p->re[i]);
		p->re[i] = NULL;
	}
}

void
tt_audit_init(struct tt_audit *a, const struct tt_root *root, bool runtime)
{
	memset(a, 0, sizeof(*a));
	a->root = root;
	a->runtime = runtime;
	a->budget.max_files = TT_BUDGET_FILES;
	a->budget.max_bytes = TT_BUDGET_BYTES;
	a->budget.max_lines = TT_BUDGET_LINES;
	a->budget.max_glob_dirs = TT_BUDGET_GLOB_DIRS;
	a->budget.max_glob_matches = TT_BUDGET_GLOB_MATCHES;
}

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void
tt_audit_set_timeout(struct tt_audit *a, long timeout_s)
{
	a->budget.timeout_s = timeout_s > 0 ? timeout_s : 0;
	a->budget.deadline_ns =
	    timeout_s > 0 ? now_ns() + (int64_t)timeout_s * 1000000000LL : 0;
}

bool
tt_audit_timed_out(struct tt_audit *a)
{
	struct tt_budget *b = &a->budget;

	if (b->spent == -ETIMEDOUT)
		return true;
	if (b->deadline_ns == 0 || now_ns() < b->deadline_ns)
		return false;
	b->spent = -ETIMEDOUT;
	snprintf(b->why, sizeof(b->why), "the audit's deadline (%ld s) passed",
	    b->timeout_s);
	return true;
}

void
tt_audit_free(struct tt_audit *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->ncache; i++) {
		if (a->cache[i].destroy != NULL && a->cache[i].data != NULL)
			a->cache[i].destroy(a->cache[i].data);
		free(a->cache[i].key);
	}
	TT_FREE(a->cache);
	a->ncache = a->capcache = 0;
}

/* FNV-1a: the keys are short texts made by the engine, not input. */
static uint64_t
key_hash(const char *key)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const unsigned char *p = (const unsigned char *)key; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	return h;
}

bool
tt_audit_cache_get(struct tt_audit *a, const char *key, void **ret,
    int *ret_err)
{
	uint64_t h = key_hash(key);

	for (size_t i = 0; i < a->ncache; i++) {
		if (a->cache[i].hash == h && TT_STREQ(a->cache[i].key, key)) {
			*ret = a->cache[i].data;
			if (ret_err != NULL)
				*ret_err = a->cache[i].err;
			return true;
		}
	}
	return false;
}

int
tt_audit_cache_put(struct tt_audit *a, const char *key, void *data,
    void (*destroy)(void *), int err)
{
	struct tt_cache_entry *e;
	char *k;

	if (a->ncache == a->capcache) {
		size_t cap = a->capcache ? a->capcache * 2 : 16;

		e = reallocarray(a->cache, cap, sizeof(*e));
		if (e == NULL)
			goto fail;
		a->cache = e;
		a->capcache = cap;
	}
	if ((k = strdup(key)) == NULL)
		goto fail;
	a->cache[a->ncache++] = (struct tt_cache_entry){ .key = k,
		.hash = key_hash(k),
		.data = data,
		.destroy = destroy,
		.err = err };
	return 0;
fail:
	if (destroy != NULL && data != NULL)
		destroy(data);
	return -ENOMEM;
}

const struct tt_probe *
tt_probe_find(const char *name)
{
	for (size_t i = 0; tt_probes[i] != NULL; i++)
		if (TT_STREQ(tt_probes[i]->name, name))
			return tt_probes[i];
	return NULL;
}

bool
tt_probe_has_field(const struct tt_probe *probe, const char *name)
{
	for (size_t i = 0; probe->fields[i] != NULL; i++)
		if (TT_STREQ(probe->fields[i], name))
			return true;
	return false;
}
