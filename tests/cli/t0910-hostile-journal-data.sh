#!/bin/sh
# A journal entry's "data" is the name of the file holding a path's old
# bytes.  Named as an absolute path or a ../ chain it used to make
# `rollback --root` copy any host file into the image, with the entry's
# mode, setuid included.  Now data must be the entry's own NNNNNN.data in
# the run directory: refused otherwise (exit 3, naming the entry and the
# field), whether the entry's MAC is missing or made with the host's key,
# and nothing of the run is undone.  A genuine run still rolls back byte
# for byte, with no mode bit its originals did not have.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

printf 'HOST-CANARY-7f3a9 signing key\n' >"$T/canary"
chmod 0600 "$T/canary"

harden_image
check "harden made a run" test -n "$run" -a -f "$J/run.json"
E=$(entry_of /etc/crontab)
check "the run recorded /etc/crontab with its bytes" test -f "${E%.json}.data"
cp -a "$J" "$T/genuine"

no_canary() {
	! grep -rqs 'HOST-CANARY-7f3a9' "$R" &&
	    [ -z "$(find "$R" -perm /6000 -print)" ]
}

# 1. Absolute data name, no valid MAC (what an image can ship).
set_member "$E" data "\"$T/canary\""
set_member "$E" mode 2541
refused "absolute data name without a MAC: refused" 3 "$(basename "$E")" \
    "$TATTOO" --root "$R" rollback "$run"
check "the host canary is not in the image, no set-id file" no_canary
manifest >"$T/now"
check "nothing of the run was undone" cmp -s "$T/hardened" "$T/now"

# 2. The same, signed with the host's key: the validator refuses it.
$SIGN "$E"
refused "absolute data name with a valid MAC: refused" 3 "'data'" \
    "$TATTOO" --root "$R" rollback "$run"
check "the message names the entry" contains "$T/err" "$(basename "$E")"
check "the host canary is not in the image, no set-id file (signed)" no_canary
manifest >"$T/now"
check "nothing of the signed run was undone" cmp -s "$T/hardened" "$T/now"

# 3. A ../ chain out of the run directory, signed, plain rollback.
set_member "$E" data "\"../../../../../../../../..$T/canary\""
$SIGN "$E"
refused "../ data chain: refused" 3 "'data'" "$TATTOO" --root "$R" rollback
check "the host canary is not in the image (../)" no_canary

# 4. The data file itself a symbolic link to the host file (signed entry).
cp "$T/genuine/$(basename "$E")" "$E"
rm "${E%.json}.data"
ln -s "$T/canary" "${E%.json}.data"
refused "data file that is a symlink to a host file: refused" 3 \
    "$(basename "${E%.json}.data")" "$TATTOO" --root "$R" rollback
check "the host canary is not in the image (symlink)" no_canary
manifest >"$T/now"
check "nothing undone after the refusals" cmp -s "$T/hardened" "$T/now"

# The genuine journal restores the image byte for byte.
rm -rf "$J"
cp -a "$T/genuine" "$J"
expect_exit 0 "the genuine run rolls back" "$TATTOO" --root "$R" rollback
manifest >"$T/now"
if cmp -s "$T/before" "$T/now"; then
	pass "byte for byte, modes and owners too"
else
	diff "$T/before" "$T/now" >"$T/why"
	fail "byte for byte, modes and owners too" "$T/why"
fi
check "no set-id file after the genuine rollback" \
    test -z "$(find "$R" -perm /6000 -print)"
check "the canary is untouched" test "$(stat -c %a "$T/canary")" = 600
done_testing
