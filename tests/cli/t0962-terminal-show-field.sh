#!/bin/sh
# show --field: a name outside the tattoo format is a usage error (2)
# naming it, with the closest member; a member this tattoo lacks stays 1
# for scripts (issue 16).
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
"$TATTOO" --root "$R" write --image-name g --image-version 1 --no-imds \
    >/dev/null 2>&1 || fail "write"
W="$TATTOO --root $R"
# shellcheck disable=SC2086
expect_exit 2 "show --field no.such is a usage error" $W show --field no.such
check "it names the field" contains "$T/err" "--field 'no.such'"
check "and lists the members" contains "$T/err" "image, build"
check "no whole usage text" sh -c "! grep -q 'usage:' '$T/err'"
# shellcheck disable=SC2086
expect_exit 2 "a typo of a member" $W show --field imgae.version
check "gets a suggestion" contains "$T/err" "did you mean 'image'?"
# shellcheck disable=SC2086
expect_exit 1 "a member this tattoo lacks is exit 1" $W show --field signature.key_id
# shellcheck disable=SC2086
expect_exit 1 "a missing name under a member is exit 1" $W show --field image.nope
# shellcheck disable=SC2086
expect_exit 0 "a field that is there" $W show --field image.version
check "its value" test "$(cat "$T/out")" = 1
done_testing
