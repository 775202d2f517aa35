#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "evidence.h"
#include "confirm.h"
#include "fileio.h"
#include "format.h"
#include "outputs.h"
#include "log.h"
#include "progress.h"
#include "scrub/scrub_run.h"
#include "tt.h"

static const char usage_tmpl[] =
    "usage: tattoo scrub [--check | --apply] [--format FORMAT]\n"
    "                    [--output [FORMAT:]FILE]... [--allowlist FILE]\n"
    "                    [--max-file-size SIZE] [--jobs N]\n"
    "                    [--build-user NAME] [--force]\n"
    "                    [--root DIR]\n"
    "\n"
    "Finds secrets (private keys, cloud and forge tokens, passwords in\n"
    "configuration) in every file of the image, binary files too, and the\n"
    "leftovers an image must not ship (SSH host keys, histories, cloud-init\n"
    "and waagent state, machine-id, DHCP leases, caches, credentials).\n"
    "Findings show a file's path, line and offset, the detector, at most the\n"
    "first 4 characters and a SHA-256 fingerprint: never the secret.\n"
    "Archives and compressed files are read inside (gzip, xz, bzip2, zstd,\n"
    "tar, zip, ar/.deb, cpio, nested): a finding is named\n"
    "archive.tar.gz!member.zip!file with the member's line.\n"
    "\n"
    "  --check            report findings (the default)\n"
    "  --apply            delete, truncate or empty the leftovers, journaled\n"
    "                     ('tattoo rollback' undoes it); secrets inside other\n"
    "                     files are reported for a person to fix.\n"
    "                     Nothing on another mount, and no symlink, is\n"
    "                     followed.  Without --root it changes this\n"
    "                     system: it asks on a terminal, else needs --force\n"
    "  --force            --apply without --root: this system, no question\n"
    "  --format FORMAT    @FORMATS@\n"
    "  --output FILE      write the result in --format's format to FILE\n"
    "                     (atomically), not stdout (at most one)\n"
    "  --output FORMAT:FILE  write the same result in FORMAT to FILE too\n"
    "                     (repeatable: one scan); FORMAT: is a ':' before\n"
    "                     any '/' (give a name holding ':' as ./NAME).\n"
    "                     Standard output gets --format's output unless a\n"
    "                     plain --output is given, or only FORMAT:FILE ones\n"
    "                     without --format\n"
    "  --allowlist FILE   reviewed findings: 'fingerprint sha256:HEX' or\n"
    "                     'path GLOB' lines\n"
    "  --max-file-size N  larger files are reported as not scanned, and\n"
    "                     archives that expand past it (default 1G; K, M,\n"
    "                     G suffixes)\n"
    "  --jobs N           scanning threads (default: 2 on 2 or more CPUs)\n"
    "  --build-user NAME  the account that built the image: its home,\n"
    "                     sudoers file and account lines are leftovers\n"
    "  -v                 text: list the files not scanned\n"
    "\n"
    "The journal of --apply keeps a copy of what it removed (for rollback)\n"
    "only when state_dir is set outside the image (TATTOO_STATE_DIR); in\n"
    "the image it records sizes and digests, so the image ships no copy.\n"
    "Exit: 0 nothing found (or all removed), 1 findings (or secrets left),\n"
    "2 usage (two outputs to one file too), 3 bad allowlist, 4\n"
    "environment (an output that could not be written: it is named, the\n"
    "others are written).\n";

enum {
	OPT_CHECK = TT_OPT_FIRST_COMMAND_OPT,
	OPT_APPLY,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_ALLOWLIST,
	OPT_MAX_FILE_SIZE,
	OPT_JOBS,
	OPT_BUILD_USER,
	OPT_FORCE,
};

/* The allowlist, or the exit code when it cannot be used (said). */
static int
load_allowlist(const char *path, struct tt_allowlist *al)
{
	char err[PATH_MAX + 512];
	bool bad_file = false;

	if (tt_scrub_allowlist_load(path, al, &bad_file, err, sizeof(err)) == 0)
		return 0;
	tt_error("scrub: %s", err);
	return bad_file ? TT_EXIT_INPUT : TT_EXIT_ENV;
}

/* What --apply did and left, on stderr after the result. */
static void
tell_applied(struct tt_ctx *ctx, const struct tt_scrub_run *s, size_t secrets)
{
	if (s->run[0] != '\0' && !s->no_bytes)
		tt_info("scrub: journal %s; review or undo with "
			"'tattoo rollback %s'",
		    s->journal, s->run);
	else if (s->run[0] != '\0')
		tt_info("scrub: journal %s%s records what was "
			"removed (sizes and digests, no copy: the "
			"journal stays in the image, which must not "
			"ship what was removed); it is a record to "
			"review, not to roll back",
		    ctx->root.path, s->journal);
	if (s->sealed > 0)
		tt_info("scrub: sealed %u journaled cop%s of secret-bearing "
			"files (their bytes dropped, digests kept): rollback "
			"refuses those paths and undoes the rest",
		    s->sealed, s->sealed == 1 ? "y" : "ies");
	if (s->seal_skipped > 0)
		tt_warn("scrub: %u journal run(s) not sealed; first: %s",
		    s->seal_skipped, s->seal_skip);
	if (secrets > 0)
		tt_warn("scrub: %zu secret%s inside files that are "
			"not leftovers: fix them by hand",
		    secrets, secrets == 1 ? "" : "s");
}

/* --build-user, --max-file-size, --jobs: 0 or the exit code (said). */
static int
value_option(int c, const char *arg, struct tt_scrub_opts *w)
{
	const char *errstr = NULL;

	switch (c) {
	case OPT_BUILD_USER:
		/* A name as useradd takes it: it goes into globs and is
		 * matched against account files. */
		if (strlen(arg) == 0 || strlen(arg) > 32 ||
		    strspn(arg, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
			strlen(arg) ||
		    arg[0] == '-' || TT_STREQ(arg, "root")) {
			tt_error("scrub: --build-user '%s': not a user name "
				 "(a-z0-9_-, not root)",
			    arg);
			return TT_EXIT_USAGE;
		}
		w->build_user = arg;
		return 0;
	case OPT_MAX_FILE_SIZE:
		if (tt_scrub_parse_size(arg, &w->max_file_size) < 0) {
			tt_error("scrub: --max-file-size '%s': not a size such "
				 "as 512M",
			    arg);
			return TT_EXIT_USAGE;
		}
		return 0;
	default:
		w->jobs = (unsigned)strtonum(arg, 1, 8, &errstr);
		if (errstr != NULL) {
			tt_error("scrub: --jobs '%s': not 1..8", arg);
			return TT_EXIT_USAGE;
		}
		return 0;
	}
}

/* The exit code of a run that completed, and what --apply left. */
static int
outcome(struct tt_ctx *ctx, const struct tt_scrub_run *sr, bool apply)
{
	size_t secrets = tt_scrub_count(&sr->res, TT_SCRUB_SECRET);
	size_t leftovers = tt_scrub_count(&sr->res, TT_SCRUB_LEFTOVER);

	if (!apply)
		return secrets + leftovers > 0 ? TT_EXIT_FAIL : TT_EXIT_OK;
	tell_applied(ctx, sr, secrets);
	return secrets > 0 || sr->failed > 0 ? TT_EXIT_FAIL : TT_EXIT_OK;
}

static int
confirm(bool force)
{
	return tt_confirm_live("scrub --apply",
	    "it deletes the leftovers it finds here (SSH host keys, shell "
	    "histories, cloud credentials, cloud-init and waagent state, "
	    "DHCP leases, /tmp and /var/tmp) and empties machine-id, "
	    "journaled",
	    force);
}

/* What the walk does without options: 1G files, leftovers matched, two
 * scanning threads on two or more CPUs. */
static void
defaults(struct tt_scrub_opts *w)
{
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);

	w->max_file_size = TT_SCRUB_DEFAULT_MAX_FILE;
	w->jobs = nproc >= 2 ? 2 : 1;
	w->leftovers = true;
}

/* The run's root, allowlist, progress and journal from the context. */
static void
set_up(struct tt_ctx *ctx, struct tt_scrub_run_opts *o,
    const struct tt_allowlist *al, struct tt_progress *progress, bool quiet,
    char *jdir, size_t jdirlen)
{
	tt_progress_init(progress, STDERR_FILENO, "scrub", quiet);
	o->walk.root = &ctx->root;
	o->walk.live = tt_root_is_host(&ctx->root);
	o->walk.allow = al;
	o->walk.progress = progress;
	o->state_dir = ctx->cfg.state_dir;
	if (tt_ctx_journal_dir(ctx, &o->journal_root, jdir, jdirlen) == 0)
		o->journal_dir = jdir;
}

/* The document, with when it was made and the image's tattoo and its
 * signature (evidence.h), written to every output (a file's failure
 * does not stop the others).  0 or the exit code (said). */
static int
render(struct tt_ctx *ctx, struct tt_outputs *outs, json_object *doc)
{
	struct tt_format_input in = { .doc = doc,
		.color = ctx->color,
		.verbose = ctx->verbose };
	char err[1024];
	int r;

	if ((r = tt_evidence_add(doc, &ctx->root, ctx->cfg.trusted_keys, 0,
		 &in.tattoo, err, sizeof(err))) < 0) {
		tt_error("scrub: %s", tt_strerror(r));
		return TT_EXIT_ENV;
	}
	if (err[0] != '\0')
		tt_warn("scrub: %s: the tattoo's signature is not checked",
		    err);
	r = tt_cli_write_outputs(outs, &in, "scrub");
	json_object_put(in.tattoo);
	return r;
}

int
cmd_scrub(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "apply", no_argument, NULL, OPT_APPLY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "allowlist", required_argument, NULL, OPT_ALLOWLIST },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "build-user", required_argument, NULL, OPT_BUILD_USER },
		{ "force", no_argument, NULL, OPT_FORCE },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	struct tt_scrub_run sr = { 0 };
	struct tt_scrub_run_opts o = { 0 };
	struct tt_allowlist al = { 0 };
	struct tt_progress progress;
	char jdir[PATH_MAX];
	const char *format = NULL, *allowlist = NULL;
	struct tt_outputs outs;
	bool check = false, force = false;
	char err[PATH_MAX + 256], usage[sizeof(usage_tmpl) + 1024];
	int c, r, rc;

	defaults(&o.walk);
	tt_outputs_init(&outs, TT_FORMAT_SCRUB);
	(void)tt_format_usage(usage, sizeof(usage), usage_tmpl,
	    TT_FORMAT_SCRUB);
	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_CHECK: check = true; break;
		case OPT_APPLY: o.apply = true; break;
		case OPT_FORCE: force = true; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTPUT:
			if ((rc = tt_cli_output_option(&outs, "scrub",
				 optarg)) != 0)
				goto out;
			break;
		case OPT_ALLOWLIST: allowlist = optarg; break;
		case OPT_BUILD_USER:
		case OPT_MAX_FILE_SIZE:
		case OPT_JOBS:
			if ((rc = value_option(c, optarg, &o.walk)) != 0)
				goto out;
			break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			rc = stop;
			goto out;
		}
	}
	if (optind < argc) {
		tt_error("scrub: unexpected argument '%s'", argv[optind]);
		rc = tt_usage(usage, true);
		goto out;
	}
	if (check && o.apply) {
		tt_error("scrub: --check and --apply exclude each other");
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if ((r = tt_outputs_finish(&outs, format, format != NULL, err,
		 sizeof(err))) < 0) {
		tt_error("scrub: %s", err);
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_USAGE;
		goto out;
	}
	/* Before anything is read: removing this very system's keys and
	 * state is asked for explicitly. */
	if (o.apply && tt_ctx_live(ctx) && (rc = confirm(force)) != 0)
		goto out;
	if (allowlist != NULL && (rc = load_allowlist(allowlist, &al)) != 0)
		goto out;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		goto out;
	set_up(ctx, &o, allowlist ? &al : NULL, &progress, ctx->quiet, jdir,
	    sizeof(jdir));
	if ((r = tt_scrub_run(&sr, &o, err, sizeof(err))) < 0) {
		tt_error("scrub: %s", err);
		rc = sr.bad_usage ? TT_EXIT_USAGE :
		    sr.bad_input  ? TT_EXIT_INPUT :
				    TT_EXIT_ENV;
		goto out;
	}
	if ((rc = render(ctx, &outs, sr.doc)) != 0)
		goto out;
	rc = outcome(ctx, &sr, o.apply);
out:
	tt_outputs_free(&outs);
	tt_scrub_run_free(&sr);
	tt_allowlist_free(&al);
	return rc;
}
