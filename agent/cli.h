/*
 * What every command shares: the global options (accepted before the
 * command and after it, as DESIGN.md's "tattoo audit --root DIR" shows),
 * the opened root, and the loaded configuration.  A command parses its
 * options, calls tt_ctx_setup, calls library code, prints, and returns
 * its exit code; nothing else in the program prints or exits.
 */
#ifndef TT_CLI_H
#define TT_CLI_H

#include <getopt.h>
#include <stdbool.h>

#include "config.h"
#include "outputs.h"
#include "rootfs.h"

struct tt_ctx {
	const char *root_dir; /* --root, NULL for "/" */
	const char *config_path; /* --config, NULL: TATTOO_CONFIG or the
				    host's /etc/tattoo/agent.conf */
	bool color; /* colour on stdout */
	bool no_color;
	/* -q, -v: the last one given, before the command or after it. */
	bool quiet, verbose;
	struct tt_root root;
	struct tt_config cfg;
	bool ready;
	/* The arguments getopt is reading, for tt_ctx_global_option to quote
	 * a bad one: getopt's own messages (opterr) are off, as they print
	 * the argument raw to the terminal. */
	char **argv;
	int argc;
};

enum {
	TT_OPT_ROOT = 0x1000,
	TT_OPT_CONFIG,
	TT_OPT_NO_COLOR,
	TT_OPT_FIRST_COMMAND_OPT =
	    0x1100, /* commands number theirs from here */
};

/* Long options every command accepts; end a command's table with these. */
#define TT_GLOBAL_LONGOPTS                                                     \
	{ "root", required_argument, NULL, TT_OPT_ROOT },                      \
	    { "config", required_argument, NULL, TT_OPT_CONFIG },              \
	    { "quiet", no_argument, NULL, 'q' },                               \
	    { "verbose", no_argument, NULL, 'v' },                             \
	    { "no-color", no_argument, NULL, TT_OPT_NO_COLOR },                \
	{                                                                      \
		"help", no_argument, NULL, 'h'                                 \
	}
#define TT_GLOBAL_SHORTOPTS "qvh"

/* Handles a global option; true when opt was one.  For '?' (an unknown
 * option or a missing argument) it logs the error, quoting the argument
 * escaped, and returns false: the caller prints its usage. */
bool tt_ctx_global_option(struct tt_ctx *ctx, int opt, const char *arg);

/* The tail every command's option loop shares, for an option the command
 * does not take itself: --help prints usage and ends the command, a global
 * option is taken (TT_OPT_NEXT: go on reading), anything else is a usage
 * error.  Returns TT_OPT_NEXT or the exit code to return. */
#define TT_OPT_NEXT (-1)
int
tt_ctx_option(struct tt_ctx *ctx, int opt, const char *arg, const char *usage);

/* Opens the root and loads the configuration, logging why on failure.
 * Returns 0 or an exit code (TT_EXIT_INPUT, TT_EXIT_ENV). */
int tt_ctx_setup(struct tt_ctx *ctx);

void tt_ctx_free(struct tt_ctx *ctx);

/* Prints usage to stdout (for --help) or stderr (after a usage error) and
 * returns the matching exit code. */
int tt_usage(const char *text, bool error);

/* COMMAND's --output ARG added to OUTS: 0, or the exit code with the
 * reason logged (TT_EXIT_USAGE for a bad argument, TT_EXIT_ENV out of
 * memory). */
int tt_cli_output_option(struct tt_outputs *outs, const char *command,
    const char *arg);

/* Writes every output of one result: 0, or TT_EXIT_ENV with each failure
 * logged naming its file (the others are still written). */
int tt_cli_write_outputs(struct tt_outputs *outs,
    const struct tt_format_input *in, const char *command);

/* The configured default profile (`profile`), or NULL for the one chosen
 * from the root's os-release. */
const char *tt_ctx_profile(const struct tt_ctx *ctx);

/* The configured tailoring file (`tailoring`, a host path), or NULL. */
const char *tt_ctx_tailoring(const struct tt_ctx *ctx);

/*
 * Where harden, scrub --apply and rollback keep the journal: under --root
 * the fixed image path /var/lib/tattoo/journal inside the image
 * (*ret_root = the image root), on a live system state_dir/journal
 * (*ret_root = NULL, a host path).  The key that authenticates it is
 * always the host's state_dir/journal.key.  0 or -ENAMETOOLONG.
 */
int tt_ctx_journal_dir(struct tt_ctx *ctx, const struct tt_root **ret_root,
    char *dir, size_t dirlen);

/* The commands; each in agent/cmd_<name>.c. */
int cmd_write(struct tt_ctx *ctx, int argc, char **argv);
int cmd_show(struct tt_ctx *ctx, int argc, char **argv);
int cmd_verify(struct tt_ctx *ctx, int argc, char **argv);
int cmd_harden(struct tt_ctx *ctx, int argc, char **argv);
int cmd_rollback(struct tt_ctx *ctx, int argc, char **argv);
int cmd_audit(struct tt_ctx *ctx, int argc, char **argv);
int cmd_rules(struct tt_ctx *ctx, int argc, char **argv);
int cmd_report(struct tt_ctx *ctx, int argc, char **argv);
int cmd_status(struct tt_ctx *ctx, int argc, char **argv);
int cmd_scrub(struct tt_ctx *ctx, int argc, char **argv);
int cmd_sbom(struct tt_ctx *ctx, int argc, char **argv);

#endif
