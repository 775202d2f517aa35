/*
 * A test driver for the format writers, not a product command: with
 * arguments it renders a JSON document the way `tattoo audit --format`
 * and `tattoo scrub --format` will,
 *
 *	test_format_driver FORMAT audit|scrub DOC.json [TATTOO.json|- [DRIFT.json|-
 *	    [SCRUB.json]]]
 *
 * (SCRUB.json: a scrub document the html report of an audit includes)
 *
 * writing to stdout and exiting 0, 2 (usage) or 3 (bad input), so that
 * tests/cli/t07*.sh can check the output with real parsers (python's XML
 * and JSON Schema, headless Chromium).  Run without arguments, as
 * tests/run.sh runs every test binary, it tests its own argument handling.
 */
#include <sys/wait.h>
#include <unistd.h>

#include "canon.h"
#include "json.h"
#include "fileio.h"
#include "format.h"
#include "tt_test.h"
#include "tt.h"

static json_object *
load(const char *path, char *err, size_t errlen)
{
	struct tt_buf b;
	json_object *o;
	char why[200];
	int r;

	r = tt_read_file(NULL, path, 64 << 20, &b);
	if (r < 0) {
		snprintf(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return NULL;
	}
	o = tt_json_parse(b.data != NULL ? b.data : "", b.len, why,
	    sizeof(why));
	if (o == NULL)
		snprintf(err, errlen, "%s: %s", path, why);
	tt_buf_free(&b);
	return o;
}

static int
drive(int argc, char **argv)
{
	struct tt_format_input in = { 0 };
	const struct tt_format *f;
	enum tt_format_kind kind;
	struct tt_buf out;
	char err[512] = "";
	int r, rc = TT_EXIT_INPUT;

	if (argc < 4 || argc > 7) {
		fprintf(stderr,
		    "usage: test_format_driver FORMAT audit|scrub "
		    "DOC [TATTOO|- [DRIFT|- [SCRUB]]]\n");
		return TT_EXIT_USAGE;
	}
	if (!TT_STREQ(argv[2], "audit") && !TT_STREQ(argv[2], "scrub")) {
		fprintf(stderr, "error: unknown kind '%s'\n", argv[2]);
		return TT_EXIT_USAGE;
	}
	kind = TT_STREQ(argv[2], "audit") ? TT_FORMAT_AUDIT : TT_FORMAT_SCRUB;
	/* The table and its errors, as the commands use them. */
	if ((f = tt_format_lookup(argv[1], kind, err, sizeof(err))) == NULL) {
		fprintf(stderr, "error: %s\n", err);
		return TT_EXIT_USAGE;
	}
	tt_buf_init(&out, TT_FORMAT_MAX_BYTES);
	if ((in.doc = load(argv[3], err, sizeof(err))) == NULL)
		goto out;
	if (argc > 4 && !TT_STREQ(argv[4], "-") &&
	    (in.tattoo = load(argv[4], err, sizeof(err))) == NULL)
		goto out;
	if (argc > 5 && !TT_STREQ(argv[5], "-") &&
	    (in.drift = load(argv[5], err, sizeof(err))) == NULL)
		goto out;
	if (argc > 6 && (in.scrub = load(argv[6], err, sizeof(err))) == NULL)
		goto out;
	r = tt_format_write(f, kind, &in, &out, err, sizeof(err));
	if (r < 0) {
		char why[600];

		snprintf(why, sizeof(why), "%s: %s", argv[3], err);
		strlcpy(err, why, sizeof(err));
		goto out;
	}
	if ((r = tt_format_emit(NULL, &out)) < 0) {
		snprintf(err, sizeof(err), "cannot write: %s", tt_strerror(r));
		rc = TT_EXIT_ENV;
		goto out;
	}
	rc = TT_EXIT_OK;
out:
	if (rc != TT_EXIT_OK)
		fprintf(stderr, "error: %s\n", err);
	json_object_put(in.doc);
	json_object_put(in.tattoo);
	json_object_put(in.drift);
	json_object_put(in.scrub);
	tt_buf_free(&out);
	return rc;
}

/* Runs the driver in a child with stdout to /dev/null and stderr to
 * errpath (NULL: /dev/null). */
static int
child_err(char **argv, const char *errpath)
{
	int argc = 0, status;
	pid_t pid;

	while (argv[argc] != NULL)
		argc++;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		if (freopen("/dev/null", "w", stdout) == NULL ||
		    freopen(errpath != NULL ? errpath : "/dev/null", "w",
			stderr) == NULL)
			_exit(99);
		int rc = drive(argc, argv);

		/* _exit does not flush stdio. */
		fflush(NULL);
		_exit(rc);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int
child(char **argv)
{
	return child_err(argv, NULL);
}

static void
test_arguments(void)
{
	char *dir = tt_test_tmpdir(), good[300], bad[300], errs[300];
	FILE *f;

	snprintf(good, sizeof(good), "%s/good.json", dir);
	snprintf(bad, sizeof(bad), "%s/bad.json", dir);
	snprintf(errs, sizeof(errs), "%s/stderr", dir);
	f = fopen(good, "w");
	fputs("{\"schema\":1,\"results\":[{\"id\":\"a\",\"result\":\"pass\"}]}",
	    f);
	fclose(f);
	f = fopen(bad, "w");
	fputs("{\"schema\":1,\"results\":[{\"id\":1}]}", f);
	fclose(f);
	{
		char *a[] = { "d", "junit", "audit", good, NULL };
		char *b[] = { "d", "xml", "audit", good, NULL };
		char *c[] = { "d", "junit", "report", good, NULL };
		char *d[] = { "d", "junit", "audit", bad, NULL };
		char *e[] = { "d", "junit", "scrub", good, NULL };
		char *g[] = { "d", "junit", "audit", dir, NULL };
		char *h[] = { "d", "junit", NULL };

		CHECK_INT(child(a), 0);
		CHECK_INT(child(b), 2);
		CHECK_INT(child(c), 2);
		CHECK_INT(child(d), 3);
		CHECK_INT(child(e), 3);
		CHECK_INT(child(g), 3);
		CHECK_INT(child(h), 2);
	}
	{
		/* The writer's reason reaches the message, and an unknown
		 * format lists the table's names. */
		char *d[] = { "d", "junit", "audit", bad, NULL };
		char *b[] = { "d", "xml", "audit", good, NULL };
		struct tt_buf msg;
		char want[400];

		CHECK_INT(child_err(d, errs), 3);
		CHECK_INT(tt_read_file(NULL, errs, 4096, &msg), 0);
		snprintf(want, sizeof(want),
		    "error: %s: format junit: results[0].id: missing or not a "
		    "string\n",
		    bad);
		CHECK_STR(msg.data != NULL ? msg.data : "", want);
		tt_buf_free(&msg);
		CHECK_INT(child_err(b, errs), 2);
		CHECK_INT(tt_read_file(NULL, errs, 4096, &msg), 0);
		CHECK_STR(msg.data != NULL ? msg.data : "",
		    "error: unknown format 'xml' (text, json, junit, sarif, "
		    "html, prom)\n");
		tt_buf_free(&msg);
		unlink(errs);
	}
	unlink(good);
	unlink(bad);
	rmdir(dir);
	free(dir);
}

int
main(int argc, char **argv)
{
	if (argc > 1)
		return drive(argc, argv);
	RUN(test_arguments);
	TEST_EXIT();
}
