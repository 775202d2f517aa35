#!/usr/bin/env python3
"""Generates hardening/rules/rhel10.json, the CIS pack for the RHEL 10
family (Red Hat Enterprise Linux, AlmaLinux, Rocky Linux, CentOS Stream
10), from the rhel9 pack.

RHEL 10 keeps RHEL 9's layout (rpm, sshd_config.d, authselect-managed
PAM in system-auth and password-auth, pwquality.conf.d, faillock.conf,
chronyd, firewalld, grub2 with BLS entries), so the checks and fixes of
hardening/rules/rhel9.json hold there; what differs is the numbering and
the rules the benchmark dropped or added.  Every rhel9 rule is numbered by
ComplianceAsCode's control file for the CIS RHEL 10 Benchmark
(products/rhel10/controls/cis_rhel10.yml, kept as
tools/packgen/data/cis_rhel10.json with the commit it was read at) through
the SSG rule it names; rules whose SSG rule no RHEL 10 control lists are
left out and listed on stderr (authconfig is gone; sshd's ciphers, MACs
and key exchanges follow the system crypto policy, which the benchmark
checks instead).  The manual rules of the rhel9 pack (numbered by hand)
are kept when a RHEL 10 control has the same title.  Added (extra()):
controls new in CIS RHEL 10 that an existing check covers for another
module, sysctl key, package or path.

applies: ID rhel, almalinux, rocky or centos (or one of them in ID_LIKE)
with VERSION_ID 10 or 10.x.

    python3 tools/packgen/rhel10.py > hardening/rules/rhel10.json
"""
import json
import sys

import cisfill
import derive
import rpmcis
from rpmcis import crypto_module


# rhel9 rules whose RHEL 10 control lists another SSG rule for the same
# check (SSG renamed it, or the control now names a broader rule).
NUMBERS = {
    'file_owner_grub2_cfg': '1.4.2', 'file_groupowner_grub2_cfg': '1.4.2',
    'file_permissions_grub2_cfg': '1.4.2', 'file_owner_user_cfg': '1.4.2',
    'file_groupowner_user_cfg': '1.4.2', 'file_permissions_user_cfg': '1.4.2',
    'configure_crypto_policy': '1.6.1',
    'banner_etc_motd': '1.7.1', 'banner_etc_issue': '1.7.2', 'banner_etc_issue_net': '1.7.3',
    'package_avahi_removed': '2.1.2', 'package_cups_removed': '2.1.10',
    'package_dnsmasq_removed': '2.1.6', 'package_chrony_installed': '2.3.1',
    'use_pam_wheel_for_su': '5.2.7',
    'accounts_passwords_pam_faillock_unlock_time': '5.3.2.1.2',
    'no_files_unowned_by_user': '7.1.12', 'file_permissions_ungroupowned': '7.1.12',
    'package_rsyslog_installed': '6.2.3.1', 'service_rsyslog_enabled': '6.2.3.2',
    'journald_forward_to_syslog': '6.2.3.3', 'rsyslog_nolisten': '6.2.3.7',
    # the site's log host (tools/packgen/loghost.py): manual controls in
    # the control file, automated here
    'rsyslog_remote_loghost': '6.2.3.6', 'systemd_journal_upload_url': '6.2.2.1.2',
    # sshd takes its ciphers from the system crypto policy unless
    # /etc/sysconfig/sshd opts out; 1.6.4 makes that policy drop CBC.
    'configure_ssh_crypto_policy': '5.1.6',
}

# debian12 rules for RHEL 10 controls the rhel9 pack has no rule for:
# their PAM files are authselect's system-auth and password-auth, and
# authselect makes the change (a hand edit of its files is undone).
ADOPT = {
    'pam_unix_enabled': '5.3.1.5', 'accounts_password_pam_pwhistory_enforce_root': '5.3.2.3.2',
    'accounts_password_pam_pwhistory_use_authtok': '5.3.2.3.3', 'no_empty_passwords': '5.3.2.4.1',
    'pam_unix_no_remember': '5.3.2.4.2', 'pam_unix_use_authtok': '5.3.2.4.4',
    'accounts_root_umask': '5.4.2.6', 'file_permissions_var_log_files': '6.2.4.1',
}
PAM_FILES, AUTHSELECT = rpmcis.PAM_FILES, rpmcis.AUTHSELECT

NETMOD = 'Unneeded network protocols enlarge the kernel code an attacker can reach from the network; a server has no use for %s.'
FWD = 'A host that is not a router must not forward packets, which could bypass network controls.'


def extra(base, ctl):
    """Rules for CIS RHEL 10 controls the rhel9 pack lacks, built from the
    checks of the rhel9 pack (another module, key or path) and of the
    debian12 pack where they name nothing Debian's own (derive.borrow)."""
    by_id = {r['id']: r for r in base['rules']}
    cram = by_id['kernel_module_cramfs_disabled']
    out = [derive.kmod_disabled(cram, 'firewire-core', '1.1.1.9',
                                'FireWire gives devices plugged into the host direct memory access.')]
    for cis, m in [('3.2.1', 'atm'), ('3.2.2', 'can'), ('3.2.3', 'dccp'), ('3.2.4', 'tipc'),
                   ('3.2.5', 'rds'), ('3.2.6', 'sctp')]:
        out.append(derive.kmod_disabled(cram, m, cis, NETMOD % m))
    out += [
        derive.sysctl_rule('fs.protected_hardlinks', ['1'], '1.5.2', 'Ensure fs.protected_hardlinks is configured',
                           'Users cannot make hard links to files they do not own, which closes a class of time-of-check races in world-writable directories.'),
        derive.sysctl_rule('kernel.dmesg_restrict', ['1'], '1.5.5', 'Ensure kernel.dmesg_restrict is configured',
                           'The kernel log holds addresses and other details useful to an attacker; only privileged users should read it.'),
        derive.sysctl_rule('kernel.kptr_restrict', ['1', '2'], '1.5.6', 'Ensure kernel.kptr_restrict is configured',
                           'Kernel addresses exposed in /proc help an attacker defeat kernel address randomisation.'),
        derive.sysctl_rule('net.ipv4.conf.all.forwarding', ['0'], '3.3.1.2', 'Ensure net.ipv4.conf.all.forwarding is configured', FWD),
        derive.sysctl_rule('net.ipv4.conf.default.forwarding', ['0'], '3.3.1.3', 'Ensure net.ipv4.conf.default.forwarding is configured', FWD),
        derive.sysctl_rule('net.ipv6.conf.default.forwarding', ['0'], '3.3.2.2', 'Ensure net.ipv6.conf.default.forwarding is configured', FWD),
        crypto_module('crypto_policy_no_sha1', '1.6.2', 'NO-SHA1', 'Ensure system wide crypto policy disables sha1 hash and signature support',
                      'SHA-1 collisions can be computed; signatures and certificates relying on it can be forged.'),
        crypto_module('crypto_policy_no_weakmac', '1.6.3', 'NO-WEAKMAC', 'Ensure system wide crypto policy macs are configured',
                      'Weak MACs (64-bit tags, MD5) let an attacker forge or alter traffic.'),
        crypto_module('crypto_policy_no_sshcbc', '1.6.4', 'NO-SSHCBC', 'Ensure system wide crypto policy disables cbc for ssh',
                      'CBC mode ciphers in SSH are open to plaintext recovery attacks.'),
        derive.rule('service_bluetooth_disabled', '3.1.3', 'Ensure bluetooth services are not in use',
                    'bluetooth.service must not be enabled (or bluez not installed).',
                    'A radio interface the server does not need is an attack surface reachable without the network.',
                    {'any': [derive.pkg('bluez', False),
                             {'probe': 'systemd_unit', 'params': {'unit': 'bluetooth.service'},
                              'expect': [{'field': 'enabled', 'op': 'eq', 'value': 'false'},
                                         {'field': 'active', 'op': 'eq', 'value': 'false', 'optional': True}]}]},
                    {'action': 'unit_mask', 'params': {'unit': 'bluetooth.service'}}, ssg='service_bluetooth_disabled'),
        derive.rule('firewalld_backend', '4.1.2', 'Ensure firewalld backend is configured',
                    'With firewalld installed, FirewallBackend in /etc/firewalld/firewalld.conf must be nftables.',
                    'The iptables backend is deprecated; one backend keeps the rule set in one place.',
                    {'probe': 'file_lines', 'params': {'path': '/etc/firewalld/firewalld.conf', 'regex': '^[[:space:]]*FirewallBackend[[:space:]]*=[[:space:]]*nftables[[:space:]]*$'},
                     'expect': [], 'quantifier': 'any'},
                    {'action': 'line_present', 'params': {'path': '/etc/firewalld/firewalld.conf', 'line': 'FirewallBackend=nftables',
                                                          'regex': '^[#[:space:]]*FirewallBackend[[:space:]]*='}},
                    ssg='firewalld-backend', requires=derive.pkg('firewalld', True)),
        # RHEL 10 ships Kea as its DHCP server (dhcp-server is gone).
        derive.pkg_removed('kea', '2.1.4', 'Ensure dhcp server services are not in use',
                           'A DHCP server answers anyone on the network; a host that does not serve addresses must not run one.'),
    ]
    out += derive.gdm_rules('gdm', {'dconf_gnome_screensaver_idle_delay': '1.8.3',
                                    'dconf_gnome_disable_autorun': '1.8.5'}, '/etc/gdm/custom.conf')
    tools = ['auditctl', 'auditd', 'ausearch', 'aureport', 'autrace', 'augenrules']
    out.append(derive.rule(
        'aide_check_audit_tools', '6.1.3', 'Ensure cryptographic mechanisms are used to protect the integrity of audit tools',
        '/etc/aide.conf must check /usr/sbin/%s with a sha512 hash.' % ', '.join(tools),
        'An attacker who replaces the audit tools can hide what the audit trail records.',
        {'all': [{'probe': 'file_lines', 'params': {'path': '/etc/aide.conf', 'regex': '^[[:space:]]*/usr/sbin/%s[[:space:]]+[^#]*sha512' % t},
                  'expect': [], 'quantifier': 'any'} for t in tools]},
        {'manual': 'Add /usr/sbin/%s p+i+n+u+g+s+b+acl+xattrs+sha512 (and the other tools) to /etc/aide.conf.' % tools[0]},
        ssg='aide_check_audit_tools', requires=derive.pkg('aide', True)))
    for kind in ('owner', 'groupowner', 'permissions'):
        r = derive.retarget(by_id['file_%s_cron_monthly' % kind], 'cron.monthly', 'cron.yearly', '2.4.1.7')
        out.append(derive.retarget(r, 'cron_monthly', 'cron_yearly', '2.4.1.7'))
    deb = {r['id']: r for r in derive.load_pack('debian12')['rules']}
    for rid, cis in ADOPT.items():
        pam = 'pam.d' in json.dumps(deb[rid]['check'])
        out.append(derive.adopt(deb[rid], cis, PAM_FILES, fix=AUTHSELECT if pam else None))
    return out


def main():
    base = derive.load_pack('rhel9')
    r10 = derive.load_controls('cis_rhel10')
    ctl = r10['controls']
    auto = [r for r in base['rules'] if 'check' in r]
    manual = [r for r in base['rules'] if 'check' not in r]
    rules, left = derive.renumber(auto, ctl)
    for r in auto:
        if r['id'] in NUMBERS and r['id'] in left:
            rules.append(derive.renamed(r, NUMBERS[r['id']]))
            left.remove(r['id'])
    titles = {derive.norm_title(c['title']): cid for cid, c in ctl.items()}
    for r in manual:
        cid = titles.get(derive.norm_title(r['title']))
        if cid:
            rules.append(derive.renamed(r, cid))
        else:
            left.append(r['id'])
    have = {r['id'] for r in rules}
    rules += [r for r in extra(base, ctl) if r['id'] not in have]
    have = {r['id'] for r in rules}
    names = have | {derive.ssg_name(r) for r in rules}
    # debian12's journald-only rules (judged where rsyslog is absent) are
    # not borrowed: this pack, like rhel9's, follows rsyslog, and the
    # rpm fixture trees have no journald-only tree to judge them on.
    rules += [r for r in derive.borrow(derive.load_pack('debian12')['rules'], ctl, names, skip=rpmcis.JOURNALD_ONLY)
              if r['id'] not in have]
    rules = [derive.not_login_accounts(r) for r in rules]
    derive.sort_rules(rules)
    if left:
        print('rhel10.py: left out (no CIS RHEL 10 control): %s' % ' '.join(left), file=sys.stderr)
    pack = {
        'schema': 1,
        'pack': 'rhel10',
        'benchmark': 'CIS Red Hat Enterprise Linux 10 Benchmark v' + derive.version_of(r10),
        'applies': {'id': ['rhel', 'almalinux', 'rocky', 'centos'], 'version_id': ['10']},
        'profiles': derive.profiles(rules, ctl),
        'rules': rules,
    }
    # The controls no rule above covers, from SSG templates: last.
    cisfill.fill(pack, 'rhel10', 'rpm')
    derive.emit(pack, 'rhel10')


if __name__ == '__main__':
    main()
