#!/bin/sh
# The audit of a report round killed (the OOM killer on a small VM, a probe
# crashing on a strange file system): the round goes on without it.  The
# report is delivered with the audit's error and compliance "unknown",
# tags are still written, status.json says why, and the next round with a
# healthy audit is whole again.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest"

run env LD_PRELOAD="$FAULTSHIM" TT_FAULT_KILL=regcomp \
    timeout -s KILL "$TT_HANG_S" "$TATTOO" --root "$R" --config "$CONF" \
    report --once
check "audit killed: the round still exits 0" [ "$rc" -eq 0 ]
check "audit killed: says so" grep -q "no audit: the audit process was killed by signal 9 (KILL)" "$T/err"
check "audit killed: the report delivered" contains "$T/out" "1 delivered, 0 in the spool"
check "audit killed: tags written" grep -q "^tags: written" "$T/out"
requests "$T/reqs"
pyjson_q "audit killed: the report carries the audit's error" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert len(c) == 1, c
b = c[0]
assert b["audit"] == {"error": "the audit process was killed by signal 9 (KILL)"}, b["audit"]
assert b["summary"]["compliance"] == "unknown", b["summary"]
assert b["verify"] == "digest-ok", b["verify"]
p = [r for r in d if r["method"] == "PATCH"]
assert len(p) == 1, p'
pyjson_q "audit killed: status.json says the report went, without an audit" "$TATTOO_STATE_DIR/status.json" '
r = d["report"]
assert r["collector"] == "delivered", r'
pyjson_run

mock_ctl reset >/dev/null
report --once
check "next round: exit 0" [ "$rc" -eq 0 ]
requests "$T/reqs"
pyjson "next round: the audit is back" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert len(c) == 1, c
a = c[0]["audit"]
assert "error" not in a and "summary" in a, a
assert c[0]["summary"]["compliance"] in ("compliant", "noncompliant")'
done_testing
