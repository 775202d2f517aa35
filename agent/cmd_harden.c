#include "cli.h"
#include "confirm.h"
#include "fileio.h"
#include "harden_run.h"
#include "log.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo harden [--profile ID] [--tailoring FILE] [--rule ID]...\n"
    "                     [--dry-run]\n"
    "                     [--allow-package-changes] [--rules FILE]...\n"
    "                     [--force] [--strict] [--root DIR]\n"
    "\n"
    "Remediates the failing rules of a profile, journaled so that\n"
    "'tattoo rollback' undoes the run exactly, then checks them again.\n"
    "Without --root it changes this system: it asks first on a terminal,\n"
    "and without one it needs --force.\n"
    "\n"
    "  --profile ID              profile (default: from os-release)\n"
    "  --tailoring FILE          the site's tailoring (a JSON file on this\n"
    "                            host; default: the configured `tailoring`):\n"
    "                            its rules, and its values in the fixes\n"
    "  --rule ID                 only this rule (repeatable)\n"
    "  --dry-run                 print the diff of every change; change nothing\n"
    "  --allow-package-changes   let fixes remove packages (not under --root:\n"
    "                            an image's package scripts never run as\n"
    "                            host root; the command to run is printed)\n"
    "  --force                   without --root: change this system, no question\n"
    "  --rules FILE              use this rule pack (repeatable)\n"
    "  --strict                  exit 1 whenever a rule still fails\n"
    "\n"
    "Prints the rules fixed, the ones left with the reason, and the score\n"
    "(passing/judged) before and after.\n"
    "Exit: 0 every change it could make was made and the rules still\n"
    "failing are ones it declines (manual, refused, skipped, needs a\n"
    "person: listed with the reason); 1 a fix it made left its rule failing or errored (--strict:\n"
    "any rule still fails).  --dry-run: 0 nothing to change, 1 changes are\n"
    "pending (--strict: a rule fails).  2 usage, 3 bad rule pack or\n"
    "tailoring, 4 a change could not be made.\n";

enum {
	OPT_PROFILE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_RULE,
	OPT_DRY_RUN,
	OPT_ALLOW_PACKAGES,
	OPT_RULES,
	OPT_FORCE,
	OPT_STRICT,
	OPT_TAILORING,
};

#define MAX_LIST 256

/* What was planned for a rule, or (after a run) what is left of it. */
static const char *
item_word(const struct tt_harden_item *it, bool dry_run)
{
	if (!dry_run && it->after == TT_RESULT_PASS)
		return "fixed";
	if (!dry_run && it->at_boot)
		return "at next boot";
	if (!dry_run &&
	    (it->outcome == TT_HARDEN_PLANNED ||
		it->outcome == TT_HARDEN_NOTHING))
		return "still failing";
	return tt_harden_outcome_name(it->outcome);
}

/* The plan's diff on stdout (--dry-run). */
static int
print_plan(const struct tt_harden *h)
{
	struct tt_buf out;
	int r;

	tt_buf_init(&out, (size_t)256 * 1024 * 1024);
	r = tt_plan_print(&h->plan, &out);
	if (r < 0) {
		tt_error("harden: cannot show the plan: %s", tt_strerror(r));
	} else if (fwrite(out.data ? out.data : "", 1, out.len, stdout) !=
	    out.len) {
		tt_error("harden: cannot write the plan");
		r = -EIO;
	}
	tt_buf_free(&out);
	if (r == 0)
		tt_term_fprintf(stdout,
		    "dry run: %zu failing rules, %zu changes planned, "
		    "nothing changed\n",
		    h->nitems, h->plan.n);
	return r;
}

/* The score as audit computes it (passing/judged of the chosen rules);
 * the rules that passed before are counted as passing after. */
static void
print_score(const struct tt_harden *h, bool dry_run)
{
	size_t fail = h->judged_before - h->pass_before;

	tt_term_fprintf(stdout, "score before %zu/%zu (%.1f)", h->pass_before,
	    h->judged_before, tt_audit_score((long)h->pass_before, (long)fail));
	if (!dry_run)
		tt_term_fprintf(stdout, ", after %zu/%zu (%.1f)",
		    h->pass_before + h->fixed,
		    h->pass_before + h->fixed + h->still,
		    tt_audit_score((long)(h->pass_before + h->fixed),
			(long)h->still));
	putchar('\n');
}

/* The summary; every value can quote the image (found, why, the root's
 * path): tt_term_fprintf escapes each (term.h). */
static void
print_summary(struct tt_ctx *ctx, const struct tt_harden *h, bool dry_run)
{
	tt_term_fprintf(stdout, "%s %s:%s on %s: %zu failing rules",
	    dry_run ? "dry run of" : "harden", h->pack->name, h->profile->id,
	    ctx->root.path, h->nitems);
	if (!dry_run)
		tt_term_fprintf(stdout, ", %zu fixed", h->fixed);
	putchar('\n');
	for (size_t i = 0; i < h->nitems; i++) {
		const struct tt_harden_item *it = &h->items[i];

		fputs("  ", stdout);
		tt_term_fword(stdout, ctx->color, item_word(it, dry_run), 16);
		tt_term_fprintf(stdout, " %s", it->rule->id);
		if (!dry_run && tt_harden_fixed_by_other(it))
			tt_term_fprintf(stdout,
			    ": fixed by another rule's change");
		else if (!dry_run && it->after == TT_RESULT_PASS)
			(void)0; /* fixed by its own change: nothing to add */
		else if (it->why[0] != '\0')
			tt_term_fprintf(stdout, ": %s", it->why);
		else if (!dry_run && it->at_boot)
			tt_term_fprintf(stdout,
			    ": the files are fixed; live still %s",
			    it->found ? it->found : "failing");
		else if (!dry_run && it->found != NULL)
			tt_term_fprintf(stdout, ": found %s", it->found);
		putchar('\n');
	}
	print_score(h, dry_run);
	if (h->run[0] != '\0') {
		const struct tt_root *jroot;
		char jdir[PATH_MAX], shown[PATH_MAX];

		if (tt_ctx_journal_dir(ctx, &jroot, jdir, sizeof(jdir)) < 0 ||
		    jroot == NULL ||
		    tt_root_host_path(jroot, jdir, shown, sizeof(shown)) < 0)
			strlcpy(shown, jdir, sizeof(shown));
		tt_term_fprintf(stdout,
		    "journal %s/%s; undo with 'tattoo rollback %s'\n", shown,
		    h->run, h->run);
	} else if (!dry_run)
		printf("nothing to change\n");
}

/* The exit code of a run that stopped, said once. */
static int
failed(const struct tt_harden *h, const char *err)
{
	switch (h->failure) {
	case TT_HARDEN_FAILED_INPUT:
		tt_error("harden: %s", err);
		return TT_EXIT_INPUT;
	case TT_HARDEN_FAILED_PACKS: tt_error("%s", err); return TT_EXIT_INPUT;
	case TT_HARDEN_FAILED_USAGE:
		tt_error("harden: %s", err);
		return TT_EXIT_USAGE;
	default: tt_error("harden: %s", err); return TT_EXIT_ENV;
	}
}

/* What sshd -t and visudo -c said of the run's changes (live), or the
 * checks left to a chroot or VM of the image (--root). */
static void
validation_said(const struct tt_harden *h)
{
	const char *said = h->validation.data;

	if (said == NULL || h->validation.len == 0)
		return;
	if (h->validation_failed)
		tt_error("harden: %s", said);
	else
		tt_info("harden: %s", said);
}

int
cmd_harden(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "allow-package-changes", no_argument, NULL,
		    OPT_ALLOW_PACKAGES },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "strict", no_argument, NULL, OPT_STRICT },
		{ "tailoring", required_argument, NULL, OPT_TAILORING },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char *rule_ids[MAX_LIST], *files[MAX_LIST];
	struct tt_harden_opts o = { .rule_ids = rule_ids, .files = files };
	struct tt_harden h = { 0 };
	bool force = false, strict = false;
	char err[PATH_MAX + 1024], jdir[PATH_MAX];
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: o.want = optarg; break;
		case OPT_TAILORING: o.tailoring = optarg; break;
		case OPT_RULE:
			if (o.nrule_ids == MAX_LIST)
				return tt_usage(usage, true);
			rule_ids[o.nrule_ids++] = optarg;
			break;
		case OPT_RULES:
			if (o.nfiles == MAX_LIST)
				return tt_usage(usage, true);
			files[o.nfiles++] = optarg;
			break;
		case OPT_DRY_RUN: o.dry_run = true; break;
		case OPT_ALLOW_PACKAGES: o.allow_packages = true; break;
		case OPT_FORCE: force = true; break;
		case OPT_STRICT: strict = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc)
		return tt_usage(usage, true);
	/* Before anything is read: a harden of this very system is asked
	 * for explicitly. */
	if (!o.dry_run && tt_ctx_live(ctx) &&
	    (rc = tt_confirm_live("harden",
		 "it fixes the failing rules of the profile in place (SSH, "
		 "sysctl, PAM, file modes, units), journaled; 'tattoo "
		 "rollback' undoes it",
		 force)) != 0)
		return rc;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	o.root = &ctx->root;
	o.state_dir = ctx->cfg.state_dir;
	if (o.want == NULL)
		o.want = tt_ctx_profile(ctx);
	if (o.tailoring == NULL)
		o.tailoring = tt_ctx_tailoring(ctx);
	if (tt_ctx_journal_dir(ctx, &o.journal_root, jdir, sizeof(jdir)) == 0)
		o.journal_dir = jdir;
	r = tt_harden_run(&h, &o, err, sizeof(err));
	validation_said(&h);
	if (r < 0)
		rc = failed(&h, err);
	else if (o.dry_run && print_plan(&h) < 0)
		rc = TT_EXIT_ENV;
	else {
		/* A dry run shows the plan first, then the summary. */
		print_summary(ctx, &h, o.dry_run);
		rc = tt_harden_exit(&h, o.dry_run, strict);
	}
	tt_harden_free(&h);
	return rc;
}
