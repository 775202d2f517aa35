#include <signal.h>
#include <strings.h>

#include "actions.h"
#include "cli.h"
#include "confirm.h"
#include "rules.h"
#include "fileio.h"
#include "journal.h"
#include "lockout.h"
#include "log.h"
#include "osrelease.h"
#include "packages.h"
#include "plan.h"
#include "probe.h"
#include "term.h"
#include "tt.h"
#include "validate.h"

static const char usage[] =
    "usage: tattoo harden [--profile ID] [--rule ID]... [--dry-run]\n"
    "                     [--allow-package-changes] [--rules FILE]...\n"
    "                     [--force] [--root DIR]\n"
    "\n"
    "Remediates the failing rules of a profile, journaled so that\n"
    "'tattoo rollback' undoes the run exactly, then checks them again.\n"
    "Without --root it changes this system: it asks first on a terminal,\n"
    "and without one it needs --force.\n"
    "\n"
    "  --profile ID              profile (default: from os-release)\n"
    "  --rule ID                 only this rule (repeatable)\n"
    "  --dry-run                 print the diff of every change; change nothing\n"
    "  --allow-package-changes   let fixes remove packages (not under --root:\n"
    "                            an image's package scripts never run as\n"
    "                            host root; the command to run is printed)\n"
    "  --force                   without --root: change this system, no question\n"
    "  --rules FILE              use this rule pack (repeatable)\n"
    "\n"
    "Exit: 0 every judged rule passes afterwards, 1 some still fail,\n"
    "2 usage, 3 bad rule pack, 4 a change could not be made.\n";

enum {
	OPT_PROFILE = TT_OPT_FIRST_COMMAND_OPT,
	OPT_RULE,
	OPT_DRY_RUN,
	OPT_ALLOW_PACKAGES,
	OPT_RULES,
	OPT_FORCE,
};

#define MAX_LIST 256

enum outcome {
	OUT_PLANNED, /* changes planned */
	OUT_NOTHING, /* the fix found nothing to change */
	OUT_MANUAL,
	OUT_REFUSED, /* lock-out guard */
	OUT_SKIPPED, /* package change without permission */
	OUT_DEFERRED, /* closes an SSH door: planned after the rest */
	OUT_ERROR,
};

struct item {
	const struct tt_rule *rule;
	enum outcome outcome;
	char why[512];
	enum tt_result after;
	char *found, *expected;
};

/* Which SSH doors this run has already planned to close; whether the
 * other changes are planned (the guard judges the PAM stack they leave). */
static bool closing_password_auth, closing_root_login, doors_last;

/* A fix that would close the last way into the VM is refused. */
static bool
locks_out(struct tt_plan *plan, json_object *params, char *why, size_t len)
{
	const char *key = tt_action_param(params, "key");
	const char *value = tt_action_param(params, "value");
	bool safe;

	if (key == NULL || value == NULL || strcasecmp(value, "no") != 0)
		return false;
	if (strcasecmp(key, "PasswordAuthentication") == 0) {
		safe = tt_lockout_safe_plan(plan, TT_LOCKOUT_NO_PASSWORD_AUTH,
		    !closing_root_login, why, len);
		closing_password_auth |= safe;
	} else if (strcasecmp(key, "PermitRootLogin") == 0) {
		safe = tt_lockout_safe_plan(plan, TT_LOCKOUT_NO_ROOT_LOGIN,
		    !closing_password_auth, why, len);
		closing_root_login |= safe;
	} else {
		return false;
	}
	if (safe)
		why[0] = '\0';
	return !safe;
}

static void
plan_rule(struct tt_ctx *ctx, struct tt_plan *plan, struct item *it,
    bool allow_packages)
{
	json_object *fix = it->rule->fix, *v = NULL, *params = NULL;
	const struct tt_action *a;
	size_t before = plan->n;
	const char *name;
	int r;

	if (fix == NULL || json_object_object_get_ex(fix, "manual", &v)) {
		it->outcome = OUT_MANUAL;
		snprintf(it->why, sizeof(it->why), "%s",
		    v ? json_object_get_string(v) : "no fix");
		return;
	}
	json_object_object_get_ex(fix, "action", &v);
	json_object_object_get_ex(fix, "params", &params);
	name = v ? json_object_get_string(v) : "";
	if ((a = tt_action_find(name)) == NULL) {
		it->outcome = OUT_ERROR;
		snprintf(it->why, sizeof(it->why), "unknown action '%s'", name);
		return;
	}
	if (a->plan == NULL) {
		it->outcome = OUT_MANUAL;
		snprintf(it->why, sizeof(it->why),
		    "install '%s' in the image "
		    "build (apt-get or dnf install)",
		    tt_action_param(params, "name"));
		return;
	}
	if (a->package_change && !allow_packages) {
		it->outcome = OUT_SKIPPED;
		snprintf(it->why, sizeof(it->why),
		    "%s of '%s' needs "
		    "--allow-package-changes",
		    a->name, tt_action_param(params, "name"));
		return;
	}
	/* dpkg --root and rpm --root run the image's maintainer scripts
	 * chrooted, as host root: an image's package is removed in the
	 * image's own sandbox or build VM, by a person. */
	if (a->package_change && !tt_root_is_host(&ctx->root)) {
		it->outcome = OUT_REFUSED;
		tt_package_refusal(&ctx->root, tt_action_param(params, "name"),
		    it->why, sizeof(it->why));
		return;
	}
	if (TT_STREQ(a->name, "sshd_set") && !doors_last &&
	    tt_lockout_closes_door(tt_action_param(params, "key"),
		tt_action_param(params, "value"))) {
		it->outcome = OUT_DEFERRED;
		return;
	}
	if (TT_STREQ(a->name, "sshd_set") &&
	    locks_out(plan, params, it->why, sizeof(it->why))) {
		it->outcome = OUT_REFUSED;
		return;
	}
	r = a->plan(plan, it->rule->id, params, it->why, sizeof(it->why));
	if (r < 0) {
		it->outcome = OUT_ERROR;
		if (it->why[0] == '\0')
			snprintf(it->why, sizeof(it->why), "%s",
			    tt_strerror(r));
		return;
	}
	it->outcome = plan->n > before ? OUT_PLANNED : OUT_NOTHING;
}

static void
test_pause(const char *point)
{
	const char *v = getenv("TATTOO_TEST_PAUSE");

	if (v != NULL && TT_STREQ(v, point))
		(void)raise(SIGSTOP);
}

static int
apply_plan(struct tt_ctx *ctx, struct tt_plan *plan, char *run, size_t runlen)
{
	const struct tt_root *jroot;
	struct tt_journal j;
	char err[PATH_MAX + 512], jdir[PATH_MAX];
	int r;

	if ((r = tt_ctx_journal_dir(ctx, &jroot, jdir, sizeof(jdir))) < 0) {
		tt_error("harden: state directory path too long");
		return r;
	}
	r = tt_journal_begin(&j, jroot, jdir, ctx->cfg.state_dir, &ctx->root,
	    "harden", err, sizeof(err));
	if (r < 0) {
		tt_error("harden: %s", err);
		return r;
	}
	strlcpy(run, j.run, runlen);
	for (size_t i = 0; i < plan->n; i++) {
		static const char *const kinds[] = { "content", "remove",
			"meta", "symlink", "package" };
		const struct tt_change *c = &plan->v[i];

		if (c->kind == TT_CHANGE_PACKAGE)
			r = tt_journal_note(&j, "package-remove", c->path,
			    c->target, c->rule, err, sizeof(err));
		else
			r = tt_journal_record(&j, c->path, c->rule,
			    kinds[c->kind], err, sizeof(err));
		if (r < 0) {
			tt_error("harden: %s; nothing more is changed", err);
			break;
		}
		test_pause("harden-change");
		r = tt_plan_apply_change(&ctx->root, c);
		if (r < 0) {
			tt_error("harden: cannot change '%s' for rule '%s': %s; "
				 "'tattoo rollback %s' undoes what was done",
			    c->path, c->rule, tt_strerror(r), j.run);
			break;
		}
	}
	/* Live: sshd -t and visudo -c judge the result (validate.h). */
	if (r == 0 && tt_root_is_host(&ctx->root)) {
		struct tt_buf said;

		tt_buf_init(&said, (size_t)64 * 1024);
		if (tt_validate_live(&ctx->root, plan, tt_validate_tools,
			&said) != 0)
			tt_error("harden: %s", said.data ? said.data : "");
		tt_buf_free(&said);
	} else if (r == 0) {
		struct tt_buf said;

		tt_buf_init(&said, 4096);
		tt_validate_unchecked(plan, tt_validate_tools, &said);
		if (said.len > 0)
			tt_info("harden: %s", said.data);
		tt_buf_free(&said);
	}
	tt_journal_finish(&j, r < 0 ? "failed" : "complete");
	return r;
}

static const char *const outcome_names[] = {
	[OUT_PLANNED] = "changed",
	[OUT_NOTHING] = "unchanged",
	[OUT_MANUAL] = "manual",
	[OUT_REFUSED] = "refused",
	[OUT_SKIPPED] = "skipped",
	[OUT_DEFERRED] = "deferred",
	[OUT_ERROR] = "error",
};

int
cmd_harden(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, OPT_PROFILE },
		{ "rule", required_argument, NULL, OPT_RULE },
		{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
		{ "allow-package-changes", no_argument, NULL,
		    OPT_ALLOW_PACKAGES },
		{ "rules", required_argument, NULL, OPT_RULES },
		{ "force", no_argument, NULL, OPT_FORCE },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char *rule_ids[MAX_LIST], *files[MAX_LIST], *want = NULL;
	size_t nrule_ids = 0, nfiles = 0, nitems = 0;
	bool dry_run = false, allow_packages = false, force = false, runtime;
	struct tt_osrelease os = { 0 };
	struct tt_packset set = { 0 };
	struct tt_pack_filter filter = { 0 };
	const struct tt_pack *pack;
	const struct tt_profile *profile;
	struct tt_audit audit = { 0 }, recheck = { 0 };
	struct tt_plan plan = { 0 };
	struct item *items = NULL;
	char err[1024], run[64] = "";
	size_t counts[OUT_ERROR + 1] = { 0 }, still = 0, fixed = 0;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_PROFILE: want = optarg; break;
		case OPT_RULE:
			if (nrule_ids == MAX_LIST)
				return tt_usage(usage, true);
			rule_ids[nrule_ids++] = optarg;
			break;
		case OPT_RULES:
			if (nfiles == MAX_LIST)
				return tt_usage(usage, true);
			files[nfiles++] = optarg;
			break;
		case OPT_DRY_RUN: dry_run = true; break;
		case OPT_ALLOW_PACKAGES: allow_packages = true; break;
		case OPT_FORCE: force = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc)
		return tt_usage(usage, true);
	/* Before anything is read: a harden of this very system is asked
	 * for explicitly. */
	if (!dry_run && tt_ctx_live(ctx) &&
	    (rc = tt_confirm_live("harden",
		 "it fixes the failing rules of the profile in place (SSH, "
		 "sysctl, PAM, file modes, units), journaled; 'tattoo "
		 "rollback' undoes it",
		 force)) != 0)
		return rc;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	if (want == NULL && ctx->cfg.profile[0] != '\0')
		want = ctx->cfg.profile;
	r = tt_osrelease_load(&os, &ctx->root);
	if (r < 0 && r != -ENOENT) {
		tt_error("harden: cannot read os-release: %s", tt_strerror(r));
		return TT_EXIT_INPUT;
	}
	/* Only the pack the profile needs is loaded (memory). */
	filter.os = &os;
	filter.want = want;
	if ((r = tt_packset_load(&set, files, nfiles, &filter, err,
		 sizeof(err))) < 0) {
		tt_error("%s", err);
		rc = TT_EXIT_INPUT;
		goto out;
	}
	if ((r = tt_profile_select(&set, &os, want, &pack, &profile, err,
		 sizeof(err))) < 0) {
		tt_error("harden: %s", err);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	for (size_t i = 0; i < nrule_ids; i++) {
		if (tt_pack_rule(pack, rule_ids[i]) == NULL) {
			tt_error("harden: unknown rule '%s' in pack '%s'",
			    rule_ids[i], pack->name);
			rc = TT_EXIT_USAGE;
			goto out;
		}
	}
	runtime = tt_root_is_host(&ctx->root);
	items = calloc(profile->nrules ? profile->nrules : 1, sizeof(*items));
	if (items == NULL) {
		rc = TT_EXIT_ENV;
		goto out;
	}
	tt_audit_init(&audit, &ctx->root, runtime);
	tt_plan_init(&plan, &ctx->root);
	for (size_t i = 0; i < profile->nrules; i++) {
		const struct tt_rule *rule = &pack->rules[profile->rules[i]];
		struct tt_rule_result res;
		bool chosen = nrule_ids == 0;

		for (size_t k = 0; k < nrule_ids && !chosen; k++)
			chosen = TT_STREQ(rule_ids[k], rule->id);
		if (!chosen)
			continue;
		if (tt_rule_eval(&audit, rule, &os, &res) < 0) {
			rc = TT_EXIT_ENV;
			goto out;
		}
		if (res.result == TT_RESULT_FAIL) {
			items[nitems].rule = rule;
			plan_rule(ctx, &plan, &items[nitems], allow_packages);
			counts[items[nitems].outcome]++;
			nitems++;
		}
		tt_rule_result_free(&res);
	}
	doors_last = true;
	for (size_t i = 0; i < nitems; i++)
		if (items[i].outcome == OUT_DEFERRED)
			plan_rule(ctx, &plan, &items[i], allow_packages);

	if (dry_run) {
		struct tt_buf out;

		tt_buf_init(&out, (size_t)256 * 1024 * 1024);
		r = tt_plan_print(&plan, &out);
		if (r < 0) {
			tt_error("harden: cannot show the plan: %s",
			    tt_strerror(r));
			tt_buf_free(&out);
			rc = TT_EXIT_ENV;
			goto out;
		}
		if (fwrite(out.data ? out.data : "", 1, out.len, stdout) !=
		    out.len) {
			tt_error("harden: cannot write the plan");
			tt_buf_free(&out);
			rc = TT_EXIT_ENV;
			goto out;
		}
		tt_buf_free(&out);
		tt_term_fprintf(stdout,
		    "dry run: %zu failing rules, %zu changes planned, "
		    "nothing changed\n",
		    nitems, plan.n);
	} else if (plan.n > 0 && apply_plan(ctx, &plan, run, sizeof(run)) < 0) {
		rc = TT_EXIT_ENV;
		goto out;
	}

	/* Check again from scratch: the caches hold the old state. */
	tt_audit_init(&recheck, &ctx->root, runtime);
	for (size_t i = 0; i < nitems; i++) {
		struct tt_rule_result res;

		if (tt_rule_eval(&recheck, items[i].rule, &os, &res) < 0) {
			rc = TT_EXIT_ENV;
			goto out;
		}
		items[i].after = res.result;
		items[i].found = res.found;
		items[i].expected = res.expected;
		res.found = res.expected = NULL;
		tt_rule_result_free(&res);
		if (items[i].after == TT_RESULT_PASS)
			fixed++;
		else if (items[i].after == TT_RESULT_FAIL)
			still++;
	}
	/* From here on every value can quote the image (found, why, the
	 * root's path): tt_term_fprintf escapes each (term.h). */
	tt_term_fprintf(stdout, "%s %s:%s on %s: %zu failing rules\n",
	    dry_run ? "dry run of" : "harden", pack->name, profile->id,
	    ctx->root.path, nitems);
	if (!dry_run)
		tt_term_fprintf(stdout, "  fixed            %zu\n", fixed);
	for (size_t i = 0; i < nitems; i++) {
		const struct item *it = &items[i];

		if (!dry_run && it->after == TT_RESULT_PASS)
			continue;
		tt_term_fprintf(stdout, "  %-16s %s",
		    dry_run ? outcome_names[it->outcome] :
			      (it->outcome == OUT_PLANNED ||
					  it->outcome == OUT_NOTHING ?
				      "still failing" :
				      outcome_names[it->outcome]),
		    it->rule->id);
		if (it->why[0] != '\0')
			tt_term_fprintf(stdout, ": %s", it->why);
		else if (!dry_run && it->found != NULL)
			tt_term_fprintf(stdout, ": found %s", it->found);
		putchar('\n');
	}
	if (run[0] != '\0') {
		const struct tt_root *jroot;
		char jdir[PATH_MAX], shown[PATH_MAX];

		if (tt_ctx_journal_dir(ctx, &jroot, jdir, sizeof(jdir)) < 0 ||
		    jroot == NULL ||
		    tt_root_host_path(jroot, jdir, shown, sizeof(shown)) < 0)
			strlcpy(shown, jdir, sizeof(shown));
		tt_term_fprintf(stdout,
		    "journal %s/%s; undo with 'tattoo rollback %s'\n", shown,
		    run, run);
	} else if (!dry_run)
		printf("nothing to change\n");
	rc = dry_run ? TT_EXIT_OK : (still > 0 ? TT_EXIT_FAIL : TT_EXIT_OK);
	(void)counts;
out:
	for (size_t i = 0; i < nitems; i++) {
		free(items[i].found);
		free(items[i].expected);
	}
	free(items);
	tt_plan_free(&plan);
	tt_audit_free(&audit);
	tt_audit_free(&recheck);
	tt_packset_free(&set);
	tt_osrelease_free(&os);
	return rc;
}
