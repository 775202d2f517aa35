#!/bin/sh
# The rules issue 18 (s8) added to reach 95% of the SSG-mapped automated
# controls, each family judged on fixture trees built to comply and not to
# (tests/fixtures/rpm-root.py, debian12-root.py):
# - rhel9 cis-l1/l2-server: the CIS RHEL 9 v2.0.0 controls the v1.0.0 table
#   lacked (crypto sub-policies, firewalld loopback, authselect modules,
#   pwquality, pwhistory and pam_unix options, root's PATH, /etc/shells,
#   GID 0, the audit tools' integrity, services...) on RHEL 9 trees;
# - sle15: the nftables and iptables branches of 3.5, each on a tree that
#   follows it (TT_FIXTURE_FIREWALL), not applicable on a firewalld tree;
# - the stig profile of rhel9 (disk encryption, removable and non-root
#   mount options, sshd's crypto-policy lists, the policy not overridden,
#   fapolicyd, root's init files) and of ubuntu2404/ubuntu2204 (the sudo
#   group's members, ufw rate limits, DISA's ssh_confirm.sh, encryption);
# and harden fixes the rules with an action, rollback undoes it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

need_rpmbuild
RPMGEN="$TT_TOP/tests/fixtures/rpm-root.py"
export TT_RPM_CACHE="$T/rpms"
GDM="dconf_gnome_autorun_locked dconf_gnome_disable_autorun dconf_gnome_screensaver_idle_delay dconf_gnome_screensaver_user_locks"

# judge NAME PACK PROFILE IDS TREES-PREFIX ABSENT GATED: every rule of IDS
# (checked to be in PROFILE) passes on PREFIX-compliant (GATED: not
# applicable there), fails on PREFIX-noncompliant (ABSENT: passes there)
# and the ABSENT ones fail on PREFIX-noncompliant-absent.  The trees'
# audits, then one python3 judging them all (verdicts.judge on the pack
# with a profile "new" of IDS).
judge() {
	name=$1 pack=$2 prof=$3 ids=$4 pre=$5 absent=$6 gated=$7
	trees=""
	for m in compliant noncompliant noncompliant-absent; do
		[ -d "$pre-$m" ] || continue
		run "$TATTOO" audit --root "$pre-$m" --profile "$prof" --format json --output "$T/$m.json"
		trees="$trees $m"
	done
	# shellcheck disable=SC2086
	set -- $trees
	# shellcheck disable=SC2086
	pychecks $# "$name" "$pack" "$prof" "$ids" "$absent" "$gated" "$T" $trees <<'PY'
from verdicts import judge
name, pack, prof, ids, absent, gated, tmp = sys.argv[1:8]
pack = load(pack)
ids, gated = ids.split(), gated.split()
rules = [p for p in pack['profiles'] if p['id'] == prof][0]['rules']
missing = [i for i in ids if i not in rules]
if missing:
    sys.exit('%s: the rules are in %s: not there: %s' % (name, prof, ' '.join(missing)))
pack['profiles'].append({'id': 'new', 'title': 'new', 'rules': ids})
for m in sys.argv[8:]:
    mode = {'compliant': 'compliant', 'noncompliant': 'noncompliant'}.get(m, 'absent')
    ok, why = judge(pack, 'new', mode, load('%s/%s.json' % (tmp, m)), absent.split(), gated,
                    len(ids) - len(gated) if m == 'compliant' else 0)
    check('%s: %s tree: each of the %d rules has its verdict' % (name, m, len(ids)), ok, why)
PY
}

# ------------------------------------------------------------------ rhel9 CIS
R9="$TT_TOP/hardening/rules/rhel9.json"
# Every tree of the test in one python3 each for rpm-root.py and
# debian12-root.py (tests/fixtures/trees.py): the rhel9 ones, the sle15
# ones of each firewall branch and one that follows firewalld, the Ubuntu
# ones the STIG section changes.
set --
for m in compliant noncompliant noncompliant-absent; do set -- "$@" rhel9 $m "$T/r9-$m" --; done
for fw in nftables iptables; do
	for m in compliant noncompliant noncompliant-absent; do
		set -- "$@" TT_FIXTURE_FIREWALL=$fw sle15 $m "$T/s15$fw-$m" --
	done
done
python3 "$TT_TOP/tests/fixtures/trees.py" "$RPMGEN" "$@" sle15 compliant "$T/s15fwd" >"$T/out" 2>&1 ||
    { fail "fixture rhel9 and sle15 trees" "$T/out"; done_testing; exit 1; }
set --
for os in ubuntu2404 ubuntu2204; do
	for m in compliant noncompliant; do set -- "$@" TT_FIXTURE_OS=$os $m "$T/$os-$m" --; done
done
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" "$@" >"$T/out" 2>&1 ||
    { fail "fixture ubuntu2404 and ubuntu2204 trees" "$T/out"; done_testing; exit 1; }
expect_exit 1 "rhel9 tree: audited with the pack chosen from os-release" \
    "$TATTOO" audit --root "$T/r9-noncompliant" --format json --output "$T/pick.json"
check "RHEL 9.6 takes the rhel9 pack" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['pack'] == 'rhel9'" "$T/pick.json"
CIS9="accounts_password_pam_dictcheck accounts_password_pam_difok accounts_password_pam_enforce_root accounts_password_pam_maxrepeat accounts_password_pam_maxsequence accounts_password_pam_modules_in_authselect_profile accounts_password_pam_pwhistory_enforce_root accounts_root_path_dirs_no_write aide_check_audit_tools crypto_policy_no_sha1 crypto_policy_no_sshcbc crypto_policy_no_weakmac file_groupowner_etc_shells file_owner_etc_shells file_permissions_etc_shells file_permissions_var_log_files firewalld_loopback_traffic groups_no_zero_gid_except_root no_empty_passwords pam_unix_no_remember root_path_no_dot service_autofs_disabled service_bluetooth_disabled sudo_remove_no_authenticate sysctl_kernel_yama_ptrace_scope service_avahi_daemon_disabled service_cups_disabled $GDM"
judge "rhel9 cis-l1-server new rules" "$R9" cis-l1-server "$CIS9" "$T/r9" "" "$GDM"
judge "rhel9 cis-l2-server new Level 2 rules" "$R9" cis-l2-server \
    "kernel_module_udf_disabled package_gdm_removed package_xorg_x11_server_common_removed" "$T/r9" "" ""

# ------------------------------------------------------------------ rhel9 STIG
STIG9="encrypt_partitions mount_option_noexec_removable_partitions mount_option_nodev_removable_partitions mount_option_nosuid_removable_partitions mount_option_nodev_nonroot_local_partitions sshd_include_crypto_policy harden_sshd_ciphers_opensshserver_conf_crypto_policy harden_sshd_macs_opensshserver_conf_crypto_policy crypto_policy_not_overridden fapolicy_default_deny file_permission_user_init_files_root"
judge "rhel9 stig new rules" "$R9" stig "$STIG9" "$T/r9" "" ""
check "rhel9 stig: every CAT I control has a rule (disk encryption is RHEL-09-231190)" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
r = [x for x in p["rules"] if x["id"] == "encrypt_partitions"][0]
assert r["references"]["stig"]["id"] == "RHEL-09-231190" and r["references"]["stig"]["cat"] == "I", r["references"]
' "$R9"

# ------------------------------------------------------------------ sle15 firewall branches
S15="$TT_TOP/hardening/rules/sle15.json"
NFT="nftables_firewalld_disabled set_nftables_table set_nftables_base_chain nftables_ensure_default_deny_policy service_nftables_enabled nftables_rules_permanent"
IPT="package_iptables_installed iptables_firewalld_disabled set_loopback_traffic set_ipv6_loopback_traffic"
judge "sle15 nftables branch" "$S15" cis-l1-server "$NFT" "$T/s15nftables" "" ""
judge "sle15 iptables branch" "$S15" cis-l1-server "$IPT" "$T/s15iptables" "package_iptables_installed" ""
# a tree that follows firewalld: neither branch applies
run "$TATTOO" audit --root "$T/s15fwd" --format json --output "$T/fwd.json"
pychecks 2 "$T/fwd.json" "$NFT $IPT" <<'PY'
res = {r["id"]: r["result"] for r in load(sys.argv[1])["results"]}
bad = [(i, res.get(i)) for i in sys.argv[2].split() if res.get(i) != "notapplicable"]
check("sle15 firewalld tree: the nftables and iptables rules are not applicable", not bad, bad)
check("sle15: root PATH integrity (6.2.4) passes on the firewalld tree",
      res.get("root_path_no_dot", "missing") == "pass", res.get("root_path_no_dot", "missing"))
PY

# ------------------------------------------------------------------ Ubuntu STIG
# The Ubuntu fixture trees, with what the STIG asks on top: an empty sudo
# group, ufw limit rules, DISA's ssh_confirm.sh, / on LUKS.
for os in ubuntu2404 ubuntu2204; do
	R="$T/$os-compliant"
	sed -i 's/^sudo:x:\([0-9]*\):.*/sudo:x:\1:/' "$R/etc/group"
	mkdir -p "$R/etc/ufw" "$R/etc/profile.d"
	printf '*filter\n### tuple ### limit tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\n-A ufw-user-input -p tcp --dport 22 -j ufw-user-limit-accept\nCOMMIT\n' >"$R/etc/ufw/user.rules"
	printf '#!/bin/bash\necho "You are accessing a U.S. Government (USG) Information System (IS)..."\nread -p "Do you agree? [y/N] " yn\ncase $yn in [Yy]*) ;; *) exit 1 ;; esac\n' >"$R/etc/profile.d/ssh_confirm.sh"
	printf 'dm_crypt-0 UUID=0f1e2d3c-0000-4000-8000-000000000001 none luks\n' >"$R/etc/crypttab"
	sed -i 's,^/dev/sda1 / ,/dev/mapper/ubuntu--vg-ubuntu--lv / ,' "$R/etc/fstab"
	# the fixture's compliant tree follows nftables: ufw installed here
	# so its rate limit is judged (only the rules below are audited)
	printf 'Package: ufw\nStatus: install ok installed\nPriority: optional\nVersion: 1.0-1\n\n' \
	    >>"$R/var/lib/dpkg/status"
	R="$T/$os-noncompliant"
	if grep -q '^sudo:' "$R/etc/group"; then
		sed -i 's/^sudo:x:\([0-9]*\):.*/sudo:x:\1:alice/' "$R/etc/group"
	else
		echo 'sudo:x:27:alice' >>"$R/etc/group"
	fi
	mkdir -p "$R/etc/ufw"
	printf '*filter\n### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in\nCOMMIT\n' >"$R/etc/ufw/user.rules"
	UB="ensure_sudo_group_restricted ufw_rate_limit encrypt_partitions"
	gated=""
	[ $os = ubuntu2404 ] && UB="$UB banner_etc_profiled_ssh_confirm"
	judge "$os stig new rules" "$TT_TOP/hardening/rules/$os.json" stig "$UB" "$T/$os" "" "$gated"
done

# ------------------------------------------------------------------ harden and rollback
FIXED="sysctl_kernel_yama_ptrace_scope accounts_password_pam_difok accounts_password_pam_maxrepeat accounts_password_pam_maxsequence accounts_password_pam_dictcheck accounts_password_pam_enforce_root accounts_password_pam_pwhistory_enforce_root service_bluetooth_disabled file_permissions_etc_shells"
R="$T/r9-noncompliant"
args=""
for r in $FIXED; do args="$args --rule $r"; done
run "$TATTOO" audit --root "$R" --profile cis-l1-server --format json --output "$T/before.json"
# shellcheck disable=SC2086
expect_exit 0 "harden fixes the rhel9 rules with an action" "$TATTOO" --root "$R" harden $args
run "$TATTOO" audit --root "$R" --profile cis-l1-server --format json --output "$T/after.json"
expect_exit 0 "rollback of the harden" "$TATTOO" --root "$R" rollback
run "$TATTOO" audit --root "$R" --profile cis-l1-server --format json --output "$T/undone.json"
verdict_lines "$T/before.json" "$T/before.v" "$T/after.json" "$T/after.v" "$T/undone.json" "$T/undone.v"
for r in $FIXED; do
	verdict_of "$T/before.v" $r; b=$verdict
	verdict_of "$T/after.v" $r; a=$verdict
	verdict_of "$T/undone.v" $r; u=$verdict
	if [ "$b/$a/$u" = fail/pass/fail ]; then
		pass "$r: fail, pass after harden, fail after rollback"
	else
		echo "# $r: $b/$a/$u" >"$T/why"
		fail "$r: fail, pass after harden, fail after rollback" "$T/why"
	fi
done
# the nftables branch: harden enables the service
R="$T/s15nftables-noncompliant"
run "$TATTOO" audit --root "$R" --format json --output "$T/before.json"
expect_exit 0 "harden enables nftables.service on the SLES nftables tree" \
    "$TATTOO" --root "$R" harden --rule service_nftables_enabled --rule nftables_firewalld_disabled
run "$TATTOO" audit --root "$R" --format json --output "$T/after.json"
expect_exit 0 "rollback of the nftables harden" "$TATTOO" --root "$R" rollback
run "$TATTOO" audit --root "$R" --format json --output "$T/undone.json"
verdict_lines "$T/before.json" "$T/before.v" "$T/after.json" "$T/after.v" "$T/undone.json" "$T/undone.v"
for r in service_nftables_enabled nftables_firewalld_disabled; do
	verdict_of "$T/before.v" $r; b=$verdict
	verdict_of "$T/after.v" $r; a=$verdict
	verdict_of "$T/undone.v" $r; u=$verdict
	if [ "$b/$a/$u" = fail/pass/fail ]; then
		pass "$r: fail, pass after harden, fail after rollback"
	else
		echo "# $r: $b/$a/$u" >"$T/why"
		fail "$r: fail, pass after harden, fail after rollback" "$T/why"
	fi
done

done_testing
