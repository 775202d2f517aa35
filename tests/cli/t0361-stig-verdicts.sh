#!/bin/sh
# The ubuntu2204 and ubuntu2404 `stig` profiles on fixture trees (issue 18), as t0400 and
# t0460 do for CIS: every automated rule passes on the compliant tree
# (tests/fixtures/stig-root.py compliant) and fails on the non-compliant
# one, judged rule by rule with tests/cli/verdicts.py.
#
# Rules that cannot have the wanted verdict on a fixture, and why:
# - compliant, notapplicable (GATED): the GNOME dconf rules, judged only
#   with gdm3 installed; a server image has no desktop.
# - noncompliant, pass (NOT_FAILING): installed_os_is_vendor_supported (the
#   tree is Ubuntu, or the pack would not apply); package_openssh_server_installed
#   and package_ufw_installed_stig (the sshd and ufw rules are judged only with
#   them installed).  The last two fail on the noncompliant-absent tree.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"
GEN="$TT_TOP/tests/fixtures/stig-root.py"
GATED22="dconf_gnome_banner_enabled dconf_gnome_login_banner_text dconf_gnome_screensaver_lock_enabled dconf_gnome_screensaver_idle_delay dconf_gnome_screensaver_lock_delay dconf_gnome_disable_ctrlaltdel_reboot"
GATED24="$GATED22 dconf_gnome_disable_automount_open dconf_gnome_disable_autorun dconf_gnome_lock_screen_on_smartcard_removal dconf_gnome_screensaver_mode_blank"
ABSENT="package_openssh_server_installed package_ufw_installed_stig"
NOT_FAILING="$ABSENT installed_os_is_vendor_supported"

ubuntu_trees "$GEN"

for os in ubuntu2204 ubuntu2404; do
	PACK="$TT_TOP/hardening/rules/$os.json"
	if [ $os = ubuntu2204 ]; then GATED=$GATED22; else GATED=$GATED24; fi
	expect_exit 0 "$os compliant tree: stig audit exits 0" \
	    "$TATTOO" audit --root "$T/$os-compliant" --profile stig --format json --output "$T/c.json"
	check "the $os pack is chosen from os-release" python3 -c \
	    "import json,sys; d=json.load(open(sys.argv[1])); assert d['pack'] == sys.argv[2] and d['profile'] == 'stig', (d['pack'], d['profile'])" "$T/c.json" $os
	expect_exit 1 "$os non-compliant tree: stig audit exits 1" \
	    "$TATTOO" audit --root "$T/$os-noncompliant" --profile stig --format json --output "$T/n.json"
	expect_exit 1 "$os tree without openssh-server and ufw: stig audit exits 1" \
	    "$TATTOO" audit --root "$T/$os-noncompliant-absent" --profile stig --format json --output "$T/a.json"
	# every rule of the profile has each tree's verdict (verdicts.py),
	# and every CAT is seen both ways: the fixture is not only CAT II
	pychecks 4 "$os" "$PACK" "$GATED" "$NOT_FAILING" "$ABSENT" "$T" <<'PY'
from verdicts import judge
os_, pack, gated, not_failing, absent, tmp = sys.argv[1:7]
pack, gated = load(pack), gated.split()
c, n, a = (load('%s/%s.json' % (tmp, x)) for x in 'cna')
check('%s compliant: every automated stig rule passes (>=200 judged)' % os_,
      *judge(pack, 'stig', 'compliant', c, [], gated, 200))
check('%s non-compliant: every automated stig rule fails' % os_,
      *judge(pack, 'stig', 'noncompliant', n, not_failing.split(), gated, 200))
check('%s without openssh-server and ufw: their rules fail' % os_,
      *judge(pack, 'stig', 'absent', a, absent.split(), gated, 200))
missing = [(cat, want) for cat in ('CAT I', 'CAT II', 'CAT III')
           for res, want in ((c['results'], 'pass'), (n['results'], 'fail'))
           if not any(r['section'] == cat and r['result'] == want for r in res)]
check('%s: each CAT passes on the compliant tree and fails on the other' % os_, not missing,
      'no rule of these sections with that verdict: %s' % missing)
PY
done

# The STIG's unlock_time is 0 (never): a lockout that ends after 900 s,
# which CIS accepts, fails the STIG's rule and passes CIS's.
sed -i 's/^unlock_time = 0$/unlock_time = 900/' "$T/ubuntu2204-compliant/etc/security/faillock.conf"
expect_exit 1 "unlock_time = 900 fails the STIG rule" "$TATTOO" audit --root "$T/ubuntu2204-compliant" \
    --profile stig --rule accounts_passwords_pam_faillock_unlock_time_stig
expect_exit 0 "unlock_time = 900 passes the CIS rule" "$TATTOO" audit --root "$T/ubuntu2204-compliant" \
    --rule accounts_passwords_pam_faillock_unlock_time

done_testing
