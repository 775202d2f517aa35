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
ABSENT_RULES="partition_for_tmp file_cron_allow_exists file_at_allow_exists package_sudo_installed package_rsyslog_installed firewall_utility_installed package_libpam_runtime_installed package_libpam_modules_installed partition_for_dev_shm"

for m in compliant noncompliant noncompliant-absent; do
	python3 "$GEN" "$m" "$T/$m" || { fail "fixture $m"; done_testing; exit 1; }
done

expect_exit 0 "compliant tree: audit exits 0" \
    "$TATTOO" audit --root "$T/compliant" --profile cis-l1-server --format json --output "$T/c.json"
expect_exit 1 "non-compliant tree: audit exits 1" \
    "$TATTOO" audit --root "$T/noncompliant" --profile cis-l1-server --format json --output "$T/n.json"
expect_exit 1 "tree without sudo, rsyslog, /tmp, cron.allow: audit exits 1" \
    "$TATTOO" audit --root "$T/noncompliant-absent" --profile cis-l1-server --format json --output "$T/a.json"

# verdicts MODE JSON NA: every rule of the profile has the verdict MODE
# wants; NA: the rules of the firewall and logging branches the tree does
# not use (pack-fixtures.sh; t0404 judges them).
verdicts() {
	python3 "$TT_TOP/tests/cli/verdicts.py" "$PACK" cis-l1-server "$1" "$2" \
	    "$ABSENT_RULES" "$NA_COMPLIANT" 180 "$3" >"$T/why" 2>&1
}

if verdicts compliant "$T/c.json" "$NA_COMPLIANT"; then pass "compliant: every automated rule passes (>=180)"; else fail "compliant: every automated rule passes (>=180)" "$T/why"; fi
if verdicts noncompliant "$T/n.json" "$NA_NONCOMPLIANT"; then pass "non-compliant: every automated rule fails"; else fail "non-compliant: every automated rule fails" "$T/why"; fi
if verdicts absent "$T/a.json"; then pass "missing packages and files: their rules fail"; else fail "missing packages and files: their rules fail" "$T/why"; fi

# The pack is valid for the loader (names the file, the rule and the field
# otherwise) and lists the profile.
expect_exit 0 "tattoo rules loads the pack" "$TATTOO" rules --rules "$PACK"
check "the profile is listed" contains "$T/out" "cis-l1-server"

done_testing
