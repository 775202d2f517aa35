/*
 * Several outputs of one result: `tattoo audit --output FORMAT:FILE`,
 * repeatable, so that a pipeline gets its gate (JUnit) and its evidence
 * (HTML, JSON) from one audit, with one generated_at and the same
 * verdicts in every file, instead of auditing once per format.
 *
 *	struct tt_outputs o;
 *	tt_outputs_init(&o, TT_FORMAT_AUDIT);
 *	for each --output ARG:
 *		r = tt_outputs_add(&o, ARG, err, sizeof(err));
 *		-EINVAL -> usage error: print err; -ENOMEM
 *	r = tt_outputs_finish(&o, format, format_given, err, sizeof(err));
 *		-EINVAL -> usage error (unknown format, same file twice)
 *	failed = tt_outputs_write(&o, &in);
 *	for each o.v[i] with o.v[i].error < 0: print o.v[i].why
 *	tt_outputs_free(&o);
 *
 * An argument is FORMAT:FILE when it holds a ':' before any '/'
 * ("html:/tmp/a.html", "json:out.json"); otherwise it is a plain FILE
 * ("/tmp/a:b", "./a:b", "-"), which takes --format's format; at most one
 * plain FILE.  A FILE of "-" is standard output.
 *
 * Standard output gets --format's output when there is no plain FILE and
 * either no FORMAT:FILE either (the command's output as without
 * --output) or --format was given: an explicit --format is never
 * dropped silently.
 *
 * Writers neither print nor log: each failure stays in its output's
 * error and why, and the others are still written.
 */
#ifndef TT_OUTPUTS_H
#define TT_OUTPUTS_H

#include <stdbool.h>
#include <stddef.h>

#include "format.h"

struct tt_output {
	const struct tt_format *fmt; /* NULL until tt_outputs_finish for
				      * the plain FILE */
	const char *path; /* a host path (the argument's), or NULL:
			   * standard output */
	bool plain; /* given without FORMAT: */
	int error; /* after tt_outputs_write: 0 or a negative errno */
	char why[512]; /* when error < 0: "cannot write 'F': reason" or
			* "'F': format junit: reason", without 'F': for
			* standard output) */
};

struct tt_outputs {
	enum tt_format_kind kind;
	struct tt_output *v;
	size_t n;
	size_t cap;
};

void tt_outputs_init(struct tt_outputs *o, enum tt_format_kind kind);

/*
 * Adds one --output argument (kept by pointer: it must outlive o).  0;
 * -EINVAL with the usage error in err: a FORMAT that is not a format of
 * o->kind ("--output 'yaml:x': unknown format 'yaml'; did you mean ...
 * (text, json, ...)"), an empty FILE, a second plain FILE; -ENOMEM.
 */
int
tt_outputs_add(struct tt_outputs *o, const char *arg, char *err, size_t errlen);

/*
 * Completes the list once the options are parsed: the plain FILE takes
 * format (--format's value, or TT_FORMAT_DEFAULT when NULL), and standard
 * output gets format as said above (format_given: --format was on the
 * command line).  0; -EINVAL with the usage error in err for an unknown
 * format or the same file named twice; -ENOMEM.
 */
int tt_outputs_finish(struct tt_outputs *o, const char *format,
    bool format_given, char *err, size_t errlen);

/*
 * Renders in once per output, in the order given, and writes each with
 * tt_format_emit (a file atomically).  Colour only for standard output.
 * Returns how many outputs failed; each failure is in its error and why.
 */
size_t tt_outputs_write(struct tt_outputs *o, const struct tt_format_input *in);

void tt_outputs_free(struct tt_outputs *o);

#endif
