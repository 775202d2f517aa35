#!/bin/sh
# scrub --build-user NAME for an account the image does not have is a
# usage error naming it (issue 16): a typo must not scan for leftovers
# that cannot be there and say "clean".  After an --apply removed the
# account, the same command stays clean (t0501).
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
printf 'root:x:0:0:root:/root:/bin/bash\nbuilder:x:1000:1000::/home/builder:/bin/bash\n' >"$R/etc/passwd"
mkdir -p "$R/home/builder"

expect_exit 2 "an unknown --build-user is a usage error" \
    "$TATTOO" --root "$R" scrub --check --build-user biulder
check "the error names the account" contains "$T/err" "--build-user 'biulder'"
check "and where it was looked for" contains "$T/err" "/etc/passwd"
expect_exit 2 "with --apply too, before anything is removed" \
    "$TATTOO" --root "$R" scrub --apply --build-user biulder
check "nothing was removed" test -d "$R/home/builder"
check "a prefix of an account is no account" sh -c \
    "'$TATTOO' --root '$R' scrub --check --build-user build >/dev/null 2>&1; [ \$? -eq 2 ]"
expect_exit 1 "the account that is there: its leftovers found" \
    "$TATTOO" --root "$R" scrub --check --build-user builder
expect_exit 0 "--apply removes them" \
    "$TATTOO" --root "$R" scrub --apply --build-user builder
check "the account is gone" sh -c "! grep -q '^builder:' '$R/etc/passwd'"
expect_exit 0 "after --apply removed it, the same check is clean" \
    "$TATTOO" --root "$R" scrub --check --build-user builder
rm -f "$R/etc/passwd"
make_root "$T/bare"
expect_exit 2 "an image without /etc/passwd has no build user" \
    "$TATTOO" --root "$T/bare" scrub --check --build-user builder
done_testing
