#include <stdarg.h>
#include <time.h>
#include <unistd.h>

#include "audit_child.h"
#include "crypto.h"
#include "drift.h"
#include "fileio.h"
#include "gallery.h"
#include "imds.h"
#include "osrelease.h"
#include "report.h"
#include "report_round.h"
#include "sbom.h"
#include "retry.h"
#include "runlock.h"
#include "spool.h"
#include "status.h"
#include "tattoo.h"
#include "term.h"
#include "token.h"
#include "tt.h"

/* How long a second run waits for the lock before leaving the round to
 * the first (seconds of the documented schedule, so tests can shrink it). */
#define LOCK_WAIT_S 5

/* The state of one round, passed between its steps. */
struct round {
	struct tt_ctx *ctx;
	const struct tt_report_opts *opts;
	struct tt_report_outcome *out;
	const struct tt_sink *sink;
	struct tt_sink_ctx sctx;
	struct tt_spool spool;
	bool have_spool;
	unsigned pending, bad;
	char last_error[PATH_MAX + 512];
	struct tt_token_cache tokens;
	struct tt_audit_child auditor;
	struct tt_keyring trusted;
	json_object *tattoo, *audit;
	enum tt_verify_result verify;
	const char *verify_said;
	char imds_why[512], audit_why[512], verify_why[512];
	char name[TT_SPOOL_NAME_LEN + 1];
	bool audit_ok, spool_failed;
	uint64_t dropped_prev, dropped_cap;
	char *bearer;
	time_t now;
};

static void __attribute__((format(printf, 3, 4)))
say(const struct round *rd, enum tt_log_level level, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rd->opts->say(level, msg);
}

int64_t
tt_report_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
tt_report_note_unfinished(char *buf, size_t size, const char *what)
{
	if (buf[0] != '\0')
		strlcat(buf, "; ", size);
	strlcat(buf, what, size);
}

bool
tt_report_have_collector(const struct tt_config *cfg)
{
	return cfg->collector_url[0] != '\0' ||
	    TT_STREQ(cfg->collector_format, "syslog");
}

/* The collector's retry rounds.  Which answers are retried is the sink's
 * call (TT_SINK_RETRY_ON), and a sink hands on only a 429's Retry-After
 * (TT_SINK_RETRY_AFTER_ON): the round retries what the sink kept. */
const struct tt_retry_policy tt_report_retry = {
	.attempts = TT_REPORT_SEND_ROUNDS,
	.base_s = TT_REPORT_BACKOFF_BASE_S,
	.cap_s = TT_REPORT_BACKOFF_CAP_S,
	.jitter = true,
	.retry_after_max_s = TT_REPORT_BACKOFF_CAP_S,
	.retry_after_beyond = TT_RETRY_AFTER_IGNORED,
	.retry_after_floor = true,
	.deadline_margin_ms = TT_REPORT_RETRY_MARGIN_MS,
};

long
tt_report_backoff_ms(int round, long retry_after_s, long scale_ms,
    uint32_t (*draw)(uint32_t upper))
{
	return tt_retry_pause_ms(&tt_report_retry, round, retry_after_s,
	    scale_ms, draw);
}

enum tt_report_next
tt_report_next_step(size_t left, bool once, int round, int64_t now_ms,
    long pause_ms, int64_t deadline_ms)
{
	if (left == 0 || once)
		return TT_REPORT_STOP;
	switch (tt_retry_check(&tt_report_retry, round, now_ms, pause_ms,
	    deadline_ms)) {
	case TT_RETRY_AGAIN: return TT_REPORT_RETRY;
	case TT_RETRY_OUT_OF_TIME: return TT_REPORT_OUT_OF_TIME;
	default: return TT_REPORT_STOP;
	}
}

json_object *
tt_report_status_section(json_object *report,
    const struct tt_report_delivery *d)
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
	/* The gallery check, when the round made one. */
	c = NULL;
	if (json_object_object_get_ex(report, "image", &v) && v != NULL &&
	    json_object_deep_copy(v, &c, NULL) == 0)
		json_object_object_add(o, "image", c);
	json_object_object_add(o, "tags",
	    json_object_new_string(d->tags_state));
	json_object_object_add(o, "tags_note",
	    json_object_new_string(d->tags_note));
	json_object_object_add(o, "collector",
	    json_object_new_string(d->collector));
	json_object_object_add(o, "spool_depth",
	    json_object_new_int64((int64_t)d->depth));
	json_object_object_add(o, "spool_bytes",
	    json_object_new_int64((int64_t)d->bytes));
	json_object_object_add(o, "dropped",
	    json_object_new_int64((int64_t)d->dropped));
	json_object_object_add(o, "dropped_cap",
	    json_object_new_int64((int64_t)d->dropped_cap));
	json_object_object_add(o, "dropped_refused",
	    json_object_new_int64((int64_t)d->dropped_refused));
	/* What the deadline cut short, for `tattoo status`. */
	if (d->unfinished != NULL && d->unfinished[0] != '\0')
		json_object_object_add(o, "unfinished",
		    json_object_new_string(d->unfinished));
	return o;
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
			tt_seterr(detail, detail_len,
			    "signed by %s, a key of trusted_keys", by);
		else
			tt_seterr(detail, detail_len,
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
spool_dropped(struct round *rd, uint64_t seed)
{
	uint64_t n = 0;
	int r = tt_spool_dropped(&rd->spool, &n);

	if (r == 0)
		return n;
	/* -ENOENT (no count yet) or -EBADMSG (not one). */
	if (r == -EBADMSG) {
		say(rd, TT_LOG_WARN,
		    "'%s/%s' is not a count: counting again from %llu",
		    rd->spool.dir, TT_SPOOL_DROPPED_FILE,
		    (unsigned long long)seed);
		(void)unlinkat(rd->spool.dirfd, TT_SPOOL_DROPPED_FILE, 0);
	}
	if (seed > 0)
		(void)tt_spool_count_dropped(&rd->spool, seed);
	return seed;
}

/* Sends one spooled report; true when the round may go on. */
static bool
send_one(struct round *rd, const char *name)
{
	struct tt_buf text, body;
	json_object *report = NULL;
	enum tt_sink_result res;
	char why[512];
	bool go_on = true;
	int r;

	tt_buf_init(&body, TT_SINK_MAX_BODY);
	if ((r = tt_spool_read(&rd->spool, name, &text)) < 0) {
		say(rd, TT_LOG_WARN, "cannot read spooled report '%s/%s': %s",
		    rd->spool.dir, name, tt_strerror(r));
		return true;
	}
	if (tt_spool_parse(name, text.data, text.len, &report, why,
		sizeof(why)) < 0) {
		/* Kept aside for a person, never sent, never deleted. */
		say(rd, TT_LOG_WARN,
		    "spooled report '%s/%s' is damaged (%s): kept as "
		    "'%s.bad'",
		    rd->spool.dir, name, why, name);
		tt_spool_quarantine(&rd->spool, name);
		rd->bad++;
		goto out;
	}
	if ((r = rd->sink->encode(report, &body)) < 0) {
		say(rd, TT_LOG_WARN, "cannot encode report '%s' for %s: %s",
		    name, rd->sink->name, tt_strerror(r));
		rd->pending++;
		go_on = false;
		goto out;
	}
	res = rd->sink->send(&rd->sctx, &body, why, sizeof(why));
	switch (res) {
	case TT_SINK_OK:
		if ((r = tt_spool_remove(&rd->spool, name)) < 0)
			say(rd, TT_LOG_WARN,
			    "delivered report '%s' could not be removed "
			    "from the spool: %s (the collector will see "
			    "it again; report_id deduplicates)",
			    name, tt_strerror(r));
		rd->out->delivered++;
		break;
	case TT_SINK_DROP:
		say(rd, TT_LOG_ERROR,
		    "the collector refused report '%s' for good: %s; "
		    "dropped and counted",
		    name, why);
		if ((r = tt_spool_count_dropped(&rd->spool, 1)) < 0 &&
		    r != -TT_ENOTDURABLE)
			say(rd, TT_LOG_WARN,
			    "cannot count the refused report in '%s/%s': "
			    "%s",
			    rd->spool.dir, TT_SPOOL_DROPPED_FILE,
			    tt_strerror(r));
		tt_spool_remove(&rd->spool, name);
		rd->out->refused++;
		break;
	case TT_SINK_RETRY:
		strlcpy(rd->last_error, why, sizeof(rd->last_error));
		rd->pending++;
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
send_round(struct round *rd)
{
	struct tt_spool_entry *v = NULL;
	size_t n = 0, left = 0;
	uint64_t bytes;
	int r;

	rd->pending = 0;
	if ((r = tt_spool_list(&rd->spool, &v, &n, &bytes)) < 0) {
		tt_seterr(rd->last_error, sizeof(rd->last_error),
		    "cannot list the spool '%s': %s", rd->spool.dir,
		    tt_strerror(r));
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (!send_one(rd, v[i].name)) {
			left = n - i;
			break;
		}
	}
	free(v);
	return left;
}

static size_t
spool_depth(struct round *rd, uint64_t *ret_bytes)
{
	struct tt_spool_entry *v = NULL;
	size_t n = 0;

	*ret_bytes = 0;
	if (!rd->have_spool || tt_spool_list(&rd->spool, &v, &n, ret_bytes) < 0)
		return 0;
	free(v);
	return n;
}

/* Before the lock: the sink, the collector's token and trusted_keys,
 * whose failures are a bad configuration said at once.  Then the lock. */
static int
prepare(struct round *rd, int *ret_lockfd, char *err, size_t errlen)
{
	struct tt_config *cfg = &rd->ctx->cfg;
	char why[1024];
	int fd;

	rd->sink = rd->out->sink = tt_sink_find(cfg->collector_format);
	rd->out->have_collector = tt_report_have_collector(cfg);
	rd->out->bad_config = true;
	if (rd->sink == NULL) {
		/* config.c accepts only the formats of the table. */
		tt_seterr(err, errlen, "unknown collector_format '%s'",
		    cfg->collector_format);
		return -EINVAL;
	}
	if (!rd->opts->dry_run && rd->out->have_collector &&
	    cfg->collector_token_file[0] != '\0' &&
	    tt_sink_read_token_file(cfg->collector_token_file, &rd->bearer, why,
		sizeof(why)) < 0) {
		tt_seterr(err, errlen, "collector_token_file: %s", why);
		return -EINVAL;
	}
	if (tt_keyring_add_list(&rd->trusted, cfg->trusted_keys, why,
		sizeof(why)) < 0) {
		tt_seterr(err, errlen, "%s", why);
		return -EINVAL;
	}
	rd->out->bad_config = false;
	if (rd->opts->dry_run)
		return 0;
	fd = tt_runlock_take(NULL, cfg->state_dir,
	    LOCK_WAIT_S * cfg->retry_scale_ms);
	if (fd == -EWOULDBLOCK) {
		rd->out->lock_busy = true;
		return 0;
	}
	if (fd < 0) {
		tt_seterr(err, errlen, "cannot lock '%s/%s': %s",
		    cfg->state_dir, TT_RUNLOCK_FILE, tt_strerror(fd));
		return fd;
	}
	*ret_lockfd = fd;
	return 0;
}

/* What the VM is: its tattoo, verified; its os-release; what IMDS says;
 * and the audit the child ran meanwhile. */
static int
gather(struct round *rd, struct tt_osrelease *os, char *err, size_t errlen)
{
	struct tt_ctx *ctx = rd->ctx;
	long timeout_s = rd->opts->timeout_s;
	bool present = false;
	int r;

	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &rd->tattoo,
	    rd->verify_why, sizeof(rd->verify_why));
	if (r == 0) {
		present = true;
	} else if (r == -ENOENT) {
		tt_seterr(rd->verify_why, sizeof(rd->verify_why),
		    "no tattoo at %s", TT_TATTOO_PATH);
	} else {
		/* A tattoo that cannot be read is there but invalid. */
		present = true;
		rd->verify = TT_VERIFY_MALFORMED;
	}
	rd->verify_said = verify_tattoo(rd->tattoo, present, &rd->trusted,
	    &rd->verify, rd->verify_why, sizeof(rd->verify_why));
	tt_term_sanitize(rd->verify_why, sizeof(rd->verify_why), TT_TERM_FIELD);
	r = tt_osrelease_load(os, &ctx->root);
	if (r < 0 && r != -ENOENT)
		say(rd, TT_LOG_WARN, "report: cannot read os-release: %s",
		    tt_strerror(r));
	if ((rd->out->inst = calloc(1, sizeof(*rd->out->inst))) == NULL) {
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (tt_imds_get_instance(&ctx->cfg, rd->out->inst, rd->imds_why,
		sizeof(rd->imds_why)) < 0) {
		tt_term_sanitize(rd->imds_why, sizeof(rd->imds_why),
		    TT_TERM_FIELD);
		say(rd, TT_LOG_INFO, "report: %s", rd->imds_why);
		free(rd->out->inst);
		rd->out->inst = NULL;
	}
	if (rd->audit_ok) {
		int64_t wait = rd->opts->start_ms + (int64_t)timeout_s * 750 -
		    tt_report_mono_ms();

		r = tt_audit_child_finish(&rd->auditor,
		    wait > 0 ? (long)wait : 0, &rd->audit, rd->audit_why,
		    sizeof(rd->audit_why));
		rd->audit_ok = r == 0;
		if (r == -ETIMEDOUT)
			tt_report_note_unfinished(rd->out->unfinished,
			    sizeof(rd->out->unfinished), rd->audit_why);
		else if (r == 0 &&
		    tt_json_path(rd->audit, "incomplete") != NULL) {
			char note[512];

			tt_seterr(note, sizeof(note), "the audit: %s",
			    json_object_get_string(
				tt_json_path(rd->audit, "incomplete")));
			tt_report_note_unfinished(rd->out->unfinished,
			    sizeof(rd->out->unfinished), note);
		}
	}
	if (!rd->audit_ok) {
		tt_term_sanitize(rd->audit_why, sizeof(rd->audit_why),
		    TT_TERM_FIELD);
		say(rd, TT_LOG_WARN, "report: no audit: %s", rd->audit_why);
		rd->audit = NULL;
	}
	return 0;
}

/* Is the VM on the latest version of its gallery image?  ARM is asked
 * once a day at most (gallery.h); a dry run only reads what was cached. */
static void
image_check(struct round *rd, struct tt_image_fresh *f)
{
	const struct tt_config *cfg = &rd->ctx->cfg;

	memset(f, 0, sizeof(*f));
	f->status = TT_IMAGE_UNKNOWN;
	f->checked = -1;
	if (!cfg->image_freshness) {
		strlcpy(f->why, "image_freshness = off in the configuration",
		    sizeof(f->why));
		return;
	}
	if (rd->out->inst == NULL) {
		strlcpy(f->why, "not on Azure (no answer from IMDS)",
		    sizeof(f->why));
		return;
	}
	tt_gallery_check(cfg, rd->out->inst, rd->tattoo, &rd->tokens, rd->now,
	    rd->opts->dry_run, f);
	/* ARM's and IMDS's words go to the log and the terminal. */
	tt_term_sanitize(f->why, sizeof(f->why), TT_TERM_FIELD);
	tt_term_sanitize(f->note, sizeof(f->note), TT_TERM_FIELD);
	if (f->note[0] != '\0')
		say(rd, TT_LOG_WARN, "report: %s", f->note);
	if (f->requested && f->status == TT_IMAGE_UNKNOWN)
		say(rd, TT_LOG_WARN, "report: image freshness unknown: %s",
		    f->why);
}

/* The report from what was gathered, and the tags it asks for. */
static int
build(struct round *rd, const struct tt_osrelease *os, char *err, size_t errlen)
{
	struct tt_ctx *ctx = rd->ctx;
	struct tt_report_outcome *out = rd->out;
	struct tt_report_input in = { 0 };
	struct tt_drift drift;
	struct tt_image_fresh fresh;
	json_object *sbom = NULL;
	char sbom_why[PATH_MAX + 256] = "";
	int r;

	tt_drift_compute(rd->tattoo, rd->verify, os->n ? os : NULL, out->inst,
	    rd->now, ctx->cfg.max_tattoo_age_days, &drift);
	image_check(rd, &fresh);
	tt_drift_image(&drift, &fresh);
	if (!rd->opts->dry_run)
		rd->dropped_prev = previous_dropped(ctx);
	in.tattoo = rd->tattoo;
	in.tattoo_note = rd->tattoo ? "" : rd->verify_why;
	in.verify = rd->verify_said;
	in.verify_detail = rd->verify_why;
	in.inst = out->inst;
	in.imds_note = rd->imds_why;
	in.audit = rd->audit;
	in.audit_error = rd->audit_why;
	in.drift = &drift;
	in.image = &fresh;
	in.dropped = rd->dropped_prev;
	in.now = rd->now;
	/* report_sbom: the SBOM that write --sbom left, only as the tattoo
	 * records it (its digest); else why not, in its place. */
	if (ctx->cfg.report_sbom) {
		if (rd->tattoo == NULL)
			strlcpy(sbom_why, "no tattoo", sizeof(sbom_why));
		else
			(void)tt_sbom_load_image(&ctx->root, rd->tattoo, &sbom,
			    sbom_why, sizeof(sbom_why));
		in.sbom = sbom;
		in.sbom_note = sbom_why;
	}
	r = tt_report_build(&in, &out->report);
	json_object_put(sbom);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot build the report: %s",
		    tt_strerror(r));
		return r;
	}
	if (!ctx->cfg.tags)
		out->tags_note = "tags = off in the configuration";
	else if (out->inst == NULL)
		out->tags_note = "not on Azure (no answer from IMDS)";
	else if (tt_tags_from_report(&out->tags, ctx->cfg.tag_prefix,
		     out->report) < 0)
		out->tags_note = "too many tags";
	else
		out->tags_built = true;
	/* A dry run off Azure still shows what a VM would be tagged with,
	 * and what IMDS could not tell. */
	if (rd->opts->dry_run && out->inst == NULL) {
		strlcpy(out->imds_note, rd->imds_why, sizeof(out->imds_note));
		if (ctx->cfg.tags)
			out->tags_built =
			    tt_tags_from_report(&out->tags, ctx->cfg.tag_prefix,
				out->report) == 0;
	}
	return 0;
}

/* Puts the report in the spool (written before anything is sent: a crash
 * from here on leaves it there for the next run). */
static void
spool_report(struct round *rd)
{
	struct tt_config *cfg = &rd->ctx->cfg;
	json_object *report = rd->out->report;
	const char *text;
	struct timespec ts;
	int64_t ns;
	int r;

	clock_gettime(CLOCK_REALTIME, &ts);
	ns = (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
	tt_spool_name(ns, tt_report_str(report, "report_id"), rd->name,
	    sizeof(rd->name));
	r = tt_spool_open(&rd->spool, NULL, cfg->spool_dir,
	    cfg->spool_max_bytes);
	if (r < 0) {
		say(rd, TT_LOG_ERROR, "report: cannot open the spool '%s': %s",
		    cfg->spool_dir, tt_strerror(r));
		rd->spool_failed = true;
		return;
	}
	rd->have_spool = true;
	tt_spool_clean(&rd->spool);
	/* The spool's count survives a run that could not write
	 * status.json. */
	rd->dropped_prev = spool_dropped(rd, rd->dropped_prev);
	tt_report_set_dropped(report, rd->dropped_prev);
	text = json_object_to_json_string_ext(report,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	r = text ? tt_spool_put(&rd->spool, rd->name, text, strlen(text),
		       &rd->dropped_cap) :
		   -ENOMEM;
	if (r == 0 && rd->dropped_cap > 0) {
		/* The report says how many were dropped to make room for
		 * it. */
		say(rd, TT_LOG_WARN,
		    "report: spool_max_bytes (%llu) reached: the %llu oldest "
		    "report%s dropped",
		    (unsigned long long)cfg->spool_max_bytes,
		    (unsigned long long)rd->dropped_cap,
		    rd->dropped_cap == 1 ? " was" : "s were");
		tt_report_set_dropped(report,
		    rd->dropped_prev + rd->dropped_cap);
		text = json_object_to_json_string_ext(report,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		r = text ? tt_atomic_write_at(rd->spool.dirfd, rd->name, text,
			       strlen(text), 0600) :
			   -ENOMEM;
	}
	if (r == -TT_ENOTDURABLE) {
		/* In the spool and visible, so it is sent like the others;
		 * only a crash before the disk catches up could lose it. */
		say(rd, TT_LOG_WARN,
		    "report: '%s/%s' is in the spool but may not survive a "
		    "crash: %s",
		    rd->spool.dir, rd->name, tt_strerror(r));
	} else if (r < 0) {
		say(rd, TT_LOG_ERROR, "report: cannot write '%s/%s': %s",
		    rd->spool.dir, rd->name, tt_strerror(r));
		rd->spool_failed = true;
	}
}

static void
apply_tags(struct round *rd)
{
	struct tt_report_outcome *out = rd->out;
	struct tt_config *cfg = &rd->ctx->cfg;

	if (out->tags_note != NULL) {
		out->tags_state = cfg->tags ? "skipped" : "off";
		if (cfg->tags)
			strlcpy(out->tags_msg, out->tags_note,
			    sizeof(out->tags_msg));
		say(rd, TT_LOG_INFO, "report: tags skipped: %s",
		    out->tags_note);
		return;
	}
	switch (tt_tags_apply(cfg, NULL, &out->tags, out->inst, &rd->tokens,
	    rd->now, out->tags_msg, sizeof(out->tags_msg))) {
	case TT_TAGS_WRITTEN: out->tags_state = "written"; break;
	case TT_TAGS_UNCHANGED: out->tags_state = "unchanged"; break;
	case TT_TAGS_FAILED:
		out->tags_state = "failed";
		out->failed = true;
		tt_term_sanitize(out->tags_msg, sizeof(out->tags_msg),
		    TT_TERM_FIELD);
		say(rd, TT_LOG_ERROR, "report: tags: %s", out->tags_msg);
		break;
	}
}

/* The collector, oldest first, in retry rounds under the deadline.
 * Returns what status.json says of it. */
static const char *
deliver(struct round *rd)
{
	const struct tt_report_opts *o = rd->opts;
	int64_t deadline_ms = o->start_ms + (int64_t)o->timeout_s * 1000;
	const char *collector = rd->out->have_collector ? "spooled" : "none";
	char why[1024];
	size_t left = 0;

	rd->sctx.cfg = &rd->ctx->cfg;
	rd->sctx.tokens = &rd->tokens;
	rd->sctx.bearer = rd->bearer;
	if (rd->have_spool) {
		struct tt_retry_policy policy = tt_report_retry;
		struct tt_retry rt;

		if (o->once)
			policy.attempts = 1;
		tt_retry_init(&rt, &policy, rd->ctx->cfg.retry_scale_ms,
		    deadline_ms);
		for (;;) {
			enum tt_retry_step step;

			if ((left = send_round(rd)) == 0)
				break;
			step = tt_retry_next(&rt, rd->sctx.retry_after_s);
			if (step == TT_RETRY_OUT_OF_TIME)
				tt_report_note_unfinished(rd->out->unfinished,
				    sizeof(rd->out->unfinished),
				    "the retries of the collector (the "
				    "deadline is near)");
			if (step != TT_RETRY_AGAIN)
				break;
			say(rd, TT_LOG_INFO, "report: %s; retrying",
			    rd->last_error);
			tt_retry_sleep(&rt);
		}
		collector = left == 0 ? "delivered" : "spooled";
		if (left > 0) {
			rd->out->failed = true;
			tt_term_sanitize(rd->last_error, sizeof(rd->last_error),
			    TT_TERM_FIELD);
			say(rd, TT_LOG_ERROR,
			    "report: %s; %zu report%s kept in '%s'",
			    rd->last_error, left, left == 1 ? "" : "s",
			    rd->spool.dir);
		}
	}
	if (rd->spool_failed && rd->out->have_collector) {
		/* This report is not in the spool: send it directly rather
		 * than not at all, after the older ones. */
		struct tt_buf body;

		tt_buf_init(&body, TT_SINK_MAX_BODY);
		if (rd->sink->encode(rd->out->report, &body) == 0 &&
		    rd->sink->send(&rd->sctx, &body, why, sizeof(why)) ==
			TT_SINK_OK) {
			collector = "delivered without spool";
			rd->out->delivered++;
		} else
			collector = "lost: spool failed and the collector "
				    "did not take it";
		tt_buf_free(&body);
	}
	return collector;
}

/* status.json's "report" and "audit" sections. */
static void
record(struct round *rd, const char *collector)
{
	struct tt_report_outcome *out = rd->out;
	const char *state_dir = rd->ctx->cfg.state_dir;
	struct tt_report_delivery d = {
		.tags_state = out->tags_state,
		.tags_note = out->tags_msg,
		.collector = collector,
		.dropped_cap = rd->dropped_cap,
		.dropped_refused = out->refused,
		.unfinished = out->unfinished,
	};
	int r;

	out->depth = d.depth = spool_depth(rd, &d.bytes);
	d.dropped = rd->dropped_prev + rd->dropped_cap + out->refused;
	r = tt_status_update(NULL, state_dir, "report",
	    tt_report_status_section(out->report, &d));
	if (r < 0)
		say(rd, TT_LOG_WARN, "cannot update '%s/%s': %s", state_dir,
		    TT_STATUS_FILE, tt_strerror(r));
	if (rd->audit != NULL) {
		json_object *a = NULL;

		if (json_object_deep_copy(rd->audit, &a, NULL) == 0)
			tt_status_update(NULL, state_dir, "audit", a);
	}
}

int
tt_report_round(struct tt_ctx *ctx, const struct tt_report_opts *opts,
    struct tt_report_outcome *out, char *err, size_t errlen)
{
	struct round rd = {
		.ctx = ctx,
		.opts = opts,
		.out = out,
		.spool = { .dirfd = -1 },
		.auditor = { .pid = 0, .fd = -1 },
		.verify = TT_VERIFY_MALFORMED,
	};
	struct tt_osrelease os = { 0 };
	long half = opts->timeout_s / 2 > 0 ? opts->timeout_s / 2 : 1;
	int lockfd = -1, r;

	memset(out, 0, sizeof(*out));
	out->tags_state = "off";
	if ((r = prepare(&rd, &lockfd, err, errlen)) < 0 || out->lock_busy)
		goto out;
	rd.now = time(NULL);
	/* The audit runs in a child of its own while this process reads the
	 * tattoo and asks IMDS; forked now, while there is one thread. */
	rd.audit_ok = tt_audit_child_start(ctx, NULL, half, &rd.auditor,
			  rd.audit_why, sizeof(rd.audit_why)) == 0;
	if ((r = gather(&rd, &os, err, errlen)) < 0 ||
	    (r = build(&rd, &os, err, errlen)) < 0 || opts->dry_run)
		goto out;
	if (out->have_collector)
		spool_report(&rd);
	apply_tags(&rd);
	record(&rd, deliver(&rd));
	if (rd.spool_failed)
		out->failed = true;
out:
	tt_audit_child_abandon(&rd.auditor);
	if (rd.bearer != NULL) {
		explicit_bzero(rd.bearer, strlen(rd.bearer));
		free(rd.bearer);
	}
	tt_token_cache_free(&rd.tokens);
	tt_keyring_free(&rd.trusted);
	tt_spool_close(&rd.spool);
	json_object_put(rd.audit);
	json_object_put(rd.tattoo);
	tt_osrelease_free(&os);
	if (lockfd >= 0)
		close(lockfd);
	return r;
}

void
tt_report_outcome_free(struct tt_report_outcome *out)
{
	if (out == NULL)
		return;
	json_object_put(out->report);
	out->report = NULL;
	free(out->inst);
	out->inst = NULL;
}
