/*
 * Logging to stderr in git's style: "tattoo: error: cannot read 'x': why".
 * Library code returns negative errno values and does not log; the caller
 * that knows why logs once.
 */
#ifndef TT_LOG_H
#define TT_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum tt_log_level {
	TT_LOG_ERROR = 0,
	TT_LOG_WARN = 1,
	TT_LOG_INFO = 2,
	TT_LOG_DEBUG = 3,
};

/* Messages above this level are dropped; -q sets WARN-1, -v sets DEBUG. */
void tt_log_set_level(enum tt_log_level level);

/* Messages quote file contents and network answers: the whole message goes
 * through the terminal sanitiser (term.h, as one field: control
 * characters, C1 and bidi controls and invalid UTF-8 are shown escaped,
 * "\x1b", "\u202e"), so nothing in it can rewrite the reader's terminal.
 * Messages longer than 4 KiB are cut. */
void tt_log(enum tt_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Formats a message into the caller's err buffer (err may be NULL or
 * errlen 0: then nothing): for functions that report a reason upwards to
 * the one place that logs it. */
void tt_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#define tt_error(...) tt_log(TT_LOG_ERROR, __VA_ARGS__)
#define tt_warn(...) tt_log(TT_LOG_WARN, __VA_ARGS__)
#define tt_info(...) tt_log(TT_LOG_INFO, __VA_ARGS__)
#define tt_debug(...) tt_log(TT_LOG_DEBUG, __VA_ARGS__)

#endif
