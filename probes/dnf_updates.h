/*
 * Pending security updates on the RHEL family, from the dnf metadata the
 * image itself holds (nothing downloaded): each cached repository's
 * repodata/repomd.xml (/var/cache/dnf/REPO/, /var/cache/libdnf5/REPO/)
 * names its updateinfo file (xml, or .gz, .bz2, .xz, .zst through
 * libarchive; zchunk's .zck is not readable: an error naming it); the
 * packages of its advisories of type "security" (name, epoch, version,
 * release, arch) are compared, as rpm does (rpmversion.c), with what the
 * rpm database has installed of the same name and architecture (noarch
 * matching any).
 *
 * Hostile input: repomd.xml up to 1 MiB, each updateinfo up to 64 MiB
 * compressed and 256 MiB decompressed, the XML read without a DTD and
 * nested at most 32 deep (common/xmlpull.h), at most 1,000,000 advisory
 * packages; an updateinfo location must be repodata/NAME in its
 * repository's directory (no "..", no other directory), opened without
 * following a link.
 */
#ifndef TT_DNF_UPDATES_H
#define TT_DNF_UPDATES_H

#include <stddef.h>

#include "probe.h"

/*
 * Adds one item (pending, packages, source, metadata_date, as the apt
 * side of pending_updates) to out.  -ENOENT with err "dnf metadata
 * absent: ..." when there is none to read, another negative errno with
 * err naming the file and why ("dnf metadata unreadable: ...").
 */
int tt_dnf_pending(struct tt_audit *a, struct tt_items *out, char *err,
    size_t errlen);

#endif
