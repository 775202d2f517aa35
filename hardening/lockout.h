/*
 * The lock-out guard of harden: disabling SSH password authentication or
 * root login must leave some way in.  A way in is an account with a login
 * shell and an authorized key, or a provisioning agent in the image
 * (waagent or cloud-init) that injects the VM's key at first boot.
 */
#ifndef TT_LOCKOUT_H
#define TT_LOCKOUT_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
