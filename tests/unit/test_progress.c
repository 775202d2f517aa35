/* The progress line: only on a terminal, rate-limited, cleared. */
/* ldflags: -lutil */
#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include "progress.h"
#include "tt_test.h"
#include "tt.h"

/* Everything readable on fd now (non-blocking), NUL-terminated. */
static size_t
drain(int fd, char *out, size_t outlen)
{
	size_t len = 0;
	ssize_t n;

	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	while (len + 1 < outlen &&
	    (n = read(fd, out + len, outlen - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	return len;
}

static void
test_pipe_is_silent(void)
{
	struct tt_progress p;
	char out[256];
	int fds[2];

	CHECK(pipe(fds) == 0);
	tt_progress_init(&p, fds[1], "scan", false);
	CHECK(!p.enabled);
	tt_progress_update(&p, 1, 10, "files", "/etc/passwd");
	tt_progress_done(&p);
	close(fds[1]);
	CHECK_INT(drain(fds[0], out, sizeof(out)), 0);
	close(fds[0]);
}

static void
test_terminal(void)
{
	struct winsize ws = { .ws_row = 24, .ws_col = 40 };
	struct tt_progress p;
	char out[4096];
	int master, slave;
	struct termios raw;

	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		perror("openpty");
		CHECK(0);
		return;
	}
	/* No output processing: the bytes we read are the bytes written. */
	tcgetattr(slave, &raw);
	cfmakeraw(&raw);
	tcsetattr(slave, TCSANOW, &raw);
	unsetenv("TERM");
	tt_progress_init(&p, slave, "scrub", true);
	CHECK(!p.enabled); /* -q wins over a terminal */
	tt_progress_init(&p, slave, "scrub", false);
	CHECK(p.enabled);
	p.interval_ms = 60000;
	/* The item is escaped by term.h's sanitiser: C0, C1 (raw and UTF-8)
	 * and bidi controls all shown, none sent (40 columns: it fits). */
	tt_progress_update(&p, 1, 3, "files", "\x1b\x9b\xc2\x9b\xe2\x80\xae");
	drain(master, out, sizeof(out));
	CHECK_STR(out, "\r\033[Kscrub: 1/3 files  \\x1b\\x9b\\u009b\\u202e");
	/* Within the interval nothing is drawn. */
	tt_progress_update(&p, 2, 3, "files", "/b");
	CHECK_INT(drain(master, out, sizeof(out)), 0);
	/* After it, the line is redrawn, cut to 39 visible columns, keeping
	 * the end of a long path. */
	p.interval_ms = 0;
	tt_progress_update(&p, 3, 3, "files",
	    "/usr/lib/very/long/path/to/some/file/at/the/end.so");
	drain(master, out, sizeof(out));
	CHECK(strncmp(out, "\r\033[K", 4) == 0);
	CHECK_INT(strlen(out) - 4, 39);
	CHECK(strstr(out, "...") != NULL);
	CHECK(strstr(out, "end.so") != NULL);
	tt_progress_done(&p);
	drain(master, out, sizeof(out));
	CHECK_STR(out, "\r\033[K");
	/* Done twice clears once. */
	tt_progress_done(&p);
	CHECK_INT(drain(master, out, sizeof(out)), 0);
	setenv("TERM", "dumb", 1);
	tt_progress_init(&p, slave, "scrub", false);
	CHECK(!p.enabled);
	unsetenv("TERM");
	close(slave);
	close(master);
}

int
main(void)
{
	RUN(test_pipe_is_silent);
	RUN(test_terminal);
	TEST_EXIT();
}
