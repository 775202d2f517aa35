#!/bin/sh
# tattoo write records an audit baseline only when a rule pack applies to
# the image; otherwise it says so and the tattoo has none.
. "$(dirname "$0")/../lib.sh"

make_root "$T/root" plan9 4 "Plan 9 from Bell Labs"
expect_exit 0 "write on an OS no pack covers" "$TATTOO" --root "$T/root" \
    write --image-name demo --image-version 1.0.0 --no-imds
check "says there is no baseline" contains "$T/err" \
    "the tattoo has no baseline"
check "the tattoo has no baseline" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert "baseline" not in t, t' "$T/root/etc/tattoo/tattoo.json"
expect_exit 0 "it verifies" "$TATTOO" --root "$T/root" verify
done_testing
