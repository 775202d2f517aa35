#include <errno.h>

#include "diff.h"
#include "tt_test.h"

static char *
diff(const char *a, const char *b)
{
	struct tt_buf out;

	tt_buf_init(&out, 1 << 20);
	CHECK_INT(tt_diff_unified("/etc/x", a, a ? strlen(a) : 0, b,
	    b ? strlen(b) : 0, &out), 0);
	return tt_buf_steal(&out);
}

/* Applies a unified diff with patch(1) semantics, checked by python. */
static void
test_cases(void)
{
	char *d;

	d = diff("a\nb\nc\n", "a\nb\nc\n");
	CHECK_STR(d, "");
	free(d);
	d = diff("a\nb\nc\n", "a\nB\nc\n");
	CHECK_STR(d, "--- a/etc/x\n+++ b/etc/x\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n"
	    " c\n");
	free(d);
	d = diff(NULL, "new\n");
	CHECK_STR(d, "--- /dev/null\n+++ b/etc/x\n@@ -0,0 +1,1 @@\n+new\n");
	free(d);
	d = diff("gone\n", NULL);
	CHECK_STR(d, "--- a/etc/x\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-gone\n");
	free(d);
	d = diff("x", "x\n");
	CHECK_STR(d, "--- a/etc/x\n+++ b/etc/x\n@@ -1,1 +1,1 @@\n-x\n"
	    "\\ No newline at end of file\n+x\n");
	free(d);
	/* Two distant changes make two hunks. */
	d = diff("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
	    "one\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\ntwelve\n");
	CHECK_STR(d, "--- a/etc/x\n+++ b/etc/x\n@@ -1,4 +1,4 @@\n-1\n+one\n"
	    " 2\n 3\n 4\n@@ -9,4 +9,4 @@\n 9\n 10\n 11\n-12\n+twelve\n");
	free(d);
	/* A file's lines are for a terminal: controls escaped, tabs kept. */
	d = diff("Banner \033[2K\r0 secrets\tx\n", "Banner none\n");
	CHECK_STR(d,
	    "--- a/etc/x\n+++ b/etc/x\n@@ -1,1 +1,1 @@\n"
	    "-Banner \\x1b[2K\\r0 secrets\tx\n+Banner none\n");
	free(d);
	/* Appending a line. */
	d = diff("PermitRootLogin yes\n", "PermitRootLogin yes\nX no\n");
	CHECK_STR(d, "--- a/etc/x\n+++ b/etc/x\n@@ -1,1 +1,2 @@\n"
	    " PermitRootLogin yes\n+X no\n");
	free(d);
}

int
main(void)
{
	RUN(test_cases);
	TEST_EXIT();
}
