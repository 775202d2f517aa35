#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "path", TT_PARAM_STRING, true, NULL, "a path or glob" },
	{ "regex", TT_PARAM_REGEX, true, NULL,
	    "POSIX ERE matched against each line" },
	{ "comments", TT_PARAM_BOOL, false, NULL,
	    "also match comment lines (default false)" },
	{ "nocase", TT_PARAM_BOOL, false, NULL, "case-insensitive regex" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "path", "line", "text", "1", "2", "3",
	"4", "5", "6", "7", "8", "9", NULL };

static int
scan(struct tt_audit *a, const char *path, const regex_t *re, bool comments,
    struct tt_items *out, char *err, size_t errlen)
{
	struct tt_buf text;
	struct tt_lines l;
	char *line;
	size_t lineno;
	int r;

	r = tt_probe_read(a, path, &text);
	if (r == -ENOENT || r == -EISDIR || r == -TT_ENOTREG || r == -ENOTDIR)
		return 0;
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if ((line = malloc(TT_PROBE_LINE_MAX)) == NULL) {
		tt_buf_free(&text);
		return -ENOMEM;
	}
	tt_lines_init(&l, text.data, text.len);
	while (r == 0 &&
	    tt_lines_next(&l, line, TT_PROBE_LINE_MAX, false, &lineno) > 0) {
		regmatch_t m[10];
		struct tt_item *it;

		if (!comments && tt_is_comment(line))
			continue;
		if (regexec(re, line, 10, m, 0) != 0)
			continue;
		if ((r = tt_items_add(out, &it)) < 0 ||
		    (r = tt_item_set(it, "path", path)) < 0 ||
		    (r = tt_item_setf(it, "line", "%zu", lineno)) < 0 ||
		    (r = tt_item_set(it, "text", line)) < 0)
			break;
		for (int g = 1; r == 0 && g < 10; g++) {
			if (m[g].rm_so < 0)
				continue;
			r = tt_item_setf(it, fields[2 + g], "%.*s",
			    (int)(m[g].rm_eo - m[g].rm_so), line + m[g].rm_so);
		}
	}
	free(line);
	tt_buf_free(&text);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv paths = { 0 };
	const char *pattern = tt_param(p, "path", "");
	const regex_t *re = tt_param_regex(p, "regex");
	int r;

	if (pattern[0] != '/' || re == NULL) {
		tt_seterr(err, errlen, "path '%s' is not absolute", pattern);
		return -EINVAL;
	}
	err[0] = '\0';
	if ((r = tt_probe_glob(a, pattern, &paths, err, errlen)) < 0 &&
	    err[0] == '\0')
		tt_seterr(err, errlen, "cannot expand '%s': too many matches",
		    pattern);
	for (size_t i = 0; r == 0 && i < paths.n; i++)
		r = scan(a, paths.v[i], re, tt_param_bool(p, "comments", false),
		    out, err, errlen);
	tt_strv_free(&paths);
	return r;
}

const struct tt_probe tt_probe_file_lines = {
	.name = "file_lines",
	.description = "the lines of the files matching a glob that match a "
		       "regular expression, with its capture groups",
	.params = params,
	.fields = fields,
	.run = run,
};
