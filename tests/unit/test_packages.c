#include <errno.h>
#include <sys/stat.h>

#include "packages.h"
#include "rootfs.h"
#include "tt_test.h"

/* A dpkg status file as dpkg writes it: an installed package, one
 * removed with its configuration left, one half-installed, one
 * unpacked only, and an architecture-qualified one. */
static const char dpkg_status[] = "Package: openssh-server\n"
				  "Status: install ok installed\n"
				  "Priority: optional\n"
				  "Version: 1:9.2p1-2+deb12u3\n"
				  "Description: secure shell (SSH) server\n"
				  " continued description line\n"
				  "\n"
				  "Package: telnetd\n"
				  "Status: deinstall ok config-files\n"
				  "Version: 0.17+2.4-2\n"
				  "\n"
				  "Package: rsh-server\n"
				  "Status: install reinstreq half-installed\n"
				  "Version: 0.17-24\n"
				  "\n"
				  "Package: nis\n"
				  "Status: install ok unpacked\n"
				  "Version: 4.2\n"
				  "\n"
				  "Package: libc6\n"
				  "Status: install ok installed\n"
				  "Architecture: amd64\n"
				  "Multi-Arch: same\n"
				  "Version: 2.36-9+deb12u4\n";

static void
mkpath(const char *base, const char *rel)
{
	char path[512], *p;

	snprintf(path, sizeof(path), "%s/%s", base, rel);
	for (p = path + strlen(base) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

static void
put(const char *base, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	mkpath(base, rel);
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	if ((f = fopen(path, "w")) == NULL)
		exit(2);
	fputs(text, f);
	fclose(f);
}

static void
test_installed_dpkg(void)
{
	static const struct {
		const char *name;
		int r;
		bool installed;
		const char *version;
	} cases[] = {
		{ "openssh-server", 0, true, "1:9.2p1-2+deb12u3" },
		{ "libc6", 0, true, "2.36-9+deb12u4" },
		{ "telnetd", 0, false, "" },
		{ "rsh-server", 0, false, "" },
		{ "nis", 0, false, "" },
		{ "absent", 0, false, "" },
		{ "openssh", 0, false, "" }, /* a prefix is not a name */
		{ "", -EINVAL, false, "" },
		{ "-rf", -EINVAL, false, "" },
		{ "a b", -EINVAL, false, "" },
		{ "x/../y", -EINVAL, false, "" },
	};
	char *d = tt_test_tmpdir();
	struct tt_root root;

	put(d, "var/lib/dpkg/status", dpkg_status);
	CHECK_INT(tt_root_init(&root, d), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool installed = true;
		char version[64] = "junk";

		CHECK_INT(tt_package_installed(&root, cases[i].name, &installed,
			      version, sizeof(version)),
		    cases[i].r);
		CHECK(installed == cases[i].installed);
		CHECK_STR(version, cases[i].version);
		if (installed != cases[i].installed)
			fprintf(stderr, "# %s\n", cases[i].name);
	}
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* A root with neither a dpkg nor an rpm database has no answer. */
static void
test_no_database(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	bool installed = true;
	char version[64], why[512];

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_package_installed(&root, "bash", &installed, version,
		      sizeof(version)),
	    -ENOTSUP);
	CHECK(!installed);
	tt_package_refusal(&root, "bash", why, sizeof(why));
	CHECK(strstr(why, "no dpkg or rpm database") != NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* Under --root nothing is removed: the refusal names the package, its
 * version, and the command to run inside the image (the image path
 * quoted for a shell when it needs to be). */
static void
test_root_refusal(void)
{
	static const struct {
		const char *sub; /* the image directory's name */
		const char *name;
		int r;
		const char *want[3];
	} cases[] = {
		{ "img", "openssh-server", -EPERM,
		    { "'openssh-server' 1:9.2p1-2+deb12u3 is not removed",
			"--private-network dpkg --purge openssh-server",
			"host root" } },
		{ "my img's", "telnetd", -EPERM,
		    { "'telnetd' is not removed", "'\\''s'", "dpkg --purge" } },
		{ "img", "bad name", -EINVAL,
		    { "'bad name' is not a package name", "", "" } },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = tt_test_tmpdir();
		char dir[512], err[1024] = "";
		struct tt_root root;

		snprintf(dir, sizeof(dir), "%s/%s", d, cases[i].sub);
		mkdir(dir, 0755);
		put(dir, "var/lib/dpkg/status", dpkg_status);
		CHECK_INT(tt_root_init(&root, dir), 0);
		CHECK(!tt_root_is_host(&root));
		CHECK_INT(tt_package_remove(&root, cases[i].name, err,
			      sizeof(err)),
		    cases[i].r);
		for (size_t k = 0; k < 3; k++)
			CHECK(strstr(err, cases[i].want[k]) != NULL);
		if (cases[i].r == -EPERM) {
			char why[1024];

			/* the same words as the refusal the plan shows */
			tt_package_refusal(&root, cases[i].name, why,
			    sizeof(why));
			CHECK_STR(why, err);
		}
		/* and the status file is as it was */
		{
			bool installed = false;
			char version[64];

			CHECK_INT(tt_package_installed(&root, "openssh-server",
				      &installed, version, sizeof(version)),
			    0);
			CHECK(installed);
		}
		tt_root_close(&root);
		tt_test_rmtree(d);
		free(d);
	}
}

/* Cut to the caller's buffer, always terminated. */
static void
test_refusal_short_buffer(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	char why[24];

	put(d, "var/lib/dpkg/status", dpkg_status);
	CHECK_INT(tt_root_init(&root, d), 0);
	memset(why, 'Z', sizeof(why));
	tt_package_refusal(&root, "openssh-server", why, sizeof(why));
	CHECK_INT(strlen(why), sizeof(why) - 1);
	tt_package_refusal(&root, NULL, why, sizeof(why));
	CHECK_INT(strlen(why), sizeof(why) - 1);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_installed_dpkg);
	RUN(test_no_database);
	RUN(test_root_refusal);
	RUN(test_refusal_short_buffer);
	TEST_EXIT();
}
