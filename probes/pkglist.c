#include "fileio.h"
#include "log.h"
#include "pkglist.h"
#include "rpmdb.h"
#include "text.h"
#include "tt.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define DPKG_STATUS_MAX ((size_t)64 * 1024 * 1024)
#define FIELD_MAX 1024

static int
cmp_pkg(const void *a, const void *b)
{
	const struct tt_pkg *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = strcmp(x->arch, y->arch)) != 0)
		return c;
	if ((c = strcmp(x->epoch, y->epoch)) != 0)
		return c;
	return strcmp(x->version, y->version);
}

static void
pkg_free(struct tt_pkg *p)
{
	free(p->name);
	free(p->version);
	free(p->epoch);
	free(p->arch);
	free(p->source);
	free(p->source_version);
	free(p->supplier);
	memset(p, 0, sizeof(*p));
}

/* Appends a package; every field is copied ("" for NULL). */
static int
add(struct tt_pkglist *l, size_t *cap, const char *const f[7])
{
	struct tt_pkg *p;
	char **dst[7];

	if (l->n == *cap) {
		size_t c = *cap ? *cap * 2 : 256;
		struct tt_pkg *v = reallocarray(l->v, c, sizeof(*v));

		if (v == NULL)
			return -ENOMEM;
		l->v = v;
		*cap = c;
	}
	p = &l->v[l->n];
	memset(p, 0, sizeof(*p));
	dst[0] = &p->name;
	dst[1] = &p->version;
	dst[2] = &p->epoch;
	dst[3] = &p->arch;
	dst[4] = &p->source;
	dst[5] = &p->source_version;
	dst[6] = &p->supplier;
	for (size_t i = 0; i < 7; i++) {
		if ((*dst[i] = strdup(f[i] ? f[i] : "")) == NULL) {
			pkg_free(p);
			return -ENOMEM;
		}
	}
	l->n++;
	return 0;
}

static void
sort(struct tt_pkglist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_pkg);
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

/* The stanza's fields, flushed at a blank line or the end. */
struct stanza {
	char name[256], version[256], arch[64], source[FIELD_MAX];
	char supplier[FIELD_MAX];
	bool installed;
};

static int
flush(struct tt_pkglist *l, size_t *cap, struct stanza *s)
{
	char src[FIELD_MAX], *sv = NULL, *sp;
	const char *f[7];
	int r = 0;

	if (s->installed && s->name[0] != '\0') {
		/* "Source: name (version)" when the binary's version differs
		 * from its source's (binNMUs, packages built with their own
		 * version); no Source: the source is the package itself. */
		strlcpy(src, s->source[0] ? s->source : s->name, sizeof(src));
		if ((sp = strchr(src, ' ')) != NULL) {
			*sp = '\0';
			if ((sv = strchr(sp + 1, '(')) != NULL) {
				sv++;
				sv[strcspn(sv, ")")] = '\0';
				sv = trim(sv);
			}
		}
		f[0] = s->name;
		f[1] = s->version;
		f[2] = "";
		f[3] = s->arch;
		f[4] = src;
		f[5] = sv != NULL && strcmp(sv, s->version) != 0 ? sv : "";
		f[6] = s->supplier;
		r = add(l, cap, f);
	}
	memset(s, 0, sizeof(*s));
	return r;
}

int
tt_pkglist_parse_dpkg(const char *text, size_t len, struct tt_pkglist *l)
{
	static const struct {
		const char *key;
		size_t off, size;
	} keys[] = {
		{ "Package:", offsetof(struct stanza, name), 256 },
		{ "Version:", offsetof(struct stanza, version), 256 },
		{ "Architecture:", offsetof(struct stanza, arch), 64 },
		{ "Source:", offsetof(struct stanza, source), FIELD_MAX },
		{ "Maintainer:", offsetof(struct stanza, supplier), FIELD_MAX },
	};
	char line[4096];
	struct stanza s = { 0 };
	struct tt_lines lines;
	size_t cap = l->n;
	int r = 0;

	tt_lines_init(&lines, text, len);
	while (r == 0 &&
	    tt_lines_next(&lines, line, sizeof(line), false, NULL) > 0) {
		if (trim(line)[0] == '\0') {
			r = flush(l, &cap, &s);
			continue;
		}
		/* A continuation line (Description, Conffiles) is no field. */
		if (line[0] == ' ' || line[0] == '\t')
			continue;
		if (strncmp(line, "Status:", 7) == 0) {
			char *w = strrchr(trim(line + 7), ' ');

			s.installed = w != NULL && TT_STREQ(w + 1, "installed");
			continue;
		}
		for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++)
			if (strncmp(line, keys[i].key, strlen(keys[i].key)) ==
			    0)
				strlcpy((char *)&s + keys[i].off,
				    trim(line + strlen(keys[i].key)),
				    keys[i].size);
	}
	if (r == 0)
		r = flush(l, &cap, &s);
	sort(l);
	return r;
}

/* The source package's name from a SOURCERPM ("bash-5.1.8-9.el9.src.rpm"):
 * the part before the last two dashes. */
static void
srpm_name(const char *srpm, char *out, size_t len)
{
	char *d;

	strlcpy(out, srpm, len);
	for (int i = 0; i < 2; i++) {
		if ((d = strrchr(out, '-')) == NULL) {
			out[0] = '\0';
			return;
		}
		*d = '\0';
	}
}

int
tt_pkglist_parse_rpm(const char *text, size_t len, struct tt_pkglist *l)
{
	size_t pos = 0, cap = l->n;
	int r = 0;

	while (r == 0 && pos < len) {
		const char *line = text + pos, *nl;
		char buf[4096], *f[7], *save = NULL, *tok, vr[600], src[512];
		const char *g[7];
		size_t n, k = 0;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		if (n == 0 || n >= sizeof(buf) || memchr(line, '\0', n) != NULL)
			continue;
		memcpy(buf, line, n);
		buf[n] = '\0';
		/* strsep, not strtok: an empty field stays a field. */
		for (save = buf; k < 7 && (tok = strsep(&save, "\t")) != NULL;)
			f[k++] = tok;
		if (k != 7 || f[0][0] == '\0')
			continue;
		/* gpg-pubkey entries are keys rpm imported, not software. */
		if (TT_STREQ(f[0], "gpg-pubkey"))
			continue;
		for (size_t i = 1; i < 7; i++)
			if (TT_STREQ(f[i], "(none)"))
				f[i] = "";
		snprintf(vr, sizeof(vr), "%s-%s", f[2], f[3]);
		srpm_name(f[5], src, sizeof(src));
		g[0] = f[0];
		g[1] = vr;
		g[2] = f[1];
		g[3] = f[4];
		g[4] = src;
		g[5] = "";
		g[6] = f[6];
		r = add(l, &cap, g);
	}
	sort(l);
	return r;
}

void
tt_pkg_full_version(const struct tt_pkg *p, char *out, size_t len)
{
	if (p->epoch[0] != '\0')
		snprintf(out, len, "%s:%s", p->epoch, p->version);
	else
		strlcpy(out, p->version, len);
}

int
tt_pkglist_load(const struct tt_root *root, struct tt_pkglist *ret, char *err,
    size_t errlen)
{
	struct tt_buf text;
	int r;

	memset(ret, 0, sizeof(*ret));
	r = tt_osrelease_load(&ret->os, root);
	if (r < 0 && r != -ENOENT) {
		tt_seterr(err, errlen, "cannot read the os-release: %s",
		    tt_strerror(r));
		goto fail;
	}
	r = tt_read_file(root, DPKG_STATUS, DPKG_STATUS_MAX, &text);
	if (r == 0) {
		ret->type = TT_PKG_DEB;
		r = tt_pkglist_parse_dpkg(text.data ? text.data : "", text.len,
		    ret);
		tt_buf_free(&text);
		if (r < 0)
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    DPKG_STATUS, tt_strerror(r));
	} else if (r == -ENOENT && tt_rpmdb_present(root)) {
		ret->type = TT_PKG_RPM;
		if ((r = tt_rpmdb_query(root, TT_PKGLIST_RPM_QF, &text, err,
			 errlen)) == 0) {
			r = tt_pkglist_parse_rpm(text.data ? text.data : "",
			    text.len, ret);
			tt_buf_free(&text);
		}
	} else if (r == -ENOENT) {
		r = 0;
	} else {
		tt_seterr(err, errlen, "cannot read '%s': %s", DPKG_STATUS,
		    tt_strerror(r));
	}
	if (r == 0)
		return 0;
fail:
	tt_pkglist_free(ret);
	return r;
}

void
tt_pkglist_free(struct tt_pkglist *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->n; i++)
		pkg_free(&l->v[i]);
	TT_FREE(l->v);
	l->n = 0;
	tt_osrelease_free(&l->os);
}
