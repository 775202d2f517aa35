#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "fileio.h"
#include "progress.h"
#include "term.h"
#include "tt.h"

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void
tt_progress_init(struct tt_progress *p, int fd, const char *label, bool quiet)
{
	const char *term = getenv("TERM");

	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->interval_ms = TT_PROGRESS_INTERVAL_MS;
	strlcpy(p->label, label != NULL ? label : "", sizeof(p->label));
	p->enabled =
	    !quiet && isatty(fd) && !(term != NULL && TT_STREQ(term, "dumb"));
}

static size_t
columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 20)
		return ws.ws_col;
	return 80;
}

void
tt_progress_update(struct tt_progress *p, uint64_t done, uint64_t total,
    const char *unit, const char *item)
{
	char line[512];
	size_t width, len, room;
	uint64_t t;
	int n;

	if (!p->enabled)
		return;
	t = now_ms();
	if (p->drawn && t - p->last_ms < p->interval_ms)
		return;
	p->last_ms = t;
	width = columns(p->fd) - 1; /* the last column would wrap */
	if (width >= sizeof(line))
		width = sizeof(line) - 1;
	/* "\r" then erase to the end of the line: redraw in place. */
	if (total > 0)
		n = snprintf(line, sizeof(line), "\r\033[K%s: %llu/%llu %s",
		    p->label, (unsigned long long)done,
		    (unsigned long long)total, unit != NULL ? unit : "");
	else
		n = snprintf(line, sizeof(line), "\r\033[K%s: %llu %s",
		    p->label, (unsigned long long)done,
		    unit != NULL ? unit : "");
	if (n < 0)
		return;
	len = (size_t)n < sizeof(line) ? (size_t)n : sizeof(line) - 1;
	/* Visible width excludes the 4 bytes of "\r\033[K". */
	if (item != NULL && len - 4 + 6 < width) {
		struct tt_buf esc;
		const char *e;
		size_t elen;

		/* The item is a file name from the tree: escaped first
		 * (term.h), then cut, so what is cut is what is shown. */
		tt_buf_init(&esc, (size_t)64 * 1024);
		if (tt_term_escape(&esc, item, strlen(item), TT_TERM_FIELD) < 0)
			tt_buf_reset(&esc);
		e = esc.data != NULL ? esc.data : "";
		elen = esc.len;
		room = width - (len - 4) - 2;
		line[len++] = ' ';
		line[len++] = ' ';
		/* Keep the end of a long path: it says the most. */
		if (elen > room) {
			e += elen - room + 3;
			memcpy(line + len, "...", 3);
			len += 3;
			elen = room - 3;
			/* Never start inside a UTF-8 sequence. */
			while (elen > 0 && ((unsigned char)*e & 0xc0) == 0x80) {
				e++;
				elen--;
			}
		}
		for (size_t i = 0; i < elen && len < sizeof(line) - 1; i++)
			line[len++] = e[i];
		tt_buf_free(&esc);
	} else if (len - 4 > width) {
		len = width + 4;
	}
	if (tt_write_all(p->fd, line, len) == 0)
		p->drawn = true;
}

void
tt_progress_done(struct tt_progress *p)
{
	if (!p->enabled || !p->drawn)
		return;
	(void)tt_write_all(p->fd, "\r\033[K", 4);
	p->drawn = false;
}
