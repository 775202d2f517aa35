#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "buf.h"
#include "log.h"
#include "tt_test.h"

/* stderr, as tt_log wrote it while fn ran, into out (a NUL-terminated
 * copy; the caller frees). */
static char *
captured(void (*fn)(void))
{
	char tmpl[] = "/tmp/tattoo-log-XXXXXX";
	int fd = mkstemp(tmpl), saved;
	char *out = calloc(1, 65536);
	ssize_t n;

	if (fd < 0 || out == NULL)
		exit(2);
	unlink(tmpl);
	fflush(stderr);
	saved = dup(2);
	dup2(fd, 2);
	fn();
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	lseek(fd, 0, SEEK_SET);
	n = read(fd, out, 65535);
	out[n > 0 ? n : 0] = '\0';
	close(fd);
	return out;
}

static void
log_each_level(void)
{
	tt_error("e %d", 1);
	tt_warn("w %s", "two");
	tt_info("i");
	tt_debug("d");
}

/* Each level and what it lets through, with its prefix. */
static void
test_levels(void)
{
	static const struct {
		int level;
		const char *out;
	} cases[] = {
		{ TT_LOG_ERROR - 1, "" }, /* -q -q: nothing */
		{ TT_LOG_ERROR, "tattoo: error: e 1\n" },
		{ TT_LOG_WARN, "tattoo: error: e 1\ntattoo: warning: w two\n" },
		{ TT_LOG_INFO,
		    "tattoo: error: e 1\ntattoo: warning: w two\n"
		    "tattoo: i\n" },
		{ TT_LOG_DEBUG,
		    "tattoo: error: e 1\ntattoo: warning: w two\n"
		    "tattoo: i\ntattoo: debug: d\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out;

		tt_log_set_level((enum tt_log_level)cases[i].level);
		out = captured(log_each_level);
		CHECK_STR(out, cases[i].out);
		free(out);
	}
	tt_log_set_level(TT_LOG_INFO);
}

static void
log_hostile(void)
{
	/* A file's contents quoted in a message: an escape sequence, a
	 * newline that would start a forged line, a bidi override, invalid
	 * UTF-8, a C1 control. */
	tt_error("cannot read '%s'",
	    "a\x1b[2Jb\nforged\xe2\x80\xae\xff\xc2\x9b");
}

/* Nothing in a message can reach the terminal raw. */
static void
test_escaping(void)
{
	char *out;

	tt_log_set_level(TT_LOG_INFO);
	out = captured(log_hostile);
	CHECK(strchr(out, '\x1b') == NULL);
	CHECK(strstr(out, "\xe2\x80\xae") == NULL);
	CHECK(strstr(out, "\xff") == NULL);
	CHECK(strstr(out, "\xc2\x9b") == NULL);
	CHECK(strstr(out, "\\x1b[2J") != NULL);
	CHECK(strstr(out, "\\nforged") != NULL);
	CHECK(strstr(out, "\\u202e") != NULL);
	/* one line: the newline that ends it */
	CHECK(strchr(out, '\n') == out + strlen(out) - 1);
	CHECK(strncmp(out, "tattoo: error: cannot read 'a", 29) == 0);
	free(out);
}

static void
log_long(void)
{
	char big[10000];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	tt_warn("%s", big);
}

/* A message over 4 KiB is cut, still one line. */
static void
test_long_cut(void)
{
	char *out = captured(log_long);
	size_t len = strlen(out);

	CHECK(len > 4000);
	CHECK(len < 4096 + 32);
	CHECK(out[len - 1] == '\n');
	CHECK(strchr(out, '\n') == out + len - 1);
	free(out);
}

/* tt_seterr: formatted, cut to the buffer, NUL-terminated; a NULL or
 * empty buffer is left alone. */
static void
test_seterr(void)
{
	static const struct {
		size_t len;
		const char *want;
	} cases[] = {
		{ 64, "cannot open 'x': 17" },
		{ 12, "cannot open" },
		{ 2, "c" },
		{ 1, "" },
	};
	char err[64];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(err, 'Z', sizeof(err));
		tt_seterr(err, cases[i].len, "cannot open '%s': %d", "x", 17);
		CHECK_STR(err, cases[i].want);
		/* nothing written past the given length */
		if (cases[i].len < sizeof(err))
			CHECK(err[cases[i].len] == 'Z');
	}
	memset(err, 'Z', sizeof(err));
	tt_seterr(err, 0, "never");
	CHECK(err[0] == 'Z');
	tt_seterr(NULL, 64, "never");
}

int
main(void)
{
	RUN(test_levels);
	RUN(test_escaping);
	RUN(test_long_cut);
	RUN(test_seterr);
	TEST_EXIT();
}
