/*
 * Editing one key of a key/value configuration text, keeping everything
 * else as it is (comments, order, other keys), for the remediation
 * actions: sshd_config, sysctl.d, login.defs, pwquality.conf, journald's
 * [Journal], /etc/default/grub and the like.
 */
#ifndef TT_KVEDIT_H
#define TT_KVEDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

struct tt_kvedit_style {
	const char *sep; /* written between key and value */
	bool nocase; /* keys compare case-insensitively */
	const char *stop_at; /* a keyword that ends the global scope
				   ("Match" for sshd), NULL for none */
	const char *section; /* "[Journal]" for ini files, NULL for none */
	bool quote; /* write the value in double quotes (shell) */
};

/*
 * Writes text with key set to value into out (initialised by the caller):
 * the first active assignment of key in scope is rewritten in place, the
 * other active ones in scope are commented out ("# tattoo: "); with none,
 * "key SEP value" is added at the end of the scope (before stop_at, inside
 * section, creating the section when missing).  A line that already says
 * exactly that is left alone, so setting twice changes nothing.
 * Returns 0 or a negative errno of the buffer.
 */
int tt_kv_set(const char *text, size_t len, const char *key, const char *value,
    const struct tt_kvedit_style *style, struct tt_buf *out);

/* Comments out every active assignment of key (any scope); 0 or errno. */
int tt_kv_unset(const char *text, size_t len, const char *key,
    const struct tt_kvedit_style *style, struct tt_buf *out);

#endif
