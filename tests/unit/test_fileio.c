/* ldflags: -Wl,--wrap=write */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "tt_test.h"

/* write(2) that fails with ENOSPC from the fail_after-th call on, as a
 * full disk does. */
static int fail_after = -1;
static int write_calls;

ssize_t __real_write(int fd, const void *buf, size_t n);
ssize_t __wrap_write(int fd, const void *buf, size_t n);

ssize_t
__wrap_write(int fd, const void *buf, size_t n)
{
	if (fail_after >= 0 && write_calls++ >= fail_after) {
		errno = ENOSPC;
		return -1;
	}
	/* Short writes, to exercise the retry loop. */
	return __real_write(fd, buf, n > 7 ? 7 : n);
}

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int n = 0;

	while (d != NULL && (de = readdir(d)) != NULL)
		if (de->d_name[0] != '.' || strncmp(de->d_name, ".f", 2) == 0)
			n++;
	if (d != NULL)
		closedir(d);
	return n;
}

static void
test_atomic_write_replaces(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	struct tt_buf b;
	struct stat st;
	char path[512];

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_atomic_write(&root, "/f", "first version", 13, 0644), 0);
	CHECK_INT(tt_atomic_write(&root, "/f", "second", 6, 0640), 0);
	CHECK_INT(tt_read_file(&root, "/f", 1024, &b), 0);
	CHECK_STR(b.data, "second");
	tt_buf_free(&b);
	snprintf(path, sizeof(path), "%s/f", d);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0640);
	CHECK_INT(count_entries(d), 1);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_full_disk_keeps_old(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	struct tt_buf b;
	char big[100];

	memset(big, 'x', sizeof(big));
	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_atomic_write(&root, "/f", "OLD", 3, 0644), 0);
	for (int after = 0; after < 5; after++) {
		write_calls = 0;
		fail_after = after;
		CHECK_INT(tt_atomic_write(&root, "/f", big, sizeof(big), 0644),
		    -ENOSPC);
		fail_after = -1;
		CHECK_INT(tt_read_file(&root, "/f", 1024, &b), 0);
		CHECK_STR(b.data, "OLD");
		tt_buf_free(&b);
		/* No temporary file left behind. */
		CHECK_INT(count_entries(d), 1);
	}
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_read_limits(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	struct tt_buf b;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_atomic_write(&root, "/f", "0123456789", 10, 0644), 0);
	CHECK_INT(tt_read_file(&root, "/f", 9, &b), -EFBIG);
	CHECK(b.data == NULL);
	CHECK_INT(tt_read_file(&root, "/f", 10, &b), 0);
	CHECK_INT(b.len, 10);
	tt_buf_free(&b);
	CHECK_INT(tt_read_file(&root, "/missing", 10, &b), -ENOENT);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_bare_name_on_host(void)
{
	char *d = tt_test_tmpdir(), cwd[4096];
	struct tt_buf b;

	/* --output report.json: a bare name is in the current directory. */
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK_INT(chdir(d), 0);
	CHECK_INT(tt_atomic_write(NULL, "bare.json", "{}", 2, 0644), 0);
	CHECK_INT(tt_read_file(NULL, "bare.json", 16, &b), 0);
	CHECK_STR(b.data, "{}");
	tt_buf_free(&b);
	CHECK_INT(tt_atomic_write(NULL, "..", "x", 1, 0644), -EINVAL);
	CHECK_INT(chdir(cwd), 0);
	tt_test_rmtree(d);
	free(d);
}

static void
test_buf_bound(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 8);
	CHECK_INT(tt_buf_puts(&b, "12345678"), 0);
	CHECK_INT(tt_buf_putc(&b, '9'), -E2BIG);
	CHECK_INT(b.len, 8);
	CHECK_STR(b.data, "12345678");
	tt_buf_reset(&b);
	CHECK_INT(tt_buf_printf(&b, "%d-%s", 42, "ab"), 0);
	CHECK_STR(b.data, "42-ab");
	CHECK_INT(tt_buf_printf(&b, "%s", "toolong"), -E2BIG);
	CHECK_STR(b.data, "42-ab");
	tt_buf_free_secret(&b);
	CHECK(b.data == NULL);
	tt_buf_free(NULL);
}

int
main(void)
{
	RUN(test_atomic_write_replaces);
	RUN(test_full_disk_keeps_old);
	RUN(test_read_limits);
	RUN(test_bare_name_on_host);
	RUN(test_buf_bound);
	TEST_EXIT();
}
