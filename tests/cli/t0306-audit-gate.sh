#!/bin/sh
# issue 16: audit gates for pipelines.  --fail-under SCORE exits 1 only when
# the score is below SCORE; --fail-on SEVERITY only when a failing rule is
# that severe or more; either fails the gate when both are given; without
# them any failing rule exits 1 as before.
. "$(dirname "$0")/../lib.sh"

PACK="$TT_TOP/tests/fixtures/gate-pack.json"
R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/var/lib/tattoo"
for f in crontab motd issue hosts; do
	printf '# %s\n' "$f" >"$R/etc/$f"
	chmod 0644 "$R/etc/$f"
done
A="$TATTOO --root $R audit --rules $PACK"

# Every rule fails: score 0; motd_0600 is high, crontab_0600 medium.
expect_exit 1 "no gate: failing rules exit 1" $A
expect_exit 1 "--fail-on high: a high rule fails" $A --fail-on high
check "... says why" contains "$T/err" "1 failing rule of severity high or above (motd_0600)"
expect_exit 0 "--fail-under 0: a score of 0 is not below it" $A --fail-under 0

# Fix the medium and high ones: two low rules fail, score 3/5 = 60.
chmod 0600 "$R/etc/crontab" "$R/etc/motd"
expect_exit 1 "no gate: still exit 1" $A
expect_exit 0 "--fail-under 60: at the threshold" $A --fail-under 60
expect_exit 1 "--fail-under 61: below it" $A --fail-under 61
check "... says the score" contains "$T/err" "score 60.0 is below 61"
expect_exit 0 "--fail-on medium: only low rules fail" $A --fail-on medium
expect_exit 0 "--fail-on high" $A --fail-on high
expect_exit 1 "--fail-on low" $A --fail-on low
expect_exit 1 "both: the score gate fails" $A --fail-on high --fail-under 80
expect_exit 0 "both pass" $A --fail-on medium --fail-under 50
expect_exit 0 "--fail-on with --format json" $A --fail-on medium --format json
check "... the document still printed" contains "$T/out" '"score"'

expect_exit 2 "--fail-under above 100" $A --fail-under 101
check "... says the range" contains "$T/err" "0 to 100"
expect_exit 2 "--fail-under not a number" $A --fail-under high
expect_exit 2 "--fail-on unknown severity" $A --fail-on critical
check "... lists the severities" contains "$T/err" "low, medium or high"

done_testing
