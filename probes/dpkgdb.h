/*
 * dpkg's status database of a root, read as the package probe reads it:
 * the file /var/lib/dpkg/status opened through the root (a symlinked
 * /var/lib/dpkg resolves inside the image, never on the host), parsed by
 * the probe's own parser.  No dpkg-query runs.
 */
#ifndef TT_DPKGDB_H
#define TT_DPKGDB_H

#include <stdbool.h>
#include <stddef.h>

#include "rootfs.h"

/*
 * Whether the root's dpkg database says name is installed; ret_version
 * gets its version ("" when not).  0, -ENOENT when the root has no dpkg
 * status file, or another negative errno.
 */
int tt_dpkg_lookup(const struct tt_root *root, const char *name,
    bool *ret_installed, char *ret_version, size_t version_len);

#endif
