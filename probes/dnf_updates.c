#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include "dnf_updates.h"
#include "fileio.h"
#include "log.h"
#include "rpmdb.h"
#include "rpmversion.h"
#include "unpack.h"
#include "util.h"
#include "xmlpull.h"
#include "tt.h"

#define REPOMD_MAX ((size_t)1024 * 1024)
#define UPDATEINFO_IN_MAX ((uint64_t)64 * 1024 * 1024)
#define UPDATEINFO_OUT_MAX ((uint64_t)256 * 1024 * 1024)
#define ADVISORY_PKGS_MAX 1000000
#define SHOWN 20
#define QF "%{NAME}\\t%{EPOCHNUM}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\n"

static const char *const repomd_globs[] = {
	"/var/cache/dnf/*/repodata/repomd.xml",
	"/var/cache/libdnf5/*/repodata/repomd.xml",
};

/* A package of an advisory, or an installed one. */
struct rpm {
	char *name, *arch, *epoch, *version, *release, *advisory;
};

struct rpms {
	struct rpm *v;
	size_t n, cap;
};

static void
rpms_free(struct rpms *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].name);
		free(p->v[i].arch);
		free(p->v[i].epoch);
		free(p->v[i].version);
		free(p->v[i].release);
		free(p->v[i].advisory);
	}
	free(p->v);
	memset(p, 0, sizeof(*p));
}

static int
rpms_add(struct rpms *p, const char *name, const char *arch, const char *epoch,
    const char *version, const char *release, const char *advisory)
{
	struct rpm *e;

	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 256;
		struct rpm *v = reallocarray(p->v, cap, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		p->v = v;
		p->cap = cap;
	}
	e = &p->v[p->n];
	memset(e, 0, sizeof(*e));
	e->name = strdup(name);
	e->arch = strdup(arch);
	e->epoch = strdup(epoch);
	e->version = strdup(version);
	e->release = strdup(release);
	e->advisory = strdup(advisory);
	p->n++;
	if (!e->name || !e->arch || !e->epoch || !e->version || !e->release ||
	    !e->advisory)
		return -ENOMEM;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct rpm *)a)->name,
	    ((const struct rpm *)b)->name);
}

static int
evrcmp(const struct rpm *a, const struct rpm *b)
{
	return tt_rpm_evrcmp(a->epoch, a->version, a->release, b->epoch,
	    b->version, b->release);
}

/* What repomd.xml says of updateinfo: its location and timestamp. */
struct repo {
	char href[256];
	long long timestamp;
	bool found;
};

static int
read_repomd(const char *path, const char *text, size_t len, struct repo *rp,
    char *err, size_t errlen)
{
	struct tt_xml x;
	struct tt_xml_tok t;
	char why[256], buf[256];
	bool in_ui = false, in_ts = false;
	int r;

	memset(rp, 0, sizeof(*rp));
	tt_xml_init(&x, text, len);
	while ((r = tt_xml_next(&x, &t, why, sizeof(why))) > 0) {
		if (t.kind == TT_XML_START && t.depth == 2 &&
		    tt_xml_is(&t, "data")) {
			in_ui = tt_xml_attr(&t, "type", buf, sizeof(buf)) > 0 &&
			    TT_STREQ(buf, "updateinfo");
			/* The first updateinfo entry is the one dnf reads. */
			in_ui = in_ui && !rp->found;
			rp->found = rp->found || in_ui;
		} else if (t.kind == TT_XML_START && in_ui &&
		    tt_xml_is(&t, "location")) {
			if (tt_xml_attr(&t, "href", rp->href,
				sizeof(rp->href)) <= 0) {
				tt_seterr(err, errlen,
				    "dnf metadata unreadable: '%s' line %zu: "
				    "updateinfo location without a usable "
				    "href",
				    path, tt_xml_line(&x));
				return -EINVAL;
			}
		} else if (t.kind == TT_XML_START && in_ui) {
			in_ts = tt_xml_is(&t, "timestamp");
		} else if (t.kind == TT_XML_TEXT && in_ts) {
			char *end;

			if (tt_xml_text(&t, buf, sizeof(buf)) == 0) {
				long long v = strtoll(buf, &end, 10);

				if (end != buf && *end == '\0' && v > 0)
					rp->timestamp = v;
			}
		} else if (t.kind == TT_XML_END) {
			in_ts = false;
			if (t.depth == 2 && tt_xml_is(&t, "data"))
				in_ui = false;
		}
	}
	if (r < 0) {
		tt_seterr(err, errlen, "dnf metadata unreadable: '%s' %s", path,
		    why);
		return r;
	}
	if (rp->found && rp->href[0] == '\0') {
		tt_seterr(err, errlen,
		    "dnf metadata unreadable: '%s': updateinfo without a "
		    "location",
		    path);
		return -EINVAL;
	}
	return 0;
}

/*
 * The updateinfo file of the repository whose repomd.xml is at repomd:
 * its path into out.  The href must be repodata/NAME: the image's
 * metadata never chooses another directory.
 */
static int
updateinfo_path(const char *repomd, const char *href, char *out, size_t outlen,
    char *err, size_t errlen)
{
	const char *name = href + 9;
	size_t dirlen = strlen(repomd) - strlen("repomd.xml");

	if (strncmp(href, "repodata/", 9) != 0 || name[0] == '\0' ||
	    name[0] == '.' ||
	    strspn(name,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789._-+") != strlen(name)) {
		tt_seterr(err, errlen,
		    "dnf metadata unreadable: '%s': updateinfo location "
		    "'%.100s' is not repodata/NAME",
		    repomd, href);
		return -EINVAL;
	}
	if (dirlen + strlen(name) >= outlen) {
		tt_seterr(err, errlen,
		    "dnf metadata unreadable: '%s': path "
		    "too long",
		    repomd);
		return -ENAMETOOLONG;
	}
	snprintf(out, outlen, "%.*s%s", (int)dirlen, repomd, name);
	return 0;
}

static bool
deadline_passed(void *arg)
{
	return tt_audit_timed_out(arg);
}

/* The updateinfo file decompressed into text. */
static int
load_updateinfo(struct tt_audit *a, const char *path, struct tt_buf *text,
    char *err, size_t errlen)
{
	struct tt_unpack_limits lim;
	char why[256], filter[32];
	size_t n = strlen(path);
	int fd, r;

	if (n > 4 && TT_STREQ(path + n - 4, ".zck")) {
		tt_seterr(err, errlen,
		    "dnf metadata unreadable: '%s' is zchunk (.zck), which "
		    "libarchive does not read",
		    path);
		return -ENOTSUP;
	}
	fd = tt_root_open(a->root, path,
	    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
	if (fd == -ENOENT) {
		tt_seterr(err, errlen,
		    "dnf metadata absent: '%s', which its repomd.xml lists, "
		    "is not in the cache",
		    path);
		return fd;
	}
	if (fd < 0) {
		tt_seterr(err, errlen, "dnf metadata unreadable: '%s': %s",
		    path, tt_strerror(fd));
		return fd;
	}
	tt_unpack_limits_default(&lim);
	lim.max_input = UPDATEINFO_IN_MAX;
	lim.max_output = UPDATEINFO_OUT_MAX;
	lim.cancelled = deadline_passed;
	lim.arg = a;
	r = tt_unpack_stream(fd, &lim, text, filter, sizeof(filter), why,
	    sizeof(why));
	close(fd);
	if (r < 0)
		tt_seterr(err, errlen, "dnf metadata unreadable: '%s': %s",
		    path, why);
	return r;
}

/* The packages of the security advisories of one updateinfo.xml. */
static int
read_updateinfo(const char *path, const struct tt_buf *text, struct rpms *sec,
    char *err, size_t errlen)
{
	struct tt_xml x;
	struct tt_xml_tok t;
	char why[256], type[64], id[128] = "", name[256], arch[64], epoch[32],
				 version[128], release[128];
	bool security = false, in_id = false;
	int r;

	tt_xml_init(&x, text->data ? text->data : "", text->len);
	while ((r = tt_xml_next(&x, &t, why, sizeof(why))) > 0) {
		if (t.kind == TT_XML_START && tt_xml_is(&t, "update")) {
			security =
			    tt_xml_attr(&t, "type", type, sizeof(type)) > 0 &&
			    TT_STREQ(type, "security");
			id[0] = '\0';
		} else if (t.kind == TT_XML_START && security &&
		    tt_xml_is(&t, "id")) {
			in_id = true;
		} else if (t.kind == TT_XML_TEXT && in_id) {
			(void)tt_xml_text(&t, id, sizeof(id));
		} else if (t.kind == TT_XML_START && security &&
		    tt_xml_is(&t, "package")) {
			if (tt_xml_attr(&t, "name", name, sizeof(name)) <= 0 ||
			    tt_xml_attr(&t, "version", version,
				sizeof(version)) <= 0 ||
			    tt_xml_attr(&t, "release", release,
				sizeof(release)) <= 0 ||
			    tt_xml_attr(&t, "arch", arch, sizeof(arch)) < 0 ||
			    tt_xml_attr(&t, "epoch", epoch, sizeof(epoch)) <
				0 ||
			    name[0] == '\0' || version[0] == '\0') {
				tt_seterr(err, errlen,
				    "dnf metadata unreadable: '%s' line %zu: "
				    "a package without a usable name, "
				    "version or release",
				    path, tt_xml_line(&x));
				return -EINVAL;
			}
			if (TT_STREQ(arch, "src"))
				continue;
			if (sec->n >= ADVISORY_PKGS_MAX) {
				tt_seterr(err, errlen,
				    "dnf metadata unreadable: '%s': more "
				    "than %d advisory packages",
				    path, ADVISORY_PKGS_MAX);
				return -E2BIG;
			}
			if ((r = rpms_add(sec, name, arch, epoch, version,
				 release, id)) < 0)
				return r;
		} else if (t.kind == TT_XML_END) {
			in_id = false;
			if (tt_xml_is(&t, "update"))
				security = false;
		}
	}
	if (r < 0) {
		tt_seterr(err, errlen, "dnf metadata unreadable: '%s' %s", path,
		    why);
		return r;
	}
	return 0;
}

/* The installed packages, with their architectures. */
static int
installed(struct tt_audit *a, struct rpms *inst, char *err, size_t errlen)
{
	struct tt_buf out;
	struct tt_lines l;
	char line[1024];
	int r;

	if ((r = tt_rpmdb_query(a->root, QF, &out, err, errlen)) < 0)
		return r;
	tt_lines_init(&l, out.data ? out.data : "", out.len);
	while (
	    r == 0 && tt_lines_next(&l, line, sizeof(line), false, NULL) > 0) {
		char *f[5], *p = line;
		size_t n = 0;

		for (char *w; n < 5 && (w = strsep(&p, "\t")) != NULL;)
			f[n++] = w;
		if (n == 5 && f[0][0] != '\0')
			r = rpms_add(inst, f[0], f[4], f[1], f[2], f[3], "");
	}
	tt_buf_free(&out);
	return r;
}

/* The newest advisory version of inst's name and architecture. */
static const struct rpm *
candidate(const struct rpms *sec, const struct rpm *inst)
{
	struct rpm key = { .name = inst->name };
	const struct rpm *hit, *best = NULL;
	size_t i;

	if (sec->n == 0 ||
	    (hit = bsearch(&key, sec->v, sec->n, sizeof(key), by_name)) == NULL)
		return NULL;
	i = (size_t)(hit - sec->v);
	while (i > 0 && TT_STREQ(sec->v[i - 1].name, inst->name))
		i--;
	for (; i < sec->n && TT_STREQ(sec->v[i].name, inst->name); i++) {
		const struct rpm *c = &sec->v[i];

		if (!TT_STREQ(c->arch, inst->arch) &&
		    !TT_STREQ(c->arch, "noarch") &&
		    !TT_STREQ(inst->arch, "noarch") && c->arch[0] != '\0')
			continue;
		if (best == NULL || evrcmp(c, best) > 0)
			best = c;
	}
	return best;
}

static void
evr_text(struct tt_buf *b, const struct rpm *p)
{
	if (p->epoch[0] != '\0' && !TT_STREQ(p->epoch, "0"))
		tt_buf_printf(b, "%s:", p->epoch);
	tt_buf_printf(b, "%s-%s", p->version, p->release);
}

static int
item(const struct rpms *sec, const struct rpms *inst, size_t nrepos,
    const char *first, long long newest, struct tt_items *out)
{
	struct tt_buf shown;
	size_t pending = 0;
	struct tt_item *it;
	char date[32] = "";
	int r;

	tt_buf_init(&shown, (size_t)64 * 1024);
	for (size_t i = 0; i < inst->n; i++) {
		const struct rpm *c = candidate(sec, &inst->v[i]);

		if (c == NULL || evrcmp(c, &inst->v[i]) <= 0)
			continue;
		if (pending++ >= SHOWN)
			continue;
		tt_buf_printf(&shown, "%s%s ", shown.len ? ", " : "",
		    inst->v[i].name);
		evr_text(&shown, &inst->v[i]);
		tt_buf_puts(&shown, " -> ");
		evr_text(&shown, c);
		if (c->advisory[0] != '\0')
			tt_buf_printf(&shown, " (%s)", c->advisory);
	}
	if (pending > SHOWN)
		tt_buf_printf(&shown, ", and %zu more", pending - SHOWN);
	if (newest > 0) {
		time_t t = (time_t)newest;
		struct tm tm;

		if (gmtime_r(&t, &tm) != NULL)
			(void)strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ",
			    &tm);
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_setf(it, "pending", "%zu", pending)) < 0 ||
	    (r = tt_item_set(it, "packages", shown.data ? shown.data : "")) <
		0 ||
	    (r = tt_item_setf(it, "source",
		 "dnf updateinfo of %zu "
		 "repositor%s: %s",
		 nrepos, nrepos == 1 ? "y" : "ies", first)) < 0)
		goto out;
	r = tt_item_set(it, "metadata_date", date);
out:
	tt_buf_free(&shown);
	return r;
}

int
tt_dnf_pending(struct tt_audit *a, struct tt_items *out, char *err,
    size_t errlen)
{
	struct tt_strv repomds = { 0 };
	struct rpms sec = { 0 }, inst = { 0 };
	char first[512] = "";
	long long newest = 0;
	size_t nrepos = 0;
	int r = 0;

	for (size_t g = 0; r == 0 && g < TT_ARRAY_SIZE(repomd_globs); g++)
		r = tt_probe_glob(a, repomd_globs[g], &repomds, err, errlen);
	if (r < 0)
		goto out;
	if (repomds.n == 0) {
		tt_seterr(err, errlen,
		    "dnf metadata absent: no repodata/repomd.xml in "
		    "/var/cache/dnf or /var/cache/libdnf5 (run dnf makecache "
		    "in the image)");
		r = -ENOENT;
		goto out;
	}
	for (size_t i = 0; r == 0 && i < repomds.n; i++) {
		struct tt_buf text;
		struct repo rp;
		char path[1024];

		if ((r = tt_read_file(a->root, repomds.v[i], REPOMD_MAX,
			 &text)) < 0) {
			tt_seterr(err, errlen,
			    "dnf metadata unreadable: '%s': %s", repomds.v[i],
			    tt_strerror(r));
			break;
		}
		r = read_repomd(repomds.v[i], text.data ? text.data : "",
		    text.len, &rp, err, errlen);
		tt_buf_free(&text);
		if (r < 0 || !rp.found)
			continue;
		if ((r = updateinfo_path(repomds.v[i], rp.href, path,
			 sizeof(path), err, errlen)) < 0 ||
		    (r = load_updateinfo(a, path, &text, err, errlen)) < 0)
			break;
		r = read_updateinfo(path, &text, &sec, err, errlen);
		tt_buf_free(&text);
		if (nrepos++ == 0)
			strlcpy(first, path, sizeof(first));
		if (rp.timestamp > newest)
			newest = rp.timestamp;
	}
	if (r < 0)
		goto out;
	if (nrepos == 0) {
		tt_seterr(err, errlen,
		    "dnf metadata absent: no repository's repomd.xml lists "
		    "updateinfo (%s)",
		    repomds.v[0]);
		r = -ENOENT;
		goto out;
	}
	if (sec.n > 0)
		qsort(sec.v, sec.n, sizeof(*sec.v), by_name);
	if ((r = installed(a, &inst, err, errlen)) < 0)
		goto out;
	r = item(&sec, &inst, nrepos, first, newest, out);
out:
	tt_strv_free(&repomds);
	rpms_free(&sec);
	rpms_free(&inst);
	return r;
}
