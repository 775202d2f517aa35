#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "tt_test.h"

struct bad_case {
	const char *text, *want;
};

static const struct bad_case bad[] = {
	{ "imds_url = x\nnope\n", "agent.conf:2: expected 'key = value'" },
	{ "colour = red\n", "agent.conf:1: unknown key 'colour'" },
	{ "tags = maybe\n", "agent.conf:1: 'tags' must be on or off" },
	{ "collector_format = xml\n", "agent.conf:1: 'collector_format' must" },
	{ "max_tattoo_age_days = -3\n", "agent.conf:1: 'max_tattoo_age_days' "
	    "must be a number" },
	{ "spool_max_bytes = 12abc\n", "agent.conf:1: 'spool_max_bytes'" },
	{ "tags = on\n\n# c\ntags = off\n", "agent.conf:4: key 'tags' is set "
	    "twice" },
};

static void
test_parse_good(void)
{
	static const char text[] =
	    "# comment\n"
	    "\n"
	    "  imds_url = http://127.0.0.1:8080  \n"
	    "tags=off\n"
	    "tag_prefix = \"corp-\"\n"
	    "collector_format = otlp\n"
	    "spool_max_bytes = 1048576\n"
	    "state_dir = /srv/tattoo\n"
	    "max_tattoo_age_days = 30\r\n";
	struct tt_config cfg;
	char err[256] = "";

	tt_config_defaults(&cfg);
	CHECK_STR(cfg.arm_url, "https://management.azure.com");
	CHECK(!cfg.state_dir_is_host);
	CHECK_INT(tt_config_parse(&cfg, "agent.conf", text, strlen(text),
	    err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_STR(cfg.imds_url, "http://127.0.0.1:8080");
	CHECK(!cfg.tags);
	CHECK_STR(cfg.tag_prefix, "corp-");
	CHECK_STR(cfg.collector_format, "otlp");
	CHECK_INT(cfg.spool_max_bytes, 1048576);
	CHECK_STR(cfg.state_dir, "/srv/tattoo");
	CHECK(cfg.state_dir_is_host);
	CHECK_STR(cfg.spool_dir, "/srv/tattoo/spool");
	CHECK_INT(cfg.max_tattoo_age_days, 30);
}

static void
test_parse_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct tt_config cfg;
		char err[256] = "";

		tt_config_defaults(&cfg);
		CHECK(tt_config_parse(&cfg, "agent.conf", bad[i].text,
		    strlen(bad[i].text), err, sizeof(err)) < 0);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fprintf(stderr, "# got '%s'\n", err);
		CHECK(strncmp(err, bad[i].want, strlen(bad[i].want)) == 0);
	}
}

static void
test_nul_and_long_line(void)
{
	struct tt_config cfg;
	char err[256], *big;

	tt_config_defaults(&cfg);
	CHECK(tt_config_parse(&cfg, "c", "tags = on\nx\0y\n", 14, err,
	    sizeof(err)) < 0);
	CHECK(strstr(err, "c:2: NUL byte") != NULL);
	big = malloc(10000);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	CHECK(tt_config_parse(&cfg, "c", big, strlen(big), err,
	    sizeof(err)) < 0);
	CHECK(strstr(err, "c:1: line longer") != NULL);
	free(big);
}

static void
test_env_overrides(void)
{
	struct tt_config cfg;
	char err[256];

	tt_config_defaults(&cfg);
	setenv("TATTOO_TAG_PREFIX", "env-", 1);
	setenv("TATTOO_SPOOL_DIR", "/var/spool/x", 1);
	CHECK_INT(tt_config_apply_env(&cfg, err, sizeof(err)), 0);
	CHECK_STR(cfg.tag_prefix, "env-");
	CHECK(cfg.spool_dir_is_host);
	setenv("TATTOO_TAGS", "sometimes", 1);
	CHECK(tt_config_apply_env(&cfg, err, sizeof(err)) < 0);
	CHECK(strstr(err, "TATTOO_TAGS") != NULL);
	unsetenv("TATTOO_TAGS");
	unsetenv("TATTOO_TAG_PREFIX");
	unsetenv("TATTOO_SPOOL_DIR");
}

static void
write_conf(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || write(fd, text, strlen(text)) < 0) {
		perror(path);
		exit(2);
	}
	fchmod(fd, mode);
	close(fd);
}

static void
test_load_file_and_env_wins(void)
{
	char *d = tt_test_tmpdir(), path[512], err[512];
	struct tt_root root;
	struct tt_config cfg;

	CHECK_INT(tt_root_init(&root, d), 0);
	/* A missing default file is no error. */
	CHECK_INT(tt_config_load(&cfg, &root, TT_DEFAULT_CONFIG, true, err,
	    sizeof(err)), 0);
	CHECK_INT(tt_root_mkdir_p(&root, "/etc/tattoo", 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/tattoo/agent.conf", d);
	write_conf(path, "tag_prefix = file-\ntags = off\n", 0644);
	setenv("TATTOO_TAGS", "on", 1);
	CHECK_INT(tt_config_load(&cfg, &root, TT_DEFAULT_CONFIG, true, err,
	    sizeof(err)), 0);
	CHECK_STR(cfg.tag_prefix, "file-");
	CHECK(cfg.tags);
	unsetenv("TATTOO_TAGS");
	/* A missing named file is an error naming it. */
	CHECK(tt_config_load(&cfg, &root, "/nonexistent/agent.conf", false,
	    err, sizeof(err)) < 0);
	CHECK(strstr(err, "/nonexistent/agent.conf") != NULL);
	tt_root_close(&root);
	free(d);
}

static void
test_insecure_permissions(void)
{
	char *d = tt_test_tmpdir(), path[512], err[512];
	struct tt_root root;
	struct tt_config cfg;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_root_mkdir_p(&root, "/etc/tattoo", 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/tattoo/agent.conf", d);
	write_conf(path, "tags = off\n", 0666);
	CHECK_INT(tt_config_load(&cfg, &root, TT_DEFAULT_CONFIG, true, err,
	    sizeof(err)), -EPERM);
	CHECK(strstr(err, "world-writable") != NULL);
	CHECK(strstr(err, "agent.conf") != NULL);
	write_conf(path, "tags = off\n", 0620);
	CHECK_INT(tt_config_load(&cfg, &root, TT_DEFAULT_CONFIG, true, err,
	    sizeof(err)), -EPERM);
	if (geteuid() == 0) {
		write_conf(path, "tags = off\n", 0644);
		CHECK(chown(path, 65534, 65534) == 0);
		CHECK_INT(tt_config_load(&cfg, &root, TT_DEFAULT_CONFIG, true,
		    err, sizeof(err)), -EPERM);
		CHECK(strstr(err, "owned by uid 65534") != NULL);
	}
	tt_root_close(&root);
	free(d);
}

int
main(void)
{
	RUN(test_parse_good);
	RUN(test_parse_bad);
	RUN(test_nul_and_long_line);
	RUN(test_env_overrides);
	RUN(test_load_file_and_env_wins);
	RUN(test_insecure_permissions);
	TEST_EXIT();
}
