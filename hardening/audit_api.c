/*
 * tt_audit_summary (audit_api.h): the audit that write and report run
 * without a command line of their own.
 */
#include "audit_api.h"
#include "cli.h"
#include "engine.h"
#include "fileio.h"
#include "output.h"
#include "tt.h"

int
tt_audit_summary(struct tt_ctx *ctx, const char *profile, long timeout_s,
    json_object **ret, char *err, size_t errlen)
{
	struct tt_packset set = { 0 };
	struct tt_osrelease os = { 0 };
	struct tt_audit audit = { 0 };
	const struct tt_pack *pack;
	const struct tt_profile *prof;
	struct tt_pack_filter filter = { .os = &os, .no_json = true };
	json_object *doc = NULL, *section;
	int r;

	r = tt_osrelease_load(&os, &ctx->root);
	if (r < 0 && r != -ENOENT) {
		snprintf(err, errlen, "cannot read os-release: %s",
		    tt_strerror(r));
		goto out;
	}
	if (profile == NULL && ctx->cfg.profile[0] != '\0')
		profile = ctx->cfg.profile;
	filter.want = profile;
	if ((r = tt_packset_load(&set, NULL, 0, &filter, err, errlen)) < 0)
		goto out;
	/* The status section names failing rules by id and title: no fix
	 * text, no descriptions (a fifth of the summary's CPU). */
	for (size_t i = 0; i < set.n; i++)
		if ((r = tt_pack_drop_json(set.v[i], false)) < 0)
			goto out;
	if ((r = tt_profile_select(&set, &os, profile, &pack, &prof, err,
		 errlen)) < 0)
		goto out;
	tt_audit_init(&audit, &ctx->root, tt_root_is_host(&ctx->root));
	audit.brief = true;
	tt_audit_set_timeout(&audit, timeout_s);
	if ((r = tt_audit_run(&audit, &set, pack, prof, &os, ctx->root.path,
		 NULL, 0, &doc, err, errlen)) < 0)
		goto out;
	if ((section = tt_audit_status_section(doc)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (audit.budget.spent != 0) {
		char why[256];

		if (audit.budget.not_judged > 0)
			snprintf(why, sizeof(why), "%s: %zu rule%s not judged",
			    audit.budget.why, audit.budget.not_judged,
			    audit.budget.not_judged == 1 ? "" : "s");
		else
			snprintf(why, sizeof(why),
			    "%s: the rules that needed more are \"error\"",
			    audit.budget.why);
		json_object_object_add(section, "incomplete",
		    json_object_new_string(why));
	}
	*ret = section;
	r = 0;
out:
	json_object_put(doc);
	tt_audit_free(&audit);
	tt_packset_free(&set);
	tt_osrelease_free(&os);
	return r;
}
