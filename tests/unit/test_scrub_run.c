/*
 * tt_scrub_run (hardening/scrub/scrub_run.h): a check finds a leftover and
 * changes nothing; --apply removes it under a journal that keeps no bytes
 * and the document says what was done; no journal path is an error said
 * before anything is removed.  Sizes and allowlists as the options give
 * them.
 */
#include <errno.h>
#include <sys/stat.h>

#include "journal.h"
#include "scrub/scrub_run.h"
#include "tt.h"
#include "tt_test.h"

static char *
image(struct tt_root *root)
{
	char *d = tt_test_tmpdir();

	tt_test_put(d, "/root/.bash_history", "ls\n");
	tt_test_put(d, "/etc/hostname", "golden\n");
	tt_test_put(d, "/var/lib/tattoo/.keep", "");
	if (tt_root_init(root, d) < 0)
		exit(2);
	return d;
}

static void
opts_for(struct tt_scrub_run_opts *o, const struct tt_root *root,
    const char *state)
{
	memset(o, 0, sizeof(*o));
	o->walk.root = root;
	o->walk.max_file_size = TT_SCRUB_DEFAULT_MAX_FILE;
	o->walk.jobs = 1;
	o->walk.leftovers = true;
	o->journal_root = root;
	o->journal_dir = TT_JOURNAL_IMAGE_DIR;
	o->state_dir = state;
}

static json_object *
member(json_object *o, const char *a, const char *b)
{
	json_object *v = NULL;

	if (json_object_object_get_ex(o, a, &v) && b != NULL &&
	    !json_object_object_get_ex(v, b, &v))
		return NULL;
	return v;
}

static void
check_then_apply(void)
{
	struct tt_root root;
	char *d = image(&root), *state = tt_test_tmpdir(), err[1024] = "";
	struct tt_scrub_run_opts o;
	struct tt_scrub_run s = { 0 };
	struct stat st;

	opts_for(&o, &root, state);
	CHECK_INT(tt_scrub_run(&s, &o, err, sizeof(err)), 0);
	CHECK_INT(tt_scrub_count(&s.res, TT_SCRUB_LEFTOVER), 1);
	CHECK_STR(json_object_get_string(member(s.doc, "mode", NULL)), "check");
	CHECK_INT(json_object_get_int(member(s.doc, "summary", "leftovers")),
	    1);
	CHECK_STR(s.run, "");
	CHECK_INT(tt_root_stat(&root, "/root/.bash_history", &st, false), 0);
	tt_scrub_run_free(&s);

	memset(&s, 0, sizeof(s));
	o.apply = true;
	CHECK_INT(tt_scrub_run(&s, &o, err, sizeof(err)), 0);
	CHECK(s.run[0] != '\0');
	CHECK(s.no_bytes);
	CHECK_INT(s.failed, 0);
	CHECK_STR(json_object_get_string(member(s.doc, "mode", NULL)), "apply");
	CHECK_INT(tt_root_stat(&root, "/root/.bash_history", &st, false),
	    -ENOENT);
	CHECK_INT(tt_root_stat(&root, "/etc/hostname", &st, false), 0);
	tt_scrub_run_free(&s);
	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(state);
	free(d);
	free(state);
}

static void
no_journal_no_removal(void)
{
	struct tt_root root;
	char *d = image(&root), *state = tt_test_tmpdir(), err[1024] = "";
	struct tt_scrub_run_opts o;
	struct tt_scrub_run s = { 0 };
	struct stat st;

	opts_for(&o, &root, state);
	o.apply = true;
	o.journal_dir = NULL;
	CHECK_INT(tt_scrub_run(&s, &o, err, sizeof(err)), -ENAMETOOLONG);
	CHECK(!s.bad_input);
	CHECK(strstr(err, "journal path too long") != NULL);
	CHECK_INT(tt_root_stat(&root, "/root/.bash_history", &st, false), 0);
	tt_scrub_run_free(&s);
	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(state);
	free(d);
	free(state);
}

static void
sizes(void)
{
	uint64_t v = 0;

	CHECK_INT(tt_scrub_parse_size("4096", &v), 0);
	CHECK_INT(v, 4096);
	CHECK_INT(tt_scrub_parse_size("512M", &v), 0);
	CHECK(v == (uint64_t)512 << 20);
	CHECK_INT(tt_scrub_parse_size("1g", &v), 0);
	CHECK(v == (uint64_t)1 << 30);
	CHECK_INT(tt_scrub_parse_size("0", &v), -EINVAL);
	CHECK_INT(tt_scrub_parse_size("2048G", &v), -EINVAL);
	CHECK_INT(tt_scrub_parse_size("12X", &v), -EINVAL);
	CHECK_INT(tt_scrub_parse_size("", &v), -EINVAL);
}

static void
allowlists(void)
{
	char *d = tt_test_tmpdir(), path[1100], err[1024];
	struct tt_allowlist al = { 0 };
	bool bad = false;

	snprintf(path, sizeof(path), "%s/allow", d);
	CHECK(tt_scrub_allowlist_load(path, &al, &bad, err, sizeof(err)) < 0);
	CHECK(bad);
	CHECK(strstr(err, path) != NULL);
	tt_test_put(d, "/allow", "path /etc/*\n");
	bad = true;
	CHECK_INT(tt_scrub_allowlist_load(path, &al, &bad, err, sizeof(err)),
	    0);
	tt_allowlist_free(&al);
	memset(&al, 0, sizeof(al));
	tt_test_put(d, "/allow", "nonsense here\n");
	CHECK(tt_scrub_allowlist_load(path, &al, &bad, err, sizeof(err)) < 0);
	CHECK(bad);
	tt_allowlist_free(&al);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(check_then_apply);
	RUN(no_journal_no_removal);
	RUN(sizes);
	RUN(allowlists);
	TEST_EXIT();
}
