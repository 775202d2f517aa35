#!/bin/sh
# A genuine run tampered with inside the image: one byte of an entry
# changed, two data files swapped, an entry removed (the last one, or one
# in the middle), run.json edited.  Each is refused whole with a message
# naming the file (exit 3) and nothing of the run is undone; the untouched
# journal then still rolls the image back byte for byte.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

harden_image
cp -a "$J" "$T/genuine"
restore() { rm -rf "$J"; cp -a "$T/genuine" "$J"; }
untouched() {
	manifest >"$T/now"
	cmp -s "$T/hardened" "$T/now"
}
E=$(entry_of /etc/crontab); e=$(basename "$E")
check "/etc/crontab was journaled" test -n "$e"

# One byte of an entry: mode 420 (0644) -> 421.
sed -i 's/"mode":420/"mode":421/' "$E"
check "the byte was changed" sh -c "! cmp -s '$E' '$T/genuine/$e'"
refused "one byte of an entry changed: refused" 3 "$e" \
    "$TATTOO" --root "$R" rollback
check "the message names the MAC" contains "$T/err" "'mac'"
check "nothing undone (edited entry)" untouched

# Two data files swapped.
restore
d1=$(basename "$(entry_of /etc/sysctl.conf)" .json).data
d2=$(basename "$(entry_of /etc/fstab)" .json).data
mv "$J/$d1" "$T/swap"; mv "$J/$d2" "$J/$d1"; mv "$T/swap" "$J/$d2"
refused "data files swapped: refused" 3 "SHA-256" \
    "$TATTOO" --root "$R" rollback
check "nothing undone (swapped data)" untouched

# The last entry removed: run.json counts the entries.
restore
last=$(ls "$J" | grep '^[0-9]*\.json$' | tail -1)
rm "$J/$last"
refused "the last entry removed: refused" 3 "'entries'" \
    "$TATTOO" --root "$R" rollback
check "nothing undone (dropped entry)" untouched

# An entry in the middle removed.
restore
rm "$J/000003.json"
refused "an entry in the middle removed: refused" 3 "000004.json" \
    "$TATTOO" --root "$R" rollback
check "nothing undone (missing entry)" untouched

# run.json edited: the run is not this host's any more.
restore
sed -i 's/"complete"/"running"/' "$J/run.json"
refused "run.json edited, named: refused" 3 "$run/run.json" \
    "$TATTOO" --root "$R" rollback "$run"
expect_exit 2 "run.json edited: a plain rollback finds nothing" \
    "$TATTOO" --root "$R" rollback
check "and says what it passed over" contains "$T/err" "$run/run.json"
check "nothing undone (edited run.json)" untouched

# The genuine journal still works, exactly once.
restore
expect_exit 0 "the untouched run rolls back" "$TATTOO" --root "$R" rollback
manifest >"$T/now"
if cmp -s "$T/before" "$T/now"; then
	pass "byte for byte"
else
	diff "$T/before" "$T/now" >"$T/why"
	fail "byte for byte" "$T/why"
fi
expect_exit 2 "nothing left to roll back" "$TATTOO" --root "$R" rollback
expect_exit 0 "rollback --list shows it rolled back" \
    "$TATTOO" --root "$R" rollback --list
check "status rolled-back" contains "$T/out" "rolled-back"
done_testing
