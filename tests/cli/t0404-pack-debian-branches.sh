#!/bin/sh
# The rules of the CIS controls that let the site choose, in the debian12
# and ubuntu2404 packs: the firewall (ufw 4.2, nftables 4.3, iptables 4.4:
# each section judged only where its firewall is the one in use), the
# logging system (journald alone, 6.1.2.1-6.1.2.2; only one in use,
# 6.1.1.4) and GDM's settings where gdm3 is installed (1.7.2-1.7.10), on
# the trees of tests/fixtures/debian-branch-root.py: each rule passes on a
# tree built to comply, fails on one that does not, and is not applicable
# where the site chose another branch.  harden fixes the rules it has an
# action for (disable the other firewall's service, the journal receiver,
# journal-upload, ForwardToSyslog, XDMCP) and rollback restores the tree.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

BR="$TT_TOP/tests/fixtures/debian-branch-root.py"

# verdicts JSON RULE=VERDICT...: each rule has that verdict in the audit.
verdicts() {
	python3 - "$@" >"$T/why" 2>&1 <<'PY'
import json, sys
res = {r['id']: r for r in json.load(open(sys.argv[1]))['results']}
bad = 0
for kv in sys.argv[2:]:
    rid, want = kv.split('=')
    got = res.get(rid, {}).get('result', 'missing')
    if got != want:
        bad += 1
        print('%s: got %s, want %s (found: %s)' % (rid, got, want, res.get(rid, {}).get('found')))
sys.exit(1 if bad else 0)
PY
}

# each RESULT RULE...: RULE=RESULT for every rule named.
each() {
	v=$1; shift
	for r in "$@"; do printf '%s=%s ' "$r" "$v"; done
}

# The rules judged here (the audit is limited to them: the trees are whole
# images, and the other rules are t0400's and t0460's).
RULES="$FW_UFW $FW_NFT $FW_IPT $LOG_JOURNALD $LOG_JREMOTE $GDM_RULES firewall_utility_installed logging_services_active service_rsyslog_enabled rsyslog_nolisten journald_forward_to_syslog"
RULEARGS=""
for r in $RULES; do RULEARGS="$RULEARGS --rule $r"; done

# audit DIR JSON: the rules above, cis-l1-server.
audit() {
	# shellcheck disable=SC2086
	run "$TATTOO" audit --root "$1" --profile cis-l1-server $RULEARGS --format json --output "$2"
}

# trees OS NAME...: builds the trees (copies of $T/OS-base, in one
# python3), audits each into $T/OS-NAME.json
trees() {
	os=$1; shift
	TT_FIXTURE_OS=$os python3 "$BR" --each "$T/$os-base" "$T/$os" "$@" >"$T/out" 2>&1 ||
	    { fail "fixture $os $*" "$T/out"; return 1; }
	for t in "$@"; do
		audit "$T/$os-$t" "$T/$os-$t.json"
		if [ "$rc" -gt 1 ]; then fail "$os $t: audit runs" "$T/err"; return 1; fi
	done
}

# judge OS NAME DESC RULE=VERDICT...: queues the check that each rule has
# that verdict in $T/OS-NAME.json; judged runs the queued ones, in order,
# in one python3 (not one per check: issue 17).
_jn=0
: >"$T/judges"
judge() {
	os=$1; name=$2; desc=$3; shift 3
	printf 'verdicts\t%s\t%s\t%s\n' "$T/$os-$name.json" "$os $name: $desc" "$*" >>"$T/judges"
	_jn=$((_jn + 1))
}
# judge_pack JSON PACK DESC: queues the check that the audit used PACK.
judge_pack() {
	printf 'pack\t%s\t%s\t%s\n' "$1" "$3" "$2" >>"$T/judges"
	_jn=$((_jn + 1))
}
judged() {
	pychecks "$_jn" "$T/judges" <<'PY'
for line in open(sys.argv[1]):
    kind, path, desc, want = line.rstrip('\n').split('\t')
    doc = load(path)
    if kind == 'pack':
        check(desc, doc['pack'] == want, 'the audit used %s' % doc['pack'])
        continue
    res = {r['id']: r for r in doc['results']}
    bad = []
    for kv in want.split():
        rid, v = kv.split('=')
        got = res.get(rid, {}).get('result', 'missing')
        if got != v:
            bad.append('%s: got %s, want %s (found: %s)' % (rid, got, v, res.get(rid, {}).get('found')))
    check(desc, not bad, '\n'.join(bad))
PY
	_jn=0
	: >"$T/judges"
}

# manifest DIR: every path with its type, mode, owner, link target, and
# each file's content digest, sorted (find, sha256sum and sort: three
# short processes, not a python3).
manifest() {
	{
		find "$1" -path "$1/var/lib/tattoo" -prune -o -printf '%P %M %U %G %l\n'
		find "$1" -path "$1/var/lib/tattoo" -prune -o -type f -exec sha256sum {} +
	} | sort
}

# fixes OS NAME RULE...: harden --rule RULE... fixes them (the rules pass
# after) and rollback gives the tree back byte for byte.
fixes() {
	os=$1; name=$2; shift 2
	R="$T/$os-$name"
	manifest "$R" >"$T/before"
	args=""
	for r in "$@"; do args="$args --rule $r"; done
	# shellcheck disable=SC2086
	expect_exit 0 "$os $name: harden $*" "$TATTOO" harden --root "$R" --profile cis-l1-server $args
	audit "$R" "$T/after.json"
	# shellcheck disable=SC2046
	if verdicts "$T/after.json" $(each pass "$@"); then pass "$os $name: fixed rules pass"; else fail "$os $name: fixed rules pass" "$T/why"; fi
	expect_exit 0 "$os $name: rollback" "$TATTOO" --root "$R" rollback
	manifest "$R" >"$T/rolledback"
	if cmp -s "$T/before" "$T/rolledback"; then
		pass "$os $name: rollback restores the tree"
	else
		diff "$T/before" "$T/rolledback" >"$T/why"
		fail "$os $name: rollback restores the tree" "$T/why"
	fi
}

for os in debian12 ubuntu2404; do
	# the compliant tree the branch trees are copied from
	TT_FIXTURE_OS=$os python3 "$GEN" compliant "$T/$os-base" >"$T/out" 2>&1 ||
	    { fail "fixture $os" "$T/out"; done_testing; exit 1; }
	trees $os ufw-ok ufw-bad fw-none nft-ufw ipt-ok ipt-bad jrn-ok jrn-bad jrn-none log-both gdm-ok gdm-bad ||
	    { done_testing; exit 1; }
	judge_pack "$T/$os-ufw-ok.json" "$os" "$os: the audit picked the $os pack"

	# shellcheck disable=SC2046
	{
	# ufw
	judge $os ufw-ok "ufw rules pass, nftables' and iptables' not applicable" \
	    $(each pass $FW_UFW) $(each notapplicable $FW_NFT $FW_IPT) firewall_utility_installed=pass
	judge $os ufw-bad "ufw installed but off and open: its rules fail" \
	    package_ufw_installed=pass service_ufw_enabled=fail set_ufw_loopback_traffic=fail set_ufw_default_rule=fail \
	    $(each notapplicable $FW_NFT $FW_IPT)
	# nftables: the compliant base tree, no firewall at all, and two on
	judge $os fw-none "no firewall: ufw and nftables wanted, nftables' rules fail" \
	    package_ufw_installed=fail package_nftables_installed=fail package_ufw_removed=pass set_nftables_table=fail \
	    set_nftables_base_chain=fail set_nftables_loopback_traffic=fail nftables_ensure_default_deny_policy=fail \
	    service_nftables_enabled=fail nftables_rules_permanent=fail firewall_utility_installed=fail \
	    $(each notapplicable service_ufw_enabled set_ufw_loopback_traffic set_ufw_default_rule $FW_IPT)
	judge $os nft-ufw "nftables on beside ufw, accepting: its rules fail, ufw's not applicable" \
	    package_nftables_installed=pass package_ufw_removed=fail set_nftables_table=pass set_nftables_base_chain=pass \
	    set_nftables_loopback_traffic=fail nftables_ensure_default_deny_policy=fail service_nftables_enabled=pass \
	    nftables_rules_permanent=fail $(each notapplicable $FW_UFW $FW_IPT)
	# iptables
	judge $os ipt-ok "iptables-persistent in use: its rules pass, the others not applicable" \
	    $(each pass $FW_IPT) $(each notapplicable $FW_UFW $FW_NFT)
	judge $os ipt-bad "iptables-persistent with nftables and ufw on, accepting: its rules fail" \
	    $(each fail $FW_IPT) $(each notapplicable $FW_UFW $FW_NFT)
	# journald alone
	judge $os jrn-ok "journald alone, uploading: its rules pass" \
	    $(each pass $LOG_JOURNALD $LOG_JREMOTE) logging_services_active=pass $(each notapplicable service_rsyslog_enabled)
	judge $os jrn-bad "journald alone, receiving, not uploading: its rules fail" \
	    package_systemd_journal_remote_installed=pass service_systemd_journal_upload_enabled=fail \
	    journald_disable_forward_to_syslog=fail $(each fail $LOG_JREMOTE)
	judge $os jrn-none "journald alone without journal-remote: the package rule fails" \
	    package_systemd_journal_remote_installed=fail service_systemd_journal_upload_enabled=notapplicable \
	    journald_disable_forward_to_syslog=pass $(each notapplicable $LOG_JREMOTE)
	judge $os log-both "rsyslog and journal-upload both sending: only one logging system fails" \
	    logging_services_active=fail $(each notapplicable $LOG_JOURNALD) $(each pass $LOG_JREMOTE)
	judge $os jrn-ok "rsyslog's rules not applicable without it" \
	    rsyslog_nolisten=notapplicable journald_forward_to_syslog=notapplicable
	# GDM
	judge $os gdm-ok "gdm3 set up: GDM rules pass" $(each pass $GDM_RULES)
	judge $os gdm-bad "gdm3 with nothing set, XDMCP on: GDM rules fail" $(each fail $GDM_RULES)
	}
	judged

	fixes $os nft-ufw package_ufw_removed
	fixes $os ipt-bad service_nftables_disabled ufw_disabled_with_iptables
	fixes $os jrn-bad service_systemd_journal_upload_enabled socket_systemd_journal_remote_disabled \
	    service_systemd_journal_remote_disabled journald_disable_forward_to_syslog
	fixes $os gdm-bad gnome_gdm_disable_xdmcp gnome_gdm_disable_xdmcp_custom
done

# The nftables probe reads what the rules judge: the base chain's policy
# on the same line as its hook or on a line of its own.
R="$T/debian12-nft-ufw"
printf 'table inet f {\n chain in {\n  type filter hook input priority 0\n  policy drop\n  iif lo accept\n  ip saddr 127.0.0.0/8 drop\n  ip6 saddr ::1 drop\n }\n chain fw { type filter hook forward priority 0; policy drop; }\n chain out { type filter hook output priority 0; policy drop; }\n}\n' >"$R/etc/nftables.conf"
chmod 644 "$R/etc/nftables.conf"
audit "$R" "$T/debian12-nft-ufw.json"
judge debian12 nft-ufw "policy on a line of its own: loopback, default deny and permanence pass" \
    set_nftables_loopback_traffic=pass nftables_ensure_default_deny_policy=pass nftables_rules_permanent=pass
judged

done_testing
