/*
 * tt_audit_summary (audit_summary.h): the audit that write and report run
 * without a command line of their own.
 */
#include <time.h>

#include "audit_summary.h"
#include "probe.h"
#include "rules.h"
#include "fileio.h"
#include "jsonb.h"
#include "log.h"
#include "rootfs.h"
#include "timeutil.h"
#include "tt.h"

/* One code path with `tattoo audit`: the job, brief (no fix text, no
 * descriptions: the status section names failing rules by id and title),
 * then the status section of its document. */
int
tt_audit_summary(const struct tt_root *root, const char *profile,
    long timeout_s, json_object **ret, char *err, size_t errlen)
{
	return tt_audit_summary_tailored(root, profile, NULL, timeout_s, ret,
	    err, errlen);
}

/* The same, with a tailoring that the job records in its document. */
int
tt_audit_summary_tailored(const struct tt_root *root, const char *profile,
    const char *tailoring, long timeout_s, json_object **ret, char *err,
    size_t errlen)
{
	struct tt_audit_job_opts o = { .root = root,
		.want = profile,
		.tailoring = tailoring,
		.timeout_s = timeout_s,
		.brief = true };
	struct tt_audit_job job = { 0 };
	json_object *section;
	int r, jerr = 0;

	if ((r = tt_audit_job_run(&job, &o, err, errlen)) < 0)
		goto out;
	if ((section = tt_audit_status_section(job.doc)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (job.audit.budget.spent != 0) {
		char why[256];

		if (job.audit.budget.not_judged > 0)
			snprintf(why, sizeof(why), "%s: %zu rule%s not judged",
			    job.audit.budget.why, job.audit.budget.not_judged,
			    job.audit.budget.not_judged == 1 ? "" : "s");
		else
			snprintf(why, sizeof(why),
			    "%s: the rules that needed more are \"error\"",
			    job.audit.budget.why);
		if ((r = tt_jsonb_str(section, "incomplete", why, &jerr)) < 0) {
			json_object_put(section);
			goto out;
		}
	}
	*ret = section;
	r = 0;
out:
	tt_audit_job_free(&job);
	return r;
}

static json_object *
copy_int(json_object *from, const char *key)
{
	json_object *v;

	return json_object_new_int64(json_object_object_get_ex(from, key, &v) ?
		json_object_get_int64(v) :
		0);
}

json_object *
tt_audit_status_section(json_object *doc)
{
	static const char *const keys[] = { "pass", "fail", "error",
		"notapplicable", "manual" };
	json_object *sec = json_object_new_object(), *sum, *failing, *reasons;
	json_object *summary = NULL, *results = NULL, *v;
	char now[TT_RFC3339_LEN], profile[512];
	long fail = 0;
	int err = 0;

	if (sec == NULL)
		return NULL;
	json_object_object_get_ex(doc, "summary", &summary);
	json_object_object_get_ex(doc, "results", &results);
	tt_rfc3339_format(time(NULL), now);
	tt_jsonb_str(sec, "time", now, &err);
	snprintf(profile, sizeof(profile), "%s",
	    json_object_object_get_ex(doc, "profile_qualified", &v) ?
		json_object_get_string(v) :
		"");
	tt_jsonb_str(sec, "profile", profile, &err);
	tt_jsonb_ref(sec, "root",
	    json_object_object_get_ex(doc, "root", &v) ? v : NULL, &err);
	sum = json_object_new_object();
	for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++)
		tt_jsonb_add(sum, keys[i], copy_int(summary, keys[i]), &err);
	if (json_object_object_get_ex(summary, "fail", &v))
		fail = (long)json_object_get_int64(v);
	tt_jsonb_bool(sec, "compliant", fail == 0, &err);
	tt_jsonb_ref(sec, "score",
	    json_object_object_get_ex(summary, "score", &v) ? v : NULL, &err);
	tt_jsonb_add(sec, "summary", sum, &err);
	failing = tt_jsonb_arr(sec, "failing", &err);
	reasons = tt_jsonb_arr(sec, "reasons", &err);
	for (size_t i = 0; err == 0 && i < json_object_array_length(results);
	     i++) {
		json_object *r = json_object_array_get_idx(results, i), *res;
		json_object *id, *title, *reason;

		if (!json_object_object_get_ex(r, "result", &res) ||
		    !TT_STREQ(json_object_get_string(res), "fail"))
			continue;
		json_object_object_get_ex(r, "id", &id);
		json_object_object_get_ex(r, "title", &title);
		tt_jsonb_append_ref(failing, id, &err);
		reason = json_object_new_object();
		tt_jsonb_ref(reason, "code", id, &err);
		tt_jsonb_ref(reason, "phrase", title, &err);
		tt_jsonb_append(reasons, reason, &err);
	}
	tt_jsonb_ref(sec, "rules_digest",
	    json_object_object_get_ex(doc, "rules_digest", &v) ? v : NULL,
	    &err);
	if (json_object_object_get_ex(doc, "tailoring", &v))
		tt_jsonb_ref(sec, "tailoring", v, &err);
	if (err < 0) {
		json_object_put(sec);
		return NULL;
	}
	return sec;
}

/* The pending_updates probe run alone, over the root's own metadata. */
json_object *
tt_security_updates(const struct tt_root *root)
{
	const struct tt_probe *probe = tt_probe_find("pending_updates");
	struct tt_params p = { .probe = probe };
	struct tt_items items = { 0 };
	struct tt_audit a;
	json_object *o = json_object_new_object();
	char why[512] = "";
	const char *v;
	int r;

	if (o == NULL || probe == NULL) {
		json_object_put(o);
		return NULL;
	}
	tt_audit_init(&a, root, false);
	tt_audit_set_timeout(&a, TT_AUDIT_TIMEOUT_S);
	r = probe->run(&a, &p, &items, why, sizeof(why));
	if (r < 0 || items.n == 0) {
		json_object_object_add(o, "error",
		    json_object_new_string(why[0] ? why : tt_strerror(r)));
	} else {
		v = tt_item_get(&items.v[0], "pending");
		json_object_object_add(o, "pending",
		    json_object_new_int64(v ? strtoll(v, NULL, 10) : 0));
		v = tt_item_get(&items.v[0], "metadata_date");
		if (v != NULL && v[0] != '\0')
			json_object_object_add(o, "metadata_date",
			    json_object_new_string(v));
	}
	tt_items_free(&items);
	tt_audit_free(&a);
	return o;
}
