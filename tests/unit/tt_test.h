/*
 * A minimal table-driven test harness.  Each test binary prints TAP-style
 * lines ("ok N - name", "not ok N - name") that tests/run.sh counts.
 * CHECK records a failure and goes on, so one run shows every broken case.
 */
#ifndef TT_TEST_H
#define TT_TEST_H

#include <ftw.h>
#include <limits.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int tt_test_number;
static int tt_test_failures;
static int tt_test_current_failed;

#define CHECK(cond)                                                      \
	do {                                                             \
		if (!(cond)) {                                           \
			fprintf(stderr, "# %s:%d: check failed: %s\n",   \
			    __FILE__, __LINE__, #cond);                  \
			tt_test_current_failed = 1;                      \
		}                                                        \
	} while (0)

#define CHECK_STR(a, b)                                                  \
	do {                                                             \
		const char *check_a_ = (a), *check_b_ = (b);             \
		if (check_a_ == NULL || check_b_ == NULL ||              \
		    strcmp(check_a_, check_b_) != 0) {                   \
			fprintf(stderr, "# %s:%d: \"%s\" != \"%s\"\n",   \
			    __FILE__, __LINE__,                          \
			    check_a_ ? check_a_ : "(null)",              \
			    check_b_ ? check_b_ : "(null)");             \
			tt_test_current_failed = 1;                      \
		}                                                        \
	} while (0)

#define CHECK_INT(a, b)                                                  \
	do {                                                             \
		long long check_a_ = (long long)(a);                     \
		long long check_b_ = (long long)(b);                     \
		if (check_a_ != check_b_) {                              \
			fprintf(stderr, "# %s:%d: %s == %lld, not %lld\n", \
			    __FILE__, __LINE__, #a, check_a_, check_b_); \
			tt_test_current_failed = 1;                      \
		}                                                        \
	} while (0)

static inline void
tt_run_test(const char *name, void (*fn)(void))
{
	tt_test_current_failed = 0;
	fn();
	tt_test_number++;
	if (tt_test_current_failed)
		tt_test_failures++;
	printf("%sok %d - %s\n", tt_test_current_failed ? "not " : "",
	    tt_test_number, name);
	fflush(stdout);
}

#define RUN(fn) tt_run_test(#fn, fn)
#define TEST_EXIT() return tt_test_failures ? 1 : 0

/* A fresh temporary directory in $TMPDIR, else /tmp (caller frees the
 * string). */
static inline char *
tt_test_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char tmpl[PATH_MAX];
	char *d;

	if (base == NULL || base[0] != '/')
		base = "/tmp";
	if ((size_t)snprintf(tmpl, sizeof(tmpl), "%s/tattoo-test-XXXXXX",
		base) >= sizeof(tmpl)) {
		fprintf(stderr, "TMPDIR too long: %s\n", base);
		exit(2);
	}
	d = mkdtemp(tmpl);
	if (d == NULL) {
		perror("mkdtemp");
		exit(2);
	}
	return strdup(d);
}

static inline int
tt_test_rm_entry(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Removes a temporary tree made by a test. */
static inline void
tt_test_rmtree(const char *dir)
{
	nftw(dir, tt_test_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Writes text to dir+rel (rel starts with '/'), making the directories
 * below dir that it needs; exits 2 when it cannot. */
static inline void
tt_test_put(const char *dir, const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0755);
			*s = '/';
		}
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

#endif
