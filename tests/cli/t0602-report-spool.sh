#!/bin/sh
# The spool: a collector down for several rounds loses nothing and, once
# back, gets every report exactly once, oldest first; retry rounds within
# one run; the cap drops the oldest and counts them; a damaged file is
# kept aside; a report the collector refuses for good is counted.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"

# Four rounds of outage (one failed POST each: --once makes one attempt).
mock_ctl fail '{"route": "collector", "statuses": [503, 503, 503, 503]}' >/dev/null
: >"$T/ids"
ok=0
for i in 1 2 3 4; do
	report --once
	[ "$rc" -eq 4 ] && contains "$T/err" "HTTP 503" && ok=$((ok + 1))
	sed -n 's/^report \([0-9a-f-]*\):.*/\1/p' "$T/out" >>"$T/ids"
done
check "outage: every round exits 4 and names the status" [ "$ok" -eq 4 ]
check "outage: four reports in the spool" [ "$(spool_count)" -eq 4 ]
pyjson "outage: status.json counts the spool" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["spool_depth"] == 4 and d["report"]["collector"] == "spooled"'
expect_exit 1 "status shows the depth" $TATTOO --root "$R" --config "$CONF" status
check "status: 4 in the spool" contains "$T/out" "4 in the spool"

# Recovery: the fifth round delivers all five, oldest first.
report --once
sed -n 's/^report \([0-9a-f-]*\):.*/\1/p' "$T/out" >>"$T/ids"
check "recovery: exit 0" [ "$rc" -eq 0 ]
check "recovery: five delivered" contains "$T/out" "collector: 5 delivered, 0 in the spool"
check "recovery: spool empty" [ "$(spool_count)" -eq 0 ]
requests "$T/reqs"
pyjson "every report delivered exactly once, oldest first" "$T/reqs" '
ids = open("'"$T/ids"'").read().split()
assert len(ids) == 5, ids
posts = [json.loads(r["body"])["report_id"] for r in d if r["path"] == "/ingest"]
assert len(posts) == 9, posts
assert posts[:4] == [ids[0]] * 4, "the oldest is always tried first"
assert posts[4:] == ids, (posts[4:], ids)'

# Retry rounds within one run (no --once): full-jitter backoff, then
# delivered in the same run.
mock_ctl reset >/dev/null
mock_ctl fail '{"route": "collector", "statuses": [500, 502]}' >/dev/null
report
check "retry rounds: exit 0 in one run" [ "$rc" -eq 0 ]
check "retry rounds: delivered" contains "$T/out" "1 delivered, 0 in the spool"
check "retry rounds: said it retried" contains "$T/err" "retrying"

# The cap: room for two reports.  Four rounds down: two dropped, counted,
# and the newest two kept.
mock_ctl reset >/dev/null
mock_ctl fail '{"route": "collector", "statuses": [503, 503, 503, 503]}' >/dev/null
: >"$T/ids"
report --once
sed -n 's/^report \([0-9a-f-]*\):.*/\1/p' "$T/out" >>"$T/ids"
size=$(cat "$TATTOO_STATE_DIR"/spool/*.json | wc -c)
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off" "spool_max_bytes=$((size * 5 / 2))"
for i in 2 3 4; do
	report --once
	sed -n 's/^report \([0-9a-f-]*\):.*/\1/p' "$T/out" >>"$T/ids"
done
check "cap: two reports kept" [ "$(spool_count)" -eq 2 ]
check "cap: the drop is said" contains "$T/err" "spool_max_bytes"
ids=$(cat "$T/ids")
set -- $ids
check "cap: reports 3 and 4 are the ones kept" sh -c \
    "ls '$TATTOO_STATE_DIR/spool' | grep -q '$3' && ls '$TATTOO_STATE_DIR/spool' | grep -q '$4'"
pyjson "cap: status.json counts two dropped" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["dropped"] == 2, d["report"]
assert d["report"]["dropped_cap"] == 1, "this round dropped one"'
# The cap is a hard bound: a round that spools one more report drops the
# oldest again, so the recovery runs with room enough.
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
report --once
check "cap: recovery delivers three" contains "$T/out" "3 delivered, 0 in the spool"
requests "$T/reqs"
pyjson "cap: the reports say how many were dropped" "$T/reqs" '
b = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"][-3:]
assert [x["dropped"] for x in b] == [1, 2, 2], [x["dropped"] for x in b]'

# A damaged file in the spool is kept aside, never sent, never deleted;
# the others go on.
mock_ctl reset >/dev/null
bad=00000000000000000001-00000000-0000-4000-8000-000000000000.json
printf '{"report_id": "trunc' >"$TATTOO_STATE_DIR/spool/$bad"
report --once
check "damaged: exit 0, the new report delivered" [ "$rc" -eq 0 ]
check "damaged: named in the warning" contains "$T/err" "$bad"
check "damaged: kept as .bad" [ -f "$TATTOO_STATE_DIR/spool/$bad.bad" ]
check "damaged: not counted as spooled" [ "$(spool_count)" -eq 0 ]

# A report the collector refuses for good (400): dropped and counted.
mock_ctl fail '{"route": "collector", "statuses": [400]}' >/dev/null
report --once
check "refused: said" contains "$T/err" "refused report"
check "refused: not kept" [ "$(spool_count)" -eq 0 ]
pyjson "refused: counted" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["dropped_refused"] == 1 and d["report"]["dropped"] == 3, d["report"]'
check "the spool keeps the count too" grep -qx 3 "$TATTOO_STATE_DIR/spool/dropped"

# A run that drops reports but cannot write status.json (here a directory
# in its place): the count is the spool's, so the next report has it.
mock_ctl reset >/dev/null
mock_ctl fail '{"route": "collector", "statuses": [503, 503, 503]}' >/dev/null
mv "$TATTOO_STATE_DIR/status.json" "$T/status.saved"
mkdir "$TATTOO_STATE_DIR/status.json"
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off" "spool_max_bytes=$((size * 3 / 2))"
for i in 1 2 3; do report --once; done
check "status.json unwritable: said" contains "$T/err" "status.json"
check "status.json unwritable: reports were dropped" grep -qx 5 "$TATTOO_STATE_DIR/spool/dropped"
rmdir "$TATTOO_STATE_DIR/status.json"
mv "$T/status.saved" "$TATTOO_STATE_DIR/status.json"
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
report --once
check "status.json back: delivered" [ "$rc" -eq 0 ]
requests "$T/reqs"
# the last two checks in one python3 (issue 17)
pyjson_q "status.json back: the report counts every drop" "$T/reqs" '
b = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert b and b[-1]["dropped"] == 5, [x["dropped"] for x in b]'
pyjson_q "status.json back: it counts them too" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["dropped"] == 5, d["report"]'
pyjson_run
done_testing
