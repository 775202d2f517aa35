#!/bin/sh
# After a rollback on the live system, `status` does not go on showing the
# last audit's score as if it were now: rollback marks the audit section
# of status.json stale, naming the run and the time, and status says
# compliance is unknown (exit 1) until an audit runs again (issue 16).
# The live system here is only paths under $T: a harden run of a fixture
# image, moved into the host's journal (state_dir) with its paths made
# absolute host paths into the fixture, and signed again.
# Rollback never enters another file system than the root's: the fixture
# must be on the file system of / for a live rollback to reach it, so $T
# is in /tmp, not the tmpfs tests/run.sh gives the other tests.
TMPDIR=/tmp
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

if [ "$(stat -c %d /)" != "$(stat -c %d "$T")" ]; then
	echo "# skipped: $T is not on the file system of /"
	done_testing
	exit
fi

harden_image
check "harden made a run" test -n "$run" -a -d "$J"
mkdir -p "$T/state/journal"
mv "$J" "$T/state/journal/$run"
J="$T/state/journal/$run"
for f in "$J"/0*.json; do
	p=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["path"])' "$f")
	set_member "$f" path "\"$R$p\""
done
$SIGN "$J"/0*.json

mkdir -p "$T/state"
cat >"$T/state/status.json" <<'JSON'
{"schema":1,"updated":"2026-12-01T00:00:00Z",
 "audit":{"time":"2026-12-01T00:00:00Z","profile":"cis-l1-server",
  "compliant":true,"score":100,
  "summary":{"pass":10,"fail":0,"error":0,"notapplicable":0,"manual":0},
  "failing":[],"reasons":[]}}
JSON
run "$TATTOO" status
check "before: status shows the audit's score" contains "$T/out" "score 100"

expect_exit 0 "live rollback of the run" "$TATTOO" rollback
check "it names the run" contains "$T/out" "rolled back $run"
check "the fixture's sshd_config has its first bytes again" \
    contains "$R/etc/ssh/sshd_config" "PermitRootLogin yes"
check "status.json's audit is marked stale, naming the run" sh -c \
    "grep -q '\"stale\": \"rolled back $run at 20[0-9-]*T[0-9:]*Z; run tattoo audit\"' '$T/state/status.json'"
check "the rest of the audit section is kept" contains \
    "$T/state/status.json" '"score": 100'
check "status.json still matches docs/schema/status.schema.json" python3 \
    "$TT_TOP/tests/cli/formatcheck.py" schema "$TT_TOP/docs/schema" status \
    "$T/state/status.json"

expect_exit 1 "after: status is not compliant (unknown)" "$TATTOO" status
check "it says compliance is unknown and why" contains "$T/out" \
    "unknown: rolled back $run at"
check "it says to audit again" contains "$T/out" "run tattoo audit"
run "$TATTOO" status --json
check "status --json carries audit.stale" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["audit"]["stale"].startswith("rolled back " + sys.argv[2]) else 1)
' "$T/out" "$run"

# A rollback that undoes nothing leaves the status as it is.
cp "$T/state/status.json" "$T/status.after"
expect_exit 2 "nothing left to roll back" "$TATTOO" rollback
check "status.json unchanged by a rollback that undid nothing" \
    cmp -s "$T/state/status.json" "$T/status.after"
done_testing
