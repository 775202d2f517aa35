# Sourced by the tests that audit the trees of tests/fixtures/debian12-root.py
# (t0305, t0400, t0460): audit writes status.json into state_dir, kept in
# the temporary directory; the trees need files owned by root and by
# another user, so without root the test is skipped.
TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
mkdir -p "$T/state"
GEN="$TT_TOP/tests/fixtures/debian12-root.py"

if [ "$(id -u)" -ne 0 ]; then
	echo "ok 1 - # SKIP needs root to chown fixture files"
	exit 0
fi

# The rules of each firewall and logging branch CIS lets the site choose
# (tools/packgen/debian12.py, section 4 and 6.1): one tree judges one
# branch, the others are not applicable there (verdicts.py's NA).
FW_UFW="package_ufw_installed service_ufw_enabled set_ufw_loopback_traffic set_ufw_default_rule"
FW_NFT="package_nftables_installed package_ufw_removed set_nftables_table set_nftables_base_chain set_nftables_loopback_traffic nftables_ensure_default_deny_policy service_nftables_enabled nftables_rules_permanent"
FW_IPT="package_iptables_installed service_nftables_disabled ufw_disabled_with_iptables set_iptables_default_rule set_loopback_traffic set_ip6tables_default_rule set_ipv6_loopback_traffic"
# journald as the only logging system (rsyslog absent), and its remote
# receiver (judged where systemd-journal-remote is installed)
LOG_JOURNALD="package_systemd_journal_remote_installed service_systemd_journal_upload_enabled journald_disable_forward_to_syslog"
LOG_JREMOTE="socket_systemd_journal_remote_disabled service_systemd_journal_remote_disabled"
GDM_RULES="dconf_gnome_banner_enabled dconf_gnome_disable_user_list dconf_gnome_screensaver_idle_delay dconf_gnome_screensaver_user_locks dconf_gnome_disable_automount dconf_gnome_automount_locked dconf_gnome_disable_autorun dconf_gnome_autorun_locked gnome_gdm_disable_xdmcp gnome_gdm_disable_xdmcp_custom"
# the compliant tree (nftables, rsyslog, no GDM; journal-remote installed
# for the log-host rule, its receiver off) and the non-compliant one (ufw
# with iptables-persistent, rsyslog)
NA_COMPLIANT="$FW_UFW $FW_IPT $LOG_JOURNALD $GDM_RULES"
NA_NONCOMPLIANT="package_ufw_installed $FW_NFT $FW_IPT $LOG_JOURNALD"

# verdict_check DESC PACK PROFILE MODE JSON ABSENT GATED MIN_JUDGED [NA
# [OTHER]]: queues tests/cli/verdicts.py's check, every rule of PROFILE
# has the verdict MODE wants in the audit JSON (see verdicts.py), as the
# check DESC; verdict_checks makes the queued checks, in order, in one
# python3 that reads each pack once (a python3 per check was 60-80 ms of
# CPU: issue 17).
_vc_n=0
: >"$T/verdict-checks"
verdict_check() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" \
	    "$6" "$7" "$8" "${9:-}" "${10:-}" >>"$T/verdict-checks"
	_vc_n=$((_vc_n + 1))
}
verdict_checks() {
	pychecks "$_vc_n" "$T/verdict-checks" <<'PY'
from verdicts import judge
packs = {}
for line in open(sys.argv[1]):
    desc, pack, prof, mode, doc, absent, gated, least, na, other = line.rstrip('\n').split('\t')
    if pack not in packs:
        packs[pack] = load(pack)
    check(desc, *judge(packs[pack], prof, mode, load(doc), absent.split(), gated.split(), int(least),
                       na.split(), other.split()))
PY
	_vc_n=0
	: >"$T/verdict-checks"
}

# ubuntu_trees GEN: the compliant, noncompliant and noncompliant-absent
# trees of ubuntu2204 and ubuntu2404 by the fixture script GEN, as
# $T/OS-MODE, in one python3 (tests/fixtures/trees.py); a failure ends
# the test.
ubuntu_trees() {
	set -- "$1"
	for _ut_os in ubuntu2204 ubuntu2404; do
		for _ut_m in compliant noncompliant noncompliant-absent; do
			set -- "$@" TT_FIXTURE_OS=$_ut_os $_ut_m "$T/$_ut_os-$_ut_m" --
		done
	done
	python3 "$TT_TOP/tests/fixtures/trees.py" "$@" >"$T/out" 2>&1 ||
	    { fail "fixture trees" "$T/out"; done_testing; exit 1; }
}
