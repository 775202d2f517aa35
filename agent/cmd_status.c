#include <stdarg.h>
#include <sys/stat.h>
#include <time.h>

#include "cli.h"
#include "crypto.h"
#include "drift.h"
#include "fileio.h"
#include "log.h"
#include "osrelease.h"
#include "spool.h"
#include "status.h"
#include "tattoo.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo status [--json] [--root DIR] [--config FILE]\n"
    "\n"
    "The last report's state from status.json: when it ran, its tags and\n"
    "collector outcome, the spool's depth now, drift (the OS and tattoo\n"
    "age rechecked now) and compliance.  Writes the \"status\" section of\n"
    "status.json with what it rechecked.  status.json is the host's\n"
    "(state_dir); with --root the image's tattoo and os-release are\n"
    "rechecked and nothing is written anywhere.\n"
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

/* The spool's depth now (the last report's figure may be old). */
static long
live_depth(struct tt_ctx *ctx, uint64_t *bytes)
{
	struct tt_spool_entry *v = NULL;
	struct tt_spool s = { .dirfd = -1 };
	struct stat st;
	size_t n = 0;

	*bytes = 0;
	/* status reads; it does not create the spool directory. */
	if (tt_root_stat(NULL, ctx->cfg.spool_dir, &st, true) < 0)
		return 0;
	if (tt_spool_open(&s, NULL, ctx->cfg.spool_dir,
		ctx->cfg.spool_max_bytes) < 0)
		return -1;
	if (tt_spool_list(&s, &v, &n, bytes) < 0)
		n = 0;
	free(v);
	tt_spool_close(&s);
	return (long)n;
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
	json_object *st = NULL, *tattoo = NULL, *sec = NULL, *v;
	struct tt_osrelease os = { 0 };
	struct tt_drift drift;
	enum tt_verify_result verify = TT_VERIFY_MALFORMED;
	struct tt_keyring trusted = { 0 };
	const char *verify_said;
	char why[512], by[128], names[128];
	bool json = false, compliant, drifted;
	uint64_t bytes;
	long depth;
	int c, r, rc;

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
	r = tt_status_load(NULL, ctx->cfg.state_dir, &st);
	if (r == -EBADMSG) {
		tt_error("status: '%s/%s' is not a JSON object",
		    ctx->cfg.state_dir, TT_STATUS_FILE);
		return TT_EXIT_INPUT;
	}
	if (r < 0 && r != -ENOENT) {
		tt_error("status: cannot read '%s/%s': %s", ctx->cfg.state_dir,
		    TT_STATUS_FILE, tt_strerror(r));
		return TT_EXIT_ENV;
	}
	if (r == -ENOENT) {
		/* tattoo-status(8): no status yet is exit 2. */
		tt_term_fprintf(stdout,
		    "no status yet: neither audit nor report has run (no "
		    "'%s/%s')\n",
		    ctx->cfg.state_dir, TT_STATUS_FILE);
		return TT_EXIT_USAGE;
	}
	/* What can be rechecked without the network: the OS version, the
	 * tattoo's age and validity (its signature against trusted_keys);
	 * image drift is the last report's. */
	if (tt_keyring_add_list(&trusted, ctx->cfg.trusted_keys, why,
		sizeof(why)) < 0) {
		tt_error("status: %s", why);
		rc = TT_EXIT_INPUT;
		goto out;
	}
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &tattoo, why,
	    sizeof(why));
	if (r == 0)
		verify = tt_tattoo_verify(tattoo, trusted.key, trusted.n, why,
		    sizeof(why), by, sizeof(by));
	/* The same words as report's tag: "valid" only when a trusted key
	 * verified the signature. */
	verify_said =
	    r == -ENOENT ? "absent" : tt_verify_word(verify, trusted.n > 0);
	if (tt_osrelease_load(&os, &ctx->root) < 0)
		tt_osrelease_free(&os);
	tt_drift_compute(tattoo, verify, os.n ? &os : NULL, NULL, time(NULL),
	    ctx->cfg.max_tattoo_age_days, &drift);
	v = tt_json_path(st, "report.drift.image_mismatch");
	if (v != NULL && json_object_is_type(v, json_type_boolean))
		drift.image_mismatch =
		    json_object_get_boolean(v) ? TT_YES : TT_NO;
	depth = live_depth(ctx, &bytes);
	tt_drift_names(&drift, names, sizeof(names));

	if (st == NULL && (st = json_object_new_object()) == NULL) {
		rc = TT_EXIT_ENV;
		goto out;
	}
	if ((sec = json_object_new_object()) != NULL) {
		char now[32];
		struct tm tm;
		time_t t = time(NULL);

		gmtime_r(&t, &tm);
		if (strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
			now[0] = '\0';
		json_object_object_add(sec, "time",
		    json_object_new_string(now));
		json_object_object_add(sec, "spool_depth",
		    json_object_new_int64(depth));
		json_object_object_add(sec, "spool_bytes",
		    json_object_new_int64((int64_t)bytes));
		json_object_object_add(sec, "drift", tt_drift_json(&drift));
		json_object_object_add(sec, "drift_names",
		    json_object_new_string(names));
		json_object_object_add(sec, "verify",
		    json_object_new_string(verify_said));
		/* status is read-only for people without the state
		 * directory's rights: not being able to record is fine.
		 * What it rechecked in an image (--root) is not the host's
		 * status: nothing is recorded then. */
		if (tt_root_is_host(&ctx->root) &&
		    json_object_get(sec) != NULL &&
		    tt_status_update(NULL, ctx->cfg.state_dir, "status", sec) <
			0)
			tt_debug("status: cannot record the status section");
		json_object_object_add(st, "status", sec);
		sec = NULL;
	}
	v = tt_json_path(st, "audit.compliant");
	compliant = v != NULL && json_object_get_boolean(v);
	drifted = tt_drift_any(&drift);
	if (json) {
		puts(json_object_to_json_string_ext(st,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	} else {
		char n1[32];

		snprintf(n1, sizeof(n1), "%ld", depth);
		field("last report", "%s (%s)",
		    s_at(st, "report.time", "never"),
		    s_at(st, "report.report_id", "-"));
		field("tags", "%s%s%s", s_at(st, "report.tags", "-"),
		    s_at(st, "report.tags_note", "")[0] ? ": " : "",
		    s_at(st, "report.tags_note", ""));
		field("collector",
		    "%s, %s in the spool (%llu bytes), %s dropped",
		    s_at(st, "report.collector", "-"), n1,
		    (unsigned long long)bytes, s_at(st, "report.dropped", "0"));
		field("tattoo", "%s", verify_said);
		field("compliance", "%s, %s failing (profile %s, score %s)",
		    tt_json_path(st, "audit.compliant") == NULL ? "unknown" :
			compliant				? "compliant" :
								  "noncompliant",
		    s_at(st, "audit.summary.fail", "?"),
		    s_at(st, "audit.profile", "?"),
		    s_at(st, "audit.score", "?"));
		field("drift", "%s%s%s", names, drift.why[0] ? ": " : "",
		    drift.why);
	}
	rc = compliant && !drifted ? TT_EXIT_OK : TT_EXIT_FAIL;
out:
	tt_keyring_free(&trusted);
	json_object_put(sec);
	json_object_put(st);
	json_object_put(tattoo);
	tt_osrelease_free(&os);
	return rc;
}
