#!/bin/sh
# Every output format on documents with known results, checked with real
# parsers: JUnit through python's XML parser and xmllint with counts
# compared to the JSON, SARIF's required fields, the Prometheus text
# through a strict parser, JSON against docs/schema.  The writers run
# through tests/unit/test_format_driver (a test binary, not a command).
. "$(dirname "$0")/../lib.sh"

D="$TT_TOP/build/san/tests/test_format_driver"
E="$TT_TOP/docs/schema/examples"
FC="python3 $TT_TOP/tests/cli/formatcheck.py"

# A real tattoo, written by the product into a fixture root.
make_root "$T/root"
run "$TATTOO" --root "$T/root" write --no-imds --image-name web \
    --image-version 1.4.0 --source Debian:debian-12:12-gen2:0.1 \
    --published 2026-11-01T00:00:00Z
check "fixture tattoo written" [ "$rc" -eq 0 ]
run "$TATTOO" --root "$T/root" show --json
cp "$T/out" "$T/tattoo.json"
check "tattoo show --json matches tattoo.schema.json" \
    $FC schema "$TT_TOP/docs/schema" tattoo "$T/tattoo.json"

# An audit document with XML-hostile text: markup, quotes, an ANSI escape
# and a bell in found, a path with a space.
cat >"$T/audit.json" <<'JSON'
{"schema": 1, "profile": "debian12:cis-l1-server", "root": "/img",
 "summary": {"pass": 1, "fail": 2, "error": 1, "notapplicable": 1, "manual": 1, "score": 25},
 "results": [
  {"id": "sshd_disable_root_login", "title": "Root <login> & \"friends\"", "severity": "medium", "result": "fail",
   "references": {"cis": "5.1.20", "ssg": "xccdf_org.ssgproject.content_rule_sshd_disable_root_login"},
   "found": "PermitRootLogin yes\u001b[31m\u0007 in /etc/ssh/sshd_config", "expected": "no ]]> 'x'"},
  {"id": "file_permissions_etc_shadow", "title": "shadow", "severity": "high", "result": "fail",
   "references": {"cis": "7.1.5"}, "found": "mode 0644 on '/etc/my shadow'", "expected": "0640"},
  {"id": "p1", "title": "p", "severity": "low", "result": "pass", "references": {"cis": "1.1"}, "found": "", "expected": ""},
  {"id": "e1", "title": "e", "severity": "low", "result": "error", "references": {"cis": "1.2"}, "found": "cannot read", "expected": ""},
  {"id": "n1", "title": "n", "severity": "low", "result": "notapplicable", "references": {"cis": "2.1"}, "found": "", "expected": ""},
  {"id": "m1", "title": "m", "severity": "low", "result": "manual", "references": {"cis": "2.2"}, "found": "", "expected": ""}
 ]}
JSON

for doc in "$E/audit.json" "$T/audit.json"; do
	n=$(basename "$doc")
	check "$n matches audit.schema.json" \
	    $FC schema "$TT_TOP/docs/schema" audit "$doc"
	expect_exit 0 "junit of $n" "$D" junit audit "$doc" "$T/tattoo.json"
	cp "$T/out" "$T/junit.xml"
	check "junit of $n: xmllint parses it" xmllint --noout "$T/junit.xml"
	check "junit of $n: counts match the JSON" \
	    $FC junit "$T/junit.xml" "$doc" audit
	expect_exit 0 "sarif of $n" "$D" sarif audit "$doc"
	cp "$T/out" "$T/sarif.json"
	check "sarif of $n: required fields, counts" \
	    $FC sarif "$T/sarif.json" "$doc" audit
	expect_exit 0 "prom of $n" "$D" prom audit "$doc" "$T/tattoo.json" \
	    "$E/drift.json"
	cp "$T/out" "$T/metrics.prom"
	check "prom of $n parses strictly" $FC prom "$T/metrics.prom"
	expect_exit 0 "json of $n" "$D" json audit "$doc"
	cp "$T/out" "$T/audit-out.json"
	check "json of $n still matches audit.schema.json" \
	    $FC schema "$TT_TOP/docs/schema" audit "$T/audit-out.json"
done
check "prom: fail count of the example" \
    contains "$T/metrics.prom" 'tattoo_audit_rules{profile="debian12:cis-l1-server",result="fail",severity="high"} 1'
check "prom: drift flag raised" \
    contains "$T/metrics.prom" 'tattoo_drift{flag="image_mismatch"} 1'
check "prom: tattoo age present" grep -q '^tattoo_age_seconds [0-9][0-9]*$' \
    "$T/metrics.prom"

cat >"$T/scrub-empty.json" <<'JSON'
{"schema": 1, "root": "/", "summary": {"files": 3, "bytes": 10, "secrets": 0, "leftovers": 0}, "findings": []}
JSON
for doc in "$E/scrub.json" "$T/scrub-empty.json"; do
	n=$(basename "$doc")
	check "$n matches scrub.schema.json" \
	    $FC schema "$TT_TOP/docs/schema" scrub "$doc"
	expect_exit 0 "junit of $n" "$D" junit scrub "$doc"
	cp "$T/out" "$T/junit.xml"
	check "junit of $n: xmllint parses it" xmllint --noout "$T/junit.xml"
	check "junit of $n: counts match the JSON" \
	    $FC junit "$T/junit.xml" "$doc" scrub
	expect_exit 0 "sarif of $n" "$D" sarif scrub "$doc"
	cp "$T/out" "$T/sarif.json"
	check "sarif of $n: required fields, counts" \
	    $FC sarif "$T/sarif.json" "$doc" scrub
	expect_exit 0 "prom of $n" "$D" prom scrub "$doc" "$T/tattoo.json"
	cp "$T/out" "$T/metrics.prom"
	check "prom of $n parses strictly" $FC prom "$T/metrics.prom"
done

# The checkers themselves catch broken output.
printf '<testsuites><testsuite name="x" tests="2"><testcase name="a" classname="c"/></testsuite></testsuites>\n' >"$T/bad.xml"
check "junit checker rejects wrong counts" \
    sh -c "! $FC junit '$T/bad.xml' '$E/audit.json' audit 2>/dev/null"
printf '# TYPE x gauge\nx{a="\\q"} 1\n' >"$T/bad.prom"
check "prom checker rejects a bad escape" \
    sh -c "! $FC prom '$T/bad.prom' 2>/dev/null"
printf '{"schema":1,"root":"/","summary":{"files":1,"bytes":1,"secrets":0,"leftovers":0},"findings":[{"kind":"x"}]}' >"$T/bad.json"
check "schema rejects a malformed scrub document" \
    sh -c "! $FC schema '$TT_TOP/docs/schema' scrub '$T/bad.json' 2>/dev/null"

# Every schema example validates (status, rules, report have no command
# here yet: their examples stand for the output until those commands land).
for n in audit scrub tattoo status rules report; do
	check "example $n.json matches $n.schema.json" \
	    $FC schema "$TT_TOP/docs/schema" "$n" "$E/$n.json"
done

done_testing
