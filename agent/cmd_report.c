#include <signal.h>
#include <unistd.h>

#include "cli.h"
#include "log.h"
#include "report.h"
#include "report_round.h"
#include "runlock.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo report [--once] [--dry-run] [--timeout SECONDS] [--root DIR]\n"
    "                     [--config FILE]\n"
    "\n"
    "One reporting round: audit summary, tattoo and drift become the VM's\n"
    "tags (through ARM, with the VM's managed identity) and a report to\n"
    "the collector (collector_url, collector_format).  The report is\n"
    "spooled before it is sent and removed once the collector accepted\n"
    "it; older spooled reports are sent first.\n"
    "\n"
    "  --once     one attempt at the collector, no retry rounds\n"
    "  --dry-run  print the tags and the collector body it would send;\n"
    "             change nothing (no tags, no spool, no status.json)\n"
    "  --timeout SECONDS  the round's deadline (default 600, below the\n"
    "             timer's hour): the audit gets half of it; past it the\n"
    "             round stops, releases its lock, says what it could not\n"
    "             finish and exits 4\n"
    "\n"
    "Writes the \"report\" and \"audit\" sections of status.json.\n"
    "Exit: 0 delivered (or nothing to deliver) and tags written or\n"
    "unchanged or not applicable, 2 usage, 3 bad configuration, 4 the\n"
    "collector or ARM failed (the report stays in the spool) or the\n"
    "deadline passed.\n";

enum {
	OPT_ONCE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_DRY_RUN,
	OPT_TIMEOUT,
};

/* The round's deadline (issue 13): a hostile or broken tree must never
 * keep the timer's run, and so its lock, for longer.  The audit gets half
 * and is killed at three quarters; at the deadline itself the process
 * ends (SIGALRM), which releases the lock whatever it was doing. */
#define REPORT_TIMEOUT_S 600

static void
on_deadline(int sig)
{
	static const char msg[] = "tattoo: report: the round's deadline "
				  "passed: stopped (the lock is released; "
				  "unsent reports stay in the spool)\n";

	(void)sig;
	(void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
	_exit(TT_EXIT_ENV);
}

static void
say(enum tt_log_level level, const char *msg)
{
	tt_log(level, "%s", msg);
}

/* A JSON document pretty-printed.  The tags and the body quote the
 * image and IMDS: JSON escapes C0 controls, not C1 or bidi ones, so they
 * go through term.h's sanitiser too, as lines. */
static void
print_json(json_object *o)
{
	const char *text = o ?
	    json_object_to_json_string_ext(o,
		JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE) :
	    NULL;

	if (text == NULL)
		text = "?";
	tt_term_write(stdout, text, strlen(text), TT_TERM_LINES);
	putchar('\n');
}

/* --dry-run: the tags and the body it would send, and, off Azure, what
 * it could not learn.  Nothing is sent or written. */
static void
print_dry_run(struct tt_ctx *ctx, const struct tt_report_outcome *o)
{
	struct tt_buf body;
	json_object *tj;

	if (o->tags_built) {
		tj = tt_tags_json(&o->tags);
		tt_term_fprintf(stdout, "would tag %s (Merge):\n",
		    o->inst != NULL ? o->inst->resource_id :
				      "this VM (resource id unknown)");
		print_json(tj);
		json_object_put(tj);
	}
	if (o->tags_note != NULL)
		tt_term_fprintf(stdout, "tags: %s: %s\n",
		    o->tags_built ? "not written" : "skipped", o->tags_note);
	if (o->imds_note[0] != '\0')
		tt_term_fprintf(stdout,
		    "note: IMDS could not be asked (%s): the VM's resource "
		    "id, vm id, size and location are left out\n",
		    o->imds_note);
	if (!tt_report_have_collector(&ctx->cfg) || o->sink == NULL) {
		printf("collector: none configured (collector_url); the "
		       "report it would send:\n");
		print_json(o->report);
		return;
	}
	tt_buf_init(&body, TT_SINK_MAX_BODY);
	if (o->sink->encode(o->report, &body) == 0) {
		tt_term_fprintf(stdout, "would send to %s (%s):\n",
		    ctx->cfg.collector_url[0] ? ctx->cfg.collector_url :
						"/dev/log",
		    o->sink->name);
		tt_term_write(stdout, body.data, body.len, TT_TERM_LINES);
		putchar('\n');
	}
	tt_buf_free(&body);
}

static void
print_summary(struct tt_ctx *ctx, const struct tt_report_outcome *o)
{
	json_object *report = o->report;

	tt_term_fprintf(stdout,
	    "report %s: %s, %lld failing, tattoo %s, "
	    "drift %s\n",
	    tt_report_str(report, "report_id"),
	    tt_report_str(report, "summary.compliance"),
	    (long long)json_object_get_int64(
		tt_json_path(report, "summary.failing")),
	    tt_report_str(report, "verify"),
	    tt_report_str(report, "summary.drift"));
	tt_term_fprintf(stdout, "tags: %s%s%s\n", o->tags_state,
	    o->tags_msg[0] ? ": " : "", o->tags_msg);
	if (o->have_collector)
		printf("collector: %u delivered, %zu in the spool%s\n",
		    o->delivered, o->depth,
		    o->refused ? " (some refused, see above)" : "");
	else
		printf("collector: none configured\n");
}

int
cmd_report(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	struct tt_report_opts opts = {
		.timeout_s = REPORT_TIMEOUT_S,
		.start_ms = tt_report_mono_ms(),
		.say = say,
	};
	struct tt_report_outcome out;
	char err[PATH_MAX + 1024];
	const char *errstr;
	int stop, c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_ONCE: opts.once = true; break;
		case OPT_DRY_RUN: opts.dry_run = true; break;
		case OPT_TIMEOUT:
			opts.timeout_s =
			    (long)strtonum(optarg, 1, 86400, &errstr);
			if (errstr != NULL) {
				tt_error("report: --timeout '%s' is %s (1 to "
					 "86400 seconds)",
				    optarg, errstr);
				return TT_EXIT_USAGE;
			}
			break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc) {
		tt_error("report: unexpected argument '%s'", argv[optind]);
		return tt_usage(usage, true);
	}
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	(void)signal(SIGALRM, on_deadline);
	alarm((unsigned)opts.timeout_s);
	r = tt_report_round(ctx, &opts, &out, err, sizeof(err));
	if (r < 0) {
		tt_error("report: %s", err);
		rc = out.bad_config ? TT_EXIT_INPUT : TT_EXIT_ENV;
	} else if (out.lock_busy) {
		tt_term_fprintf(stdout,
		    "another 'tattoo report' is running (lock "
		    "'%s/%s'): this round is left to it\n",
		    ctx->cfg.state_dir, TT_RUNLOCK_FILE);
		rc = TT_EXIT_OK;
	} else if (opts.dry_run) {
		print_dry_run(ctx, &out);
		rc = TT_EXIT_OK;
	} else {
		print_summary(ctx, &out);
		rc = out.failed ? TT_EXIT_ENV : TT_EXIT_OK;
		if (out.unfinished[0] != '\0') {
			tt_error("report: not finished within the deadline "
				 "(%ld s): %s",
			    opts.timeout_s, out.unfinished);
			rc = TT_EXIT_ENV;
		}
	}
	tt_report_outcome_free(&out);
	alarm(0);
	return rc;
}
