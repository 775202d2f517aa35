/*
 * azure-monitor: the Logs Ingestion API.  collector_url is the whole
 * {endpoint}/dataCollectionRules/{dcr}/streams/{stream}?api-version=2023-01-01;
 * the body is a JSON array of records with flat columns (letters, digits
 * and "_", at most 45 characters); the bearer token is for
 * https://monitor.azure.com/ (the identity needs Monitoring Metrics
 * Publisher on the DCR); success is 204.
 */
#include "sink.h"
#include "tattoo.h"
#include "tt.h"

static int
add_str(json_object *rec, const char *col, const char *v)
{
	json_object *s = json_object_new_string(v ? v : "");

	if (s == NULL)
		return -ENOMEM;
	return json_object_object_add(rec, col, s) < 0 ? -ENOMEM : 0;
}

static int
add_copy(json_object *rec, const char *col, json_object *report,
    const char *path)
{
	json_object *v = tt_json_path(report, path), *copy = NULL;

	if (v != NULL && json_object_deep_copy(v, &copy, NULL) < 0)
		return -ENOMEM;
	if (json_object_object_add(rec, col, copy) < 0) {
		json_object_put(copy);
		return -ENOMEM;
	}
	return 0;
}

static int
am_encode(json_object *report, struct tt_buf *out)
{
	json_object *arr = json_object_new_array(), *rec;
	const char *s;
	int r = -ENOMEM;

	if (arr == NULL)
		return -ENOMEM;
	if ((rec = json_object_new_object()) == NULL ||
	    json_object_array_add(arr, rec) < 0) {
		json_object_put(rec);
		goto out;
	}
	if (add_str(rec, "TimeGenerated", tt_report_str(report, "created")) ||
	    add_str(rec, "ReportId", tt_report_str(report, "report_id")) ||
	    add_str(rec, "VmId", tt_report_str(report, "vm.vmId")) ||
	    add_str(rec, "ResourceId",
		tt_report_str(report, "vm.resourceId")) ||
	    add_str(rec, "VmName", tt_report_str(report, "vm.name")) ||
	    add_str(rec, "Location", tt_report_str(report, "vm.location")) ||
	    add_str(rec, "ImageName",
		tt_report_str(report, "tattoo.image.name")) ||
	    add_str(rec, "ImageVersion",
		tt_report_str(report, "tattoo.image.version")) ||
	    add_str(rec, "Source", tt_report_str(report, "summary.source")) ||
	    add_str(rec, "Verify", tt_report_str(report, "verify")) ||
	    add_str(rec, "Compliance",
		tt_report_str(report, "summary.compliance")) ||
	    add_copy(rec, "Compliant", report, "audit.compliant") ||
	    add_copy(rec, "FailingCount", report, "summary.failing") ||
	    add_copy(rec, "Score", report, "audit.score") ||
	    add_str(rec, "Profile", tt_report_str(report, "audit.profile")) ||
	    add_copy(rec, "Failing", report, "audit.failing") ||
	    add_str(rec, "Drift", tt_report_str(report, "summary.drift")) ||
	    add_copy(rec, "Dropped", report, "dropped") ||
	    add_str(rec, "AgentVersion",
		tt_report_str(report, "agent_version")))
		goto out;
	if ((s = json_object_to_json_string_ext(arr,
		 JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)) ==
	    NULL)
		goto out;
	r = tt_buf_puts(out, s);
out:
	json_object_put(arr);
	return r;
}

static enum tt_sink_result
am_send(struct tt_sink_ctx *ctx, const struct tt_buf *body, char *err,
    size_t errlen)
{
	return tt_sink_http_post(ctx, TT_RESOURCE_MONITOR, "application/json",
	    204, body, err, errlen);
}

const struct tt_sink tt_sink_azure_monitor = {
	.name = "azure-monitor",
	.encode = am_encode,
	.send = am_send,
};
