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

static int load_file(struct tt_audit *a, const char *path, int depth,
    struct tt_kvset *set, bool *included, char *err, size_t errlen);

static int
load_glob(struct tt_audit *a, const char *pattern, int depth,
    struct tt_kvset *set, bool *included, char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	int r = tt_root_glob(a->root, pattern, &files);

	for (size_t i = 0; r == 0 && i < files.n; i++)
		r = load_file(a, files.v[i], depth + 1, set, included, err,
		    errlen);
	tt_strv_free(&files);
	return r;
}

/* Reads path in order, expanding $IncludeConfig and include(file="...")
 * where they stand, as rsyslogd does. */
static int
load_file(struct tt_audit *a, const char *path, int depth, struct tt_kvset *set,
    bool *included, char *err, size_t errlen)
{
	struct tt_kvset here = { 0 };
	struct tt_buf text;
	int r;

	if (depth > TT_INCLUDE_DEPTH)
		return 0;
	r = tt_probe_read(a, path, &text);
	if (r == -ENOENT || r == -ENOTDIR)
		return 0;
	if (r < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
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
			*included = true;
			r = pat[0] == '/' ? load_glob(a, pat, depth, set,
						included, err, errlen) :
					    0;
			continue;
		}
		r = tt_kv_add(set, kv->file, kv->line, kv->key, kv->value);
	}
	tt_kvset_free(&here);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_kvset *set;
	void *data;
	bool included = false;
	int r, cerr;

	if (tt_audit_cache_get(a, "rsyslog", &data, &cerr)) {
		if (cerr < 0)
			return cerr;
		set = data;
	} else {
		if ((set = calloc(1, sizeof(*set))) == NULL)
			return -ENOMEM;
		r = load_file(a, RSYSLOG_CONF, 0, set, &included, err, errlen);
		/* Without an include directive, the drop-ins still count. */
		if (r == 0 && !included)
			r = load_glob(a, RSYSLOG_DIR_GLOB, 0, set, &included,
			    err, errlen);
		if (r < 0) {
			tt_kvset_destroy(set);
			return r;
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
