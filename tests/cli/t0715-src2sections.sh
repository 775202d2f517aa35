#!/bin/sh
# tools/packgen/src2sections.py: section headings from a benchmark's table
# of contents or a README table, only when the text is the edition of the
# SSG control data and of the pack's numbers.
. "$(dirname "$0")/../lib.sh"

S2S="$TT_TOP/tools/packgen/src2sections.py"
cat >"$T/toc.txt" <<'X'
CIS Example Linux 1
Benchmark

Table of Contents

Overview ............................................................ 12

Recommendations ...................................................... 22

1 Initial Setup ........................................................... 22
1.1 Configure Filesystem Kernel Modules ........................ 23
1.1.1 Ensure cramfs kernel module is not available (Automated) ...... 24
1.1.2 Ensure access to files in the /etc/apt/auth.conf.d/ directory is configured (Automated)
 ..................................................................... 133

Internal Only - General

Page 2

1.2 Configure a very long heading that the table of contents
wraps .................................................................. 140
1.2.1 Ensure events that modify the system's network environment are collected
(Automated) ............................................................ 809
1.2.2 Ensure re-authentication is not disabled globally (Automated) 584
5 Access Control ....................................................... 521
5.1 Configure SSH Server ............................................... 522
5.1.20 Ensure sshd PermitRootLogin is disabled (Automated) ......... 569

Appendix: Summary Table ............................................... 995

5.9 Not an entry .......................................................... 1
X
cat >"$T/controls.json" <<'X'
{"benchmark": "CIS Benchmark for Example 1, version 1.0.0", "controls": {
 "1.1.1": {"title": "Ensure cramfs kernel module is not available (Automated)"},
 "1.2.1": {"title": "Ensure events that modify the system's network environment are collected (Automated)"},
 "5.1.20": {"title": "Ensure sshd PermitRootLogin is disabled (Automated)"},
 "9.9": {"title": "Not in the text"}}}
X
printf '{"rules": [{"references": {"cis": "1.1.1"}}, {"references": {"cis": "5.1.20"}}]}\n' \
    >"$T/pack.json"

run python3 "$S2S" --format toc --benchmark 'CIS Example Linux 1 Benchmark v1.0.0' \
    --controls "$T/controls.json" --pack "$T/pack.json" \
    --file "$T/toc.txt" --source 'owner/repo example.md @ 0123abc'
check "a table of contents of the same edition: exit 0" [ "$rc" -eq 0 ]
check "headings only, wrapped ones joined, page footers and appendix left out" \
    python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["source"] == "owner/repo example.md @ 0123abc", d
assert d["benchmark"] == "CIS Example Linux 1 Benchmark v1.0.0", d
assert d["sections"] == {"1": "Initial Setup",
                         "1.1": "Configure Filesystem Kernel Modules",
                         "1.2": "Configure a very long heading that the table of contents wraps",
                         "5": "Access Control", "5.1": "Configure SSH Server"}, d["sections"]
assert d["checked"].startswith("3 of 3 recommendations"), d["checked"]
assert "every CIS number of the pack" in d["checked"], d["checked"]' "$T/out"

sed 's/PermitRootLogin is disabled/PermitRootLogin is off/' "$T/toc.txt" >"$T/other.txt"
run python3 "$S2S" --format toc --benchmark B --controls "$T/controls.json" \
    --file "$T/other.txt" --source s
check "another title: refused" [ "$rc" -ne 0 ]
check "naming the number and both titles" contains "$T/err" \
    "5.1.20 ('Ensure sshd PermitRootLogin is off (Automated)', controls: 'Ensure sshd PermitRootLogin is disabled (Automated)')"
check "and nothing written" [ ! -s "$T/out" ]
run python3 "$S2S" --format toc --benchmark B --controls "$T/controls.json" \
    --file "$T/other.txt" --source s --accept 5.1.20
check "--accept takes that difference" [ "$rc" -eq 0 ]
check "and the data file says so" contains "$T/out" \
    "2 of 3 recommendations whose number is a control of controls.json have its title (5.1.20: other wording in the controls)"
run python3 "$S2S" --format toc --benchmark B --controls "$T/controls.json" \
    --file "$T/toc.txt" --source s --accept 1.1.1
check "--accept of a title that does not differ: refused" [ "$rc" -ne 0 ]
check "naming it" contains "$T/err" "--accept 1.1.1: no such difference"

printf '{"rules": [{"references": {"cis": "1.1.1"}}, {"references": {"cis": "1.1.22"}}]}\n' \
    >"$T/otherpack.json"
run python3 "$S2S" --format toc --benchmark B --controls "$T/controls.json" \
    --pack "$T/otherpack.json" --file "$T/toc.txt" --source s
check "a pack numbered after another edition: refused" [ "$rc" -ne 0 ]
check "naming its numbers" contains "$T/err" \
    "the pack references 1 numbers that are no recommendation of the text (numbered after another edition?): 1.1.22"

# A README table, read from a clone at an older commit.
git init -q "$T/repo"
printf '| 1 | **Initial Setup** |\n| 1.1.1 | Ensure cramfs kernel module is not available (Automated) |\n' \
    >"$T/repo/README.md"
git -C "$T/repo" add README.md
git -C "$T/repo" -c user.name=t -c user.email=t@example.org commit -qm one
old=$(git -C "$T/repo" rev-parse HEAD)
printf '| 1 | **Setup** |\n' >"$T/repo/README.md"
git -C "$T/repo" -c user.name=t -c user.email=t@example.org commit -qam two
run python3 "$S2S" --format readme --benchmark B --controls "$T/controls.json" \
    --git "$T/repo/.git" --path README.md --rev "$old"
check "a README at a --rev" [ "$rc" -eq 0 ]
check "its headings, and the commit in the source" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sections"] == {"1": "Initial Setup"}, d
assert d["source"].endswith("README.md @ " + sys.argv[2]), d["source"]' \
    "$T/out" "$old"
run python3 "$S2S" --format readme --benchmark B --controls "$T/controls.json" \
    --git "$T/repo/.git" --path README.md
check "its HEAD has no recommendation of the controls: refused" [ "$rc" -ne 0 ]

# A benchmark PDF's outline (--format outline): the /Title strings of its
# bookmark objects, between binary streams, in the PDF's own escapes.
python3 - "$T/bench.pdf" <<'X'
import sys
utf16 = b"\xfe\xff" + "5 Access Control".encode("utf-16-be")
parts = [
    b"%PDF-1.7\n%\xb5\xb5\n4 0 obj\n<</Filter/FlateDecode/Length 9>>\nstream\n"
    b"x\x9c\xff\xfe()\\)\nendstream\nendobj\n",
    b"10 0 obj\n<</Title(Terms of Use) /Parent 9 0 R>>\nendobj\n",
    b"11 0 obj\n<</Title(1 Initial Setup) /Parent 9 0 R>>\nendobj\n",
    b"12 0 obj\n<</Title(1.1 Configure Filesystem Kernel Modules) >>\nendobj\n",
    b"13 0 obj\n<</Title(1.1.1 Ensure cramfs kernel module is not available \\(Automated\\))>>\nendobj\n",
    b"14 0 obj\n<</Title(1.2 Configure (nested) parameters)>>\nendobj\n",
    b"15 0 obj\n<</Title(1.2.1 Ensure events that modify the system's network environment are collected \\(Automated\\))>>\nendobj\n",
    b"16 0 obj\n<</Title(" + utf16 + b") /Parent 9 0 R>>\nendobj\n",
    b"17 0 obj\n<</Title (5.1 Configure SSH\nServer)>>\nendobj\n",
    b"18 0 obj\n<</Title(5.1.20 Ensure sshd PermitRootLogin is disabled \\050Automated\\051)>>\nendobj\n",
    b"19 0 obj\n<</Title(Appendix: Summary Table)>>\nendobj\n",
]
open(sys.argv[1], "wb").write(b"".join(parts))
X
run python3 "$S2S" --format outline --benchmark B --controls "$T/controls.json" \
    --pack "$T/pack.json" --file "$T/bench.pdf" --source 'owner/repo b.pdf @ 0123abc'
check "a PDF outline of the same edition: exit 0" [ "$rc" -eq 0 ]
check "its numbered headings: escapes, nested and UTF-16 titles read" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["sections"] == {"1": "Initial Setup",
                         "1.1": "Configure Filesystem Kernel Modules",
                         "1.2": "Configure (nested) parameters",
                         "5": "Access Control", "5.1": "Configure SSH Server"}, d["sections"]
assert d["checked"].startswith("3 of 3 recommendations"), d["checked"]' "$T/out"
python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(b.replace(b"is disabled \\050", b"is off \\050"))' \
    "$T/bench.pdf" "$T/other.pdf"
run python3 "$S2S" --format outline --benchmark B --controls "$T/controls.json" \
    --file "$T/other.pdf" --source s
check "an outline with another title: refused" [ "$rc" -ne 0 ]
check "naming it" contains "$T/err" "5.1.20 ('Ensure sshd PermitRootLogin is off (Automated)'"
cp "$T/bench.pdf" "$T/repo/bench.pdf"
git -C "$T/repo" add bench.pdf
git -C "$T/repo" -c user.name=t -c user.email=t@example.org commit -qm pdf
run python3 "$S2S" --format outline --benchmark B --controls "$T/controls.json" \
    --git "$T/repo/.git" --path bench.pdf
check "the PDF read from a clone (bytes, not UTF-8)" [ "$rc" -eq 0 ]
check "with the commit in the source" contains "$T/out" \
    "bench.pdf @ $(git -C "$T/repo" rev-parse HEAD)"
done_testing
