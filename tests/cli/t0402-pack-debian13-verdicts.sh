#!/bin/sh
# The debian13 pack (tools/packgen/debian13.py: the debian12 rules numbered
# for CIS Debian 13, and the controls new there) on the Debian 13 trees of
# tests/fixtures/debian13-root.py: chosen from os-release (VERSION_ID 13,
# or VERSION_CODENAME trixie when VERSION_ID is missing); in both profiles
# every automated rule passes on the compliant tree and fails on the
# non-compliant one, and the rules whose failure is "something missing"
# fail on a third tree without it.  GDM's settings apply only where GDM is
# installed: not applicable on the compliant tree (no GDM, as CIS wants a
# server), failed on the non-compliant one (gdm3 installed, nothing set).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

GEN="$TT_TOP/tests/fixtures/debian13-root.py"
PACK="$TT_TOP/hardening/rules/debian13.json"
# GDM's rules; the journald-only logging rules (rsyslog is installed on
# both trees).  journal-remote is installed on both (the log-host rule),
# so its receiver's rules are judged on both.
GATED="$GDM_RULES $LOG_JOURNALD"
ABSENT_RULES="partition_for_tmp file_cron_allow_exists file_at_allow_exists package_sudo_installed package_rsyslog_installed package_ufw_installed package_libpam_runtime_installed package_libpam_modules_installed partition_for_dev_shm partition_for_home partition_for_var partition_for_var_tmp partition_for_var_log partition_for_var_log_audit"

# the four trees in one python3 (tests/fixtures/trees.py)
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" compliant "$T/compliant" -- noncompliant "$T/noncompliant" \
    -- noncompliant-absent "$T/noncompliant-absent" -- TT_FIXTURE_NO_VERSION_ID=1 compliant "$T/codename" \
    >"$T/out" 2>&1 || { fail "fixture trees" "$T/out"; done_testing; exit 1; }

# verdicts DESC PROFILE MODE JSON [NA]: the check DESC that every rule of
# the profile has the verdict MODE wants (queued: verdict_checks in
# pack-fixtures.sh).
verdicts() {
	verdict_check "$1" "$PACK" "$2" "$3" "$4" "$ABSENT_RULES" "$GATED" 200 "${5:-}"
}

for prof in cis-l1-server cis-l2-server; do
	expect_exit 0 "$prof: compliant tree: audit exits 0" \
	    "$TATTOO" audit --root "$T/compliant" --profile $prof --format json --output "$T/c.json"
	expect_exit 1 "$prof: non-compliant tree: audit exits 1" \
	    "$TATTOO" audit --root "$T/noncompliant" --profile $prof --format json --output "$T/n.json"
	expect_exit 1 "$prof: tree with things missing: audit exits 1" \
	    "$TATTOO" audit --root "$T/noncompliant-absent" --profile $prof --format json --output "$T/a.json"
	verdicts "$prof compliant: every automated rule passes (>=200)" $prof compliant "$T/c.json"
	verdicts "$prof non-compliant: every automated rule fails" $prof noncompliant "$T/n.json" "$LOG_JOURNALD"
	verdicts "$prof missing packages and files: their rules fail" $prof absent "$T/a.json"
	verdict_checks
done

# trixie before its release: no VERSION_ID, the codename picks the pack
expect_exit 0 "os-release without VERSION_ID: the debian13 pack by codename" \
    "$TATTOO" audit --root "$T/codename" --format json --output "$T/k.json"
verdicts "codename tree: every automated rule passes" cis-l1-server compliant "$T/k.json"
verdict_checks

expect_exit 0 "tattoo rules loads the pack" "$TATTOO" rules --rules "$PACK"
check "both profiles are listed" sh -c "grep -q 'debian13:cis-l1-server' '$T/out' && grep -q 'debian13:cis-l2-server' '$T/out'"

done_testing
