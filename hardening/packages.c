#include <ctype.h>
#include <sys/stat.h>

#include "dpkgdb.h"
#include "fileio.h"
#include "log.h"
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
	char err[256];
	int r;

	*ret_installed = false;
	ret_version[0] = '\0';
	if (!valid_name(name))
		return -EINVAL;
	/* The status file read through the root: dpkg-query --admindir
	 * would take a host path, and a symlinked /var/lib/dpkg in the
	 * image would make it read the host's own database. */
	r = tt_dpkg_lookup(root, name, ret_installed, ret_version, version_len);
	if (r != -ENOENT)
		return r;
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

/* s, quoted for a POSIX shell when it holds anything but plain path
 * characters: the person pastes the command. */
static void
shell_word(const char *s, char *out, size_t len)
{
	size_t k = 0;

	if (s[0] != '\0' &&
	    strspn(s,
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		"0123456789/._-+:,=@%") == strlen(s)) {
		strlcpy(out, s, len);
		return;
	}
	if (len < 3) {
		if (len > 0)
			out[0] = '\0';
		return;
	}
	out[k++] = '\'';
	for (; *s != '\0' && k + 6 < len; s++) {
		if (*s == '\'') {
			memcpy(out + k, "'\\''", 4);
			k += 4;
		} else {
			out[k++] = *s;
		}
	}
	out[k++] = '\'';
	out[k] = '\0';
}

void
tt_package_refusal(const struct tt_root *root, const char *name, char *why,
    size_t len)
{
	char img[PATH_MAX * 2], version[128] = "";
	const char *tool, *cmd;
	bool installed = false;

	if (name == NULL || !valid_name(name)) {
		tt_seterr(why, len,
		    "a package is not removed under --root: fix.params.name "
		    "is not a package name");
		return;
	}
	(void)tt_package_installed(root, name, &installed, version,
	    sizeof(version));
	if (is_dpkg(root)) {
		tool = "dpkg";
		cmd = "dpkg --purge";
	} else if (tt_rpmdb_present(root)) {
		tool = "rpm";
		cmd = "rpm -e";
	} else {
		tt_seterr(why, len,
		    "'%s' is not removed under --root, and the image has no "
		    "dpkg or rpm database",
		    name);
		return;
	}
	shell_word(root->path, img, sizeof(img));
	tt_seterr(why, len,
	    "'%s'%s%s is not removed under --root: %s would run the image's "
	    "package scripts as host root; run inside the image, not as "
	    "host root: systemd-nspawn --directory=%s --private-network "
	    "%s %s (or harden on the build VM without --root)",
	    name, version[0] ? " " : "", version, tool, img, cmd, name);
}

int
tt_package_remove(const struct tt_root *root, const char *name, char *err,
    size_t errlen)
{
	char host[PATH_MAX], rootopt[PATH_MAX + 16];
	struct tt_spawn_result res;
	int r;

	if (!valid_name(name)) {
		tt_seterr(err, errlen, "'%s' is not a package name", name);
		return -EINVAL;
	}
	/* The last guard: whatever plans it, no image's scripts run here. */
	if (!tt_root_is_host(root)) {
		tt_package_refusal(root, name, err, errlen);
		return -EPERM;
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
		tt_seterr(err, errlen,
		    "the system has no dpkg or rpm database");
		return -ENOTSUP;
	}
	if (r < 0) {
		tt_seterr(err, errlen, "cannot run the package manager: %s",
		    tt_strerror(-r));
		return r;
	}
	if (res.status != 0 || res.timed_out) {
		tt_seterr(err, errlen,
		    "removing '%s' failed (status %d): %.300s", name,
		    res.status, res.err.data);
		r = -EIO;
	}
	tt_spawn_result_free(&res);
	return r;
}
