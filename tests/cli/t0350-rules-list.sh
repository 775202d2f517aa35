#!/bin/sh
# tattoo rules: lists, shows one rule, validates a pack file.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

expect_exit 0 "rules --help" "$TATTOO" rules --help
check "usage" contains "$T/out" "usage: tattoo rules"
expect_exit 0 "list" "$TATTOO" rules --rules "$PACK"
check "lists profiles" contains "$T/out" "profile testpack:cis-l1-server"
check "lists rules" contains "$T/out" "sshd_disable_root_login"
expect_exit 0 "json" "$TATTOO" rules --rules "$PACK" --format json
check "json shape" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schema"] == 1
assert [p["id"] for p in d["profiles"]] == ["cis-l1-server", "small"]
assert len(d["rules"]) == 16
r = d["rules"][0]
assert r["id"] == "sshd_disable_root_login" and r["pack"] == "testpack"
assert r["check"]["probe"] == "sshd_config"' "$T/out"
expect_exit 0 "--profile filters" "$TATTOO" rules --rules "$PACK" \
    --profile small --format json
check "two rules" python3 -c '
import json, sys
assert len(json.load(open(sys.argv[1]))["rules"]) == 2' "$T/out"
expect_exit 0 "show one" "$TATTOO" rules --rules "$PACK" file_shadow_mode
check "in full" contains "$T/out" "rationale:   Hashes must not be readable"
check "with its check" contains "$T/out" "mode_max"
expect_exit 0 "show one as json" "$TATTOO" rules --rules "$PACK" \
    --format json testpack:file_shadow_mode
check "json rule" python3 -c '
import json, sys
assert json.load(open(sys.argv[1]))["id"] == "file_shadow_mode"' "$T/out"
expect_exit 2 "unknown rule" "$TATTOO" rules --rules "$PACK" nope
expect_exit 2 "unknown profile" "$TATTOO" rules --rules "$PACK" \
    --profile nope
expect_exit 2 "unknown format" "$TATTOO" rules --format xml
done_testing
