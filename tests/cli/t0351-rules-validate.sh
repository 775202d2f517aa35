#!/bin/sh
# tattoo rules --rules FILE: a bad pack exits 3 naming file, line, rule
# and field.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

bad() {
	# bad NAME SED-EXPRESSION MESSAGE
	sed "$2" "$PACK" >"$T/$1.json"
	expect_exit 3 "$1 refused" "$TATTOO" rules --rules "$T/$1.json"
	check "$1 message" contains "$T/err" "$3"
}
bad probe 's/"probe": "sshd_config"/"probe": "sshdconf"/' \
    "$T/probe.json:19: rule 'sshd_disable_root_login': check: unknown probe 'sshdconf'"
bad param 's/"key": "maxauthtries"/"kee": "maxauthtries"/' \
    "rule 'sshd_max_auth_tries': check.params: unknown parameter 'kee' for probe 'sshd_config'"
bad field 's/"field": "blacklisted"/"field": "blacklist"/' \
    "rule 'kmod_cramfs_disabled': check.expect[1]: unknown field 'blacklist' for probe 'kernel_module'"
bad op 's/"op": "mode_max"/"op": "mode_at_most"/' \
    "rule 'file_shadow_mode': check.expect[1]: unknown operator 'mode_at_most'"
bad action 's/"action": "unit_mask"/"action": "unit_hide"/' \
    "rule 'unit_rsync_off': fix.action: unknown fix action 'unit_hide'"
bad reference 's/"unit_rsync_off", "tmp_separate"/"unit_rsync_off", "tmp_separated"/' \
    "profile 'cis-l1-server': unknown rule 'tmp_separated'"
bad ssg 's/"ssg": "xccdf_org.ssgproject.content_rule_partition_for_tmp"/"ssg": "partition_for_tmp"/' \
    "rule 'tmp_separate': references.ssg: 'partition_for_tmp' is not an XCCDF id"
expect_exit 0 "the good pack loads" "$TATTOO" rules --rules "$PACK"
done_testing
