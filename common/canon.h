/*
 * Canonical JSON, the bytes a tattoo's digest is computed over: object keys
 * sorted by their UTF-8 bytes (which is code point order), no insignificant
 * white space, strings escaped minimally (\" \\ \b \f \n \r \t, other
 * control characters as \u00XX, everything else as raw UTF-8), integers in
 * decimal.  Floating point numbers are refused: their text is not unique.
 */
#ifndef TT_CANON_H
#define TT_CANON_H

#include <stdbool.h>

#include <json-c/json.h>

#include "buf.h"
#include "json.h"

/*
 * Appends the canonical form of obj to out.  Returns 0; -EILSEQ for a
 * string that is not valid UTF-8; -EDOM for a floating point number;
 * -ELOOP past TT_JSON_MAX_DEPTH levels; -E2BIG or -ENOMEM from the buffer.
 */
int tt_canon_json(json_object *obj, struct tt_buf *out);

/* True when s[0..len) is valid UTF-8 (no overlongs, no surrogates). */
bool tt_utf8_valid(const char *s, size_t len);

#endif
