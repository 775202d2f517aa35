/*
 * What makes an audit or scrub document evidence: when it was made and
 * which image it is about.  tt_evidence_add puts into the command's
 * document, before any writer renders it (so every format carries the
 * same facts, the JSON one included):
 *
 *	"generated_at": "2026-12-05T05:00:00Z"      (RFC 3339, UTC)
 *	"tattoo": {"image": NAME, "version": VERSION,
 *	           "signature": WORD, "digest": "sha256:..."}
 *
 * WORD is the fleet's word for the verification (tattoo.h
 * tt_verify_word: "valid", "unsigned", "untrusted", "invalid", or without
 * trusted keys "digest-ok"), or "absent" when the image has no tattoo
 * (then "tattoo" holds only "signature").  The benchmark and its version
 * are the audit document's own "benchmark" (the pack's string).
 */
#ifndef TT_EVIDENCE_H
#define TT_EVIDENCE_H

#include <time.h>

#include <json-c/json.h>

struct tt_root;

/*
 * Adds the members above to doc (replacing any), reading root's tattoo
 * and verifying it with the keys of trusted_keys (a config list; may be
 * "").  *tattoo gets the loaded tattoo (or NULL) for the writers that
 * show it whole (html, prom); the caller puts it.  now 0: time(NULL).
 * why gets a note when the keys could not be read (the word is then the
 * keyless one).  0 or -ENOMEM.
 */
int tt_evidence_add(json_object *doc, const struct tt_root *root,
    const char *trusted_keys, time_t now, json_object **tattoo, char *why,
    size_t whylen);

#endif
