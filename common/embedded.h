/*
 * Data compiled into the binary (tools/embed.sh): the rule packs of
 * hardening/rules and the scrub catalogues of hardening/scrub, so that the
 * agent works with nothing but itself installed.
 */
#ifndef TT_EMBEDDED_H
#define TT_EMBEDDED_H

#include <stddef.h>

struct tt_embedded_file {
	const char *name; /* base name, e.g. "debian12.json" */
	const unsigned char *data; /* followed by a NUL byte */
	unsigned long size;
	const unsigned char *sha256; /* 32 bytes: the digest of data */
};

/* The table, ended by an entry whose name is NULL. */
extern const struct tt_embedded_file tt_embedded_files[];

/* The embedded file of that base name, or NULL. */
const struct tt_embedded_file *tt_embedded_find(const char *name);

#endif
