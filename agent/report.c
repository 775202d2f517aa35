#include <sys/random.h>

#include "report.h"
#include "timeutil.h"
#include "tt.h"

int
tt_uuid4(char out[37])
{
	uint8_t b[16];
	size_t got = 0;

	while (got < sizeof(b)) {
		ssize_t n = getrandom(b + got, sizeof(b) - got, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		got += (size_t)n;
	}
	b[6] = (uint8_t)((b[6] & 0x0f) | 0x40);
	b[8] = (uint8_t)((b[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10],
	    b[11], b[12], b[13], b[14], b[15]);
	return 0;
}

static const char *
str_at(json_object *obj, const char *path)
{
	json_object *v = obj ? tt_json_path(obj, path) : NULL;

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) :
	    "";
}

static json_object *
copy_of(json_object *v)
{
	json_object *c = NULL;

	if (v == NULL || json_object_deep_copy(v, &c, NULL) < 0)
		return NULL;
	return c;
}

static json_object *
vm_json(const struct tt_imds_instance *i)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "vmId", json_object_new_string(i->vm_id));
	json_object_object_add(o, "resourceId",
	    json_object_new_string(i->resource_id));
	json_object_object_add(o, "name", json_object_new_string(i->name));
	json_object_object_add(o, "location",
	    json_object_new_string(i->location));
	json_object_object_add(o, "subscriptionId",
	    json_object_new_string(i->subscription_id));
	json_object_object_add(o, "resourceGroupName",
	    json_object_new_string(i->resource_group));
	json_object_object_add(o, "vmSize", json_object_new_string(i->vm_size));
	return o;
}

static json_object *
audit_json(json_object *audit, const char *error)
{
	static const char *const keep[] = { "profile", "compliant", "score",
		"summary", "failing", "rules_digest", "time" };
	json_object *o = json_object_new_object(), *v;

	if (o == NULL)
		return NULL;
	if (audit == NULL) {
		json_object_object_add(o, "error",
		    json_object_new_string(error ? error : "no audit"));
		return o;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(keep); i++)
		if (json_object_object_get_ex(audit, keep[i], &v))
			json_object_object_add(o, keep[i], copy_of(v));
	return o;
}

static json_object *
summary_json(const struct tt_report_input *in)
{
	json_object *o = json_object_new_object(), *v;
	const char *compliance = "unknown";
	char source[1200], drift[128];
	int64_t failing = 0;
	json_object *t = in->tattoo;

	if (o == NULL)
		return NULL;
	if (in->audit != NULL &&
	    json_object_object_get_ex(in->audit, "compliant", &v))
		compliance =
		    json_object_get_boolean(v) ? "compliant" : "noncompliant";
	if (in->audit != NULL &&
	    (v = tt_json_path(in->audit, "summary.fail")) != NULL)
		failing = json_object_get_int64(v);
	if (str_at(t, "source.publisher")[0] != '\0')
		snprintf(source, sizeof(source), "%s:%s:%s:%s",
		    str_at(t, "source.publisher"), str_at(t, "source.offer"),
		    str_at(t, "source.sku"), str_at(t, "source.version"));
	else
		strlcpy(source, str_at(t, "source.id"), sizeof(source));
	tt_drift_names(in->drift, drift, sizeof(drift));
	json_object_object_add(o, "image",
	    json_object_new_string(str_at(t, "image.name")));
	json_object_object_add(o, "image_version",
	    json_object_new_string(str_at(t, "image.version")));
	json_object_object_add(o, "source", json_object_new_string(source));
	json_object_object_add(o, "compliance",
	    json_object_new_string(compliance));
	json_object_object_add(o, "failing", json_object_new_int64(failing));
	json_object_object_add(o, "drift", json_object_new_string(drift));
	return o;
}

void
tt_report_set_dropped(json_object *report, uint64_t dropped)
{
	json_object_object_add(report, "dropped",
	    json_object_new_int64((int64_t)dropped));
}

int
tt_report_build(const struct tt_report_input *in, json_object **ret)
{
	json_object *o = json_object_new_object(), *d;
	char id[37], created[TT_RFC3339_LEN];
	int r;

	if (o == NULL)
		return -ENOMEM;
	if ((r = tt_uuid4(id)) < 0) {
		json_object_put(o);
		return r;
	}
	tt_rfc3339_format(in->now, created);
	json_object_object_add(o, "schema",
	    json_object_new_int(TT_REPORT_SCHEMA));
	json_object_object_add(o, "report_id", json_object_new_string(id));
	json_object_object_add(o, "created", json_object_new_string(created));
	json_object_object_add(o, "agent_version",
	    json_object_new_string(TT_VERSION));
	/* Off Azure "vm" keeps its shape with empty strings, as IMDS says
	 * absent fields; vm_note says why. */
	{
		static const struct tt_imds_instance none;

		json_object_object_add(o, "vm",
		    vm_json(in->inst ? in->inst : &none));
	}
	if (in->inst == NULL)
		json_object_object_add(o, "vm_note",
		    json_object_new_string(in->imds_note ? in->imds_note : ""));
	if (in->tattoo != NULL)
		json_object_object_add(o, "tattoo", copy_of(in->tattoo));
	else {
		json_object *absent = json_object_new_object();

		if (absent == NULL) {
			json_object_put(o);
			return -ENOMEM;
		}
		json_object_object_add(absent, "absent",
		    json_object_new_string(
			in->tattoo_note ? in->tattoo_note : ""));
		json_object_object_add(o, "tattoo", absent);
	}
	json_object_object_add(o, "verify", json_object_new_string(in->verify));
	if (in->verify_detail != NULL && in->verify_detail[0] != '\0')
		json_object_object_add(o, "verify_detail",
		    json_object_new_string(in->verify_detail));
	if ((d = tt_drift_json(in->drift)) == NULL) {
		json_object_put(o);
		return -ENOMEM;
	}
	json_object_object_add(o, "drift", d);
	json_object_object_add(o, "audit",
	    audit_json(in->audit, in->audit_error));
	json_object_object_add(o, "summary", summary_json(in));
	tt_report_set_dropped(o, in->dropped);
	*ret = o;
	return 0;
}
