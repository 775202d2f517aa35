/*
 * The scrub walk (hardening/scrub/scrub_walk.c) on a fixture tree: what it
 * hands to the scanner, what it reports as skipped and why, and what it
 * passes by in silence (a symlink is neither followed nor reported).
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scrub/scrub_catalog.h"
#include "scrub/scrub_scan.h"
#include "scrub/scrub_walk.h"
#include "tt.h"
#include "tt_test.h"

/* A GitLab token as the built-in detectors know it. */
#define SECRET "token = glpat-Zq3kW8vN2pR7tY5xB1mC\n"

static char *top; /* holds root/ and outside/ */
static struct tt_scrub_catalog cat;
static struct tt_scanner scanner;

static const char *
at(const char *rel)
{
	static char buf[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", top, rel);
	return buf[k];
}

/* Writes rel (under top), making its directories. */
static void
put(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s", at(rel));
	for (char *p = path + strlen(top) + 1; (p = strchr(p, '/')) != NULL;
	     p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	if ((f = fopen(path, "w")) == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void
fixture(void)
{
	char big[4096];

	top = tt_test_tmpdir();
	put("root/etc/app.conf", "# settings\n" SECRET);
	put("root/etc/clean.conf", "nothing = here\n");
	put("root/sub/dir/deep/deeper.txt", "x\ny\n" SECRET);
	put("root/root/.bash_history", "ls\n");
	put("root/run/runtime.txt", SECRET);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put("root/big.txt", big);
	/* a secret after the first 4 KiB: the size limit hides it */
	{
		FILE *f = fopen(at("root/big.txt"), "a");

		fputs(SECRET, f);
		fclose(f);
	}
	put("outside/secret.txt", SECRET);
	put("outside/dir/inner.txt", SECRET);
	if (symlink(at("outside/secret.txt"), at("root/link")) < 0 ||
	    symlink(at("outside/dir"), at("root/etc/dirlink")) < 0 ||
	    symlink("../../outside/secret.txt", at("root/relink")) < 0 ||
	    mkfifo(at("root/etc/fifo"), 0600) < 0) {
		perror("fixture");
		exit(2);
	}
}

static const struct tt_scrub_item *
find(const struct tt_scrub_result *res, const char *path,
    enum tt_scrub_kind kind)
{
	for (size_t i = 0; i < res->n; i++)
		if (res->v[i].kind == kind && TT_STREQ(res->v[i].path, path))
			return &res->v[i];
	return NULL;
}

static bool
anywhere(const struct tt_scrub_result *res, const char *part)
{
	for (size_t i = 0; i < res->n; i++)
		if (strstr(res->v[i].path, part) != NULL)
			return true;
	return false;
}

static int
walk(const char *rel, bool live, unsigned jobs, uint64_t max, bool lo,
    struct tt_scrub_result *res)
{
	struct tt_root root;
	struct tt_scrub_opts o = { 0 };
	char err[256] = "";
	int r;

	memset(res, 0, sizeof(*res));
	if ((r = tt_root_init(&root, at(rel))) < 0)
		return r;
	o.root = &root;
	o.live = live;
	o.max_file_size = max;
	o.jobs = jobs;
	o.leftovers = lo;
	r = tt_scrub_walk(&scanner, &o, res, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "# %s\n", err);
	tt_root_close(&root);
	return r;
}

/* What is found, skipped and passed by, the same with one thread or
 * several. */
static void
test_visits(void)
{
	static const struct {
		const char *path;
		enum tt_scrub_kind kind;
		bool present;
		const char *reason; /* a substring, skipped items */
	} want[] = {
		{ "/etc/app.conf", TT_SCRUB_SECRET, true, NULL },
		{ "/sub/dir/deep/deeper.txt", TT_SCRUB_SECRET, true, NULL },
		{ "/run/runtime.txt", TT_SCRUB_SECRET, true, NULL }, /* image */
		{ "/etc/clean.conf", TT_SCRUB_SECRET, false, NULL },
		{ "/root/.bash_history", TT_SCRUB_LEFTOVER, true, NULL },
		{ "/etc/fifo", TT_SCRUB_SKIPPED, true, "not a regular file" },
		{ "/big.txt", TT_SCRUB_SKIPPED, true, "--max-file-size" },
		{ "/big.txt", TT_SCRUB_SECRET, false, NULL },
		/* symlinks: not followed, not reported */
		{ "/link", TT_SCRUB_SECRET, false, NULL },
		{ "/link", TT_SCRUB_SKIPPED, false, NULL },
		{ "/relink", TT_SCRUB_SKIPPED, false, NULL },
		{ "/etc/dirlink", TT_SCRUB_SKIPPED, false, NULL },
	};
	static const unsigned jobs[] = { 1, 3 };

	for (size_t j = 0; j < sizeof(jobs) / sizeof(jobs[0]); j++) {
		struct tt_scrub_result res;

		CHECK_INT(walk("root", false, jobs[j], 1024, true, &res), 0);
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			const struct tt_scrub_item *it =
			    find(&res, want[i].path, want[i].kind);

			CHECK((it != NULL) == want[i].present);
			if ((it != NULL) != want[i].present)
				fprintf(stderr, "# jobs %u: %s kind %d\n",
				    jobs[j], want[i].path, want[i].kind);
			if (it != NULL && want[i].reason != NULL)
				CHECK(
				    strstr(it->reason, want[i].reason) != NULL);
		}
		/* the secret's place in its file */
		{
			const struct tt_scrub_item *it =
			    find(&res, "/etc/app.conf", TT_SCRUB_SECRET);

			CHECK(it != NULL && it->line == 2);
			CHECK(it != NULL && strlen(it->fingerprint) == 64);
		}
		CHECK(!anywhere(&res, "inner.txt"));
		CHECK(!anywhere(&res, "outside"));
		CHECK_INT(tt_scrub_count(&res, TT_SCRUB_SECRET), 3);
		CHECK_INT(tt_scrub_count(&res, TT_SCRUB_SKIPPED), 2);
		/* the regular files scanned: app, clean, deeper, history,
		 * runtime */
		CHECK_INT(res.files, 5);
		/* sorted by path */
		for (size_t i = 1; i < res.n; i++)
			CHECK(strcmp(res.v[i - 1].path, res.v[i].path) <= 0);
		tt_scrub_result_free(&res);
	}
}

/* Without the catalogue's leftovers, no leftover; a larger limit scans
 * the big file and finds its secret. */
static void
test_options(void)
{
	struct tt_scrub_result res;

	CHECK_INT(walk("root", false, 1, TT_SCRUB_DEFAULT_MAX_FILE, false,
		      &res),
	    0);
	CHECK_INT(tt_scrub_count(&res, TT_SCRUB_LEFTOVER), 0);
	CHECK(find(&res, "/big.txt", TT_SCRUB_SECRET) != NULL);
	CHECK(find(&res, "/big.txt", TT_SCRUB_SKIPPED) == NULL);
	CHECK_INT(tt_scrub_count(&res, TT_SCRUB_SECRET), 4);
	tt_scrub_result_free(&res);
}

/* On a live system /run (and /proc, /sys, /dev) is not entered. */
static void
test_live_skips(void)
{
	struct tt_scrub_result res;
	const struct tt_scrub_item *it;

	CHECK_INT(walk("root", true, 1, 1024, false, &res), 0);
	CHECK(find(&res, "/run/runtime.txt", TT_SCRUB_SECRET) == NULL);
	it = find(&res, "/run", TT_SCRUB_SKIPPED);
	CHECK(it != NULL && strstr(it->reason, "another mount") != NULL);
	CHECK(find(&res, "/etc/app.conf", TT_SCRUB_SECRET) != NULL);
	tt_scrub_result_free(&res);
}

/* A root that is not there: the walk does not start. */
static void
test_no_root(void)
{
	struct tt_scrub_result res;

	CHECK(walk("absent", false, 1, 1024, false, &res) < 0);
}

/* Another mount below the root: entered in an image, not on a live
 * system.  Needs a mount namespace (root, or a user namespace): else
 * skipped. */
static void
test_other_mount(void)
{
	struct tt_scrub_result res;
	const struct tt_scrub_item *it;

	put("root/mnt/.keep", "");
	/* "none": the type is ignored with MS_PRIVATE, but valgrind reads a
	 * NULL one as a bad address. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0 ||
	    mount("tmpfs", at("root/mnt"), "tmpfs", 0, NULL) < 0) {
		printf("# SKIP: cannot mount here\n");
		return;
	}
	put("root/mnt/mounted.txt", SECRET);
	CHECK_INT(walk("root", true, 1, 1024, false, &res), 0);
	it = find(&res, "/mnt", TT_SCRUB_SKIPPED);
	CHECK(it != NULL && strstr(it->reason, "another mount") != NULL);
	CHECK(find(&res, "/mnt/mounted.txt", TT_SCRUB_SECRET) == NULL);
	tt_scrub_result_free(&res);
	CHECK_INT(walk("root", false, 1, 1024, false, &res), 0);
	CHECK(find(&res, "/mnt/mounted.txt", TT_SCRUB_SECRET) != NULL);
	tt_scrub_result_free(&res);
	umount(at("root/mnt"));
}

int
main(void)
{
	char err[512];

	if (tt_scrub_load_builtin(&cat, err, sizeof(err)) < 0 ||
	    tt_scanner_init(&scanner, &cat) < 0) {
		fprintf(stderr, "# %s\n", err);
		return 2;
	}
	fixture();
	RUN(test_visits);
	RUN(test_options);
	RUN(test_live_skips);
	RUN(test_no_root);
	RUN(test_other_mount);
	tt_test_rmtree(top);
	free(top);
	tt_scanner_free(&scanner);
	tt_scrub_catalog_free(&cat);
	TEST_EXIT();
}
