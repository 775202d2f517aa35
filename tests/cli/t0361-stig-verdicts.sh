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

# verdicts MODE JSON ABSENT: every rule of the profile has MODE's verdict.
verdicts() {
	python3 "$TT_TOP/tests/cli/verdicts.py" "$PACK" stig "$1" "$2" "$3" \
	    "$GATED" 200 >"$T/why" 2>&1
}

for os in ubuntu2204 ubuntu2404; do
	PACK="$TT_TOP/hardening/rules/$os.json"
	if [ $os = ubuntu2204 ]; then GATED=$GATED22; else GATED=$GATED24; fi
	for m in compliant noncompliant noncompliant-absent; do
		TT_FIXTURE_OS=$os python3 "$GEN" "$m" "$T/$os-$m" ||
		    { fail "fixture $os $m"; done_testing; exit 1; }
	done
	expect_exit 0 "$os compliant tree: stig audit exits 0" \
	    "$TATTOO" audit --root "$T/$os-compliant" --profile stig --format json --output "$T/c.json"
	check "the $os pack is chosen from os-release" python3 -c \
	    "import json,sys; d=json.load(open(sys.argv[1])); assert d['pack'] == sys.argv[2] and d['profile'] == 'stig', (d['pack'], d['profile'])" "$T/c.json" $os
	expect_exit 1 "$os non-compliant tree: stig audit exits 1" \
	    "$TATTOO" audit --root "$T/$os-noncompliant" --profile stig --format json --output "$T/n.json"
	expect_exit 1 "$os tree without openssh-server and ufw: stig audit exits 1" \
	    "$TATTOO" audit --root "$T/$os-noncompliant-absent" --profile stig --format json --output "$T/a.json"
	if verdicts compliant "$T/c.json" ""; then pass "$os compliant: every automated stig rule passes (>=200 judged)"
	else fail "$os compliant: every automated stig rule passes (>=200 judged)" "$T/why"; fi
	if verdicts noncompliant "$T/n.json" "$NOT_FAILING"; then pass "$os non-compliant: every automated stig rule fails"
	else fail "$os non-compliant: every automated stig rule fails" "$T/why"; fi
	if verdicts absent "$T/a.json" "$ABSENT"; then pass "$os without openssh-server and ufw: their rules fail"
	else fail "$os without openssh-server and ufw: their rules fail" "$T/why"; fi
	# Every CAT is seen both ways: the fixture is not only CAT II.
	check "$os: each CAT passes on the compliant tree and fails on the other" python3 -c '
import json, sys
c, n = (json.load(open(f))["results"] for f in sys.argv[1:3])
for cat in ("CAT I", "CAT II", "CAT III"):
    assert any(r["section"] == cat and r["result"] == "pass" for r in c), cat
    assert any(r["section"] == cat and r["result"] == "fail" for r in n), cat
' "$T/c.json" "$T/n.json"
done

# The STIG's unlock_time is 0 (never): a lockout that ends after 900 s,
# which CIS accepts, fails the STIG's rule and passes CIS's.
sed -i 's/^unlock_time = 0$/unlock_time = 900/' "$T/ubuntu2204-compliant/etc/security/faillock.conf"
expect_exit 1 "unlock_time = 900 fails the STIG rule" "$TATTOO" audit --root "$T/ubuntu2204-compliant" \
    --profile stig --rule accounts_passwords_pam_faillock_unlock_time_stig
expect_exit 0 "unlock_time = 900 passes the CIS rule" "$TATTOO" audit --root "$T/ubuntu2204-compliant" \
    --rule accounts_passwords_pam_faillock_unlock_time

done_testing
