#include <errno.h>
#include <regex.h>

#include <json-c/json.h>

#include "sink.h"
#include "tattoo.h"
#include "tt_test.h"

static const char report_text[] =
    "{\"schema\":1,\"report_id\":\"00000000-0000-4000-8000-000000000001\","
    "\"created\":\"2026-11-24T06:00:00Z\",\"agent_version\":\"0.1.0\","
    "\"vm\":{\"vmId\":\"vm-id\",\"resourceId\":\"/subscriptions/s/vm\","
    "\"name\":\"vm one\",\"location\":\"westeurope\"},"
    "\"tattoo\":{\"image\":{\"name\":\"golden\",\"version\":\"1.4.0\"}},"
    "\"verify\":\"valid\",\"dropped\":2,"
    "\"audit\":{\"profile\":\"p\",\"compliant\":false,\"score\":50.5,"
    "\"failing\":[\"r1\",\"r2\"]},"
    "\"summary\":{\"image\":\"gol\\\"d]e\\\\n\",\"image_version\":\"1.4.0\","
    "\"source\":\"a:b:c:1\",\"compliance\":\"noncompliant\",\"failing\":2,"
    "\"drift\":\"stale\"}}";

static void
test_table(void)
{
	CHECK(tt_sink_find("json") == &tt_sink_json);
	CHECK(tt_sink_find("azure-monitor") == &tt_sink_azure_monitor);
	CHECK(tt_sink_find("otlp") == &tt_sink_otlp);
	CHECK(tt_sink_find("syslog") == &tt_sink_syslog);
	CHECK(tt_sink_find("kafka") == NULL);
}

static json_object *
encode(const struct tt_sink *s, struct tt_buf *b)
{
	json_object *r = json_tokener_parse(report_text), *o;

	tt_buf_init(b, TT_SINK_MAX_BODY);
	CHECK_INT(s->encode(r, b), 0);
	o = json_tokener_parse(b->data ? b->data : "");
	json_object_put(r);
	return o;
}

static void
test_json(void)
{
	struct tt_buf b;
	json_object *o = encode(&tt_sink_json, &b);

	CHECK_STR(json_object_get_string(tt_json_path(o, "report_id")),
	    "00000000-0000-4000-8000-000000000001");
	CHECK(strchr(b.data, '\n') == NULL);
	json_object_put(o);
	tt_buf_free(&b);
}

static void
test_azure_monitor(void)
{
	struct tt_buf b;
	json_object *o = encode(&tt_sink_azure_monitor, &b), *rec;
	regex_t re;

	CHECK(json_object_is_type(o, json_type_array));
	CHECK_INT(json_object_array_length(o), 1);
	rec = json_object_array_get_idx(o, 0);
	regcomp(&re, "^[A-Za-z0-9_]{1,45}$", REG_EXTENDED | REG_NOSUB);
	json_object_object_foreach(rec, k, v)
	{
		(void)v;
		CHECK(regexec(&re, k, 0, NULL, 0) == 0);
	}
	regfree(&re);
	CHECK_STR(json_object_get_string(tt_json_path(rec, "TimeGenerated")),
	    "2026-11-24T06:00:00Z");
	CHECK_STR(json_object_get_string(tt_json_path(rec, "VmName")),
	    "vm one");
	CHECK_INT(json_object_get_int(tt_json_path(rec, "FailingCount")), 2);
	CHECK_INT(json_object_get_int(tt_json_path(rec, "Dropped")), 2);
	CHECK(!json_object_get_boolean(tt_json_path(rec, "Compliant")));
	CHECK_INT(json_object_array_length(tt_json_path(rec, "Failing")), 2);
	json_object_put(o);
	tt_buf_free(&b);
}

static void
test_otlp(void)
{
	struct tt_buf b;
	json_object *o = encode(&tt_sink_otlp, &b), *rl, *rec;

	rl = json_object_array_get_idx(tt_json_path(o, "resourceLogs"), 0);
	CHECK(rl != NULL);
	rec =
	    json_object_array_get_idx(tt_json_path(json_object_array_get_idx(tt_json_path(rl,
										 "scopeLogs"),
						       0),
					  "logRecords"),
		0);
	CHECK(rec != NULL);
	CHECK_STR(json_object_get_string(tt_json_path(rec, "timeUnixNano")),
	    "1795500000000000000");
	CHECK_INT(json_object_get_int(tt_json_path(rec, "severityNumber")), 13);
	CHECK(strstr(json_object_get_string(
			 tt_json_path(rec, "body.stringValue")),
		  "\"report_id\"") != NULL);
	json_object_put(o);
	tt_buf_free(&b);
}

static void
test_syslog(void)
{
	struct tt_buf b;
	json_object *o = encode(&tt_sink_syslog, &b);
	char head[64];

	CHECK(o == NULL); /* not JSON: a syslog line */
	snprintf(head, sizeof(head),
	    "<28>1 2026-11-24T06:00:00Z vm_one tattoo ");
	CHECK(strncmp(b.data, head, strlen(head)) == 0);
	CHECK(strstr(b.data, " report [tattoo@32473 report_id=\"00000000-") !=
	    NULL);
	/* '"', '\' and ']' escaped in SD-PARAM values (RFC 5424 6.3.3). */
	CHECK(strstr(b.data, "image=\"gol\\\"d\\]e\\\\n\"") != NULL);
	CHECK(strstr(b.data, "failing=\"2\"") != NULL);
	CHECK(strstr(b.data, "] {\"schema\":1") != NULL);
	CHECK(strchr(b.data, '\n') == NULL);
	tt_buf_free(&b);
}

int
main(void)
{
	RUN(test_table);
	RUN(test_json);
	RUN(test_azure_monitor);
	RUN(test_otlp);
	RUN(test_syslog);
	TEST_EXIT();
}
