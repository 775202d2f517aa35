/*
 * An audit run: a profile's rules evaluated in order, collected into the
 * JSON document of DESIGN.md's "Outputs" that every output writer reads.
 */
#include <signal.h>

#include "fileio.h"
#include "log.h"
#include "rules.h"
#include "tailoring.h"
#include "tt.h"

double
tt_audit_score(long pass, long fail)
{
	if (pass + fail == 0)
		return 100.0;
	/* Tenths rounded half up in integers: no libm, no float drift. */
	long tenths = (pass * 1000 + (pass + fail) / 2) / (pass + fail);

	return (double)tenths / 10.0;
}

static json_object *
str(const char *s)
{
	return json_object_new_string(s ? s : "");
}

/* The top-level CIS section ("5" of "5.2.10"), for grouping; a rule
 * without a CIS number is grouped by its other reference ("azure"). */
static json_object *
section_of(const struct tt_rule *rule)
{
	if (rule->cis == NULL)
		return json_object_new_string(
		    rule->azure != NULL ? "azure" : "other");
	return json_object_new_string_len(rule->cis,
	    (int)strcspn(rule->cis, "."));
}

/* references.stig of a STIG run's result: {id, cat, vuln, rule}. */
static json_object *
stig_ref(const struct tt_rule *rule)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "id", str(rule->stig_id));
	json_object_object_add(o, "cat", str(rule->stig_cat));
	if (rule->stig_vuln != NULL)
		json_object_object_add(o, "vuln", str(rule->stig_vuln));
	if (rule->stig_rule != NULL)
		json_object_object_add(o, "rule", str(rule->stig_rule));
	return o;
}

/* A STIG run (stig true) reports a rule by its STIG reference: the
 * category is its severity and its group ("CAT II"), which every output
 * format shows; a CIS run leaves the STIG reference out. */
static int
add_result(json_object *results, const struct tt_rule *rule,
    const struct tt_rule_result *res, bool brief, bool stig)
{
	json_object *o = json_object_new_object(), *refs;
	const char *severity = rule->severity;
	char cat[16];

	if (o == NULL)
		return -ENOMEM;
	if (brief) {
		json_object_object_add(o, "id", str(rule->id));
		json_object_object_add(o, "title", str(rule->title));
		json_object_object_add(o, "result",
		    str(tt_result_name(res->result)));
		goto add;
	}
	if ((refs = json_object_new_object()) == NULL) {
		json_object_put(o);
		return -ENOMEM;
	}
	stig = stig && rule->stig_id != NULL;
	if (rule->cis != NULL)
		json_object_object_add(refs, "cis", str(rule->cis));
	if (rule->ssg != NULL)
		json_object_object_add(refs, "ssg", str(rule->ssg));
	if (rule->azure != NULL)
		json_object_object_add(refs, "azure", str(rule->azure));
	if (stig) {
		json_object_object_add(refs, "stig", stig_ref(rule));
		severity = tt_stig_severity(rule->stig_cat);
		snprintf(cat, sizeof(cat), "CAT %s", rule->stig_cat);
	}
	json_object_object_add(o, "id", str(rule->id));
	json_object_object_add(o, "title", str(rule->title));
	json_object_object_add(o, "severity", str(severity));
	json_object_object_add(o, "result", str(tt_result_name(res->result)));
	json_object_object_add(o, "references", refs);
	json_object_object_add(o, "found", str(res->found));
	json_object_object_add(o, "expected", str(res->expected));
	json_object_object_add(o, "section",
	    stig ? json_object_new_string(cat) : section_of(rule));
	json_object_object_add(o, "description", str(rule->description));
	json_object_object_add(o, "rationale", str(rule->rationale));
	if (rule->fix != NULL)
		json_object_object_add(o, "fix", json_object_get(rule->fix));
	else if (rule->fix_text != NULL)
		json_object_object_add(o, "fix",
		    json_tokener_parse(rule->fix_text));
add:
	if (json_object_array_add(results, o) < 0) {
		json_object_put(o);
		return -ENOMEM;
	}
	return 0;
}

int
tt_audit_run(struct tt_audit *a, const struct tt_packset *set,
    const struct tt_pack *pack, const struct tt_profile *profile,
    const struct tt_osrelease *os, const char *root_shown,
    const char *const *rule_ids, size_t nrule_ids, json_object **ret, char *err,
    size_t errlen)
{
	long counts[5] = { 0 };
	const struct tt_rule **rules;
	size_t nrules = 0;
	json_object *doc = NULL, *results, *summary;
	char qualified[512], digest[72], score_text[16];
	double score;
	int r = 0;

	/* An array of pointers to rules: sizeof(*rules) is a pointer's. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	if ((rules = calloc(profile->nrules + nrule_ids + 1, sizeof(*rules))) ==
	    NULL)
		return -ENOMEM;
	if (nrule_ids == 0) {
		for (size_t i = 0; i < profile->nrules; i++)
			rules[nrules++] = &pack->rules[profile->rules[i]];
	}
	for (size_t i = 0; i < nrule_ids; i++) {
		const struct tt_rule *rule = tt_pack_rule(pack, rule_ids[i]);

		if (rule == NULL) {
			free(rules);
			return tt_pack_unknown_rule(pack, rule_ids[i], err,
			    errlen);
		}
		rules[nrules++] = rule;
	}
	if ((doc = json_object_new_object()) == NULL ||
	    (results = json_object_new_array()) == NULL ||
	    (summary = json_object_new_object()) == NULL) {
		json_object_put(doc);
		free(rules);
		return -ENOMEM;
	}
	for (size_t i = 0; r == 0 && i < nrules; i++) {
		struct tt_rule_result res;

		if ((r = tt_rule_eval(a, rules[i], os, &res)) < 0)
			break;
		counts[res.result]++;
		r = add_result(results, rules[i], &res, a->brief,
		    tt_profile_is_stig(profile));
		tt_rule_result_free(&res);
	}
	free(rules);
	if (r < 0) {
		json_object_put(results);
		json_object_put(summary);
		json_object_put(doc);
		return r;
	}
	score = tt_audit_score(counts[TT_RESULT_PASS], counts[TT_RESULT_FAIL]);
	snprintf(score_text, sizeof(score_text), "%.1f", score);
	for (size_t i = 0; i < 5; i++)
		json_object_object_add(summary,
		    tt_result_name((enum tt_result)i),
		    json_object_new_int64(counts[i]));
	json_object_object_add(summary, "score",
	    json_object_new_double_s(score, score_text));
	snprintf(qualified, sizeof(qualified), "%s:%s", pack->name,
	    profile->id);
	tt_packset_digest(set, digest);
	json_object_object_add(doc, "schema", json_object_new_int(1));
	json_object_object_add(doc, "profile", str(profile->id));
	json_object_object_add(doc, "pack", str(pack->name));
	json_object_object_add(doc, "profile_qualified", str(qualified));
	/* A STIG profile's title names its benchmark (DISA's, not CIS's). */
	json_object_object_add(doc, "benchmark",
	    str(tt_profile_is_stig(profile) && profile->title != NULL ?
		    profile->title :
		    pack->benchmark));
	if (pack->nsections > 0 && !tt_profile_is_stig(profile)) {
		/* The section titles the reports head their groups with. */
		json_object *sec = json_object_new_object();

		for (size_t i = 0; i < pack->nsections; i++)
			json_object_object_add(sec, pack->sections[2 * i],
			    str(pack->sections[2 * i + 1]));
		json_object_object_add(doc, "sections", sec);
	}
	json_object_object_add(doc, "root", str(root_shown));
	json_object_object_add(doc, "mode",
	    str(a->runtime ? "runtime" : "image"));
	json_object_object_add(doc, "rules_digest", str(digest));
	json_object_object_add(doc, "summary", summary);
	json_object_object_add(doc, "results", results);
	*ret = doc;
	return 0;
}

static int
stop_at(struct tt_audit_job *j, enum tt_audit_job_step step, int r)
{
	j->failed_at = step;
	return r;
}

int
tt_audit_job_run(struct tt_audit_job *j, const struct tt_audit_job_opts *o,
    char *err, size_t errlen)
{
	/* A brief audit names failing rules by id and title: no fix text,
	 * no descriptions (a fifth of the summary's CPU). */
	struct tt_tailored_opts to = { .os = &j->os,
		.files = o->files,
		.nfiles = o->nfiles,
		.want = o->want,
		.tailoring = o->tailoring,
		.no_json = true,
		.keep_fix = !o->brief };
	static const enum tt_audit_job_step steps[] = {
		[TT_TAILORED_OK] = TT_AUDIT_JOB_DONE,
		[TT_TAILORED_FILE] = TT_AUDIT_JOB_TAILORING,
		[TT_TAILORED_PACKS] = TT_AUDIT_JOB_PACKS,
		[TT_TAILORED_PROFILE] = TT_AUDIT_JOB_PROFILE,
	};
	const char *pause = getenv("TATTOO_TEST_PAUSE");
	enum tt_tailored_step step;
	int r;

	r = tt_osrelease_load(&j->os, o->root);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot read os-release: %s",
		    tt_strerror(r));
		return stop_at(j, TT_AUDIT_JOB_OSRELEASE, r);
	}
	if ((r = tt_tailored_load(&j->set, &to, &j->tailoring, &j->pack,
		 &j->profile, &step, err, errlen)) < 0)
		return stop_at(j,
		    r == -ENOMEM && step == TT_TAILORED_PACKS ?
			TT_AUDIT_JOB_DROP :
			steps[step],
		    r);
	tt_audit_init(&j->audit, o->root, tt_root_is_host(o->root));
	j->audit.brief = o->brief;
	tt_audit_set_timeout(&j->audit, o->timeout_s);
	/* A test hook: the audit stops itself (SIGSTOP) once its deadline
	 * runs, so a test can hold it past the deadline. */
	if (pause != NULL && TT_STREQ(pause, "audit"))
		(void)raise(SIGSTOP);
	if ((r = tt_audit_run(&j->audit, &j->set, j->pack, j->profile, &j->os,
		 o->root->path, o->rule_ids, o->nrule_ids, &j->doc, err,
		 errlen)) < 0)
		return stop_at(j, TT_AUDIT_JOB_RUN, r);
	if (j->tailoring != NULL) {
		json_object *tj = tt_tailoring_json(j->tailoring);

		if (tj == NULL ||
		    json_object_object_add(j->doc, "tailoring", tj) < 0) {
			json_object_put(tj);
			return stop_at(j, TT_AUDIT_JOB_DROP, -ENOMEM);
		}
	}
	return 0;
}

void
tt_audit_job_free(struct tt_audit_job *j)
{
	json_object_put(j->doc);
	j->doc = NULL;
	tt_audit_free(&j->audit);
	tt_packset_free(&j->set);
	tt_tailoring_free(j->tailoring);
	j->tailoring = NULL;
	tt_osrelease_free(&j->os);
}
