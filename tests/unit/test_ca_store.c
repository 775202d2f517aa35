#include <fcntl.h>
#include <sys/stat.h>

#include "ca_store.h"
#include "tt_test.h"

static void
touch(const char *dir, const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	if (fd >= 0)
		close(fd);
}

/* Only OpenSSL's subject-hash names make a directory usable as CAPATH:
 * a directory of PEM files alone would leave TLS without trust. */
static void
hashed_names_only(void)
{
	static const struct {
		const char *name;
		int hashed;
	} cases[] = {
		{ "002c0b4f.0", 1 },
		{ "ABCDEF01.12", 1 },
		{ "ca-certificates.crt", 0 },
		{ "Example_Root.pem", 0 },
		{ "002c0b4f.r0", 0 }, /* a CRL link */
		{ "002c0b4g.0", 0 },
		{ "002c0b4.0", 0 },
		{ "002c0b4f.", 0 },
		{ "002c0b4f.0x", 0 },
		{ "002c0b4f0", 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = tt_test_tmpdir();

		touch(d, cases[i].name);
		if (tt_ca_dir_is_hashed(d) != (cases[i].hashed != 0)) {
			fprintf(stderr, "# %s: wrong answer\n", cases[i].name);
			tt_test_current_failed = 1;
		}
		tt_test_rmtree(d);
		free(d);
	}
}

static void
empty_and_missing_directories(void)
{
	char *d = tt_test_tmpdir();
	char missing[512];

	CHECK(!tt_ca_dir_is_hashed(d));
	snprintf(missing, sizeof(missing), "%s/none", d);
	CHECK(!tt_ca_dir_is_hashed(missing));
	touch(d, "a.pem");
	touch(d, "5ad8a5d6.0");
	CHECK(tt_ca_dir_is_hashed(d));
	tt_test_rmtree(d);
	free(d);
}

/* On this machine: the system's choice is a hashed directory or none. */
static void
system_choice_is_hashed(void)
{
	const char *dir = tt_system_ca_dir();

	if (tt_ca_dir_is_hashed("/etc/ssl/certs"))
		CHECK_STR(dir, "/etc/ssl/certs");
	if (dir != NULL)
		CHECK(tt_ca_dir_is_hashed(dir));
	CHECK(tt_system_ca_dir() == dir);
}

int
main(void)
{
	RUN(hashed_names_only);
	RUN(empty_and_missing_directories);
	RUN(system_choice_is_hashed);
	TEST_EXIT();
}
