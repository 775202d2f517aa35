/*
 * otlp: OTLP/HTTP with the JSON encoding, POST to collector_url (…/v1/logs).
 * One resourceLogs entry for the VM (service.name, host.name, host.id,
 * cloud.* attributes) holding one log record whose body is the report as
 * JSON text and whose attributes carry the fields a pipeline filters on.
 * OTLP/JSON writes 64-bit integers as strings (timeUnixNano, intValue).
 */
#include <time.h>

#include "sink.h"
#include "tattoo.h"
#include "timeutil.h"
#include "tt.h"

static json_object *
attr(const char *key, const char *type, json_object *value)
{
	json_object *a = json_object_new_object(),
		    *v = json_object_new_object();

	if (a == NULL || v == NULL || value == NULL) {
		json_object_put(a);
		json_object_put(v);
		json_object_put(value);
		return NULL;
	}
	json_object_object_add(v, type, value);
	json_object_object_add(a, "key", json_object_new_string(key));
	json_object_object_add(a, "value", v);
	return a;
}

static int
add_attr(json_object *arr, const char *key, const char *value)
{
	json_object *a =
	    attr(key, "stringValue", json_object_new_string(value));

	if (a == NULL || json_object_array_add(arr, a) < 0) {
		json_object_put(a);
		return -ENOMEM;
	}
	return 0;
}

static int
add_int_attr(json_object *arr, const char *key, json_object *num)
{
	char s[32];
	json_object *a;

	snprintf(s, sizeof(s), "%lld",
	    num ? (long long)json_object_get_int64(num) : 0LL);
	a = attr(key, "intValue", json_object_new_string(s));
	if (a == NULL || json_object_array_add(arr, a) < 0) {
		json_object_put(a);
		return -ENOMEM;
	}
	return 0;
}

static int
otlp_encode(json_object *report, struct tt_buf *out)
{
	json_object *doc = NULL, *rl, *res, *rattrs, *sl, *scope, *recs, *rec;
	json_object *lattrs, *body, *arr;
	const char *text, *compliance;
	char nano[32];
	time_t created = 0;
	int r = -ENOMEM;

	text = json_object_to_json_string_ext(report,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL)
		return -ENOMEM;
	if (tt_rfc3339_parse(tt_report_str(report, "created"), &created) < 0)
		created = time(NULL);
	snprintf(nano, sizeof(nano), "%lld000000000", (long long)created);
	compliance = tt_report_str(report, "summary.compliance");

	doc = json_object_new_object();
	rl = json_object_new_object();
	res = json_object_new_object();
	rattrs = json_object_new_array();
	sl = json_object_new_object();
	scope = json_object_new_object();
	recs = json_object_new_array();
	rec = json_object_new_object();
	lattrs = json_object_new_array();
	body = json_object_new_object();
	if (doc == NULL || rl == NULL || res == NULL || rattrs == NULL ||
	    sl == NULL || scope == NULL || recs == NULL || rec == NULL ||
	    lattrs == NULL || body == NULL) {
		json_object_put(rl);
		json_object_put(res);
		json_object_put(rattrs);
		json_object_put(sl);
		json_object_put(scope);
		json_object_put(recs);
		json_object_put(rec);
		json_object_put(lattrs);
		json_object_put(body);
		goto out;
	}
	/* Built bottom-up so that every object has one owner at all times. */
	json_object_object_add(res, "attributes", rattrs);
	json_object_object_add(scope, "name", json_object_new_string("tattoo"));
	json_object_object_add(scope, "version",
	    json_object_new_string(tt_report_str(report, "agent_version")));
	json_object_object_add(body, "stringValue",
	    json_object_new_string(text));
	json_object_object_add(rec, "timeUnixNano",
	    json_object_new_string(nano));
	json_object_object_add(rec, "observedTimeUnixNano",
	    json_object_new_string(nano));
	/* SeverityNumber 9 is INFO, 13 WARN in the OpenTelemetry model. */
	json_object_object_add(rec, "severityNumber",
	    json_object_new_int(TT_STREQ(compliance, "compliant") ? 9 : 13));
	json_object_object_add(rec, "severityText",
	    json_object_new_string(
		TT_STREQ(compliance, "compliant") ? "INFO" : "WARN"));
	json_object_object_add(rec, "body", body);
	json_object_object_add(rec, "attributes", lattrs);
	json_object_array_add(recs, rec);
	json_object_object_add(sl, "scope", scope);
	json_object_object_add(sl, "logRecords", recs);
	arr = json_object_new_array();
	if (arr == NULL || json_object_array_add(arr, sl) < 0) {
		json_object_put(arr);
		json_object_put(sl);
		json_object_put(res);
		json_object_put(rl);
		goto out;
	}
	json_object_object_add(rl, "resource", res);
	json_object_object_add(rl, "scopeLogs", arr);
	arr = json_object_new_array();
	if (arr == NULL || json_object_array_add(arr, rl) < 0) {
		json_object_put(arr);
		json_object_put(rl);
		goto out;
	}
	json_object_object_add(doc, "resourceLogs", arr);

	if (add_attr(rattrs, "service.name", "tattoo") ||
	    add_attr(rattrs, "service.version",
		tt_report_str(report, "agent_version")) ||
	    add_attr(rattrs, "host.name", tt_report_str(report, "vm.name")) ||
	    add_attr(rattrs, "host.id", tt_report_str(report, "vm.vmId")) ||
	    add_attr(rattrs, "cloud.provider", "azure") ||
	    add_attr(rattrs, "cloud.region",
		tt_report_str(report, "vm.location")) ||
	    add_attr(rattrs, "cloud.resource_id",
		tt_report_str(report, "vm.resourceId")))
		goto out;
	if (add_attr(lattrs, "tattoo.report_id",
		tt_report_str(report, "report_id")) ||
	    add_attr(lattrs, "tattoo.compliance", compliance) ||
	    add_int_attr(lattrs, "tattoo.failing",
		tt_json_path(report, "summary.failing")) ||
	    add_attr(lattrs, "tattoo.image",
		tt_report_str(report, "summary.image")) ||
	    add_attr(lattrs, "tattoo.verify",
		tt_report_str(report, "verify")) ||
	    add_attr(lattrs, "tattoo.drift",
		tt_report_str(report, "summary.drift")))
		goto out;
	if ((text = json_object_to_json_string_ext(doc,
		 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) ==
	    NULL)
		goto out;
	r = tt_buf_puts(out, text);
out:
	json_object_put(doc);
	return r;
}

static enum tt_sink_result
otlp_send(struct tt_sink_ctx *ctx, const struct tt_buf *body, char *err,
    size_t errlen)
{
	return tt_sink_http_post(ctx, NULL, "application/json", 0, body, err,
	    errlen);
}

const struct tt_sink tt_sink_otlp = {
	.name = "otlp",
	.encode = otlp_encode,
	.send = otlp_send,
};
