#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "confirm.h"
#include "fileio.h"
#include "format.h"
#include "journal.h"
#include "log.h"
#include "progress.h"
#include "scrub/scrub_apply.h"
#include "scrub/scrub_walk.h"
#include "term.h"
#include "tt.h"

static const char usage[] =
    "usage: tattoo scrub [--check | --apply] [--format FORMAT] [--output FILE]\n"
    "                    [--allowlist FILE] [--max-file-size SIZE] [--jobs N]\n"
    "                    [--build-user NAME] [--force]\n"
    "                    [--root DIR]\n"
    "\n"
    "Finds secrets (private keys, cloud and forge tokens, passwords in\n"
    "configuration) in every file of the image, binary files too, and the\n"
    "leftovers an image must not ship (SSH host keys, histories, cloud-init\n"
    "and waagent state, machine-id, DHCP leases, caches, credentials).\n"
    "Findings show a file's path, line and offset, the detector, at most the\n"
    "first 4 characters and a SHA-256 fingerprint: never the secret.\n"
    "Archives and compressed files are read inside (gzip, xz, bzip2, zstd,\n"
    "tar, zip, ar/.deb, cpio, nested): a finding is named\n"
    "archive.tar.gz!member.zip!file with the member's line.\n"
    "\n"
    "  --check            report findings (the default)\n"
    "  --apply            delete, truncate or empty the leftovers, journaled\n"
    "                     ('tattoo rollback' undoes it); secrets inside other\n"
    "                     files are reported for a person to fix.\n"
    "                     Nothing on another mount, and no symlink, is\n"
    "                     followed.  Without --root it changes this\n"
    "                     system: it asks on a terminal, else needs --force\n"
    "  --force            --apply without --root: this system, no question\n"
    "  --format FORMAT    text (default), json, junit, sarif, html, prom\n"
    "  --output FILE      write the result to FILE (atomically), not stdout\n"
    "  --allowlist FILE   reviewed findings: 'fingerprint sha256:HEX' or\n"
    "                     'path GLOB' lines\n"
    "  --max-file-size N  larger files are reported as not scanned, and\n"
    "                     archives that expand past it (default 1G; K, M,\n"
    "                     G suffixes)\n"
    "  --jobs N           scanning threads (default: 2 on 2 or more CPUs)\n"
    "  --build-user NAME  the account that built the image: its home,\n"
    "                     sudoers file and account lines are leftovers\n"
    "  -v                 text: list the files not scanned\n"
    "\n"
    "The journal of --apply keeps a copy of what it removed (for rollback)\n"
    "only when state_dir is set outside the image (TATTOO_STATE_DIR); in\n"
    "the image it records sizes and digests, so the image ships no copy.\n"
    "Exit: 0 nothing found (or all removed), 1 findings (or secrets left),\n"
    "2 usage, 3 bad allowlist, 4 environment.\n";

enum {
	OPT_CHECK = TT_OPT_FIRST_COMMAND_OPT,
	OPT_APPLY,
	OPT_FORMAT,
	OPT_OUTPUT,
	OPT_ALLOWLIST,
	OPT_MAX_FILE_SIZE,
	OPT_JOBS,
	OPT_BUILD_USER,
	OPT_FORCE,
};

#define ALLOWLIST_MAX ((size_t)16 * 1024 * 1024)

static int
parse_size(const char *s, uint64_t *ret)
{
	char num[32];
	size_t n = strlen(s);
	uint64_t mult = 1;
	const char *errstr;
	long long v;

	if (n == 0 || n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n + 1);
	switch (num[n - 1]) {
	case 'K':
	case 'k': mult = 1024; break;
	case 'M':
	case 'm': mult = (uint64_t)1 << 20; break;
	case 'G':
	case 'g': mult = (uint64_t)1 << 30; break;
	default: break;
	}
	if (mult != 1)
		num[n - 1] = '\0';
	v = strtonum(num, 1, (1LL << 40) / (long long)mult, &errstr);
	if (errstr != NULL)
		return -EINVAL;
	*ret = (uint64_t)v * mult;
	return 0;
}

static void
add_str(json_object *o, const char *k, const char *v)
{
	json_object_object_add(o, k, json_object_new_string(v));
}

static void
add_int(json_object *o, const char *k, int64_t v)
{
	json_object_object_add(o, k, json_object_new_int64(v));
}

/* DESIGN.md's scrub document, plus "skipped" and per-finding reasons. */
static json_object *
build_doc(const struct tt_scrub_catalog *cat, const struct tt_scrub_result *res,
    const char *root, bool apply)
{
	json_object *doc = json_object_new_object(), *sum, *fs, *sk;

	if (doc == NULL)
		return NULL;
	add_int(doc, "schema", 1);
	add_str(doc, "root", root);
	add_str(doc, "mode", apply ? "apply" : "check");
	sum = json_object_new_object();
	add_int(sum, "files", (int64_t)res->files);
	add_int(sum, "bytes", (int64_t)res->bytes);
	add_int(sum, "secrets", (int64_t)tt_scrub_count(res, TT_SCRUB_SECRET));
	add_int(sum, "leftovers",
	    (int64_t)tt_scrub_count(res, TT_SCRUB_LEFTOVER));
	add_int(sum, "skipped", (int64_t)tt_scrub_count(res, TT_SCRUB_SKIPPED));
	add_int(sum, "allowed", (int64_t)res->allowed);
	json_object_object_add(doc, "summary", sum);
	fs = json_object_new_array();
	sk = json_object_new_array();
	for (size_t i = 0; i < res->n; i++) {
		const struct tt_scrub_item *it = &res->v[i];
		json_object *f = json_object_new_object();

		if (it->kind == TT_SCRUB_SKIPPED) {
			add_str(f, "path", it->path);
			add_str(f, "reason", it->reason);
			json_object_array_add(sk, f);
			continue;
		}
		if (it->kind == TT_SCRUB_SECRET) {
			const struct tt_detector *d =
			    &cat->detectors[it->index];

			add_str(f, "kind", "secret");
			add_str(f, "detector", d->id);
			add_str(f, "path", it->path);
			add_int(f, "line", (int64_t)it->line);
			add_int(f, "offset", (int64_t)it->offset);
			add_str(f, "preview", it->preview);
			{
				char fp[80];

				snprintf(fp, sizeof(fp), "sha256:%s",
				    it->fingerprint);
				add_str(f, "fingerprint", fp);
			}
			add_str(f, "action", "review");
			add_str(f, "description", d->description);
		} else {
			const struct tt_leftover *l =
			    &cat->leftovers[it->index];

			add_str(f, "kind", "leftover");
			add_str(f, "detector", l->id);
			add_str(f, "path", it->path);
			add_int(f, "line", 0);
			add_int(f, "offset", 0);
			add_str(f, "preview", "");
			add_str(f, "fingerprint", "");
			add_str(f, "action",
			    tt_leftover_action_name(l->action));
			add_str(f, "description", l->reason);
			if (apply)
				add_str(f, "result",
				    it->reason[0] ? it->reason : "done");
		}
		json_object_array_add(fs, f);
	}
	json_object_object_add(doc, "findings", fs);
	json_object_object_add(doc, "skipped", sk);
	return doc;
}

/* Paths, previews and reasons come from the image: tt_term_printf escapes
 * every %s (term.h), so a file name cannot print a line of its own. */
static void
print_text(const struct tt_scrub_catalog *cat,
    const struct tt_scrub_result *res, bool apply, bool verbose,
    struct tt_buf *b)
{
	size_t skipped = 0;

	for (size_t i = 0; i < res->n; i++) {
		const struct tt_scrub_item *it = &res->v[i];

		if (it->kind == TT_SCRUB_SECRET) {
			tt_term_printf(b,
			    "secret    %s:%llu (offset %llu)  %s  "
			    "%s...  sha256:%s\n",
			    it->path, (unsigned long long)it->line,
			    (unsigned long long)it->offset,
			    cat->detectors[it->index].id, it->preview,
			    it->fingerprint);
		} else if (it->kind == TT_SCRUB_LEFTOVER) {
			const struct tt_leftover *l =
			    &cat->leftovers[it->index];

			tt_term_printf(b, "leftover  %s  %s%s%s  (%s)\n",
			    it->path, tt_leftover_action_name(l->action),
			    apply ? ": " : "",
			    apply ? (it->reason[0] ? it->reason : "done") : "",
			    l->reason);
		} else {
			skipped++;
			if (verbose)
				tt_term_printf(b, "skipped   %s  %s\n",
				    it->path, it->reason);
		}
	}
	tt_term_printf(b,
	    "%llu files, %llu bytes scanned: %zu secrets, %zu leftovers, "
	    "%zu not scanned%s",
	    (unsigned long long)res->files, (unsigned long long)res->bytes,
	    tt_scrub_count(res, TT_SCRUB_SECRET),
	    tt_scrub_count(res, TT_SCRUB_LEFTOVER), skipped,
	    skipped && !verbose ? " (-v lists them)" : "");
	if (res->allowed > 0)
		tt_term_printf(b, ", %zu allowed (allowlist or known public)",
		    res->allowed);
	tt_buf_puts(b, "\n");
}

/* After --apply: the secrets whose file went with a leftover are gone;
 * the others are for a person.  One inside an archive is there as long
 * as the archive is: --apply never edits inside one. */
static void
drop_removed(const struct tt_root *root, struct tt_scrub_result *res)
{
	size_t k = 0;

	for (size_t i = 0; i < res->n; i++) {
		struct tt_scrub_item *it = &res->v[i];
		struct stat st;

		if (it->kind == TT_SCRUB_SECRET && it->disk_len > 0) {
			char disk[PATH_MAX];

			strlcpy(disk, it->path,
			    it->disk_len < sizeof(disk) ? it->disk_len + 1 :
							  sizeof(disk));
			if (tt_root_stat(root, disk, &st, false) == -ENOENT) {
				free(it->path);
				continue;
			}
		} else if (it->kind == TT_SCRUB_SECRET) {
			int r = tt_root_stat(root, it->path, &st, false);

			if (r == -ENOENT ||
			    (r == 0 && S_ISREG(st.st_mode) &&
				(uint64_t)st.st_size <= it->offset)) {
				free(it->path);
				continue;
			}
		}
		res->v[k++] = *it;
	}
	res->n = k;
}

static int
load_allowlist(const char *path, struct tt_allowlist *al)
{
	struct tt_buf b;
	char err[512];
	int r;

	if ((r = tt_read_file(NULL, path, ALLOWLIST_MAX, &b)) < 0) {
		tt_error("scrub: cannot read allowlist '%s': %s", path,
		    tt_strerror(r));
		return r == -ENOENT || r == -EFBIG || r == -EISDIR ||
			r == -TT_ENOTREG ?
		    TT_EXIT_INPUT :
		    TT_EXIT_ENV;
	}
	r = tt_allowlist_parse(al, path, b.data ? b.data : "", b.len, err,
	    sizeof(err));
	tt_buf_free(&b);
	if (r < 0) {
		tt_error("scrub: %s", err);
		return r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
	}
	return 0;
}

int
cmd_scrub(struct tt_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "check", no_argument, NULL, OPT_CHECK },
		{ "apply", no_argument, NULL, OPT_APPLY },
		{ "format", required_argument, NULL, OPT_FORMAT },
		{ "output", required_argument, NULL, OPT_OUTPUT },
		{ "allowlist", required_argument, NULL, OPT_ALLOWLIST },
		{ "max-file-size", required_argument, NULL, OPT_MAX_FILE_SIZE },
		{ "jobs", required_argument, NULL, OPT_JOBS },
		{ "build-user", required_argument, NULL, OPT_BUILD_USER },
		{ "force", no_argument, NULL, OPT_FORCE },
		TT_GLOBAL_LONGOPTS,
		{ NULL, 0, NULL, 0 },
	};
	int stop;
	struct tt_scrub_catalog cat = { 0 };
	struct tt_scanner scanner = { 0 };
	struct tt_scrub_result res = { 0 };
	struct tt_allowlist al = { 0 };
	struct tt_scrub_opts opts = { 0 };
	struct tt_progress progress;
	struct tt_journal j = { .dirfd = -1 };
	const struct tt_root *jroot = NULL;
	char jdir[PATH_MAX];
	const char *format = "text", *output = NULL, *allowlist = NULL;
	const char *build_user = NULL;
	const struct tt_format *fmt = NULL;
	struct tt_buf out;
	json_object *doc = NULL;
	bool check = false, apply = false, verbose = false, quiet = false;
	bool force = false;
	uint64_t max_size = TT_SCRUB_DEFAULT_MAX_FILE;
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned jobs = nproc >= 2 ? 2 : 1;
	size_t failed = 0, secrets, leftovers;
	char err[PATH_MAX + 256];
	int c, r, rc;

	tt_buf_init(&out, TT_FORMAT_MAX_BYTES);
	while ((c = getopt_long(argc, argv, TT_GLOBAL_SHORTOPTS, longopts,
		    NULL)) != -1) {
		switch (c) {
		case OPT_CHECK: check = true; break;
		case OPT_APPLY: apply = true; break;
		case OPT_FORCE: force = true; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTPUT: output = optarg; break;
		case OPT_ALLOWLIST: allowlist = optarg; break;
		case OPT_BUILD_USER:
			/* A name as useradd takes it: it goes into globs
			 * and is matched against account files. */
			if (strlen(optarg) == 0 || strlen(optarg) > 32 ||
			    strspn(optarg,
				"abcdefghijklmnopqrstuvwxyz0123456789_"
				"-") != strlen(optarg) ||
			    optarg[0] == '-' || TT_STREQ(optarg, "root")) {
				tt_error("scrub: --build-user '%s': not a user "
					 "name (a-z0-9_-, not root)",
				    optarg);
				rc = TT_EXIT_USAGE;
				goto out;
			}
			build_user = optarg;
			break;
		case OPT_MAX_FILE_SIZE:
			if (parse_size(optarg, &max_size) < 0) {
				tt_error("scrub: --max-file-size '%s': not a "
					 "size such as 512M",
				    optarg);
				rc = TT_EXIT_USAGE;
				goto out;
			}
			break;
		case OPT_JOBS: {
			const char *errstr;

			jobs = (unsigned)strtonum(optarg, 1, 8, &errstr);
			if (errstr != NULL) {
				tt_error("scrub: --jobs '%s': not 1..8",
				    optarg);
				rc = TT_EXIT_USAGE;
				goto out;
			}
			break;
		}
		default:
			if (c == 'v')
				verbose = true;
			if (c == 'q')
				quiet = true;
			if ((stop = tt_ctx_option(ctx, c, optarg, usage)) ==
			    TT_OPT_NEXT)
				break;
			rc = stop;
			goto out;
		}
	}
	if (optind < argc) {
		tt_error("scrub: unexpected argument '%s'", argv[optind]);
		rc = tt_usage(usage, true);
		goto out;
	}
	if (check && apply) {
		tt_error("scrub: --check and --apply exclude each other");
		rc = TT_EXIT_USAGE;
		goto out;
	}
	if (!TT_STREQ(format, "text") &&
	    ((fmt = tt_format_find(format)) == NULL || fmt->scrub == NULL)) {
		tt_error("scrub: unknown format '%s' (text, json, junit, "
			 "sarif, html, prom)",
		    format);
		rc = TT_EXIT_USAGE;
		goto out;
	}
	/* Before anything is read: removing this very system's keys and
	 * state is asked for explicitly. */
	if (apply && tt_ctx_live(ctx) &&
	    (rc = tt_confirm_live("scrub --apply",
		 "it deletes the leftovers it finds here (SSH host keys, "
		 "shell histories, cloud credentials, cloud-init and waagent "
		 "state, DHCP leases, /tmp and /var/tmp) and empties "
		 "machine-id, journaled",
		 force)) != 0)
		goto out;
	if (allowlist != NULL && (rc = load_allowlist(allowlist, &al)) != 0)
		goto out;
	if ((rc = tt_ctx_setup(ctx)) != 0)
		goto out;
	if ((r = tt_scrub_load_builtin(&cat, err, sizeof(err))) < 0) {
		tt_error("scrub: %s", err);
		rc = r == -ENOMEM ? TT_EXIT_ENV : TT_EXIT_INPUT;
		goto out;
	}
	if ((r = tt_scanner_init(&scanner, &cat)) < 0) {
		tt_error("scrub: cannot build the keyword automaton: %s",
		    tt_strerror(r));
		rc = TT_EXIT_ENV;
		goto out;
	}
	tt_progress_init(&progress, STDERR_FILENO, "scrub", quiet);
	opts.root = &ctx->root;
	opts.live = tt_root_is_host(&ctx->root);
	opts.max_file_size = max_size;
	opts.jobs = jobs;
	opts.leftovers = true;
	opts.allow = allowlist ? &al : NULL;
	opts.build_user = build_user;
	opts.progress = &progress;
	if ((r = tt_scrub_walk(&scanner, &opts, &res, err, sizeof(err))) < 0) {
		tt_error("scrub: %s", err);
		rc = TT_EXIT_ENV;
		goto out;
	}
	if (apply && tt_scrub_count(&res, TT_SCRUB_LEFTOVER) > 0) {
		r = tt_ctx_journal_dir(ctx, &jroot, jdir, sizeof(jdir));
		if (r == 0)
			r = tt_journal_begin(&j, jroot, jdir,
			    ctx->cfg.state_dir, &ctx->root, "scrub", err,
			    sizeof(err));
		if (r < 0) {
			tt_error("scrub: %s",
			    r == -ENAMETOOLONG ? "journal path too long" : err);
			rc = TT_EXIT_ENV;
			goto out;
		}
		/* The journal is in the image, offline (the image's own
		 * /var/lib/tattoo) and live (the build VM's state_dir is
		 * captured with it): a copy of what is removed would ship
		 * with the image, so it keeps sizes and digests only. */
		if ((r = tt_journal_keep_no_bytes(&j)) < 0) {
			tt_journal_finish(&j, "failed");
			tt_error("scrub: cannot write journal '%s': %s", j.dir,
			    tt_strerror(r));
			rc = TT_EXIT_ENV;
			goto out;
		}
		r = tt_scrub_apply(&cat, &ctx->root, &j, build_user, &res,
		    &failed, err, sizeof(err));
		tt_journal_finish(&j, r < 0 ? "failed" : "complete");
		if (r < 0) {
			tt_error("scrub: %s; nothing more is changed; "
				 "'tattoo rollback %s' undoes what was done",
			    err, j.run);
			rc = TT_EXIT_ENV;
			goto out;
		}
		drop_removed(&ctx->root, &res);
	}
	doc = build_doc(&cat, &res, ctx->root.path, apply);
	if (doc == NULL) {
		tt_error("scrub: out of memory");
		rc = TT_EXIT_ENV;
		goto out;
	}
	if (fmt == NULL) {
		print_text(&cat, &res, apply, verbose, &out);
		r = 0;
	} else {
		struct tt_format_input in = { .doc = doc };

		r = fmt->scrub(&in, &out, err, sizeof(err));
		if (r < 0) {
			tt_error("scrub: cannot format the result: %s",
			    r == -EINVAL ? err : tt_strerror(r));
			rc = TT_EXIT_ENV;
			goto out;
		}
	}
	if ((r = tt_format_emit(output, &out)) < 0) {
		tt_error("scrub: cannot write '%s': %s",
		    output ? output : "standard output", tt_strerror(r));
		rc = TT_EXIT_ENV;
		goto out;
	}
	secrets = tt_scrub_count(&res, TT_SCRUB_SECRET);
	leftovers = tt_scrub_count(&res, TT_SCRUB_LEFTOVER);
	if (apply) {
		if (j.run[0] != '\0' && !j.no_bytes)
			tt_info("scrub: journal %s; review or undo with "
				"'tattoo rollback %s'",
			    j.dir, j.run);
		else if (j.run[0] != '\0')
			tt_info("scrub: journal %s%s records what was "
				"removed (sizes and digests, no copy: the "
				"journal stays in the image, which must not "
				"ship what was removed); it is a record to "
				"review, not to roll back",
			    ctx->root.path, j.dir);
		if (secrets > 0)
			tt_warn("scrub: %zu secret%s inside files that are "
				"not leftovers: fix them by hand",
			    secrets, secrets == 1 ? "" : "s");
		rc = secrets > 0 || failed > 0 ? TT_EXIT_FAIL : TT_EXIT_OK;
	} else {
		rc = secrets + leftovers > 0 ? TT_EXIT_FAIL : TT_EXIT_OK;
	}
out:
	json_object_put(doc);
	tt_buf_free(&out);
	tt_scrub_result_free(&res);
	tt_scanner_free(&scanner);
	tt_scrub_catalog_free(&cat);
	tt_allowlist_free(&al);
	return rc;
}
