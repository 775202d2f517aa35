#include "cli.h"
#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "tattoo.h"
#include "term.h"
#include "text.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo show [--json | --field NAME]\n"
    "\n"
    "Prints the tattoo of this image (inside --root).\n"
    "\n"
    "  --json         the tattoo as written\n"
    "  --field NAME   one value by its dotted name, e.g. image.version\n"
    "\n"
    "Exit: 0 shown, 1 this tattoo lacks the field, 2 no tattoo or usage\n"
    "(a field the tattoo format does not have), 3 unreadable.\n";

enum { OPT_JSON = TT_OPT_FIRST_COMMAND_OPT, OPT_FIELD };

/* The tattoo's members (docs/schema/tattoo.schema.json): a --field outside
 * them is a typo, a usage error; one inside them that this tattoo lacks
 * (no signature, no parent) is exit 1, for scripts to test. */
static const char *const members[] = { "schema", "agent_version", "source",
	"os", "image", "build", "baseline", "parent", "parent_verified", "sbom",
	"lineage_truncated", "digest", "signature" };

/* 0, or TT_EXIT_USAGE said when field's first name is no member. */
static int
check_field(const char *field)
{
	size_t len = strcspn(field, ".");
	char head[64], list[512] = "";
	const char *near;

	for (size_t i = 0; i < TT_ARRAY_SIZE(members); i++) {
		if (strlen(members[i]) == len &&
		    strncmp(members[i], field, len) == 0)
			return 0;
		strlcat(list, i > 0 ? ", " : "", sizeof(list));
		strlcat(list, members[i], sizeof(list));
	}
	snprintf(head, sizeof(head), "%.*s", (int)len, field);
	if ((near = tt_suggest(head, members, TT_ARRAY_SIZE(members))) != NULL)
		tt_error("show: --field '%s': the tattoo has no member '%s'; "
			 "did you mean '%s'? (members: %s)",
		    field, head, near, list);
	else
		tt_error("show: --field '%s': the tattoo has no member '%s' "
			 "(members: %s)",
		    field, head, list);
	return TT_EXIT_USAGE;
}

static const char *
str_at(json_object *t, const char *path)
{
	json_object *v = tt_json_path(t, path);

	if (v == NULL || json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return "";
	return json_object_get_string(v);
}

/* The baseline's pending security updates: "N pending security updates
 * (metadata of DATE)" or "unknown: WHY"; "" in tattoos without them. */
static void
updates_text(json_object *t, char *buf, size_t len)
{
	const char *date = str_at(t, "baseline.security_updates.metadata_date");

	buf[0] = '\0';
	if (tt_json_path(t, "baseline.security_updates.error") != NULL)
		snprintf(buf, len, "unknown: %s",
		    str_at(t, "baseline.security_updates.error"));
	else if (tt_json_path(t, "baseline.security_updates.pending") != NULL)
		snprintf(buf, len, "%s pending security updates%s%s%s",
		    str_at(t, "baseline.security_updates.pending"),
		    date[0] ? " (metadata of " : "", date, date[0] ? ")" : "");
}

/* Values come from the image: tt_term_fprintf escapes them (term.h), so
 * no escape sequence reaches the terminal. */
static void
line(const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	tt_term_fprintf(stdout, "%-14s %s\n", label, value);
}

static void
parent_signer(json_object *child, json_object *p, char *buf, size_t len);

static void
print_text(json_object *t)
{
	char buf[1024];
	json_object *p, *child;
	int generations = 0;

	snprintf(buf, sizeof(buf), "%s %s", str_at(t, "image.name"),
	    str_at(t, "image.version"));
	line("image", buf);
	line("published", str_at(t, "image.published"));
	line("gallery", str_at(t, "image.gallery"));
	if (str_at(t, "source.publisher")[0] != '\0') {
		snprintf(buf, sizeof(buf), "%s:%s:%s:%s",
		    str_at(t, "source.publisher"), str_at(t, "source.offer"),
		    str_at(t, "source.sku"), str_at(t, "source.version"));
		line("source", buf);
	} else if (str_at(t, "source.id")[0] == '\0') {
		line("source", "unknown");
	}
	line("source id", str_at(t, "source.id"));
	snprintf(buf, sizeof(buf), "%s (%s %s)", str_at(t, "os.pretty_name"),
	    str_at(t, "os.id"), str_at(t, "os.version_id"));
	line("os", buf);
	line("kernel", str_at(t, "os.kernel"));
	line("build", str_at(t, "build.id"));
	line("template", str_at(t, "build.template"));
	line("pipeline", str_at(t, "build.pipeline_url"));
	line("builder", str_at(t, "build.builder"));
	if (tt_json_path(t, "baseline") != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s pass, %s fail, score %s%%",
		    str_at(t, "baseline.profile"),
		    str_at(t, "baseline.summary.pass"),
		    str_at(t, "baseline.summary.fail"),
		    str_at(t, "baseline.score"));
		line("baseline", buf);
		updates_text(t, buf, sizeof(buf));
		line("updates", buf);
	}
	for (child = t, p = tt_json_path(t, "parent"); p != NULL;
	     child = p, p = tt_json_path(p, "parent")) {
		snprintf(buf, sizeof(buf), "%s %s (%s)",
		    str_at(p, "image.name"), str_at(p, "image.version"),
		    str_at(p, "image.published"));
		line(generations++ == 0 ? "lineage" : "", buf);
		parent_signer(child, p, buf, sizeof(buf));
		line("", buf);
		if (generations > TT_TATTOO_MAX_GENERATIONS)
			break;
	}
	line("agent", str_at(t, "agent_version"));
	line("digest", str_at(t, "digest"));
	if (tt_json_path(t, "signature") != NULL) {
		/* show checks nothing: the key is what the file claims. */
		snprintf(buf, sizeof(buf),
		    "%s, claims key %s (not checked: tattoo verify "
		    "checks it)",
		    str_at(t, "signature.alg"), str_at(t, "signature.key_id"));
		line("signature", buf);
	} else {
		line("signature", "none");
	}
}

/*
 * A parent's signer, only together with what write found when it checked
 * it (the "parent_verified" record of the child): a key id in the image
 * is a claim until a trusted key verified it.
 */
static void
parent_signer(json_object *child, json_object *p, char *buf, size_t len)
{
	char key[TT_KEY_ID_MAX];
	const char *signer = str_at(p, "signature.key_id");
	bool signed_ = tt_json_path(p, "signature") != NULL;

	switch (tt_tattoo_parent_record(child, key, sizeof(key))) {
	case TT_PARENT_VERIFIED:
		snprintf(buf, len, "  signed by %s (verified with %s at write)",
		    signer, key);
		break;
	case TT_PARENT_UNVERIFIED:
		snprintf(buf, len, "  claims signer %s, unverified", signer);
		break;
	case TT_PARENT_UNSIGNED: snprintf(buf, len, "  unsigned"); break;
	case TT_PARENT_INVALID:
		snprintf(buf, len,
		    "  %s%s, invalid at write (kept with "
		    "--allow-untrusted-parent)",
		    signed_ ? "claims signer " : "unsigned",
		    signed_ ? signer : "");
		break;
	default:
		snprintf(buf, len,
		    "  %s%s, unverified (written before lineage "
		    "checks)",
		    signed_ ? "claims signer " : "unsigned",
		    signed_ ? signer : "");
		break;
	}
}

/* Unknown members of a signature: verify refuses them; show says so. */
static void
warn_unknown_members(json_object *t)
{
	const char *m;
	char safe[80];
	int gen = 0;

	for (; t != NULL && gen <= TT_TATTOO_MAX_GENERATIONS;
	     t = tt_json_path(t, "parent"), gen++) {
		if (!json_object_is_type(t, json_type_object))
			return;
		if ((m = tt_tattoo_signature_unknown(t)) == NULL)
			continue;
		snprintf(safe, sizeof(safe), "%.64s", m);
		if (gen == 0)
			tt_warn("show: the signature has an unknown member "
				"'%s': tattoo verify refuses it",
			    safe);
		else
			tt_warn("show: the signature of parent %d has an "
				"unknown member '%s': its signer is not to be "
				"believed",
			    gen, safe);
	}
}

int
cmd_show(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, OPT_JSON },
		{ "field", required_argument, NULL, OPT_FIELD },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	const char *field = NULL;
	char why[512], shown[PATH_MAX];
	json_object *t = NULL, *v;
	bool json = false;
	int c, r, rc;

	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_JSON: json = true; break;
		case OPT_FIELD: field = optarg; break;
		default:
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			return stop;
		}
	}
	if (optind < argc || (json && field != NULL)) {
		tt_error("show: --json and --field exclude each other, and no "
			 "arguments are taken");
		return tt_usage(usage, true);
	}
	if (field != NULL && (rc = check_field(field)) != 0)
		return rc;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		return rc;
	tt_root_host_path(&ctx->root, TT_TATTOO_PATH, shown, sizeof(shown));
	r = tt_tattoo_load(&ctx->root, TT_TATTOO_PATH, &t, why, sizeof(why));
	if (r == -ENOENT) {
		tt_error("show: no tattoo at '%s'", shown);
		return TT_EXIT_USAGE;
	}
	if (r < 0) {
		tt_error("show: cannot read '%s': %s", shown, why);
		return TT_EXIT_INPUT;
	}
	warn_unknown_members(t);
	if (json) {
		puts(json_object_to_json_string_ext(t,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE));
	} else if (field != NULL) {
		v = tt_json_path(t, field);
		if (v == NULL) {
			tt_error("show: the tattoo has no field '%s'", field);
			rc = TT_EXIT_FAIL;
		} else if (json_object_is_type(v, json_type_string)) {
			/* One value, escaped as one field: a newline in it
			 * cannot add a line for a script to read. */
			tt_term_fprintf(stdout, "%s\n",
			    json_object_get_string(v));
		} else {
			/* JSON escapes C0 controls but not C1 or bidi. */
			tt_term_fprintf(stdout, "%s\n",
			    json_object_to_json_string_ext(v,
				JSON_C_TO_STRING_PLAIN |
				    JSON_C_TO_STRING_NOSLASHESCAPE));
		}
	} else {
		print_text(t);
	}
	json_object_put(t);
	return rc;
}
