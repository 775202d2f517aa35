#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "journal.h"
#include "log.h"
#include "tt.h"
#include "tt_test.h"

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, 0600);
}

/* Nothing from the test's environment decides the configuration. */
static void
clean_env(void)
{
	extern char **environ;

	for (size_t i = 0; environ[i] != NULL;)
		if (strncmp(environ[i], "TATTOO_", 7) == 0) {
			char name[128];
			size_t n = strcspn(environ[i], "=");

			snprintf(name, sizeof(name), "%.*s", (int)n,
			    environ[i]);
			unsetenv(name);
		} else {
			i++;
		}
}

/* argv through getopt_long with the global options only, as a command
 * with none of its own reads them; the number it refused. */
static int
parse(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 } };
	int opt, refused = 0;

	optind = 0; /* glibc: a full reset */
	opterr = 0;
	ctx->argv = argv;
	ctx->argc = argc;
	while ((opt = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1)
		if (!tt_ctx_global_option(ctx, opt, optarg))
			refused++;
	return refused;
}

/* The global options, before and between a command's arguments. */
static void
test_global_options(void)
{
	static const struct {
		const char *args[6];
		const char *root, *config;
		bool no_color;
		int refused;
	} cases[] = {
		{ { "x", "--root", "/img", NULL }, "/img", NULL, false, 0 },
		{ { "x", "--config=/c", "--no-color", NULL }, NULL, "/c", true,
		    0 },
		{ { "x", "arg", "--root=/r", "--config", "/k", NULL }, "/r",
		    "/k", false, 0 },
		{ { "x", "-q", "-v", NULL }, NULL, NULL, false, 0 },
		{ { "x", "--bogus", NULL }, NULL, NULL, false, 1 },
		{ { "x", "-Z", "--root", NULL }, NULL, NULL, false, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_ctx ctx;
		char *argv[6];
		int argc = 0;

		memset(&ctx, 0, sizeof(ctx));
		for (; cases[i].args[argc] != NULL; argc++)
			argv[argc] = (char *)cases[i].args[argc];
		argv[argc] = NULL;
		/* the refusals' messages are expected: not shown */
		tt_log_set_level(
		    cases[i].refused ? TT_LOG_ERROR - 1 : TT_LOG_INFO);
		CHECK_INT(parse(&ctx, argc, argv), cases[i].refused);
		if (cases[i].root)
			CHECK_STR(ctx.root_dir, cases[i].root);
		else
			CHECK(ctx.root_dir == NULL);
		if (cases[i].config)
			CHECK_STR(ctx.config_path, cases[i].config);
		else
			CHECK(ctx.config_path == NULL);
		CHECK(ctx.no_color == cases[i].no_color);
	}
	tt_log_set_level(TT_LOG_INFO);
}

/* tt_ctx_setup on a temporary root: the configuration named by
 * --config, else by TATTOO_CONFIG; a missing root or configuration is
 * the exit code the command returns. */
static void
test_setup(void)
{
	char *d = tt_test_tmpdir();
	char root[512], conf[512], other[512], missing[512];

	snprintf(root, sizeof(root), "%s/img", d);
	snprintf(conf, sizeof(conf), "%s/agent.conf", d);
	snprintf(other, sizeof(other), "%s/env.conf", d);
	snprintf(missing, sizeof(missing), "%s/absent.conf", d);
	CHECK_INT(mkdir(root, 0755), 0);
	write_file(conf, "profile = from-option\nstate_dir = /st\n");
	write_file(other, "profile = from-env\n");

	const struct {
		const char *root, *config, *env;
		int want;
		const char *profile;
	} cases[] = {
		{ root, conf, NULL, 0, "from-option" },
		{ root, conf, other, 0, "from-option" }, /* --config wins */
		{ root, NULL, other, 0, "from-env" },
		{ root, missing, NULL, TT_EXIT_INPUT, NULL },
		{ root, NULL, missing, TT_EXIT_INPUT, NULL },
		{ missing, conf, NULL, TT_EXIT_USAGE, NULL },
		{ conf, conf, NULL, TT_EXIT_USAGE, NULL }, /* not a dir */
	};

	tt_log_set_level(TT_LOG_ERROR - 1); /* the refusals are expected */
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct tt_ctx ctx;

		clean_env();
		if (cases[i].env)
			setenv(TT_CONFIG_ENV, cases[i].env, 1);
		memset(&ctx, 0, sizeof(ctx));
		ctx.root_dir = cases[i].root;
		ctx.config_path = cases[i].config;
		ctx.no_color = true;
		CHECK_INT(tt_ctx_setup(&ctx), cases[i].want);
		CHECK(ctx.ready == (cases[i].want == 0));
		CHECK(!ctx.color);
		if (cases[i].profile)
			CHECK_STR(tt_ctx_profile(&ctx), cases[i].profile);
		if (ctx.ready) {
			const struct tt_root *jroot = NULL;
			char jdir[256];

			/* an image's journal is in the image, at a fixed
			 * path; the state root is the host's */
			CHECK_INT(tt_ctx_journal_dir(&ctx, &jroot, jdir,
				      sizeof(jdir)),
			    0);
			CHECK(jroot == &ctx.root);
			CHECK_STR(jdir, TT_JOURNAL_IMAGE_DIR);
			tt_ctx_free(&ctx);
		} else if (cases[i].want != TT_EXIT_USAGE) {
			tt_ctx_free(&ctx);
		}
	}
	clean_env();
	tt_log_set_level(TT_LOG_INFO);
	tt_test_rmtree(d);
	free(d);
}

/* The image's own agent.conf: its profile is used when the host sets
 * none, and every other key in it is named in a note, not obeyed. */
static void
test_image_conf(void)
{
	static const struct {
		const char *host, *image;
		const char *profile; /* NULL: none */
		const char *note; /* a substring; "" for no note */
	} cases[] = {
		{ "", "profile = img-prof\n", "img-prof", "" },
		{ "profile = host-prof\n", "profile = img-prof\n", "host-prof",
		    "" },
		{ "", "profile = p\ncollector_url = http://evil\n", "p",
		    "'collector_url'" },
		{ "", "profile = a\nprofile = b\n", NULL, "set twice" },
		{ "", "profile = ../../x\n", NULL, "not a profile id" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *d = tt_test_tmpdir();
		char path[512], conf[512];
		struct tt_ctx ctx;

		snprintf(path, sizeof(path), "%s/etc", d);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/etc/tattoo", d);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/etc/tattoo/agent.conf", d);
		write_file(path, cases[i].image);
		snprintf(conf, sizeof(conf), "%s/host.conf", d);
		write_file(conf, cases[i].host);
		clean_env();
		memset(&ctx, 0, sizeof(ctx));
		ctx.root_dir = d;
		ctx.config_path = conf;
		tt_log_set_level(TT_LOG_ERROR - 1); /* the note's warning */
		CHECK_INT(tt_ctx_setup(&ctx), 0);
		tt_log_set_level(TT_LOG_INFO);
		if (cases[i].profile)
			CHECK_STR(tt_ctx_profile(&ctx), cases[i].profile);
		else
			CHECK(tt_ctx_profile(&ctx) == NULL);
		if (cases[i].note[0] == '\0')
			CHECK_STR(ctx.cfg.image_note, "");
		else
			CHECK(
			    strstr(ctx.cfg.image_note, cases[i].note) != NULL);
		tt_ctx_free(&ctx);
		tt_test_rmtree(d);
		free(d);
	}
}

/* --output and the writing of the outputs, as audit and scrub take them:
 * a bad argument is a usage error, and an output that cannot be written
 * is an environment error that does not stop the others. */
static void
test_outputs(void)
{
	static const char doc_text[] =
	    "{\"schema\":1,\"profile\":\"cis-l1-server\",\"summary\":"
	    "{\"pass\":0,\"fail\":0,\"error\":0,\"notapplicable\":0,"
	    "\"manual\":0,\"score\":100},\"results\":[]}";
	char *d = tt_test_tmpdir(), a[512], b[512], path[512], err[512];
	json_object *doc = json_tokener_parse(doc_text);
	struct tt_format_input in = { .doc = doc };
	struct tt_outputs o;

	CHECK(doc != NULL);
	tt_log_set_level(TT_LOG_ERROR - 1); /* the errors are expected */
	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(tt_cli_output_option(&o, "audit", "jsn:x.json"),
	    TT_EXIT_USAGE);
	snprintf(a, sizeof(a), "json:%s/a.json", d);
	snprintf(b, sizeof(b), "json:%s/no/such/dir/b.json", d);
	CHECK_INT(tt_cli_output_option(&o, "audit", a), 0);
	CHECK_INT(tt_cli_output_option(&o, "audit", b), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	CHECK_INT(tt_cli_write_outputs(&o, &in, "audit"), TT_EXIT_ENV);
	snprintf(path, sizeof(path), "%s/a.json", d);
	CHECK(access(path, F_OK) == 0);
	CHECK_INT(o.n, 2);
	if (o.n == 2) {
		CHECK_INT(o.v[0].error, 0);
		CHECK(o.v[1].error < 0);
	}
	tt_outputs_free(&o);

	tt_outputs_init(&o, TT_FORMAT_AUDIT);
	CHECK_INT(tt_cli_output_option(&o, "scrub", a), 0);
	CHECK_INT(tt_outputs_finish(&o, NULL, false, err, sizeof(err)), 0);
	CHECK_INT(tt_cli_write_outputs(&o, &in, "scrub"), 0);
	tt_outputs_free(&o);
	tt_log_set_level(TT_LOG_INFO);
	json_object_put(doc);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_global_options);
	RUN(test_setup);
	RUN(test_image_conf);
	RUN(test_outputs);
	TEST_EXIT();
}
