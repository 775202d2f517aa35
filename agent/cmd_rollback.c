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
    "Under --root only runs authenticated with this host's journal key\n"
    "(state_dir/journal.key) are listed or undone.\n"
    "\n"
    "  --list   list the runs in the journal\n"
    "\n"
    "Exit: 0 rolled back, 2 no such run, 3 a journal that does not verify\n"
    "or paths refused (a device, a mount, a link), 4 some paths could not\n"
    "be restored or no journal key.\n";

enum { OPT_LIST = TT_OPT_FIRST_COMMAND_OPT };

static void
print_run(const char *run, const char *command, const char *started,
    const char *status, const char *problem, void *arg)
{
	(void)arg;
	if (problem != NULL)
		tt_warn("rollback: run '%s' not listed: %s", run, problem);
	else
		tt_term_fprintf(stdout, "%-24s %-8s %-21s %s\n", run, command,
		    started, status);
}

int
cmd_rollback(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "list", no_argument, NULL, OPT_LIST },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	struct tt_rollback_stats stats;
	const struct tt_root *jroot;
	char err[PATH_MAX + 1024], run[64], jdir[PATH_MAX];
	bool list = false;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_LIST: list = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (argc - optind > 1 || (list && argc - optind > 0))
		return tt_usage(usage, true);
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	if (tt_ctx_journal_dir(ctx, &jroot, jdir, sizeof(jdir)) < 0) {
		tt_error("rollback: state directory path too long");
		return TT_EXIT_INPUT;
	}
	if (list) {
		r = tt_journal_list(jroot, jdir, ctx->cfg.state_dir, print_run,
		    NULL, err, sizeof(err));
		if (r < 0) {
			tt_error("rollback: cannot list the journal: %s",
			    r == -ENOKEY || r == -EBADMSG ? err :
							    tt_strerror(r));
			return r == -EBADMSG ? TT_EXIT_INPUT : TT_EXIT_ENV;
		}
		return TT_EXIT_OK;
	}
	r = tt_journal_rollback(jroot, jdir, ctx->cfg.state_dir, &ctx->root,
	    optind < argc ? argv[optind] : NULL, run, sizeof(run), &stats, err,
	    sizeof(err));
	/* Runs the image holds that this host did not write are never
	 * chosen; say which were passed over. */
	if (stats.skipped > 0)
		tt_warn("rollback: %u run(s) passed over, not authenticated or "
			"dated in the future; first: %s",
		    stats.skipped, stats.skip);
	if (r == -ENOENT || r == -EALREADY || r == -EINVAL) {
		tt_error("rollback: %s", err);
		return TT_EXIT_USAGE;
	}
	if (r == -EBADMSG) {
		tt_error("rollback: %s; nothing was undone", err);
		return TT_EXIT_INPUT;
	}
	if (r == -ENOKEY) {
		tt_error("rollback: %s", err);
		return TT_EXIT_ENV;
	}
	if (r < 0 && r != -EPERM && stats.restored + stats.removed == 0 &&
	    stats.failed == 0) {
		tt_error("rollback: %s", err);
		return TT_EXIT_ENV;
	}
	tt_term_fprintf(stdout, "rolled back %s: %u restored, %u removed%s\n",
	    run, stats.restored, stats.removed,
	    stats.failed || stats.refused ? ", some not" : "");
	if (stats.notes)
		tt_warn("rollback: %u change(s) cannot be undone from the "
			"journal; %s",
		    stats.notes, stats.note);
	if (stats.refused) {
		tt_error("rollback: %u path(s) refused; first: %s",
		    stats.refused + stats.failed, err);
		return TT_EXIT_INPUT;
	}
	if (stats.failed) {
		tt_error("rollback: %u paths not restored; first: %s",
		    stats.failed, err);
		return TT_EXIT_ENV;
	}
	return TT_EXIT_OK;
}
