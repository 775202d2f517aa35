#!/bin/sh
# The rhel10 and sle15 packs (tools/packgen/rhel10.py, sle15.py) on the
# RHEL 10 and SLES 15 trees of tests/fixtures/rpm-root.py (packages in an
# rpm database; authselect's or pam-config's PAM files; grub2; SELinux or
# AppArmor): each pack is chosen from os-release, and in both profiles
# every automated rule passes on the compliant tree and fails on the
# non-compliant one.  Rules whose failure is "something missing" pass on
# the non-compliant tree and fail on a third tree without it (ABSENT).
# Rules that only apply with a package CIS wants gone (GDM's dconf
# settings, postfix's interface) are not applicable on the compliant tree
# and fail on the non-compliant one, where the package is installed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

need_rpmbuild
GEN="$TT_TOP/tests/fixtures/rpm-root.py"
export TT_RPM_CACHE="$T/rpms"
GATED="dconf_gnome_banner_enabled dconf_gnome_disable_user_list dconf_gnome_disable_automount dconf_gnome_screensaver_idle_delay dconf_gnome_screensaver_user_locks dconf_gnome_disable_autorun postfix_network_listening_disabled"
COMMON_ABSENT="partition_for_tmp partition_for_dev_shm package_chrony_installed file_cron_allow_exists package_firewalld_installed package_sudo_installed package_aide_installed package_rsyslog_installed partition_for_home partition_for_var partition_for_var_tmp partition_for_var_log partition_for_var_log_audit"

# The nftables and iptables branches of SLE 15's 3.5: the trees follow
# firewalld; t0461 judges these on trees of their own.
BRANCHES="nftables_firewalld_disabled set_nftables_table set_nftables_base_chain nftables_ensure_default_deny_policy service_nftables_enabled nftables_rules_permanent package_iptables_installed iptables_firewalld_disabled set_loopback_traffic set_ipv6_loopback_traffic"

# verdicts DESC PACK PROFILE MODE JSON ABSENT: the check DESC that every
# rule of the profile but BRANCHES has the verdict MODE wants (queued:
# verdict_checks in pack-fixtures.sh).
verdicts() {
	verdict_check "$1" "$2" "$3" "$4" "$5" "$6" "$GATED" 200 "" "$BRANCHES"
}

# the six trees in one python3 (tests/fixtures/trees.py)
set --
for os in rhel10 sle15; do
	for m in compliant noncompliant noncompliant-absent; do set -- "$@" $os $m "$T/$os-$m" --; done
done
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" "$@" >"$T/out" 2>&1 ||
    { fail "fixture trees" "$T/out"; done_testing; exit 1; }

for os in rhel10 sle15; do
	PACK="$TT_TOP/hardening/rules/$os.json"
	case $os in
	rhel10) ABSENT="$COMMON_ABSENT package_libselinux_installed package_pam_pwquality_installed pam_unix_enabled" ;;
	sle15) ABSENT="$COMMON_ABSENT package_apparmor_installed package_nftables_installed package_logrotate_installed" ;;
	esac
	for prof in cis-l1-server cis-l2-server; do
		expect_exit 0 "$os $prof: compliant tree: audit exits 0" \
		    "$TATTOO" audit --root "$T/$os-compliant" --profile $prof --format json --output "$T/c.json"
		expect_exit 1 "$os $prof: non-compliant tree: audit exits 1" \
		    "$TATTOO" audit --root "$T/$os-noncompliant" --profile $prof --format json --output "$T/n.json"
		expect_exit 1 "$os $prof: tree with things missing: audit exits 1" \
		    "$TATTOO" audit --root "$T/$os-noncompliant-absent" --profile $prof --format json --output "$T/a.json"
		verdicts "$os $prof compliant: every automated rule passes (>=200)" "$PACK" $prof compliant "$T/c.json" "$ABSENT"
		verdicts "$os $prof non-compliant: every automated rule fails" "$PACK" $prof noncompliant "$T/n.json" "$ABSENT"
		verdicts "$os $prof missing packages and files: their rules fail" "$PACK" $prof absent "$T/a.json" "$ABSENT"
		verdict_checks
	done
	expect_exit 0 "tattoo rules loads the $os pack" "$TATTOO" rules --rules "$PACK"
	check "$os: both profiles listed" sh -c "grep -q '$os:cis-l1-server' '$T/out' && grep -q '$os:cis-l2-server' '$T/out'"
done

# The family by ID_LIKE and VERSION_ID major: AlmaLinux 10.1 and SLES for SAP 15 SP5.
mkdir -p "$T/alma/etc" "$T/sap/etc"
printf 'NAME="AlmaLinux"\nID="almalinux"\nID_LIKE="rhel centos fedora"\nVERSION_ID="10.1"\n' >"$T/alma/etc/os-release"
printf 'NAME="SLES_SAP"\nID="sles_sap"\nID_LIKE="suse"\nVERSION_ID="15.5"\n' >"$T/sap/etc/os-release"
expect_exit 1 "AlmaLinux 10.1 tree: audited" "$TATTOO" audit --root "$T/alma" --format json --output "$T/alma.json"
check "AlmaLinux 10.1 takes the rhel10 pack" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['pack'] == 'rhel10'" "$T/alma.json"
expect_exit 1 "SLES for SAP 15.5 tree: audited" "$TATTOO" audit --root "$T/sap" --format json --output "$T/sap.json"
check "SLES for SAP 15.5 takes the sle15 pack" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['pack'] == 'sle15'" "$T/sap.json"

done_testing
