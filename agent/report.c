#include <sys/random.h>

#include "jsonb.h"
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

/* Adds a deep copy of v (a JSON null when v is NULL: json-c's null). */
static int
add_copy(json_object *o, const char *key, json_object *v, int *e)
{
	json_object *c = NULL;

	if (v == NULL)
		return tt_jsonb_ref(o, key, NULL, e);
	if (json_object_deep_copy(v, &c, NULL) < 0)
		c = NULL;
	return tt_jsonb_add(o, key, c, e);
}

static void
add_vm(json_object *report, const struct tt_imds_instance *i, int *e)
{
	json_object *o = tt_jsonb_obj(report, "vm", e);

	if (o == NULL)
		return;
	tt_jsonb_str(o, "vmId", i->vm_id, e);
	tt_jsonb_str(o, "resourceId", i->resource_id, e);
	tt_jsonb_str(o, "name", i->name, e);
	tt_jsonb_str(o, "location", i->location, e);
	tt_jsonb_str(o, "subscriptionId", i->subscription_id, e);
	tt_jsonb_str(o, "resourceGroupName", i->resource_group, e);
	tt_jsonb_str(o, "vmSize", i->vm_size, e);
}

static void
add_audit(json_object *report, json_object *audit, const char *error, int *e)
{
	static const char *const keep[] = { "profile", "compliant", "score",
		"summary", "failing", "rules_digest", "time" };
	json_object *o = tt_jsonb_obj(report, "audit", e), *v;

	if (o == NULL)
		return;
	if (audit == NULL) {
		tt_jsonb_str(o, "error", error ? error : "no audit", e);
		return;
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(keep); i++)
		if (json_object_object_get_ex(audit, keep[i], &v))
			add_copy(o, keep[i], v, e);
}

static void
add_summary(json_object *report, const struct tt_report_input *in, int *e)
{
	json_object *o = tt_jsonb_obj(report, "summary", e), *v;
	const char *compliance = "unknown";
	char source[1200], drift[128];
	int64_t failing = 0;
	json_object *t = in->tattoo;

	if (o == NULL)
		return;
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
	tt_jsonb_str(o, "image", str_at(t, "image.name"), e);
	tt_jsonb_str(o, "image_version", str_at(t, "image.version"), e);
	tt_jsonb_str(o, "source", source, e);
	tt_jsonb_str(o, "compliance", compliance, e);
	tt_jsonb_int(o, "failing", failing, e);
	tt_jsonb_str(o, "drift", drift, e);
	tt_jsonb_str(o, "image_status",
	    tt_image_status_word(
		in->image ? in->image->status : TT_IMAGE_UNKNOWN),
	    e);
	tt_jsonb_str(o, "image_latest", in->image ? in->image->latest : "", e);
}

int
tt_report_set_dropped(json_object *report, uint64_t dropped)
{
	int e = 0;

	return tt_jsonb_int(report, "dropped", (int64_t)dropped, &e);
}

int
tt_report_build(const struct tt_report_input *in, json_object **ret)
{
	/* Off Azure "vm" keeps its shape with empty strings, as IMDS says
	 * absent fields; vm_note says why. */
	static const struct tt_imds_instance none;
	json_object *o = json_object_new_object(), *absent;
	char id[37], created[TT_RFC3339_LEN];
	int r, e = 0;

	if (o == NULL)
		return -ENOMEM;
	if ((r = tt_uuid4(id)) < 0) {
		json_object_put(o);
		return r;
	}
	tt_rfc3339_format(in->now, created);
	tt_jsonb_int(o, "schema", TT_REPORT_SCHEMA, &e);
	tt_jsonb_str(o, "report_id", id, &e);
	tt_jsonb_str(o, "created", created, &e);
	tt_jsonb_str(o, "agent_version", TT_VERSION, &e);
	add_vm(o, in->inst ? in->inst : &none, &e);
	if (in->inst == NULL)
		tt_jsonb_str(o, "vm_note", in->imds_note ? in->imds_note : "",
		    &e);
	if (in->tattoo != NULL)
		add_copy(o, "tattoo", in->tattoo, &e);
	else if ((absent = tt_jsonb_obj(o, "tattoo", &e)) != NULL)
		tt_jsonb_str(absent, "absent",
		    in->tattoo_note ? in->tattoo_note : "", &e);
	tt_jsonb_str(o, "verify", in->verify, &e);
	if (in->verify_detail != NULL && in->verify_detail[0] != '\0')
		tt_jsonb_str(o, "verify_detail", in->verify_detail, &e);
	tt_jsonb_add(o, "drift", tt_drift_json(in->drift), &e);
	if (in->image != NULL)
		tt_jsonb_add(o, "image", tt_image_fresh_json(in->image), &e);
	add_audit(o, in->audit, in->audit_error, &e);
	add_summary(o, in, &e);
	tt_jsonb_int(o, "dropped", (int64_t)in->dropped, &e);
	/* The SBOM is the caller's and unchanged: a reference, no copy. */
	if (in->sbom != NULL)
		tt_jsonb_ref(o, "sbom", in->sbom, &e);
	else if (in->sbom_note != NULL) {
		json_object *s = tt_jsonb_obj(o, "sbom", &e);

		if (s != NULL)
			tt_jsonb_str(s, "error", in->sbom_note, &e);
	}
	if (e < 0) {
		json_object_put(o);
		return e;
	}
	*ret = o;
	return 0;
}
