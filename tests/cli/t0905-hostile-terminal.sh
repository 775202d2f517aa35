#!/bin/sh
# Text from the image or the network never reaches the terminal with its
# control characters: an escape sequence in a tattoo field, a key id or a
# config line could otherwise retitle, recolour or rewrite the terminal of
# the person reading show, verify or an error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

esc=$(printf '\033')
# no_ctrl DESC: neither $T/out nor $T/err holds an ESC or BEL byte.
no_ctrl() {
	if grep -q "$esc" "$T/out" "$T/err" ||
	    grep -q "$(printf '\007')" "$T/out" "$T/err"; then
		fail "$1" "$T/out" "$T/err"
	else
		pass "$1"
	fi
}

tattoo_root "$T/r" || { fail "fixture"; done_testing; exit 1; }
f="$T/r/etc/tattoo/tattoo.json"
sed 's/"name": "golden"/"name": "\\u001b]0;owned\\u0007\\u001b[2J"/' \
    "$T/r.orig" >"$f"
grep -q 'u001b' "$f" || fail "fixture: escape in the tattoo"
completes "show with escapes in a field" 0 "$TATTOO" --root "$T/r" show
no_ctrl "show prints no control character"
contains "$T/out" "?]0;owned??[2J" && pass "... but shows where they were" ||
    fail "... but shows where they were" "$T/out"
completes "verify of the tampered tattoo" 1 "$TATTOO" --root "$T/r" verify
no_ctrl "verify prints no control character"

sed 's/"digest": "sha256:/"digest": "\\u001b[31msha256:/' "$T/r.orig" >"$f"
completes "verify quoting a hostile digest" 1 "$TATTOO" --root "$T/r" verify
no_ctrl "verify's digest quote has no control character"

printf 'frob\033[2Jnicate = 1\n' >"$T/host-esc.conf"
refused "config error quoting a hostile key" 3 "unknown key" \
    "$TATTOO" --root "$T/r" --config "$T/host-esc.conf" show
no_ctrl "the error has no control character"
# The image's own agent.conf: its keys are named in a warning.
cp "$T/host-esc.conf" "$T/r/etc/tattoo/agent.conf"
printf 'prof\033]0;x\007ile = a\n' >>"$T/r/etc/tattoo/agent.conf"
completes "an image config with hostile keys" 0 "$TATTOO" --root "$T/r" show
check "... is named in a warning" contains "$T/err" "ignored: 'frob?[2Jnicate'"
no_ctrl "the warning has no control character"
done_testing
