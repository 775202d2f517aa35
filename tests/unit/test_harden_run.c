/* ldflags: -Wl,--wrap=calloc */
/*
 * tt_harden_run (hardening/harden_run.h): what a dry run plans and leaves
 * alone, what a run changes and checks again, and the failures the
 * command turns into exit codes, each with its reason (a failed
 * allocation included: calloc is wrapped).
 */
#include <errno.h>
#include <sys/stat.h>

#include "fileio.h"
#include "harden_run.h"
#include "journal.h"
#include "tt.h"
#include "tt_test.h"

void *__real_calloc(size_t n, size_t size);
void *__wrap_calloc(size_t n, size_t size);

/* When set, the allocation of the run's items fails. */
static int fail_items;

void *
__wrap_calloc(size_t n, size_t size)
{
	if (fail_items && size == sizeof(struct tt_harden_item))
		return NULL;
	return __real_calloc(n, size);
}

static char pack[1024];
static const char *const files[] = { pack };

/* A Debian 12 image that forwards IP, with a world-readable crontab and
 * telnet installed, and no firewall policy. */
static char *
image(struct tt_root *root)
{
	char *d = tt_test_tmpdir(), path[1100];

	tt_test_put(d, "/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
	tt_test_put(d, "/etc/sysctl.conf", "net.ipv4.ip_forward = 1\n");
	tt_test_put(d, "/etc/crontab", "# cron\n");
	tt_test_put(d, "/var/lib/dpkg/status",
	    "Package: telnet\nStatus: install ok installed\n"
	    "Version: 0.17\n\n");
	tt_test_put(d, "/var/lib/tattoo/.keep", "");
	snprintf(path, sizeof(path), "%s/etc/crontab", d);
	chmod(path, 0644);
	if (tt_root_init(root, d) < 0)
		exit(2);
	return d;
}

static const char *const chosen[] = { "sysctl_net_ipv4_ip_forward",
	"file_permissions_crontab", "package_telnet_removed",
	"firewall_policy" };

static void
opts_for(struct tt_harden_opts *o, const struct tt_root *root,
    const char *state)
{
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->files = files;
	o->nfiles = 1;
	o->rule_ids = chosen;
	o->nrule_ids = TT_ARRAY_SIZE(chosen);
	o->journal_root = root;
	o->journal_dir = TT_JOURNAL_IMAGE_DIR;
	o->state_dir = state;
}

static const struct tt_harden_item *
item(const struct tt_harden *h, const char *id)
{
	for (size_t i = 0; i < h->nitems; i++)
		if (TT_STREQ(h->items[i].rule->id, id))
			return &h->items[i];
	return NULL;
}

static void
dry_run_plans_and_changes_nothing(void)
{
	struct tt_root root;
	char *d = image(&root), *state = tt_test_tmpdir(), err[1024] = "";
	struct tt_harden_opts o;
	struct tt_harden h = { 0 };
	struct tt_buf b;

	opts_for(&o, &root, state);
	o.dry_run = true;
	CHECK_INT(tt_harden_run(&h, &o, err, sizeof(err)), 0);
	CHECK_INT(h.nitems, 4);
	CHECK(h.plan.n >= 2);
	CHECK_INT(item(&h, "sysctl_net_ipv4_ip_forward")->outcome,
	    TT_HARDEN_PLANNED);
	CHECK_INT(item(&h, "package_telnet_removed")->outcome,
	    TT_HARDEN_SKIPPED);
	CHECK(strstr(item(&h, "package_telnet_removed")->why,
		  "--allow-package-changes") != NULL);
	CHECK_INT(item(&h, "firewall_policy")->outcome, TT_HARDEN_MANUAL);
	CHECK_STR(tt_harden_outcome_name(TT_HARDEN_MANUAL), "manual");
	/* Checked again: nothing changed, nothing journaled. */
	CHECK_INT(h.fixed, 0);
	CHECK_INT(h.still, 4);
	CHECK_STR(h.run, "");
	/* Changes pending: a dry run exits 1; nothing judged but the four. */
	CHECK_INT(tt_harden_exit(&h, true, false), TT_EXIT_FAIL);
	CHECK_INT(h.judged_before, 4);
	CHECK_INT(h.pass_before, 0);
	CHECK_INT(tt_read_file(&root, "/etc/sysctl.conf", 4096, &b), 0);
	CHECK(b.data != NULL && strstr(b.data, "ip_forward = 1") != NULL);
	tt_buf_free(&b);
	tt_harden_free(&h);
	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(state);
	free(d);
	free(state);
}

static void
run_fixes_journals_and_checks_again(void)
{
	struct tt_root root;
	char *d = image(&root), *state = tt_test_tmpdir(), err[1024] = "";
	struct tt_harden_opts o;
	struct tt_harden h = { 0 };
	struct stat st;

	opts_for(&o, &root, state);
	CHECK_INT(tt_harden_run(&h, &o, err, sizeof(err)), 0);
	CHECK_INT(h.failure, TT_HARDEN_FAILED_NONE);
	CHECK_INT(h.fixed, 2);
	CHECK_INT(h.still, 2);
	CHECK_INT(item(&h, "file_permissions_crontab")->after, TT_RESULT_PASS);
	CHECK_INT(item(&h, "firewall_policy")->after, TT_RESULT_FAIL);
	CHECK(h.run[0] != '\0');
	/* What still fails is declined (skipped, manual): exit 0, and 1
	 * with strict; no rule was fixed by another's change. */
	CHECK_INT(h.declined, 2);
	CHECK_INT(h.unfixed, 0);
	CHECK_INT(tt_harden_exit(&h, false, false), TT_EXIT_OK);
	CHECK_INT(tt_harden_exit(&h, false, true), TT_EXIT_FAIL);
	CHECK(tt_harden_declined(item(&h, "firewall_policy")));
	CHECK(!tt_harden_declined(item(&h, "file_permissions_crontab")));
	CHECK(!tt_harden_fixed_by_other(item(&h, "file_permissions_crontab")));
	/* Once fixed, a dry run has nothing pending: exit 0. */
	tt_harden_free(&h);
	memset(&h, 0, sizeof(h));
	o.dry_run = true;
	CHECK_INT(tt_harden_run(&h, &o, err, sizeof(err)), 0);
	CHECK_INT(h.plan.n, 0);
	CHECK_INT(tt_harden_exit(&h, true, false), TT_EXIT_OK);
	CHECK_INT(tt_harden_exit(&h, true, true), TT_EXIT_FAIL);
	CHECK_INT(h.pass_before, 2);
	CHECK_INT(tt_root_stat(&root, "/etc/crontab", &st, false), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	tt_harden_free(&h);
	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(state);
	free(d);
	free(state);
}

static void
failures_say_which_kind(void)
{
	struct tt_root root;
	char *d = image(&root), *state = tt_test_tmpdir(), err[1024] = "";
	const char *const unknown[] = { "no_such_rule" };
	struct tt_harden_opts o;
	struct tt_harden h = { 0 };

	/* An unknown rule is a usage error naming it. */
	opts_for(&o, &root, state);
	o.rule_ids = unknown;
	o.nrule_ids = 1;
	CHECK_INT(tt_harden_run(&h, &o, err, sizeof(err)), -ENOENT);
	CHECK_INT(h.failure, TT_HARDEN_FAILED_USAGE);
	CHECK(strstr(err, "'no_such_rule'") != NULL);
	tt_harden_free(&h);

	/* No journal, and a change to make: an environment error, said. */
	memset(&h, 0, sizeof(h));
	opts_for(&o, &root, state);
	o.journal_dir = NULL;
	err[0] = '\0';
	CHECK(tt_harden_run(&h, &o, err, sizeof(err)) < 0);
	CHECK_INT(h.failure, TT_HARDEN_FAILED_ENV);
	CHECK(strstr(err, "state directory path too long") != NULL);
	CHECK_STR(h.run, "");
	tt_harden_free(&h);

	/* A pack that is not there: the pack loader's whole message. */
	memset(&h, 0, sizeof(h));
	opts_for(&o, &root, state);
	o.files = (const char *const[]){ "/nonexistent/pack.json" };
	err[0] = '\0';
	CHECK(tt_harden_run(&h, &o, err, sizeof(err)) < 0);
	CHECK_INT(h.failure, TT_HARDEN_FAILED_PACKS);
	CHECK(strstr(err, "/nonexistent/pack.json") != NULL);
	tt_harden_free(&h);

	/* No memory for the items: said, not a silent exit 4. */
	memset(&h, 0, sizeof(h));
	opts_for(&o, &root, state);
	err[0] = '\0';
	fail_items = 1;
	CHECK_INT(tt_harden_run(&h, &o, err, sizeof(err)), -ENOMEM);
	fail_items = 0;
	CHECK_INT(h.failure, TT_HARDEN_FAILED_ENV);
	CHECK(strstr(err, "out of memory") != NULL);
	tt_harden_free(&h);

	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(state);
	free(d);
	free(state);
}

/* A rule's edit merged into a change another rule planned leaves plan.n
 * as it was: plan.edits is how harden tells it from a fix that planned
 * nothing (harden_run.c, plan_rule). */
static void
plan_counts_merged_edits(void)
{
	struct tt_root root;
	char *d = image(&root);
	struct tt_plan plan;
	unsigned long e;

	tt_plan_init(&plan, &root);
	CHECK_INT(tt_plan_write(&plan, "a", "/etc/crontab", "x\n", 2, 0644), 0);
	CHECK_INT(plan.n, 1);
	e = plan.edits;
	CHECK(e > 0);
	CHECK_INT(tt_plan_write(&plan, "b", "/etc/crontab", "x\ny\n", 4, 0644),
	    0);
	CHECK_INT(plan.n, 1);
	CHECK(plan.edits > e);
	e = plan.edits;
	/* The same content again is no edit. */
	CHECK_INT(tt_plan_write(&plan, "c", "/etc/crontab", "x\ny\n", 4, 0644),
	    0);
	CHECK(plan.edits == e);
	CHECK_INT(tt_plan_meta(&plan, "d", "/etc/crontab", 0600, (uid_t)-1,
		      (gid_t)-1),
	    0);
	CHECK(plan.edits > e);
	e = plan.edits;
	CHECK_INT(tt_plan_meta(&plan, "e", "/etc/crontab", 0600, (uid_t)-1,
		      (gid_t)-1),
	    0);
	CHECK(plan.edits == e);
	tt_plan_free(&plan);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	snprintf(pack, sizeof(pack), "%s/tests/fixtures/harden-pack.json",
	    getenv("TT_TOP") ? getenv("TT_TOP") : ".");
	RUN(dry_run_plans_and_changes_nothing);
	RUN(run_fixes_journals_and_checks_again);
	RUN(failures_say_which_kind);
	RUN(plan_counts_merged_edits);
	TEST_EXIT();
}
