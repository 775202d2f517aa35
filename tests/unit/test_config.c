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
	CHECK_INT(tt_config_parse(&cfg, "agent.conf", text, strlen(text),
	    err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_STR(cfg.imds_url, "http://127.0.0.1:8080");
	CHECK(!cfg.tags);
	CHECK_STR(cfg.tag_prefix, "corp-");
	CHECK_STR(cfg.collector_format, "otlp");
	CHECK_INT(cfg.spool_max_bytes, 1048576);
	CHECK_STR(cfg.state_dir, "/srv/tattoo");
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
	CHECK(cfg.spool_dir_set);
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
	snprintf(path, sizeof(path), "%s/host.conf", d);
	/* A missing host file is no error unless it was named. */
	CHECK_INT(tt_config_load(&cfg, &root, path, false, err, sizeof(err)),
	    0);
	CHECK_STR(cfg.loaded_from, "");
	write_conf(path, "tag_prefix = file-\ntags = off\n", 0644);
	setenv("TATTOO_TAGS", "on", 1);
	CHECK_INT(tt_config_load(&cfg, &root, path, false, err, sizeof(err)),
	    0);
	CHECK_STR(cfg.tag_prefix, "file-");
	CHECK(cfg.tags);
	CHECK_STR(cfg.loaded_from, path);
	unsetenv("TATTOO_TAGS");
	/* A missing named file is an error naming it. */
	CHECK(tt_config_load(&cfg, &root, "/nonexistent/agent.conf", true,
	    err, sizeof(err)) < 0);
	CHECK(strstr(err, "/nonexistent/agent.conf") != NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_insecure_permissions(void)
{
	char *d = tt_test_tmpdir(), path[512], err[512];
	struct tt_root root;
	struct tt_config cfg;

	CHECK_INT(tt_root_init(&root, d), 0);
	snprintf(path, sizeof(path), "%s/agent.conf", d);
	write_conf(path, "tags = off\n", 0666);
	CHECK_INT(tt_config_load(&cfg, &root, path, true, err, sizeof(err)),
	    -EPERM);
	CHECK(strstr(err, "world-writable") != NULL);
	CHECK(strstr(err, "agent.conf") != NULL);
	write_conf(path, "tags = off\n", 0620);
	CHECK_INT(tt_config_load(&cfg, &root, path, false, err, sizeof(err)),
	    -EPERM);
	if (geteuid() == 0) {
		write_conf(path, "tags = off\n", 0644);
		CHECK(chown(path, 65534, 65534) == 0);
		CHECK_INT(tt_config_load(&cfg, &root, path, true, err,
		    sizeof(err)), -EPERM);
		CHECK(strstr(err, "owned by uid 65534") != NULL);
	}
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

struct image_case {
	const char *text;
	int want;
	const char *profile, *note; /* note: a substring, "" for none */
};

static const struct image_case image_cases[] = {
	{ "# only a profile\nprofile = cis-rhel9-l1\n", 0, "cis-rhel9-l1",
	    "" },
	{ "profile = \"corp:base\"\n", 0, "corp:base", "" },
	{ "", 0, "", "" },
	/* Every other key: ignored, all named in one note with its line. */
	{ "# x\n\nimds_url = http://127.0.0.1:1\nprofile = p1\n"
	  "state_dir = /tmp/x\ncollector_token_file = /etc/shadow\n",
	    0, "p1",
	    "IMG/etc/tattoo/agent.conf:3: under --root an image may set "
	    "only 'profile'; ignored: 'imds_url' (line 3), 'state_dir' "
	    "(line 5), 'collector_token_file' (line 6)" },
	/* An unknown key is one more key an image may not set. */
	{ "frobnicate = 1\n", 0, "", "agent.conf:1: under --root" },
	/* A bad value of an ignored key is not looked at. */
	{ "tags = perhaps\nspool_max_bytes = -1\nprofile = x\n", 0, "x",
	    "'tags' (line 1), 'spool_max_bytes' (line 2)" },
	/* Malformed: the whole file is ignored, profile included. */
	{ "profile = a\nnonsense\n", -EINVAL, "",
	    "agent.conf:2: expected 'key = value': the image's "
	    "configuration is ignored" },
	{ "profile = a\nprofile = b\n", -EINVAL, "",
	    "agent.conf:2: key 'profile' is set twice" },
	{ "profile = ../../etc/x\n", -EINVAL, "",
	    "agent.conf:1: 'profile' is not a profile id" },
	{ "profile = a b\n", -EINVAL, "", "is not a profile id" },
	{ "profile = \033[2J\n", -EINVAL, "", "is not a profile id" },
};

static void
test_image_filter(void)
{
	for (size_t i = 0; i < sizeof(image_cases) / sizeof(image_cases[0]);
	     i++) {
		const struct image_case *c = &image_cases[i];
		char profile[128] = "junk", note[1024] = "junk";

		CHECK_INT(tt_config_parse_image("IMG/etc/tattoo/agent.conf",
		    c->text, strlen(c->text), profile, sizeof(profile), note,
		    sizeof(note)), c->want);
		CHECK_STR(profile, c->profile);
		if (c->note[0] == '\0')
			CHECK_STR(note, "");
		else if (strstr(note, c->note) == NULL) {
			fprintf(stderr, "# case %zu: got '%s'\n", i, note);
			CHECK(strstr(note, c->note) != NULL);
		}
	}
}

static void
test_image_limits(void)
{
	char profile[16], note[256], *big;

	/* NUL byte and overlong line: ignored with the line named. */
	CHECK_INT(tt_config_parse_image("c", "profile = a\nx\0y\n", 15,
	    profile, sizeof(profile), note, sizeof(note)), -EINVAL);
	CHECK(strstr(note, "c:2: NUL byte") != NULL);
	big = malloc(10000);
	memset(big, 'a', 9999);
	big[9999] = '\0';
	CHECK_INT(tt_config_parse_image("c", big, strlen(big), profile,
	    sizeof(profile), note, sizeof(note)), -EINVAL);
	CHECK(strstr(note, "c:1: line longer") != NULL);
	free(big);
	/* A profile longer than the field. */
	CHECK_INT(tt_config_parse_image("c", "profile = 0123456789abcdef\n",
	    27, profile, sizeof(profile), note, sizeof(note)), -EINVAL);
	CHECK_STR(profile, "");
	/* Many ignored keys: one note, cut to its buffer, terminated. */
	{
		static const char line[] =
		    "arm_url = https://attacker.example\n";

		big = malloc(200 * (sizeof(line) - 1) + 1);
		for (int k = 0; k < 200; k++)
			memcpy(big + k * (sizeof(line) - 1), line,
			    sizeof(line) - 1);
		big[200 * (sizeof(line) - 1)] = '\0';
	}
	CHECK_INT(tt_config_parse_image("c", big, strlen(big), profile,
	    sizeof(profile), note, sizeof(note)), 0);
	CHECK(strlen(note) < sizeof(note));
	CHECK(strncmp(note, "c:1: under --root", 17) == 0);
	free(big);
}

static void
test_load_image(void)
{
	char *d = tt_test_tmpdir(), img[512], host[512], path[600], err[512];
	struct tt_root root;
	struct tt_config cfg;

	snprintf(img, sizeof(img), "%s/img", d);
	snprintf(host, sizeof(host), "%s/host.conf", d);
	CHECK(mkdir(img, 0755) == 0);
	CHECK_INT(tt_root_init(&root, img), 0);
	CHECK_INT(tt_root_mkdir_p(&root, "/etc/tattoo", 0755), 0);
	snprintf(path, sizeof(path), "%s/etc/tattoo/agent.conf", img);
	write_conf(path,
	    "imds_url = http://127.0.0.1:1\narm_url = https://evil\n"
	    "state_dir = /tmp/evil\nspool_dir = /tmp/evil/spool\n"
	    "ca_file = /etc/shadow\nprofile = img-profile\n",
	    0644);
	write_conf(host, "tag_prefix = host-\n", 0644);

	/* Only the profile comes from the image; one note names the rest. */
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.tag_prefix, "host-");
	CHECK_STR(cfg.imds_url, "http://169.254.169.254");
	CHECK_STR(cfg.arm_url, "https://management.azure.com");
	CHECK_STR(cfg.state_dir, TT_DEFAULT_STATE_DIR);
	CHECK_STR(cfg.spool_dir, TT_DEFAULT_STATE_DIR "/spool");
	CHECK_STR(cfg.ca_file, "");
	CHECK(!cfg.spool_dir_set);
	CHECK_STR(cfg.profile, "img-profile");
	CHECK_STR(cfg.profile_from, path);
	CHECK(strstr(cfg.image_note, path) != NULL);
	CHECK(strstr(cfg.image_note, "'imds_url' (line 1)") != NULL);
	CHECK(strstr(cfg.image_note, "'ca_file' (line 5)") != NULL);

	/* The host's profile wins: in its file, or in its environment. */
	write_conf(host, "profile = host-profile\n", 0644);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.profile, "host-profile");
	CHECK_STR(cfg.profile_from, "");
	write_conf(host, "", 0644);
	setenv("TATTOO_PROFILE", "env-profile", 1);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.profile, "env-profile");
	unsetenv("TATTOO_PROFILE");

	/* A broken or insecure image file is a note, never an error. */
	write_conf(path, "profile = a\ngarbage\n", 0644);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.profile, "");
	CHECK(strstr(cfg.image_note, "agent.conf:2: expected") != NULL);
	write_conf(path, "profile = a\n", 0666);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.profile, "");
	CHECK(strstr(cfg.image_note, "world-writable") != NULL);
	CHECK(strstr(cfg.image_note, "ignored") != NULL);
	/* A symlink out of the image resolves inside it: absent there. */
	CHECK(unlink(path) == 0);
	CHECK(symlink(host, path) == 0);
	write_conf(host, "profile = from-host-file\n", 0644);
	CHECK_INT(tt_config_load(&cfg, &root, "/nonexistent", false, err,
	    sizeof(err)), 0);
	CHECK_STR(cfg.profile, "");
	CHECK_STR(cfg.image_note, "");
	/* No image file at all: nothing to say. */
	CHECK(unlink(path) == 0);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.image_note, "");
	tt_root_close(&root);

	/* A live system ("/") has no image file to read. */
	CHECK_INT(tt_root_init(&root, "/"), 0);
	CHECK_INT(tt_config_load(&cfg, &root, host, true, err, sizeof(err)), 0);
	CHECK_STR(cfg.image_note, "");
	CHECK_STR(cfg.profile_from, "");
	tt_root_close(&root);
	tt_test_rmtree(d);
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
	RUN(test_image_filter);
	RUN(test_image_limits);
	RUN(test_load_image);
	TEST_EXIT();
}
