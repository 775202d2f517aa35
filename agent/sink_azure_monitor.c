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

/*
 * The columns of the record, in order: the ONE place that names them.
 * The Log Analytics table and the data collection rule's stream
 * declaration (docs/azure/log-analytics/tattoo-report.json) are generated
 * from this table by tools/la-template.py, and tests/cli/t0705 fails when
 * the checked-in template or docs/queries.md disagree with it.  Keep one
 * row a line: { "Column", "type", "report.path", copy }.  type is the Log
 * Analytics type; copy: the JSON value as it is in the report (number,
 * boolean, array), else its text.
 */
const struct tt_am_column tt_am_columns[] = {
	/* clang-format off */
	{ "TimeGenerated", "datetime", "created", false },
	{ "ReportId", "string", "report_id", false },
	{ "VmId", "string", "vm.vmId", false },
	{ "ResourceId", "string", "vm.resourceId", false },
	{ "VmName", "string", "vm.name", false },
	{ "Location", "string", "vm.location", false },
	{ "ImageName", "string", "tattoo.image.name", false },
	{ "ImageVersion", "string", "tattoo.image.version", false },
	{ "ImageStatus", "string", "summary.image_status", false },
	{ "Source", "string", "summary.source", false },
	{ "Verify", "string", "verify", false },
	{ "Compliance", "string", "summary.compliance", false },
	{ "Compliant", "boolean", "audit.compliant", true },
	{ "FailingCount", "int", "summary.failing", true },
	{ "Score", "real", "audit.score", true },
	{ "Profile", "string", "audit.profile", false },
	{ "Failing", "dynamic", "audit.failing", true },
	{ "Drift", "string", "summary.drift", false },
	{ "Dropped", "int", "dropped", true },
	{ "AgentVersion", "string", "agent_version", false },
	/* clang-format on */
};
const size_t tt_am_ncolumns = TT_ARRAY_SIZE(tt_am_columns);

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
	for (size_t i = 0; i < tt_am_ncolumns; i++) {
		const struct tt_am_column *c = &tt_am_columns[i];

		if ((c->copy ? add_copy(rec, c->name, report, c->path) :
			       add_str(rec, c->name,
				   tt_report_str(report, c->path))) < 0)
			goto out;
	}
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
