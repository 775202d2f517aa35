#!/bin/sh
# On a live system (no --root, or --root /) harden and scrub --apply act on
# this machine: without --force and without a terminal they refuse with
# exit 2 and a message naming --force, before they read or change
# anything.  Never let this test harden or scrub the machine: every
# command that gets past the refusal carries a second stop of its own (an
# unknown profile, a missing rule pack or allowlist) that ends it before
# it reads the system.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

exec </dev/null
export TATTOO_STATE_DIR="$T/state"
: >"$T/host.conf"
C="--config $T/host.conf"

refused "live harden without --force or a terminal: exit 2, names --force" 2 \
    "--force" "$TATTOO" $C harden --profile nonexistent --rules "$T/missing.json"
check "the message says it would change this system" \
    contains "$T/err" "would change / (this system)"
check "the refusal comes before anything is read (no rule pack error)" \
    sh -c "! grep -q missing.json '$T/err'"
refused "live scrub --apply without --force or a terminal: exit 2" 2 \
    "--force" "$TATTOO" $C scrub --apply --allowlist "$T/missing"
check "the refusal comes before the allowlist is read" \
    sh -c "! grep -q '$T/missing' '$T/err'"
refused "--root / is this system too (harden)" 2 "--force" \
    "$TATTOO" --root / $C harden --profile nonexistent --rules "$T/missing.json"
refused "--root / is this system too (scrub --apply)" 2 "--force" \
    "$TATTOO" --root / $C scrub --apply --allowlist "$T/missing"
check "nothing was written: no state directory, no journal" test ! -e "$T/state"

# Past the refusal with --force: the second stop ends each run.
refused "harden --force goes on (stopped by the missing rule pack)" 3 \
    "missing.json" "$TATTOO" $C harden --force --rules "$T/missing.json"
check "no --force complaint" sh -c "! grep -q 'pass --force' '$T/err'"
refused "scrub --apply --force goes on (stopped by the missing allowlist)" 3 \
    "$T/missing" "$TATTOO" $C scrub --apply --force --allowlist "$T/missing"
check "no --force complaint" sh -c "! grep -q 'pass --force' '$T/err'"

# What does not change the system asks nothing.
refused "harden --dry-run needs no --force" 3 "missing.json" \
    "$TATTOO" $C harden --dry-run --rules "$T/missing.json"
refused "scrub --check needs no --force" 3 "$T/missing" \
    "$TATTOO" $C scrub --check --allowlist "$T/missing"
refused "usage errors still come first" 2 "exclude each other" \
    "$TATTOO" $C scrub --check --apply

# An image (--root DIR) is not this system: no question.
R="$T/root"
make_root "$R"
mkdir -p "$R/tmp"
echo junk >"$R/tmp/junk"
completes "scrub --apply --root DIR asks nothing" 0 \
    "$TATTOO" --root "$R" $C scrub --apply
check "and removes the leftover" test ! -e "$R/tmp/junk"
completes "harden --root DIR asks nothing" 1 \
    "$TATTOO" --root "$R" $C harden --rules "$TT_TOP/tests/fixtures/harden-pack.json" \
    --rule file_permissions_crontab
check "no --force complaint under --root" sh -c "! grep -q 'pass --force' '$T/err'"

done_testing
