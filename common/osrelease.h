/*
 * os-release(5): KEY=value lines, values optionally in double or single
 * quotes, shell-style backslash escapes, "#" comments.  /etc/os-release is
 * read first and /usr/lib/os-release when it is missing, inside the root.
 */
#ifndef TT_OSRELEASE_H
#define TT_OSRELEASE_H

#include <stddef.h>

#include "rootfs.h"

#define TT_OSRELEASE_MAX_VARS 64

struct tt_osrelease {
	size_t n;
	char *keys[TT_OSRELEASE_MAX_VARS];
	char *values[TT_OSRELEASE_MAX_VARS];
	char source[64]; /* which file was read */
};

/* Parses text; later assignments of a key replace earlier ones.  Lines that
 * are not assignments are skipped, as systemd does.  0 or -ENOMEM. */
int tt_osrelease_parse(struct tt_osrelease *ret, const char *text, size_t len);

/* Reads the root's os-release.  -ENOENT when neither file exists. */
int tt_osrelease_load(struct tt_osrelease *ret, const struct tt_root *root);

/* The value of key, or NULL when unset. */
const char *tt_osrelease_get(const struct tt_osrelease *os, const char *key);

/* Frees the content; accepts a zeroed struct. */
void tt_osrelease_free(struct tt_osrelease *os);

#endif
