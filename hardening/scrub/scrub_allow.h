/*
 * The scrub allowlist (--allowlist FILE): reviewed findings that must stop
 * failing a pipeline.  One entry a line, '#' starts a comment:
 *
 *   fingerprint sha256:3f1a...  (as findings show it, or the 64 hex
 *                         digits alone: a secret wherever it is)
 *   path /opt/app/test/[*] (a glob: every finding in matching files;
 *                          here written [*]; '*' also matches '/')
 *
 * Errors name the file and line: "allow.txt:3: fingerprint: not 64 hex
 * digits".
 */
#ifndef TT_SCRUB_ALLOW_H
#define TT_SCRUB_ALLOW_H

#include <stdbool.h>
#include <stddef.h>

#define TT_ALLOW_MAX_ENTRIES 100000
#define TT_ALLOW_MAX_LINE 4096

struct tt_allowlist {
	char (*fingerprints)[65];
	size_t nfingerprints;
	char **paths;
	size_t npaths;
};

/* Parses text (name for messages).  0; -EINVAL with err "name:line: why";
 * -ENOMEM.  On failure al is empty. */
int tt_allowlist_parse(struct tt_allowlist *al, const char *name,
    const char *text, size_t len, char *err, size_t errlen);

/* True when a finding at path with fingerprint (NULL for none) is
 * allowed. */
bool tt_allowlist_match(const struct tt_allowlist *al, const char *path,
    const char *fingerprint);

void tt_allowlist_free(struct tt_allowlist *al);

#endif
