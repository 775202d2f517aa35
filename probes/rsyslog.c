#include <strings.h>

#include "fileio.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, true, NULL,
	    "a legacy directive such as $FileCreateMode" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the value when the directive is not set" },
	{ NULL, 0, false, NULL, NULL },
};

#define RSYSLOG_CONF "/etc/rsyslog.conf"
#define RSYSLOG_DIR_GLOB "/etc/rsyslog.d/*.conf"

struct load {
	struct tt_audit *a;
	struct tt_kvset *set;
	struct tt_include_stack stack; /* loops and depth end here */
	bool included;
	char *err;
	size_t errlen;
};

static int load_file(struct load *ld, const char *path);

static int
load_glob(struct load *ld, const char *pattern)
{
	struct tt_strv files = { 0 };
	int r = tt_probe_glob(ld->a, pattern, &files, ld->err, ld->errlen);

	if (r < 0 && ld->err[0] == '\0')
		snprintf(ld->err, ld->errlen, "cannot expand '%s': %s", pattern,
		    tt_strerror(r));
	for (size_t i = 0; r == 0 && i < files.n; i++)
		r = load_file(ld, files.v[i]);
	tt_strv_free(&files);
	return r;
}

/* Reads path in order, expanding $IncludeConfig and include(file="...")
 * where they stand, as rsyslogd does. */
static int
load_file(struct load *ld, const char *path)
{
	struct tt_kvset here = { 0 };
	struct tt_buf text;
	int r;

	r = tt_include_read(ld->a, &ld->stack, path, &text, ld->err,
	    ld->errlen);
	/* A directory matched by the pattern is not a file to read. */
	if (r == -ENOENT || r == -ENOTDIR || r == -EISDIR) {
		ld->err[0] = '\0';
		return 0;
	}
	if (r < 0)
		return r;
	r = tt_kv_parse(&here, path, text.data, text.len, TT_KV_RSYSLOG);
	tt_buf_free(&text);
	for (size_t i = 0; r == 0 && i < here.n; i++) {
		struct tt_kv *kv = &here.v[i];
		char *pat = NULL;

		if (strcasecmp(kv->key, "$IncludeConfig") == 0) {
			pat = kv->value;
		} else if (strncmp(kv->key, "include(", 8) == 0) {
			/* include(file="..." ...), RainerScript */
			char *f = strstr(kv->key, "file=\"");

			if (f == NULL &&
			    (f = strstr(kv->value, "file=\"")) == NULL)
				continue;
			pat = f + 6;
			pat[strcspn(pat, "\"")] = '\0';
		}
		if (pat != NULL) {
			ld->included = true;
			r = pat[0] == '/' ? load_glob(ld, pat) : 0;
			continue;
		}
		r = tt_kv_add(ld->set, kv->file, kv->line, kv->key, kv->value);
	}
	tt_kvset_free(&here);
	tt_include_pop(&ld->stack);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct load ld = { .a = a, .err = err, .errlen = errlen };
	struct tt_kvset *set;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "rsyslog", &data, &cerr)) {
		if (cerr < 0)
			return tt_parse_failed(data, cerr, err, errlen);
		set = data;
	} else {
		if ((set = calloc(1, sizeof(*set))) == NULL)
			return -ENOMEM;
		ld.set = set;
		r = load_file(&ld, RSYSLOG_CONF);
		/* Without an include directive, the drop-ins still count. */
		if (r == 0 && !ld.included)
			r = load_glob(&ld, RSYSLOG_DIR_GLOB);
		tt_include_clear(&ld.stack);
		if (r < 0) {
			tt_kvset_destroy(set);
			return tt_parse_fail(a, "rsyslog", r, err);
		}
		if ((r = tt_audit_cache_put(a, "rsyslog", set, tt_kvset_destroy,
			 0)) < 0)
			return r;
	}
	return tt_kv_item(out, set, tt_param(p, "key", ""),
	    tt_param(p, "default", NULL), true);
}

const struct tt_probe tt_probe_rsyslog = {
	.name = "rsyslog",
	.description =
	    "a legacy $Directive of /etc/rsyslog.conf and the "
	    "files it includes (last wins, directives case-insensitive)",
	.params = params,
	.fields = tt_kv_fields,
	.run = run,
};
