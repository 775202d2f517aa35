/*
 * Every installed package of a root, with what its database says of it:
 * the list an SBOM is made of.  dpkg's status file is read through the
 * root (confined, as the package probe reads it); the rpm database is
 * asked through tt_rpmdb_query, the same private copy and the same rpm
 * call the package probe uses.  The OS comes from the root's os-release.
 */
#ifndef TT_PKGLIST_H
#define TT_PKGLIST_H

#include <stddef.h>

#include "osrelease.h"
#include "rootfs.h"

enum tt_pkg_type {
	TT_PKG_NONE = 0, /* no package database in the root */
	TT_PKG_DEB,
	TT_PKG_RPM,
};

struct tt_pkg {
	char *name;
	/* As the database says it: dpkg's Version (epoch included, "1:2.3-1");
	 * rpm's VERSION-RELEASE, its epoch apart ("" when none). */
	char *version;
	char *epoch;
	char *arch; /* "" when the database has none */
	char *source; /* source package name, "" when unknown */
	char *source_version; /* "" when the same as version or unknown */
	char *supplier; /* dpkg Maintainer, rpm Vendor; "" when unknown */
};

struct tt_pkglist {
	enum tt_pkg_type type;
	struct tt_pkg *v; /* sorted by name, then arch, then version */
	size_t n;
	struct tt_osrelease os; /* zeroed when the root has no os-release */
};

/*
 * Reads the root's packages and os-release.  A root with neither a dpkg
 * status file nor an rpm database gives an empty list (type
 * TT_PKG_NONE).  0, or a negative errno with the reason in err.
 */
int tt_pkglist_load(const struct tt_root *root, struct tt_pkglist *ret,
    char *err, size_t errlen);

/* Parses a dpkg status file: the packages whose Status says "installed".
 * Appends to ret (zeroed first by the caller) and sorts.  0 or -ENOMEM. */
int tt_pkglist_parse_dpkg(const char *text, size_t len, struct tt_pkglist *ret);

/* Parses the output of rpm -qa with TT_PKGLIST_RPM_QF (tab-separated:
 * name, epoch, version, release, arch, sourcerpm, vendor). */
#define TT_PKGLIST_RPM_QF                                                      \
	"%{NAME}\t%{EPOCH}\t%{VERSION}\t%{RELEASE}\t%{ARCH}\t%{SOURCERPM}"     \
	"\t%{VENDOR}\n"
int tt_pkglist_parse_rpm(const char *text, size_t len, struct tt_pkglist *ret);

/* The package's version with its epoch, as package managers compare it
 * ("1:2.3-1"); into out. */
void tt_pkg_full_version(const struct tt_pkg *p, char *out, size_t len);

void tt_pkglist_free(struct tt_pkglist *l);

#endif
