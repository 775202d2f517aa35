#include <errno.h>
#include <unistd.h>

#include "osrelease.h"
#include "tt_test.h"

struct os_case {
	const char *name, *text, *key, *want;
};

static const struct os_case cases[] = {
	{ "plain", "ID=debian\n", "ID", "debian" },
	{ "double quotes", "PRETTY_NAME=\"Debian GNU/Linux 12\"\n",
	    "PRETTY_NAME", "Debian GNU/Linux 12" },
	{ "single quotes keep backslash", "X='a\\$b'\n", "X", "a\\$b" },
	{ "escapes in double quotes", "X=\"a\\\"b\\$c\\\\d\\`e\"\n", "X",
	    "a\"b$c\\d`e" },
	{ "backslash before other char kept", "X=\"a\\nb\"\n", "X",
	    "a\\nb" },
	{ "unquoted escape", "X=a\\ b\n", "X", "a b" },
	{ "comment skipped", "# ID=fedora\nID=rhel\n", "ID", "rhel" },
	{ "later wins", "ID=a\nID=b\n", "ID", "b" },
	{ "crlf", "VERSION_ID=\"22.04\"\r\n", "VERSION_ID", "22.04" },
	{ "leading white space", "  ID=ubuntu\n", "ID", "ubuntu" },
	{ "no final newline", "ID=alma", "ID", "alma" },
	{ "empty value", "VARIANT=\n", "VARIANT", "" },
	{ "unterminated quote skipped", "ID=ok\nID=\"broken\n", "ID", "ok" },
	{ "bad key skipped", "1ID=x\nID-X=y\n", "1ID", NULL },
	{ "line without =", "garbage\nID=x\n", "ID", "x" },
	{ "utf-8", "PRETTY_NAME=\"Débian ✓\"\n", "PRETTY_NAME",
	    "Débian ✓" },
	{ "concatenated quotes", "X=\"a\"'b'\n", "X", "ab" },
};

static void
test_cases(void)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_osrelease os = { 0 };
		const char *got;

		CHECK(tt_osrelease_parse(&os, cases[i].text,
		    strlen(cases[i].text)) == 0);
		got = tt_osrelease_get(&os, cases[i].key);
		if (cases[i].want == NULL) {
			if (got != NULL)
				fprintf(stderr, "# case %s\n", cases[i].name);
			CHECK(got == NULL);
		} else {
			if (got == NULL || strcmp(got, cases[i].want) != 0)
				fprintf(stderr, "# case %s\n", cases[i].name);
			CHECK_STR(got, cases[i].want);
		}
		tt_osrelease_free(&os);
	}
}

static void
write_file(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
}

static void
test_load_order(void)
{
	char *d = tt_test_tmpdir(), path[512];
	struct tt_root root;
	struct tt_osrelease os;

	snprintf(path, sizeof(path), "%s/usr/lib", d);
	CHECK(tt_root_init(&root, d) == 0);
	CHECK(tt_osrelease_load(&os, &root) == -ENOENT);
	CHECK(tt_root_mkdir_p(&root, "/usr/lib", 0755) == 0);
	CHECK(tt_root_mkdir_p(&root, "/etc", 0755) == 0);
	write_file(d, "usr/lib/os-release", "ID=fromusr\n");
	CHECK(tt_osrelease_load(&os, &root) == 0);
	CHECK_STR(tt_osrelease_get(&os, "ID"), "fromusr");
	CHECK_STR(os.source, "/usr/lib/os-release");
	tt_osrelease_free(&os);
	write_file(d, "etc/os-release", "ID=frometc\n");
	CHECK(tt_osrelease_load(&os, &root) == 0);
	CHECK_STR(tt_osrelease_get(&os, "ID"), "frometc");
	tt_osrelease_free(&os);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_absolute_symlink_stays_in_root(void)
{
	char *d = tt_test_tmpdir(), link[512];
	struct tt_root root;
	struct tt_osrelease os;

	/* /etc/os-release -> /usr/lib/os-release must be the image's, not
	 * the host's. */
	CHECK(tt_root_init(&root, d) == 0);
	CHECK(tt_root_mkdir_p(&root, "/usr/lib", 0755) == 0);
	CHECK(tt_root_mkdir_p(&root, "/etc", 0755) == 0);
	write_file(d, "usr/lib/os-release", "ID=image\n");
	snprintf(link, sizeof(link), "%s/etc/os-release", d);
	CHECK(symlink("/usr/lib/os-release", link) == 0);
	CHECK(tt_osrelease_load(&os, &root) == 0);
	CHECK_STR(tt_osrelease_get(&os, "ID"), "image");
	tt_osrelease_free(&os);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_cases);
	RUN(test_load_order);
	RUN(test_absolute_symlink_stays_in_root);
	TEST_EXIT();
}
