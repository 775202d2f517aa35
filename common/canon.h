/*
 * Canonical JSON, the bytes a tattoo's digest is computed over: object keys
 * sorted by their UTF-8 bytes (which is code point order), no insignificant
 * white space, strings escaped minimally (\" \\ \b \f \n \r \t, other
 * control characters as \u00XX, everything else as raw UTF-8), integers in
 * decimal.  A number with a fraction is kept only with at most one decimal
 * and no exponent, in its shortest form: 61.1, 100 (for 100.0), 0 (for 0.0
 * and -0.0); any other (1.25, 1e2, NaN, Infinity) is refused, having no
 * one text.  A tattoo's baseline.score (0-100, tenths) is such a number;
 * tattoos before it had the score as a string, which canonicalises as it
 * always did, so their digest and signature still hold.
 */
#ifndef TT_CANON_H
#define TT_CANON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "buf.h"
#include "json.h"

/*
 * Appends the canonical form of obj to out.  Returns 0; -EILSEQ for a
 * string that is not valid UTF-8; -EDOM for a number with a fraction the
 * canonical form has no text for (more than one decimal, an exponent);
 * -ELOOP past TT_JSON_MAX_DEPTH levels; -E2BIG or -ENOMEM from the buffer.
 */
int tt_canon_json(json_object *obj, struct tt_buf *out);

/* The longest canonical number: "-", 15 digits, ".", one, NUL. */
#define TT_CANON_NUMBER_MAX 20

/*
 * The canonical text of a number with a fraction (a json-c double, read by
 * its text: json_object_new_double_s gives one): 0, or -EDOM when it has
 * more than one decimal, an exponent, more than 15 integer digits, or is
 * NaN or Infinity.
 */
int tt_canon_number(json_object *num, char out[TT_CANON_NUMBER_MAX]);

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool tt_utf8_valid(const char *s, size_t len);

#endif
