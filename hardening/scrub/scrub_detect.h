/*
 * Validators: what must hold around a keyword hit for it to be a secret
 * (hardening/scrub/detectors.json names one per detector).  Each looks only
 * at the bytes the scanner hands it, which hold at least
 * TT_DETECT_BEFORE bytes before the keyword and TT_DETECT_AFTER after it
 * (less only at the start or end of the file), and says where the secret
 * is.  Nothing here allocates more than a decoded token, and every copy of
 * a secret is wiped before it is freed.
 */
#ifndef TT_SCRUB_DETECT_H
#define TT_SCRUB_DETECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scrub_catalog.h"

#define TT_DETECT_BEFORE ((size_t)1024)
#define TT_DETECT_AFTER ((size_t)65536)

/*
 * Runs d's validator for keyword kw (an index into d->keywords) found at
 * buf[kpos..kpos+klen).  True when it is a secret, with its place in
 * *ret_start and *ret_len (inside buf).
 */
bool tt_detect(const struct tt_detector *d, size_t kw, const uint8_t *buf,
    size_t len, size_t kpos, size_t klen, size_t *ret_start, size_t *ret_len);

/* Helpers, exported for the tests. */

/* Shannon entropy of s in bits per byte. */
double tt_entropy(const uint8_t *s, size_t n);

/* True when s looks like a placeholder or example ("${VAR}", "{{ var }}",
 * "<your-token>", "changeme", "example", "xxxx"). */
bool tt_placeholder(const uint8_t *s, size_t n);

/* CRC-32 (IEEE 802.3), as zlib's crc32(0, s, n). */
uint32_t tt_crc32(const uint8_t *s, size_t n);

/* The 6 base62 characters (0-9A-Za-z) of a GitHub token's checksum. */
void tt_github_checksum(const uint8_t *s, size_t n, char out[7]);

/*
 * Decodes base64 (standard or URL alphabet, padding optional) of in into
 * out.  Returns the decoded length, or -1 for a byte outside the alphabet,
 * a misplaced '=' or out too small.
 */
long tt_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t outsize);

#endif
