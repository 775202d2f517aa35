/*
 * A harden run (harden_run.h): plan, journal and apply, check again.
 */
#include <signal.h>
#include <strings.h>

#include "actions.h"
#include "fileio.h"
#include "harden_run.h"
#include "tailoring.h"
#include "journal.h"
#include "lockout.h"
#include "log.h"
#include "packages.h"
#include "probe.h"
#include "tt.h"
#include "validate.h"

static const char *const outcome_names[] = {
	[TT_HARDEN_PLANNED] = "changed",
	[TT_HARDEN_NOTHING] = "unchanged",
	[TT_HARDEN_MANUAL] = "manual",
	[TT_HARDEN_REFUSED] = "refused",
	[TT_HARDEN_SKIPPED] = "skipped",
	[TT_HARDEN_DEFERRED] = "deferred",
	[TT_HARDEN_ERROR] = "error",
	[TT_HARDEN_PERSON] = "needs a person",
};

const char *
tt_harden_outcome_name(enum tt_harden_outcome o)
{
	return (unsigned)o < TT_ARRAY_SIZE(outcome_names) ? outcome_names[o] :
							    "error";
}

/* A fix that would close the last way into the VM is refused. */
static bool
locks_out(struct tt_harden *h, json_object *params, char *why, size_t len)
{
	const char *key = tt_action_param(params, "key");
	const char *value = tt_action_param(params, "value");
	bool safe;

	if (key == NULL || value == NULL || strcasecmp(value, "no") != 0)
		return false;
	if (strcasecmp(key, "PasswordAuthentication") == 0) {
		safe =
		    tt_lockout_safe_plan(&h->plan, TT_LOCKOUT_NO_PASSWORD_AUTH,
			!h->closing_root_login, why, len);
		h->closing_password_auth |= safe;
	} else if (strcasecmp(key, "PermitRootLogin") == 0) {
		safe = tt_lockout_safe_plan(&h->plan, TT_LOCKOUT_NO_ROOT_LOGIN,
		    !h->closing_password_auth, why, len);
		h->closing_root_login |= safe;
	} else {
		return false;
	}
	if (safe)
		why[0] = '\0';
	return !safe;
}

static void
plan_rule(struct tt_harden *h, const struct tt_harden_opts *o,
    struct tt_harden_item *it)
{
	json_object *fix = it->rule->fix, *v = NULL, *params = NULL;
	const struct tt_action *a;
	unsigned long before = h->plan.edits;
	const char *name;
	int r;

	if (fix == NULL || json_object_object_get_ex(fix, "manual", &v)) {
		it->outcome = TT_HARDEN_MANUAL;
		snprintf(it->why, sizeof(it->why), "%s",
		    v ? json_object_get_string(v) : "no fix");
		return;
	}
	json_object_object_get_ex(fix, "action", &v);
	json_object_object_get_ex(fix, "params", &params);
	name = v ? json_object_get_string(v) : "";
	if ((a = tt_action_find(name)) == NULL) {
		it->outcome = TT_HARDEN_ERROR;
		snprintf(it->why, sizeof(it->why), "unknown action '%s'", name);
		return;
	}
	if (a->plan == NULL) {
		it->outcome = TT_HARDEN_MANUAL;
		snprintf(it->why, sizeof(it->why),
		    "install '%s' in the image "
		    "build (apt-get or dnf install)",
		    tt_action_param(params, "name"));
		return;
	}
	if (a->package_change && !o->allow_packages) {
		it->outcome = TT_HARDEN_SKIPPED;
		snprintf(it->why, sizeof(it->why),
		    "%s of '%s' needs "
		    "--allow-package-changes",
		    a->name, tt_action_param(params, "name"));
		return;
	}
	/* dpkg --root and rpm --root run the image's maintainer scripts
	 * chrooted, as host root: an image's package is removed in the
	 * image's own sandbox or build VM, by a person. */
	if (a->package_change && !tt_root_is_host(o->root)) {
		it->outcome = TT_HARDEN_REFUSED;
		tt_package_refusal(o->root, tt_action_param(params, "name"),
		    it->why, sizeof(it->why));
		return;
	}
	if (TT_STREQ(a->name, "sshd_set") && !h->doors_last &&
	    tt_lockout_closes_door(tt_action_param(params, "key"),
		tt_action_param(params, "value"))) {
		it->outcome = TT_HARDEN_DEFERRED;
		return;
	}
	if (TT_STREQ(a->name, "sshd_set") &&
	    locks_out(h, params, it->why, sizeof(it->why))) {
		it->outcome = TT_HARDEN_REFUSED;
		return;
	}
	r = a->plan(&h->plan, it->rule->id, params, it->why, sizeof(it->why));
	if (r < 0) {
		/* A reason the action gave for leaving it to a person is a
		 * fix harden declines; any other failure is an error. */
		it->outcome = it->why[0] != '\0' &&
			(r == -ENOENT || r == -EPERM || r == -TT_ENOTREG) ?
		    TT_HARDEN_PERSON :
		    TT_HARDEN_ERROR;
		if (it->why[0] == '\0')
			snprintf(it->why, sizeof(it->why), "%s",
			    tt_strerror(r));
		return;
	}
	/* An edit merged into a change another rule planned (two keys of
	 * sshd_config) is this rule's change too. */
	it->outcome =
	    h->plan.edits > before ? TT_HARDEN_PLANNED : TT_HARDEN_NOTHING;
}

/* The tests stop a harden between two changes to kill it there. */
static void
test_pause(const char *point)
{
	const char *v = getenv("TATTOO_TEST_PAUSE");

	if (v != NULL && TT_STREQ(v, point))
		(void)raise(SIGSTOP);
}

static int
apply_plan(struct tt_harden *h, const struct tt_harden_opts *o, char *err,
    size_t errlen)
{
	static const char *const kinds[] = { "content", "remove", "meta",
		"symlink", "package" };
	struct tt_journal j;
	char why[PATH_MAX + 512];
	int r;

	if (o->journal_dir == NULL) {
		tt_seterr(err, errlen, "state directory path too long");
		return -ENAMETOOLONG;
	}
	r = tt_journal_begin(&j, o->journal_root, o->journal_dir, o->state_dir,
	    o->root, "harden", why, sizeof(why));
	if (r < 0) {
		tt_seterr(err, errlen, "%s", why);
		return r;
	}
	strlcpy(h->run, j.run, sizeof(h->run));
	for (size_t i = 0; i < h->plan.n; i++) {
		const struct tt_change *c = &h->plan.v[i];

		if (c->kind == TT_CHANGE_PACKAGE)
			r = tt_journal_note(&j, "package-remove", c->path,
			    c->target, c->rule, why, sizeof(why));
		else
			r = tt_journal_record(&j, c->path, c->rule,
			    kinds[c->kind], why, sizeof(why));
		if (r < 0) {
			tt_seterr(err, errlen, "%s; nothing more is changed",
			    why);
			break;
		}
		test_pause("harden-change");
		r = tt_plan_apply_change(o->root, c);
		if (r < 0) {
			tt_seterr(err, errlen,
			    "cannot change '%s' for rule '%s': %s; "
			    "'tattoo rollback %s' undoes what was done",
			    c->path, c->rule, tt_strerror(r), j.run);
			break;
		}
	}
	/* Live: sshd -t and visudo -c judge the result, and what they
	 * reject is put back (validate.h); under --root nothing of the
	 * image runs, and the checks left are said. */
	if (r == 0 && tt_root_is_host(o->root))
		h->validation_failed =
		    tt_validate_live(o->root, &h->plan, tt_validate_tools,
			&h->validation) != 0;
	else if (r == 0)
		tt_validate_unchecked(&h->plan, tt_validate_tools,
		    &h->validation);
	tt_journal_finish(&j, r < 0 ? "failed" : "complete");
	return r;
}

static bool
chosen(const struct tt_harden_opts *o, const struct tt_rule *rule)
{
	for (size_t k = 0; k < o->nrule_ids; k++)
		if (TT_STREQ(o->rule_ids[k], rule->id))
			return true;
	return o->nrule_ids == 0;
}

/* Evaluates the chosen rules and plans a fix for each that fails. */
static int
plan_failing(struct tt_harden *h, const struct tt_harden_opts *o, char *err,
    size_t errlen)
{
	const struct tt_profile *profile = h->profile;
	struct tt_audit audit = { 0 };
	int r = 0;

	h->items =
	    calloc(profile->nrules ? profile->nrules : 1, sizeof(*h->items));
	if (h->items == NULL) {
		tt_seterr(err, errlen, "out of memory for %zu rules",
		    profile->nrules);
		return -ENOMEM;
	}
	tt_audit_init(&audit, o->root, tt_root_is_host(o->root));
	for (size_t i = 0; i < profile->nrules; i++) {
		const struct tt_rule *rule = &h->pack->rules[profile->rules[i]];
		struct tt_rule_result res;

		if (!chosen(o, rule))
			continue;
		if ((r = tt_rule_eval(&audit, rule, &h->os, &res)) < 0) {
			tt_seterr(err, errlen, "cannot check rule '%s': %s",
			    rule->id, tt_strerror(r));
			break;
		}
		if (res.result == TT_RESULT_PASS ||
		    res.result == TT_RESULT_FAIL)
			h->judged_before++;
		if (res.result == TT_RESULT_PASS)
			h->pass_before++;
		if (res.result == TT_RESULT_FAIL) {
			h->items[h->nitems].rule = rule;
			plan_rule(h, o, &h->items[h->nitems]);
			h->nitems++;
		}
		tt_rule_result_free(&res);
	}
	tt_audit_free(&audit);
	/* The fixes that close an SSH door come last, so that the guard
	 * judges the files as the rest of the run leaves them. */
	h->doors_last = true;
	for (size_t i = 0; r == 0 && i < h->nitems; i++)
		if (h->items[i].outcome == TT_HARDEN_DEFERRED)
			plan_rule(h, o, &h->items[i]);
	return r;
}

/* Checks every item again from scratch: the caches hold the old state. */
static int
recheck(struct tt_harden *h, const struct tt_harden_opts *o, char *err,
    size_t errlen)
{
	struct tt_audit audit = { 0 }, image = { 0 };
	bool live = tt_root_is_host(o->root);
	int r = 0;

	tt_audit_init(&audit, o->root, live);
	/* A build VM's kernel keeps its sysctl values and a chroot runs no
	 * unit until the next boot: a rule failing live is judged again on
	 * the files alone, as in an image. */
	tt_audit_init(&image, o->root, false);
	for (size_t i = 0; i < h->nitems; i++) {
		struct tt_harden_item *it = &h->items[i];
		struct tt_rule_result res;

		if ((r = tt_rule_eval(&audit, it->rule, &h->os, &res)) < 0) {
			tt_seterr(err, errlen,
			    "cannot check rule '%s' again: %s", it->rule->id,
			    tt_strerror(r));
			break;
		}
		if (live && res.result == TT_RESULT_FAIL &&
		    !tt_harden_declined(it)) {
			struct tt_rule_result img;

			if ((r = tt_rule_eval(&image, it->rule, &h->os, &img)) <
			    0) {
				tt_rule_result_free(&res);
				tt_seterr(err, errlen,
				    "cannot check rule '%s' again: %s",
				    it->rule->id, tt_strerror(r));
				break;
			}
			it->at_boot = img.result == TT_RESULT_PASS;
			tt_rule_result_free(&img);
		}
		it->after = res.result;
		it->found = res.found;
		it->expected = res.expected;
		res.found = res.expected = NULL;
		tt_rule_result_free(&res);
		if (it->after == TT_RESULT_PASS)
			h->fixed++;
		else if (it->after == TT_RESULT_FAIL)
			h->still++;
		if (it->after == TT_RESULT_FAIL ||
		    it->after == TT_RESULT_ERROR) {
			if (tt_harden_declined(it))
				h->declined++;
			else if (it->at_boot)
				h->at_boot++;
			else
				h->unfixed++;
		}
	}
	tt_audit_free(&image);
	tt_audit_free(&audit);
	return r;
}

static int
fail(struct tt_harden *h, enum tt_harden_failure f, int r)
{
	h->failure = f;
	return r;
}

int
tt_harden_run(struct tt_harden *h, const struct tt_harden_opts *o, char *err,
    size_t errlen)
{
	/* Only the pack the profile needs is loaded (memory). */
	struct tt_tailored_opts to = { .os = &h->os,
		.files = o->files,
		.nfiles = o->nfiles,
		.want = o->want,
		.tailoring = o->tailoring };
	static const enum tt_harden_failure failures[] = {
		[TT_TAILORED_OK] = TT_HARDEN_FAILED_NONE,
		[TT_TAILORED_FILE] = TT_HARDEN_FAILED_INPUT,
		[TT_TAILORED_PACKS] = TT_HARDEN_FAILED_PACKS,
		[TT_TAILORED_PROFILE] = TT_HARDEN_FAILED_USAGE,
	};
	enum tt_tailored_step step;
	int r;

	tt_plan_init(&h->plan, o->root);
	tt_buf_init(&h->validation, (size_t)64 * 1024);
	r = tt_osrelease_load(&h->os, o->root);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot read os-release: %s",
		    tt_strerror(r));
		return fail(h, TT_HARDEN_FAILED_INPUT, r);
	}
	if ((r = tt_tailored_load(&h->set, &to, &h->tailoring, &h->pack,
		 &h->profile, &step, err, errlen)) < 0)
		return fail(h,
		    r == -ENOMEM ? TT_HARDEN_FAILED_ENV : failures[step], r);
	for (size_t i = 0; i < o->nrule_ids; i++) {
		if (tt_pack_rule(h->pack, o->rule_ids[i]) == NULL) {
			tt_pack_unknown_rule(h->pack, o->rule_ids[i], err,
			    errlen);
			return fail(h, TT_HARDEN_FAILED_USAGE, -ENOENT);
		}
	}
	if ((r = plan_failing(h, o, err, errlen)) < 0)
		return fail(h, TT_HARDEN_FAILED_ENV, r);
	if (!o->dry_run && h->plan.n > 0 &&
	    (r = apply_plan(h, o, err, errlen)) < 0)
		return fail(h, TT_HARDEN_FAILED_ENV, r);
	if ((r = recheck(h, o, err, errlen)) < 0)
		return fail(h, TT_HARDEN_FAILED_ENV, r);
	return 0;
}

bool
tt_harden_declined(const struct tt_harden_item *it)
{
	return it->outcome == TT_HARDEN_MANUAL ||
	    it->outcome == TT_HARDEN_REFUSED ||
	    it->outcome == TT_HARDEN_SKIPPED || it->outcome == TT_HARDEN_PERSON;
}

bool
tt_harden_fixed_by_other(const struct tt_harden_item *it)
{
	return it->after == TT_RESULT_PASS && it->outcome != TT_HARDEN_PLANNED;
}

int
tt_harden_exit(const struct tt_harden *h, bool dry_run, bool strict)
{
	bool errored = false;

	if (dry_run) {
		for (size_t i = 0; i < h->nitems; i++)
			errored |= h->items[i].outcome == TT_HARDEN_ERROR;
		if (h->plan.n > 0 || errored || (strict && h->nitems > 0))
			return TT_EXIT_FAIL;
		return TT_EXIT_OK;
	}
	if (h->unfixed > 0 || (strict && h->still > 0))
		return TT_EXIT_FAIL;
	return TT_EXIT_OK;
}

void
tt_harden_free(struct tt_harden *h)
{
	for (size_t i = 0; i < h->nitems; i++) {
		free(h->items[i].found);
		free(h->items[i].expected);
	}
	free(h->items);
	h->items = NULL;
	h->nitems = 0;
	tt_plan_free(&h->plan);
	tt_buf_free(&h->validation);
	tt_packset_free(&h->set);
	tt_tailoring_free(h->tailoring);
	h->tailoring = NULL;
	tt_osrelease_free(&h->os);
}
