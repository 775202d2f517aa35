#!/bin/sh
# tattoo audit: profiles, --rule, --output, and the exit codes.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

noncompliant_root "$T/root"
expect_exit 0 "--rule selects passing rules" "$TATTOO" audit \
    --root "$T/root" --rules "$PACK" --rule firewall_policy \
    --rule live_forward
expect_exit 1 "--rule selects a failing rule" "$TATTOO" audit \
    --root "$T/root" --rules "$PACK" --rule file_shadow_mode --format json
check "only that rule" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [r["id"] for r in d["results"]] == ["file_shadow_mode"], d' "$T/out"
expect_exit 2 "unknown rule" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --rule no_such_rule
check "names the rule" contains "$T/err" "unknown rule 'no_such_rule'"
expect_exit 2 "unknown profile" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --profile nope
check "names the profile" contains "$T/err" "unknown profile 'nope'"
expect_exit 1 "--profile ID" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --profile small --format json
check "the small profile" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert len(d["results"]) == 2 and d["profile"] == "small", d' "$T/out"
TATTOO_PROFILE=small expect_exit 1 "config key profile" "$TATTOO" audit \
    --root "$T/root" --rules "$PACK" --format json
check "the configured profile" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["profile"] == "small"' "$T/out"

make_root "$T/ubuntu" ubuntu 24.04 "Ubuntu 24.04 LTS"
expect_exit 2 "no pack applies" "$TATTOO" audit --root "$T/ubuntu" \
    --rules "$PACK"
check "says so" contains "$T/err" "no rule pack applies"
expect_exit 1 "PACK:ID whatever the OS" "$TATTOO" audit \
    --root "$T/ubuntu" --rules "$PACK" --profile testpack:small

expect_exit 3 "missing pack file" "$TATTOO" audit --root "$T/root" \
    --rules "$T/nope.json"
printf '{"schema": 1, "pack": "x"' >"$T/bad.json"
expect_exit 3 "bad pack" "$TATTOO" audit --root "$T/root" \
    --rules "$T/bad.json"
check "names the file" contains "$T/err" "$T/bad.json: not valid JSON"
cp "$PACK" "$T/loose.json"
chmod 0666 "$T/loose.json"
expect_exit 3 "world-writable pack refused" "$TATTOO" audit \
    --root "$T/root" --rules "$T/loose.json"
expect_exit 2 "missing root" "$TATTOO" audit --root "$T/absent" \
    --rules "$PACK"

expect_exit 1 "--output" "$TATTOO" audit --root "$T/root" --rules "$PACK" \
    --format json --output "$T/report.json"
check "nothing on stdout" test ! -s "$T/out"
check "the report file" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["schema"] == 1' "$T/report.json"
check "no temporary left" sh -c "! ls '$T' | grep -q '^\.report'"
expect_exit 4 "--output in a missing directory" "$TATTOO" audit \
    --root "$T/root" --rules "$PACK" --output "$T/no/dir/report.txt"
done_testing
