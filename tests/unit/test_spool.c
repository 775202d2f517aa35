#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <bsd/string.h>

#include "runlock.h"
#include "spool.h"
#include "tt_test.h"

#define ID1 "00000000-0000-4000-8000-000000000001"
#define ID2 "00000000-0000-4000-8000-000000000002"
#define ID3 "00000000-0000-4000-8000-000000000003"

static void
test_names(void)
{
	char n[TT_SPOOL_NAME_LEN + 1];

	CHECK_INT(tt_spool_name(5, ID1, n, sizeof(n)), 0);
	CHECK_STR(n, "00000000000000000005-" ID1 ".json");
	CHECK(tt_spool_name_valid(n));
	CHECK_INT(tt_spool_name(-1, ID1, n, sizeof(n)), -EINVAL);
	CHECK_INT(tt_spool_name(1, "not-a-uuid", n, sizeof(n)), -EINVAL);
	CHECK_INT(tt_spool_name(1, ID1, n, 10), -ENAMETOOLONG);
	CHECK(!tt_spool_name_valid(""));
	CHECK(!tt_spool_name_valid("../../etc/passwd"));
	CHECK(!tt_spool_name_valid("0000000000000000000a-" ID1 ".json"));
	CHECK(!tt_spool_name_valid("00000000000000000005-" ID1 ".json.bad"));
	CHECK(
	    !tt_spool_name_valid(".00000000000000000005-" ID1 ".json.tmp1234"));
	CHECK(!tt_spool_name_valid(
	    "00000000000000000005-00000000-0000-4000-8000-00000000000G.json"));
	CHECK(!tt_spool_name_valid(
	    "00000000000000000005-00000000-0000-4000-8000-00000000000A.json"));
}

static void
put(struct tt_spool *s, long long ns, const char *id, size_t len,
    uint64_t *dropped)
{
	char n[TT_SPOOL_NAME_LEN + 1], *data = malloc(len + 1);

	tt_spool_name(ns, id, n, sizeof(n));
	memset(data, 'x', len);
	CHECK_INT(tt_spool_put(s, n, data, len, dropped), 0);
	free(data);
}

static void
test_order_and_cap(void)
{
	char *dir = tt_test_tmpdir(), sub[512], path[600];
	struct tt_spool s;
	struct tt_spool_entry *v = NULL;
	size_t n = 0;
	uint64_t bytes = 0, dropped = 0;
	struct stat st;

	snprintf(sub, sizeof(sub), "%s/spool/deep", dir);
	CHECK_INT(tt_spool_open(&s, NULL, sub, 3000), 0);
	CHECK(stat(sub, &st) == 0 && (st.st_mode & 07777) == 0700);
	/* Written out of order; listed oldest first. */
	put(&s, 300, ID3, 1000, &dropped);
	put(&s, 100, ID1, 1000, &dropped);
	put(&s, 200, ID2, 900, &dropped);
	CHECK_INT(dropped, 0);
	/* Not spool files: skipped by the listing. */
	snprintf(path, sizeof(path), "%s/.00000000000000000001-%s.json.tmp1",
	    sub, ID1);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	snprintf(path, sizeof(path), "%s/00000000000000000001-%s.json", sub,
	    ID1);
	CHECK(mkdir(path, 0700) == 0);
	CHECK_INT(tt_spool_list(&s, &v, &n, &bytes), 0);
	CHECK_INT(n, 3);
	CHECK_INT(bytes, 2900);
	if (n == 3) {
		CHECK(strstr(v[0].name, ID1) != NULL);
		CHECK(strstr(v[1].name, ID2) != NULL);
		CHECK(strstr(v[2].name, ID3) != NULL);
	}
	free(v);
	/* 600 more: the oldest (1000) must go; 2500 is under the cap. */
	put(&s, 400, "00000000-0000-4000-8000-000000000004", 600, &dropped);
	CHECK_INT(dropped, 1);
	CHECK_INT(tt_spool_list(&s, &v, &n, &bytes), 0);
	CHECK_INT(n, 3);
	CHECK_INT(bytes, 2500);
	if (n == 3)
		CHECK(strstr(v[0].name, ID2) != NULL);
	/* Larger than the cap alone: refused, nothing dropped. */
	{
		char nm[TT_SPOOL_NAME_LEN + 1];

		tt_spool_name(500, ID1, nm, sizeof(nm));
		CHECK_INT(tt_spool_put(&s, nm, "x", 3001, &dropped), -EFBIG);
		CHECK_INT(dropped, 0);
		CHECK_INT(tt_spool_put(&s, "bad name", "x", 1, &dropped),
		    -EINVAL);
	}
	/* Remove and quarantine. */
	if (n == 3) {
		struct tt_buf b;

		CHECK_INT(tt_spool_read(&s, v[0].name, &b), 0);
		CHECK_INT(b.len, 900);
		tt_buf_free(&b);
		CHECK_INT(tt_spool_remove(&s, v[0].name), 0);
		CHECK_INT(tt_spool_quarantine(&s, v[1].name), 0);
		CHECK_INT(tt_spool_read(&s, v[1].name, &b), -ENOENT);
		tt_buf_free(&b);
		CHECK_INT(tt_spool_remove(&s, "../x"), -EINVAL);
	}
	free(v);
	CHECK_INT(tt_spool_list(&s, &v, &n, &bytes), 0);
	CHECK_INT(n, 1);
	free(v);
	/* The temporary file a killed write left goes; others stay. */
	CHECK_INT(tt_spool_clean(&s), 1);
	snprintf(path, sizeof(path), "%s/.other.tmp1", sub);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	CHECK_INT(tt_spool_clean(&s), 0);
	CHECK(access(path, F_OK) == 0);
	tt_spool_close(&s);
	tt_spool_close(&s);
	tt_test_rmtree(dir);
	free(dir);
}

/* The spool counts what it drops in a file of its own, before the
 * reports go; a damaged count starts again, a killed write's temp goes. */
static void
test_dropped_count(void)
{
	char *dir = tt_test_tmpdir(), path[600];
	struct tt_spool s;
	uint64_t n = 99, dropped = 0;
	int fd;

	CHECK_INT(tt_spool_open(&s, NULL, dir, 2500), 0);
	CHECK_INT(tt_spool_dropped(&s, &n), -ENOENT);
	CHECK_INT(n, 0);
	put(&s, 100, ID1, 1000, &dropped);
	put(&s, 200, ID2, 1000, &dropped);
	CHECK_INT(tt_spool_dropped(&s, &n), -ENOENT);
	/* Room for 2000 more: both go, counted. */
	put(&s, 300, ID3, 2000, &dropped);
	CHECK_INT(dropped, 2);
	CHECK_INT(tt_spool_dropped(&s, &n), 0);
	CHECK_INT(n, 2);
	CHECK_INT(tt_spool_count_dropped(&s, 5), 0);
	CHECK_INT(tt_spool_dropped(&s, &n), 0);
	CHECK_INT(n, 7);
	/* The count is no spool report. */
	{
		struct tt_spool_entry *v = NULL;
		size_t k = 0;
		uint64_t bytes = 0;

		CHECK_INT(tt_spool_list(&s, &v, &k, &bytes), 0);
		CHECK_INT(k, 1);
		CHECK_INT(bytes, 2000);
		free(v);
	}
	/* Damaged: said, and counting starts from what is added. */
	snprintf(path, sizeof(path), "%s/%s", dir, TT_SPOOL_DROPPED_FILE);
	fd = open(path, O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && write(fd, "many\n", 5) == 5);
	close(fd);
	CHECK_INT(tt_spool_dropped(&s, &n), -EBADMSG);
	CHECK_INT(tt_spool_count_dropped(&s, 3), 0);
	CHECK_INT(tt_spool_dropped(&s, &n), 0);
	CHECK_INT(n, 3);
	/* A temporary file of a killed count goes with the spool's own. */
	snprintf(path, sizeof(path), "%s/.%s.tmp1a2b3c4d", dir,
	    TT_SPOOL_DROPPED_FILE);
	close(open(path, O_CREAT | O_WRONLY, 0600));
	CHECK_INT(tt_spool_clean(&s), 1);
	CHECK(access(path, F_OK) != 0);
	tt_spool_close(&s);
	tt_test_rmtree(dir);
	free(dir);
}

static void
test_parse(void)
{
	static const char name[] = "00000000000000000005-" ID1 ".json";
	json_object *o = NULL;
	char err[256];
	const char *good = "{\"report_id\":\"" ID1 "\"}";
	const char *other = "{\"report_id\":\"" ID2 "\"}";

	CHECK_INT(tt_spool_parse(name, good, strlen(good), &o, err,
		      sizeof(err)),
	    0);
	json_object_put(o);
	CHECK_INT(tt_spool_parse(name, other, strlen(other), &o, err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK(strstr(err, "file name") != NULL);
	CHECK_INT(tt_spool_parse(name, "{}", 2, &o, err, sizeof(err)),
	    -EBADMSG);
	CHECK_INT(tt_spool_parse(name, "{\"report_id\":", 13, &o, err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK_INT(tt_spool_parse(NULL, other, strlen(other), &o, err,
		      sizeof(err)),
	    0);
	json_object_put(o);
}

static void
test_runlock(void)
{
	char *dir = tt_test_tmpdir(), sub[512];
	int a, b;

	snprintf(sub, sizeof(sub), "%s/state", dir);
	a = tt_runlock_take(NULL, sub, 0);
	CHECK(a >= 0);
	/* flock is per open file: a second open in this process conflicts
	 * as another process would. */
	b = tt_runlock_take(NULL, sub, 120);
	CHECK_INT(b, -EWOULDBLOCK);
	close(a);
	b = tt_runlock_take(NULL, sub, 0);
	CHECK(b >= 0);
	close(b);
	tt_test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	RUN(test_names);
	RUN(test_order_and_cap);
	RUN(test_dropped_count);
	RUN(test_parse);
	RUN(test_runlock);
	TEST_EXIT();
}
