#include <sys/stat.h>

#include "process.h"
#include "rpmdb.h"
#include "tt.h"

#define RPM_OUTPUT_MAX ((size_t)16 * 1024 * 1024)
#define RPM_TIMEOUT_MS 60000

const char *
tt_rpmdb_dir(const struct tt_root *root)
{
	static const char *const dirs[] = { "/var/lib/rpm",
		"/usr/lib/sysimage/rpm" };
	struct stat st;

	for (size_t i = 0; i < TT_ARRAY_SIZE(dirs); i++)
		if (tt_root_stat(root, dirs[i], &st, true) == 0 &&
		    S_ISDIR(st.st_mode))
			return dirs[i];
	return NULL;
}

bool
tt_rpmdb_present(const struct tt_root *root)
{
	return tt_rpmdb_dir(root) != NULL;
}

static int
cmp_pkg(const void *a, const void *b)
{
	return strcmp(((const struct tt_rpm_package *)a)->name,
	    ((const struct tt_rpm_package *)b)->name);
}

int
tt_rpmdb_parse(const char *text, size_t len, struct tt_rpmdb *ret)
{
	size_t pos = 0, cap = 0;

	memset(ret, 0, sizeof(*ret));
	while (pos < len) {
		const char *line = text + pos, *nl, *tab;
		size_t n;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) : len - pos;
		pos += n + 1;
		tab = memchr(line, '\t', n);
		/* rpm prints text: a line with a NUL byte is not one of its. */
		if (tab == NULL || tab == line || memchr(line, '\0', n) != NULL)
			continue;
		if (ret->n == cap) {
			size_t c = cap ? cap * 2 : 256;
			struct tt_rpm_package *v =
			    reallocarray(ret->v, c, sizeof(*v));
			if (v == NULL)
				goto nomem;
			ret->v = v;
			cap = c;
		}
		ret->v[ret->n].name = strndup(line, (size_t)(tab - line));
		ret->v[ret->n].evr =
		    strndup(tab + 1, (size_t)(line + n - tab - 1));
		if (ret->v[ret->n].name == NULL || ret->v[ret->n].evr == NULL) {
			free(ret->v[ret->n].name);
			free(ret->v[ret->n].evr);
			goto nomem;
		}
		/* "0:" is rpm's way of saying "no epoch". */
		if (strncmp(ret->v[ret->n].evr, "0:", 2) == 0)
			memmove(ret->v[ret->n].evr, ret->v[ret->n].evr + 2,
			    strlen(ret->v[ret->n].evr + 2) + 1);
		ret->n++;
	}
	if (ret->n > 1)
		qsort(ret->v, ret->n, sizeof(*ret->v), cmp_pkg);
	return 0;
nomem:
	tt_rpmdb_free(ret);
	return -ENOMEM;
}

int
tt_rpmdb_load(const struct tt_root *root, struct tt_rpmdb *ret, char *err,
    size_t errlen)
{
	char hostroot[PATH_MAX],
	    qf[] = "%{NAME}\t%{EPOCHNUM}:%{VERSION}-%{RELEASE}\n";
	char dbpath[64];
	/* The database's place is given: the host's rpm may default to
	 * another one (Debian's says ~/.rpmdb). */
	char *argv[] = { "rpm", "--root", hostroot, "--dbpath", dbpath, "-qa",
		"--qf", qf, NULL };
	struct tt_spawn_result res;
	const char *dir = tt_rpmdb_dir(root);
	int r;

	memset(ret, 0, sizeof(*ret));
	if (dir == NULL) {
		snprintf(err, errlen, "no rpm database in the image");
		return -ENOENT;
	}
	strlcpy(dbpath, dir, sizeof(dbpath));
	if (tt_root_host_path(root, "/", hostroot, sizeof(hostroot)) < 0)
		return -ENAMETOOLONG;
	r = tt_spawn(argv, RPM_OUTPUT_MAX, RPM_TIMEOUT_MS, &res);
	if (r == -ENOENT) {
		snprintf(err, errlen,
		    "the image has an rpm database but this "
		    "machine has no rpm program to read it");
		return r;
	}
	if (r < 0)
		return r;
	if (res.status != 0 || res.timed_out) {
		snprintf(err, errlen,
		    "rpm --root %s -qa failed (status %d): "
		    "%.200s",
		    hostroot, res.status, res.err.data);
		tt_spawn_result_free(&res);
		return -EIO;
	}
	r = tt_rpmdb_parse(res.out.data, res.out.len, ret);
	tt_spawn_result_free(&res);
	return r;
}

const struct tt_rpm_package *
tt_rpmdb_find(const struct tt_rpmdb *db, const char *name)
{
	struct tt_rpm_package key = { .name = (char *)name };

	if (db->n == 0)
		return NULL;
	return bsearch(&key, db->v, db->n, sizeof(*db->v), cmp_pkg);
}

void
tt_rpmdb_free(struct tt_rpmdb *db)
{
	if (db == NULL)
		return;
	for (size_t i = 0; i < db->n; i++) {
		free(db->v[i].name);
		free(db->v[i].evr);
	}
	TT_FREE(db->v);
	db->n = 0;
}
