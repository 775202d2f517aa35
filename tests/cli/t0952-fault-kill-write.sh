#!/bin/sh
# kill -9 during tattoo write, at each of its crash points (tests/fault.sh
# kill_points) and at the worst one (between fsync and rename,
# TATTOO_TEST_PAUSE=atomic-write, stopped there from outside): afterwards
# the tattoo is always the old one or a complete new one that verifies and
# names the old one as its parent; never torn.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"

tattoo_root "$T/r" || { fail "fixture"; done_testing; exit 1; }
f="$T/r/etc/tattoo/tattoo.json"
cp "$f" "$T/prev"

# After each round: unchanged, or a new tattoo that verifies and whose
# parent is the previous one.
changed=0
old_or_new() {
	cmp -s "$f" "$T/prev" && return 0
	changed=$((changed + 1))
	"$TATTOO" --root "$T/r" verify >"$T/kv" 2>&1 || {
		cat "$T/kv"; return 1; }
	want=$(sed -n 's/^  "digest": "\(.*\)",\{0,1\}$/\1/p' "$T/prev" | tail -1)
	# stdout only: under make test-valgrind, valgrind's own warnings
	# (an unhandled openat2) are on stderr.
	got=$("$TATTOO" --root "$T/r" show --field parent.digest 2>"$T/show.err")
	[ "$got" = "$want" ] || {
		echo "# parent $got, want $want"; cat "$T/show.err"; return 1; }
	cp "$f" "$T/prev"
}
# Each write builds on the tattoo the last round left, old or new.
kill_points "tattoo write" : old_or_new \
    "$TATTOO" --root "$T/r" write --image-name golden \
    --image-version 3.0.0 --no-imds --source canonical:ubuntu:server:24.04.3
echo "# $changed runs ended with a new tattoo, the rest the old"
check "some runs killed after the rename left a new tattoo" [ "$changed" -ge 2 ]
check "some runs killed before it left the old one" [ "$changed" -le "$KILLED" ]
completes "the tattoo verifies after the kill rounds" 0 \
    "$TATTOO" --root "$T/r" verify
echo "# $(temp_files "$T/r") temporary files left by kill -9 (expected)"

# The worst moment: the new file complete and synced, not yet renamed.
cp "$f" "$T/prev"
TATTOO_TEST_PAUSE=atomic-write "$TATTOO" --root "$T/r" write \
    --image-name golden --image-version 4.0.0 --no-imds >/dev/null 2>&1 &
pid=$!
i=0
while [ "$i" -lt 600 ] &&
    [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" != T ]; do
	sleep 0.05; i=$((i + 1))
done
check "write stops at the atomic-write pause" \
    [ "$(sed 's/.*) \(.\).*/\1/' "/proc/$pid/stat" 2>/dev/null)" = T ]
kill -9 "$pid"; wait "$pid" 2>/dev/null
same_file "killed before the rename: the old tattoo is intact" "$T/prev" "$f"
completes "... and verifies" 0 "$TATTOO" --root "$T/r" verify
check "... and the killed write left its temporary file" \
    [ "$(temp_files "$T/r")" -ge 1 ]
completes "a later write succeeds beside the leftover" 0 \
    "$TATTOO" --root "$T/r" write --image-name golden --image-version 5.0.0 \
    --no-imds
refused "... and builds on the old tattoo" 0 "$(sed -n 's/^  "digest": "\(.*\)"$/\1/p' "$T/prev")" \
    "$TATTOO" --root "$T/r" show --field parent.digest
done_testing
