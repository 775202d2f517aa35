#!/bin/sh
# kill -9 at every crash point of report (tests/fault.sh kill_points),
# report after report: afterwards the spool
# holds only whole reports (each parses, its report_id is its name's), no
# report that reached the spool is ever lost (a final run delivers every
# one of them), and status.json is whole.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"
. "$(dirname "$0")/../fault.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
SP="$TATTOO_STATE_DIR/spool"
: >"$T/seen"
spool_whole() {
	python3 - "$SP" "$T/seen" <<'PY'
import json, os, re, sys
sp, seen = sys.argv[1], sys.argv[2]
ids = []
for n in sorted(os.listdir(sp)):
    m = re.fullmatch(r"\d{20}-([0-9a-f-]{36})\.json", n)
    if not m:
        continue
    d = json.load(open(os.path.join(sp, n)))
    assert d["report_id"] == m.group(1), n
    ids.append(d["report_id"])
with open(seen, "a") as f:
    for i in ids:
        f.write(i + "\n")
PY
}
kept=0
spool_and_status_whole() {
	spool_whole || return 1
	[ "$(spool_count)" -gt 0 ] && kept=$((kept + 1))
	if [ -e "$TATTOO_STATE_DIR/status.json" ] &&
	    ! python3 -m json.tool "$TATTOO_STATE_DIR/status.json" >/dev/null 2>&1; then
		echo "# status.json torn"
		return 1
	fi
}
kill_points "report killed at each crash point: the spool only ever holds whole reports, status.json is whole" \
    : spool_and_status_whole "$TATTOO" --root "$R" --config "$CONF" report --once
echo "# $kept of $KILLED kills left reports in the spool"
check "some kills left reports in the spool (the test reaches the spool)" [ "$kept" -ge 1 ]

# Recovery: one run delivers everything left; every report ever seen in
# the spool reached the collector.
report --once
check "recovery: exit 0, spool empty" sh -c "[ $rc -eq 0 ] && [ \$(ls '$SP' | grep -c '\.json\$') -eq 0 ]"
check "recovery: no temporary file left" [ "$(find "$SP" -name '.*.tmp*' | wc -l)" -eq 0 ]
requests "$T/reqs"
pyjson "no report that reached the spool was lost" "$T/reqs" '
sent = {json.loads(r["body"])["report_id"] for r in d if r["path"] == "/ingest"}
seen = set(open("'"$T/seen"'").read().split())
assert seen <= sent, seen - sent'
done_testing
