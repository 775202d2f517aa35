#include "cli.h"
#include "fileio.h"
#include "journal.h"
#include "log.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo rollback [RUN]\n"
    "       tattoo rollback --list\n"
    "\n"
    "Undoes a harden (or scrub --apply) run from its journal, byte for\n"
    "byte and metadata too: the newest run not rolled back yet, or RUN.\n"
    "\n"
    "  --list   list the runs in the journal\n"
    "\n"
    "Exit: 0 rolled back, 2 no such run, 4 some paths could not be\n"
    "restored.\n";

enum { OPT_LIST = TT_OPT_FIRST_COMMAND_OPT };

static void
print_run(const char *run, const char *command, const char *started,
    const char *status, void *arg)
{
	(void)arg;
	/* Run names and commands are read from a journal in the tree. */
	tt_term_fprintf(stdout, "%-24s %-8s %-21s %s\n", run, command, started,
	    status);
}

int
cmd_rollback(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct tt_rollback_stats stats;
	char err[1024], run[64];
	bool list = false;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_LIST: list = true; break;
		case 'h': return tt_usage(usage, false);
		default:
			if (tt_ctx_global_option(ctx, c, optarg))
				break;
			return tt_usage(usage, true);
		}
	}
	if (argc - optind > 1 || (list && argc - optind > 0))
		return tt_usage(usage, true);
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	if (list) {
		r = tt_journal_list(tt_ctx_state_root(ctx), ctx->cfg.state_dir,
		    print_run, NULL);
		if (r < 0) {
			tt_error("rollback: cannot list the journal: %s",
			    tt_strerror(r));
			return TT_EXIT_ENV;
		}
		return TT_EXIT_OK;
	}
	r = tt_journal_rollback(tt_ctx_state_root(ctx), ctx->cfg.state_dir,
	    &ctx->root, optind < argc ? argv[optind] : NULL, run, sizeof(run),
	    &stats, err, sizeof(err));
	if (r == -ENOENT || r == -EALREADY || r == -EINVAL) {
		tt_error("rollback: %s", err);
		return TT_EXIT_USAGE;
	}
	if (r < 0 && stats.restored + stats.removed == 0) {
		tt_error("rollback: %s", err);
		return TT_EXIT_ENV;
	}
	tt_term_fprintf(stdout, "rolled back %s: %u restored, %u removed%s\n",
	    run, stats.restored, stats.removed,
	    stats.failed ? ", some failed" : "");
	if (stats.notes)
		tt_warn("rollback: %u change(s) cannot be undone from the "
			"journal; %s",
		    stats.notes, stats.note);
	if (stats.failed) {
		tt_error("rollback: %u paths not restored; first: %s",
		    stats.failed, err);
		return TT_EXIT_ENV;
	}
	return TT_EXIT_OK;
}
