#!/bin/sh
# The built-in debian13 pack carries the CIS Debian Linux 13 Benchmark
# v1.0.0 section titles (tools/packgen/data/sections_debian13.json): a
# Debian 13 tree's report shows them.  The HTML's failing rules (and the
# rules to review) are grouped under a heading per section, and each
# article's CIS number names the subsection the pack has a title for.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

make_root "$T/d"
printf 'ID=debian\nVERSION_ID="13"\nVERSION_CODENAME=trixie\n' \
    >"$T/d/usr/lib/os-release"
# One audit writes the json and the html (--output FORMAT:FILE).
run "$TATTOO" audit --root "$T/d" --output "json:$T/d.json" --output "html:$T/d.html"
arc=$rc
check "debian 13 audit json ran" [ "$arc" -le 1 -a -s "$T/d.json" ]
check "debian 13: the pack and its CIS Debian 13 titles" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["benchmark"] == "CIS Debian Linux 13 Benchmark v1.0.0", d["benchmark"]
s = d["sections"]
assert s["7"] == "System Maintenance", s.get("7")
assert s["7.1"] == "Configure system file and directory access", s.get("7.1")
assert s["5.3.3.4"] == "Configure pam_unix module", s.get("5.3.3.4")
assert s["3.3.1"] == "Configure IPv4 parameters", s.get("3.3.1")' "$T/d.json"
check "debian 13 audit html ran" [ "$arc" -le 1 -a -s "$T/d.html" ]
# the two checks of the HTML in one python3 (issue 17)
pychecks 2 "$T/d.html" "$T/d.json" "$TT_TOP/tests/cli/html_subsections.py" <<'PY'
import runpy
with checked("debian 13 html: the section titles"):
    h = open(sys.argv[1]).read()
    for t in ("<td>1 Initial Setup</td>", "<td>6 Logging and Auditing</td>",
              "<td>7 System Maintenance</td>"):
        assert t in h, t
with checked("debian 13 html: failing CIS numbers with their subsection"):
    script = sys.argv[3]
    sys.argv = [script, sys.argv[2], sys.argv[1]]
    runpy.run_path(script, run_name="__main__")
PY

# Grouping, with a pack of known titles on the non-compliant fixture.
noncompliant_root "$T/root"
python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
p["sections"] = {"3": "Network", "5": "Access Control",
                 "5.1": "Configure SSH Server", "7": "System Maintenance",
                 "7.1": "System File Permissions"}
json.dump(p, open(sys.argv[2], "w"), indent=1)' "$PACK" "$T/pack.json"
run "$TATTOO" audit --root "$T/root" --rules "$T/pack.json" --format html \
    --output "$T/a.html"
check "non-compliant audit html ran" [ "$rc" -eq 1 ]
# the three checks of the grouped HTML in one python3 (issue 17)
pychecks 3 "$T/a.html" <<'PY'
with checked("failing rules: a heading per section, the articles under it"):
    h = open(sys.argv[1]).read()
    fail = h.split("<h2>Failing rules")[1].split("<h2>")[0]
    heads = re.findall(r"<h3 class=\"section\">([^<]*)</h3>", fail)
    assert heads == ["1", "2", "3 Network", "5 Access Control", "6",
                     "7 System Maintenance"], heads
    part = fail.split("<h3 class=\"section\">5 Access Control</h3>")[1]
    part = part.split("<h3 class=\"section\">")[0]
    assert "id=\"rule-sshd_disable_root_login\"" in part, part[:300]
    assert "id=\"rule-file_shadow_mode\"" not in part
with checked("a failing rule names its titled subsection, not the top section"):
    h = open(sys.argv[1]).read()
    assert "<dt>CIS</dt><dd>5.1.20 (5.1 Configure SSH Server)</dd>" in h
    assert "<dt>CIS</dt><dd>7.1.5 (7.1 System File Permissions)</dd>" in h
    assert "<dt>CIS</dt><dd>3.3.1</dd>" in h
with checked("the rules to review are grouped too"):
    h = open(sys.argv[1]).read()
    rev = h.split("<h2>To review")[1].split("<h2>")[0]
    assert re.search(r"<h3 class=\"section\">[^<]+</h3>\s*<article", rev), rev[:300]
PY
done_testing
