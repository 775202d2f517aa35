#!/bin/sh
# Issue 19: the Azure Monitor record has an ImageStatus column (the
# report's summary.image_status: latest, outdated, eol or unknown), named
# in tt_am_columns like every column, so the Log Analytics template and
# stream declaration carry it.  Off Azure the status is unknown, never
# latest.
. "$(dirname "$0")/../lib.sh"

LA="$TT_TOP/docs/azure/log-analytics/tattoo-report.json"
check "the template declares ImageStatus, a string" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
cols = {c["name"]: c["type"] for c in t["resources"][0]["properties"]["schema"]["columns"]}
assert cols.get("ImageStatus") == "string", cols' "$LA"

R="$T/root"
make_root "$R"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --no-imds --source local:debian:12:1 >/dev/null 2>&1 || fail "write"
closed_port port
CONF="$T/agent.conf"
printf 'imds_url = http://127.0.0.1:%s\ncollector_format = azure-monitor\ncollector_url = https://127.0.0.1:%s/dataCollectionRules/dcr-1/streams/Custom-TattooReport_CL?api-version=2023-01-01\n' \
    "$port" "$port" >"$CONF"
chmod 0600 "$CONF"
TATTOO_IMDS_URL="http://127.0.0.1:$port" \
    run "$TATTOO" --root "$R" --config "$CONF" report --dry-run
check "dry run" [ "$rc" -eq 0 ]
check "the body: ImageStatus after ImageVersion, unknown off Azure" python3 -c '
import json, sys
text = open(sys.argv[1]).read()
rec = json.loads(text.split("(azure-monitor):\n", 1)[1])[0]
keys = list(rec)
assert keys[keys.index("ImageVersion") + 1] == "ImageStatus", keys
assert rec["ImageStatus"] == "unknown", rec["ImageStatus"]' "$T/out"
check "docs/queries.md has a Log Analytics query on ImageStatus" sh -c '
grep -q "where ImageStatus in (\"outdated\", \"eol\")" "$1"' _ "$TT_TOP/docs/queries.md"
done_testing
