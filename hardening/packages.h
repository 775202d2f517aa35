/*
 * Package removal for harden --allow-package-changes, with the image's own
 * package manager database: `dpkg --root` (maintainer scripts run chrooted
 * in the image) or `rpm --root`.  A removal cannot be undone from the
 * journal byte for byte: the journal records it and rollback says how to
 * reinstall.
 */
#ifndef TT_PACKAGES_H
#define TT_PACKAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

/* Whether name is installed; ret_version gets its version.  0, or
 * -ENOTSUP when the image has neither a dpkg nor an rpm database. */
int tt_package_installed(const struct tt_root *root, const char *name,
    bool *ret_installed, char *ret_version, size_t version_len);

/* Removes (purges) name.  0, or a negative errno with err set (the
 * package manager's own message). */
int tt_package_remove(const struct tt_root *root, const char *name, char *err,
    size_t errlen);

#endif
