#!/bin/sh
# A full disk during tattoo write: whichever of write, fsync or rename
# fails, the previous tattoo is intact, no temporary file is left, and the
# error names the file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"

tattoo_root "$T/r" || { fail "fixture"; done_testing; exit 1; }
set -- "$TATTOO" --root "$T/r" write --image-name golden \
    --image-version 2.0.0 --no-imds --source canonical:ubuntu:server:24.04.2
enospc_matrix "tattoo write" "$T/r/etc/tattoo" \
    "cannot write '$T/r/etc/tattoo/tattoo.json'" "$@"
completes "the intact tattoo still verifies" 0 \
    "$TATTOO" --root "$T/r" verify

# The first write into a fresh image: nothing before, nothing after.
make_root "$T/fresh"
mkdir -p "$T/fresh/etc/tattoo"
fault_run write:1 "$TATTOO" --root "$T/fresh" write --image-name g \
    --image-version 1 --no-imds
check "fresh image, write fails: exit 4" [ "$rc" -eq 4 ]
nothing_left() {
	[ ! -e "$T/fresh/etc/tattoo/tattoo.json" ] &&
	    [ "$(temp_files "$T/fresh")" -eq 0 ]
}
check "fresh image, write fails: no tattoo, no temporary file" nothing_left
refused "fresh image, write fails: verify says absent" 2 "absent" \
    "$TATTOO" --root "$T/fresh" verify

# The directory fsync after the rename: the new tattoo is in place, so
# the message must not promise the old one.
enospc_after_rename "tattoo write" "$T/r/etc/tattoo" \
    "may not survive a crash" "$@"
completes "after a failed directory fsync the new tattoo verifies" 0 \
    "$TATTOO" --root "$T/r" verify
refused "... and it is the new one" 0 "2.0.0" \
    "$TATTOO" --root "$T/r" show --field image.version
done_testing
