#!/bin/sh
# tattoo report and status: help, dry run, the json sink's wire format
# field by field, no IMDS at all, IMDS reached through a dead proxy, and
# status.json.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

expect_exit 0 "report --help" $TATTOO report --help
check "report --help names --dry-run" contains "$T/out" "--dry-run"
expect_exit 0 "status --help" $TATTOO status --help
expect_exit 2 "report with an unknown option" $TATTOO report --bogus
expect_exit 2 "report with an argument" $TATTOO report extra

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest"

# A dry run sends and changes nothing.
report --dry-run
check "dry run exits 0" [ "$rc" -eq 0 ]
check "dry run shows the tags" contains "$T/out" "\"tattoo-image-version\": \"1.4.0\""
check "dry run shows the body" contains "$T/out" "would send to $MOCK_HTTPS/ingest (json)"
requests "$T/reqs"
pyjson "dry run: nothing sent to ARM or the collector" "$T/reqs" '
assert not [r for r in d if r["tls"]], d'
check "dry run: no spool, no status" [ ! -e "$TATTOO_STATE_DIR/status.json" ] 
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null

# One round: tags and the collector.
report --once
check "report exits 0" [ "$rc" -eq 0 ]
check "report says delivered" contains "$T/out" "collector: 1 delivered, 0 in the spool"
check "report says tags written" contains "$T/out" "tags: written"
requests "$T/reqs"
# this JSON check and the next in one python3 (issue 17)
pyjson_q "json sink: one POST, application/json, the report of DESIGN.md" "$T/reqs" '
import re
c = [r for r in d if r["path"] == "/ingest"]
assert len(c) == 1, c
r = c[0]
assert r["method"] == "POST" and r["tls"], r
assert r["headers"]["content-type"] == "application/json", r["headers"]
assert "authorization" not in r["headers"], "no token was configured"
b = json.loads(r["body"])
assert b["schema"] == 1
assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", b["report_id"]), b["report_id"]
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b["created"])
assert b["vm"]["vmId"] == "02aab8a4-74ef-476e-8182-f6d2ba4166a6"
assert b["vm"]["name"] == "vm-golden-01" and b["vm"]["location"] == "westeurope"
assert b["vm"]["resourceId"].endswith("/virtualMachines/vm-golden-01")
assert b["tattoo"]["image"]["name"] == "golden"
assert b["tattoo"]["image"]["version"] == "1.4.0"
assert b["verify"] == "digest-ok", b["verify"]
assert b["drift"]["any"] is False, b["drift"]
assert b["drift"]["image_mismatch"] is False
assert b["drift"]["os_changed"] is False
assert set(b["audit"]) >= {"profile", "compliant", "summary", "failing"}, b["audit"]
assert b["audit"]["summary"]["fail"] == len(b["audit"]["failing"])
assert b["summary"]["compliance"] in ("compliant", "noncompliant")
assert b["summary"]["source"] == "canonical:ubuntu-24_04-lts:server:24.04.202611010"
assert b["dropped"] == 0
assert b["agent_version"]
'
pyjson_q "status.json has the report section" "$TATTOO_STATE_DIR/status.json" '
r = d["report"]
assert r["collector"] == "delivered" and r["spool_depth"] == 0, r
assert r["tags"] == "written", r
assert r["verify"] == "digest-ok" and r["dropped"] == 0
assert "audit" in d and "compliant" in d["audit"]'
pyjson_run
check "the spool is empty" [ "$(spool_count)" -eq 0 ]
# the report sent (the body of the last /ingest request) and status.json
# against their schemas, in one python3 (issue 17)
pychecks 2 "$T/reqs" "$T/report.json" "$TT_TOP/docs/schema" "$TATTOO_STATE_DIR/status.json" <<'PY'
import formatcheck
for r in load(sys.argv[1]):
    if r["path"] == "/ingest":
        open(sys.argv[2], "w").write(r["body"])
check("the report matches docs/schema/report.schema.json", *formatcheck.holds("schema", sys.argv[3], "report", sys.argv[2]))
check("status.json matches docs/schema/status.schema.json", *formatcheck.holds("schema", sys.argv[3], "status", sys.argv[4]))
PY
check "the spool directory is private" [ "$(stat -c %a "$TATTOO_STATE_DIR/spool")" = 700 ]

expect_exit 1 "status: noncompliant exits 1" $TATTOO --root "$R" --config "$CONF" status
check "status text: last report" contains "$T/out" "last report"
check "status text: the spool" contains "$T/out" "0 in the spool"
check "status text: drift none" grep -q "^drift  *none" "$T/out"
expect_exit 1 "status --json" $TATTOO --root "$R" --config "$CONF" status --json
pyjson "status --json: report, audit and the recheck" "$T/out" '
assert d["report"]["report_id"] and d["status"]["spool_depth"] == 0
assert d["status"]["drift"]["os_changed"] is False
assert "audit" in d'
rm -rf "$T/empty"; make_root "$T/empty"
expect_exit 2 "status before any report or audit exits 2" \
    env TATTOO_STATE_DIR="$T/empty-state" $TATTOO --root "$T/empty" status
check "... and says so" contains "$T/out" "no status yet"
mkdir -p "$T/empty-state"; echo '{"audit": ' >"$T/empty-state/status.json"
expect_exit 3 "a malformed status.json exits 3" \
    env TATTOO_STATE_DIR="$T/empty-state" $TATTOO --root "$T/empty" status
check "... naming it" contains "$T/err" "status.json"
# status.json is the host's: an image's own is never read, and status
# --root writes nothing into the image.
mkdir -p "$T/empty/var/lib/tattoo"; echo '{"audit": ' >"$T/empty/var/lib/tattoo/status.json"
expect_exit 2 "the image's own status.json is not read" \
    env TATTOO_STATE_DIR="$T/empty-state2" $TATTOO --root "$T/empty" status
check "status --root wrote nothing" test ! -e "$T/empty-state2"

# No IMDS at all: the collector still gets the report, tags are skipped
# with a note, and the exit is 0 (not being on Azure is normal).
closed_port port
mock_ctl reset >/dev/null
run "$TATTOO" --root "$R" --config "$CONF" report --once
TATTOO_IMDS_URL="http://127.0.0.1:$port" report --once
check "no IMDS: exit 0" [ "$rc" -eq 0 ]
check "no IMDS: tags skipped with a note" contains "$T/out" "tags: skipped: not on Azure"
check "no IMDS: collector delivered" contains "$T/out" "1 delivered"
requests "$T/reqs"
pyjson_q "no IMDS: the report went out with vm null and a note" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
b = c[-1]
assert b["vm"]["vmId"] == "" and "not on Azure" in b["vm_note"], b
assert b["drift"]["image_mismatch"] is False
assert "image_mismatch" in b["drift"]["unknown"]'
pyjson_q "no IMDS: status says skipped" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["tags"] == "skipped", d["report"]
assert "not on Azure" in d["report"]["tags_note"]'
pyjson_run

# IMDS and its token endpoint are reached even with a dead proxy in the
# environment; the collector is not behind it either in this test.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
closed_port dead
run env http_proxy="http://127.0.0.1:$dead" HTTP_PROXY="http://127.0.0.1:$dead" \
    no_proxy=localhost "$TATTOO" --root "$R" --config "$CONF" report --once
check "dead proxy: exit 0" [ "$rc" -eq 0 ]
check "dead proxy: tags written (IMDS and token reached)" contains "$T/out" "tags: written"
requests "$T/reqs"
pyjson "dead proxy: IMDS got the instance and token requests" "$T/reqs" '
p = [r["path"] for r in d]
assert any(x.startswith("/metadata/instance") for x in p), p
assert any(x.startswith("/metadata/identity/oauth2/token") for x in p), p'

# Reports without a collector: tags only, exit 0, no spool.
conf
rm -rf "$TATTOO_STATE_DIR/spool"
report --once
check "no collector: exit 0" [ "$rc" -eq 0 ]
check "no collector: said" contains "$T/out" "collector: none configured"
check "no collector: no spool directory" [ ! -d "$TATTOO_STATE_DIR/spool" ]
done_testing
