#!/bin/sh
# Typos get suggestions (issue 16): an unknown command, format, profile or
# rule names the closest valid value ("did you mean 'cis-l1-server'?")
# and lists the valid values, not the whole usage.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

noncompliant_root "$T/root"
no_usage() { ! grep -q 'usage:' "$T/err"; }

expect_exit 2 "unknown command" "$TATTOO" adiut
check "suggests audit" contains "$T/err" "did you mean 'audit'?"
check "lists the commands" contains "$T/err" "write, show, verify, audit"
check "not the whole usage" no_usage
expect_exit 2 "help of an unknown command" "$TATTOO" help scrbu
check "suggests scrub" contains "$T/err" "did you mean 'scrub'?"
expect_exit 2 "a word far from every command" "$TATTOO" frobnicate
check "no suggestion then" sh -c "! grep -q 'did you mean' '$T/err'"
check "but the list" contains "$T/err" "(commands: write"

expect_exit 2 "unknown format" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --format jsno
check "suggests json" contains "$T/err" "did you mean 'json'?"
check "lists the formats" contains "$T/err" "text, json, junit"
expect_exit 2 "scrub's format too" "$TATTOO" scrub --format sarfi
check "suggests sarif" contains "$T/err" "did you mean 'sarif'?"

expect_exit 2 "unknown profile" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --profile cis-l1-sever
check "suggests the profile" contains "$T/err" "did you mean 'cis-l1-server'?"
check "lists the profiles" contains "$T/err" "profiles: cis-l1-server, small"
expect_exit 2 "PACK:PROFILE" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --profile testpack:smal
check "suggests small" contains "$T/err" "did you mean 'small'?"
expect_exit 2 "rules --profile" "$TATTOO" rules --rules "$PACK" \
    --profile smll
check "suggests small there too" contains "$T/err" "did you mean 'small'?"

expect_exit 2 "unknown rule" "$TATTOO" audit --root "$T/root" \
    --rules "$PACK" --rule sshd_max_auth_trys
check "suggests the rule" contains "$T/err" "did you mean 'sshd_max_auth_tries'?"
check "says where the rules are listed" contains "$T/err" "tattoo rules"
expect_exit 2 "harden --rule" "$TATTOO" harden --root "$T/root" \
    --rules "$PACK" --rule file_shadow_mdoe --dry-run
check "suggests the rule to harden" contains "$T/err" "did you mean 'file_shadow_mode'?"
expect_exit 2 "rules RULE_ID" "$TATTOO" rules --rules "$PACK" only_root_uid
check "suggests it in rules" contains "$T/err" "did you mean 'only_root_uid0'?"
done_testing
