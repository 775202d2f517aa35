/*
 * Package removal for harden --allow-package-changes.  On the running
 * system, without --root, its own dpkg or rpm removes the package.
 * Under --root a package is never removed: `dpkg --root` and `rpm --root`
 * run the image's maintainer scripts (prerm, postrm, %preun) chrooted,
 * and a chroot does not hold host root, so the image would run its code
 * as root on the build host.  The refusal names the command a person
 * runs instead, inside the image's own sandbox or on the build VM.  A
 * removal cannot be undone from the journal byte for byte: the journal
 * records it and rollback says how to reinstall.
 */
#ifndef TT_PACKAGES_H
#define TT_PACKAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

/* Whether name is installed, from the root's dpkg status file or rpm
 * database read through the root (probes/dpkgdb.h, probes/rpmdb.h);
 * ret_version gets its version.  0, or -ENOTSUP when the root has
 * neither a dpkg nor an rpm database. */
int tt_package_installed(const struct tt_root *root, const char *name,
    bool *ret_installed, char *ret_version, size_t version_len);

/*
 * Why name is not removed under --root, in words, with the command a
 * person runs instead for the image's package manager ("systemd-nspawn
 * --directory=IMG --private-network dpkg --purge NAME"), into why.
 */
void tt_package_refusal(const struct tt_root *root, const char *name, char *why,
    size_t len);

/* Removes (purges) name on the running system.  0, or a negative errno
 * with err set (the package manager's own message); -EPERM under --root
 * (err has tt_package_refusal's text). */
int tt_package_remove(const struct tt_root *root, const char *name, char *err,
    size_t errlen);

#endif
