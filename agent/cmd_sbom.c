#include "cli.h"
#include "fileio.h"
#include "log.h"
#include "sbom.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo sbom [--format cyclonedx|spdx] [--output FILE]\n"
    "       tattoo sbom --diff OLD NEW [--json]\n"
    "\n"
    "Prints a software bill of materials of the image (inside --root):\n"
    "every installed package of its dpkg or rpm database with its purl,\n"
    "the OS, and the tattoo's image as the subject.  SOURCE_DATE_EPOCH\n"
    "sets its timestamp.  --diff compares two SBOMs (CycloneDX or SPDX\n"
    "JSON files of this host): packages added, removed and changed.\n"
    "\n"
    "  --format F     cyclonedx (CycloneDX 1.6 JSON, the default) or spdx\n"
    "                 (SPDX 2.3 JSON)\n"
    "  --output FILE  write to FILE (a host path, atomically), not stdout\n"
    "  --diff         compare the SBOM files OLD and NEW\n"
    "  --json         --diff's result as JSON\n"
    "\n"
    "Exit: 0 done, 2 usage, 3 an unreadable database or SBOM file,\n"
    "4 no rpm program to read an rpm database.\n";

enum { OPT_FORMAT = TT_OPT_FIRST_COMMAND_OPT, OPT_OUTPUT, OPT_DIFF, OPT_JSON };

static int
emit(const char *output, const char *text)
{
	size_t n = strlen(text);

	if (output != NULL)
		return tt_atomic_write(NULL, output, text, n, 0644);
	if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0)
		return -EIO;
	return 0;
}

int
cmd_sbom(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "diff", no_argument, NULL, OPT_DIFF },
		{ "json", no_argument, NULL, OPT_JSON },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	enum tt_sbom_format fmt = TT_SBOM_CYCLONEDX;
	const char *output = NULL;
	bool diff = false, json = false;
	char err[1024] = "", *text = NULL;
	time_t when;
	int c, r, rc, stop;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_FORMAT:
			if (TT_STREQ(optarg, "cyclonedx")) {
				fmt = TT_SBOM_CYCLONEDX;
			} else if (TT_STREQ(optarg, "spdx")) {
				fmt = TT_SBOM_SPDX;
			} else {
				tt_error("sbom: --format: cyclonedx or spdx");
				return TT_EXIT_USAGE;
			}
			break;
		case OPT_OUTPUT: output = optarg; break;
		case OPT_DIFF: diff = true; break;
		case OPT_JSON: json = true; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (diff ? argc - optind != 2 : (optind < argc || json))
		return tt_usage(usage, true);
	if (diff) {
		r = tt_sbom_diff(argv[optind], argv[optind + 1], json, &text,
		    err, sizeof(err));
	} else {
		if ((rc = tt_ctx_setup(ctx)) != 0)
			return rc;
		r = tt_sbom_time(&when, err, sizeof(err));
		if (r == 0)
			r = tt_sbom_generate(&ctx->root, fmt, when, &text, err,
			    sizeof(err));
	}
	if (r < 0) {
		tt_error("sbom: %s", err[0] ? err : tt_strerror(r));
		return r == -ENOMEM	  ? TT_EXIT_ENV :
		    r == -ENOENT && !diff ? TT_EXIT_ENV :
					    TT_EXIT_INPUT;
	}
	if ((r = emit(output, text)) < 0) {
		tt_error("sbom: cannot write %s: %s",
		    output ? output : "stdout", tt_strerror(r));
		free(text);
		return TT_EXIT_ENV;
	}
	free(text);
	return TT_EXIT_OK;
}
