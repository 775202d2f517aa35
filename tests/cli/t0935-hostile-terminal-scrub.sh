#!/bin/sh
# scrub --check's text quotes the image: file names, previews, leftovers,
# what it skipped.  A file named "x\r\033[2K0 secrets found" printed raw
# erases its own finding and forges the summary; here every control,
# C1 and bidi character of a name is shown escaped and never sent, and
# the real count stands.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

R="$T/root"
hostile_tree "$R"
mkfifo "$R/srv/fifo$ZOO"

completes "scrub --check of the hostile tree finds the secrets (exit 1)" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" scrub --check
term_clean "scrub --check: no control, C1 or bidi byte on stdout or stderr" \
    "$T/out" "$T/err"
shows "the forged name is shown escaped" "$T/out" \
    'secret    /srv/x\r\x1b[2K0 secrets found:1 (offset 17)  npm-token'
shows "the zoo name is shown escaped" "$T/out" \
    '/srv/b\x08\x07\x9b\u009b\u0085\u202e\u2066\x7fz:1'
shows "a leftover under a hostile home is shown escaped" "$T/out" \
    'leftover  /home/ub\x08\x07\x9b\u009b\u0085\u202e\u2066\x7fz/.bash_history  delete'
check "the summary is the real one: 2 secrets, 1 leftover" \
    grep -q '^[0-9]* files, [0-9]* bytes scanned: 2 secrets, 1 leftovers' "$T/out"
check "no line says 0 secrets" sh -c "! grep -q ': 0 secrets' '$T/out'"

completes "scrub --check -v lists what it skipped" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" scrub --check -v
term_clean "scrub -v: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "the skipped FIFO is named escaped" "$T/out" \
    'skipped   /srv/fifob\x08\x07\x9b\u009b\u0085\u202e\u2066\x7fz'

# An allowlist path on the command line is quoted in the error, escaped.
refused "an allowlist named with escapes is refused, quoted escaped" 3 \
    'allowlist' "$TATTOO" --root "$R" --config "$T/host.conf" scrub --check \
    --allowlist "$T/no$FORGE"
term_clean "the allowlist error has no control byte" "$T/out" "$T/err"
shows "... and names it escaped" "$T/err" 'nox\r\x1b[2K0 secrets found'
done_testing
