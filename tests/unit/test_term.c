/* The terminal sanitiser (term.h): what is escaped, what is kept, and the
 * printing helper that escapes every %s. */
#include "buf.h"
#include "log.h"
#include "term.h"
#include "tt_test.h"
#include "tt.h"

struct esc_case {
	const char *name;
	const char *in;
	size_t len; /* 0: strlen(in) */
	unsigned flags;
	const char *out;
};

static const struct esc_case esc_cases[] = {
	{ "plain ascii", "/etc/ssh/sshd_config", 0, TT_TERM_FIELD,
	    "/etc/ssh/sshd_config" },
	{ "empty", "", 0, TT_TERM_FIELD, "" },
	{ "esc csi", "x\033[2K0 secrets", 0, TT_TERM_FIELD,
	    "x\\x1b[2K0 secrets" },
	{ "osc title bel", "\033]0;pwned\007", 0, TT_TERM_FIELD,
	    "\\x1b]0;pwned\\x07" },
	{ "cr", "a\rb", 0, TT_TERM_FIELD, "a\\rb" },
	{ "backspace", "ab\b\bxy", 0, TT_TERM_FIELD, "ab\\x08\\x08xy" },
	{ "del", "a\177b", 0, TT_TERM_FIELD, "a\\x7fb" },
	{ "newline field", "a\nb", 0, TT_TERM_FIELD, "a\\nb" },
	{ "tab field", "a\tb", 0, TT_TERM_FIELD, "a\\tb" },
	{ "newline lines", "a\nb\tc\r\n", 0, TT_TERM_LINES, "a\nb\tc\\r\n" },
	{ "esc lines", "-Banner \033[31mx\n", 0, TT_TERM_LINES,
	    "-Banner \\x1b[31mx\n" },
	{ "nul inside", "a\0b", 3, TT_TERM_FIELD, "a\\x00b" },
	{ "raw c1 csi",
	    "a\x9b"
	    "2Kb",
	    0, TT_TERM_FIELD, "a\\x9b2Kb" },
	{ "raw c1 nel", "\x85", 0, TT_TERM_FIELD, "\\x85" },
	{ "utf8 c1 csi",
	    "a\xc2\x9b"
	    "2K",
	    0, TT_TERM_FIELD, "a\\u009b2K" },
	{ "utf8 c1 first", "\xc2\x80", 0, TT_TERM_FIELD, "\\u0080" },
	{ "utf8 c1 last", "\xc2\x9f", 0, TT_TERM_FIELD, "\\u009f" },
	{ "nbsp kept", "\xc2\xa0", 0, TT_TERM_FIELD, "\xc2\xa0" },
	{ "rlo",
	    "evil\xe2\x80\xae"
	    "txt.exe",
	    0, TT_TERM_FIELD, "evil\\u202etxt.exe" },
	{ "lre", "\xe2\x80\xaa", 0, TT_TERM_FIELD, "\\u202a" },
	{ "pdf", "\xe2\x80\xac", 0, TT_TERM_FIELD, "\\u202c" },
	{ "lri", "\xe2\x81\xa6", 0, TT_TERM_FIELD, "\\u2066" },
	{ "pdi", "\xe2\x81\xa9", 0, TT_TERM_FIELD, "\\u2069" },
	{ "lrm rlm alm", "\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, TT_TERM_FIELD,
	    "\\u200e\\u200f\\u061c" },
	{ "line separator",
	    "a\xe2\x80\xa8"
	    "b\xe2\x80\xa9",
	    0, TT_TERM_LINES, "a\\u2028b\\u2029" },
	{ "en dash kept", "a \xe2\x80\x93 b", 0, TT_TERM_FIELD,
	    "a \xe2\x80\x93 b" },
	{ "utf8 kept", "gr\xc3\xbc\xc3\x9f \xe6\x97\xa5 \xf0\x9f\x94\x91", 0,
	    TT_TERM_FIELD, "gr\xc3\xbc\xc3\x9f \xe6\x97\xa5 \xf0\x9f\x94\x91" },
	{ "stray continuation", "a\x80z", 0, TT_TERM_FIELD, "a\\x80z" },
	{ "overlong slash", "\xc0\xaf", 0, TT_TERM_FIELD, "\\xc0\\xaf" },
	{ "overlong esc", "\xc0\x9b", 0, TT_TERM_FIELD, "\\xc0\\x9b" },
	{ "overlong 3", "\xe0\x80\x9b", 0, TT_TERM_FIELD, "\\xe0\\x80\\x9b" },
	{ "surrogate", "\xed\xa0\x80", 0, TT_TERM_FIELD, "\\xed\\xa0\\x80" },
	{ "past max", "\xf4\x90\x80\x80", 0, TT_TERM_FIELD,
	    "\\xf4\\x90\\x80\\x80" },
	{ "f5", "\xf5\x80", 0, TT_TERM_FIELD, "\\xf5\\x80" },
	{ "cut short", "ab\xe2\x80", 0, TT_TERM_FIELD, "ab\\xe2\\x80" },
	{ "cut before esc", "\xe2\x80\033[K", 0, TT_TERM_FIELD,
	    "\\xe2\\x80\\x1b[K" },
	{ "lead then ascii",
	    "\xc3"
	    "A",
	    0, TT_TERM_FIELD, "\\xc3A" },
	{ "backslash kept", "C:\\x1b", 0, TT_TERM_FIELD, "C:\\x1b" },
	{ "forged line", "x\r\033[2K0 secrets found", 0, TT_TERM_FIELD,
	    "x\\r\\x1b[2K0 secrets found" },
};

static void
test_escape_table(void)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(esc_cases); i++) {
		const struct esc_case *c = &esc_cases[i];
		struct tt_buf b;

		tt_buf_init(&b, 4096);
		CHECK_INT(tt_term_escape(&b, c->in,
			      c->len ? c->len : strlen(c->in), c->flags),
		    0);
		if (strcmp(b.data ? b.data : "", c->out) != 0)
			fprintf(stderr, "# case '%s'\n", c->name);
		CHECK_STR(b.data ? b.data : "", c->out);
		tt_buf_free(&b);
	}
}

/* Whatever the input, no output byte is a control character (other than
 * the kept \n and \t), and the output is valid UTF-8. */
static void
test_escape_exhaustive_bytes(void)
{
	for (unsigned a = 0; a < 256; a++) {
		for (unsigned b = 0; b < 256; b += 7) {
			unsigned char in[4] = { (unsigned char)a,
				(unsigned char)b, 0x9b, 0xc2 };
			struct tt_buf o, again;
			const unsigned char *p;

			tt_buf_init(&o, 4096);
			CHECK_INT(tt_term_escape(&o, (char *)in, sizeof(in),
				      TT_TERM_FIELD),
			    0);
			p = (const unsigned char *)o.data;
			for (size_t i = 0; i < o.len; i++)
				CHECK(p[i] >= 0x20 && p[i] != 0x7f);
			/* Escaping the output again changes nothing: it
			 * holds no unit the table escapes (no C1, bidi or
			 * invalid UTF-8). */
			tt_buf_init(&again, 8192);
			CHECK_INT(tt_term_escape(&again, o.data, o.len,
				      TT_TERM_FIELD),
			    0);
			CHECK(again.len == o.len &&
			    memcmp(again.data, o.data, o.len) == 0);
			tt_buf_free(&again);
			tt_buf_free(&o);
		}
	}
}

static void
test_sanitize_in_place(void)
{
	char s[32] = "a\033[2Kb";
	char cut[8] = "abc\033de";
	char utf[7] = "ab\xe6\x97\xa5"
		      "c";

	tt_term_sanitize(s, sizeof(s), TT_TERM_FIELD);
	CHECK_STR(s, "a\\x1b[2Kb");
	/* Cut at a whole escape: "abc" + "\x1b" is 7 bytes, size 8. */
	tt_term_sanitize(cut, sizeof(cut), TT_TERM_FIELD);
	CHECK_STR(cut, "abc\\x1b");
	/* Never inside a UTF-8 sequence: room for "ab" only, then "日"
	 * needs 3 and the buffer of 4 holds 3 + NUL. */
	tt_term_sanitize(utf, 4, TT_TERM_FIELD);
	CHECK_STR(utf, "ab");
	strlcpy(cut, "\033\033\033", sizeof(cut));
	tt_term_sanitize(cut, 6, TT_TERM_FIELD);
	CHECK_STR(cut, "\\x1b");
	tt_term_sanitize(NULL, 10, 0);
	tt_term_sanitize(s, 0, 0);
}

static void
test_printf(void)
{
	struct tt_buf b;
	int r;

	tt_buf_init(&b, 4096);
	r = tt_term_printf(&b,
	    "\033[31m%-6s\033[0m %s:%llu %zu %d %5.1f%% %x %c|%.3s|%*s|%-*s|",
	    "fail", "/a\033b", 12ULL, (size_t)3, -4, 99.25, 255u, '\r',
	    "abcdef", 4, "x", 3, "y");
	CHECK_INT(r, 0);
	/* The format's own colour codes survive; the values are escaped. */
	CHECK_STR(b.data,
	    "\033[31mfail  \033[0m /a\\x1bb:12 3 -4  99.2% ff \\r|abc|   x|y  |");
	tt_buf_reset(&b);
	/* Width pads the escaped text; precision counts bytes of the value,
	 * all of them printed, escaped (a cut sequence as \xHH). */
	tt_term_printf(&b, "[%-6s][%.3s][%.2s][%.4s][%.1s][%5s]", "\033",
	    "\033xyz", "\xc3\xbc\xc3\xbc", "\xc3\xbc\033\033", "\xc3\xbc",
	    "\r");
	CHECK_STR(b.data,
	    "[\\x1b  ][\\x1bxy][\xc3\xbc][\xc3\xbc\\x1b\\x1b][\\xc3][   \\r]");
	tt_buf_reset(&b);
	/* "%.*s" of a string without a NUL within the precision. */
	{
		char raw[3] = { 'a', '\n', 'b' };
		const char *volatile none = NULL;

		tt_term_printf(&b, "%.*s|%s|%ld|%hhu|%p", 2, raw, none, -7L,
		    (unsigned char)200, (void *)NULL);
		CHECK(strncmp(b.data, "a\\n|(null)|-7|200|", 18) == 0);
		if (strncmp(b.data, "a\\n|(null)|-7|200|", 18) != 0)
			fprintf(stderr, "# got '%s'\n", b.data);
	}
	tt_buf_reset(&b);
	tt_term_printf(&b, "%s",
	    "\xe2\x80\xae"
	    "gnp.exe");
	CHECK_STR(b.data, "\\u202egnp.exe");
	tt_buf_free(&b);
}

static void
test_printf_bounds(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 8);
	CHECK_INT(tt_term_printf(&b, "%s", "\033\033\033"), -E2BIG);
	tt_buf_free(&b);
}

static void
test_log_escapes(void)
{
	char path[] = "/tmp/tattoo-test-term-XXXXXX";
	int fd = mkstemp(path), saved = dup(2);
	char got[512] = "";
	ssize_t n;

	CHECK(fd >= 0 && saved >= 0);
	dup2(fd, 2);
	tt_warn("cannot read '%s'", "x\r\033[2K\xc2\x9b\xe2\x80\xae\x9b");
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	n = pread(fd, got, sizeof(got) - 1, 0);
	CHECK(n > 0);
	got[n > 0 ? n : 0] = '\0';
	CHECK_STR(got,
	    "tattoo: warning: cannot read "
	    "'x\\r\\x1b[2K\\u009b\\u202e\\x9b'\n");
	close(fd);
	unlink(path);
}

/* A status word: one colour per word, padding outside the codes, and
 * without colour exactly "%-*s". */
static void
test_word(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 1024);
	CHECK_INT(tt_term_word(&b, false, "fail", 6), 0);
	CHECK_INT(tt_term_word(&b, false, "manual", 3), 0);
	CHECK_INT(tt_buf_putc(&b, '\0'), 0);
	CHECK_STR(b.data, "fail  manual");
	tt_buf_free(&b);
	tt_buf_init(&b, 1024);
	CHECK_INT(tt_term_word(&b, true, "fail", 6), 0);
	CHECK_INT(tt_term_word(&b, true, "manual", 7), 0);
	CHECK_INT(tt_term_word(&b, true, "fixed", 0), 0);
	CHECK_INT(tt_term_word(&b, true, "a\033b", 0), 0);
	CHECK_INT(tt_buf_putc(&b, '\0'), 0);
	CHECK_STR(b.data,
	    "\033[31mfail\033[0m  manual \033[32mfixed\033[0ma\\x1bb");
	tt_buf_free(&b);
	CHECK_STR(tt_term_word_sgr("invalid"), tt_term_word_sgr("fail"));
	CHECK_STR(tt_term_word_sgr("valid"), tt_term_word_sgr("pass"));
	CHECK_STR(tt_term_word_sgr("n/a"), "");
}

int
main(void)
{
	RUN(test_escape_table);
	RUN(test_escape_exhaustive_bytes);
	RUN(test_sanitize_in_place);
	RUN(test_printf);
	RUN(test_printf_bounds);
	RUN(test_log_escapes);
	RUN(test_word);
	TEST_EXIT();
}
