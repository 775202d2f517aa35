#include "cli.h"
#include "fileio.h"
#include "journal.h"
#include "log.h"
#include "status.h"
#include "term.h"
#include "timeutil.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo rollback [RUN]\n"
    "       tattoo rollback --list\n"
    "\n"
    "Undoes a harden run from its journal, byte for byte and metadata\n"
    "too: the newest run not rolled back yet, or RUN.  When the newest\n"
    "run is a scrub --apply record (it keeps no bytes) nothing is undone:\n"
    "an older run is undone only when named.  Under --root only runs\n"
    "authenticated with this host's journal key (state_dir/journal.key)\n"
    "are listed or undone.  On the live system the last audit in\n"
    "status.json is marked stale once anything was undone.\n"
    "\n"
    "  --list   list the runs in the journal\n"
    "\n"
    "Exit: 0 rolled back, 2 no such run or none that can be undone as\n"
    "asked (the newest a scrub record), 3 a journal that does not verify\n"
    "or paths refused (a device, a mount, a link), 4 some paths could not\n"
    "be restored or no journal key.\n";

enum { OPT_LIST = TT_OPT_FIRST_COMMAND_OPT };

static void
print_run(const char *run, const char *command, const char *started,
    const char *status, const char *problem, void *arg)
{
	const struct tt_ctx *ctx = arg;

	if (problem != NULL) {
		tt_warn("rollback: run '%s' not listed: %s", run, problem);
		return;
	}
	tt_term_fprintf(stdout, "%-24s %-8s %-21s ", run, command, started);
	tt_term_fword(stdout, ctx->color, status, 0);
	putchar('\n');
}

/* The newest run is a record that cannot be undone: say which run could
 * be, and how to ask for it, rather than undo it unasked. */
static int
refuse_record(const struct tt_ctx *ctx, const struct tt_rollback_stats *s,
    const char *err)
{
	bool host = tt_root_is_host(&ctx->root);

	if (s->older[0] == '\0')
		tt_error("rollback: %s", err);
	else
		tt_error("rollback: %s; to undo the older %s run '%s' all the "
			 "same, name it: tattoo %s%s%srollback %s",
		    err, s->older_command, s->older, host ? "" : "--root ",
		    host ? "" : ctx->root.path, host ? "" : " ", s->older);
	return TT_EXIT_USAGE;
}

/* The live system changed under the last audit: status must not go on
 * showing its score.  An image's rollback (--root) leaves the host's
 * status alone: the host was not changed. */
static void
mark_audit_stale(const struct tt_ctx *ctx, const char *run)
{
	char now[TT_RFC3339_LEN], why[160];
	int r;

	if (!tt_root_is_host(&ctx->root))
		return;
	tt_rfc3339_format(time(NULL), now);
	snprintf(why, sizeof(why), "rolled back %s at %s; run tattoo audit",
	    run, now);
	if ((r = tt_status_mark_stale(NULL, ctx->cfg.state_dir, "audit", why)) <
	    0)
		tt_warn("rollback: cannot mark the last audit stale in "
			"'%s/%s': %s",
		    ctx->cfg.state_dir, TT_STATUS_FILE, tt_strerror(r));
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
		    ctx, err, sizeof(err));
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
	if (r == -EINVAL && optind == argc)
		return refuse_record(ctx, &stats, err);
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
	if (stats.restored + stats.removed > 0)
		mark_audit_stale(ctx, run);
	tt_term_fprintf(stdout, "rolled back %s: %u restored, %u removed%s\n",
	    run, stats.restored, stats.removed,
	    stats.failed || stats.refused ? ", some not" : "");
	if (stats.notes)
		tt_warn("rollback: %u change(s) cannot be undone from the "
			"journal; %s",
		    stats.notes, stats.note);
	/* Said apart when other refusals would hide it behind "first". */
	if (stats.sealed && stats.refused > stats.sealed)
		tt_warn("rollback: %u path(s) kept as they are, their "
			"copies sealed; first: %s",
		    stats.sealed, stats.seal);
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
