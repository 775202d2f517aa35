/*
 * Secrets found in files that are byte for byte as their package shipped
 * them are the distribution's examples (a password in a man page's
 * EXAMPLES, crypt(3) samples, a URL with user:pass in a changelog), not
 * something the image's builder left: dpkg's md5sums
 * (/var/lib/dpkg/info/PKG.md5sums) or the rpm database's file digests
 * (asked of rpm once, through tt_rpmdb_query) say what the package
 * shipped, and a file that still hashes to it has not been edited since.  A conffile the
 * builder changed, a file of no package, a package file someone edited:
 * those keep their findings.
 *
 * Only the files with findings are hashed (a handful), and the md5sums
 * are read only when there is one.  The image chooses its md5sums, but the
 * image's builder is who scrub works for: the rule keeps examples the
 * distribution wrote out of the way, it does not guard against the builder.
 */
#ifndef TT_SCRUB_PACKAGED_H
#define TT_SCRUB_PACKAGED_H

#include "rootfs.h"
#include "scrub/scrub_walk.h"

/* Budgets for the md5sums read through the root (a hostile image). */
#define TT_PACKAGED_MAX_LISTS 20000
#define TT_PACKAGED_MAX_LIST_BYTES ((size_t)16 * 1024 * 1024)
#define TT_PACKAGED_MAX_TOTAL_BYTES ((size_t)256 * 1024 * 1024)

/*
 * Takes the secret findings in files as their package shipped them out of
 * res, counting them in res->packaged.  0, or -ENOMEM; an image
 * without a package database, an unreadable list or file, a budget reached:
 * the findings stay (0).
 */
int
tt_scrub_drop_packaged(const struct tt_root *root, struct tt_scrub_result *res);

#endif
