#!/bin/sh
# A journal shipped inside the image, not written by this host: a forged
# run that would chmod 04777, chown and delete a file of the tree, a run
# authenticated by another host's key, and the absence or a bad mode of
# the host's key.  Under --root only runs whose every MAC verifies with
# the host's state_dir/journal.key are listed or undone: a forged run is
# refused whole (exit 3, naming the run and the file), never chosen by a
# plain rollback, never listed; without a usable key rollback says which
# file it wants (exit 4).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

harden_image
printf 'tree canary\n' >"$R/etc/canary"
chmod 0600 "$R/etc/canary"
stat -c '%a %u:%g %s' "$R/etc/canary" >"$T/canary.before"

F=20261130T000000Z-f0f0f0
FD="$R/var/lib/tattoo/journal/$F"
mkdir -p "$FD"
cat >"$FD/run.json" <<JSON
{"schema":2,"run":"$F","command":"harden","started":"2026-11-30T00:00:00Z",
 "seq":99,"status":"complete","entries":2,"mac":"$(printf '%064d' 0)"}
JSON
cat >"$FD/000001.json" <<JSON
{"run":"$F","seq":1,"path":"/etc/canary","existed":false}
JSON
cat >"$FD/000002.json" <<JSON
{"run":"$F","seq":2,"path":"/etc/canary","existed":true,"type":"dir",
 "mode":2559,"uid":4242,"gid":4242,"atime":[0,0],"mtime":[0,0]}
JSON

canary_intact() {
	stat -c '%a %u:%g %s' "$R/etc/canary" >"$T/canary.now" &&
	    cmp -s "$T/canary.before" "$T/canary.now" &&
	    test "$(cat "$R/etc/canary")" = "tree canary"
}

refused "the forged run named: refused" 3 "$F/run.json" \
    "$TATTOO" --root "$R" rollback "$F"
check "the canary keeps its mode, owner and bytes" canary_intact
expect_exit 0 "rollback --list" "$TATTOO" --root "$R" rollback --list
check "the genuine run is listed" contains "$T/out" "$run"
check "the forged run is not" sh -c "! grep -q '$F' '$T/out'"
check "and the warning names it" contains "$T/err" "$F"

# Entries with MACs of their own do not help a run.json without one.
$SIGN "$FD/000001.json" "$FD/000002.json"
refused "forged run.json, signed entries: refused" 3 "$F/run.json" \
    "$TATTOO" --root "$R" rollback "$F"
check "the canary is intact" canary_intact

# A run.json signed, entries not: the run is refused whole.
$SIGN "$FD/run.json"
printf '{"run":"%s","seq":2,"path":"/etc/canary","existed":true,"type":"dir","mode":2559,"uid":4242,"gid":4242,"atime":[0,0],"mtime":[0,0]}\n' \
    "$F" >"$FD/000002.json"
refused "one forged entry: the whole run refused" 3 "$F/000002.json" \
    "$TATTOO" --root "$R" rollback "$F"
check "the canary is intact, the other entry not applied" canary_intact
rm -rf "$FD"

# A plain rollback passes over a forged run and takes the genuine one.
mkdir -p "$FD"
printf '{"schema":2,"run":"%s","command":"harden","started":"2026-12-31T00:00:00Z","seq":1000,"status":"complete","entries":1}\n' \
    "$F" >"$FD/run.json"
printf '{"run":"%s","seq":1,"path":"/etc/canary","existed":false}\n' "$F" \
    >"$FD/000001.json"
expect_exit 0 "plain rollback: the genuine run" "$TATTOO" --root "$R" rollback
check "it rolled back the genuine run" contains "$T/out" "rolled back $run"
check "it says it passed over the forged one" contains "$T/err" "$F"
check "the canary is intact after the plain rollback" canary_intact
rm "$R/etc/canary"
manifest >"$T/now"
check "the tree is as before the harden" cmp -s "$T/before" "$T/now"

# Another host's key: a genuine journal, but not this host's.
O="$T/other"
mkdir -p "$O"
saved=$R; R="$O/root"; make_image; R=$saved
harden_image
TATTOO_STATE_DIR="$T/state2" "$TATTOO" --root "$O/root" harden \
    --rules "$PACK" >"$T/other.out" 2>&1
orun=$(sed -n "s/.*tattoo rollback \([^']*\)'.*/\1/p" "$T/other.out")
cp -a "$O/root/var/lib/tattoo/journal/$orun" "$R/var/lib/tattoo/journal/"
refused "a run of another host's key: refused" 3 "$orun/run.json" \
    "$TATTOO" --root "$R" rollback "$orun"
manifest >"$T/now"
check "nothing undone by it" cmp -s "$T/hardened" "$T/now"

# No key on this host, or a key anyone may read: nothing is trusted.
refused "no journal key on the host: exit 4, names the key" 4 \
    "$T/nokey/journal.key" env TATTOO_STATE_DIR="$T/nokey" \
    "$TATTOO" --root "$R" rollback
refused "--list without a key: exit 4" 4 "$T/nokey/journal.key" \
    env TATTOO_STATE_DIR="$T/nokey" "$TATTOO" --root "$R" rollback --list
chmod 0644 "$KEY"
refused "a key of mode 0644: refused" 4 "0600" "$TATTOO" --root "$R" rollback
chmod 0600 "$KEY"
manifest >"$T/now"
check "still nothing undone" cmp -s "$T/hardened" "$T/now"
expect_exit 0 "with the key back, the genuine run rolls back" \
    "$TATTOO" --root "$R" rollback "$run"
manifest >"$T/now"
check "the tree is as before" cmp -s "$T/before" "$T/now"
done_testing
