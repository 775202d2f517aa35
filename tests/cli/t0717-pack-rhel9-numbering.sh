#!/bin/sh
# The rhel9 pack is numbered by the edition it names: CIS Red Hat
# Enterprise Linux 9 Benchmark v2.0.0, whose controls SSG's cis_rhel9 data
# (tools/packgen/data/cis_rhel9.json) lists.  It once said v1.0.0 and mixed
# v2.0.0's 1.1 numbers with v1.0.0's (1.3.x AIDE, 1.6.1.x SELinux, 1.10
# crypto policy, 5.2.x sshd): several of those are other v2.0.0 controls
# (5.1.4 was a cron.daily rule, v2.0.0's sshd Ciphers).  A RHEL 9 image's
# audit reports the edition and its numbers.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-numbering.sh"

PACK="$TT_TOP/hardening/rules/rhel9.json"
CTL="$TT_TOP/tools/packgen/data/cis_rhel9.json"

check "the pack names CIS RHEL 9 v2.0.0, as the control data" python3 -c '
import json, sys
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert p["benchmark"] == "CIS Red Hat Enterprise Linux 9 Benchmark v2.0.0", p["benchmark"]
assert c["benchmark"].endswith("version 2.0.0"), c["benchmark"]' "$PACK" "$CTL"

numbers_are_controls v2.0.0

# configure_custom_crypto_policy_cis is listed under 1.6.1 and each of
# 1.6.3-1.6.5 (and 5.1.4-5.1.6); the NO-SHA1 module's rule is 1.6.3.
ssg_rules_numbered 200 crypto_policy_no_sha1

check "known items, and the rules of no v2.0.0 control are gone" python3 -c '
import json, sys
num = {r["id"]: r["references"]["cis"] for r in json.load(open(sys.argv[1]))["rules"] if "cis" in r["references"]}
want = {"kernel_module_cramfs_disabled": "1.1.1.1", "package_aide_installed": "6.1.1",
        "selinux_not_disabled": "1.3.1.4", "configure_crypto_policy": "1.6.1",
        "configure_ssh_crypto_policy": "1.6.2", "banner_etc_issue": "1.7.2",
        "sshd_disable_root_login": "5.1.20", "use_pam_wheel_for_su": "5.2.7",
        "package_rsyslog_installed": "6.2.3.1", "cis_6_1_13_manual": "7.1.13",
        "file_permissions_cron_daily": "2.4.1.4"}
bad = {k: (num.get(k), v) for k, v in want.items() if num.get(k) != v}
assert not bad, bad
gone = {"set_firewalld_default_zone", "accounts_password_pam_retry",
        "no_rsh_trust_files_hosts_equiv"} & set(num)
assert not gone, gone' "$PACK"

check "profiles follow the control levels: Level 2 is Level 1 plus l2_server" python3 -c '
import json, sys
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["controls"]
prof = {x["id"]: x["rules"] for x in p["profiles"]}
num = {r["id"]: r["references"]["cis"] for r in p["rules"] if "cis" in r["references"]}
assert sorted(prof["cis-l1-server"]) == sorted(i for i in num if "l1_server" in c[num[i]]["levels"])
assert sorted(prof["cis-l2-server"]) == sorted(num)
assert "accounts_minimum_age_login_defs" not in prof["cis-l1-server"]' "$PACK" "$CTL"

make_root "$T/r"
printf 'ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n' \
    >"$T/r/usr/lib/os-release"
TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
run "$TATTOO" audit --root "$T/r" --format json --output "$T/r.json"
check "rocky 9 audit ran" [ "$rc" -le 1 ]
check "the audit names v2.0.0 and its numbers" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pack"] == "rhel9", d["pack"]
assert d["benchmark"] == "CIS Red Hat Enterprise Linux 9 Benchmark v2.0.0", d["benchmark"]
num = {r["id"]: r["references"]["cis"] for r in d["results"]}
assert num["sshd_disable_root_login"] == "5.1.20", num["sshd_disable_root_login"]' "$T/r.json"

done_testing
