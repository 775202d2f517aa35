/*
 * Audit output writers.  Each takes the audit document (tt_audit_run's
 * JSON, DESIGN.md's "Outputs" shape) and appends its rendering to out; a
 * new format is one writer function and one line in tt_output_formats
 * (output.c).  Writers do not print: the command writes out where asked.
 */
#ifndef TT_OUTPUT_H
#define TT_OUTPUT_H

#include <stdbool.h>

#include <json-c/json.h>

#include "buf.h"

#define TT_OUTPUT_MAX ((size_t)64 * 1024 * 1024)

struct tt_output_opts {
	bool color; /* ANSI colours (text on a terminal) */
	bool verbose; /* text: list passing rules too */
	json_object *tattoo; /* html, prom: the image's tattoo, or NULL */
	json_object *drift; /* html, prom: the last report's drift, or NULL */
};

typedef int (*tt_output_fn)(json_object *doc, struct tt_buf *out,
    const struct tt_output_opts *opts);

struct tt_output_format {
	const char *name;
	tt_output_fn write;
	const char *description;
};

/* Every format, ended by a NULL name. */
extern const struct tt_output_format tt_output_formats[];

/* The format of that name, or NULL. */
const struct tt_output_format *tt_output_find(const char *name);

/* Text for people: grouped by CIS section, failures with what was found
 * and expected, a summary and the score. */
int tt_output_text(json_object *doc, struct tt_buf *out,
    const struct tt_output_opts *opts);

/* The document itself, pretty-printed, with a final newline. */
int tt_output_json(json_object *doc, struct tt_buf *out,
    const struct tt_output_opts *opts);

#endif
