/*
 * Output formats of `tattoo audit`, `tattoo scrub` and `tattoo rules`,
 * text included: the
 * one table that answers "which formats exist", with writers that take
 * the command's own JSON document (DESIGN.md "Outputs": the audit shape
 * with "summary" and "results", the scrub shape with "summary" and
 * "findings") and append a rendering of it to a tt_buf.  A command builds
 * its JSON once, looks the --format name up here and has the writer for
 * its kind of document render it; tt_format_emit then writes the buffer
 * to stdout or, with --output, atomically to a file.
 *
 *	f = tt_format_lookup(name, TT_FORMAT_AUDIT, err, sizeof(err));
 *	if (f == NULL)                       -> usage error: print err
 *	struct tt_format_input in = { .doc = doc, .tattoo = t, .drift = d };
 *	tt_buf_init(&out, TT_FORMAT_MAX_BYTES);
 *	r = tt_format_write(f, TT_FORMAT_AUDIT, &in, &out, err, sizeof(err));
 *	if (r < 0)                           -> print err ("format junit: ...")
 *	if (r == 0) r = tt_format_emit(output, &out); (NULL or "-": stdout)
 *	tt_buf_free(&out);
 *
 * A new format is one writer and one row of tt_formats (format.c): the
 * usage texts (tt_format_usage) and the "unknown format" error list the
 * names from the table.  Writers neither print nor log.
 */
#ifndef TT_FORMAT_H
#define TT_FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"

/* A sensible cap for the output buffer of any format. */
#define TT_FORMAT_MAX_BYTES ((size_t)256 * 1024 * 1024)

struct tt_format_input {
	json_object *doc; /* the audit or scrub document; required */
	json_object *tattoo; /* the tattoo (tattoo.h), or NULL when absent */
	/*
	 * Drift flags, or NULL: an object whose boolean members are flags
	 * ({"os_changed": false, "image_mismatch": true, "stale": false});
	 * members that are not booleans are ignored.
	 */
	json_object *drift;
	/*
	 * The gallery check of the last report, or NULL: {"status":
	 * "latest"|"outdated"|"eol"|"unknown", "version", "latest", ...}
	 * (report.h); read by the prom writer.
	 */
	json_object *image;
	time_t now; /* for the tattoo's age; 0 means time(NULL) */
	/*
	 * Optional, read by the html writer of an audit only: a scrub
	 * document whose findings the report shows after the rules, so one
	 * file holds a whole image build's evidence.
	 */
	json_object *scrub;
	/* Read by the text writers only: text is for a terminal. */
	bool color; /* ANSI colours (standard output is a terminal) */
	bool verbose; /* -v: audit, passing rules too; scrub, the files not
		       * scanned */
};

/*
 * A writer appends the rendering of in->doc to out.  Returns 0; -EINVAL
 * when the document lacks what the format needs (err names the field,
 * e.g. "results[3].id: missing or not a string"); -E2BIG or -ENOMEM from
 * the buffer.  out may hold a partial rendering after a failure.
 */
typedef int (*tt_format_fn)(const struct tt_format_input *in,
    struct tt_buf *out, char *err, size_t errlen);

/* The kind of document a command renders: which column of the table. */
enum tt_format_kind {
	TT_FORMAT_AUDIT,
	TT_FORMAT_SCRUB,
	TT_FORMAT_RULES, /* `tattoo rules`: its list or one rule */
};

struct tt_format {
	const char *name; /* the --format value */
	const char *description; /* one line for usage texts (<= 48 chars) */
	tt_format_fn audit; /* for audit documents; NULL: not offered */
	tt_format_fn scrub; /* for scrub documents; NULL: not offered */
	tt_format_fn rules; /* for `tattoo rules`; NULL: not offered */
};

/* The --format of audit and scrub when none is given ("text" there). */
#define TT_FORMAT_DEFAULT "text"

/* Every format, in the order usage texts list them. */
extern const struct tt_format tt_formats[];
extern const size_t tt_formats_count;

/* The format called name ("text", "json", "junit", "sarif", "html",
 * "prom"), or NULL when there is none. */
const struct tt_format *tt_format_find(const char *name);

/* The writer of f for kind; NULL when f does not offer it. */
tt_format_fn
tt_format_writer(const struct tt_format *f, enum tt_format_kind kind);

/*
 * The format called name when it offers kind; else NULL with the usage
 * error in err: "unknown format 'yaml' (text, json, junit, sarif, html,
 * prom)", the names of the formats that offer kind.
 */
const struct tt_format *tt_format_lookup(const char *name,
    enum tt_format_kind kind, char *err, size_t errlen);

/*
 * Renders in with f's writer for kind.  0, or the writer's negative errno
 * with err saying which format failed and why, ready to print after the
 * command's name: "format junit: results[3].id: missing or not a string"
 * (the writer's reason for -EINVAL, tt_strerror otherwise).
 */
int tt_format_write(const struct tt_format *f, enum tt_format_kind kind,
    const struct tt_format_input *in, struct tt_buf *out, char *err,
    size_t errlen);

/*
 * A command's usage text from tmpl, with "@FORMATS@" replaced by the
 * formats that offer kind: their names ("text (default), json, ...") and,
 * on the lines after it, each name and description, indented to the
 * column of the token (plus two).  Cut to fit outlen; -E2BIG when cut,
 * so a test notices a buffer too small.
 */
int tt_format_usage(char *out, size_t outlen, const char *tmpl,
    enum tt_format_kind kind);

/*
 * Writes a rendering where --output says: standard output when output is
 * NULL or "-", else the host path output (not inside --root: results leave
 * the image they describe), atomically with mode 0644, so that a textfile
 * collector or a pipeline never reads half a file and a failed run leaves
 * the previous file intact.  0 or a negative errno.
 */
int tt_format_emit(const char *output, const struct tt_buf *out);

/*
 * Appends doc pretty-printed, with a final newline, as valid UTF-8 JSON:
 * json-c escapes control characters, and a byte that is not part of valid
 * UTF-8 (a file name from an image) becomes U+FFFD, as in the SARIF and
 * XML writers.  0, -ENOMEM or -E2BIG.
 */
int tt_format_json_text(json_object *doc, struct tt_buf *out);

/* The writers, for callers that do not go through the table. */
int tt_format_text_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_text_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_json_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_json_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_junit_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_junit_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_sarif_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_sarif_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_html_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_html_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_prom_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_text_rules(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_json_rules(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);
int tt_format_prom_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);

#endif
