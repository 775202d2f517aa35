/*
 * The one JSON reader for everything tattoo parses (tattoos, packs,
 * journals, status.json, IMDS answers): json-c with the limits and
 * refusals a digest and a hostile input need.
 */
#ifndef TT_JSON_H
#define TT_JSON_H

#include <stddef.h>

#include <json-c/json.h>

#define TT_JSON_MAX_DEPTH 64

/*
 * Parses text as one JSON value with a depth limit, refusing trailing
 * garbage, duplicate keys and keys holding NUL (json-c would keep only one
 * of the duplicates, or cut the key, so two texts could share a digest).
 * Returns the object (caller puts it) or NULL with a reason in
 * err: json-c's message and the byte offset.
 */
json_object *
tt_json_parse(const char *text, size_t len, char *err, size_t errlen);

#endif
