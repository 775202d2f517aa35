#include <time.h>
#include <unistd.h>

#include "audit_gate.h"
#include "audit_summary.h"
#include "cli.h"
#include "evidence.h"
#include "rules.h"
#include "fileio.h"
#include "log.h"
#include "osrelease.h"
#include "format.h"
#include "outputs.h"
#include "tattoo.h"
#include "status.h"
#include "tt.h"

static const char usage_tmpl[] =
    "usage: tattoo audit [--profile ID|PACK:ID] [--tailoring FILE] "
    "[--rule ID]...\n"
    "                    [--format FORMAT] [--output [FORMAT:]FILE]...\n"
    "                    [--rules FILE]...\n"
    "                    [--timeout SECONDS] [--save-status FILE]\n"
    "                    [--fail-under SCORE] [--fail-on low|medium|high]\n"
    "                    [--root DIR]\n"
    "\n"
    "Evaluates a profile's rules over this system, or over an image tree\n"
    "with --root (then only rules of the image scope are judged).\n"
    "\n"
    "  --profile ID     the profile (default: the configured `profile`, else\n"
    "                   the pack that applies to the root's os-release);\n"
    "                   PACK:ID names a pack's profile whatever the OS\n"
    "  --tailoring FILE  the site's tailoring of the profile (a JSON file on\n"
    "                   this host; default: the configured `tailoring`)\n"
    "  --rule ID        evaluate only this rule (repeatable)\n"
    "  --format FORMAT  @FORMATS@\n"
    "  --output FILE    write the result in --format's format to FILE\n"
    "                   (atomically), not stdout (at most one)\n"
    "  --output FORMAT:FILE  write the same result in FORMAT to FILE too\n"
    "                   (repeatable: one audit, the same generated_at in\n"
    "                   every file); FORMAT: is a ':' before any '/' (give\n"
    "                   a name holding ':' as ./NAME).  Standard output\n"
    "                   gets --format's output unless a plain --output is\n"
    "                   given, or only FORMAT:FILE ones without --format\n"
    "  --rules FILE     use this rule pack instead of the installed or\n"
    "                   built-in packs (repeatable)\n"
    "  --save-status FILE  also write the result as a status.json document\n"
    "                   to FILE (a host path, written atomically)\n"
    "  --timeout SECONDS  stop judging rules after this long (default 300,\n"
    "                   0: never); the rules left are \"error\"\n"
    "  --fail-under SCORE  exit 1 only when the score (0-100) is below SCORE\n"
    "  --fail-on SEVERITY  exit 1 only when a failing rule is this severe\n"
    "                   or more (low, medium, high); with --fail-under,\n"
    "                   either fails the audit\n"
    "  -v               text: list passing rules too\n"
    "\n"
    "On this system, writes the \"audit\" section of status.json in\n"
    "state_dir.  With --root it writes nothing but --output and\n"
    "--save-status: the image is left as it was, and the host's status is\n"
    "about the host.\n"
    "Exit: 0 every judged rule passes (or the --fail-under/--fail-on gate\n"
    "passes), 1 a rule fails (the gate fails), 2 usage (unknown profile,\n"
    "rule, format or severity, two outputs to one file), 3 bad rule pack\n"
    "or tailoring, 4 environment, an output that could not be written (the\n"
    "others are written), or the deadline passed before every rule was\n"
    "judged.\n";

enum {
	OPT_PROFILE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_RULE,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_RULES,
	OPT_SAVE_STATUS,
	OPT_TIMEOUT,
	OPT_FAIL_UNDER,
	OPT_FAIL_ON,
	OPT_TAILORING,
};

/* --save-status FILE: a status.json document of this audit alone, on the
 * host, so an image's audit can be kept without writing into the image
 * or mixing it with the host's own status. */
static int
save_status(const char *path, json_object *section)
{
	json_object *doc = json_object_new_object();
	char now[32];
	struct tm tm;
	time_t t = time(NULL);
	const char *text;
	int r;

	if (doc == NULL) {
		json_object_put(section);
		return -ENOMEM;
	}
	gmtime_r(&t, &tm);
	if (strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		now[0] = '\0';
	json_object_object_add(doc, "schema",
	    json_object_new_int(TT_STATUS_SCHEMA));
	json_object_object_add(doc, "updated", json_object_new_string(now));
	json_object_object_add(doc, "audit", section);
	text = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	r = text == NULL ?
	    -ENOMEM :
	    tt_atomic_write(NULL, path, text, strlen(text), 0644);
	json_object_put(doc);
	return r;
}

/* When the audit ran and the image's tattoo with its signature status go
 * into the document (evidence.h), so every format carries them; the html
 * and prom formats show the tattoo whole, and the drift flags and gallery
 * check of the last
 * report (status.json in the host's state_dir; only read). */
static int
format_context(struct tt_ctx *ctx, struct tt_format_input *in,
    json_object **tattoo, json_object **status)
{
	char why[512];
	int r;

	if ((r = tt_evidence_add(in->doc, &ctx->root, ctx->cfg.trusted_keys, 0,
		 tattoo, why, sizeof(why))) < 0) {
		tt_error("audit: %s", tt_strerror(r));
		return TT_EXIT_ENV;
	}
	if (why[0] != '\0')
		tt_warn("audit: %s: the tattoo's signature is not checked",
		    why);
	in->tattoo = *tattoo;
	if (tt_status_load(NULL, ctx->cfg.state_dir, status) == 0) {
		in->drift = tt_json_path(*status, "report.drift");
		in->image = tt_json_path(*status, "report.image");
	}
	return 0;
}

/* The status file is for policies on the system itself; an audit whose
 * status cannot be recorded still reports its result.  An image's audit
 * is not the host's status, and a read-only command leaves the image as
 * it was: only --save-status keeps it.  0 or the exit code (said). */
static int
record(struct tt_ctx *ctx, json_object *doc, const char *save)
{
	int r;

	if (tt_root_is_host(&ctx->root)) {
		r = tt_status_update(NULL, ctx->cfg.state_dir, "audit",
		    tt_audit_status_section(doc));
		if (r < 0)
			tt_warn("cannot update '%s/%s': %s", ctx->cfg.state_dir,
			    TT_STATUS_FILE, tt_strerror(r));
	}
	if (save != NULL &&
	    (r = save_status(save, tt_audit_status_section(doc))) < 0) {
		tt_error("audit: cannot write '%s': %s", save, tt_strerror(r));
		return TT_EXIT_ENV;
	}
	return 0;
}

/* The exit code of a job that stopped, said once. */
static int
job_failed(const struct tt_audit_job *job, int r, const char *err)
{
	switch (job->failed_at) {
	case TT_AUDIT_JOB_OSRELEASE:
		tt_error("audit: %s", err);
		return TT_EXIT_INPUT;
	case TT_AUDIT_JOB_PACKS:
		tt_error("%s", err);
		return r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
	case TT_AUDIT_JOB_PROFILE:
		tt_error("audit: %s", err);
		return TT_EXIT_USAGE;
	case TT_AUDIT_JOB_TAILORING:
		tt_error("audit: %s", err);
		return r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
	case TT_AUDIT_JOB_RUN:
		if (r == -ENOENT) {
			tt_error("audit: %s", err);
			return TT_EXIT_USAGE;
		}
		tt_error("audit: %s", tt_strerror(r));
		return TT_EXIT_ENV;
	default: tt_error("audit: out of memory"); return TT_EXIT_ENV;
	}
}

/* --timeout, --fail-under, --fail-on: 0, or the usage exit code
 * (said). */
static int
value_option(int c, const char *arg, struct tt_audit_job_opts *jo,
    struct tt_audit_gate *gate)
{
	const char *errstr = NULL;
	long n;

	if (c == OPT_FAIL_ON) {
		if (tt_severity_parse(arg, &gate->fail_on) == 0)
			return 0;
		tt_error("audit: --fail-on '%s' is not a severity (low, medium "
			 "or high)",
		    arg);
		return TT_EXIT_USAGE;
	}
	n = (long)strtonum(arg, 0, c == OPT_TIMEOUT ? 86400 : 100, &errstr);
	if (errstr != NULL) {
		tt_error("audit: %s '%s' is %s (0 to %s)",
		    c == OPT_TIMEOUT ? "--timeout" : "--fail-under", arg,
		    errstr, c == OPT_TIMEOUT ? "86400 seconds" : "100");
		return TT_EXIT_USAGE;
	}
	if (c == OPT_TIMEOUT) {
		jo->timeout_s = n;
	} else {
		gate->has_fail_under = true;
		gate->fail_under = n;
	}
	return 0;
}

/* The exit code of a completed audit, with what it could not judge and
 * what the gate said. */
static int
outcome(const struct tt_audit_job *job, const struct tt_audit_gate *gate)
{
	json_object *summary = NULL, *v;
	long error = 0;
	bool gated = gate->has_fail_under || gate->fail_on != TT_SEVERITY_NONE;
	char why[256];

	json_object_object_get_ex(job->doc, "summary", &summary);
	if (json_object_object_get_ex(summary, "error", &v))
		error = (long)json_object_get_int64(v);
	if (error > 0)
		tt_warn("%ld rule%s could not be judged (result \"error\")",
		    error, error == 1 ? "" : "s");
	/* An include budget overrun leaves its rules "error" like any
	 * unreadable file; a deadline leaves rules unjudged, so "every
	 * judged rule passes" would say too much. */
	if (job->audit.budget.spent != 0) {
		/* tt_log escapes the file names the reason quotes. */
		tt_warn("audit: %s: %s", job->audit.budget.why,
		    job->audit.budget.not_judged > 0 ?
			"the rules after it were not judged" :
			"the rules that needed more are \"error\"");
	}
	if (job->audit.budget.not_judged > 0)
		return TT_EXIT_ENV;
	if (!tt_audit_gate_fails(gate, job->doc, why, sizeof(why))) {
		if (gated)
			tt_info("audit: gate passed");
		return TT_EXIT_OK;
	}
	if (gated)
		tt_warn("audit: gate failed: %s", why);
	return TT_EXIT_FAIL;
}

int
cmd_audit(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "save-status", required_argument, NULL, OPT_SAVE_STATUS },
		{ "timeout", required_argument, NULL, OPT_TIMEOUT },
		{ "fail-under", required_argument, NULL, OPT_FAIL_UNDER },
		{ "fail-on", required_argument, NULL, OPT_FAIL_ON },
		{ "tailoring", required_argument, NULL, OPT_TAILORING },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char **rule_ids = NULL, **files = NULL;
	const char *format = NULL, *save = NULL;
	struct tt_outputs outs;
	struct tt_audit_gate gate = { 0 };
	struct tt_audit_job_opts jo = { .timeout_s = TT_AUDIT_TIMEOUT_S };
	struct tt_audit_job job = { 0 };
	struct tt_format_input in = { 0 };
	json_object *tattoo = NULL, *status = NULL;
	json_object *doc = NULL;
	char err[1024], usage[sizeof(usage_tmpl) + 1024];
	bool verbose = false;
	int c, r, rc;

	tt_outputs_init(&outs, TT_FORMAT_AUDIT);
	(void)tt_format_usage(usage, sizeof(usage), usage_tmpl,
	    TT_FORMAT_AUDIT);
	rule_ids = calloc((size_t)argc + 1, sizeof(*rule_ids));
	files = calloc((size_t)argc + 1, sizeof(*files));
	if (rule_ids == NULL || files == NULL) {
		tt_error("audit: out of memory");
		rc = TT_EXIT_ENV;
		goto out;
	}
	jo.rule_ids = rule_ids;
	jo.files = files;
	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: jo.want = optarg; break;
		case OPT_RULE: rule_ids[jo.nrule_ids++] = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTPUT:
			if ((rc = tt_cli_output_option(&outs, "audit",
				 optarg)) != 0)
				goto out;
			break;
		case OPT_RULES: files[jo.nfiles++] = optarg; break;
		case OPT_SAVE_STATUS: save = optarg; break;
		case OPT_TAILORING: jo.tailoring = optarg; break;
		case OPT_TIMEOUT:
		case OPT_FAIL_UNDER:
		case OPT_FAIL_ON:
			if ((rc = value_option(c, optarg, &jo, &gate)) != 0)
				goto out;
			break;
		default:
			if (c == 'v')
				verbose = true;
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			rc = stop;
			goto out;
		}
	}
	if (optind < argc) {
		tt_error("audit: unexpected argument '%s'", argv[optind]);
		rc = tt_usage(usage, true);
		goto out;
	}
	if ((r = tt_outputs_finish(&outs, format, format != NULL, err,
		 sizeof(err))) < 0) {
		tt_error("audit: %s", err);
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_USAGE;
		goto out;
	}
	if ((rc = tt_ctx_setup(ctx)) != 0)
		goto out;
	jo.root = &ctx->root;
	if (jo.want == NULL)
		jo.want = tt_ctx_profile(ctx);
	if (jo.tailoring == NULL)
		jo.tailoring = tt_ctx_tailoring(ctx);
	if ((r = tt_audit_job_run(&job, &jo, err, sizeof(err))) < 0) {
		rc = job_failed(&job, r, err);
		goto out;
	}
	doc = job.doc;
	in.doc = doc;
	in.color = ctx->color;
	in.verbose = verbose || ctx->verbose;
	if ((rc = format_context(ctx, &in, &tattoo, &status)) != 0)
		goto out;
	if ((rc = tt_cli_write_outputs(&outs, &in, "audit")) != 0)
		goto out;
	if ((rc = record(ctx, doc, save)) != 0)
		goto out;
	rc = outcome(&job, &gate);
out:
	tt_outputs_free(&outs);
	json_object_put(tattoo);
	json_object_put(status);
	tt_audit_job_free(&job);
	free(rule_ids);
	free(files);
	return rc;
}
