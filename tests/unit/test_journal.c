#include <errno.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "fileio.h"
#include "journal.h"
#include "plan.h"
#include "tt_test.h"

static char *dir;
static struct tt_root root;
static struct tt_buf manifest;
static size_t prefix_len;

/* A line per path: type, mode, owner, size, mtime, target or content
 * digest; everything under /var/lib/tattoo (the journal) is left out. */
static int
add_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	char target[512] = "", hex[65] = "";
	(void)flag;
	(void)f;

	if (strstr(path, "/var/lib/tattoo") != NULL)
		return 0;
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
	} else if (S_ISREG(st->st_mode)) {
		struct tt_buf b;
		uint8_t sum[32];

		if (tt_read_file(NULL, path, 1 << 20, &b) == 0) {
			tt_sha256(b.data, b.len, sum);
			tt_hex(sum, 32, hex);
			tt_buf_free(&b);
		}
	}
	tt_buf_printf(&manifest, "%s %o %u:%u %lld %lld.%09ld %s%s\n",
	    path + prefix_len, (unsigned)st->st_mode, (unsigned)st->st_uid,
	    (unsigned)st->st_gid, (long long)st->st_size,
	    (long long)(S_ISDIR(st->st_mode) ? 0 : st->st_mtim.tv_sec),
	    S_ISDIR(st->st_mode) ? 0 : st->st_mtim.tv_nsec, target, hex);
	return 0;
}

static char *
snapshot(void)
{
	tt_buf_init(&manifest, 1 << 20);
	prefix_len = strlen(dir);
	nftw(dir, add_entry, 16, FTW_PHYS);
	return tt_buf_steal(&manifest);
}

static void
put(const char *rel, const char *text, mode_t mode)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
make_tree(void)
{
	char path[1024];

	tt_root_mkdir_p(&root, "/etc/ssh", 0755);
	tt_root_mkdir_p(&root, "/var/lib", 0755);
	tt_root_mkdir_p(&root, "/etc/systemd/system", 0755);
	put("/etc/ssh/sshd_config", "PermitRootLogin yes\n", 0644);
	put("/etc/crontab", "# cron\n", 0666);
	put("/etc/hosts.equiv", "+\n", 0644);
	put("/etc/systemd/system/avahi-daemon.service", "[Unit]\n", 0644);
	snprintf(path, sizeof(path), "%s/etc/alias", dir);
	symlink("/etc/crontab", path);
}

/* The changes of a harden run, planned against the tree as it is. */
static void
plan_all(struct tt_plan *plan)
{
	static const char cfg[] = "PermitRootLogin no\n";

	tt_plan_init(plan, &root);
	CHECK_INT(tt_plan_write(plan, "r1", "/etc/ssh/sshd_config", cfg,
	    strlen(cfg), 0600), 0);
	CHECK_INT(tt_plan_write(plan, "r2", "/etc/sysctl.d/zz.conf",
	    "x = 1\n", 6, 0644), 0);
	CHECK_INT(tt_plan_meta(plan, "r3", "/etc/crontab", 0600, 0, 0), 0);
	CHECK_INT(tt_plan_remove(plan, "r4", "/etc/hosts.equiv"), 0);
	CHECK_INT(tt_plan_symlink(plan, "r5",
	    "/etc/systemd/system/avahi-daemon.service", "/dev/null"), 0);
	CHECK_INT(tt_plan_symlink(plan, "r6", "/etc/alias", "/etc/other"),
	    0);
}

static int
apply(struct tt_plan *plan, size_t upto, const char *state_dir)
{
	struct tt_journal j;
	char err[256];
	int r;

	r = tt_journal_begin(&j, &root, state_dir, &root, "harden", err,
	    sizeof(err));
	if (r < 0) {
		fprintf(stderr, "# %s\n", err);
		return r;
	}
	for (size_t i = 0; i < plan->n; i++) {
		CHECK_INT(tt_journal_record(&j, plan->v[i].path,
		    plan->v[i].rule, "change", err, sizeof(err)), 0);
		/* A run killed here recorded the change but never made it. */
		if (i < upto)
			CHECK_INT(tt_plan_apply_change(&root, &plan->v[i]), 0);
	}
	if (upto >= plan->n)
		tt_journal_finish(&j, "complete");
	else
		close(j.dirfd); /* killed: status stays "running" */
	return 0;
}

static void
test_rollback_exact(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	char *before, *after, *mid, run[64], err[256];

	before = snapshot();
	plan_all(&plan);
	CHECK_INT(plan.n, 6);
	CHECK_INT(apply(&plan, plan.n, "/var/lib/tattoo"), 0);
	tt_plan_free(&plan);
	mid = snapshot();
	CHECK(strcmp(mid, before) != 0);
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), 0);
	CHECK_INT(st.failed, 0);
	after = snapshot();
	if (strcmp(after, before) != 0)
		fprintf(stderr, "# before:\n%s# after:\n%s", before, after);
	CHECK_STR(after, before);
	/* Rolled back once: a named second rollback says so. */
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root, run,
	    run, sizeof(run), &st, err, sizeof(err)), -EALREADY);
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), -ENOENT);
	free(before);
	free(after);
	free(mid);
}

static void
test_killed_run_rolls_back(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	char *before, *after, run[64], err[256];

	for (size_t upto = 0; upto < 6; upto++) {
		before = snapshot();
		plan_all(&plan);
		CHECK_INT(apply(&plan, upto, "/var/lib/tattoo"), 0);
		tt_plan_free(&plan);
		CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root,
		    NULL, run, sizeof(run), &st, err, sizeof(err)), 0);
		after = snapshot();
		if (strcmp(after, before) != 0)
			fprintf(stderr, "# killed after %zu\n", upto);
		CHECK_STR(after, before);
		free(before);
		free(after);
	}
}

static void
test_unknown_run(void)
{
	struct tt_rollback_stats st;
	char run[64], err[256];

	CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root,
	    "20990101T000000Z-000000", run, sizeof(run), &st, err,
	    sizeof(err)), -ENOENT);
	CHECK(strstr(err, "20990101T000000Z-000000") != NULL);
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/nothing", &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), -ENOENT);
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/tattoo", &root,
	    "../x", run, sizeof(run), &st, err, sizeof(err)), -EINVAL);
}

int
main(void)
{
	dir = tt_test_tmpdir();
	if (tt_root_init(&root, dir) < 0)
		return 2;
	make_tree();
	RUN(test_rollback_exact);
	RUN(test_killed_run_rolls_back);
	RUN(test_unknown_run);
	tt_root_close(&root);
	tt_test_rmtree(dir);
	free(dir);
	TEST_EXIT();
}
