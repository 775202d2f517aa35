/* RFC 3339 timestamps, always written in UTC with a "Z". */
#ifndef TT_TIMEUTIL_H
#define TT_TIMEUTIL_H

#include <stddef.h>
#include <time.h>

#define TT_RFC3339_LEN 21 /* "2026-11-24T06:22:51Z" and the NUL */
/* 9999-12-31T23:59:59Z: the last time with a four-digit year. */
#define TT_RFC3339_MAX ((time_t)253402300799LL)

/* Parses "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM)" (a space or "t" for
 * the "T" as RFC 3339 allows); fractions are dropped.  0 or -EINVAL, also
 * for a time before 1970 or after TT_RFC3339_MAX once the offset is
 * applied. */
int tt_rfc3339_parse(const char *s, time_t *ret);

/* Formats t as UTC into out (TT_RFC3339_LEN bytes), clamped to
 * [1970, TT_RFC3339_MAX]: out is always 20 characters and a NUL. */
void tt_rfc3339_format(time_t t, char *out);

#endif
