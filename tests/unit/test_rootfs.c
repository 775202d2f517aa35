#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "rootfs.h"
#include "tt_test.h"

/*
 * Layout: D/host/secret is the "host" file no resolution may reach;
 * D/root is the image.
 */
static char *base;
static char rootdir[512], secret[512];

static void
put(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", rootdir, rel);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void
link_in_root(const char *target, const char *rel)
{
	char path[1024];

	snprintf(path, sizeof(path), "%s/%s", rootdir, rel);
	if (symlink(target, path) < 0) {
		perror(path);
		exit(2);
	}
}

static void
setup(void)
{
	char dir[600];
	FILE *f;

	base = tt_test_tmpdir();
	snprintf(dir, sizeof(dir), "%s/host", base);
	mkdir(dir, 0755);
	snprintf(secret, sizeof(secret), "%s/host/secret", base);
	f = fopen(secret, "w");
	fputs("HOST", f);
	fclose(f);
	snprintf(rootdir, sizeof(rootdir), "%s/root", base);
	mkdir(rootdir, 0755);
	snprintf(dir, sizeof(dir), "%s/etc", rootdir);
	mkdir(dir, 0755);
	snprintf(dir, sizeof(dir), "%s/usr", rootdir);
	mkdir(dir, 0755);
	put("etc/real", "IMAGE");
	put("usr/lib-file", "USR");
	/* Absolute link to the host secret's path. */
	link_in_root(secret, "etc/abs-host");
	/* Absolute link that must resolve inside the root. */
	link_in_root("/etc/real", "etc/abs-in");
	/* Relative link climbing far above the root. */
	link_in_root("../../../../../../../../etc/real", "etc/rel-up");
	/* Relative link climbing to the host's base directory. */
	link_in_root("../../host/secret", "etc/rel-host");
	/* A directory link to "/" used as a parent. */
	link_in_root("/", "etc/slash");
	/* Loops. */
	link_in_root("loop-b", "etc/loop-a");
	link_in_root("loop-a", "etc/loop-b");
	/* Dangling link where a file will be created. */
	link_in_root("/etc/created-by-link", "etc/dangling");
}

static int
read_via(struct tt_root *root, const char *path, char *out, size_t size)
{
	struct tt_buf b;
	int r = tt_read_file(root, path, 4096, &b);

	if (r < 0)
		return r;
	snprintf(out, size, "%s", b.data);
	tt_buf_free(&b);
	return 0;
}

static void
check_resolution(void)
{
	struct tt_root root;
	char got[64];

	CHECK_INT(tt_root_init(&root, rootdir), 0);
	CHECK_INT(read_via(&root, "/etc/real", got, sizeof(got)), 0);
	CHECK_STR(got, "IMAGE");
	CHECK_INT(read_via(&root, "/etc/abs-in", got, sizeof(got)), 0);
	CHECK_STR(got, "IMAGE");
	CHECK_INT(read_via(&root, "/etc/rel-up", got, sizeof(got)), 0);
	CHECK_STR(got, "IMAGE");
	CHECK_INT(read_via(&root, "/../../../etc/real", got, sizeof(got)), 0);
	CHECK_STR(got, "IMAGE");
	CHECK_INT(read_via(&root, "/etc/slash/etc/real", got, sizeof(got)),
	    0);
	CHECK_STR(got, "IMAGE");
	CHECK_INT(read_via(&root, "/etc/slash/../usr/./lib-file", got,
	    sizeof(got)), 0);
	CHECK_STR(got, "USR");
	/* Neither link may reach the host's file. */
	CHECK_INT(read_via(&root, "/etc/abs-host", got, sizeof(got)),
	    -ENOENT);
	CHECK_INT(read_via(&root, "/etc/rel-host", got, sizeof(got)),
	    -ENOENT);
	CHECK_INT(read_via(&root, "/etc/loop-a", got, sizeof(got)), -ELOOP);
	CHECK_INT(read_via(&root, "/etc/real/x", got, sizeof(got)), -ENOTDIR);
	CHECK_INT(read_via(&root, "/etc", got, sizeof(got)), -EISDIR);
	tt_root_close(&root);
}

static void
check_writes(void)
{
	struct tt_root root;
	struct stat st;
	char got[64], path[1024];
	FILE *f;

	CHECK_INT(tt_root_init(&root, rootdir), 0);
	/* Writing through the host link replaces the link, inside root. */
	CHECK_INT(tt_atomic_write(&root, "/etc/abs-host", "NEW", 3, 0644), 0);
	f = fopen(secret, "r");
	CHECK(f != NULL && fgets(got, sizeof(got), f) != NULL);
	if (f != NULL)
		fclose(f);
	CHECK_STR(got, "HOST");
	/* A write whose parent is a link to "/" lands in the root. */
	CHECK_INT(tt_atomic_write(&root, "/etc/slash/etc/via-slash", "X", 1,
	    0600), 0);
	snprintf(path, sizeof(path), "%s/etc/via-slash", rootdir);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	/* mkdir -p through a parent that climbs with "..". */
	CHECK_INT(tt_root_mkdir_p(&root, "/../../var/lib/tattoo", 0755), 0);
	snprintf(path, sizeof(path), "%s/var/lib/tattoo", rootdir);
	CHECK_INT(stat(path, &st), 0);
	CHECK(S_ISDIR(st.st_mode));
	/* Creating through a dangling absolute link stays inside. */
	{
		int fd = tt_root_open(&root, "/etc/dangling",
		    O_WRONLY | O_CREAT, 0600);
		CHECK(fd >= 0);
		if (fd >= 0)
			close(fd);
		snprintf(path, sizeof(path), "%s/etc/created-by-link",
		    rootdir);
		CHECK_INT(stat(path, &st), 0);
		CHECK(stat("/etc/created-by-link", &st) < 0);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/etc/via-slash", rootdir);
	unlink(path);
	/* Put the host link back for the next pass. */
	snprintf(path, sizeof(path), "%s/etc/abs-host", rootdir);
	unlink(path);
	link_in_root(secret, "etc/abs-host");
	tt_root_close(&root);
}

static void
test_openat2(void)
{
	tt_root_force_fallback = false;
	check_resolution();
	check_writes();
}

static void
test_fallback(void)
{
	tt_root_force_fallback = true;
	check_resolution();
	check_writes();
	tt_root_force_fallback = false;
}

static void
test_host_path(void)
{
	struct tt_root root;
	char out[64];

	CHECK_INT(tt_root_init(&root, "/"), 0);
	CHECK(tt_root_is_host(&root));
	CHECK_INT(tt_root_host_path(&root, "/etc/x", out, sizeof(out)), 0);
	CHECK_STR(out, "/etc/x");
	tt_root_close(&root);
	CHECK_INT(tt_root_init(&root, rootdir), 0);
	CHECK(!tt_root_is_host(&root));
	tt_root_close(&root);
	CHECK_INT(tt_root_init(&root, "/nonexistent-root"), -ENOENT);
}

static void
test_fifo_refused(void)
{
	struct tt_root root;
	char path[1024], got[8];

	snprintf(path, sizeof(path), "%s/etc/fifo", rootdir);
	CHECK_INT(mkfifo(path, 0644), 0);
	CHECK_INT(tt_root_init(&root, rootdir), 0);
	/* Must return at once, not block on the FIFO. */
	CHECK_INT(read_via(&root, "/etc/fifo", got, sizeof(got)),
	    -TT_ENOTREG);
	tt_root_close(&root);
	unlink(path);
}

int
main(void)
{
	setup();
	RUN(test_openat2);
	RUN(test_fallback);
	RUN(test_host_path);
	RUN(test_fifo_refused);
	tt_test_rmtree(base);
	free(base);
	TEST_EXIT();
}
