/*
 * The formats of `tattoo audit --format` (this table) as opposed to the
 * writers behind them (format.h, shared with scrub): text is the audit's
 * own (audit_format_text.c), the others go through format.h.  Each takes
 * the audit document (tt_audit_run's JSON, DESIGN.md's "Outputs" shape)
 * and appends its rendering to out; a new format is one writer and one
 * line in tt_audit_formats (audit_formats.c).  Writers do not print: the
 * command writes out where asked.
 */
#ifndef TT_AUDIT_FORMATS_H
#define TT_AUDIT_FORMATS_H

#include <stdbool.h>

#include <json-c/json.h>

#include "buf.h"

#define TT_AUDIT_FORMAT_MAX ((size_t)64 * 1024 * 1024)

struct tt_audit_format_opts {
	bool color; /* ANSI colours (text on a terminal) */
	bool verbose; /* text: list passing rules too */
	json_object *tattoo; /* html, prom: the image's tattoo, or NULL */
	json_object *drift; /* html, prom: the last report's drift, or NULL */
};

typedef int (*tt_audit_format_fn)(json_object *doc, struct tt_buf *out,
    const struct tt_audit_format_opts *opts);

struct tt_audit_format {
	const char *name;
	tt_audit_format_fn write;
	const char *description;
};

/* Every format, ended by a NULL name. */
extern const struct tt_audit_format tt_audit_formats[];

/* The format of that name, or NULL. */
const struct tt_audit_format *tt_audit_format_find(const char *name);

/* Text for people: grouped by CIS section, failures with what was found
 * and expected, a summary and the score. */
int tt_audit_format_text(json_object *doc, struct tt_buf *out,
    const struct tt_audit_format_opts *opts);

#endif
