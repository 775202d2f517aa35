#include "dpkgdb.h"
#include "fileio.h"
#include "log.h"
#include "rpmdb.h"
#include "util.h"
#include "tt.h"

#define DPKG_STATUS "/var/lib/dpkg/status"
#define DPKG_STATUS_MAX ((size_t)64 * 1024 * 1024)

static const struct tt_param_spec params[] = {
	{ "name", TT_PARAM_STRING, true, NULL, "the package name" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "name", "installed", "version", NULL };

/* Installed packages, "name\0version" strings sorted by name. */
struct pkgdb {
	struct tt_strv pkgs;
};

static void
pkgdb_destroy(void *p)
{
	struct pkgdb *db = p;

	if (db == NULL)
		return;
	tt_strv_free(&db->pkgs);
	free(db);
}

static int
flush(struct pkgdb *db, const char *name, const char *version, bool installed)
{
	char entry[1024];
	size_t n;

	if (!installed || name[0] == '\0')
		return 0;
	n = strlcpy(entry, name, sizeof(entry));
	if (n + 2 + strlen(version) > sizeof(entry))
		return 0;
	if (tt_strv_add(&db->pkgs, entry) < 0)
		return -ENOMEM;
	/* Keep the version after the name's NUL in the same string. */
	{
		char *s = realloc(db->pkgs.v[db->pkgs.n - 1],
		    n + 2 + strlen(version));

		if (s == NULL)
			return -ENOMEM;
		memcpy(s + n + 1, version, strlen(version) + 1);
		db->pkgs.v[db->pkgs.n - 1] = s;
	}
	return 0;
}

/*
 * dpkg's status file: stanzas separated by blank lines; "Status: want ok
 * installed" (the third word) says the package is installed.  Streaming
 * over the text keeps only installed names and versions.
 */
static int
parse(struct pkgdb *db, const char *text, size_t len)
{
	char line[TT_PROBE_LINE_MAX], name[256] = "", version[256] = "";
	bool installed = false;
	struct tt_lines l;
	int r = 0;

	tt_lines_init(&l, text, len);
	while (
	    r == 0 && tt_lines_next(&l, line, sizeof(line), false, NULL) > 0) {
		if (line[0] == '\0') {
			r = flush(db, name, version, installed);
			name[0] = version[0] = '\0';
			installed = false;
		} else if (strncmp(line, "Package:", 8) == 0) {
			strlcpy(name, tt_trim(line + 8), sizeof(name));
		} else if (strncmp(line, "Version:", 8) == 0) {
			strlcpy(version, tt_trim(line + 8), sizeof(version));
		} else if (strncmp(line, "Status:", 7) == 0) {
			char *s = tt_trim(line + 7), *w = strrchr(s, ' ');

			installed = w != NULL && TT_STREQ(w + 1, "installed");
		}
	}
	if (r == 0)
		r = flush(db, name, version, installed);
	tt_strv_sort(&db->pkgs);
	return r;
}

static int
cmp_key(const void *k, const void *e)
{
	return strcmp(k, *(char *const *)e);
}

int
tt_dpkg_lookup(const struct tt_root *root, const char *name,
    bool *ret_installed, char *ret_version, size_t version_len)
{
	struct pkgdb db = { 0 };
	struct tt_buf text;
	char **hit;
	int r;

	*ret_installed = false;
	ret_version[0] = '\0';
	if ((r = tt_read_file(root, DPKG_STATUS, DPKG_STATUS_MAX, &text)) < 0)
		return r;
	r = parse(&db, text.data ? text.data : "", text.len);
	tt_buf_free(&text);
	if (r == 0 && db.pkgs.n > 0 &&
	    (hit = bsearch(name, db.pkgs.v, db.pkgs.n, sizeof(char *),
		 cmp_key)) != NULL) {
		*ret_installed = true;
		strlcpy(ret_version, *hit + strlen(*hit) + 1, version_len);
	}
	tt_strv_free(&db.pkgs);
	return r;
}

/* The RHEL family: the image's rpm database, read once per audit. */
static int
load_rpm(struct tt_audit *a, struct pkgdb *db, char *err, size_t errlen)
{
	struct tt_rpmdb rpm;
	int r;

	if ((r = tt_rpmdb_load(a->root, &rpm, err, errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < rpm.n; i++)
		r = flush(db, rpm.v[i].name, rpm.v[i].evr, true);
	tt_rpmdb_free(&rpm);
	tt_strv_sort(&db->pkgs);
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *name = tt_param(p, "name", "");
	struct pkgdb *db;
	struct tt_item *it;
	char **hit;
	void *data;
	int r, cerr;

	if (tt_audit_cache_get(a, "dpkg", &data, &cerr)) {
		if (cerr < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    DPKG_STATUS, tt_strerror(cerr));
			return cerr;
		}
		db = data;
	} else {
		struct tt_buf text;

		if ((db = calloc(1, sizeof(*db))) == NULL)
			return -ENOMEM;
		r = tt_read_file(a->root, DPKG_STATUS, DPKG_STATUS_MAX, &text);
		if (r == 0) {
			r = parse(db, text.data, text.len);
			tt_buf_free(&text);
		} else if (r == -ENOENT && tt_rpmdb_present(a->root)) {
			r = load_rpm(a, db, err, errlen);
			if (r < 0) {
				pkgdb_destroy(db);
				tt_audit_cache_put(a, "dpkg", NULL, NULL, r);
				return r;
			}
		} else if (r == -ENOENT) {
			r = 0; /* no package database: nothing installed */
		}
		if (r < 0) {
			pkgdb_destroy(db);
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    DPKG_STATUS, tt_strerror(r));
			tt_audit_cache_put(a, "dpkg", NULL, NULL, r);
			return r;
		}
		if ((r = tt_audit_cache_put(a, "dpkg", db, pkgdb_destroy, 0)) <
		    0)
			return r;
	}
	hit = db->pkgs.n == 0 ?
	    NULL :
	    bsearch(name, db->pkgs.v, db->pkgs.n, sizeof(char *), cmp_key);
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "name", name)) < 0 ||
	    (r = tt_item_set_bool(it, "installed", hit != NULL)) < 0)
		return r;
	return tt_item_set(it, "version", hit ? *hit + strlen(*hit) + 1 : "");
}

const struct tt_probe tt_probe_package = {
	.name = "package",
	.description = "whether a package is installed, from dpkg's status "
		       "database or the rpm database",
	.params = params,
	.fields = fields,
	.run = run,
};
