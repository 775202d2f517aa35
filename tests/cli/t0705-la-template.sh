#!/bin/sh
# Log Analytics: the custom table and data collection rule that
# docs/queries.md queries ship as an ARM template
# (docs/azure/log-analytics/tattoo-report.json) generated from the one
# place that names the record's columns, tt_am_columns in
# agent/sink_azure_monitor.c; the azure-monitor body has exactly those
# columns with those types, and the queries use only them.  Issue 19:
# the ImageStatus column (summary.image_status: latest, outdated, eol or
# unknown) is one of them, after ImageVersion, and off Azure it is
# unknown, never latest.
. "$(dirname "$0")/../lib.sh"

LA="$TT_TOP/docs/azure/log-analytics/tattoo-report.json"
python3 "$TT_TOP/tools/la-template.py" --check >"$T/why" 2>&1
check "the checked-in template is what the column table makes" [ $? -eq 0 ]
[ -s "$T/why" ] && sed 's/^/# /' "$T/why"
python3 "$TT_TOP/tools/la-template.py" --columns >"$T/cols"
# these 2 checks in one python3 (issue 17): DESC, the number of
# arguments and the arguments of each
pychecks 2 \
    "table and stream declare the same columns, the table's" 2 "$LA" "$T/cols" \
    "docs/queries.md uses only the table's columns" 2 "$TT_TOP/docs/queries.md" "$T/cols" <<'PY'
with next_check():
    import json, sys
    t = json.load(open(sys.argv[1]))
    cols = open(sys.argv[2]).read().split()
    res = {r["type"]: r for r in t["resources"]}
    table = res["Microsoft.OperationalInsights/workspaces/tables"]["properties"]["schema"]
    dcr = res["Microsoft.Insights/dataCollectionRules"]["properties"]
    decl = dcr["streamDeclarations"]["Custom-TattooReport_CL"]["columns"]
    assert table["name"] == "TattooReport_CL"
    assert [c["name"] for c in table["columns"]] == cols
    assert decl == table["columns"]
    assert dcr["dataFlows"][0]["outputStream"] == "Custom-TattooReport_CL"
    assert "TimeGenerated" in cols
with next_check():
    import re, sys
    cols = set(open(sys.argv[2]).read().split())
    md = open(sys.argv[1]).read()
    blocks = [b for b in re.findall(r"```kusto\n(.*?)```", md, re.S) if b.startswith("TattooReport_CL")]
    assert blocks, "no TattooReport_CL query"
    used = set()
    for b in blocks:
        b = re.sub(r"\x27[^\x27]*\x27", "", b)
        used |= set(re.findall(r"\b[A-Z][A-Za-z0-9_]*\b", b)) - {"TattooReport_CL"}
    bad = sorted(used - cols)
    assert not bad, "not columns: %s" % bad
PY

# The wire body (report --dry-run off Azure prints it): the same columns,
# in order, each of its type.
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
check "the body has the table's columns with their types" python3 -c '
import json, re, sys
text = open(sys.argv[1]).read()
body = json.loads(text.split("(azure-monitor):\n", 1)[1])
t = json.load(open(sys.argv[2]))
decl = t["resources"][0]["properties"]["schema"]["columns"]
rec = body[0]
assert list(rec) == [c["name"] for c in decl], (list(rec), decl)
ok = {"string": lambda v: isinstance(v, str),
      "datetime": lambda v: isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", v),
      "boolean": lambda v: isinstance(v, bool),
      "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
      "real": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
      "dynamic": lambda v: True}
for c in decl:
    v = rec[c["name"]]
    assert v is None or ok[c["type"]](v), (c, v)
assert isinstance(rec["Score"], (int, float)), rec["Score"]' "$T/out" "$LA"
# these 2 checks in one python3 (issue 17): DESC, the number of
# arguments and the arguments of each
pychecks 2 \
    "the template declares ImageStatus, a string" 1 "$LA" \
    "the body: ImageStatus after ImageVersion, unknown off Azure" 1 "$T/out" <<'PY'
with next_check():
    import json, sys
    t = json.load(open(sys.argv[1]))
    cols = {c["name"]: c["type"] for c in t["resources"][0]["properties"]["schema"]["columns"]}
    assert cols.get("ImageStatus") == "string", cols
with next_check():
    import json, sys
    text = open(sys.argv[1]).read()
    rec = json.loads(text.split("(azure-monitor):\n", 1)[1])[0]
    keys = list(rec)
    assert keys[keys.index("ImageVersion") + 1] == "ImageStatus", keys
    assert rec["ImageStatus"] == "unknown", rec["ImageStatus"]
PY
check "docs/queries.md has a Log Analytics query on ImageStatus" sh -c '
grep -q "where ImageStatus in (\"outdated\", \"eol\")" "$1"' _ "$TT_TOP/docs/queries.md"
done_testing
