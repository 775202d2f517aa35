#include <ctype.h>
#include <sys/stat.h>

#include "packages.h"
#include "process.h"
#include "rpmdb.h"
#include "tt.h"

#define PKG_TIMEOUT_MS (10 * 60 * 1000)

static bool
is_dpkg(const struct tt_root *root)
{
	struct stat st;

	return tt_root_stat(root, "/var/lib/dpkg/status", &st, true) == 0;
}

static bool
valid_name(const char *name)
{
	if (name[0] == '\0' || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("+-._:", *p))
			return false;
	return true;
}

int
tt_package_installed(const struct tt_root *root, const char *name,
    bool *ret_installed, char *ret_version, size_t version_len)
{
	char host[PATH_MAX], admindir[PATH_MAX + 32], err[256];
	int r;

	*ret_installed = false;
	ret_version[0] = '\0';
	if (!valid_name(name))
		return -EINVAL;
	if ((r = tt_root_host_path(root, "/", host, sizeof(host))) < 0)
		return r;
	if (is_dpkg(root)) {
		char fmt[] = "${Status}\t${Version}";
		char *argv[] = { "dpkg-query", admindir, "-W", "-f", fmt,
			(char *)name, NULL };
		struct tt_spawn_result res;

		snprintf(admindir, sizeof(admindir),
		    "--admindir=%s/var/lib/dpkg",
		    TT_STREQ(host, "/") ? "" : host);
		if ((r = tt_spawn(argv, 4096, 60000, &res)) < 0)
			return r;
		if (res.status == 0 &&
		    strncmp(res.out.data, "install ok installed\t", 21) == 0) {
			*ret_installed = true;
			strlcpy(ret_version, res.out.data + 21, version_len);
		}
		tt_spawn_result_free(&res);
		return 0;
	}
	if (tt_rpmdb_present(root)) {
		struct tt_rpmdb db;
		const struct tt_rpm_package *p;

		if ((r = tt_rpmdb_load(root, &db, err, sizeof(err))) < 0)
			return r;
		if ((p = tt_rpmdb_find(&db, name)) != NULL) {
			*ret_installed = true;
			strlcpy(ret_version, p->evr, version_len);
		}
		tt_rpmdb_free(&db);
		return 0;
	}
	return -ENOTSUP;
}

int
tt_package_remove(const struct tt_root *root, const char *name, char *err,
    size_t errlen)
{
	char host[PATH_MAX], rootopt[PATH_MAX + 16];
	struct tt_spawn_result res;
	int r;

	if (!valid_name(name)) {
		snprintf(err, errlen, "'%s' is not a package name", name);
		return -EINVAL;
	}
	if ((r = tt_root_host_path(root, "/", host, sizeof(host))) < 0)
		return r;
	if (is_dpkg(root)) {
		char *argv[] = { "dpkg", rootopt, "--purge", (char *)name,
			NULL };

		snprintf(rootopt, sizeof(rootopt), "--root=%s", host);
		r = tt_spawn(argv, (size_t)64 * 1024, PKG_TIMEOUT_MS, &res);
	} else if (tt_rpmdb_present(root)) {
		char dbpath[64];
		char *argv[] = { "rpm", "--root", host, "--dbpath", dbpath,
			"-e", (char *)name, NULL };

		strlcpy(dbpath, tt_rpmdb_dir(root), sizeof(dbpath));
		r = tt_spawn(argv, (size_t)64 * 1024, PKG_TIMEOUT_MS, &res);
	} else {
		snprintf(err, errlen, "the image has no dpkg or rpm database");
		return -ENOTSUP;
	}
	if (r < 0) {
		snprintf(err, errlen, "cannot run the package manager: %s",
		    strerror(-r));
		return r;
	}
	if (res.status != 0 || res.timed_out) {
		snprintf(err, errlen,
		    "removing '%s' failed (status %d): %.300s", name,
		    res.status, res.err.data);
		r = -EIO;
	}
	tt_spawn_result_free(&res);
	return r;
}
