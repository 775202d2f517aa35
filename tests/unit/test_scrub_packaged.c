/*
 * hardening/scrub/scrub_packaged.c: secrets in files as their package
 * shipped them leave the result, counted; the others, an archive member's
 * too, stay; no md5sums at all changes nothing.  The same from an rpm
 * database's file digests (SHA-256), with a database rpm made.
 */
#include <stdlib.h>
#include <string.h>

#include "process.h"
#include "rootfs.h"
#include "scrub/scrub_packaged.h"
#include "tt_test.h"

/* md5("shipped\n") */
#define SHIPPED_MD5 "fd3d1512c1f4af5f65da9313a20a3bbb"

static void
item(struct tt_scrub_result *res, enum tt_scrub_kind kind, const char *path,
    size_t disk_len)
{
	struct tt_scrub_item *it = &res->v[res->n++];

	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->path = strdup(path);
	it->disk_len = disk_len;
}

static void
free_result(struct tt_scrub_result *res)
{
	for (size_t i = 0; i < res->n; i++)
		free(res->v[i].path);
	free(res->v);
}

static void
test_drop(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	struct tt_scrub_result res = { 0 };
	char md5s[256];

	tt_test_put(d, "/usr/share/doc/a/ex.conf", "shipped\n");
	tt_test_put(d, "/usr/share/doc/a/edited.conf",
	    "shipped, then edited\n");
	tt_test_put(d, "/usr/share/doc/a/notlisted.conf", "shipped\n");
	tt_test_put(d, "/usr/share/doc/a/ex.tar", "shipped\n");
	snprintf(md5s, sizeof(md5s),
	    "%s  usr/share/doc/a/ex.conf\n%s  usr/share/doc/a/edited.conf\n"
	    "%s  usr/share/doc/a/ex.tar\nnot a line\n",
	    SHIPPED_MD5, SHIPPED_MD5, SHIPPED_MD5);
	tt_test_put(d, "/var/lib/dpkg/info/a.md5sums", md5s);
	CHECK_INT(tt_root_init(&root, d), 0);
	res.v = calloc(8, sizeof(*res.v));
	res.cap = 8;
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/a/ex.conf", 0);
	item(&res, TT_SCRUB_LEFTOVER, "/usr/share/doc/a/ex.conf", 0);
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/a/edited.conf", 0);
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/a/notlisted.conf", 0);
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/a/ex.tar!m/x.env",
	    strlen("/usr/share/doc/a/ex.tar"));
	CHECK_INT(tt_scrub_drop_packaged(&root, &res), 0);
	CHECK_INT(res.packaged, 2);
	CHECK_INT(res.n, 3);
	CHECK(res.v[0].kind == TT_SCRUB_LEFTOVER);
	CHECK_STR(res.v[1].path, "/usr/share/doc/a/edited.conf");
	CHECK_STR(res.v[2].path, "/usr/share/doc/a/notlisted.conf");
	free_result(&res);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_no_database(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	struct tt_scrub_result res = { 0 };

	tt_test_put(d, "/etc/x.conf", "shipped\n");
	CHECK_INT(tt_root_init(&root, d), 0);
	res.v = calloc(2, sizeof(*res.v));
	res.cap = 2;
	item(&res, TT_SCRUB_SECRET, "/etc/x.conf", 0);
	CHECK_INT(tt_scrub_drop_packaged(&root, &res), 0);
	CHECK_INT(res.n, 1);
	CHECK_INT(res.packaged, 0);
	free_result(&res);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* An rpm database's file digests say what its packages shipped. */
static void
test_rpm(void)
{
	char *d = tt_test_tmpdir(), path[512], script[512];
	char *argv[] = { "sh", script, path, NULL };
	struct tt_spawn_result sp;
	struct tt_root root;
	struct tt_scrub_result res = { 0 };

	snprintf(path, sizeof(path), "%s/rhel", d);
	snprintf(script, sizeof(script),
	    "%s/tests/fixtures/make-rpm-files-root.sh",
	    getenv("TT_TOP") ? getenv("TT_TOP") : ".");
	CHECK_INT(tt_spawn(argv, 4096, 60000, &sp), 0);
	CHECK_INT(sp.status, 0);
	tt_spawn_result_free(&sp);
	CHECK_INT(tt_root_init(&root, path), 0);
	res.v = calloc(4, sizeof(*res.v));
	res.cap = 4;
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/ex/ex.conf", 0);
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/ex/edited.conf", 0);
	item(&res, TT_SCRUB_SECRET, "/usr/share/doc/ex/notlisted.conf", 0);
	CHECK_INT(tt_scrub_drop_packaged(&root, &res), 0);
	CHECK_INT(res.packaged, 1);
	CHECK_INT(res.n, 2);
	CHECK_STR(res.v[0].path, "/usr/share/doc/ex/edited.conf");
	CHECK_STR(res.v[1].path, "/usr/share/doc/ex/notlisted.conf");
	free_result(&res);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_drop);
	RUN(test_rpm);
	RUN(test_no_database);
	TEST_EXIT();
}
