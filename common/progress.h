/*
 * A progress line for long work (a scrub of a large tree, filesystem
 * walks): "label: 1234/5678 files  /usr/lib/…" redrawn in place on stderr,
 * only when stderr is a terminal (never in a pipe, a log or a CI step), at
 * most every interval_ms, and erased by tt_progress_done so that the
 * command's own output starts on a clean line.  The item (a file name is
 * untrusted) goes through the terminal sanitiser (term.h): control, C1 and
 * bidi characters are shown escaped ("\x1b"), never sent to the
 * terminal.  This is the one piece of library code that writes: to the
 * terminal the caller handed it, and only when that is a terminal.
 */
#ifndef TT_PROGRESS_H
#define TT_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct tt_progress {
	int fd;
	bool enabled;
	unsigned interval_ms;
	uint64_t last_ms; /* monotonic time of the last draw */
	bool drawn; /* something is on the line */
	char label[32];
};

#define TT_PROGRESS_INTERVAL_MS 100

/*
 * Prepares p for fd (normally STDERR_FILENO).  Enabled when fd is a
 * terminal, TERM is not "dumb" and quiet is false.  Never fails; a
 * disabled progress does nothing.
 */
void
tt_progress_init(struct tt_progress *p, int fd, const char *label, bool quiet);

/*
 * Redraws the line with done (and total, when not 0) and the current item
 * (may be NULL), unless less than interval_ms passed since the last draw.
 * The line is cut to the terminal's width.
 */
void tt_progress_update(struct tt_progress *p, uint64_t done, uint64_t total,
    const char *unit, const char *item);

/* Erases the line if one was drawn. */
void tt_progress_done(struct tt_progress *p);

#endif
