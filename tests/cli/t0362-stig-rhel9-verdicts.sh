#!/bin/sh
# The rhel9 `stig` profile on fixture trees, as t0361 does for Ubuntu's:
# every automated rule passes on the compliant tree
# (tests/fixtures/stig-rhel9-root.py compliant, written from DISA's RHEL 9
# STIG V2R9 check texts) and fails on the non-compliant one, judged rule by
# rule with tests/cli/verdicts.py.
#
# Rules that cannot have the wanted verdict on a fixture, and why:
# - compliant, notapplicable (GATED): the GNOME dconf rules, judged only
#   with gdm installed; the STIG wants no graphical environment
#   (xwindows_remove_packages), so the compliant tree has none.
# - noncompliant, pass (ABSENT): the rules whose failing state is
#   "something missing" (packages, partitions); they fail on the
#   noncompliant-absent tree.  installed_os_is_vendor_supported passes on
#   both (the tree is RHEL 9.6, or the pack would not apply).
# The 19 verdicts this test found differing from DISA's check texts when it
# was written are fixed in tools/packgen (stig.py, templates.py,
# cisfill.py): default.target's link was followed; NetworkManager's
# "none|default" read as one literal value; pcscd's service checked where
# DISA checks its socket; rsyslog's legacy "$ActionSendStreamDriver...
# VALUE" form not read; nine file watches that DISA writes as "-a
# always,exit -F path=... -F perm=wa" not taken; maxclassrepeat = 0
# passed; and the STIG's own demands where the rule was CIS's (a chrony
# "server", not a pool; the FIPS crypto policy, not only not LEGACY;
# rsyslog forwarding over TCP; systemd-coredump.socket masked).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

need_rpmbuild
GEN="$TT_TOP/tests/fixtures/stig-rhel9-root.py"
export TT_RPM_CACHE="$T/rpms"
PACK="$TT_TOP/hardening/rules/rhel9.json"
GATED="dconf_gnome_banner_enabled dconf_gnome_banner_enabled_rhel_09_271015 dconf_gnome_disable_automount_open dconf_gnome_disable_automount_open_rhel_09_271025 dconf_gnome_disable_autorun dconf_gnome_disable_autorun_rhel_09_271035 dconf_gnome_lock_screen_on_smartcard_removal dconf_gnome_lock_screen_on_smartcard_removal_rhel_09_271050 dconf_gnome_screensaver_lock_enabled dconf_gnome_screensaver_lock_enabled_rhel_09_271060 dconf_gnome_screensaver_idle_delay dconf_gnome_session_idle_user_locks dconf_gnome_screensaver_lock_delay dconf_gnome_screensaver_user_locks dconf_gnome_screensaver_mode_blank dconf_gnome_disable_restart_shutdown dconf_gnome_disable_restart_shutdown_rhel_09_271100 dconf_gnome_disable_ctrlaltdel_reboot dconf_gnome_disable_ctrlaltdel_reboot_rhel_09_271110 dconf_gnome_disable_user_list"
ABSENT="partition_for_home partition_for_tmp partition_for_var partition_for_var_log partition_for_var_log_audit partition_for_var_tmp package_postfix_installed package_firewalld_installed package_chrony_installed package_libreswan_installed package_openssh_server_installed package_sudo_installed package_fapolicyd_installed package_aide_installed package_rsyslog_installed"
NOT_FAILING="$ABSENT installed_os_is_vendor_supported"

# the three trees in one python3 (tests/fixtures/trees.py)
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" compliant "$T/c" -- noncompliant "$T/n" -- \
    noncompliant-absent "$T/a" >"$T/out" 2>&1 || { fail "fixture trees" "$T/out"; done_testing; exit 1; }

expect_exit 0 "compliant tree: stig audit exits 0" \
    "$TATTOO" audit --root "$T/c" --profile stig --format json --output "$T/c.json"
expect_exit 1 "non-compliant tree: stig audit exits 1" \
    "$TATTOO" audit --root "$T/n" --profile stig --format json --output "$T/n.json"
expect_exit 1 "tree with packages and partitions missing: stig audit exits 1" \
    "$TATTOO" audit --root "$T/a" --profile stig --format json --output "$T/a.json"
pychecks 5 "$PACK" "$GATED" "$NOT_FAILING" "$ABSENT" "$T" <<'PY'
from verdicts import judge
pack, gated, not_failing, absent, tmp = sys.argv[1:6]
pack, gated = load(pack), gated.split()
c, n, a = (load('%s/%s.json' % (tmp, x)) for x in 'cna')
check('the rhel9 pack is chosen from os-release',
      c['pack'] == 'rhel9' and c['profile'] == 'stig', (c['pack'], c['profile']))
check('compliant: every automated stig rule passes (>=400 judged)',
      *judge(pack, 'stig', 'compliant', c, [], gated, 400))
check('non-compliant: every automated stig rule fails',
      *judge(pack, 'stig', 'noncompliant', n, not_failing.split(), gated, 400))
check('without the packages and partitions: their rules fail',
      *judge(pack, 'stig', 'absent', a, absent.split(), gated, 400))
missing = [(cat, want) for cat in ('CAT I', 'CAT II', 'CAT III')
           for res, want in ((c['results'], 'pass'), (n['results'], 'fail'))
           if not any(r['section'] == cat and r['result'] == want for r in res)]
check('each CAT passes on the compliant tree and fails on the other', not missing,
      'no rule of these sections with that verdict: %s' % missing)
PY

# Where the STIG asks more than CIS, on the compliant tree made to meet
# CIS only: the DEFAULT crypto policy (not FIPS), forwarding over UDP, a
# chrony pool and no server, the coredump socket shipped and not masked.
cp -a "$T/c" "$T/v"
printf 'DEFAULT\n' >"$T/v/etc/crypto-policies/config"
sed -i 's/@@logs/@logs/' "$T/v/etc/rsyslog.d/50-stig.conf"
rm "$T/v/etc/rsyslog.d/60-remote.conf" "$T/v/etc/systemd/system/systemd-coredump.socket"
sed -i 's/^server /pool /' "$T/v/etc/chrony.conf"
STIG_MORE="configure_crypto_policy_stig rsyslog_remote_loghost_stig chronyd_specify_remote_server_stig service_systemd_coredump_disabled"
expect_exit 1 "CIS-only settings: the stig rules fail" "$TATTOO" audit --root "$T/v" --profile stig \
    $(for r in $STIG_MORE; do printf -- '--rule %s ' "$r"; done) --format json --output "$T/v.json"
check "CIS-only settings: each of the four stig rules fails" python3 -c '
import json, sys
r = {x["id"]: x["result"] for x in json.load(open(sys.argv[1]))["results"]}
assert r == dict.fromkeys(sys.argv[2].split(), "fail"), r' "$T/v.json" "$STIG_MORE"
expect_exit 0 "CIS-only settings: the CIS rules of the same names pass" "$TATTOO" audit --root "$T/v" \
    --rule configure_crypto_policy --rule rsyslog_remote_loghost --rule chronyd_specify_remote_server

# The default target as systemctl get-default reads it: /etc's link, else
# the vendor's in /usr/lib.
rm "$T/v/etc/systemd/system/default.target"
ln -s multi-user.target "$T/v/usr/lib/systemd/system/default.target"
expect_exit 0 "no /etc link, the vendor's default.target multi-user: passes" "$TATTOO" audit \
    --root "$T/v" --profile stig --rule xwindows_runlevel_target
ln -sf graphical.target "$T/v/usr/lib/systemd/system/default.target"
expect_exit 1 "no /etc link, the vendor's default.target graphical: fails" "$TATTOO" audit \
    --root "$T/v" --profile stig --rule xwindows_runlevel_target
ln -s /usr/lib/systemd/system/multi-user.target "$T/v/etc/systemd/system/default.target"
expect_exit 0 "/etc's link multi-user over the vendor's graphical: passes" "$TATTOO" audit \
    --root "$T/v" --profile stig --rule xwindows_runlevel_target

done_testing
