#!/bin/sh
# Each sink's wire format, field by field: Logs Ingestion (array body,
# bearer for monitor.azure.com, 204, token cached across reports), OTLP
# (resourceLogs), syslog (RFC 5424 over a unix socket, TCP with octet
# counting, UDP), and json with a collector_token_file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
DCR="$MOCK_HTTPS/dataCollectionRules/dcr-0123/streams/Custom-Tattoo_CL?api-version=2023-01-01"

# azure-monitor: three reports in the spool after an outage, sent in one
# run with one token request.
conf "collector_format=azure-monitor" "collector_url=$DCR" "tags=off"
mock_ctl fail '{"route": "collector", "statuses": [503, 503]}' >/dev/null
report --once; report --once
report --once
check "azure-monitor: delivered three" contains "$T/out" "3 delivered, 0 in the spool"
requests "$T/reqs"
pyjson "azure-monitor: array body, bearer for monitor.azure.com, api-version" "$T/reqs" '
import re
posts = [r for r in d if "/dataCollectionRules/" in r["path"]]
assert len(posts) == 5, len(posts)
for r in posts:
    assert r["path"] == "/dataCollectionRules/dcr-0123/streams/Custom-Tattoo_CL?api-version=2023-01-01"
    assert r["headers"]["authorization"] == "Bearer mock-token-for-https://monitor.azure.com/"
    assert r["headers"]["content-type"] == "application/json"
    b = json.loads(r["body"])
    assert isinstance(b, list) and len(b) == 1, b
    rec = b[0]
    for k in rec:
        assert re.fullmatch(r"[A-Za-z0-9_]{1,45}", k), k
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rec["TimeGenerated"])
    assert rec["VmId"] == "02aab8a4-74ef-476e-8182-f6d2ba4166a6"
    assert rec["VmName"] == "vm-golden-01"
    assert rec["ImageName"] == "golden" and rec["ImageVersion"] == "1.4.0"
    assert rec["Compliance"] == "noncompliant" and rec["FailingCount"] > 0
    assert isinstance(rec["Failing"], list) and rec["Compliant"] is False
    assert rec["Verify"] == "digest-ok" and rec["Drift"] == "none"
    assert rec["Dropped"] == 0 and rec["ResourceId"].endswith("vm-golden-01")
    assert len(r["body"]) <= 1024 * 1024
tok = [r for r in d if "/oauth2/token" in r["path"]]
# Three runs: one token each (memory only, never on disk).
assert len(tok) == 3, len(tok)
assert all("resource=https%3A%2F%2Fmonitor.azure.com%2F" in r["path"] for r in tok)
ids = [json.loads(r["body"])[0]["ReportId"] for r in posts[2:]]
assert len(set(ids)) == 3'
check "no token on disk" sh -c "! grep -rq mock-token '$TATTOO_STATE_DIR'"

# The mock answers 204; a collector answering 401 keeps the report.
mock_ctl config '{"collector_token": "other"}' >/dev/null
report --once
check "azure-monitor 401: exit 4, kept" sh -c "[ $rc -eq 4 ] && [ \$(ls '$TATTOO_STATE_DIR/spool' | grep -c json) -eq 1 ]"
check "azure-monitor 401: says so" contains "$T/err" "HTTP 401"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
report --once
check "azure-monitor: the kept report goes next time" contains "$T/out" "2 delivered, 0 in the spool"

# otlp
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "collector_format=otlp" "collector_url=$MOCK_HTTPS/v1/logs" "tags=off"
report --once
check "otlp: delivered" contains "$T/out" "1 delivered"
requests "$T/reqs"
pyjson "otlp: resourceLogs / scopeLogs / logRecords" "$T/reqs" '
r = [r for r in d if r["path"] == "/v1/logs"]
assert len(r) == 1 and r[0]["headers"]["content-type"] == "application/json"
b = json.loads(r[0]["body"])
rl = b["resourceLogs"]
assert len(rl) == 1
attrs = {a["key"]: a["value"] for a in rl[0]["resource"]["attributes"]}
assert attrs["service.name"] == {"stringValue": "tattoo"}
assert attrs["host.name"] == {"stringValue": "vm-golden-01"}
assert attrs["cloud.provider"] == {"stringValue": "azure"}
assert attrs["host.id"]["stringValue"] == "02aab8a4-74ef-476e-8182-f6d2ba4166a6"
sl = rl[0]["scopeLogs"]
assert len(sl) == 1 and sl[0]["scope"]["name"] == "tattoo"
recs = sl[0]["logRecords"]
assert len(recs) == 1
rec = recs[0]
assert rec["timeUnixNano"].isdigit() and len(rec["timeUnixNano"]) == 19
assert rec["severityNumber"] == 13 and rec["severityText"] == "WARN"
report = json.loads(rec["body"]["stringValue"])
la = {a["key"]: a["value"] for a in rec["attributes"]}
assert la["tattoo.report_id"]["stringValue"] == report["report_id"]
assert la["tattoo.compliance"]["stringValue"] == "noncompliant"
assert la["tattoo.failing"]["intValue"] == str(report["summary"]["failing"])
assert report["tattoo"]["image"]["version"] == "1.4.0"'

# syslog over the unix socket, TCP and UDP.
# wait_syslog TRANSPORT: until the mock has logged a message that came by
# TRANSPORT (it reads datagrams and streams in its own threads, later than
# tattoo says "delivered" on a loaded machine), 30 s at most.
wait_syslog() {
	_i=0
	while ! mock_ctl syslog | grep -q "\"transport\": \"$1" &&
	    [ $_i -lt 300 ]; do
		sleep 0.1; _i=$((_i + 1))
	done
}
check_syslog() {
	mock_ctl syslog >"$T/syslog"
	pyjson "syslog $1: one RFC 5424 message" "$T/syslog" '
import re
m = [x for x in d if x["transport"].startswith("'"$2"'")]
assert len(m) == 1, d
s = m[0]["data"]
g = re.match(r"<(\d+)>1 (\S+) (\S+) tattoo (\d+) report \[tattoo@32473((?: [a-z_]+=\"(?:[^\"\\\\\]]|\\\\.)*\")+)\] (.*)$", s, re.S)
assert g, s[:300]
pri = int(g.group(1))
assert pri == 3 * 8 + 4, pri
assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", g.group(2))
assert g.group(3) == "vm-golden-01"
params = dict(re.findall(r"([a-z_]+)=\"((?:[^\"\\\\]|\\\\.)*)\"", g.group(5)))
report = json.loads(g.group(6))
assert params["report_id"] == report["report_id"]
assert params["compliance"] == "noncompliant"
assert params["failing"] == str(report["summary"]["failing"])
assert params["verify"] == "digest-ok" and params["image"] == "golden"'
}
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "collector_format=syslog" "collector_url=unix:$MOCK_SYSLOG_SOCK" "tags=off"
report --once
check "syslog unix: delivered" contains "$T/out" "1 delivered"
wait_syslog unix
check_syslog unix unix
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "collector_format=syslog" "collector_url=tcp://127.0.0.1:$MOCK_SYSLOG_PORT" "tags=off"
report --once
check "syslog tcp: delivered" contains "$T/out" "1 delivered"
wait_syslog tcp
check_syslog "tcp (octet counting)" tcp
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "collector_format=syslog" "collector_url=udp://127.0.0.1:$MOCK_SYSLOG_PORT" "tags=off"
report --once
check "syslog udp: delivered" contains "$T/out" "1 delivered"
wait_syslog udp
check_syslog udp udp
conf "collector_format=syslog" "collector_url=unix:$T/nothing.sock" "tags=off"
report --once
check "syslog to a missing socket: exit 4, spooled" sh -c "[ $rc -eq 4 ] && grep -q 'nothing.sock' '$T/err'"
conf "collector_format=syslog" "collector_url=ftp://x" "tags=off"
report --once
check "syslog with a bad URL: says the forms" contains "$T/err" "unix:PATH, udp://HOST:PORT"
rm -f "$TATTOO_STATE_DIR"/spool/*.json

# json with a bearer token file.
mock_ctl reset >/dev/null
mock_ctl config '{"collector_token": "s3cret-token"}' >/dev/null
printf 's3cret-token\n' >"$T/token"
chmod 0600 "$T/token"
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off" "collector_token_file=$T/token"
report --once
check "token file: delivered" contains "$T/out" "1 delivered"
requests "$T/reqs"
pyjson "token file: the bearer is the file's" "$T/reqs" '
r = [r for r in d if r["path"] == "/ingest"][0]
assert r["headers"]["authorization"] == "Bearer s3cret-token"'
check "token file: never in the output" sh -c "! grep -q s3cret '$T/out' '$T/err'"
chmod 0666 "$T/token"
report --once
check "a world-writable token file is refused (exit 3)" sh -c "[ $rc -eq 3 ] && grep -q 'world-writable' '$T/err'"
done_testing
