#!/bin/sh
# Evidence reports: every audit format carries when the audit ran
# (generated_at, RFC 3339 UTC), the benchmark with its version, the
# tattoo (image name and version) and its signature status (valid with a
# trusted key, invalid when tampered, absent without a tattoo); the scrub
# HTML shows the image's tattoo.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
# vsftpd installed: its rule's fix removes a package (needs a flag).
mkdir -p "$R/var/lib/dpkg"
printf 'Package: vsftpd\nStatus: install ok installed\nVersion: 3.0.3-13\n\n' \
    >"$R/var/lib/dpkg/status"
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/key.pub" 2>/dev/null
"$TATTOO" --root "$R" write --image-name golden --image-version 2.5.0 \
    --no-imds --source local:debian:12:1 --sign-key "$T/key.pem" \
    >/dev/null 2>&1 || fail "signed write"
printf 'trusted_keys = %s\n' "$T/key.pub" >"$TATTOO_CONFIG"
BENCH="CIS Debian Linux 12 Benchmark v1.1.0"
RFC='20[0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'

# One audit writes every format (--output FORMAT:FILE).
outs=""
for f in text json junit sarif html prom; do
	outs="$outs --output $f:$T/a.$f"
done
# shellcheck disable=SC2086 # the --output arguments, split on purpose
run "$TATTOO" --root "$R" audit $outs
for f in text json junit sarif html prom; do
	check "audit $f ran" [ "$rc" -le 1 -a -s "$T/a.$f" ]
done
check "text: generated, benchmark, tattoo, signature" sh -c '
grep -Eq "^Generated $3\$" "$1" && grep -qxF "$2" "$1" &&
grep -qxF "Tattoo: golden 2.5.0 (signature: valid)" "$1"' _ "$T/a.text" "$BENCH" "$RFC"
check "json: the same members" python3 -c '
import json, re, sys
d = json.load(open(sys.argv[1]))
assert re.fullmatch(sys.argv[2], d["generated_at"]), d["generated_at"]
assert d["benchmark"] == sys.argv[3]
t = d["tattoo"]
assert (t["image"], t["version"], t["signature"]) == ("golden", "2.5.0", "valid"), t
assert t["digest"].startswith("sha256:")' "$T/a.json" "$RFC" "$BENCH"
check "json against docs/schema/audit.schema.json" python3 \
    "$TT_TOP/tests/cli/formatcheck.py" schema "$TT_TOP/docs/schema" audit "$T/a.json"
check "junit: suite properties, well-formed XML" python3 -c '
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for s in root.iter("testsuite"):
    p = {e.get("name"): e.get("value") for e in s.iter("property")}
    assert p["benchmark"] == sys.argv[2], p
    assert p["tattoo.image"] == "golden" and p["tattoo.version"] == "2.5.0", p
    assert p["tattoo.signature"] == "valid" and p["generated_at"].endswith("Z"), p' \
    "$T/a.junit" "$BENCH"
check "sarif: invocation time and run properties" python3 -c '
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
inv = run["invocations"][0]
assert inv["executionSuccessful"] is True and inv["endTimeUtc"].endswith("Z")
p = run["properties"]
assert p["generated_at"] == inv["endTimeUtc"] and p["benchmark"] == sys.argv[2], p
assert p["tattoo"] == {"image": "golden", "version": "2.5.0", "signature": "valid"}, p
assert "summary" in p and "profile" in p, p' "$T/a.sarif" "$BENCH"
check "html: benchmark, generated time, tattoo with its signature" python3 -c '
import re, sys
h = open(sys.argv[1]).read()
assert "<p id=\"benchmark\">Benchmark: " + sys.argv[2] + "</p>" in h
assert re.search(r"<time id=\"generated-at\" datetime=\"" + sys.argv[3] + "\">", h)
assert "<tr><th>Image</th><td>golden</td></tr>" in h
assert "<tr><th>Signature</th><td>valid</td></tr>" in h' "$T/a.html" "$BENCH" "$RFC"
check "prom: timestamp and info" sh -c '
grep -Eq "^tattoo_audit_timestamp_seconds [0-9]{10}\$" "$1" &&
grep -qF "benchmark=\"$2\",tattoo_signature=\"valid\"} 1" "$1"' _ "$T/a.prom" "$BENCH"

check "html: a CIS number column" python3 -c '
import re, sys
h = open(sys.argv[1]).read()
assert "<tr><th>CIS</th><th>Rule</th>" in h
assert re.search(r"<tr><td class=\"cis\">[0-9]+(\.[0-9]+)+</td><td class=\"mono\">", h)' "$T/a.html"
check "html: the review text of manual rules" python3 -c '
import re, sys
h = open(sys.argv[1]).read()
m = re.search(r"<h2>To review \(([0-9]+)\)</h2>\n(.*?)<h2>", h, re.S)
assert m and int(m.group(1)) > 0, "no To review section"
arts = re.findall(r"<article class=\"rule manual\"", m.group(2))
assert len(arts) == int(m.group(1)), (len(arts), m.group(1))
assert "<dt>Review</dt><dd>" in m.group(2)' "$T/a.html"
check "html: readable fix lines, saying when harden declines or needs a flag" python3 -c '
import sys
h = open(sys.argv[1]).read()
assert "<dt>Fix</dt><dd class=\"fix\">tattoo harden applies it: <code>" in h
assert "harden declines it: install the package in the image build" in h
assert "needs tattoo harden --allow-package-changes" in h' "$T/a.html"

# The scrub HTML shows the tattoo (it said the image had none).
run "$TATTOO" --root "$R" scrub --format html --output "$T/s.html"
check "scrub html ran" [ "$rc" -le 1 ]
check "scrub html: the tattoo, not 'no tattoo'" sh -c '
grep -qF "<tr><th>Image</th><td>golden</td></tr>" "$1" &&
grep -qF "<tr><th>Signature</th><td>valid</td></tr>" "$1" &&
! grep -q "carries no tattoo" "$1"' _ "$T/s.html"
run "$TATTOO" --root "$R" scrub --format json
check "scrub json: generated_at and the tattoo" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["generated_at"].endswith("Z") and d["tattoo"]["signature"] == "valid", d' "$T/out"

# Tampered: invalid; without a tattoo: absent.
sed -i 's/"2.5.0"/"2.5.1"/' "$R/etc/tattoo/tattoo.json"
run "$TATTOO" --root "$R" audit --format json
check "tampered tattoo: invalid" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["tattoo"]["signature"] == "invalid"' "$T/out"
rm "$R/etc/tattoo/tattoo.json"
run "$TATTOO" --root "$R" audit
check "no tattoo: text says none" contains "$T/out" "Tattoo: none"
run "$TATTOO" --root "$R" audit --format json
check "no tattoo: absent" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["tattoo"] == {"signature": "absent"}' "$T/out"
done_testing
