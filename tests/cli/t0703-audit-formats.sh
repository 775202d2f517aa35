#!/bin/sh
# tattoo audit --format junit|sarif|html|prom on a fixture root with known
# results: each output checked structurally against the JSON of the same
# audit (counts match, SARIF fields, Prometheus lines parse, the HTML holds
# each failing rule and the tattoo), --output written atomically.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

FC="python3 $TT_TOP/tests/cli/formatcheck.py"
R="$T/root"
noncompliant_root "$R"
A="$TATTOO --root $R audit --rules $PACK"
export TATTOO_STATE_DIR="$T/state"

expect_exit 0 "audit --help lists the formats" $TATTOO audit --help
check "help names junit, sarif, html, prom" sh -c "grep -q junit '$T/out' && grep -q sarif '$T/out' && grep -q html '$T/out' && grep -q prom '$T/out'"
run $TATTOO --root "$R" write --image-name golden --image-version 2.1.0 --no-imds
expect_exit 1 "json" $A --format json --output "$T/a.json"
for f in junit sarif html prom; do
	expect_exit 1 "$f to a file" $A --format $f --output "$T/a.$f"
done
check "junit parses and its counts match the JSON" $FC junit "$T/a.junit" "$T/a.json" audit
check "sarif has the SARIF 2.1.0 fields" $FC sarif "$T/a.sarif" "$T/a.json" audit
check "prom lines parse" $FC prom "$T/a.prom"
check "prom carries the score" grep -q '^tattoo_audit_score' "$T/a.prom"
check "html holds every failing rule" python3 -c '
import json, re, sys
doc = json.load(open(sys.argv[1]))
html = open(sys.argv[2], encoding="utf-8").read()
fails = [r["id"] for r in doc["results"] if r["result"] == "fail"]
assert fails, "the fixture must fail some rules"
missing = [f for f in fails if f not in html]
assert not missing, missing
assert "golden" in html and "2.1.0" in html, "the tattoo is at the top"
assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=.https?:", html), "no network resource"
' "$T/a.json" "$T/a.html"
expect_exit 2 "an unknown format is a usage error" $A --format yaml
check "the error names it" contains "$T/err" "yaml"
expect_exit 1 "junit to standard output" $A --format junit
check "stdout is the XML" sh -c "head -c 5 '$T/out' | grep -q '<?xml'"

done_testing
