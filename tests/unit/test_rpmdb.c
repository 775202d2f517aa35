#include <errno.h>

#include "process.h"
#include "rpmdb.h"
#include "tt_test.h"

static void
test_parse(void)
{
	static const char out[] = "zsh\t0:5.8-9.el9\nbash\t0:5.1.8-9.el9\n"
	    "shim-x64\t3:15.8-3\nbroken-line\n\tnoname\n";
	struct tt_rpmdb db;

	CHECK_INT(tt_rpmdb_parse(out, strlen(out), &db), 0);
	CHECK_INT(db.n, 3);
	CHECK_STR(tt_rpmdb_find(&db, "bash")->evr, "5.1.8-9.el9");
	CHECK_STR(tt_rpmdb_find(&db, "shim-x64")->evr, "3:15.8-3");
	CHECK(tt_rpmdb_find(&db, "broken-line") == NULL);
	CHECK(tt_rpmdb_find(&db, "nope") == NULL);
	tt_rpmdb_free(&db);
}

static void
test_real_database(void)
{
	char *d = tt_test_tmpdir(), path[512], script[512];
	char *argv[] = { "sh", script, path, "openssh-server-8.7p1-38.el9",
		"aide-0.16-100.el9", NULL };
	struct tt_spawn_result res;
	struct tt_root root;
	struct tt_rpmdb db;
	char err[256];

	snprintf(path, sizeof(path), "%s/rhel", d);
	snprintf(script, sizeof(script), "%s/tests/fixtures/make-rhel-root.sh",
	    getenv("TT_TOP") ? getenv("TT_TOP") : ".");
	CHECK_INT(tt_spawn(argv, 4096, 60000, &res), 0);
	CHECK_INT(res.status, 0);
	tt_spawn_result_free(&res);
	CHECK_INT(tt_root_init(&root, path), 0);
	CHECK(tt_rpmdb_present(&root));
	CHECK_INT(tt_rpmdb_load(&root, &db, err, sizeof(err)), 0);
	CHECK_INT(db.n, 2);
	CHECK(tt_rpmdb_find(&db, "openssh-server") != NULL);
	CHECK_STR(tt_rpmdb_find(&db, "aide")->evr, "0.16-100.el9");
	tt_rpmdb_free(&db);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_parse);
	RUN(test_real_database);
	TEST_EXIT();
}
