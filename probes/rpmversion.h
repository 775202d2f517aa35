/*
 * rpm package versions compared as rpm compares them (lib/rpmvercmp.c:
 * rpmvercmp, and rpmVersionCompare's epoch, version, release order):
 * alternating runs of digits and of ASCII letters, other characters only
 * separating them; digit runs as numbers (leading zeros dropped, more
 * digits newer), letter runs by strcmp, a digit run newer than a letter
 * run; '~' older than everything, even the end; '^' newer than the end
 * but older than any other run.
 */
#ifndef TT_RPMVERSION_H
#define TT_RPMVERSION_H

/* <0, 0 or >0 as version (or release) a is older than, the same as or
 * newer than b. */
int tt_rpm_vercmp(const char *a, const char *b);

/* The same for epoch, version and release together: an epoch that is
 * empty or NULL is 0; one that is not a number compares as its text
 * (an image's metadata is not trusted to be well formed, and this must
 * still be a total order). */
int
tt_rpm_evrcmp(const char *epoch_a, const char *version_a, const char *release_a,
    const char *epoch_b, const char *version_b, const char *release_b);

#endif
