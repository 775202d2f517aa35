/*
 * Regressions of the hostile-input work (issue 9): each case is an input
 * a fuzzer or a malformed-input test found, or a limit it checks.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "json.h"
#include "config.h"
#include "fileio.h"
#include "rootfs.h"
#include "timeutil.h"
#include "tt.h"
#include "tt_test.h"

static void
rfc3339_bounds(void)
{
	static const struct {
		const char *text;
		int ok;
	} cases[] = {
		{ "9999-12-31T23:59:59Z", 1 },
		/* the offset carries it into year 10000 */
		{ "9999-12-31T23:59:59-01:00", 0 },
		{ "1970-01-01T00:00:00Z", 1 },
		/* the offset carries it before 1970 */
		{ "1970-01-01T00:00:00+01:00", 0 },
		{ "2024-02-29T12:00:00.5+05:30", 1 },
	};
	char out[TT_RFC3339_LEN];
	time_t t;

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++)
		CHECK_INT(tt_rfc3339_parse(cases[i].text, &t) == 0,
		    cases[i].ok);
	tt_rfc3339_format(TT_RFC3339_MAX + 86400, out);
	CHECK_STR(out, "9999-12-31T23:59:59Z");
	tt_rfc3339_format(-5, out);
	CHECK_STR(out, "1970-01-01T00:00:00Z");
}

static void
json_bare_values(void)
{
	static const char *const ok[] = { "0", "0\t", "-12", "true", "null",
		"\"s\"", "{}", "{\"a:b\": \"c:d\", \"e\": [\"\\u0000:\"]}",
		"{\"a\\\\u0000\": 1}", "[{\"a\": 1}, {\"a\": 2}]" };
	static const char *const bad[] = { "", "{", "\"abc", "1 2", "[1,",
		"{} x", "{\"a\": 1, \"a\": 2}", "[{\"b\": {\"c\": 1, \"c\": 1}}]",
		"{\"a\\u0000b\": 1}", "{\"a\\u0000\": 1, \"a\\u0000x\": 2}" };
	char why[128];
	json_object *o;

	for (size_t i = 0; i < TT_ARRAY_SIZE(ok); i++) {
		o = tt_json_parse(ok[i], strlen(ok[i]), why, sizeof(why));
		CHECK(o != NULL || TT_STREQ(ok[i], "null"));
		if (TT_STREQ(ok[i], "null"))
			CHECK_STR(why, "the document is null, not a value");
		json_object_put(o);
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(bad); i++) {
		why[0] = '\0';
		o = tt_json_parse(bad[i], strlen(bad[i]), why, sizeof(why));
		CHECK(o == NULL && why[0] != '\0');
	}
}

static void
json_depth_limit(void)
{
	char text[2 * (TT_JSON_MAX_DEPTH + 2)], why[128];
	size_t n = 0;
	json_object *o;

	for (int i = 0; i < TT_JSON_MAX_DEPTH + 1; i++)
		text[n++] = '[';
	for (int i = 0; i < TT_JSON_MAX_DEPTH + 1; i++)
		text[n++] = ']';
	o = tt_json_parse(text, n, why, sizeof(why));
	CHECK(o == NULL);
	CHECK(strstr(why, "byte") != NULL);
}

static void
open_regular_refuses_others(void)
{
	char *dir = tt_test_tmpdir(), path[256];
	struct tt_buf b;
	int fd;

	snprintf(path, sizeof(path), "%s/fifo", dir);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK_INT(tt_open_regular(NULL, path), -TT_ENOTREG);
	CHECK_INT(tt_read_file(NULL, path, 1024, &b), -TT_ENOTREG);
	CHECK_INT(tt_open_regular(NULL, "/dev/zero"), -TT_ENOTREG);
	CHECK_INT(tt_open_regular(NULL, dir), -EISDIR);
	unlink(path);
	snprintf(path, sizeof(path), "%s/file", dir);
	fd = open(path, O_WRONLY | O_CREAT, 0600);
	CHECK(fd >= 0);
	CHECK_INT(tt_write_all(fd, "12345", 5), 0);
	close(fd);
	CHECK_INT(tt_read_file(NULL, path, 4, &b), -EFBIG);
	CHECK_INT(tt_read_file(NULL, path, 5, &b), 0);
	CHECK_INT(b.len, 5);
	tt_buf_free(&b);
	unlink(path);
	rmdir(dir);
	free(dir);
}

/* Found by fuzz_rootfs: the fallback resolver opened "file/" and "". */
static void
fallback_agrees_with_openat2(void)
{
	static const char *const paths[] = { "f/", "f/.", "d/", "l/", "",
		"/", "d/../f", "l/../f" };
	char *dir = tt_test_tmpdir(), p[256];
	struct tt_root root;
	int a, b;

	snprintf(p, sizeof(p), "%s/d", dir);
	CHECK_INT(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/f", dir);
	close(open(p, O_WRONLY | O_CREAT, 0644));
	snprintf(p, sizeof(p), "%s/l", dir);
	CHECK_INT(symlink("/d", p), 0);
	CHECK_INT(tt_root_init(&root, dir), 0);
	for (size_t i = 0; i < TT_ARRAY_SIZE(paths); i++) {
		tt_root_force_fallback = false;
		a = tt_root_open(&root, paths[i], O_PATH, 0);
		tt_root_force_fallback = true;
		b = tt_root_open(&root, paths[i], O_PATH, 0);
		tt_root_force_fallback = false;
		if ((a < 0) != (b < 0) || (a < 0 && a != b))
			fprintf(stderr, "# '%s': openat2 %d, fallback %d\n",
			    paths[i], a, b);
		CHECK((a < 0) == (b < 0));
		if (a >= 0)
			close(a);
		if (b >= 0)
			close(b);
	}
	tt_root_force_fallback = true;
	CHECK_INT(tt_root_open(&root, "f/", O_PATH, 0), -ENOTDIR);
	CHECK_INT(tt_root_open(&root, "", O_PATH, 0), -ENOENT);
	tt_root_force_fallback = false;
	tt_root_close(&root);
	unlink(p);
	snprintf(p, sizeof(p), "%s/f", dir);
	unlink(p);
	snprintf(p, sizeof(p), "%s/d", dir);
	rmdir(p);
	rmdir(dir);
	free(dir);
}

static void
config_limits(void)
{
	struct tt_config cfg;
	char err[256], line[5000];

	tt_config_defaults(&cfg);
	CHECK(tt_config_parse(&cfg, "c", "tags = on\n\0x", 12, err,
	    sizeof(err)) < 0);
	CHECK_STR(err, "c:2: NUL byte in configuration");
	memset(line, 'x', sizeof(line));
	memcpy(line, "profile = ", 10);
	CHECK(tt_config_parse(&cfg, "c", line, sizeof(line), err,
	    sizeof(err)) < 0);
	CHECK(strstr(err, "c:1: line longer than") != NULL);
}

int
main(void)
{
	RUN(rfc3339_bounds);
	RUN(json_bare_values);
	RUN(json_depth_limit);
	RUN(open_regular_refuses_others);
	RUN(fallback_agrees_with_openat2);
	RUN(config_limits);
	TEST_EXIT();
}
