#!/bin/sh
# The RHEL 9 family: a fixture tree with a real rpm database (rpm --initdb
# and packages built by rpmbuild) is audited with the embedded rhel9 pack,
# hardened, and rolled back.  A package is not removed under --root (its
# scriptlets would run as host root): the command to run is printed.
. "$(dirname "$0")/../lib.sh"

R="$T/rhel"
# The journal key is a host file: keep it in $T.
export TATTOO_STATE_DIR="$T/state"
expect_exit 0 "audit --help" $TATTOO audit --help
need_rpmbuild
sh "$TT_TOP/tests/fixtures/make-rhel-root.sh" "$R" \
    openssh-server-8.7p1-38.el9 sudo-1.9.5p2-10.el9 aide-0.16-100.el9 \
    rsyslog-8.2310.0-4.el9 telnet-0.17-85.el9 cronie-1.5.7-10.el9
mkdir -p "$R/etc/ssh" "$R/etc/security" "$R/root" "$R/var/lib/tattoo"
printf 'PermitRootLogin yes\nMaxAuthTries 6\n' >"$R/etc/ssh/sshd_config"
chmod 0644 "$R/etc/ssh/sshd_config"
printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
printf 'PASS_MAX_DAYS\t99999\nPASS_MIN_DAYS\t0\nUMASK\t022\n' >"$R/etc/login.defs"
printf 'root:x:0:0:root:/root:/bin/bash\nadmin:x:1000:1000::/root:/bin/bash\n' >"$R/etc/passwd"
printf 'root:$6$abc:19000:0:99999:7:::\nadmin:$6$def:19000:0:99999:7:::\n' >"$R/etc/shadow"
chmod 0000 "$R/etc/shadow"
printf 'root:x:0:\nadmin:x:1000:\n' >"$R/etc/group"
printf '# cron\n' >"$R/etc/crontab"
# sshd's PAM stack as RHEL 9 ships it: the lock-out guard counts admin's
# password only while pam_unix checks it (UsePAM yes is one of the fixes).
mkdir -p "$R/etc/pam.d"
printf 'auth       substack     password-auth\naccount    include      password-auth\n' >"$R/etc/pam.d/sshd"
printf 'auth        required      pam_env.so\nauth        sufficient    pam_unix.so\nauth        required      pam_deny.so\n' \
    >"$R/etc/pam.d/password-auth"
chmod 0644 "$R/etc/crontab"

expect_exit 1 "the rhel9 pack is chosen from os-release and fails the tree" \
    $TATTOO --root "$R" audit --format json --output "$T/before.json"
check "profile rhel9:cis-l1-server" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pack"] == "rhel9", d.get("pack")
res = {r["id"]: r["result"] for r in d["results"]}
# Packages come from the rpm database.
assert res["package_sudo_installed"] == "pass", res["package_sudo_installed"]
assert res["package_aide_installed"] == "pass"
assert res["package_telnet_removed"] == "fail"
assert res["package_rsyslog_installed"] == "pass"
assert res["sshd_disable_root_login"] == "fail"
assert res["sysctl_net_ipv4_ip_forward"] == "fail"
assert res["file_permissions_crontab"] == "fail"
assert res["accounts_maximum_age_login_defs"] == "fail"
assert res["file_permissions_etc_shadow"] == "pass"
# A package this image lacks makes its rules not applicable.
assert res["postfix_network_listening_disabled"] == "notapplicable"
assert d["summary"]["fail"] > 20
' "$T/before.json"

(cd "$R" && find . -path ./var/lib/tattoo -prune -o -printf '%p %y %m %U:%G %l\n' | sort) >"$T/m1"
expect_exit 1 "harden the RHEL tree" $TATTOO --root "$R" harden --allow-package-changes
check "root login closed (admin keeps a password)" grep -q 'PermitRootLogin no' "$R/etc/ssh/sshd_config"
check "sysctl drop-in" grep -q 'net.ipv4.ip_forward = 0' "$R/etc/sysctl.d/zz-tattoo-hardening.conf"
check "login.defs" grep -q 'PASS_MAX_DAYS	365' "$R/etc/login.defs"
check "telnet refused under --root, with the command to run in the image" \
    contains "$T/out" "systemd-nspawn --directory=$R --private-network rpm -e telnet"
check "telnet still in the rpm database" rpm --root "$R" --dbpath /var/lib/rpm -q telnet
expect_exit 1 "audit after harden" $TATTOO --root "$R" audit --format json --output "$T/after.json"
check "fewer failures after harden" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["summary"]["fail"]
a = json.load(open(sys.argv[2]))
res = {r["id"]: r["result"] for r in a["results"]}
assert a["summary"]["fail"] < b / 2, (a["summary"]["fail"], b)
for rid in ("sshd_disable_root_login", "sysctl_net_ipv4_ip_forward",
            "file_permissions_crontab", "accounts_maximum_age_login_defs",
            "sshd_set_max_auth_tries"):
    assert res[rid] == "pass", (rid, res[rid])
assert res["package_telnet_removed"] == "fail", res["package_telnet_removed"]
' "$T/before.json" "$T/after.json"
expect_exit 0 "rollback" $TATTOO --root "$R" rollback
check "no package removal to undo" sh -c "! grep -q reinstall '$T/err'"
(cd "$R" && find . -path ./var/lib/tattoo -prune -o -path ./var/lib/rpm -prune -o -printf '%p %y %m %U:%G %l\n' | sort) >"$T/m2"
grep -v '^./var/lib/rpm' "$T/m1" >"$T/m1b"
check "files restored (the rpm database aside)" cmp -s "$T/m1b" "$T/m2"

done_testing
