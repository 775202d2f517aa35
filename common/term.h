/*
 * Text for a terminal: the one sanitiser every text writer goes through.
 *
 * An image, a file, the network and the command line can all put bytes
 * into what tattoo prints: file names, config values, previews, tattoo
 * fields, diff lines.  Sent as they are, an escape sequence, a carriage
 * return or a backspace rewrites what the reader sees (an image could
 * print its own "0 secrets" line over the real one), a C1 control is a
 * one-byte escape to some terminals, and a bidi override reorders a line.
 * So every such byte is shown escaped, visibly, and never passed through:
 *
 *	C0 controls and DEL        \x1b, \x7f; \r, \n and \t as \r \n \t
 *	                           (\n and \t are kept in TT_TERM_LINES text)
 *	C1 controls as raw bytes   \x9b (a byte 0x80-0x9f outside valid UTF-8)
 *	invalid UTF-8              each offending byte as \xHH (overlongs,
 *	                           surrogates, stray continuation bytes, past
 *	                           U+10FFFF, a sequence cut short)
 *	C1 controls as UTF-8       \u0085 (U+0080-U+009F)
 *	bidi and line controls     \u202e: U+061C, U+200E, U+200F, U+2028,
 *	                           U+2029, U+202A-U+202E, U+2066-U+2069
 *
 * Everything else (printable ASCII, valid UTF-8) is copied unchanged, so
 * ordinary output does not change.  A backslash is not doubled: the escape
 * makes output safe to look at, it is not an encoding to parse back (the
 * machine formats carry the exact bytes, with their own escaping).
 *
 * The choice: values are escaped, not finished lines, because the
 * program's own colour codes must survive.  tt_term_printf is the printing
 * helper new code uses: its format string is the program's own (colour
 * codes and the line's layout go there, or in tt_buf_puts of a constant)
 * and every %s and %c argument is escaped as one field, so a value cannot
 * reach the terminal raw by forgetting a call.  Numbers are formatted as
 * printf does.  Text that is all data and meant to be many lines (a diff
 * of image files) goes through tt_term_escape with TT_TERM_LINES.
 *
 * Machine formats (JSON, SARIF, JUnit XML, HTML, Prometheus) do not use
 * this: they escape by their own rules and keep the exact value.
 */
#ifndef TT_TERM_H
#define TT_TERM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#include "buf.h"

/* One field (a name, a value): \n and \t are escaped too, so a value can
 * neither start a line of its own nor shift columns. */
#define TT_TERM_FIELD 0u
/* Multi-line text: \n and \t are kept, every other control escaped. */
#define TT_TERM_LINES 1u

/* The bound of one tt_term_fprintf or tt_term_write output. */
#define TT_TERM_MAX ((size_t)256 * 1024 * 1024)

/*
 * Appends the len bytes of s (NULs included, escaped as \x00) to out,
 * escaped as the table above says.  0, -E2BIG or -ENOMEM (out may then
 * hold part of it).
 */
int
tt_term_escape(struct tt_buf *out, const char *s, size_t len, unsigned flags);

/*
 * Rewrites the C string s, in its buffer of size bytes, to its escaped
 * form, cut at the last whole character or escape that fits (never inside
 * a UTF-8 sequence or an escape).  For fixed buffers (log messages, err
 * strings) on their way to a terminal.  size 0 or s NULL: nothing.
 */
void tt_term_sanitize(char *s, size_t size, unsigned flags);

/*
 * printf into out, with every %s and %c argument escaped as a
 * TT_TERM_FIELD (a NULL %s prints "(null)").  A precision counts bytes of
 * the value, as printf's (so "%.*s", len, buf prints len bytes of buf,
 * each escaped as needed, and a cut sequence shows as \xHH); the width
 * pads the escaped text, in bytes.  Conversions: d i u o x X c s p e E f F g G a A
 * and %%, with the flags, widths (* too) and length modifiers of C11;
 * %n is refused.  0, -EINVAL (a conversion it does not know), -E2BIG or
 * -ENOMEM.
 */
int tt_term_printf(struct tt_buf *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int tt_term_vprintf(struct tt_buf *out, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

/* tt_term_printf to a stdio stream: what commands use instead of printf
 * for any line that carries a value.  0 or a negative errno (-EIO when
 * the stream fails). */
int tt_term_fprintf(FILE *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Writes len bytes of data to f escaped with flags (text built elsewhere
 * that is data through and through, such as a plan's diffs).  0 or a
 * negative errno. */
int tt_term_write(FILE *f, const char *data, size_t len, unsigned flags);

/*
 * Status words (pass, fail, fixed, valid, invalid, error, ...): one colour
 * per word in every command's text output, from one table in term.c, so
 * "fail" is the same red in audit, harden and verify.  Green for a good
 * outcome (pass, fixed, valid, verified, restored, complete), red for a bad
 * one (fail, failed, invalid, still failing, absent), yellow for one that needs a
 * look (error, untrusted, refused, at next boot); other words are not coloured.
 *
 * tt_term_word appends word (escaped as a field) and pads it with spaces
 * to width bytes; the colour codes wrap the word alone, the padding is
 * outside them, so columns line up with colour as without.  color is the
 * caller's tt_ctx color (false under NO_COLOR, --no-color, or when
 * standard output is not a terminal): without it the output is exactly
 * "%-*s".  0, -E2BIG or -ENOMEM.
 */
int tt_term_word(struct tt_buf *out, bool color, const char *word, int width);

/* tt_term_word to a stdio stream.  0 or a negative errno. */
int tt_term_fword(FILE *f, bool color, const char *word, int width);

/* The SGR sequence tt_term_word puts before word ("" for none). */
const char *tt_term_word_sgr(const char *word);

#endif
