#!/bin/sh
# Issue 13 finding 6: the deadlines.  An audit held past its --timeout
# ends with the rules left "error" (not judged) and exit 4.  A report
# whose audit never ends (TATTOO_TEST_PAUSE=audit stops the audit process)
# kills it at its share of report --timeout, finishes the round, says and
# records what it could not finish, exits 4 and leaves the lock free: a
# report started meanwhile leaves the round to it, one started right
# after takes the lock.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
TT_HANG_S=${TT_HANG_S_BUDGET:-30}

export TATTOO_STATE_DIR="$T/state"
R="$T/root"
make_root "$R"
printf 'tags = off\nretry_scale_ms = 1\n' >"$T/host.conf"

# wait_stopped PID: until the process has stopped itself (at most 20 s).
wait_stopped() {
	i=0
	while [ $i -lt 200 ]; do
		[ "$(sed 's/.*) \(.\).*/\1/' "/proc/$1/stat" 2>/dev/null)" = T ] && return 0
		sleep 0.1; i=$((i + 1))
	done
	return 1
}

# The audit command, held for 3 s with a deadline of 1 s.
TATTOO_TEST_PAUSE=audit "$TATTOO" --root "$R" audit --timeout 1 --format json \
    >"$T/out" 2>"$T/err" &
pid=$!
check "the audit stopped itself" wait_stopped $pid
sleep 2
kill -CONT $pid
wait $pid
rc=$?
check "audit past its deadline: exit 4 (got $rc)" [ "$rc" -eq 4 ]
check "audit past its deadline: the rules left are error, not judged" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
left = [x for x in d["results"] if x["result"] == "error"]
assert left and all("not judged: the audit'"'"'s deadline (1 s) passed" in x["found"] for x in left), left[:2]
assert not [x for x in d["results"] if x["result"] in ("pass", "fail")]' "$T/out"
check "audit past its deadline: the warning says so" contains "$T/err" "deadline (1 s) passed"
expect_exit 2 "audit --timeout takes seconds" "$TATTOO" --root "$R" audit --timeout soon
check "a bad --timeout is named" contains "$T/err" "--timeout 'soon'"

# A report whose audit hangs: the round goes on without it and ends
# within its deadline.  The second report below must reach the lock
# before that deadline frees it.  On a loaded machine a sanitized start
# can take seconds (4 s was lost to that at load 45), and under valgrind
# more: the deadline leaves room for it (the wait is idle, not CPU).
case $TATTOO in
*valgrind*) D=20 ;;
*) D=10 ;;
esac
TATTOO_TEST_PAUSE=audit "$TATTOO" --root "$R" --config "$T/host.conf" report --timeout $D \
    >"$T/a.out" 2>"$T/a.err" &
pid=$!
# Its audit child stops itself (the pause hook) once the round holds the
# lock: wait for that, not for a guessed time (valgrind is slow to start).
i=0
while [ "$i" -lt 300 ] &&
    ! ps -eo stat=,args= | grep -q "^T.*[r]eport --timeout $D"; do
	sleep 0.1; i=$((i + 1))
done
# Meanwhile a second round finds the lock held and leaves the round to it.
run timeout 20 "$TATTOO" --root "$R" --config "$T/host.conf" report
check "a report meanwhile leaves the round to the first (exit $rc)" \
    sh -c "[ $rc -eq 0 ] && grep -q 'another .tattoo report. is running' '$T/out'"
start=$(date +%s)
wait $pid
rc=$?
took=$(( $(date +%s) - start ))
check "report with a hung audit: exit 4 (got $rc)" [ "$rc" -eq 4 ]
check "report with a hung audit: ended by its deadline (${took}s after)" [ "$took" -le $((D + 2)) ]
check "report with a hung audit: says what it could not finish" \
    contains "$T/a.err" "not finished within the deadline ($D s): the audit did not finish within"
check "report with a hung audit: the audit process is gone" \
    sh -c "! pgrep -f '[r]eport --timeout $D\$' >/dev/null"
check "report with a hung audit: status.json records it" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "the audit did not finish" in d["report"]["unfinished"], d["report"]' "$T/state/status.json"

# Right after, the lock is free: the next round takes it and completes.
unset TATTOO_TEST_PAUSE
completes "the next report takes the lock and completes" 0 \
    "$TATTOO" --root "$R" --config "$T/host.conf" report --timeout 60
check "the next report ran its round" sh -c "! grep -q 'another .tattoo report. is running' '$T/out'"
check "the next report recorded no unfinished work" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "unfinished" not in d["report"], d["report"]' "$T/state/status.json"
expect_exit 2 "report --timeout 0 is refused" "$TATTOO" --root "$R" --config "$T/host.conf" report --timeout 0

done_testing
