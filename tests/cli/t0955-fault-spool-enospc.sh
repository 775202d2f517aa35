#!/bin/sh
# A full disk when report writes the spool: whichever of write, fsync or
# rename fails, the spool is as it was (no torn report, no temporary
# file), the error names the file, the exit is 4, and the report is still
# sent to the collector directly rather than lost.  A failed directory
# fsync after the rename leaves the report spooled and says so honestly.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
SP="$TATTOO_STATE_DIR/spool"
# One report spooled and delivered first: the spool directory exists.
report --once
check "a first report is delivered" [ "$rc" -eq 0 ]
mock_ctl reset >/dev/null

set -- "$TATTOO" --root "$R" --config "$CONF" report --once
enospc_matrix "report spool write" "$SP" "cannot write '$SP/" "$@"
requests "$T/reqs"
n=$(echo $TT_FAULTS | wc -w)
pyjson "each report the spool could not take went to the collector directly" "$T/reqs" "
assert len([r for r in d if r['path'] == '/ingest']) == $n, len(d)"

# The disk full while the collector is down too: exit 4, nothing torn,
# the older spooled reports kept.
mock_ctl fail '{"route": "collector", "statuses": [503]}' >/dev/null
report --once
check "collector down: one report spooled" [ "$(spool_count)" -eq 1 ]
mock_ctl fail '{"route": "collector", "statuses": [503, 503]}' >/dev/null
snapshot "$SP" "$T/sp.saved"
fault_run write:1+ "$@"
check "full disk and collector down: exit 4, says both" sh -c \
    "[ $rc -eq 4 ] && grep -q \"cannot write '$SP/\" '$T/err' && grep -q 'HTTP 503' '$T/err'"
check "... the older report intact" diff -r "$T/sp.saved" "$SP"

# The directory fsync after the rename: the report is in the spool, and
# the message does not promise more.
mock_ctl reset >/dev/null
mock_ctl fail '{"route": "collector", "statuses": [503, 503]}' >/dev/null
fault_run fsync:2 "$@"
check "directory fsync fails: says it may not survive a crash" \
    contains "$T/err" "may not survive a crash"
check "... and the report is in the spool" [ "$(spool_count)" -eq 2 ]
mock_ctl reset >/dev/null
report --once
check "recovery: both and the new one delivered" contains "$T/out" "3 delivered, 0 in the spool"
done_testing
