/*
 * Compiled regular expressions shared by every holder of the same pattern
 * and flags.  A rule pack repeats its patterns: the debian12 pack's
 * cis-l2-server profile compiles 321 regexes of 176 different ones
 * ("-F[[:space:]]*auid>=1000" 61 times), and glibc's regcomp was a fifth
 * of an audit's CPU under the sanitizers.  Each holder takes a reference
 * and gives it back; the last one frees the expression, so a pack freed is
 * freed whole (LeakSanitizer sees nothing left).  Safe to call from
 * several threads; regexec on a shared expression is too (glibc locks
 * it).
 */
#ifndef TT_REGEX_CACHE_H
#define TT_REGEX_CACHE_H

#include <regex.h>
#include <stddef.h>

/*
 * *ret gets the compiled pattern with regcomp's cflags, shared with the
 * earlier holders of the same pattern and flags, or compiled now.  0;
 * -EINVAL with regerror's text in why for a pattern regcomp refuses
 * (*ret NULL); -ENOMEM.
 */
int tt_regex_get(const char *pattern, int cflags, regex_t **ret, char *why,
    size_t whylen);

/* Gives back a reference tt_regex_get gave (NULL: nothing). */
void tt_regex_put(regex_t *re);

#endif
