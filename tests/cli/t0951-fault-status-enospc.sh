#!/bin/sh
# A full disk during a status.json update (the read-modify-write audit,
# report and scrub share): the previous status is intact, no temporary
# file is left, the error names the file.  Driven through
# build/fault/status-poke until a command writing status.json lands here;
# then this script should call that command instead.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"

POKE=${POKE:-$TT_TOP/build/fault/status-poke}
s="$T/state"
completes "a first status.json" 0 "$POKE" "$s" audit '{"score": 87}'
completes "a second section" 0 "$POKE" "$s" report '{"spool_depth": 0}'
enospc_matrix "status.json update" "$s" \
    "cannot update '$s/status.json'" \
    "$POKE" "$s" audit '{"score": 12}'
check "status.json keeps both sections" \
    grep -q '"spool_depth"' "$s/status.json"
check "... and the old audit score" grep -q '"score": 87' "$s/status.json"
enospc_after_rename "status.json update" "$s" "could not be synced" \
    "$POKE" "$s" audit '{"score": 13}'

# Hostile state directories: a FIFO or device as the lock or the file.
rm -f "$s/status.lock"; mkfifo "$s/status.lock"
refused "status.lock is a FIFO" 4 "not a regular file" \
    "$POKE" "$s" audit '{"score": 1}'
rm -f "$s/status.lock"; mknod "$s/status.lock" c 1 5
refused "status.lock is a device" 4 "not a regular file" \
    "$POKE" "$s" audit '{"score": 1}'
rm -f "$s/status.lock"
head -c 5000 /dev/urandom >"$s/status.json"
cp "$s/status.json" "$T/garbage"
completes "garbage status.json is replaced" 0 \
    "$POKE" "$s" audit '{"score": 2}'
same_file "... and kept as status.json.broken" "$T/garbage" \
    "$s/status.json.broken"
rm -f "$s/status.json"; mkfifo "$s/status.json"
completes "a FIFO as status.json is replaced, never read" 0 \
    "$POKE" "$s" audit '{"score": 3}'
check "... by a regular file" [ -f "$s/status.json" ]
printf 'x' >"$T/notadir"
refused "state_dir is a file" 4 "$T/notadir" \
    "$POKE" "$T/notadir" audit '{"score": 4}'
done_testing
