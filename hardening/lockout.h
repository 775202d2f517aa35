/*
 * The lock-out guard of harden: disabling SSH password authentication or
 * root login must leave some way in.  A way in is a provisioning agent in
 * the image (waagent or cloud-init) that injects the VM's key at first
 * boot, or an account with a login shell that sshd lets in (AllowUsers,
 * DenyUsers, AllowGroups, DenyGroups, PermitRootLogin) and that has
 * either an authorized key in a file sshd reads (AuthorizedKeysFile,
 * PubkeyAuthentication) or a password hash that pam_unix still checks
 * (PasswordAuthentication, the sshd PAM stack).  Everything is judged as
 * it will be after the run: the files are read through the plan.
 */
#ifndef TT_LOCKOUT_H
#define TT_LOCKOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "plan.h"
#include "rootfs.h"

enum tt_lockout_change {
	TT_LOCKOUT_NO_PASSWORD_AUTH, /* PasswordAuthentication no */
	TT_LOCKOUT_NO_ROOT_LOGIN, /* PermitRootLogin no */
};

/*
 * Decides whether change leaves a way in.  other_stays says whether the
 * other door stays open: password authentication for NO_ROOT_LOGIN (then
 * a non-root account with a password hash is a way in), root login for
 * NO_PASSWORD_AUTH (then root's authorized key is one).  Returns true when
 * a way in is left, and false with the reason in why; in both cases why
 * says what was found.
 */
bool tt_lockout_safe(const struct tt_root *root, enum tt_lockout_change change,
    bool other_stays, char *why, size_t whylen);

/*
 * The same, judged on the image as the changes planned so far leave it
 * (sshd_config with its drop-ins, /etc/pam.d, passwd, shadow, group,
 * authorized keys), change itself included.  harden plans the changes
 * that close a door after every other change of the run, so that the PAM
 * edits of the run are seen.
 */
bool tt_lockout_safe_plan(struct tt_plan *plan, enum tt_lockout_change change,
    bool other_stays, char *why, size_t whylen);

/* Whether sshd_set key=value closes a door the guard watches. */
bool tt_lockout_closes_door(const char *key, const char *value);

#endif
