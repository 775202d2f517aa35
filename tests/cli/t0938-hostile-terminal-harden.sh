#!/bin/sh
# harden --dry-run prints diffs of the image's own files and its summary
# quotes what it found: an ESC sequence, CR, backspace, C1 or bidi control
# in a config line is shown escaped in the diff and the summary, never
# sent; tabs and the diff's shape stay.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

R="$T/root"
hostile_tree "$R"
printf 'PASS_WARN_AGE\t7\n' >>"$R/etc/login.defs"
find "$R" -type f -exec cksum {} + | sort >"$T/before"

completes "harden --dry-run of the hostile tree (exit 1: changes pending)" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" harden --dry-run
term_clean "harden --dry-run: no control, C1 or bidi byte but tab" \
    "$T/out" "$T/err"
shows "the diff shows the hostile login.defs line escaped" "$T/out" \
    '-PASS_MAX_DAYS 99999\x1b[1A\x1b[2K\x9b'
shows "the diff shows sshd's hostile lines escaped" "$T/out" \
    'PermitRootLogin yes\x1b[2K\r\u009b\u202e no'
check "a tab in a file's line is kept" grep -q "$(printf 'PASS_WARN_AGE\t7')" "$T/out"
check "the diff keeps its shape: headers and hunks" \
    grep -q '^--- a/etc/login.defs$' "$T/out"
find "$R" -type f -exec cksum {} + | sort >"$T/after"
same_file "the dry run changed nothing" "$T/before" "$T/after"

# A rule's found value in harden's summary (not a dry run: the image is
# changed, in $T only), and rollback's listing.
run timeout -s KILL 120 "$TATTOO" --root "$R" --config "$T/host.conf" harden
check "harden of the hostile tree completes (exit 0 or 1, got $rc)" \
    test "$rc" -le 1
term_clean "harden: no control, C1 or bidi byte" "$T/out" "$T/err"
run "$TATTOO" --root "$R" --config "$T/host.conf" rollback --list
term_clean "rollback --list: no control, C1 or bidi byte" "$T/out" "$T/err"
done_testing
