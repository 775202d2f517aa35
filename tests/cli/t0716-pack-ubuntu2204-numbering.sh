#!/bin/sh
# The ubuntu2204 pack is numbered by the edition it names: CIS Ubuntu Linux
# 22.04 LTS Benchmark v2.0.0, whose controls SSG's cis_ubuntu2204 data
# (tools/packgen/data/cis_ubuntu2204.json) lists.  It once said v1.0.0 and
# carried CIS Ubuntu 20.04's numbers (1.1.22 sticky bit, 1.4.x AIDE, 3.5.1.x
# ufw): those were no 22.04 v2.0.0 controls, or other ones.  An Ubuntu
# 22.04 image's audit reports the edition, the numbers and their headings.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-numbering.sh"

PACK="$TT_TOP/hardening/rules/ubuntu2204.json"
CTL="$TT_TOP/tools/packgen/data/cis_ubuntu2204.json"

check "the pack names CIS Ubuntu 22.04 v2.0.0, as the control data" python3 -c '
import json, sys
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert p["benchmark"] == "CIS Ubuntu Linux 22.04 LTS Benchmark v2.0.0", p["benchmark"]
assert c["benchmark"].endswith("version 2.0.0"), c["benchmark"]' "$PACK" "$CTL"

numbers_are_controls v2.0.0

ssg_rules_numbered 150

check "known items: prelink 1.5.4, apport 1.5.5, AIDE 6.1.1, ufw 4.1.1/4.1.3, sshd 5.1.x" python3 -c '
import json, sys
num = {r["id"]: r["references"]["cis"] for r in json.load(open(sys.argv[1]))["rules"] if "cis" in r["references"]}
want = {"package_prelink_removed": "1.5.4", "apport_disabled": "1.5.5",
        "package_aide_installed": "6.1.1", "aide_periodic_cron_checking": "6.1.2",
        "package_ufw_installed": "4.1.1", "service_ufw_enabled": "4.1.3",
        "firewall_single_utility": "4.1.2", "sshd_disable_root_login": "5.1.20",
        "dir_perms_world_writable_sticky_bits": "7.1.11"}
bad = {k: (num.get(k), v) for k, v in want.items() if num.get(k) != v}
assert not bad, bad
# judged once: no second rule for 2.3.1.1 (single time daemon) or 4.1.2
assert "package_chrony_installed" not in num and \
    "package_iptables_persistent_removed" not in num, "duplicate extras"
# 22.04 v2.0.0 has no rsyslog recommendations (journald only)
assert not [k for k in num if "rsyslog" in k], "rsyslog rules"' "$PACK"

check "profiles follow the control levels: Level 2 is Level 1 plus l2_server" python3 -c '
import json, sys
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["controls"]
prof = {x["id"]: x["rules"] for x in p["profiles"]}
num = {r["id"]: r["references"]["cis"] for r in p["rules"] if "cis" in r["references"]}
l1 = [i for i in num if "l1_server" in c[num[i]]["levels"]]
assert sorted(prof["cis-l1-server"]) == sorted(l1)
assert sorted(prof["cis-l2-server"]) == sorted(num)
extra = set(prof["cis-l2-server"]) - set(prof["cis-l1-server"])
assert extra and all("l1_server" not in c[num[i]]["levels"] for i in extra), extra' "$PACK" "$CTL"

make_root "$T/u"
printf 'ID=ubuntu\nVERSION_ID="22.04"\nVERSION_CODENAME=jammy\n' \
    >"$T/u/usr/lib/os-release"
TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
run "$TATTOO" audit --root "$T/u" --format json --output "$T/u.json"
check "ubuntu 22.04 audit ran" [ "$rc" -le 1 ]
check "the audit names v2.0.0, its numbers and its headings" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pack"] == "ubuntu2204", d["pack"]
assert d["benchmark"] == "CIS Ubuntu Linux 22.04 LTS Benchmark v2.0.0", d["benchmark"]
num = {r["id"]: r["references"]["cis"] for r in d["results"]}
assert num["package_aide_installed"] == "6.1.1", num["package_aide_installed"]
s = d["sections"]
assert s["4.1"] == "Configure UncomplicatedFirewall", s.get("4.1")
assert s["6.1"] == "Configure Filesystem Integrity Checking", s.get("6.1")
assert s["1.1.1"] == "Configure Filesystem Kernel Modules", s.get("1.1.1")' "$T/u.json"

done_testing
