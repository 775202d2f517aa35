/*
 * The report round's pure parts: the retry schedule (backoff with full
 * jitter, Retry-After, the deadline), the notes of unfinished work, the
 * "report" section of status.json; and the round's own refusals (a bad
 * configuration, another run holding the lock), which need no network.
 */
#include <errno.h>
#include <unistd.h>

#include <bsd/string.h>

#include "report_round.h"
#include "runlock.h"
#include "tt_test.h"

static uint32_t
draw_max(uint32_t upper)
{
	return upper - 1;
}

static uint32_t
draw_zero(uint32_t upper)
{
	(void)upper;
	return 0;
}

static uint32_t last_upper;

static uint32_t
draw_record(uint32_t upper)
{
	last_upper = upper;
	return upper / 2;
}

static void
test_backoff(void)
{
	/* The cap doubles from 2 s each round up to 60 s. */
	CHECK_INT(tt_report_backoff_ms(0, 0, 1000, draw_max), 2000);
	CHECK_INT(tt_report_backoff_ms(1, 0, 1000, draw_max), 4000);
	CHECK_INT(tt_report_backoff_ms(2, 0, 1000, draw_max), 8000);
	CHECK_INT(tt_report_backoff_ms(4, 0, 1000, draw_max), 32000);
	CHECK_INT(tt_report_backoff_ms(5, 0, 1000, draw_max), 60000);
	CHECK_INT(tt_report_backoff_ms(40, 0, 1000, draw_max), 60000);
	/* Full jitter: the draw is over [0, cap] in milliseconds. */
	tt_report_backoff_ms(1, 0, 1000, draw_record);
	CHECK_INT(last_upper, 4001);
	CHECK_INT(tt_report_backoff_ms(1, 0, 1000, draw_zero), 0);
	/* retry_scale_ms shrinks the schedule for tests. */
	CHECK_INT(tt_report_backoff_ms(0, 0, 10, draw_max), 20);
	/* A Retry-After is waited for at least, within the cap... */
	CHECK_INT(tt_report_backoff_ms(0, 30, 1000, draw_zero), 30000);
	CHECK_INT(tt_report_backoff_ms(0, 1, 1000, draw_max), 2000);
	CHECK_INT(tt_report_backoff_ms(0, 30, 10, draw_zero), 300);
	/* ...and one beyond it is not trusted. */
	CHECK_INT(tt_report_backoff_ms(0, 3600, 1000, draw_zero), 0);
	CHECK_INT(tt_report_backoff_ms(0, -5, 1000, draw_zero), 0);
}

static void
test_next_step(void)
{
	const int64_t dl = 600000;

	CHECK_INT(tt_report_next_step(0, false, 0, 0, 0, dl), TT_REPORT_STOP);
	CHECK_INT(tt_report_next_step(3, true, 0, 0, 0, dl), TT_REPORT_STOP);
	CHECK_INT(tt_report_next_step(3, false, 0, 0, 2000, dl),
	    TT_REPORT_RETRY);
	CHECK_INT(tt_report_next_step(3, false, TT_REPORT_SEND_ROUNDS - 2, 0,
		      2000, dl),
	    TT_REPORT_RETRY);
	/* The rounds are spent. */
	CHECK_INT(tt_report_next_step(3, false, TT_REPORT_SEND_ROUNDS - 1, 0,
		      2000, dl),
	    TT_REPORT_STOP);
	/* A retry must end a margin before the deadline. */
	CHECK_INT(tt_report_next_step(1, false, 0,
		      dl - TT_REPORT_RETRY_MARGIN_MS - 2000, 2000, dl),
	    TT_REPORT_RETRY);
	CHECK_INT(tt_report_next_step(1, false, 0,
		      dl - TT_REPORT_RETRY_MARGIN_MS - 1999, 2000, dl),
	    TT_REPORT_OUT_OF_TIME);
	CHECK_INT(tt_report_next_step(1, false, 0, dl, 0, dl),
	    TT_REPORT_OUT_OF_TIME);
}

static void
test_unfinished(void)
{
	char buf[40] = "";

	tt_report_note_unfinished(buf, sizeof(buf), "the audit");
	CHECK_STR(buf, "the audit");
	tt_report_note_unfinished(buf, sizeof(buf), "the retries");
	CHECK_STR(buf, "the audit; the retries");
	/* Cut, never overflowed. */
	tt_report_note_unfinished(buf, sizeof(buf), "a long third note here");
	CHECK_INT(strlen(buf), sizeof(buf) - 1);
	CHECK(strncmp(buf, "the audit; the retries; a long", 30) == 0);
}

static json_object *
sample_report(void)
{
	return json_tokener_parse("{\"created\":\"2026-01-02T03:04:05Z\","
				  "\"report_id\":\"id-1\",\"verify\":\"valid\","
				  "\"drift\":[\"age\"],"
				  "\"summary\":{\"failing\":2},"
				  "\"vm\":null,\"extra\":1}");
}

static void
test_status_section(void)
{
	json_object *rep = sample_report(), *sec;
	struct tt_report_delivery d = {
		.tags_state = "written",
		.tags_note = "",
		.collector = "delivered",
		.depth = 1,
		.bytes = 300,
		.dropped = 7,
		.dropped_cap = 2,
		.dropped_refused = 1,
		.unfinished = "",
	};

	sec = tt_report_status_section(rep, &d);
	CHECK(sec != NULL);
	CHECK_STR(json_object_to_json_string_ext(sec, JSON_C_TO_STRING_PLAIN),
	    "{\"time\":\"2026-01-02T03:04:05Z\",\"report_id\":\"id-1\","
	    "\"verify\":\"valid\",\"drift\":[\"age\"],"
	    "\"summary\":{\"failing\":2},\"vm\":null,\"tags\":\"written\","
	    "\"tags_note\":\"\",\"collector\":\"delivered\","
	    "\"spool_depth\":1,\"spool_bytes\":300,\"dropped\":7,"
	    "\"dropped_cap\":2,\"dropped_refused\":1}");
	/* A copy: the report may go while the section lives. */
	CHECK(json_object_object_get(sec, "summary") !=
	    json_object_object_get(rep, "summary"));
	json_object_put(sec);

	d.unfinished = "the audit";
	sec = tt_report_status_section(rep, &d);
	CHECK_STR(json_object_get_string(
		      json_object_object_get(sec, "unfinished")),
	    "the audit");
	json_object_put(sec);
	json_object_put(rep);
}

static void
quiet_say(enum tt_log_level level, const char *msg)
{
	(void)level;
	(void)msg;
}

static void
test_round_refusals(void)
{
	struct tt_ctx ctx = { 0 };
	struct tt_report_opts o = { .timeout_s = 60, .say = quiet_say };
	struct tt_report_outcome out;
	char *dir = tt_test_tmpdir(), err[512];
	int lock, r;

	tt_config_defaults(&ctx.cfg);
	strlcpy(ctx.cfg.state_dir, dir, sizeof(ctx.cfg.state_dir));
	ctx.cfg.retry_scale_ms = 1;
	o.start_ms = tt_report_mono_ms();

	/* An unknown sink is the configuration's fault. */
	strlcpy(ctx.cfg.collector_format, "carrier-pigeon",
	    sizeof(ctx.cfg.collector_format));
	r = tt_report_round(&ctx, &o, &out, err, sizeof(err));
	CHECK_INT(r, -EINVAL);
	CHECK(out.bad_config);
	CHECK_STR(err, "unknown collector_format 'carrier-pigeon'");
	tt_report_outcome_free(&out);

	/* So is a collector token that cannot be read. */
	strlcpy(ctx.cfg.collector_format, "json",
	    sizeof(ctx.cfg.collector_format));
	strlcpy(ctx.cfg.collector_url, "http://127.0.0.1:9/",
	    sizeof(ctx.cfg.collector_url));
	snprintf(ctx.cfg.collector_token_file,
	    sizeof(ctx.cfg.collector_token_file), "%s/no-token", dir);
	r = tt_report_round(&ctx, &o, &out, err, sizeof(err));
	CHECK_INT(r, -EINVAL);
	CHECK(out.bad_config);
	CHECK(strncmp(err, "collector_token_file: ", 22) == 0);
	tt_report_outcome_free(&out);
	ctx.cfg.collector_token_file[0] = '\0';

	/* Another run holds the lock: the round is left to it, untouched. */
	lock = tt_runlock_take(NULL, dir, 0);
	CHECK(lock >= 0);
	r = tt_report_round(&ctx, &o, &out, err, sizeof(err));
	CHECK_INT(r, 0);
	CHECK(out.lock_busy);
	CHECK(!out.bad_config);
	CHECK(out.report == NULL);
	CHECK(out.have_collector);
	tt_report_outcome_free(&out);
	close(lock);

	tt_test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	RUN(test_backoff);
	RUN(test_next_step);
	RUN(test_unfinished);
	RUN(test_status_section);
	RUN(test_round_refusals);
	TEST_EXIT();
}
