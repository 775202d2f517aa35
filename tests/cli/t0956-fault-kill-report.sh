#!/bin/sh
# kill -9 at random points of report, many times: afterwards the spool
# holds only whole reports (each parses, its report_id is its name's), no
# report that reached the spool is ever lost (a final run delivers every
# one of them), and status.json is whole.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
SP="$TATTOO_STATE_DIR/spool"
# A slow collector widens the window between spooling and removing.
mock_ctl fail '{"route": "collector", "delay": 0.05}' >/dev/null

# Kill points spread over the time a whole run takes on this machine and
# build (valgrind makes it many times slower), so they land in every part.
t0=$(date +%s%N)
"$TATTOO" --root "$R" --config "$CONF" report --once >/dev/null 2>&1
t1=$(date +%s%N)
full_ms=$(( (t1 - t0) / 1000000 ))
[ $full_ms -lt 20 ] && full_ms=20
echo "# an uninterrupted run takes ${full_ms} ms"

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
bad=0; rounds=0; kept=0
while [ $rounds -lt 40 ]; do
	rounds=$((rounds + 1))
	"$TATTOO" --root "$R" --config "$CONF" report --once >/dev/null 2>&1 &
	pid=$!
	ms=$(( full_ms * ((rounds * 37) % 100) / 100 ))
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -9 $pid 2>/dev/null
	wait $pid 2>/dev/null
	if ! spool_whole >"$T/why" 2>&1; then
		bad=$((bad + 1))
		echo "# round $rounds (killed after $ms ms): a torn report"
		sed 's/^/#   /' "$T/why" | tail -3
		[ $bad -ge 3 ] && break
	fi
	[ "$(spool_count)" -gt 0 ] && kept=$((kept + 1))
	if [ -e "$TATTOO_STATE_DIR/status.json" ] &&
	    ! python3 -m json.tool "$TATTOO_STATE_DIR/status.json" >/dev/null 2>&1; then
		bad=$((bad + 1))
		echo "# round $rounds: status.json torn"
	fi
done
check "40 report runs killed at random points: the spool only ever holds whole reports" test $bad -eq 0
echo "# $kept of $rounds kills left reports in the spool"

# Recovery: one run delivers everything left; every report ever seen in
# the spool reached the collector.
mock_ctl fail '{"route": "collector", "delay": 0}' >/dev/null
report --once
check "recovery: exit 0, spool empty" sh -c "[ $rc -eq 0 ] && [ \$(ls '$SP' | grep -c '\.json\$') -eq 0 ]"
check "recovery: no temporary file left" [ "$(find "$SP" -name '.*.tmp*' | wc -l)" -eq 0 ]
requests "$T/reqs"
pyjson "no report that reached the spool was lost" "$T/reqs" '
sent = {json.loads(r["body"])["report_id"] for r in d if r["path"] == "/ingest"}
seen = set(open("'"$T/seen"'").read().split())
assert seen <= sent, seen - sent'
done_testing
