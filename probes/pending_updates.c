/*
 * pending_updates: how many installed packages have a newer version in
 * the security metadata the image itself holds.  Nothing is downloaded:
 * the answer is as fresh as the image's last `apt-get update`, and the
 * item says when that was (metadata_date).
 *
 * Debian and Ubuntu: the apt lists of a security suite
 * (the files of /var/lib/apt/lists named like *security*_Packages:
 * bookworm-security,
 * jammy-security...) against /var/lib/dpkg/status, versions compared as
 * dpkg does (debversion.c).  A package is pending when a security list
 * has it at a version newer than the installed one.  metadata_date is the
 * newest Date: of those suites' InRelease or Release files.
 *
 * The RHEL family: the security advisories of the updateinfo that each
 * repository of dnf's cache lists in its repomd.xml, against the rpm
 * database (dnf_updates.c); metadata_date is the newest updateinfo
 * timestamp of the repomd.xml files.
 *
 * No metadata (a tree without security lists, compressed lists only): an
 * error with the reason.  One item: pending (a count), packages (up to 20
 * "name installed -> candidate", comma separated), source, metadata_date.
 */
#include <time.h>

#include "debversion.h"
#include "dnf_updates.h"
#include "fileio.h"
#include "log.h"
#include "rpmdb.h"
#include "util.h"
#include "tt.h"

#define LISTS "/var/lib/apt/lists/"
#define DPKG_STATUS "/var/lib/dpkg/status"
/* Ubuntu's universe security list is tens of MB; the total is bounded. */
#define LIST_MAX ((size_t)128 * 1024 * 1024)
#define SHOWN 20

static const struct tt_param_spec params[] = {
	{ "suite", TT_PARAM_STRING, false, NULL,
	    "the word of the suite's list names (default security: "
	    "bookworm-security, jammy-security)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "pending", "packages", "source",
	"metadata_date", NULL };

struct pkg {
	char *name, *version;
};

struct pkgs {
	struct pkg *v;
	size_t n, cap;
};

static void
pkgs_free(struct pkgs *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].version);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int
pkgs_add(struct pkgs *p, const char *name, const char *version)
{
	if (name[0] == '\0' || version[0] == '\0')
		return 0;
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		struct pkg *v = reallocarray(p->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	p->v[p->n].name = strdup(name);
	p->v[p->n].version = strdup(version);
	if (p->v[p->n].name == NULL || p->v[p->n].version == NULL) {
		free(p->v[p->n].name);
		free(p->v[p->n].version);
		return -ENOMEM;
	}
	p->n++;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct pkg *)a)->name,
	    ((const struct pkg *)b)->name);
}

/*
 * Stanzas of Package:/Version: (and Status: with installed_only, for
 * dpkg's status: the third word "installed").
 */
static int
parse_stanzas(const char *text, size_t len, bool installed_only,
    struct pkgs *out)
{
	char line[TT_PROBE_LINE_MAX], name[256] = "", version[256] = "";
	bool installed = !installed_only;
	struct tt_lines l;
	int r = 0;

	tt_lines_init(&l, text, len);
	for (;;) {
		int more = tt_lines_next(&l, line, sizeof(line), false, NULL);

		if (more <= 0 || line[0] == '\0') {
			if (installed)
				r = pkgs_add(out, name, version);
			name[0] = version[0] = '\0';
			installed = !installed_only;
			if (r < 0 || more <= 0)
				return r;
		} else if (strncmp(line, "Package:", 8) == 0) {
			strlcpy(name, tt_trim(line + 8), sizeof(name));
		} else if (strncmp(line, "Version:", 8) == 0) {
			strlcpy(version, tt_trim(line + 8), sizeof(version));
		} else if (installed_only && strncmp(line, "Status:", 7) == 0) {
			const char *w = strrchr(line, ' ');

			installed = w != NULL && TT_STREQ(w + 1, "installed");
		}
	}
}

/* The Date: of the suite a list belongs to, as time_t (0: none).  The
 * list NAME_dists_SUITE_COMPONENT_binary-ARCH_Packages has its suite's
 * NAME_dists_SUITE_InRelease (or _Release) beside it. */
static time_t
suite_date(struct tt_audit *a, const char *list)
{
	static const char *const kinds[] = { "InRelease", "Release" };
	const char *d = strstr(list, "_dists_");
	char path[1024], line[512];
	const char *suite_end;

	if (d == NULL || (suite_end = strchr(d + 7, '_')) == NULL)
		return 0;
	for (size_t k = 0; k < TT_ARRAY_SIZE(kinds); k++) {
		struct tt_buf text;
		struct tt_lines l;
		time_t t = 0;

		snprintf(path, sizeof(path), "%.*s_%s", (int)(suite_end - list),
		    list, kinds[k]);
		if (tt_probe_read(a, path, &text) < 0)
			continue;
		tt_lines_init(&l, text.data ? text.data : "", text.len);
		while (tt_lines_next(&l, line, sizeof(line), false, NULL) > 0) {
			struct tm tm = { 0 };
			const char *end;

			if (strncmp(line, "Date:", 5) != 0)
				continue;
			/* "Sat, 05 Dec 2026 06:00:00 UTC" */
			end = strptime(tt_trim(line + 5),
			    "%a, %d %b %Y %H:%M:%S", &tm);
			if (end != NULL)
				t = timegm(&tm);
			break;
		}
		tt_buf_free(&text);
		if (t > 0)
			return t;
	}
	return 0;
}

/* The security versions: every list's packages, sorted by name. */
static int
load_lists(struct tt_audit *a, const struct tt_strv *lists, struct pkgs *sec,
    time_t *newest, char *err, size_t errlen)
{
	size_t total = 0;
	int r = 0;

	for (size_t i = 0; r == 0 && i < lists->n; i++) {
		struct tt_buf text;
		time_t t;

		if (tt_audit_timed_out(a)) {
			tt_seterr(err, errlen, "%s", a->budget.why);
			return -ETIMEDOUT;
		}
		if ((r = tt_read_file(a->root, lists->v[i], LIST_MAX - total,
			 &text)) < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    lists->v[i], tt_strerror(r));
			return r;
		}
		total += text.len;
		r = parse_stanzas(text.data ? text.data : "", text.len, false,
		    sec);
		tt_buf_free(&text);
		if ((t = suite_date(a, lists->v[i])) > *newest)
			*newest = t;
	}
	if (r == 0 && sec->n > 0)
		qsort(sec->v, sec->n, sizeof(*sec->v), by_name);
	return r;
}

/* The highest version of name among the lists (they may hold several). */
static const char *
candidate(const struct pkgs *sec, const char *name)
{
	struct pkg key = { (char *)name, NULL }, *hit;
	const char *best;
	size_t i;

	if (sec->n == 0 ||
	    (hit = bsearch(&key, sec->v, sec->n, sizeof(key), by_name)) == NULL)
		return NULL;
	i = (size_t)(hit - sec->v);
	while (i > 0 && TT_STREQ(sec->v[i - 1].name, name))
		i--;
	best = sec->v[i].version;
	for (; i < sec->n && TT_STREQ(sec->v[i].name, name); i++)
		if (tt_deb_vercmp(sec->v[i].version, best) > 0)
			best = sec->v[i].version;
	return best;
}

static int
debian(struct tt_audit *a, const struct tt_strv *lists, struct tt_items *out,
    char *err, size_t errlen)
{
	struct pkgs sec = { 0 }, inst = { 0 };
	struct tt_buf status, shown;
	time_t newest = 0;
	size_t pending = 0;
	struct tt_item *it;
	char date[32] = "";
	int r;

	if ((r = load_lists(a, lists, &sec, &newest, err, errlen)) < 0)
		goto out;
	if ((r = tt_read_file(a->root, DPKG_STATUS, LIST_MAX, &status)) < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", DPKG_STATUS,
		    tt_strerror(r));
		goto out;
	}
	r = parse_stanzas(status.data ? status.data : "", status.len, true,
	    &inst);
	tt_buf_free(&status);
	if (r < 0)
		goto out;
	tt_buf_init(&shown, (size_t)64 * 1024);
	for (size_t i = 0; i < inst.n; i++) {
		const char *c = candidate(&sec, inst.v[i].name);

		if (c == NULL || tt_deb_vercmp(c, inst.v[i].version) <= 0)
			continue;
		if (pending++ < SHOWN)
			tt_buf_printf(&shown, "%s%s %s -> %s",
			    shown.len ? ", " : "", inst.v[i].name,
			    inst.v[i].version, c);
	}
	if (pending > SHOWN)
		tt_buf_printf(&shown, ", and %zu more", pending - SHOWN);
	if (newest > 0) {
		struct tm tm;

		(void)gmtime_r(&newest, &tm);
		(void)strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_setf(it, "pending", "%zu", pending)) < 0 ||
	    (r = tt_item_set(it, "packages", shown.data ? shown.data : "")) <
		0 ||
	    (r = tt_item_setf(it, "source", "%zu apt list(s): %s", lists->n,
		 lists->v[0])) < 0 ||
	    (r = tt_item_set(it, "metadata_date", date)) < 0) {
		tt_buf_free(&shown);
		goto out;
	}
	tt_buf_free(&shown);
out:
	pkgs_free(&sec);
	pkgs_free(&inst);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv lists = { 0 }, packed = { 0 };
	const char *suite = tt_param(p, "suite", "security");
	char pattern[256];
	struct stat st;
	int r;

	/* A word, not a pattern: the glob stays in the lists directory. */
	if (suite[0] == '\0' || strlen(suite) > 64 ||
	    strspn(suite, "abcdefghijklmnopqrstuvwxyz0123456789-") !=
		strlen(suite)) {
		tt_seterr(err, errlen,
		    "suite '%.64s' is not a word of [a-z0-9-]", suite);
		return -EINVAL;
	}
	snprintf(pattern, sizeof(pattern), LISTS "*%s*_Packages", suite);
	if ((r = tt_probe_glob(a, pattern, &lists, err, errlen)) < 0)
		return r;
	if (lists.n > 0) {
		r = debian(a, &lists, out, err, errlen);
		tt_strv_free(&lists);
		return r;
	}
	if (tt_root_stat(a->root, DPKG_STATUS, &st, true) == 0) {
		snprintf(pattern, sizeof(pattern), LISTS "*%s*_Packages.*",
		    suite);
		r = tt_probe_glob(a, pattern, &packed, err, errlen);
		if (r == 0 && packed.n > 0)
			tt_seterr(err, errlen,
			    "security metadata unreadable: the apt lists are "
			    "compressed (%s), which tattoo does not read",
			    packed.v[0]);
		else if (r == 0)
			tt_seterr(err, errlen,
			    "security metadata absent: no apt list of a "
			    "%s suite in " LISTS " (run apt-get update "
			    "with that suite in the sources)",
			    suite);
		tt_strv_free(&packed);
		return r < 0 ? r : -ENOENT;
	}
	if (tt_rpmdb_present(a->root))
		return tt_dnf_pending(a, out, err, errlen);
	tt_seterr(err, errlen,
	    "no package database (neither " DPKG_STATUS " nor an rpm "
	    "database)");
	return -ENOENT;
}

const struct tt_probe tt_probe_pending_updates = {
	.name = "pending_updates",
	.description = "installed packages with a newer version in the "
		       "image's own security metadata (apt lists of the "
		       "security suite; dnf updateinfo)",
	.params = params,
	.fields = fields,
	.run = run,
};
