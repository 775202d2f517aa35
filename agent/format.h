/*
 * Output formats of `tattoo audit` and `tattoo scrub`: writers that take
 * the command's own JSON document (DESIGN.md "Outputs": the audit shape
 * with "summary" and "results", the scrub shape with "summary" and
 * "findings") and append another rendering of it to a tt_buf.  A command
 * builds its JSON once, looks the --format name up here and calls the
 * writer for its kind of document; tt_format_emit then writes the buffer
 * to stdout or, with --output, atomically to a file.
 *
 *	const struct tt_format *f = tt_format_find(name);
 *	if (f == NULL || f->audit == NULL)   -> usage error, list tt_formats
 *	struct tt_format_input in = { .doc = doc, .tattoo = t, .drift = d };
 *	tt_buf_init(&out, TT_FORMAT_MAX_BYTES);
 *	r = f->audit(&in, &out, err, sizeof(err));   (-EINVAL: err says why)
 *	if (r == 0) r = tt_format_emit(output, &out); (NULL or "-": stdout)
 *	tt_buf_free(&out);
 *
 * "text" is not here: it is for people and stays with each command
 * (colour, terminal width).  Writers neither print nor log.
 */
#ifndef TT_FORMAT_H
#define TT_FORMAT_H

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
	time_t now; /* for the tattoo's age; 0 means time(NULL) */
	/*
	 * Optional, read by the html writer of an audit only: a scrub
	 * document whose findings the report shows after the rules, so one
	 * file holds a whole image build's evidence.
	 */
	json_object *scrub;
};

/*
 * A writer appends the rendering of in->doc to out.  Returns 0; -EINVAL
 * when the document lacks what the format needs (err names the field,
 * e.g. "results[3].id: missing or not a string"); -E2BIG or -ENOMEM from
 * the buffer.  out may hold a partial rendering after a failure.
 */
typedef int (*tt_format_fn)(const struct tt_format_input *in,
    struct tt_buf *out, char *err, size_t errlen);

struct tt_format {
	const char *name; /* the --format value */
	const char *description; /* one line for usage texts */
	tt_format_fn audit; /* for audit documents; NULL: not offered */
	tt_format_fn scrub; /* for scrub documents; NULL: not offered */
};

/* Every format, in the order usage texts list them. */
extern const struct tt_format tt_formats[];
extern const size_t tt_formats_count;

/* The format called name ("junit", "sarif", "html", "prom", "json"), or
 * NULL when there is none. */
const struct tt_format *tt_format_find(const char *name);

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
int tt_format_prom_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen);

#endif
