#!/bin/sh
# The Ubuntu packs (generated from the debian12 one by
# tools/packgen/ubuntu.py) on the debian12 fixture trees built as Ubuntu
# images (TT_FIXTURE_OS): every automated rule passes on the compliant tree
# and fails on the non-compliant one, as t0400 checks for Debian.  The pack
# is chosen from os-release, not named.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

# verdicts DESC MODE JSON [NA]: the check DESC that every rule of the
# profile has the verdict MODE wants (queued: verdict_checks in
# pack-fixtures.sh).
verdicts() {
	verdict_check "$1" "$PACK" "$PROF" "$2" "$3" "$ABSENT_RULES" "$NA_C" 180 "${4:-}"
}

ubuntu_trees "$GEN"

for os in ubuntu2204 ubuntu2404; do
	PACK="$TT_TOP/hardening/rules/$os.json"
	ABSENT_RULES="partition_for_tmp file_cron_allow_exists file_at_allow_exists package_sudo_installed package_rsyslog_installed firewall_utility_installed package_libpam_runtime_installed package_libpam_modules_installed partition_for_dev_shm partition_for_home partition_for_var partition_for_var_tmp partition_for_var_log partition_for_var_log_audit"
	NA_C=$NA_COMPLIANT NA_N=$NA_NONCOMPLIANT
	if [ "$os" = ubuntu2204 ]; then
		# 22.04 v2.0.0 logs with journald alone: its rules are judged on
		# both trees (journal-remote is missing on the third)
		ABSENT_RULES="$ABSENT_RULES package_systemd_journal_remote_installed"
		NA_C="$FW_UFW $FW_IPT $GDM_RULES"
		NA_N="package_ufw_installed $FW_NFT $FW_IPT"
	fi
	for PROF in cis-l1-server cis-l2-server; do
		expect_exit 0 "$os $PROF compliant tree: audit exits 0" \
		    "$TATTOO" audit --root "$T/$os-compliant" --profile $PROF --format json --output "$T/c.json"
		check "$os pack chosen from os-release" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['pack'] == sys.argv[2]" "$T/c.json" "$os"
		expect_exit 1 "$os $PROF non-compliant tree: audit exits 1" \
		    "$TATTOO" audit --root "$T/$os-noncompliant" --profile $PROF --format json --output "$T/n.json"
		expect_exit 1 "$os $PROF tree with things missing: audit exits 1" \
		    "$TATTOO" audit --root "$T/$os-noncompliant-absent" --profile $PROF --format json --output "$T/a.json"
		verdicts "$os $PROF compliant: every automated rule passes (>=180)" compliant "$T/c.json" "$NA_C"
		verdicts "$os $PROF non-compliant: every automated rule fails" noncompliant "$T/n.json" "$NA_N"
		verdicts "$os $PROF missing packages and files: their rules fail" absent "$T/a.json"
		verdict_checks
	done
	expect_exit 0 "tattoo rules loads the $os pack" "$TATTOO" rules --rules "$PACK"
done

done_testing
