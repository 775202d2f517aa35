#!/bin/sh
# tattoo scrub in every format, --check and --apply: JSON valid against
# docs/schema/scrub.schema.json, JUnit and SARIF counts match the JSON,
# Prometheus lines parse, the HTML holds each finding's path, and no
# output of any format ever contains a planted secret.
. "$(dirname "$0")/../lib.sh"

FC="python3 $TT_TOP/tests/cli/formatcheck.py"
R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
python3 "$TT_TOP/tests/cli/scrub_plant.py" "$R" --manifest "$T/manifest"
mkdir -p "$R/etc/ssh" && printf 'host key\n' >"$R/etc/ssh/ssh_host_rsa_key"

expect_exit 1 "json" "$TATTOO" --root "$R" scrub --format json --output "$T/s.json"
check "json matches scrub.schema.json" $FC schema "$TT_TOP/docs/schema" scrub "$T/s.json"
for f in junit sarif html prom; do
	expect_exit 1 "$f" "$TATTOO" --root "$R" scrub --format $f --output "$T/s.$f"
done
check "junit parses, counts match the JSON" $FC junit "$T/s.junit" "$T/s.json" scrub
check "sarif has the SARIF 2.1.0 fields" $FC sarif "$T/s.sarif" "$T/s.json" scrub
check "prom lines parse" $FC prom "$T/s.prom"
check "html names every finding's path" python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
html = open(sys.argv[2], encoding="utf-8").read()
missing = [f["path"] for f in doc["findings"] if f["path"] not in html]
assert not missing, missing
' "$T/s.json" "$T/s.html"
# One scan written in every format (--output FORMAT:FILE, repeatable).
expect_exit 1 "one scan, five files" "$TATTOO" --root "$R" scrub \
    --output "json:$T/m.json" --output "junit:$T/m.junit" \
    --output "sarif:$T/m.sarif" --output "html:$T/m.html" \
    --output "prom:$T/m.prom"
check "one scan: nothing on stdout, every file written" sh -c '
test ! -s "$1/out" && for f in json junit sarif html prom; do
	test -s "$1/m.$f" || exit 1; done' _ "$T"
check "one scan: the single run's findings, one generated_at in json, junit, sarif" python3 -c '
import json, re, sys
m, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert m["findings"] == s["findings"], "findings differ"
at = m["generated_at"]
for f in sys.argv[3:]:
    found = set(re.findall(r"generated_at\W+(?:value\W+)?(\d{4}-[0-9T:-]+Z)", open(f).read()))
    assert found == {at}, (f, found, at)' "$T/m.json" "$T/s.json" "$T/m.junit" "$T/m.sarif"
check "one scan: junit counts match its JSON" $FC junit "$T/m.junit" "$T/m.json" scrub
expect_exit 2 "an unknown FORMAT: is a usage error" "$TATTOO" --root "$R" scrub \
    --output "yaml:$T/y" --output "json:$T/y.json"
check "names it and the formats, nothing written" sh -c '
grep -qF "unknown format '"'"'yaml'"'"' (text, json, junit, sarif, html, prom)" "$1/err" &&
test ! -e "$1/y.json"' _ "$T"
expect_exit 1 "text" "$TATTOO" --root "$R" scrub -v --output "$T/s.txt"
expect_exit 1 "text on stdout" "$TATTOO" --root "$R" scrub
cp "$T/out" "$T/s.stdout"; cp "$T/err" "$T/s.stderr"
expect_exit 1 "--apply, json (secrets left for a person)" "$TATTOO" --root "$R" \
    scrub --apply --format json --output "$T/a.json"
check "apply json matches the schema" $FC schema "$TT_TOP/docs/schema" scrub "$T/a.json"
check "apply reports the secrets it cannot remove" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = [f for f in d["findings"] if f["kind"] == "secret"]
# the history went with its leftover; the rest is for a person
assert all(f["path"] != "/root/.bash_history" for f in s), s
assert len(s) == sum(1 for _ in open(sys.argv[2])) - 1, len(s)
assert [f for f in d["findings"] if f["kind"] == "leftover" and f["result"] == "done"]
' "$T/a.json" "$T/manifest"
expect_exit 1 "--apply, text" "$TATTOO" --root "$R" scrub --apply
cp "$T/out" "$T/a.stdout"; cp "$T/err" "$T/a.stderr"
check "the warning says who must fix them" contains "$T/a.stderr" "fix them by hand"

check "no output of any format holds a planted secret" python3 -c '
import json, sys
outs = sys.argv[2:]
for m in map(json.loads, open(sys.argv[1])):
    s = m["secret"].encode("latin-1")
    parts = [s, s[len(s)//2:], s[4:]]
    for o in outs:
        data = open(o, "rb").read()
        for p in parts:
            if len(p) >= 8 and p in data:
                sys.exit("%s holds (part of) the %s secret" % (o, m["detector"]))
' "$T/manifest" "$T"/s.* "$T"/a.*
check "the journal in the image records that the history went" \
    sh -c "grep -rqs 'bash_history' '$R/var/lib/tattoo/journal'"
done_testing
