/*
 * A growable byte buffer with a hard maximum, as curl's dynbuf: input from a
 * file or the network can never grow memory without bound.  The content is
 * always NUL-terminated (the NUL is not counted in len) so text can be used
 * as a C string, but binary content may hold NULs: use len.
 */
#ifndef TT_BUF_H
#define TT_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct tt_buf {
	char *data; /* NULL until the first append */
	size_t len;
	size_t cap;
	size_t max; /* appends that would exceed this fail with -E2BIG */
};

/* Initialises an empty buffer that may hold at most max bytes. */
void tt_buf_init(struct tt_buf *b, size_t max);

/* Appends; 0, -E2BIG past max (buffer unchanged) or -ENOMEM. */
int tt_buf_append(struct tt_buf *b, const void *data, size_t len);
int tt_buf_puts(struct tt_buf *b, const char *s);
int tt_buf_putc(struct tt_buf *b, char c);
int tt_buf_printf(struct tt_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int tt_buf_vprintf(struct tt_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* Empties the buffer, keeping its memory. */
void tt_buf_reset(struct tt_buf *b);

/* Hands the content to the caller (who frees it) and empties the buffer.
 * Returns "" (allocated) for an empty buffer; NULL only when out of memory. */
char *tt_buf_steal(struct tt_buf *b);

/* Frees the content; the buffer may be reused after tt_buf_init. */
void tt_buf_free(struct tt_buf *b);

/* Like tt_buf_free, but wipes the bytes first (secrets). */
void tt_buf_free_secret(struct tt_buf *b);

#endif
