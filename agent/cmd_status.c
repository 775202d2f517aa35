#include <stdarg.h>
#include <time.h>

#include "cli.h"
#include "fileio.h"
#include "log.h"
#include "status.h"
#include "tattoo.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo status [--json] [--root DIR] [--config FILE]\n"
    "\n"
    "The last report's state from status.json: when it ran, its tags and\n"
    "collector outcome, the spool's depth now, drift (the OS and tattoo\n"
    "age rechecked now) and compliance (unknown once a rollback has\n"
    "changed the system since the last audit).  Writes the \"status\"\n"
    "section of status.json with what it rechecked.  status.json is the\n"
    "host's (state_dir); with --root the image's tattoo and os-release\n"
    "are rechecked and nothing is written anywhere.\n"
    "\n"
    "  --json  the status document as JSON\n"
    "\n"
    "Exit: 0 compliant without drift, 1 non-compliant or drifted, 2 usage\n"
    "or no status yet, 3 status.json malformed, 4 environment.\n";

enum { OPT_JSON = TT_OPT_FIRST_COMMAND_OPT };

static void field(const char *label, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One "label: value" line; the value quotes files and the network, so
 * tt_term_vprintf escapes every %s of it (term.h). */
static void
field(const char *label, const char *fmt, ...)
{
	struct tt_buf b;
	va_list ap;

	tt_buf_init(&b, TT_TERM_MAX);
	tt_term_printf(&b, "%-12s ", label);
	va_start(ap, fmt);
	tt_term_vprintf(&b, fmt, ap);
	va_end(ap);
	if (tt_buf_putc(&b, '\n') == 0)
		(void)fwrite(b.data, 1, b.len, stdout);
	tt_buf_free(&b);
}

static const char *
s_at(json_object *o, const char *path, const char *dflt)
{
	json_object *v = o ? tt_json_path(o, path) : NULL;

	return v != NULL && !json_object_is_type(v, json_type_null) ?
	    json_object_get_string(v) :
	    dflt;
}

/* The exit code of a check that stopped, said once. */
static int
failed(const struct tt_status_view *v, const char *err)
{
	switch (v->failure) {
	case TT_STATUS_FAILED_ABSENT:
		/* tattoo-status(8): no status yet is exit 2. */
		tt_term_fprintf(stdout,
		    "no status yet: neither audit nor report has run (%s)\n",
		    err);
		return TT_EXIT_USAGE;
	case TT_STATUS_FAILED_MALFORMED:
	case TT_STATUS_FAILED_KEYS:
		tt_error("status: %s", err);
		return TT_EXIT_INPUT;
	default: tt_error("status: %s", err); return TT_EXIT_ENV;
	}
}

/* The status in words, a line a field. */
static void
print_text(const struct tt_status_view *v)
{
	json_object *st = v->doc;
	char n1[32];

	snprintf(n1, sizeof(n1), "%ld", v->depth);
	field("last report", "%s (%s)", s_at(st, "report.time", "never"),
	    s_at(st, "report.report_id", "-"));
	field("tags", "%s%s%s", s_at(st, "report.tags", "-"),
	    s_at(st, "report.tags_note", "")[0] ? ": " : "",
	    s_at(st, "report.tags_note", ""));
	field("collector", "%s, %s in the spool (%llu bytes), %s dropped",
	    s_at(st, "report.collector", "-"), n1, (unsigned long long)v->bytes,
	    s_at(st, "report.dropped", "0"));
	field("tattoo", "%s", v->verify);
	if (v->stale != NULL)
		field("compliance",
		    "unknown: %s (the last audit, %s: %s failing, score %s)",
		    json_object_get_string(v->stale),
		    s_at(st, "audit.time", "?"),
		    s_at(st, "audit.summary.fail", "?"),
		    s_at(st, "audit.score", "?"));
	else
		field("compliance", "%s, %s failing (profile %s, score %s)",
		    tt_json_path(st, "audit.compliant") == NULL ? "unknown" :
			v->compliant				? "compliant" :
								  "noncompliant",
		    s_at(st, "audit.summary.fail", "?"),
		    s_at(st, "audit.profile", "?"),
		    s_at(st, "audit.score", "?"));
	field("drift", "%s%s%s", v->drift_names, v->drift.why[0] ? ": " : "",
	    v->drift.why);
	field("image", "%s%s%s%s%s%s", s_at(st, "report.image.status", "-"),
	    s_at(st, "report.image.latest", "")[0] ? " (latest " : "",
	    s_at(st, "report.image.latest", ""),
	    s_at(st, "report.image.latest", "")[0] ? ")" : "",
	    s_at(st, "report.image.why", "")[0] ? ": " : "",
	    s_at(st, "report.image.why", ""));
}

int
cmd_status(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	struct tt_status_view v;
	char err[PATH_MAX + 512];
	bool json = false;
	int c, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_JSON: json = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc)
		return tt_usage(usage, true);
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	if (tt_status_check(&ctx->root, &ctx->cfg, time(NULL), &v, err,
		sizeof(err)) < 0) {
		rc = failed(&v, err);
		json_object_put(v.doc);
		return rc;
	}
	if (v.not_recorded)
		tt_debug("status: cannot record the status section");
	if (json)
		puts(json_object_to_json_string_ext(v.doc,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	else
		print_text(&v);
	json_object_put(v.doc);
	return v.compliant && !v.drifted ? TT_EXIT_OK : TT_EXIT_FAIL;
}
