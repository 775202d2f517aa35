#include <stdio.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "confirm.h"
#include "log.h"
#include "tt.h"

bool
tt_ctx_live(const struct tt_ctx *ctx)
{
	struct stat a, b;

	if (ctx->root_dir == NULL)
		return true;
	/* A root that cannot be looked at is refused by tt_ctx_setup. */
	if (stat(ctx->root_dir, &a) < 0 || stat("/", &b) < 0)
		return false;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

int
tt_confirm_live(const char *cmd, const char *what, bool force)
{
	char line[64];

	if (force)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
		tt_error("%s would change / (this system) and there is no "
			 "terminal to ask: pass --force to change this "
			 "system, or --root DIR for an image",
		    cmd);
		return TT_EXIT_USAGE;
	}
	fprintf(stderr,
	    "tattoo %s will change / (this system): %s.\n"
	    "Continue? [y/N] ",
	    cmd, what);
	fflush(stderr);
	if (fgets(line, sizeof(line), stdin) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (strcasecmp(line, "y") == 0 || strcasecmp(line, "yes") == 0)
			return 0;
	}
	tt_error("%s: not confirmed, nothing changed (--force skips the "
		 "question)",
	    cmd);
	return TT_EXIT_USAGE;
}
