#!/bin/sh
# The debian12 pack on a compliant and a non-compliant Debian 12 tree built
# by tests/fixtures/debian12-root.py: every automated rule passes on the
# first and fails on the second; manual rules say "manual"; runtime-only
# rules are notapplicable under --root.  A few rules fail only when
# something is missing that other rules need present to be judged (sudo,
# rsyslog, /tmp's fstab entry, cron.allow, at.allow, a firewall package):
# they pass on the non-compliant tree and fail on a third tree without it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

PACK="$TT_TOP/hardening/rules/debian12.json"
# Level 2's separate partitions too: the trees have / and /tmp only.
ABSENT_RULES="partition_for_tmp file_cron_allow_exists file_at_allow_exists package_sudo_installed package_rsyslog_installed firewall_utility_installed package_libpam_runtime_installed package_libpam_modules_installed partition_for_dev_shm partition_for_home partition_for_var partition_for_var_tmp partition_for_var_log partition_for_var_log_audit"

# the three trees in one python3 (tests/fixtures/trees.py)
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" compliant "$T/compliant" -- noncompliant "$T/noncompliant" \
    -- noncompliant-absent "$T/noncompliant-absent" >"$T/out" 2>&1 ||
    { fail "fixture trees" "$T/out"; done_testing; exit 1; }

# verdicts DESC PROFILE MODE JSON NA: the check DESC that every rule of
# the profile has the verdict MODE wants (queued: verdict_checks in
# pack-fixtures.sh); NA: the rules of the firewall and logging branches
# the tree does not use (pack-fixtures.sh; t0404 judges them).
verdicts() {
	verdict_check "$1" "$PACK" "$2" "$3" "$4" "$ABSENT_RULES" "$NA_COMPLIANT" 180 "${5:-}"
}

for prof in cis-l1-server cis-l2-server; do
	expect_exit 0 "$prof: compliant tree: audit exits 0" \
	    "$TATTOO" audit --root "$T/compliant" --profile $prof --format json --output "$T/c.json"
	expect_exit 1 "$prof: non-compliant tree: audit exits 1" \
	    "$TATTOO" audit --root "$T/noncompliant" --profile $prof --format json --output "$T/n.json"
	expect_exit 1 "$prof: tree without sudo, rsyslog, /tmp, cron.allow: audit exits 1" \
	    "$TATTOO" audit --root "$T/noncompliant-absent" --profile $prof --format json --output "$T/a.json"
	verdicts "$prof compliant: every automated rule passes (>=180)" $prof compliant "$T/c.json" "$NA_COMPLIANT"
	verdicts "$prof non-compliant: every automated rule fails" $prof noncompliant "$T/n.json" "$NA_NONCOMPLIANT"
	verdicts "$prof missing packages and files: their rules fail" $prof absent "$T/a.json"
	verdict_checks
done

# The pack is valid for the loader (names the file, the rule and the field
# otherwise) and lists the profile.
expect_exit 0 "tattoo rules loads the pack" "$TATTOO" rules --rules "$PACK"
check "both profiles are listed" sh -c "grep -q 'debian12:cis-l1-server' '$T/out' && grep -q 'debian12:cis-l2-server' '$T/out'"

done_testing
