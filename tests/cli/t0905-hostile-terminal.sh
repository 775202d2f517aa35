#!/bin/sh
# Text from the image or the network never reaches the terminal with its
# control characters: an escape sequence in a tattoo field, a key id or a
# config line could otherwise retitle, recolour or rewrite the terminal of
# the person reading show, verify or an error.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

# no_ctrl DESC: neither $T/out nor $T/err holds a control byte, a C1 or
# bidi control or invalid UTF-8 (term-fixtures.sh).
no_ctrl() { term_clean "$1" "$T/out" "$T/err"; }

tattoo_root "$T/r" || { fail "fixture"; done_testing; exit 1; }
f="$T/r/etc/tattoo/tattoo.json"
sed 's/"name": "golden"/"name": "\\u001b]0;owned\\u0007\\u001b[2J\\u009b\\u202e\\u2068"/' \
    "$T/r.orig" >"$f"
grep -q 'u001b' "$f" || fail "fixture: escape in the tattoo"
completes "show with escapes in a field" 0 "$TATTOO" --root "$T/r" show
no_ctrl "show prints no control character"
contains "$T/out" '\x1b]0;owned\x07\x1b[2J\u009b\u202e\u2068' &&
    pass "... but shows them escaped" ||
    fail "... but shows them escaped" "$T/out"
completes "verify of the tampered tattoo" 1 "$TATTOO" --root "$T/r" verify
no_ctrl "verify prints no control character"

sed 's/"digest": "sha256:/"digest": "\\u001b[31msha256:/' "$T/r.orig" >"$f"
completes "verify quoting a hostile digest" 1 "$TATTOO" --root "$T/r" verify
no_ctrl "verify's digest quote has no control character"

printf 'frob\033[2J\302\233\342\200\256nicate = 1\n' >"$T/host-bad.conf"
refused "config error quoting a hostile key" 3 "unknown key" \
    "$TATTOO" --root "$T/r" --config "$T/host-bad.conf" show
no_ctrl "the error has no control, C1 or bidi character"
contains "$T/err" 'frob\x1b[2J\u009b\u202enicate' &&
    pass "... and quotes the key escaped" ||
    fail "... and quotes the key escaped" "$T/err"

# The image's own agent.conf: refused or ignored with a warning (issue 13
# moves it to "profile" only), either way quoted without controls.
cp "$T/host-bad.conf" "$T/r/etc/tattoo/agent.conf"
run timeout -s KILL 60 "$TATTOO" --root "$T/r" --config "$T/host.conf" show
no_ctrl "the image's hostile agent.conf key reaches no terminal"
check "... and is named, escaped, in a warning" \
    contains "$T/err" "ignored: 'frob\x1b[2J"

# Command-line values quoted in usage errors.
run "$TATTOO" --root "$T/r" show --field "$(printf 'no\033[2Jsuch\342\200\256')"
no_ctrl "an unknown --field is quoted escaped"
run "$TATTOO" "$(printf 'frob\033]0;x\007')"
no_ctrl "an unknown command is quoted escaped"
# getopt's own message printed the option raw; ours escapes it.
expect_exit 2 "an unknown option is a usage error" \
    "$TATTOO" show "$(printf -- '--x\033[2J\302\233')"
no_ctrl "an unknown option is quoted escaped"
contains "$T/err" "unknown option or missing argument: '--x\x1b[2J\u009b'" &&
    pass "... and named" || fail "... and named" "$T/err"
done_testing
