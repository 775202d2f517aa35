/*
 * Helpers shared by the format writers (format_*.c), not by commands:
 * reading the audit and scrub documents leniently where a field is
 * optional and strictly where a format needs it, and escaping text for
 * XML/HTML and Prometheus labels.
 */
#ifndef TT_FORMAT_UTIL_H
#define TT_FORMAT_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "buf.h"

/* Result values of an audit rule, in the order reports list them. */
enum tt_fmt_result {
	TT_FMT_PASS,
	TT_FMT_FAIL,
	TT_FMT_ERROR,
	TT_FMT_NOTAPPLICABLE,
	TT_FMT_MANUAL,
	TT_FMT_NRESULTS,
};
extern const char *const tt_fmt_result_names[TT_FMT_NRESULTS];

/* Severities, in the order reports list them. */
extern const char *const tt_fmt_severity_names[3];

/* Member key of o as a string: its string value, the JSON text of a
 * number or boolean, or "" when absent, null, an object or an array. */
const char *tt_fmt_str(json_object *o, const char *key);

/* Member key of o as an integer; def when absent or not a number. */
int64_t tt_fmt_int(json_object *o, const char *key, int64_t def);

/* Member key of o when it is an array; NULL otherwise. */
json_object *tt_fmt_array(json_object *o, const char *key);

/*
 * Checks an audit document: "results" an array of objects, each with a
 * string "id" and a "result" among tt_fmt_result_names.  0 or -EINVAL with
 * the field named in err.
 */
/*
 * The evidence members of a document (evidence.h): generated_at, the
 * benchmark, and the tattoo's image, version and signature word; "" for
 * what is absent (signature "absent" when there is no "tattoo" member
 * at all is not assumed: "" then).
 */
struct tt_fmt_evidence {
	const char *generated_at, *benchmark, *image, *version, *signature;
};
void tt_fmt_evidence_of(json_object *doc, struct tt_fmt_evidence *ev);

int tt_fmt_check_audit(json_object *doc, char *err, size_t errlen);

/* Checks a scrub document: "findings" an array of objects, each with
 * string "kind", "detector" and "path".  0 or -EINVAL. */
int tt_fmt_check_scrub(json_object *doc, char *err, size_t errlen);

/* The result of an audit result object (checked beforehand). */
enum tt_fmt_result tt_fmt_result_of(json_object *res);

/* Index of the rule's severity in tt_fmt_severity_names, -1 if none. */
int tt_fmt_severity_of(json_object *res);

/*
 * The file an audit result is about: "path" of the result, else "path" in
 * its "params", "check.params" or "fix.params", else the first absolute
 * path in "found" (then "expected").  Copied to out (size outlen);
 * false when there is none.
 */
bool tt_fmt_rule_path(json_object *res, char *out, size_t outlen);

/* The section a result belongs to: its "section" when given, else the
 * first number of its CIS reference ("5.2.10" -> "5"), else "other". */
void tt_fmt_section(json_object *res, char *out, size_t outlen);

/* The score: summary.score, else pass / (pass + fail + error) * 100. */
double tt_fmt_score(json_object *doc, const int64_t counts[TT_FMT_NRESULTS]);

/* Counts results by tt_fmt_result. */
void tt_fmt_count(json_object *results, int64_t counts[TT_FMT_NRESULTS]);

/*
 * Appends s escaped for XML 1.0 and HTML text (attr: attribute values in
 * double quotes, where tab and line ends become character references so
 * that attribute normalisation keeps them).  Characters XML 1.0 cannot
 * carry at all (C0 controls but tab and line ends, U+FFFE, U+FFFF) and
 * bytes that are not UTF-8 become U+FFFD.
 */
int tt_fmt_xml(struct tt_buf *b, const char *s, bool attr);

/* Appends s as a Prometheus label value: \\, \" and \n escaped; other C0
 * controls but tab, DEL and invalid UTF-8 replaced by U+FFFD (the format
 * has no escape for them). */
int tt_fmt_prom_label(struct tt_buf *b, const char *s);

/* Length of the valid UTF-8 sequence at s (1 to 4; at most n bytes) and
 * its code point in cp, or 0 when s does not start one. */
size_t tt_fmt_utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* The age in seconds of the tattoo's image.published at now, or -1 when
 * absent or unparsable. */
int64_t tt_fmt_tattoo_age(json_object *tattoo, time_t now);

#endif
