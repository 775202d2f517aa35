/* User and group names of the image mapped to its uids and gids (its own
 * /etc/passwd and /etc/group, parsed by probes/accounts_db.h), never the
 * host's: an image's uid 1000 may be anybody on the host. */
#ifndef TT_IMAGE_IDS_H
#define TT_IMAGE_IDS_H

#include <sys/types.h>

#include "rootfs.h"

/* The uid of user name in the image's passwd (digits are taken as a uid).
 * 0, -ENOENT when there is no such user, or an errno reading the file. */
int tt_image_uid(const struct tt_root *root, const char *name, uid_t *ret);

/* The same for groups. */
int tt_image_gid(const struct tt_root *root, const char *name, gid_t *ret);

#endif
