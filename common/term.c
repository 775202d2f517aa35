#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "term.h"
#include "tt.h"

/* Code points that are valid UTF-8 but still steer a terminal or the
 * order of a line: C1 controls, bidi marks, embeddings, overrides and
 * isolates, and the Unicode line and paragraph separators. */
static bool
cp_hostile(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	    cp == 0x200f || cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

/*
 * The length of the valid UTF-8 sequence at s (at most len bytes), its
 * code point in *cp, or 0 when the bytes there are not one (overlong,
 * surrogate, past U+10FFFF, cut short, a stray continuation byte).
 */
static size_t
utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char b = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n;
	uint32_t c;

	if (b >= 0xc2 && b <= 0xdf) {
		n = 2;
		c = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		n = 3;
		c = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0; /* overlong */
		else if (b == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		n = 4;
		c = b & 0x07;
		if (b == 0xf0)
			lo = 0x90; /* overlong */
		else if (b == 0xf4)
			hi = 0x8f; /* past U+10FFFF */
	} else {
		return 0;
	}
	if (len < n || s[1] < lo || s[1] > hi)
		return 0;
	c = (c << 6) | (s[1] & 0x3f);
	for (size_t i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return n;
}

/*
 * One unit of output for the bytes at s: the bytes themselves or their
 * escape, in rep (at most 7 bytes, not NUL-terminated).  Returns the
 * length of rep; *used is the number of input bytes it stands for.
 */
static size_t
unit(const unsigned char *s, size_t len, unsigned flags, char rep[8],
    size_t *used)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b = s[0];
	uint32_t cp;
	size_t n;

	*used = 1;
	if (b >= 0x20 && b < 0x7f) {
		rep[0] = (char)b;
		return 1;
	}
	if (b == '\n' || b == '\t') {
		if (flags & TT_TERM_LINES) {
			rep[0] = (char)b;
			return 1;
		}
		rep[0] = '\\';
		rep[1] = b == '\n' ? 'n' : 't';
		return 2;
	}
	if (b == '\r') {
		rep[0] = '\\';
		rep[1] = 'r';
		return 2;
	}
	if (b >= 0x80 && (n = utf8_seq(s, len, &cp)) > 0) {
		*used = n;
		if (!cp_hostile(cp)) {
			memcpy(rep, s, n);
			return n;
		}
		rep[0] = '\\';
		rep[1] = 'u';
		rep[2] = hex[(cp >> 12) & 0xf];
		rep[3] = hex[(cp >> 8) & 0xf];
		rep[4] = hex[(cp >> 4) & 0xf];
		rep[5] = hex[cp & 0xf];
		return 6;
	}
	/* Other C0 controls, DEL, and bytes that are not UTF-8 (raw C1
	 * controls among them). */
	rep[0] = '\\';
	rep[1] = 'x';
	rep[2] = hex[b >> 4];
	rep[3] = hex[b & 0xf];
	return 4;
}

int
tt_term_escape(struct tt_buf *out, const char *s, size_t len, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	int r;

	while (i < len) {
		size_t run = i, used, n;
		char rep[8];

		/* Printable ASCII, the common case, in one append. */
		while (run < len && p[run] >= 0x20 && p[run] < 0x7f)
			run++;
		if (run > i) {
			if ((r = tt_buf_append(out, p + i, run - i)) < 0)
				return r;
			i = run;
			continue;
		}
		n = unit(p + i, len - i, flags, rep, &used);
		if ((r = tt_buf_append(out, rep, n)) < 0)
			return r;
		i += used;
	}
	return 0;
}

void
tt_term_sanitize(char *s, size_t size, unsigned flags)
{
	char *copy;
	size_t len, i = 0, o = 0;

	if (s == NULL || size == 0)
		return;
	len = strnlen(s, size - 1);
	s[len] = '\0';
	if ((copy = malloc(len + 1)) == NULL) {
		/* No memory for the copy: cut to the printable prefix
		 * rather than let anything through. */
		for (i = 0; i < len; i++)
			if ((unsigned char)s[i] < 0x20 ||
			    (unsigned char)s[i] >= 0x7f)
				break;
		s[i] = '\0';
		return;
	}
	memcpy(copy, s, len + 1);
	while (i < len) {
		size_t used, n;
		char rep[8];

		n = unit((const unsigned char *)copy + i, len - i, flags, rep,
		    &used);
		if (o + n > size - 1)
			break;
		memcpy(s + o, rep, n);
		o += n;
		i += used;
	}
	s[o] = '\0';
	free(copy);
}

/* %s with a width, on the escaped text (a precision has already cut the
 * value, in bytes of input, before escaping: "%.*s" of a buffer prints
 * that many bytes of it, all of them, escaped). */
static int
put_field(struct tt_buf *out, const char *s, size_t slen, bool left, int width)
{
	struct tt_buf e;
	int r;

	tt_buf_init(&e, out->max);
	if ((r = tt_term_escape(&e, s, slen, TT_TERM_FIELD)) < 0)
		goto out;
	if (!left)
		for (int k = (int)e.len; k < width && r == 0; k++)
			r = tt_buf_putc(out, ' ');
	if (r == 0 && e.len > 0)
		r = tt_buf_append(out, e.data, e.len);
	if (left)
		for (int k = (int)e.len; k < width && r == 0; k++)
			r = tt_buf_putc(out, ' ');
out:
	tt_buf_free(&e);
	return r;
}

/* The format string is the caller's own (checked by the compiler through
 * the format attribute); each conversion is handed to snprintf alone. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

int
tt_term_vprintf(struct tt_buf *out, const char *fmt, va_list ap)
{
	va_list aq;
	int r = 0;

	va_copy(aq, ap);
	while (*fmt != '\0' && r == 0) {
		const char *pct = strchr(fmt, '%');
		char spec[48], num[512];
		size_t sl = 0;
		int width = -1, prec = -1, n = 0;
		bool left = false;
		enum {
			L_NONE,
			L_HH,
			L_H,
			L_L,
			L_LL,
			L_J,
			L_Z,
			L_T,
			L_BIGL
		} lm = L_NONE;

		if (pct == NULL) {
			r = tt_buf_puts(out, fmt);
			break;
		}
		if (pct > fmt &&
		    (r = tt_buf_append(out, fmt, (size_t)(pct - fmt))) < 0)
			break;
		fmt = pct + 1;
		if (*fmt == '%') {
			r = tt_buf_putc(out, '%');
			fmt++;
			continue;
		}
		spec[sl++] = '%';
		while (*fmt != '\0' && strchr("-+ #0", *fmt) != NULL) {
			left |= *fmt == '-';
			if (sl < 8)
				spec[sl++] = *fmt;
			fmt++;
		}
		if (*fmt == '*') {
			width = va_arg(aq, int);
			if (width < 0) {
				left = true;
				width = -width;
				spec[sl++] = '-';
			}
			fmt++;
		} else if (*fmt >= '0' && *fmt <= '9') {
			width = (int)strtol(fmt, (char **)&fmt, 10);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(aq, int);
				fmt++;
			} else {
				prec = (int)strtol(fmt, (char **)&fmt, 10);
			}
		}
		if (width > 4096 || prec > 4096) {
			r = -EINVAL;
			break;
		}
		if (width >= 0)
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl,
			    "%d", width);
		if (prec >= 0)
			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl,
			    ".%d", prec);
		switch (*fmt) {
		case 'h':
			lm = fmt[1] == 'h' ? L_HH : L_H;
			fmt += lm == L_HH ? 2 : 1;
			break;
		case 'l':
			lm = fmt[1] == 'l' ? L_LL : L_L;
			fmt += lm == L_LL ? 2 : 1;
			break;
		case 'j':
			lm = L_J;
			fmt++;
			break;
		case 'z':
			lm = L_Z;
			fmt++;
			break;
		case 't':
			lm = L_T;
			fmt++;
			break;
		case 'L':
			lm = L_BIGL;
			fmt++;
			break;
		default: break;
		}
		switch (*fmt) {
		case 's': {
			const char *s = va_arg(aq, const char *);

			if (s == NULL)
				s = "(null)";
			/* With a precision the argument need not end in a
			 * NUL ("%.*s", len, buf). */
			r = put_field(out, s,
			    prec >= 0 ? strnlen(s, (size_t)prec) : strlen(s),
			    left, width);
			fmt++;
			continue;
		}
		case 'c': {
			char ch = (char)va_arg(aq, int);

			r = put_field(out, &ch, 1, left, width);
			fmt++;
			continue;
		}
		case 'd':
		case 'i':
		case 'u':
		case 'o':
		case 'x':
		case 'X':
		case 'p':
		case 'e':
		case 'E':
		case 'f':
		case 'F':
		case 'g':
		case 'G':
		case 'a':
		case 'A': break;
		default: /* %n, and what C11 does not have */
			r = -EINVAL;
			continue;
		}
		/* The length modifier for snprintf: the argument is fetched
		 * as its promoted type, then printed as the spec says. */
		{
			static const char *const mods[] = { "", "hh", "h", "l",
				"ll", "j", "z", "t", "L" };
			char conv = *fmt++;
			bool is_signed = conv == 'd' || conv == 'i';

			sl += (size_t)snprintf(spec + sl, sizeof(spec) - sl,
			    "%s%c", conv == 'p' ? "" : mods[lm], conv);
			if (conv == 'p') {
				n = snprintf(num, sizeof(num), spec,
				    va_arg(aq, void *));
			} else if (strchr("eEfFgGaA", conv) != NULL) {
				/* NOLINTBEGIN(bugprone-branch-clone): the
				 * branches differ in the type va_arg fetches,
				 * which the check does not see. */
				if (lm == L_BIGL)
					n = snprintf(num, sizeof(num), spec,
					    va_arg(aq, long double));
				else
					n = snprintf(num, sizeof(num), spec,
					    va_arg(aq, double));
			} else if (lm == L_L || lm == L_LL || lm == L_J ||
			    lm == L_Z || lm == L_T) {
				/* All of these are 64 bits or fewer: fetch
				 * by their own type for the ABI. */
				switch (lm) {
				case L_L:
					n = is_signed ?
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, long)) :
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, unsigned long));
					break;
				case L_LL:
					n = is_signed ?
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, long long)) :
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, unsigned long long));
					break;
				case L_J:
					n = is_signed ?
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, intmax_t)) :
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, uintmax_t));
					break;
				case L_Z:
					n = is_signed ?
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, ssize_t)) :
					    snprintf(num, sizeof(num), spec,
						va_arg(aq, size_t));
					break;
				default:
					n = snprintf(num, sizeof(num), spec,
					    va_arg(aq, ptrdiff_t));
					break;
				}
			} else {
				/* int and smaller are promoted to int. */
				n = is_signed ? snprintf(num, sizeof(num), spec,
						    va_arg(aq, int)) :
						snprintf(num, sizeof(num), spec,
						    va_arg(aq, unsigned));
			}
			/* NOLINTEND(bugprone-branch-clone) */
		}
		if (n < 0 || (size_t)n >= sizeof(num)) {
			r = n < 0 ? -EINVAL : -E2BIG;
			break;
		}
		r = tt_buf_append(out, num, (size_t)n);
	}
	va_end(aq);
	return r;
}

#pragma GCC diagnostic pop

int
tt_term_printf(struct tt_buf *out, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = tt_term_vprintf(out, fmt, ap);
	va_end(ap);
	return r;
}

static int
put_stream(FILE *f, const struct tt_buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, f) != b->len)
		return -EIO;
	return 0;
}

int
tt_term_fprintf(FILE *f, const char *fmt, ...)
{
	struct tt_buf b;
	va_list ap;
	int r;

	tt_buf_init(&b, TT_TERM_MAX);
	va_start(ap, fmt);
	r = tt_term_vprintf(&b, fmt, ap);
	va_end(ap);
	if (r == 0)
		r = put_stream(f, &b);
	tt_buf_free(&b);
	return r;
}

int
tt_term_write(FILE *f, const char *data, size_t len, unsigned flags)
{
	struct tt_buf b;
	int r;

	tt_buf_init(&b, TT_TERM_MAX);
	r = tt_term_escape(&b, data != NULL ? data : "", data ? len : 0, flags);
	if (r == 0)
		r = put_stream(f, &b);
	tt_buf_free(&b);
	return r;
}

#define SGR_RED "\033[31m"
#define SGR_GREEN "\033[32m"
#define SGR_YELLOW "\033[33m"
#define SGR_RESET "\033[0m"

/* The one table: a status word and its colour (term.h). */
static const struct {
	const char *word;
	const char *sgr;
} word_sgr[] = {
	{ "pass", SGR_GREEN },
	{ "fixed", SGR_GREEN },
	{ "valid", SGR_GREEN },
	{ "verified", SGR_GREEN },
	{ "restored", SGR_GREEN },
	{ "complete", SGR_GREEN },
	{ "fail", SGR_RED },
	{ "invalid", SGR_RED },
	{ "still failing", SGR_RED },
	{ "absent", SGR_RED },
	{ "failed", SGR_RED },
	{ "error", SGR_YELLOW },
	{ "untrusted", SGR_YELLOW },
	{ "refused", SGR_YELLOW },
	{ "at next boot", SGR_YELLOW },
};

const char *
tt_term_word_sgr(const char *word)
{
	for (size_t i = 0; word != NULL && i < TT_ARRAY_SIZE(word_sgr); i++)
		if (strcmp(word, word_sgr[i].word) == 0)
			return word_sgr[i].sgr;
	return "";
}

int
tt_term_word(struct tt_buf *out, bool color, const char *word, int width)
{
	const char *sgr = color ? tt_term_word_sgr(word) : "";
	size_t before;
	int r;

	if (word == NULL)
		word = "";
	if (*sgr != '\0' && (r = tt_buf_puts(out, sgr)) < 0)
		return r;
	before = out->len;
	if ((r = tt_term_escape(out, word, strlen(word), TT_TERM_FIELD)) < 0)
		return r;
	/* The width counts the word as shown, not its colour codes. */
	width -= (int)(out->len - before);
	if (*sgr != '\0' && (r = tt_buf_puts(out, SGR_RESET)) < 0)
		return r;
	for (; width > 0; width--)
		if ((r = tt_buf_putc(out, ' ')) < 0)
			return r;
	return 0;
}

int
tt_term_fword(FILE *f, bool color, const char *word, int width)
{
	struct tt_buf b;
	int r;

	tt_buf_init(&b, TT_TERM_MAX);
	r = tt_term_word(&b, color, word, width);
	if (r == 0)
		r = put_stream(f, &b);
	tt_buf_free(&b);
	return r;
}
