/* Several outputs of one result (outputs.h): how --output arguments are
 * told apart, the usage errors, and that every output is written from the
 * same document, each failure kept without stopping the others. */
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "fileio.h"
#include "json.h"
#include "format.h"
#include "outputs.h"
#include "tt_test.h"
#include "tt.h"

/* Does an output go to standard output (path NULL)? */
static bool
to_stdout(const struct tt_outputs *o)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].path == NULL)
			return true;
	return false;
}

static const char audit_doc[] =
    "{\"schema\":1,\"profile\":\"cis-l1-server\",\"root\":\"/img\","
    "\"generated_at\":\"2026-12-05T17:00:00Z\","
    "\"summary\":{\"pass\":1,\"fail\":1,\"error\":0,\"notapplicable\":0,"
    "\"manual\":0,\"score\":50},\"results\":["
    "{\"id\":\"sshd_disable_root_login\",\"title\":\"Root login\","
    "\"severity\":\"medium\",\"result\":\"fail\",\"references\":{\"cis\":"
    "\"5.1.20\"},\"found\":\"PermitRootLogin yes\",\"expected\":\"no\"},"
    "{\"id\":\"a_pass\",\"title\":\"P1\",\"severity\":\"low\",\"result\":"
    "\"pass\",\"references\":{\"cis\":\"1.1\"},\"found\":\"\",\"expected\":"
    "\"\"}]}";

static int
add(struct tt_outputs *o, const char *arg, char *err, size_t errlen)
{
	err[0] = '\0';
	return tt_outputs_add(o, arg, err, errlen);
}

static void
test_parse(void)
{
	struct tt_outputs o;
	char err[1024];

	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	/* A ':' before any '/' makes FORMAT:FILE. */
	CHECK_INT(add(&o, "html:/tmp/a.html", err, sizeof(err)), 0);
	CHECK_INT(add(&o, "json:out.json", err, sizeof(err)), 0);
	/* After a '/', a ':' is part of the file name. */
	CHECK_INT(add(&o, "/tmp/a:b", err, sizeof(err)), 0);
	CHECK_INT((long)o.n, 3);
	if (o.n == 3) {
		CHECK_STR(o.v[0].fmt->name, "html");
		CHECK_STR(o.v[0].path, "/tmp/a.html");
		CHECK(!o.v[0].plain);
		CHECK_STR(o.v[1].fmt->name, "json");
		CHECK_STR(o.v[1].path, "out.json");
		CHECK(o.v[2].plain && o.v[2].fmt == NULL);
		CHECK_STR(o.v[2].path, "/tmp/a:b");
	}
	/* A second plain FILE is a usage error naming both. */
	CHECK_INT(add(&o, "./a:b", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "'./a:b'") != NULL);
	CHECK(strstr(err, "'/tmp/a:b'") != NULL);
	tt_outputs_free(&o);

	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "./a:b", err, sizeof(err)), 0);
	CHECK(o.n == 1 && o.v[0].plain && TT_STREQ(o.v[0].path, "./a:b"));
	/* An unknown FORMAT: the argument, a suggestion, the list, and how
	 * to name a file holding ':'. */
	CHECK_INT(add(&o, "jsn:x.json", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "--output 'jsn:x.json'") != NULL);
	CHECK(strstr(err, "unknown format 'jsn'") != NULL);
	CHECK(strstr(err, "did you mean 'json'?") != NULL);
	CHECK(strstr(err, "text, json, junit, sarif, html, prom") != NULL);
	CHECK(strstr(err, "./jsn:x.json") != NULL);
	CHECK_INT(add(&o, "a:b", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "unknown format 'a'") != NULL);
	CHECK_INT(add(&o, ":x", err, sizeof(err)), -EINVAL);
	/* A format the kind does not offer is unknown to it. */
	CHECK_INT((long)o.n, 1);
	CHECK_INT(add(&o, "json:", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "no file name") != NULL);
	/* "-" is standard output. */
	CHECK_INT(add(&o, "prom:-", err, sizeof(err)), 0);
	CHECK(o.n == 2 && o.v[1].path == NULL);
	tt_outputs_free(&o);

	tt_outputs_init(&o, TT_FORMAT_RULES);
	CHECK_INT(add(&o, "html:x", err, sizeof(err)), -EINVAL);
	CHECK(strstr(err, "unknown format 'html'") != NULL);
	tt_outputs_free(&o);
}

/* finish() with two outputs, FIRST and SECOND as FORMAT:PATH; its return. */
static int
finish2(const char *first, const char *second, char *err, size_t errlen)
{
	struct tt_outputs o;
	int r;

	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, first, err, errlen), 0);
	CHECK_INT(add(&o, second, err, errlen), 0);
	r = tt_outputs_finish(&o, NULL, false, err, errlen);
	tt_outputs_free(&o);
	return r;
}

/* Two spellings of one file, which the lexical comparison misses: through
 * "..", a symbolic link to its directory or to it, a hard link; the same
 * last name in two directories is two files. */
static void
test_same_place(char *err, size_t errlen)
{
	char *d = tt_test_tmpdir(), a[512], b[512], p[512];

	snprintf(p, sizeof(p), "%s/x", d);
	CHECK_INT(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/l", d);
	CHECK_INT(symlink("x", p), 0);

	snprintf(a, sizeof(a), "json:%s/x/../a", d);
	snprintf(b, sizeof(b), "html:%s/a", d);
	CHECK_INT(finish2(a, b, err, errlen), -EINVAL);
	CHECK(strstr(err, "is named by two outputs") != NULL);

	snprintf(a, sizeof(a), "json:%s/l/r", d);
	snprintf(b, sizeof(b), "html:%s/x/r", d);
	CHECK_INT(finish2(a, b, err, errlen), -EINVAL);

	snprintf(p, sizeof(p), "%s/x/f", d);
	CHECK_INT(tt_atomic_write(NULL, p, "{}", 2, 0600), 0);
	snprintf(a, sizeof(a), "%s/x/h", d);
	CHECK_INT(link(p, a), 0);
	snprintf(a, sizeof(a), "json:%s/x/h", d);
	snprintf(b, sizeof(b), "html:%s/l/f", d);
	CHECK_INT(finish2(a, b, err, errlen), -EINVAL);
	snprintf(a, sizeof(a), "json:%s/x/f", d);
	CHECK_INT(finish2(a, b, err, errlen), -EINVAL);

	snprintf(a, sizeof(a), "json:%s/x/a", d);
	snprintf(b, sizeof(b), "html:%s/a", d);
	CHECK_INT(finish2(a, b, err, errlen), 0);
	snprintf(a, sizeof(a), "json:%s/x/f", d);
	snprintf(b, sizeof(b), "html:%s/x/g", d);
	CHECK_INT(finish2(a, b, err, errlen), 0);
	tt_test_rmtree(d);
	free(d);
}

static void
test_finish(void)
{
	struct tt_outputs o;
	char err[1024];

	/* No --output: standard output, --format's format or text. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	CHECK(o.n == 1 && o.v[0].path == NULL &&
	    TT_STREQ(o.v[0].fmt->name, "text"));
	CHECK(to_stdout(&o));
	tt_outputs_free(&o);

	/* The plain FILE takes --format's format; nothing on stdout. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "a.xml", err, sizeof(err)), 0);
	CHECK_INT(add(&o, "html:a.html", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, "junit", true, err, sizeof(err)), 0);
	CHECK_INT((long)o.n, 2);
	CHECK(o.n == 2 && TT_STREQ(o.v[0].fmt->name, "junit"));
	CHECK(!to_stdout(&o));
	tt_outputs_free(&o);

	/* Only FORMAT:FILE and no --format: nothing on stdout. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "html:a.html", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	CHECK_INT((long)o.n, 1);
	CHECK(!to_stdout(&o));
	tt_outputs_free(&o);

	/* An explicit --format is not dropped: it goes to stdout. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "html:a.html", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, "junit", true, err, sizeof(err)), 0);
	CHECK(o.n == 2 && o.v[1].path == NULL &&
	    TT_STREQ(o.v[1].fmt->name, "junit"));
	tt_outputs_free(&o);

	/* An unknown --format is the lookup's usage error. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(tt_outputs_finish(&o, "yaml", true, err, sizeof(err)),
	    -EINVAL);
	CHECK(strstr(err, "unknown format 'yaml'") != NULL);
	tt_outputs_free(&o);

	/* The same file twice, however it is spelled. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "json:out/a", err, sizeof(err)), 0);
	CHECK_INT(add(&o, "html:./out//a", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)),
	    -EINVAL);
	CHECK(strstr(err, "'./out//a' is named by two outputs") != NULL);
	tt_outputs_free(&o);

	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "a.txt", err, sizeof(err)), 0);
	CHECK_INT(add(&o, "json:a.txt", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)),
	    -EINVAL);
	tt_outputs_free(&o);

	/* ... and however it is reached. */
	test_same_place(err, sizeof(err));

	/* Two outputs to standard output. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "json:-", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, "text", true, err, sizeof(err)),
	    -EINVAL);
	CHECK(strstr(err, "standard output") != NULL);
	tt_outputs_free(&o);

	/* Two distinct files are fine. */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(add(&o, "json:a", err, sizeof(err)), 0);
	CHECK_INT(add(&o, "html:b/a", err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	tt_outputs_free(&o);
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct tt_buf b;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	tt_buf_init(&b, 1 << 24);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		tt_buf_append(&b, chunk, n);
	(void)fclose(f);
	if (b.data == NULL)
		return strdup("");
	return b.data;
}

/* What the single-format path renders for name. */
static char *
render(const char *name, json_object *doc)
{
	struct tt_format_input in = { .doc = doc };
	struct tt_buf b;
	char err[512];

	tt_buf_init(&b, TT_FORMAT_MAX_BYTES);
	if (tt_format_write(tt_format_find(name), TT_FORMAT_AUDIT, &in, &b, err,
		sizeof(err)) < 0) {
		tt_buf_free(&b);
		return NULL;
	}
	return b.data != NULL ? b.data : strdup("");
}

static void
test_write(void)
{
	static const char *names[] = { "json", "html", "junit", "sarif", "prom",
		"text" };
	char *dir = tt_test_tmpdir(), args[8][320], err[1024];
	json_object *doc =
	    tt_json_parse(audit_doc, strlen(audit_doc), err, sizeof(err));
	struct tt_format_input in = { .doc = doc, .color = true };
	struct tt_outputs o;

	CHECK(doc != NULL);
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	for (size_t i = 0; i < TT_ARRAY_SIZE(names); i++) {
		snprintf(args[i], sizeof(args[i]), "%s:%s/out.%s", names[i],
		    dir, names[i]);
		CHECK_INT(add(&o, args[i], err, sizeof(err)), 0);
	}
	/* One output that cannot be written: a missing directory. */
	snprintf(args[6], sizeof(args[6]), "json:%s/missing/out.json", dir);
	CHECK_INT(add(&o, args[6], err, sizeof(err)), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	CHECK_INT((long)tt_outputs_write(&o, &in), 1);
	CHECK_INT(o.v[6].error, -ENOENT);
	CHECK(strstr(o.v[6].why, "cannot write '") != NULL);
	CHECK(strstr(o.v[6].why, "/missing/out.json'") != NULL);
	/* The others are written, each as the format alone renders the
	 * document, and each carries its generated_at; the text file has no
	 * colour although colour was asked for. */
	for (size_t i = 0; i < TT_ARRAY_SIZE(names); i++) {
		char path[320], *got, *want;

		CHECK_INT(o.v[i].error, 0);
		snprintf(path, sizeof(path), "%s/out.%s", dir, names[i]);
		got = slurp(path);
		want = render(names[i], doc);
		CHECK(got != NULL && want != NULL);
		if (got != NULL && want != NULL) {
			if (strcmp(got, want) != 0)
				fprintf(stderr, "# %s differs\n", names[i]);
			CHECK(strcmp(got, want) == 0);
			/* prom says it in seconds since the epoch. */
			if (TT_STREQ(names[i], "prom"))
				CHECK(strstr(got, " 1796490000") != NULL);
			else if (!TT_STREQ(names[i], "text"))
				CHECK(strstr(got, "2026-12-05T17:00:00Z") !=
				    NULL);
			CHECK(strchr(got, '\033') == NULL);
		}
		free(got);
		free(want);
		unlink(path);
	}
	tt_outputs_free(&o);
	json_object_put(doc);
	rmdir(dir);
	free(dir);
}

int
main(void)
{
	RUN(test_parse);
	RUN(test_finish);
	RUN(test_write);
	TEST_EXIT();
}
