#!/bin/sh
# The audit HTML heads its groups with the benchmark's section titles from
# the pack's "sections" ("5 Access Control"), the number alone where the
# pack has no title; the JSON carries the titles; a bad "sections" is an
# input error naming the pack and the field.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

compliant_root "$T/root"
# the pack with section titles, and one with a bad section number (for
# the end), in one python3
python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
p["sections"] = {"1": "Initial Setup", "5": "Access Control",
                 "5.1": "Configure SSH Server", "7": "System <Maintenance>"}
json.dump(p, open(sys.argv[2], "w"), indent=1)
p["sections"] = {"5.x": "SSH"}
json.dump(p, open(sys.argv[3], "w"))' "$PACK" "$T/pack.json" "$T/bad.json"

# One audit writes the html and the json checked below.
run "$TATTOO" audit --root "$T/root" --rules "$T/pack.json" \
    --output "html:$T/a.html" --output "json:$T/a.json"
check "audit html ran" [ "$rc" -le 1 ]
pychecks 2 "$T/a.html" <<'PY'
with checked("by section: titles, escaped, the number alone without one"):
    h = open(sys.argv[1]).read()
    table = h.split("<h2>By section</h2>")[1].split("</table>")[0]
    cells = re.findall(r"<tr><td>([^<]*)</td><td>\d", table)
    assert cells == ["1 Initial Setup", "2", "3", "4", "5 Access Control", "6",
                     "7 System &lt;Maintenance&gt;"], cells
with checked("all rules: a heading row per section"):
    h = open(sys.argv[1]).read()
    rows = re.findall(r"<tr class=\"section\"><th colspan=\"5\">([^<]*)</th></tr>",
                      h.split("<h2>All rules</h2>")[1])
    assert "5 Access Control" in rows and "1 Initial Setup" in rows, rows
    assert "3" in rows, rows
PY

pychecks 2 "$T/a.json" "$TT_TOP/docs/schema" <<'PY'
import formatcheck
with checked("json: the titles"):
    d = json.load(open(sys.argv[1]))
    assert d["sections"]["5.1"] == "Configure SSH Server", d.get("sections")
check("json against docs/schema/audit.schema.json", *formatcheck.holds("schema", sys.argv[2], "audit", sys.argv[1]))
PY

# No "sections": numbers alone, and no "sections" in the JSON.
run "$TATTOO" audit --root "$T/root" --rules "$PACK" --format html \
    --output "$T/b.html"
check "without titles: the numbers" python3 -c '
import sys
h = open(sys.argv[1]).read()
assert "<tr><td>5</td>" in h and "Access Control" not in h' "$T/b.html"

expect_exit 3 "a bad section number" "$TATTOO" audit --root "$T/root" \
    --rules "$T/bad.json"
check "the error names the pack and the field" \
    contains "$T/err" "$T/bad.json: sections: '5.x' is not a section number"

# The built-in ubuntu2404 pack carries the CIS Ubuntu 24.04 v1.0.0 titles
# (tools/packgen/data/sections_ubuntu2404.json): an Ubuntu 24.04 tree's
# report shows them, through the precompiled pack.
make_root "$T/u"
printf 'ID=ubuntu\nVERSION_ID="24.04"\nVERSION_CODENAME=noble\n' \
    >"$T/u/usr/lib/os-release"
run "$TATTOO" audit --root "$T/u" --format html --output "$T/u.html"
check "ubuntu 24.04 audit html ran" [ "$rc" -le 1 ]
check "ubuntu 24.04: the benchmark's section titles" python3 -c '
import sys
h = open(sys.argv[1]).read()
for t in ("<td>1 Initial Setup</td>", "<td>5 Access Control</td>",
          "<td>7 System Maintenance</td>"):
    assert t in h, t' "$T/u.html"
done_testing
