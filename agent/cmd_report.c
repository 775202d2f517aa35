#include <signal.h>
#include <time.h>
#include <unistd.h>

#include "audit_summary.h"
#include "audit_child.h"
#include "cli.h"
#include "crypto.h"
#include "drift.h"
#include "fileio.h"
#include "http.h"
#include "imds.h"
#include "log.h"
#include "osrelease.h"
#include "report.h"
#include "runlock.h"
#include "sink.h"
#include "spool.h"
#include "status.h"
#include "tags.h"
#include "tattoo.h"
#include "term.h"
#include "token.h"
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

static int64_t
mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
add_unfinished(char *buf, size_t size, const char *what)
{
	if (buf[0] != '\0')
		strlcat(buf, "; ", size);
	strlcat(buf, what, size);
}

/* Retry rounds of one run when the collector fails; the timer brings the
 * next run.  Full jitter (Fluent Bit's scheduler, AWS's backoff study):
 * sleep a random time in [0, min(cap, base * 2^round)]. */
#define SEND_ROUNDS 4
#define BACKOFF_BASE_S 2
#define BACKOFF_CAP_S 60
/* How long a second run waits for the lock before leaving the round to
 * the first (seconds of the documented schedule, so tests can shrink it). */
#define LOCK_WAIT_S 5

struct run {
	struct tt_ctx *ctx;
	const struct tt_sink *sink;
	struct tt_sink_ctx sctx;
	struct tt_spool spool;
	bool have_spool;
	unsigned delivered, refused, pending, bad;
	char last_error[PATH_MAX + 512];
};

static bool
have_collector(const struct tt_config *cfg)
{
	return cfg->collector_url[0] != '\0' ||
	    TT_STREQ(cfg->collector_format, "syslog");
}

/*
 * The tattoo's verification for the tags, the report and status.json:
 * "valid" only for a tattoo signed by a key of trusted_keys; without
 * trusted_keys, "digest-ok" says no more than was checked.  detail gets
 * the reason in words (sanitised: it quotes the image).
 */
static const char *
verify_tattoo(json_object *tattoo, bool present, struct tt_keyring *kr,
    enum tt_verify_result *v, char *detail, size_t detail_len)
{
	char by[TT_KEY_ID_MAX];

	if (!present)
		return "absent";
	if (tattoo != NULL)
		*v = tt_tattoo_verify(tattoo, kr->key, kr->n, detail,
		    detail_len, by, sizeof(by));
	if (tattoo != NULL && *v == TT_VERIFY_VALID) {
		if (by[0] != '\0')
			snprintf(detail, detail_len,
			    "signed by %.64s, a key of trusted_keys", by);
		else
			snprintf(detail, detail_len,
			    "the digest matches; the signature is not "
			    "checked (no trusted_keys)");
	}
	tt_term_sanitize(detail, detail_len, TT_TERM_FIELD);
	return tt_verify_word(*v, kr->n > 0);
}

static uint64_t
previous_dropped(struct tt_ctx *ctx)
{
	json_object *st = NULL, *v;
	uint64_t n = 0;

	if (tt_status_load(NULL, ctx->cfg.state_dir, &st) < 0)
		return 0;
	v = tt_json_path(st, "report.dropped");
	if (v != NULL && json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) > 0)
		n = (uint64_t)json_object_get_int64(v);
	json_object_put(st);
	return n;
}

/* The count of dropped reports the spool keeps; status.json's (seed)
 * where the spool kept none yet, as before this count was kept there. */
static uint64_t
spool_dropped(struct run *run, uint64_t seed)
{
	uint64_t n = 0;
	int r = tt_spool_dropped(&run->spool, &n);

	if (r == 0)
		return n;
	/* -ENOENT (no count yet) or -EBADMSG (not one). */
	if (r == -EBADMSG) {
		tt_warn("'%s/%s' is not a count: counting again from %llu",
		    run->spool.dir, TT_SPOOL_DROPPED_FILE,
		    (unsigned long long)seed);
		(void)unlinkat(run->spool.dirfd, TT_SPOOL_DROPPED_FILE, 0);
	}
	if (seed > 0)
		(void)tt_spool_count_dropped(&run->spool, seed);
	return seed;
}

/* Sends one spooled report; true when the round may go on. */
static bool
send_one(struct run *run, const char *name)
{
	struct tt_buf text, body;
	json_object *report = NULL;
	enum tt_sink_result res;
	char why[512];
	bool go_on = true;
	int r;

	tt_buf_init(&body, TT_SINK_MAX_BODY);
	if ((r = tt_spool_read(&run->spool, name, &text)) < 0) {
		tt_warn("cannot read spooled report '%s/%s': %s",
		    run->spool.dir, name, tt_strerror(r));
		return true;
	}
	if (tt_spool_parse(name, text.data, text.len, &report, why,
		sizeof(why)) < 0) {
		/* Kept aside for a person, never sent, never deleted. */
		tt_warn("spooled report '%s/%s' is damaged (%s): kept as "
			"'%s.bad'",
		    run->spool.dir, name, why, name);
		tt_spool_quarantine(&run->spool, name);
		run->bad++;
		goto out;
	}
	if ((r = run->sink->encode(report, &body)) < 0) {
		tt_warn("cannot encode report '%s' for %s: %s", name,
		    run->sink->name, tt_strerror(r));
		run->pending++;
		go_on = false;
		goto out;
	}
	res = run->sink->send(&run->sctx, &body, why, sizeof(why));
	switch (res) {
	case TT_SINK_OK:
		if ((r = tt_spool_remove(&run->spool, name)) < 0)
			tt_warn("delivered report '%s' could not be removed "
				"from the spool: %s (the collector will see "
				"it again; report_id deduplicates)",
			    name, tt_strerror(r));
		run->delivered++;
		break;
	case TT_SINK_DROP:
		tt_error("the collector refused report '%s' for good: %s; "
			 "dropped and counted",
		    name, why);
		if ((r = tt_spool_count_dropped(&run->spool, 1)) < 0 &&
		    r != -TT_ENOTDURABLE)
			tt_warn("cannot count the refused report in '%s/%s': "
				"%s",
			    run->spool.dir, TT_SPOOL_DROPPED_FILE,
			    tt_strerror(r));
		tt_spool_remove(&run->spool, name);
		run->refused++;
		break;
	case TT_SINK_RETRY:
		strlcpy(run->last_error, why, sizeof(run->last_error));
		run->pending++;
		go_on = false;
		break;
	}
out:
	json_object_put(report);
	tt_buf_free(&text);
	tt_buf_free(&body);
	return go_on;
}

/* One pass over the spool, oldest first, stopping at the first failure so
 * that order holds.  Returns the number of reports left. */
static size_t
send_round(struct run *run)
{
	struct tt_spool_entry *v = NULL;
	size_t n = 0, left = 0;
	uint64_t bytes;
	int r;

	run->pending = 0;
	if ((r = tt_spool_list(&run->spool, &v, &n, &bytes)) < 0) {
		snprintf(run->last_error, sizeof(run->last_error),
		    "cannot list the spool '%s': %s", run->spool.dir,
		    tt_strerror(r));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!send_one(run, v[i].name)) {
			left = n - i;
			break;
		}
	}
	free(v);
	return left;
}

static size_t
spool_depth(struct run *run, uint64_t *ret_bytes)
{
	struct tt_spool_entry *v = NULL;
	size_t n = 0;

	*ret_bytes = 0;
	if (!run->have_spool ||
	    tt_spool_list(&run->spool, &v, &n, ret_bytes) < 0)
		return 0;
	free(v);
	return n;
}

static void
print_dry_run(struct tt_ctx *ctx, const struct tt_sink *sink,
    json_object *report, const struct tt_tagset *tags,
    const struct tt_imds_instance *inst, const char *tags_note)
{
	struct tt_buf body;
	json_object *tj;

	const char *text;

	/* The tags and the body quote the image and IMDS: JSON escapes
	 * C0 controls, not C1 or bidi ones, so they go through term.h's
	 * sanitiser too, as lines. */
	if (tags_note != NULL)
		tt_term_fprintf(stdout, "tags: skipped: %s\n", tags_note);
	else {
		tj = tt_tags_json(tags);
		tt_term_fprintf(stdout, "would tag %s (Merge):\n",
		    inst->resource_id);
		text = tj ?
		    json_object_to_json_string_ext(tj,
			JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			    JSON_C_TO_STRING_NOSLASHESCAPE) :
		    "?";
		tt_term_write(stdout, text, strlen(text), TT_TERM_LINES);
		putchar('\n');
		json_object_put(tj);
	}
	if (!have_collector(&ctx->cfg) || sink == NULL) {
		printf("collector: none configured (collector_url)\n");
		return;
	}
	tt_buf_init(&body, TT_SINK_MAX_BODY);
	if (sink->encode(report, &body) == 0) {
		tt_term_fprintf(stdout, "would send to %s (%s):\n",
		    ctx->cfg.collector_url[0] ? ctx->cfg.collector_url :
						"/dev/log",
		    sink->name);
		tt_term_write(stdout, body.data, body.len, TT_TERM_LINES);
		putchar('\n');
	}
	tt_buf_free(&body);
}

static json_object *
status_section(json_object *report, const char *tags_state,
    const char *tags_note, const char *collector, size_t depth, uint64_t bytes,
    uint64_t dropped, uint64_t dropped_cap, uint64_t dropped_refused)
{
	json_object *o = json_object_new_object(), *v, *c;
	static const char *const copy[] = { "report_id", "verify", "drift",
		"summary", "vm" };

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "time",
	    json_object_new_string(tt_report_str(report, "created")));
	for (size_t i = 0; i < TT_ARRAY_SIZE(copy); i++) {
		c = NULL;
		if (json_object_object_get_ex(report, copy[i], &v) &&
		    v != NULL && json_object_deep_copy(v, &c, NULL) < 0)
			c = NULL;
		json_object_object_add(o, copy[i], c);
	}
	json_object_object_add(o, "tags", json_object_new_string(tags_state));
	json_object_object_add(o, "tags_note",
	    json_object_new_string(tags_note));
	json_object_object_add(o, "collector",
	    json_object_new_string(collector));
	json_object_object_add(o, "spool_depth",
	    json_object_new_int64((int64_t)depth));
	json_object_object_add(o, "spool_bytes",
	    json_object_new_int64((int64_t)bytes));
	json_object_object_add(o, "dropped",
	    json_object_new_int64((int64_t)dropped));
	json_object_object_add(o, "dropped_cap",
	    json_object_new_int64((int64_t)dropped_cap));
	json_object_object_add(o, "dropped_refused",
	    json_object_new_int64((int64_t)dropped_refused));
	return o;
}

static long
jitter_ms(const struct tt_config *cfg, int round, long retry_after_s)
{
	long cap = BACKOFF_BASE_S << round;
	long ms;

	if (cap > BACKOFF_CAP_S)
		cap = BACKOFF_CAP_S;
	ms = (long)arc4random_uniform((uint32_t)(cap * 1000 + 1)) *
	    cfg->retry_scale_ms / 1000;
	if (retry_after_s > 0 && retry_after_s <= BACKOFF_CAP_S &&
	    retry_after_s * cfg->retry_scale_ms > ms)
		ms = retry_after_s * cfg->retry_scale_ms;
	return ms;
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
	struct run run = { .ctx = ctx, .spool = { .dirfd = -1 } };
	struct tt_token_cache tokens = { 0 };
	struct tt_audit_child auditor = { .pid = 0, .fd = -1 };
	struct tt_imds_instance *inst = NULL;
	struct tt_osrelease os = { 0 };
	struct tt_drift drift;
	struct tt_tagset tags = { 0 };
	struct tt_report_input in = { 0 };
	json_object *tattoo = NULL, *audit = NULL, *report = NULL;
	char why[1024], imds_why[512], audit_why[512], verify_why[512];
	char tags_msg[1024] = "", name[TT_SPOOL_NAME_LEN + 1];
	char unfinished[1024] = "";
	long timeout_s = REPORT_TIMEOUT_S;
	int64_t start_ms = mono_ms(), deadline_ms;
	const char *errstr;
	const char *tags_state = "off", *tags_note = NULL;
	const char *collector = "none", *verify_said;
	struct tt_keyring trusted = { 0 };
	enum tt_verify_result verify = TT_VERIFY_MALFORMED;
	bool once = false, dry_run = false, tattoo_present = false;
	bool audit_ok = false;
	bool tags_failed = false, send_failed = false, spool_failed = false;
	uint64_t dropped_prev = 0, dropped_cap = 0, bytes = 0;
	char *bearer = NULL;
	size_t left = 0, depth;
	int lockfd = -1, c, r, rc = TT_EXIT_ENV;
	time_t now;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_ONCE: once = true; break;
		case OPT_DRY_RUN: dry_run = true; break;
		case OPT_TIMEOUT:
			timeout_s = (long)strtonum(optarg, 1, 86400, &errstr);
			if (errstr != NULL) {
				tt_error("report: --timeout '%s' is %s (1 to "
					 "86400 seconds)",
				    optarg, errstr);
				return TT_EXIT_USAGE;
			}
			break;
		case 'h': return tt_usage(usage, false);
		default:
			if (tt_ctx_global_option(ctx, c, optarg))
				break;
			return tt_usage(usage, true);
		}
	}
	if (optind < argc) {
		tt_error("report: unexpected argument '%s'", argv[optind]);
		return tt_usage(usage, true);
	}
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	rc = TT_EXIT_ENV;
	deadline_ms = start_ms + (int64_t)timeout_s * 1000;
	signal(SIGALRM, on_deadline);
	alarm((unsigned)timeout_s);
	run.sink = tt_sink_find(ctx->cfg.collector_format);
	if (run.sink == NULL) {
		/* config.c accepts only the formats of the table. */
		tt_error("report: unknown collector_format '%s'",
		    ctx->cfg.collector_format);
		return TT_EXIT_INPUT;
	}
	if (!dry_run && have_collector(&ctx->cfg) &&
	    ctx->cfg.collector_token_file[0] != '\0' &&
	    tt_sink_read_token_file(ctx->cfg.collector_token_file, &bearer, why,
		sizeof(why)) < 0) {
		tt_error("report: collector_token_file: %s", why);
		return TT_EXIT_INPUT;
	}
	/* Before the lock: a key file that cannot be trusted is a bad
	 * configuration, said at once. */
	if (tt_keyring_add_list(&trusted, ctx->cfg.trusted_keys, why,
		sizeof(why)) < 0) {
		tt_error("report: %s", why);
		rc = TT_EXIT_INPUT;
		goto out;
	}
	if (!dry_run) {
		lockfd = tt_runlock_take(NULL, ctx->cfg.state_dir,
		    LOCK_WAIT_S * ctx->cfg.retry_scale_ms);
		if (lockfd == -EWOULDBLOCK) {
			tt_term_fprintf(stdout,
			    "another 'tattoo report' is running (lock "
			    "'%s/%s'): this round is left to it\n",
			    ctx->cfg.state_dir, TT_RUNLOCK_FILE);
			rc = TT_EXIT_OK;
			goto out;
		}
		if (lockfd < 0) {
			tt_error("report: cannot lock '%s/%s': %s",
			    ctx->cfg.state_dir, TT_RUNLOCK_FILE,
			    tt_strerror(lockfd));
			goto out;
		}
	}
	now = time(NULL);

	/* The audit runs in a child of its own while this process reads the
	 * tattoo and asks IMDS; forked now, while there is one thread. */
	audit_ok = tt_audit_child_start(ctx, NULL,
		       timeout_s / 2 > 0 ? timeout_s / 2 : 1, &auditor,
		       audit_why, sizeof(audit_why)) == 0;

	/* What the VM is. */
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &tattoo, verify_why,
	    sizeof(verify_why));
	if (r == 0) {
		tattoo_present = true;
	} else if (r == -ENOENT) {
		snprintf(verify_why, sizeof(verify_why), "no tattoo at %s",
		    TT_TATTOO_PATH);
	} else {
		/* A tattoo that cannot be read is there but invalid. */
		tattoo_present = true;
		verify = TT_VERIFY_MALFORMED;
	}
	verify_said = verify_tattoo(tattoo, tattoo_present, &trusted, &verify,
	    verify_why, sizeof(verify_why));
	tt_term_sanitize(verify_why, sizeof(verify_why), TT_TERM_FIELD);
	r = tt_osrelease_load(&os, &ctx->root);
	if (r < 0 && r != -ENOENT)
		tt_warn("report: cannot read os-release: %s", tt_strerror(r));
	if ((inst = calloc(1, sizeof(*inst))) == NULL) {
		tt_error("report: out of memory");
		goto out;
	}
	if (tt_imds_get_instance(&ctx->cfg, inst, imds_why, sizeof(imds_why)) <
	    0) {
		tt_term_sanitize(imds_why, sizeof(imds_why), TT_TERM_FIELD);
		tt_info("report: %s", imds_why);
		free(inst);
		inst = NULL;
	}
	if (audit_ok) {
		int64_t wait = start_ms + (int64_t)timeout_s * 750 - mono_ms();

		r = tt_audit_child_finish(&auditor, wait > 0 ? (long)wait : 0,
		    &audit, audit_why, sizeof(audit_why));
		audit_ok = r == 0;
		if (r == -ETIMEDOUT)
			add_unfinished(unfinished, sizeof(unfinished),
			    audit_why);
		else if (r == 0 && tt_json_path(audit, "incomplete") != NULL) {
			char note[512];

			snprintf(note, sizeof(note), "the audit: %s",
			    json_object_get_string(
				tt_json_path(audit, "incomplete")));
			add_unfinished(unfinished, sizeof(unfinished), note);
		}
	}
	if (!audit_ok) {
		tt_term_sanitize(audit_why, sizeof(audit_why), TT_TERM_FIELD);
		tt_warn("report: no audit: %s", audit_why);
		audit = NULL;
	}
	tt_drift_compute(tattoo, verify, os.n ? &os : NULL, inst, now,
	    ctx->cfg.max_tattoo_age_days, &drift);
	if (!dry_run)
		dropped_prev = previous_dropped(ctx);

	in.tattoo = tattoo;
	in.tattoo_note = tattoo ? "" : verify_why;
	in.verify = verify_said;
	in.verify_detail = verify_why;
	in.inst = inst;
	in.imds_note = imds_why;
	in.audit = audit;
	in.audit_error = audit_why;
	in.drift = &drift;
	in.dropped = dropped_prev;
	in.now = now;
	if ((r = tt_report_build(&in, &report)) < 0) {
		tt_error("report: cannot build the report: %s", tt_strerror(r));
		goto out;
	}

	/* The tags it asks for. */
	if (!ctx->cfg.tags)
		tags_note = "tags = off in the configuration";
	else if (inst == NULL)
		tags_note = "not on Azure (no answer from IMDS)";
	else if (tt_tags_from_report(&tags, ctx->cfg.tag_prefix, report) < 0)
		tags_note = "too many tags";

	if (dry_run) {
		print_dry_run(ctx, run.sink, report, &tags, inst, tags_note);
		rc = TT_EXIT_OK;
		goto out;
	}

	/* Written before anything is sent: a crash from here on leaves the
	 * report in the spool for the next run. */
	if (have_collector(&ctx->cfg)) {
		const char *text;
		int64_t ns;
		struct timespec ts;

		collector = "spooled";
		clock_gettime(CLOCK_REALTIME, &ts);
		ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
		tt_spool_name(ns, tt_report_str(report, "report_id"), name,
		    sizeof(name));
		r = tt_spool_open(&run.spool, NULL, ctx->cfg.spool_dir,
		    ctx->cfg.spool_max_bytes);
		if (r < 0) {
			tt_error("report: cannot open the spool '%s': %s",
			    ctx->cfg.spool_dir, tt_strerror(r));
			spool_failed = true;
		} else {
			run.have_spool = true;
			tt_spool_clean(&run.spool);
			/* The spool's count survives a run that could not
			 * write status.json. */
			dropped_prev = spool_dropped(&run, dropped_prev);
			tt_report_set_dropped(report, dropped_prev);
			text = json_object_to_json_string_ext(report,
			    JSON_C_TO_STRING_PLAIN |
				JSON_C_TO_STRING_NOSLASHESCAPE);
			r = text ? tt_spool_put(&run.spool, name, text,
				       strlen(text), &dropped_cap) :
				   -ENOMEM;
			if (r == 0 && dropped_cap > 0) {
				/* The report says how many were dropped to
				 * make room for it. */
				tt_warn("report: spool_max_bytes (%llu) "
					"reached: the %llu oldest report%s "
					"dropped",
				    (unsigned long long)ctx->cfg.spool_max_bytes,
				    (unsigned long long)dropped_cap,
				    dropped_cap == 1 ? " was" : "s were");
				tt_report_set_dropped(report,
				    dropped_prev + dropped_cap);
				text = json_object_to_json_string_ext(report,
				    JSON_C_TO_STRING_PLAIN |
					JSON_C_TO_STRING_NOSLASHESCAPE);
				r = text ? tt_atomic_write_at(run.spool.dirfd,
					       name, text, strlen(text), 0600) :
					   -ENOMEM;
			}
			if (r == -TT_ENOTDURABLE) {
				/* In the spool and visible, so it is sent
				 * like the others; only a crash before the
				 * disk catches up could lose it. */
				tt_warn("report: '%s/%s' is in the spool but "
					"may not survive a crash: %s",
				    run.spool.dir, name, tt_strerror(r));
			} else if (r < 0) {
				tt_error("report: cannot write '%s/%s': %s",
				    run.spool.dir, name, tt_strerror(r));
				spool_failed = true;
			}
		}
	}

	/* Tags. */
	if (tags_note != NULL) {
		tags_state = ctx->cfg.tags ? "skipped" : "off";
		if (ctx->cfg.tags)
			strlcpy(tags_msg, tags_note, sizeof(tags_msg));
		tt_info("report: tags skipped: %s", tags_note);
	} else {
		switch (tt_tags_apply(&ctx->cfg, NULL, &tags, inst, &tokens,
		    now, tags_msg, sizeof(tags_msg))) {
		case TT_TAGS_WRITTEN: tags_state = "written"; break;
		case TT_TAGS_UNCHANGED: tags_state = "unchanged"; break;
		case TT_TAGS_FAILED:
			tags_state = "failed";
			tags_failed = true;
			tt_term_sanitize(tags_msg, sizeof(tags_msg),
			    TT_TERM_FIELD);
			tt_error("report: tags: %s", tags_msg);
			break;
		}
	}

	/* The collector, oldest first. */
	run.sctx.cfg = &ctx->cfg;
	run.sctx.tokens = &tokens;
	run.sctx.bearer = bearer;
	if (run.have_spool) {
		for (int round = 0;; round++) {
			left = send_round(&run);
			long pause;

			if (left == 0 || once || round + 1 >= SEND_ROUNDS)
				break;
			pause =
			    jitter_ms(&ctx->cfg, round, run.sctx.retry_after_s);
			/* A retry that could not end before the deadline
			 * is left to the next round. */
			if (mono_ms() + pause + 15000 > deadline_ms) {
				add_unfinished(unfinished, sizeof(unfinished),
				    "the retries of the collector (the "
				    "deadline is near)");
				break;
			}
			tt_info("report: %s; retrying", run.last_error);
			tt_sleep_ms(pause);
		}
		collector = left == 0 ? "delivered" : "spooled";
		if (left > 0) {
			send_failed = true;
			tt_term_sanitize(run.last_error, sizeof(run.last_error),
			    TT_TERM_FIELD);
			tt_error("report: %s; %zu report%s kept in '%s'",
			    run.last_error, left, left == 1 ? "" : "s",
			    run.spool.dir);
		}
	}
	if (spool_failed && have_collector(&ctx->cfg)) {
		/* This report is not in the spool: send it directly rather
		 * than not at all, after the older ones. */
		struct tt_buf body;

		tt_buf_init(&body, TT_SINK_MAX_BODY);
		if (run.sink->encode(report, &body) == 0 &&
		    run.sink->send(&run.sctx, &body, why, sizeof(why)) ==
			TT_SINK_OK) {
			collector = "delivered without spool";
			run.delivered++;
		} else
			collector = "lost: spool failed and the collector "
				    "did not take it";
		tt_buf_free(&body);
	}

	depth = spool_depth(&run, &bytes);
	{
		json_object *sec =
		    status_section(report, tags_state, tags_msg, collector,
			depth, bytes, dropped_prev + dropped_cap + run.refused,
			dropped_cap, run.refused);

		/* What the deadline cut short, for `tattoo status`. */
		if (sec != NULL && unfinished[0] != '\0')
			json_object_object_add(sec, "unfinished",
			    json_object_new_string(unfinished));
		r = tt_status_update(NULL, ctx->cfg.state_dir, "report", sec);
	}
	if (r < 0)
		tt_warn("cannot update '%s/%s': %s", ctx->cfg.state_dir,
		    TT_STATUS_FILE, tt_strerror(r));
	if (audit != NULL) {
		json_object *a = NULL;

		if (json_object_deep_copy(audit, &a, NULL) == 0)
			tt_status_update(NULL, ctx->cfg.state_dir, "audit", a);
	}

	tt_term_fprintf(stdout,
	    "report %s: %s, %lld failing, tattoo %s, "
	    "drift %s\n",
	    tt_report_str(report, "report_id"),
	    tt_report_str(report, "summary.compliance"),
	    (long long)json_object_get_int64(
		tt_json_path(report, "summary.failing")),
	    tt_report_str(report, "verify"),
	    tt_report_str(report, "summary.drift"));
	tt_term_fprintf(stdout, "tags: %s%s%s\n", tags_state,
	    tags_msg[0] ? ": " : "", tags_msg);
	if (have_collector(&ctx->cfg))
		printf("collector: %u delivered, %zu in the spool%s\n",
		    run.delivered, depth,
		    run.refused ? " (some refused, see above)" : "");
	else
		printf("collector: none configured\n");
	rc = tags_failed || send_failed || spool_failed ? TT_EXIT_ENV :
							  TT_EXIT_OK;
	if (unfinished[0] != '\0') {
		tt_error("report: not finished within the deadline (%ld s): %s",
		    timeout_s, unfinished);
		rc = TT_EXIT_ENV;
	}
out:
	tt_audit_child_abandon(&auditor);
	if (bearer != NULL) {
		explicit_bzero(bearer, strlen(bearer));
		free(bearer);
	}
	tt_token_cache_free(&tokens);
	tt_keyring_free(&trusted);
	tt_spool_close(&run.spool);
	json_object_put(report);
	json_object_put(audit);
	json_object_put(tattoo);
	tt_osrelease_free(&os);
	free(inst);
	if (lockfd >= 0)
		close(lockfd);
	alarm(0);
	return rc;
}
