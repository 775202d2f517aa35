#!/bin/sh
# The built-in rhel9 pack carries the CIS Red Hat Enterprise Linux 9
# Benchmark v2.0.0 section titles (tools/packgen/data/sections_rhel9.json,
# read from the benchmark PDF's outline): a Rocky 9 tree's report shows
# them, in the JSON and as the HTML's section headings, and each failing
# article's CIS number names its titled subsection.
. "$(dirname "$0")/../lib.sh"

make_root "$T/r"
printf 'ID="rocky"\nID_LIKE="rhel centos fedora"\nVERSION_ID="9.4"\n' \
    >"$T/r/usr/lib/os-release"
run "$TATTOO" audit --root "$T/r" --format json --output "$T/r.json"
check "rocky 9 audit json ran" [ "$rc" -le 1 ]
check "rocky 9: the rhel9 pack and its CIS RHEL 9 v2.0.0 titles" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["pack"] == "rhel9", d["pack"]
assert d["benchmark"] == "CIS Red Hat Enterprise Linux 9 Benchmark v2.0.0", d["benchmark"]
s = d["sections"]
want = {"1": "Initial Setup", "1.3.1": "Configure SELinux",
        "1.6": "Configure system wide crypto policy",
        "4.2": "Configure FirewallD", "5.1": "Configure SSH Server",
        "5.3.2": "Configure authselect",
        "6.2.2.1": "Configure systemd-journal-remote",
        "6.3.3": "Configure auditd Rules", "7": "System Maintenance"}
for k, v in want.items():
    assert s.get(k) == v, (k, s.get(k))' "$T/r.json"
run "$TATTOO" audit --root "$T/r" --format html --output "$T/r.html"
check "rocky 9 audit html ran" [ "$rc" -le 1 ]
check "rocky 9 html: the section titles" python3 -c '
import sys
h = open(sys.argv[1]).read()
for t in ("<td>1 Initial Setup</td>", "<td>4 Host Based Firewall</td>",
          "<td>5 Access Control</td>", "<td>7 System Maintenance</td>",
          "<h3 class=\"section\">5 Access Control</h3>"):
    assert t in h, t' "$T/r.html"
check "rocky 9 html: failing CIS numbers with their subsection" python3 \
    "$TT_TOP/tests/cli/html_subsections.py" "$T/r.json" "$T/r.html"
done_testing
