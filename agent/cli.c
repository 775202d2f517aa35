#include <getopt.h>
#include <limits.h>
#include <unistd.h>

#include "cli.h"
#include "fileio.h"
#include "journal.h"
#include "log.h"
#include "tt.h"

bool
tt_ctx_global_option(struct tt_ctx *ctx, int opt, const char *arg)
{
	switch (opt) {
	case TT_OPT_ROOT: ctx->root_dir = arg; return true;
	case TT_OPT_CONFIG: ctx->config_path = arg; return true;
	case 'q':
		tt_log_set_level(TT_LOG_WARN - 1);
		ctx->quiet = true;
		ctx->verbose = false;
		return true;
	case 'v':
		tt_log_set_level(TT_LOG_DEBUG);
		ctx->verbose = true;
		ctx->quiet = false;
		return true;
	case TT_OPT_NO_COLOR: ctx->no_color = true; return true;
	case '?':
		/* Through tt_log, so the argument is escaped (term.h).  A
		 * short option is in optopt (its cluster may not be done);
		 * a long one is the argument getopt just passed. */
		if (optopt > ' ' && optopt < 0x7f)
			tt_error("unknown option or missing argument: '-%c'",
			    optopt);
		else if (ctx->argv != NULL && optind >= 1 &&
		    optind <= ctx->argc)
			tt_error("unknown option or missing argument: '%s'",
			    ctx->argv[optind - 1]);
		else
			tt_error("unknown option or missing argument");
		return false;
	default: return false;
	}
}

int
tt_ctx_option(struct tt_ctx *ctx, int opt, const char *arg, const char *usage)
{
	if (opt == 'h')
		return tt_usage(usage, false);
	if (tt_ctx_global_option(ctx, opt, arg))
		return TT_OPT_NEXT;
	return tt_usage(usage, true);
}

int
tt_ctx_setup(struct tt_ctx *ctx)
{
	const char *dir = ctx->root_dir ? ctx->root_dir : "/", *path;
	char err[PATH_MAX + 256];
	int r;

	ctx->color = !ctx->no_color && getenv("NO_COLOR") == NULL &&
	    isatty(STDOUT_FILENO);
	r = tt_root_init(&ctx->root, dir);
	if (r < 0) {
		tt_error("cannot open root '%s': %s", dir, tt_strerror(r));
		return r == -ENOENT || r == -ENOTDIR ? TT_EXIT_USAGE :
						       TT_EXIT_ENV;
	}
	/* The configuration is the host's, under --root too: the image
	 * may only suggest a profile (config.h). */
	path = ctx->config_path;
	if (path == NULL && (path = getenv(TT_CONFIG_ENV)) != NULL &&
	    *path == '\0')
		path = NULL;
	r = tt_config_load(&ctx->cfg, &ctx->root,
	    path ? path : TT_DEFAULT_CONFIG, path != NULL, err, sizeof(err));
	if (r < 0) {
		tt_error("%s", err);
		return r == -EACCES ? TT_EXIT_ENV : TT_EXIT_INPUT;
	}
	if (ctx->cfg.image_note[0] != '\0')
		tt_warn("%s", ctx->cfg.image_note);
	if (ctx->cfg.profile_from[0] != '\0')
		tt_debug("profile '%s' from '%s'", ctx->cfg.profile,
		    ctx->cfg.profile_from);
	ctx->ready = true;
	return 0;
}

void
tt_ctx_free(struct tt_ctx *ctx)
{
	tt_root_close(&ctx->root);
	ctx->ready = false;
}

const char *
tt_ctx_profile(const struct tt_ctx *ctx)
{
	return ctx->cfg.profile[0] != '\0' ? ctx->cfg.profile : NULL;
}

const char *
tt_ctx_tailoring(const struct tt_ctx *ctx)
{
	return ctx->cfg.tailoring[0] != '\0' ? ctx->cfg.tailoring : NULL;
}

int
tt_ctx_journal_dir(struct tt_ctx *ctx, const struct tt_root **ret_root,
    char *dir, size_t dirlen)
{
	/* An image's journal travels with it, at a fixed path that nothing
	 * in the image chooses; the live system's is in its state_dir. */
	if (!tt_root_is_host(&ctx->root)) {
		*ret_root = &ctx->root;
		return strlcpy(dir, TT_JOURNAL_IMAGE_DIR, dirlen) < dirlen ?
		    0 :
		    -ENAMETOOLONG;
	}
	*ret_root = NULL;
	return (size_t)snprintf(dir, dirlen, "%s/%s", ctx->cfg.state_dir,
		   TT_JOURNAL_DIR) < dirlen ?
	    0 :
	    -ENAMETOOLONG;
}

int
tt_usage(const char *text, bool error)
{
	fputs(text, error ? stderr : stdout);
	return error ? TT_EXIT_USAGE : TT_EXIT_OK;
}

int
tt_cli_output_option(struct tt_outputs *outs, const char *command,
    const char *arg)
{
	char err[PATH_MAX + 256];
	int r;

	if ((r = tt_outputs_add(outs, arg, err, sizeof(err))) == 0)
		return 0;
	tt_error("%s: %s", command, err);
	return r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_USAGE;
}

int
tt_cli_write_outputs(struct tt_outputs *outs, const struct tt_format_input *in,
    const char *command)
{
	if (tt_outputs_write(outs, in) == 0)
		return 0;
	for (size_t i = 0; i < outs->n; i++)
		if (outs->v[i].error < 0)
			tt_error("%s: %s", command, outs->v[i].why);
	return TT_EXIT_ENV;
}
