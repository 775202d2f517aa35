/*
 * pam_limits' configuration: /etc/security/limits.conf, then the *.conf
 * files of /etc/security/limits.d in C-locale order, as pam_limits(8)
 * reads them.  For one item and type it reports, per domain, the entry
 * pam_limits ends up applying for that domain: the last valid one, since
 * a later entry for the same domain overrides an earlier one.  Which
 * domain wins for a given user (a user or @group entry beats "*" whatever
 * the order) is the rule's business; the domain is in each item.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const char *const types[] = { "hard", "soft", NULL };

static const struct tt_param_spec params[] = {
	{ "item", TT_PARAM_STRING, true, NULL,
	    "a limit item such as core, nofile or maxlogins" },
	{ "type", TT_PARAM_CHOICE, false, types,
	    "hard (default) or soft; a \"-\" entry sets both" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "domain", "item", "type", "value", "file",
	"line", NULL };

#define LIMITS_CONF "/etc/security/limits.conf"
#define LIMITS_DIR "/etc/security/limits.d"

struct entry {
	char *domain, *value, *file;
	size_t line;
};

struct found {
	struct entry *v;
	size_t n;
};

static void
found_free(struct found *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].domain);
		free(f->v[i].value);
		free(f->v[i].file);
	}
	free(f->v);
}

/*
 * The value as pam_limits takes it (lower-cased): -1, unlimited and
 * infinity are no limit; otherwise the leading decimal digits (strtoull,
 * as pam_limits parses it), or NULL when there are none, a value
 * pam_limits rejects and so never applies.
 */
static const char *
norm_value(char *v, char *buf, size_t size)
{
	unsigned long long n;
	char *end;

	for (char *s = v; *s; s++)
		*s = (char)tolower((unsigned char)*s);
	if (TT_STREQ(v, "-1") || TT_STREQ(v, "unlimited") ||
	    TT_STREQ(v, "infinity"))
		return "unlimited";
	if (!isdigit((unsigned char)v[0]))
		return NULL;
	n = strtoull(v, &end, 10);
	snprintf(buf, size, "%llu", n);
	return buf;
}

static int
record(struct found *f, const char *domain, const char *value, const char *file,
    size_t line)
{
	struct entry *e = NULL, *nv;

	for (size_t i = 0; i < f->n; i++)
		if (TT_STREQ(f->v[i].domain, domain))
			e = &f->v[i];
	if (e == NULL) {
		if ((nv = reallocarray(f->v, f->n + 1, sizeof(*nv))) == NULL)
			return -ENOMEM;
		f->v = nv;
		e = &f->v[f->n++];
		memset(e, 0, sizeof(*e));
		if ((e->domain = strdup(domain)) == NULL)
			return -ENOMEM;
	}
	free(e->value);
	free(e->file);
	e->value = strdup(value);
	e->file = strdup(file);
	e->line = line;
	return e->value && e->file ? 0 : -ENOMEM;
}

static int
parse(struct tt_audit *a, const char *path, const char *item, const char *type,
    struct found *f, char *err, size_t errlen)
{
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
		char *save = NULL, *dom, *typ, *itm, *val;
		char num[32];
		const char *v;

		line[strcspn(line, "#")] = '\0'; /* pam_limits cuts at any # */
		dom = strtok_r(line, " \t", &save);
		typ = strtok_r(NULL, " \t", &save);
		itm = strtok_r(NULL, " \t", &save);
		val = strtok_r(NULL, " \t", &save);
		if (dom == NULL || typ == NULL || itm == NULL || val == NULL)
			continue;
		for (char *s = typ; *s; s++)
			*s = (char)tolower((unsigned char)*s);
		if (strcasecmp(itm, item) != 0 ||
		    !(TT_STREQ(typ, "-") || TT_STREQ(typ, type)))
			continue;
		/* "%" domains count for maxlogins only (pam_limits ignores
		 * them for every other item). */
		if (dom[0] == '%' && strcasecmp(item, "maxlogins") != 0)
			continue;
		if ((v = norm_value(val, num, sizeof(num))) == NULL)
			continue;
		r = record(f, dom, v, path, lineno);
	}
	free(line);
	tt_buf_free(&text);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *item = tt_param(p, "item", "");
	const char *type = tt_param(p, "type", "hard");
	struct tt_strv names = { 0 };
	struct found f = { 0 };
	char path[PATH_MAX];
	int r;

	err[0] = '\0';
	r = parse(a, LIMITS_CONF, item, type, &f, err, errlen);
	if (r == 0)
		r = tt_probe_list_dir(a, LIMITS_DIR, ".conf", &names, err,
		    errlen);
	if (r < 0 && err[0] == '\0')
		tt_seterr(err, errlen, "cannot list '%s': %s", LIMITS_DIR,
		    tt_strerror(r));
	for (size_t i = 0; r == 0 && i < names.n; i++) {
		snprintf(path, sizeof(path), LIMITS_DIR "/%s", names.v[i]);
		r = parse(a, path, item, type, &f, err, errlen);
	}
	for (size_t i = 0; r == 0 && i < f.n; i++) {
		struct tt_item *it;

		if ((r = tt_items_add(out, &it)) < 0 ||
		    (r = tt_item_set(it, "domain", f.v[i].domain)) < 0 ||
		    (r = tt_item_set(it, "item", item)) < 0 ||
		    (r = tt_item_set(it, "type", type)) < 0 ||
		    (r = tt_item_set(it, "value", f.v[i].value)) < 0 ||
		    (r = tt_item_set(it, "file", f.v[i].file)) < 0)
			break;
		r = tt_item_setf(it, "line", "%zu", f.v[i].line);
	}
	tt_strv_free(&names);
	found_free(&f);
	return r;
}

const struct tt_probe tt_probe_limits = {
	.name = "limits",
	.description = "pam_limits: the limit each domain of limits.conf and "
		       "limits.d/*.conf ends up with for one item (later wins)",
	.params = params,
	.fields = fields,
	.run = run,
};
