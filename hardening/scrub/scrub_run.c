/*
 * A scrub run (scrub_run.h).
 */
#include <sys/stat.h>

#include "fileio.h"
#include "journal.h"
#include "log.h"
#include "scrub/scrub_apply.h"
#include "scrub/scrub_packaged.h"
#include "scrub/scrub_run.h"
#include "tt.h"

#define ALLOWLIST_MAX ((size_t)16 * 1024 * 1024)

int
tt_scrub_parse_size(const char *s, uint64_t *ret)
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

int
tt_scrub_allowlist_load(const char *path, struct tt_allowlist *al,
    bool *ret_bad_file, char *err, size_t errlen)
{
	struct tt_buf b;
	char why[512];
	int r;

	if ((r = tt_read_file(NULL, path, ALLOWLIST_MAX, &b)) < 0) {
		tt_seterr(err, errlen, "cannot read allowlist '%s': %s", path,
		    tt_strerror(r));
		*ret_bad_file = r == -ENOENT || r == -EFBIG || r == -EISDIR ||
		    r == -TT_ENOTREG;
		return r;
	}
	r = tt_allowlist_parse(al, path, b.data ? b.data : "", b.len, why,
	    sizeof(why));
	tt_buf_free(&b);
	if (r < 0)
		tt_seterr(err, errlen, "%s", why);
	*ret_bad_file = r != -ENOMEM;
	return r;
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
	add_int(sum, "packaged", (int64_t)res->packaged);
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

/* Removes the leftovers found, under a journal that keeps no bytes. */
static int
apply(struct tt_scrub_run *s, const struct tt_scrub_run_opts *o, char *err,
    size_t errlen)
{
	struct tt_journal j = { .dirfd = -1 };
	int r = -ENAMETOOLONG;

	if (o->journal_dir != NULL)
		r = tt_journal_begin(&j, o->journal_root, o->journal_dir,
		    o->state_dir, o->walk.root, "scrub", err, errlen);
	if (r < 0) {
		if (r == -ENAMETOOLONG)
			tt_seterr(err, errlen, "journal path too long");
		return r;
	}
	strlcpy(s->run, j.run, sizeof(s->run));
	strlcpy(s->journal, j.dir, sizeof(s->journal));
	/* The journal is in the image, offline (the image's own
	 * /var/lib/tattoo) and live (the build VM's state_dir is captured
	 * with it): a copy of what is removed would ship with the image,
	 * so it keeps sizes and digests only. */
	if ((r = tt_journal_keep_no_bytes(&j)) < 0) {
		tt_journal_finish(&j, "failed");
		tt_seterr(err, errlen, "cannot write journal '%s': %s", j.dir,
		    tt_strerror(r));
		return r;
	}
	s->no_bytes = j.no_bytes;
	r = tt_scrub_apply(&s->cat, o->walk.root, &j, o->walk.build_user,
	    &s->res, &s->failed, err, errlen);
	tt_journal_finish(&j, r < 0 ? "failed" : "complete");
	if (r < 0) {
		char why[PATH_MAX + 256];

		strlcpy(why, err, sizeof(why));
		tt_seterr(err, errlen,
		    "%s; nothing more is changed; 'tattoo rollback %s' "
		    "undoes what was done",
		    why, j.run);
		return r;
	}
	drop_removed(o->walk.root, &s->res);
	return 0;
}

/* Files whose every copy holds password hashes, whatever a detector
 * says of one build's content (a locked account's "!" is no finding, the
 * next password is). */
static const char *const secret_files[] = {
	"/etc/shadow",
	"/etc/shadow-",
	"/etc/gshadow",
	"/etc/gshadow-",
	"/etc/security/opasswd",
	NULL,
};

struct seal_arg {
	const struct tt_scrub_run *s;
	const char *journal_dir; /* inside the image: the findings' paths */
};

/* tt_journal_secret_fn: the files above, and any copy in which this scan
 * found a secret (its path in the image is JOURNAL/RUN/NNNNNN.data). */
static const char *
seal_reason(const char *run, const char *data, const char *path, void *arg)
{
	const struct seal_arg *a = arg;
	const struct tt_scrub_result *res = &a->s->res;
	char copy[PATH_MAX];
	size_t l;

	for (size_t i = 0; secret_files[i] != NULL; i++)
		if (TT_STREQ(path, secret_files[i]))
			return "it holds password hashes";
	l = (size_t)snprintf(copy, sizeof(copy), "%s/%s/%s", a->journal_dir,
	    run, data);
	if (l >= sizeof(copy))
		return NULL;
	for (size_t i = 0; i < res->n; i++) {
		const struct tt_scrub_item *it = &res->v[i];

		if (it->kind == TT_SCRUB_SECRET &&
		    strncmp(it->path, copy, l) == 0 &&
		    (it->path[l] == '\0' || it->path[l] == '!'))
			return "scrub found a secret in it";
	}
	return NULL;
}

/* --apply: the journal of earlier runs (harden) keeps copies of what they
 * changed, /etc/shadow among them, inside the image; those that hold
 * secrets are sealed, so that neither the image nor scrub --check sees
 * them again.  An image whose journal this host cannot authenticate is
 * left alone (seal_skipped says why) and its copies stay findings. */
static int
seal(struct tt_scrub_run *s, const struct tt_scrub_run_opts *o, char *err,
    size_t errlen)
{
	struct seal_arg a = { s, o->journal_dir };
	int r;

	if (o->journal_dir == NULL)
		return 0;
	r = tt_journal_seal(o->journal_root, o->journal_dir, o->state_dir,
	    seal_reason, &a, &s->sealed, &s->seal_skipped, s->seal_skip,
	    sizeof(s->seal_skip), err, errlen);
	if (r == -ENOKEY) {
		s->seal_skipped++;
		strlcpy(s->seal_skip, err, sizeof(s->seal_skip));
		err[0] = '\0';
		return 0;
	}
	if (r == 0 && s->sealed > 0)
		drop_removed(o->walk.root, &s->res);
	return r;
}

static void
note_scrub_run(const char *run, const char *command, const char *started,
    const char *status, const char *problem, void *arg)
{
	(void)run;
	(void)started;
	if (problem == NULL && command != NULL && status != NULL &&
	    TT_STREQ(command, "scrub") && TT_STREQ(status, "complete"))
		*(bool *)arg = true;
}

/* --build-user names an account of the image: a name that is not in its
 * /etc/passwd is a typo, and scrub would otherwise look for leftovers that
 * cannot be there and say "clean".  After an --apply that removed the
 * account (a completed scrub run in the journal), the name is gone by
 * design and a second run stays clean. */
static int
check_build_user(struct tt_scrub_run *s, const struct tt_scrub_run_opts *o,
    char *err, size_t errlen)
{
	const char *user = o->walk.build_user;
	size_t ul = user != NULL ? strlen(user) : 0;
	bool found = false, scrubbed = false;
	struct tt_buf b;
	char jerr[256], path[PATH_MAX];
	int r;

	if (user == NULL)
		return 0;
	if (tt_root_host_path(o->walk.root, "/etc/passwd", path, sizeof(path)) <
	    0)
		strlcpy(path, "/etc/passwd", sizeof(path));
	r = tt_read_file(o->walk.root, "/etc/passwd", (size_t)16 << 20, &b);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	for (size_t k = 0; r == 0 && k + ul < b.len && !found;) {
		const char *nl = memchr(b.data + k, '\n', b.len - k);

		found =
		    strncmp(b.data + k, user, ul) == 0 && b.data[k + ul] == ':';
		k = nl != NULL ? (size_t)(nl - b.data) + 1 : b.len;
	}
	if (r == 0)
		tt_buf_free(&b);
	if (found)
		return 0;
	if (o->journal_dir != NULL)
		(void)tt_journal_list(o->journal_root, o->journal_dir,
		    o->state_dir, note_scrub_run, &scrubbed, jerr,
		    sizeof(jerr));
	if (scrubbed)
		return 0;
	s->bad_usage = true;
	tt_seterr(err, errlen, "--build-user '%s': no such account in '%s'",
	    user, path);
	return -ESRCH;
}

int
tt_scrub_run(struct tt_scrub_run *s, const struct tt_scrub_run_opts *o,
    char *err, size_t errlen)
{
	int r;

	if ((r = check_build_user(s, o, err, errlen)) < 0)
		return r;
	if ((r = tt_scrub_load_builtin(&s->cat, err, errlen)) < 0) {
		s->bad_input = r != -ENOMEM;
		return r;
	}
	if ((r = tt_scanner_init(&s->scanner, &s->cat)) < 0) {
		tt_seterr(err, errlen, "cannot build the keyword automaton: %s",
		    tt_strerror(r));
		return r;
	}
	if ((r = tt_scrub_walk(&s->scanner, &o->walk, &s->res, err, errlen)) <
	    0)
		return r;
	if ((r = tt_scrub_drop_packaged(o->walk.root, &s->res)) < 0) {
		tt_seterr(err, errlen, "%s", tt_strerror(r));
		return r;
	}
	if (o->apply && tt_scrub_count(&s->res, TT_SCRUB_LEFTOVER) > 0 &&
	    (r = apply(s, o, err, errlen)) < 0)
		return r;
	if (o->apply && (r = seal(s, o, err, errlen)) < 0)
		return r;
	s->doc = build_doc(&s->cat, &s->res, o->walk.root->path, o->apply);
	if (s->doc == NULL) {
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

void
tt_scrub_run_free(struct tt_scrub_run *s)
{
	json_object_put(s->doc);
	s->doc = NULL;
	tt_scrub_result_free(&s->res);
	tt_scanner_free(&s->scanner);
	tt_scrub_catalog_free(&s->cat);
}
