#!/bin/sh
# Status words have one colour in every command's text output (issue 16):
# on a terminal audit, harden, rollback --list and verify wrap the same word in the same
# escape sequence, good outcomes share one colour and bad ones another,
# padding stays outside the colour codes, and NO_COLOR or --no-color
# print none.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

export TATTOO_STATE_DIR="$T/state"
noncompliant_root "$T/root"
A="--root $T/root --rules $PACK"

# on_pty OUT PROGRAM ARGS...: PROGRAM's stdout on a pty in OUT (stderr, with
# its warnings, goes to OUT.err, so only the text output is compared).
on_pty() {
	out=$1; shift
	python3 - "$out" "$@" <<'PY'
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm'
    err = os.open(out + '.err', os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(err, 2)
    os.execv(argv[0], argv)
data = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(out, 'wb').write(data)
PY
}

# shellcheck disable=SC2086
on_pty "$T/audit" "$TATTOO" audit -v $A
# shellcheck disable=SC2086
on_pty "$T/harden" "$TATTOO" harden $A
# shellcheck disable=SC2086
on_pty "$T/audit-after" "$TATTOO" audit -v $A
on_pty "$T/rollback" "$TATTOO" --root "$T/root" rollback --list
# shellcheck disable=SC2086
run "$TATTOO" --root "$T/root" write --image-name img --image-version 1.0.0 \
    --source Canonical:o:s:1
on_pty "$T/verify-ok" "$TATTOO" --root "$T/root" verify
cp "$T/root/etc/tattoo/tattoo.json" "$T/tattoo.json"
sed 's/"img"/"imh"/' "$T/tattoo.json" >"$T/root/etc/tattoo/tattoo.json"
on_pty "$T/verify-bad" "$TATTOO" --root "$T/root" verify

# words OUT...: each coloured status word as "SGR|WORD|PAD", PAD the
# spaces after its reset (its padding and the column's separator).
words() {
	python3 - "$@" <<'PY'
import re, sys
for f in sys.argv[1:]:
    for m in re.finditer(rb'\x1b\[([0-9;]*)m([^\x1b]*)\x1b\[0m( *)', open(f, 'rb').read()):
        print(m.group(1).decode(), m.group(2).decode(), len(m.group(3)), sep='|')
PY
}
words "$T/audit" "$T/harden" "$T/audit-after" "$T/rollback" "$T/verify-ok" "$T/verify-bad" |
    grep -v '^1|' | sort -u >"$T/words"
check "audit colours fail red" grep -qx '31|fail|2' "$T/words"
check "audit colours pass green" grep -qx '32|pass|2' "$T/words"
check "harden colours fixed green, as audit colours pass" \
    grep -qx '32|fixed|12' "$T/words"
check "harden colours still failing red, as audit colours fail" \
    grep -qx '31|still failing|4' "$T/words"
check "rollback --list colours a complete run green" \
    grep -qx '32|complete|0' "$T/words"
check "verify colours valid green" grep -qx '32|valid|0' "$T/words"
check "verify colours invalid red" grep -qx '31|invalid|0' "$T/words"
check "each word has one colour in every command" \
    sh -c "[ \$(cut -d'|' -f2 '$T/words' | sort | uniq -d | wc -l) -eq 0 ]"
# Padding is outside the colour: a word's column is as wide as without it.
check "padded columns line up with colour as without" \
    sh -c "sed 's/\x1b\[[0-9;]*m//g' '$T/harden' | tr -d '\r' |
        grep -q '^  fixed            [a-z]'"

# No colour: NO_COLOR, --no-color, and not a terminal.
cp "$T/tattoo.json" "$T/root/etc/tattoo/tattoo.json"
for how in env flag; do
	if [ $how = env ]; then pre="env NO_COLOR=1 $TATTOO"; else pre="$TATTOO --no-color"; fi
	# shellcheck disable=SC2086
	on_pty "$T/nc-audit" /bin/sh -c "exec $pre audit -v $A"
	on_pty "$T/nc-verify" /bin/sh -c "exec $pre --root $T/root verify"
	check "$how: audit prints no escape sequence" \
	    sh -c "! grep -q \"\$(printf '\\033')\" '$T/nc-audit'"
	check "$how: verify prints no escape sequence" \
	    sh -c "! grep -q \"\$(printf '\\033')\" '$T/nc-verify'"
	check "$how: audit still prints its words" grep -q 'fail ' "$T/nc-audit"
done
done_testing
