#include <strings.h>

#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "key", TT_PARAM_STRING, false, NULL,
	    "a legacy directive such as $FileCreateMode" },
	{ "regex", TT_PARAM_REGEX, false, NULL,
	    "instead of key: the lines (not comments) of every file rsyslogd "
	    "reads that match this POSIX ERE" },
	{ "default", TT_PARAM_STRING, false, NULL,
	    "the value when the directive is not set" },
	{ NULL, 0, false, NULL, NULL },
};

/* tt_kv_fields, then those of the regex mode (as file_lines). */
static const char *const fields[] = { "key", "value", "file", "line", "source",
	"path", "text", "1", "2", "3", "4", "5", "6", "7", "8", "9", NULL };

#define RSYSLOG_CONF "/etc/rsyslog.conf"
#define RSYSLOG_DIR_GLOB "/etc/rsyslog.d/*.conf"

/* What one read of the configuration gives: the directives in order and
 * the files they came from, in the order rsyslogd reads them. */
struct conf {
	struct tt_kvset set;
	struct tt_strv files;
};

static void
conf_destroy(void *p)
{
	struct conf *c = p;

	tt_kvset_free(&c->set);
	tt_strv_free(&c->files);
	free(c);
}

struct load {
	struct tt_audit *a;
	struct conf *conf;
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
	if (tt_include_absent(r, ld->err))
		return 0;
	if (r < 0)
		return r;
	r = tt_strv_add(&ld->conf->files, path);
	if (r == 0)
		r = tt_kv_parse(&here, path, text.data, text.len,
		    TT_KV_RSYSLOG);
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
		r = tt_kv_add(&ld->conf->set, kv->file, kv->line, kv->key,
		    kv->value);
	}
	tt_kvset_free(&here);
	tt_include_pop(&ld->stack);
	return r;
}

/* The configuration as rsyslogd reads it, read once per audit. */
static int
conf_get(struct tt_audit *a, struct conf **ret, char *err, size_t errlen)
{
	struct load ld = { .a = a, .err = err, .errlen = errlen };
	struct conf *conf;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "rsyslog", &data, &cerr)) {
		if (cerr < 0)
			return tt_parse_failed(data, cerr, err, errlen);
		*ret = data;
		return 0;
	}
	if ((conf = calloc(1, sizeof(*conf))) == NULL)
		return -ENOMEM;
	ld.conf = conf;
	r = load_file(&ld, RSYSLOG_CONF);
	/* Without an include directive, the drop-ins still count. */
	if (r == 0 && !ld.included)
		r = load_glob(&ld, RSYSLOG_DIR_GLOB);
	tt_include_clear(&ld.stack);
	if (r < 0) {
		conf_destroy(conf);
		return tt_parse_fail(a, "rsyslog", r, err);
	}
	if ((r = tt_audit_cache_put(a, "rsyslog", conf, conf_destroy, 0)) < 0)
		return r;
	*ret = conf;
	return 0;
}

int
tt_rsyslog_files(struct tt_audit *a, const struct tt_strv **ret, char *err,
    size_t errlen)
{
	struct conf *conf;
	int r;

	if ((r = conf_get(a, &conf, err, errlen)) < 0)
		return r;
	*ret = &conf->files;
	return 0;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const regex_t *re = NULL;
	const char *key = tt_param(p, "key", NULL);
	struct conf *conf;
	int r;

	if ((key == NULL) == (tt_param(p, "regex", NULL) == NULL)) {
		tt_seterr(err, errlen, "give exactly one of key and regex");
		return -EINVAL;
	}
	if ((r = conf_get(a, &conf, err, errlen)) < 0)
		return r;
	if (key != NULL)
		return tt_kv_item(out, &conf->set, key,
		    tt_param(p, "default", NULL), true);
	/* A file included twice is read once here: the lines are the same.
	 * The regex is compiled when there is a file to match. */
	r = 0;
	if (conf->files.n > 0)
		r = tt_param_regex_use(p, "regex", &re, err, errlen);
	for (size_t i = 0; r == 0 && i < conf->files.n; i++) {
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= TT_STREQ(conf->files.v[j], conf->files.v[i]);
		if (!seen)
			r = tt_lines_scan(a, conf->files.v[i], re, false, NULL,
			    out, err, errlen);
	}
	return r;
}

const struct tt_probe tt_probe_rsyslog = {
	.name = "rsyslog",
	.description =
	    "a legacy $Directive of /etc/rsyslog.conf and the "
	    "files it includes (last wins, directives case-insensitive), "
	    "or the lines of those files that match a regex",
	.params = params,
	.fields = fields,
	.run = run,
};
