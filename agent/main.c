#include <getopt.h>

#include "cli.h"
#include "log.h"
#include "text.h"
#include "tt.h"

struct command {
	const char *name;
	int (*run)(struct tt_ctx *ctx, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "write", cmd_write, "write the tattoo of this image" },
	{ "show", cmd_show, "print the tattoo" },
	{ "verify", cmd_verify, "check the tattoo's digest and signature" },
	{ "audit", cmd_audit, "judge the system against a rule profile" },
	{ "rules", cmd_rules, "list rule packs, profiles and rules" },
	{ "harden", cmd_harden, "remediate failing rules, journaled" },
	{ "rollback", cmd_rollback, "undo a harden run from its journal" },
	{ "report", cmd_report, "publish tags and a report, spooled" },
	{ "status", cmd_status, "the last report's state and drift" },
	{ "scrub", cmd_scrub, "find secrets and leftovers before capture" },
	{ "sbom", cmd_sbom, "the image's software bill of materials" },
};

static void
print_usage(FILE *f)
{
	fprintf(f,
	    "usage: tattoo [--root DIR] [--config FILE] [-q] [-v] "
	    "[--no-color] COMMAND [OPTIONS]\n"
	    "       tattoo --version\n"
	    "       tattoo help COMMAND\n\ncommands:\n");
	for (size_t i = 0; i < TT_ARRAY_SIZE(commands); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name,
		    commands[i].summary);
	fprintf(f,
	    "\nexit codes: 0 ok, 1 non-compliant or findings, 2 usage, "
	    "3 input error, 4 environment error\n");
}

static const struct command *
find_command(const char *name)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(commands); i++)
		if (TT_STREQ(commands[i].name, name))
			return &commands[i];
	return NULL;
}

/* An unknown command: the closest name when there is one, and the names,
 * not the whole usage (a typo needs the list, not the options). */
static int
unknown_command(const char *name)
{
	const char *cands[TT_ARRAY_SIZE(commands) + 1], *near;
	char list[256] = "";

	for (size_t i = 0; i < TT_ARRAY_SIZE(commands); i++) {
		cands[i] = commands[i].name;
		if (i > 0)
			strlcat(list, ", ", sizeof(list));
		strlcat(list, commands[i].name, sizeof(list));
	}
	cands[TT_ARRAY_SIZE(commands)] = "help";
	strlcat(list, ", help", sizeof(list));
	if ((near = tt_suggest(name, cands, TT_ARRAY_SIZE(cands))) != NULL)
		tt_error("unknown command '%s'; did you mean '%s'? (commands: "
			 "%s)",
		    name, near, list);
	else
		tt_error("unknown command '%s' (commands: %s)", name, list);
	return TT_EXIT_USAGE;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		TT_GLOBAL_LONGOPTS,
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct tt_ctx ctx = { .root = { .fd = -1 } };
	const struct command *cmd;
	int c, r;

	/* With TZ unset, glibc stats /etc/localtime at every mktime() to see
	 * whether it changed, and libarchive calls mktime() for each zip
	 * member's time: scanning a zip of 100,000 members spent 45% of its
	 * time there.  ":/etc/localtime" is what an unset TZ means, read
	 * once. */
	if (getenv("TZ") == NULL)
		(void)setenv("TZ", ":/etc/localtime", 0);
	/* getopt would quote a bad argument raw on stderr: the error is
	 * tt_ctx_global_option's, through the sanitiser. */
	opterr = 0;
	ctx.argc = argc;
	ctx.argv = argv;
	/* "+": stop at the command name; its options are its own. */
	while ((c = getopt_long(argc, argv, "+" TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		if (tt_ctx_global_option(&ctx, c, optarg))
			continue;
		switch (c) {
		case 'V': printf("tattoo %s\n", TT_VERSION); return TT_EXIT_OK;
		case 'h': print_usage(stdout); return TT_EXIT_OK;
		default: print_usage(stderr); return TT_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		print_usage(stderr);
		return TT_EXIT_USAGE;
	}
	if (TT_STREQ(argv[optind], "help")) {
		char help[] = "--help";
		char *hargv[] = { argv[optind + 1], help, NULL };

		if (optind + 1 >= argc) {
			print_usage(stdout);
			return TT_EXIT_OK;
		}
		if ((cmd = find_command(argv[optind + 1])) == NULL)
			return unknown_command(argv[optind + 1]);
		optind = 0;
		return cmd->run(&ctx, 2, hargv);
	}
	if ((cmd = find_command(argv[optind])) == NULL)
		return unknown_command(argv[optind]);
	argc -= optind;
	argv += optind;
	ctx.argc = argc;
	ctx.argv = argv;
	optind = 0; /* glibc: 0 re-initialises getopt for the command */
	r = cmd->run(&ctx, argc, argv);
	tt_ctx_free(&ctx);
	fflush(stdout);
	if (ferror(stdout)) {
		tt_error("cannot write to standard output");
		return TT_EXIT_ENV;
	}
	return r;
}
