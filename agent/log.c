#include <stdarg.h>
#include <stdio.h>

#include "log.h"
#include "tt.h"

static enum tt_log_level log_level = TT_LOG_INFO;

void
tt_log_set_level(enum tt_log_level level)
{
	log_level = level;
}

enum tt_log_level
tt_log_get_level(void)
{
	return log_level;
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
	va_list ap;

	if ((int)level > (int)log_level)
		return;
	fprintf(stderr, "tattoo: %s", prefix[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
