#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "term.h"
#include "tt.h"

static enum tt_log_level log_level = TT_LOG_INFO;

void
tt_log_set_level(enum tt_log_level level)
{
	log_level = level;
}

void
tt_log(enum tt_log_level level, const char *fmt, ...)
{
	static const char *const prefix[] = {
		[TT_LOG_ERROR] = "error: ",
		[TT_LOG_WARN] = "warning: ",
		[TT_LOG_INFO] = "",
		[TT_LOG_DEBUG] = "debug: ",
	};
	char msg[4096];
	va_list ap;

	if ((int)level > (int)log_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tt_term_sanitize(msg, sizeof(msg), TT_TERM_FIELD);
	fprintf(stderr, "tattoo: %s%s\n", prefix[level], msg);
}

void
tt_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}
