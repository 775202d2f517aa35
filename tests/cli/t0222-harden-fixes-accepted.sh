#!/bin/sh
# issue 14: fixes that their own action rejected on every run.  The two
# enforce_for_root rules asked pwquality_set/pwhistory_set for an empty
# value ("fix.params.value is missing"); sudo_custom_logfile passed a
# quoted path that sudoers_defaults quotes itself ("not a sudoers value").
# Each is fixed by one harden run, and the result is what the owning
# module reads: a bare enforce_for_root flag, Defaults logfile="PATH".
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/etc/security" "$R/etc/sudoers.d" "$R/var/lib/dpkg" "$R/var/lib/tattoo"
printf '# minlen = 8\n' >"$R/etc/security/pwquality.conf"
printf '# remember = 10\n' >"$R/etc/security/pwhistory.conf"
printf 'Defaults\tenv_reset\n@includedir /etc/sudoers.d\n' >"$R/etc/sudoers"
chmod 0440 "$R/etc/sudoers"
printf 'Package: sudo\nStatus: install ok installed\nVersion: 1.9.13p3-1\n\n' >"$R/var/lib/dpkg/status"
rules="accounts_password_pam_enforce_root accounts_password_pam_pwhistory_enforce_root sudo_custom_logfile"
set --
for r in $rules; do set -- "$@" --rule "$r"; done
expect_exit 1 "the three rules fail before" $TATTOO --root "$R" audit $(for r in $rules; do printf -- '--rule %s ' "$r"; done)
expect_exit 0 "harden fixes all three (exit 0)" $TATTOO --root "$R" harden "$@"
check "... in one run" contains "$T/out" "3 failing rules, 3 fixed"
check "no fix is rejected" sh -c "! grep -q 'fix.params\|not a sudoers value' '$T/out' '$T/err'"
check "pwquality.conf: a bare enforce_for_root flag" grep -qx 'enforce_for_root' "$R/etc/security/pwquality.conf"
check "pwhistory.conf: a bare enforce_for_root flag" grep -qx 'enforce_for_root' "$R/etc/security/pwhistory.conf"
check "sudoers.d: Defaults logfile with the path quoted once" \
    grep -qx 'Defaults logfile="/var/log/sudo.log"' "$R/etc/sudoers.d/tattoo-hardening"
if command -v visudo >/dev/null 2>&1; then
	check "visudo -c accepts the drop-in" visudo -c -q -f "$R/etc/sudoers.d/tattoo-hardening"
fi
done_testing
