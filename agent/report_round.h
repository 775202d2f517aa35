/*
 * One reporting round, `tattoo report`'s use case: the tattoo verified
 * against trusted_keys, the VM asked of IMDS, the audit run in a child of
 * its own, the report built, spooled, tagged onto the VM and sent to the
 * collector with retry rounds under the round's deadline, and the "report"
 * and "audit" sections of status.json written.  The command parses its
 * options, sets the deadline's alarm, calls tt_report_round, prints the
 * outcome and picks the exit code.
 *
 * The round does not print: what happens as it happens (a warning, a
 * retry) is handed to the caller's say function, which logs it.
 */
#ifndef TT_REPORT_ROUND_H
#define TT_REPORT_ROUND_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "cli.h"
#include "log.h"
#include "retry.h"
#include "sink.h"
#include "tags.h"

/* Retry rounds of one run when the collector fails; the timer brings the
 * next run.  Full jitter (Fluent Bit's scheduler, AWS's backoff study):
 * a random time in [0, min(cap, base * 2^round)].  tt_report_retry is
 * this schedule as a retry policy (retry.h). */
#define TT_REPORT_SEND_ROUNDS 4
#define TT_REPORT_BACKOFF_BASE_S 2
#define TT_REPORT_BACKOFF_CAP_S 60
/* A retry that could not end this long before the deadline is left to
 * the next run. */
#define TT_REPORT_RETRY_MARGIN_MS 15000

struct tt_report_opts {
	bool once; /* one attempt at the collector, no retry rounds */
	bool dry_run; /* build the report and the tags, change nothing */
	long timeout_s; /* the round's deadline; the audit gets half */
	int64_t start_ms; /* tt_report_mono_ms() when the command started */
	/* Says one message of the round (msg is formatted, at most 4 KiB,
	 * not yet sanitised).  Required. */
	void (*say)(enum tt_log_level level, const char *msg);
};

struct tt_report_outcome {
	/* Another run holds the lock: the round was left to it, nothing
	 * else below is set. */
	bool lock_busy;
	/* The round failed for a reason of the configuration (exit 3)
	 * rather than of the environment; err says why. */
	bool bad_config;
	json_object *report; /* owned */
	/* For --dry-run: the tags asked for (valid when tags_note is NULL),
	 * the VM IMDS described (NULL off Azure), the collector's sink. */
	struct tt_tagset tags;
	struct tt_imds_instance *inst; /* owned */
	const char *tags_note;
	/* --dry-run off Azure: the tags built from the report all the same
	 * (tags_note says why none would be written), and what IMDS could
	 * not tell ("" when it answered). */
	bool tags_built;
	char imds_note[512];
	const struct tt_sink *sink;
	bool have_collector; /* collector_url or syslog configured */
	/* What was done, for the summary lines. */
	const char *tags_state; /* "off", "skipped", "written", ... */
	char tags_msg[1024];
	unsigned delivered, refused;
	size_t depth; /* reports left in the spool */
	bool failed; /* the tags, the spool or the collector failed */
	/* "" or what the deadline cut short, "; "-separated. */
	char unfinished[1024];
};

/*
 * Runs one round (the dry run when opts->dry_run) for ctx, which is set
 * up.  Returns 0 when the round ran (out says how it went: delivery
 * failures are out->failed, not an error) or a negative errno with the
 * reason in err (out->bad_config when it lies in the configuration).
 * Free out with tt_report_outcome_free in every case.
 */
int tt_report_round(struct tt_ctx *ctx, const struct tt_report_opts *opts,
    struct tt_report_outcome *out, char *err, size_t errlen);

void tt_report_outcome_free(struct tt_report_outcome *out);

/* CLOCK_MONOTONIC in milliseconds. */
int64_t tt_report_mono_ms(void);

/* True when the configuration names a collector (a URL, or syslog). */
bool tt_report_have_collector(const struct tt_config *cfg);

/* The collector's retry rounds: the constants above as a policy. */
extern const struct tt_retry_policy tt_report_retry;

/*
 * The pause before retry round `round` (0 for the first retry): a draw in
 * [0, min(cap, base * 2^round)] seconds, made by draw(upper) (uniform in
 * [0, upper), arc4random_uniform in the agent), scaled by scale_ms per
 * second (retry_scale_ms, 1000 but in tests); a Retry-After of the
 * collector up to the cap is waited for at least.  Milliseconds.
 */
long tt_report_backoff_ms(int round, long retry_after_s, long scale_ms,
    uint32_t (*draw)(uint32_t upper));

enum tt_report_next {
	TT_REPORT_STOP, /* all sent, --once, or the rounds are spent */
	TT_REPORT_RETRY, /* pause, then another round */
	TT_REPORT_OUT_OF_TIME, /* the pause would reach into the deadline */
};

/* After send round `round` left `left` reports: what the scheduler does
 * next (pause_ms is asked for only when it may retry).  The round itself
 * goes through tt_retry_next, which decides alike. */
enum tt_report_next tt_report_next_step(size_t left, bool once, int round,
    int64_t now_ms, long pause_ms, int64_t deadline_ms);

/* Appends what to the "; "-separated list of unfinished work in buf. */
void tt_report_note_unfinished(char *buf, size_t size, const char *what);

/* What the round did, for status.json's "report" section. */
struct tt_report_delivery {
	const char *tags_state, *tags_note, *collector;
	size_t depth;
	uint64_t bytes, dropped, dropped_cap, dropped_refused;
	const char *unfinished; /* NULL or "": finished */
};

/* The "report" section of status.json: the report's time, report_id,
 * verify, drift, summary and vm, and d.  NULL when out of memory. */
json_object *tt_report_status_section(json_object *report,
    const struct tt_report_delivery *d);

#endif
