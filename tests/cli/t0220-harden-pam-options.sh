#!/bin/sh
# issue 14: PAM fixes change the option, never the line.  no_empty_passwords
# takes nullok off the pam_unix line of common-auth (the line stays, or
# login, sshd and sudo refuse every password) and off the Auth stanzas of
# /usr/share/pam-configs/unix (or the next pam-auth-update brings it back);
# pam_unix_use_authtok touches only the "Password:" stanza, never
# "Password-Initial:" (pam_unix first in the stack, where use_authtok fails
# every password change), and is refused on a pam_unix line that is the
# first of its stack.  An authselect symlink is never written over.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
fixture() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/pam.d" "$R/usr/share/pam-configs" "$R/var/lib/tattoo"
	printf 'auth\t[success=1 default=ignore]\tpam_unix.so nullok\nauth\trequisite\t\t\tpam_deny.so\nauth\trequired\t\t\tpam_permit.so\n' \
	    >"$R/etc/pam.d/common-auth"
	printf '%s\n' "$1" 'password	[success=1 default=ignore]	pam_unix.so obscure yescrypt' \
	    'password	requisite			pam_deny.so' >"$R/etc/pam.d/common-password"
	cat >"$R/usr/share/pam-configs/unix" <<'P'
Name: Unix authentication
Default: yes
Priority: 256
Auth-Type: Primary
Auth:
	[success=end default=ignore]	pam_unix.so nullok try_first_pass
Auth-Initial:
	[success=end default=ignore]	pam_unix.so nullok
Account-Type: Primary
Account:
	[success=end new_authtok_reqd=done default=ignore]	pam_unix.so
Password-Type: Primary
Password:
	[success=end default=ignore]	pam_unix.so obscure try_first_pass yescrypt
Password-Initial:
	[success=end default=ignore]	pam_unix.so obscure yescrypt
P
}

fixture 'password	requisite			pam_pwquality.so retry=3'
run $TATTOO --root "$R" harden --rule no_empty_passwords --rule pam_unix_use_authtok
check "both rules are fixed" contains "$T/out" "2 failing rules, 2 fixed"
check "common-auth keeps its pam_unix line" \
    grep -Eq '^auth	\[success=1 default=ignore\]	pam_unix\.so$' "$R/etc/pam.d/common-auth"
check "... and pam_deny, pam_permit" sh -c "grep -c 'pam_deny\|pam_permit' '$R/etc/pam.d/common-auth' | grep -qx 2"
check "the Auth and Auth-Initial stanzas lose nullok, keep their lines" sh -c "
	grep -qx '	\[success=end default=ignore\]	pam_unix.so try_first_pass' '$R/usr/share/pam-configs/unix' &&
	grep -qx '	\[success=end default=ignore\]	pam_unix.so' '$R/usr/share/pam-configs/unix' &&
	! grep -q nullok '$R/usr/share/pam-configs/unix'"
check "use_authtok on common-password's pam_unix line" \
    grep -q 'pam_unix.so obscure yescrypt use_authtok$' "$R/etc/pam.d/common-password"
check "use_authtok in the Password: stanza only, not Password-Initial:" sh -c "
	grep -A1 '^Password:' '$R/usr/share/pam-configs/unix' | grep -q 'use_authtok' &&
	! grep -A1 '^Password-Initial:' '$R/usr/share/pam-configs/unix' | grep -q use_authtok &&
	! grep -A1 '^Account:' '$R/usr/share/pam-configs/unix' | grep -q use_authtok &&
	! grep -A1 '^Auth:' '$R/usr/share/pam-configs/unix' | grep -q use_authtok"

# Without pam_pwquality before it, pam_unix is the first password module.
fixture '# no pwquality'
cp "$R/etc/pam.d/common-password" "$T/cp.before"
run $TATTOO --root "$R" harden --rule pam_unix_use_authtok
check "use_authtok on the first password module is refused, with the reason" \
    contains "$T/out" "the first 'password' module"
check "... and common-password is unchanged" cmp -s "$T/cp.before" "$R/etc/pam.d/common-password"

# An authselect-style link is left to its owner, never replaced by a file.
fixture '# no pwquality'
mkdir -p "$R/etc/authselect"
mv "$R/etc/pam.d/common-auth" "$R/etc/authselect/common-auth"
ln -s ../authselect/common-auth "$R/etc/pam.d/common-auth"
run $TATTOO --root "$R" harden --rule no_empty_passwords
check "a PAM symlink stays a symlink" test -L "$R/etc/pam.d/common-auth"
check "... and says why it is not edited" contains "$T/out" "is a symlink"
done_testing
