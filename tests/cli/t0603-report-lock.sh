#!/bin/sh
# Two reports at once: the second waits for the lock a little, then
# either runs after the first or leaves the round to it, exit 0 either way;
# never two senders on one spool.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"

# The first run holds the lock for 3 s (a slow collector); the second,
# whose wait is 5 s at 1 ms per second, leaves the round to it.
mock_ctl fail '{"route": "collector", "delay": 3}' >/dev/null
"$TATTOO" --root "$R" --config "$CONF" report --once >"$T/a.out" 2>"$T/a.err" &
a=$!
i=0
while ! grep -q '"/ingest"' "$T/reqs" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1)); requests "$T/reqs"
done
report --once
check "second run: exit 0" [ "$rc" -eq 0 ]
check "second run: says another is running" contains "$T/out" "another 'tattoo report' is running"
check "second run: named the lock" contains "$T/out" "report.lock"
wait $a
check "first run: exit 0 and delivered" sh -c "[ $? -eq 0 ] && grep -q '1 delivered' '$T/a.out'"
requests "$T/reqs"
pyjson "one report reached the collector" "$T/reqs" '
assert len([r for r in d if r["path"] == "/ingest"]) == 1'
check "nothing left in the spool" [ "$(spool_count)" -eq 0 ]

# With the real schedule the second waits (up to 5 s) and then runs.
mock_ctl reset >/dev/null
mock_ctl fail '{"route": "collector", "delay": 1.5}' >/dev/null
"$TATTOO" --root "$R" --config "$CONF" report --once >"$T/a.out" 2>"$T/a.err" &
a=$!
i=0
rm -f "$T/reqs"
while ! grep -q '"/ingest"' "$T/reqs" 2>/dev/null && [ $i -lt 300 ]; do
	sleep 0.1; i=$((i + 1)); requests "$T/reqs"
done
TATTOO_RETRY_SCALE_MS=1000 report --once
check "waiting run: exit 0" [ "$rc" -eq 0 ]
check "waiting run: delivered its own report" contains "$T/out" "1 delivered"
wait $a
requests "$T/reqs"
pyjson "two distinct reports, one after the other" "$T/reqs" '
ids = [json.loads(r["body"])["report_id"] for r in d if r["path"] == "/ingest"]
assert len(ids) == 2 and ids[0] != ids[1], ids'

# Something that is not a file where the lock goes: refused, no hang.
rm -f "$TATTOO_STATE_DIR/report.lock"
mkfifo "$TATTOO_STATE_DIR/report.lock"
run timeout 20 "$TATTOO" --root "$R" --config "$CONF" report --once
check "a FIFO as the lock: exit 4, named" sh -c "[ $rc -eq 4 ] && grep -q report.lock '$T/err'"
rm -f "$TATTOO_STATE_DIR/report.lock"
done_testing
