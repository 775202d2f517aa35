/*
 * json: the report itself, one per request, POSTed to collector_url as
 * application/json; report_id at the top level is the collector's
 * deduplication key.  Fluent Bit's HTTP input, Vector, Logstash and any
 * HTTPS endpoint take it.
 */
#include "sink.h"
#include "tt.h"

static int
json_encode(json_object *report, struct tt_buf *out)
{
	const char *s = json_object_to_json_string_ext(report,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

	if (s == NULL)
		return -ENOMEM;
	return tt_buf_puts(out, s);
}

static enum tt_sink_result
json_send(struct tt_sink_ctx *ctx, const struct tt_buf *body, char *err,
    size_t errlen)
{
	return tt_sink_http_post(ctx, NULL, "application/json", 0, body, err,
	    errlen);
}

const struct tt_sink tt_sink_json = {
	.name = "json",
	.encode = json_encode,
	.send = json_send,
};
