#!/usr/bin/env python3
"""Generates hardening/rules/debian13.json, the CIS pack for Debian 13
(trixie), from the debian12 pack.

Debian 13 keeps Debian 12's tools and files (dpkg, sshd with
sshd_config.d, PAM through pam-auth-update, systemd, AppArmor, chrony or
systemd-timesyncd), so the checks and fixes of hardening/rules/debian12.json
hold there; what differs is the benchmark's numbering.  Every debian12 rule
(automated and manual) is numbered by ComplianceAsCode's control file for
the CIS Debian 13 Benchmark (controls/cis_debian13.yml, kept as
tools/packgen/data/cis_debian13.json with the commit it was read at): by
its SSG name listed under a control (the first control when several list
it), else through the CIS Debian 12 control it implements
(tools/packgen/data/cis_debian12.json) when exactly one Debian 13 control
has the same title.  A few are numbered by hand (NUMBERS: the Debian 12 rule
implements a Debian 13 control whose title changed).  Rules matched none
of these ways are left out and listed on stderr.  Added (extra()): the
controls new in CIS Debian 13 that an existing check covers for another
module, sysctl key, package or path (firewire-core and the 3.2 network
protocol modules, the 1.5 kernel sysctls, prelink, ypserv and telnetd,
/etc/cron.yearly, IPv4/IPv6 per-interface forwarding).  Profiles: cis-l1-server and cis-l2-server from the controls'
levels.

applies: ID=debian with VERSION_ID 13, or, for a trixie image whose
os-release has no VERSION_ID (testing before the release), the codename.

    python3 tools/packgen/debian13.py > hardening/rules/debian13.json
"""
import sys

import cisfill
import derive
import ubuntu

# Debian 12 rules whose Debian 13 control has another title.
NUMBERS = {
    'banner_motd_no_os_info': '1.6.1',
    'banner_issue_no_os_info': '1.6.2',
    'banner_issue_net_no_os_info': '1.6.3',
    'sudo_timestamp_timeout': '5.2.6',
}

UFW_OWN = ('package_ufw_installed', 'service_ufw_enabled')

NETMOD = 'Unneeded network protocols enlarge the kernel code an attacker can reach from the network; a server has no use for %s.'


def ufw(nums):
    """CIS Debian 13 chooses ufw as the host firewall (4.1)."""
    u = {r['id']: r for r in ubuntu.extra_2204({'disable_prelink': '1.5.4'})}
    req = derive.pkg('ufw', True)
    out = [derive.renamed(u['package_ufw_installed'], '4.1.1'),
           derive.renamed(u['service_ufw_enabled'], '4.1.2')]
    for key, cis, rid, what in [('DEFAULT_INPUT_POLICY', '4.1.3', 'ufw_default_incoming_rule', 'incoming'),
                                ('DEFAULT_FORWARD_POLICY', '4.1.5', 'ufw_disabled_routed', 'routed')]:
        out.append(derive.rule(
            rid, cis, 'Ensure ufw %s default is configured' % what,
            'With ufw installed, %s in /etc/default/ufw must be DROP or REJECT (what `ufw default deny %s` writes).' % (key, what),
            'A firewall that lets through what no rule names protects only against what was foreseen.',
            {'probe': 'shell_vars', 'params': {'path': '/etc/default/ufw', 'key': key},
             'expect': [{'field': 'value', 'op': 'in', 'value': ['DROP', 'REJECT'], 'nocase': True}]},
            {'action': 'shell_var_set', 'params': {'path': '/etc/default/ufw', 'key': key, 'value': 'DROP'}},
            ssg=rid, requires=req))
    return out


# OpenSSH 10 (trixie) offers these first by default.
PQ_KEX = 'mlkem768x25519-sha256,sntrup761x25519-sha512,sntrup761x25519-sha512@openssh.com'


def pq_kex(strong):
    """5.1.13: a post-quantum hybrid key exchange is offered.  The
    default is OpenSSH 10's list; the fix puts the hybrids before the
    list the 5.1.12 fix sets."""
    check = {'probe': 'sshd_config',
             'params': {'key': 'KexAlgorithms', 'default': PQ_KEX + ',' + strong['check']['params']['default']},
             'expect': [{'field': 'value', 'op': 'match', 'nocase': True,
                         'value': '(^|,)(mlkem768x25519-sha256|sntrup761x25519-sha512(@openssh\\.com)?)(,|$)'}]}
    return derive.rule('sshd_use_pq_kex', '5.1.13',
                       'Ensure sshd post-quantum cryptography key exchange algorithms are configured',
                       'KexAlgorithms must offer a post-quantum hybrid (mlkem768x25519-sha256 or sntrup761x25519-sha512).',
                       'Sessions recorded today could be decrypted later by a quantum computer unless the key exchange resists it.',
                       check, {'action': 'sshd_set', 'params': {
                           'key': 'KexAlgorithms', 'value': PQ_KEX + ',' + strong['fix']['params']['value']}},
                       requires=strong['requires'])


def coredump(key, value, cis, rid):
    """systemd-coredump's [Coredump] settings, in coredump.conf or a
    drop-in (the last file in name order wins; a check that any file sets
    the value is what SSG checks too)."""
    return derive.rule(
        rid, cis, 'Ensure systemd-coredump %s is configured' % key,
        '%s=%s must be set in /etc/systemd/coredump.conf or a drop-in of /etc/systemd/coredump.conf.d.' % (key, value),
        'Core dumps hold the memory of the crashed program, secrets included.',
        {'any': [{'probe': 'file_lines', 'params': {'path': p, 'regex': '^[[:space:]]*%s[[:space:]]*=[[:space:]]*%s[[:space:]]*$' % (key, value)},
                  'expect': [], 'quantifier': 'any'}
                 for p in ('/etc/systemd/coredump.conf', '/etc/systemd/coredump.conf.d/*.conf')]},
        {'action': 'line_present', 'params': {'path': '/etc/systemd/coredump.conf', 'line': '%s=%s' % (key, value),
                                              'regex': '^[#[:space:]]*%s[[:space:]]*=' % key}},
        ssg=rid)


def extra(deb):
    """Rules for CIS Debian 13 controls the Debian 12 pack lacks, built
    from its checks."""
    by_id = {r['id']: r for r in deb['rules']}
    cram = by_id['kernel_module_cramfs_disabled']
    out = [derive.kmod_disabled(cram, 'firewire-core', '1.1.1.9',
                                'FireWire gives devices plugged into the host direct memory access.')]
    for i, m in enumerate(['atm', 'can', 'dccp', 'rds', 'sctp', 'tipc']):
        out.append(derive.kmod_disabled(cram, m, '3.2.%d' % (i + 1), NETMOD % m))
    out += [
        derive.sysctl_rule('fs.protected_hardlinks', ['1'], '1.5.1', 'Ensure fs.protected_hardlinks is configured',
                           'Users cannot make hard links to files they do not own, which closes a class of time-of-check races in world-writable directories.'),
        derive.sysctl_rule('fs.protected_symlinks', ['1'], '1.5.2', 'Ensure fs.protected_symlinks is configured',
                           'Symbolic links in sticky world-writable directories are followed only when their owner matches, which closes /tmp link races.'),
        derive.sysctl_rule('kernel.dmesg_restrict', ['1'], '1.5.5', 'Ensure kernel.dmesg_restrict is configured',
                           'The kernel log holds addresses and other details useful to an attacker; only privileged users should read it.'),
        derive.sysctl_rule('kernel.kptr_restrict', ['1', '2'], '1.5.8', 'Ensure kernel.kptr_restrict is configured',
                           'Kernel addresses exposed in /proc help an attacker defeat kernel address randomisation.'),
        derive.sysctl_rule('net.ipv4.conf.all.forwarding', ['0'], '3.3.1.2', 'Ensure net.ipv4.conf.all.forwarding is configured',
                           'A host that is not a router must not forward packets, which could bypass network controls.'),
        derive.sysctl_rule('net.ipv4.conf.default.forwarding', ['0'], '3.3.1.3', 'Ensure net.ipv4.conf.default.forwarding is configured',
                           'A host that is not a router must not forward packets, which could bypass network controls.'),
        derive.sysctl_rule('net.ipv6.conf.default.forwarding', ['0'], '3.3.2.2', 'Ensure net.ipv6.conf.default.forwarding is configured',
                           'A host that is not a router must not forward packets, which could bypass network controls.'),
        ubuntu.prelink_removed('1.5.6', 'disable_prelink'),
        derive.pkg_removed('ypserv', '2.1.10', 'Ensure nis server services are not in use',
                           'The NIS server hands out account data, passwords hashes included, over an unauthenticated protocol.'),
        derive.pkg_removed('telnetd', '2.1.16', 'Ensure telnet-server services are not in use',
                           'telnet sends credentials and sessions in clear text.'),
        derive.pkg_removed('inetutils-telnetd', '2.1.16', 'Ensure telnet-server services are not in use (inetutils)',
                           'telnet sends credentials and sessions in clear text.'),
    ]
    out += [derive.pkg_installed(n, c, t, 'A current PAM is the base of every log-in check the host makes.', ssg=s)
            for n, c, t, s in [('libpam-runtime', '5.3.1.1', 'Ensure latest version of pam is installed', 'package_pam_runtime_installed'),
                               ('libpam-modules', '5.3.1.2', 'Ensure latest version of libpam-modules is installed', 'package_pam_modules_installed')]]
    out += ufw(nums=None)
    out.append(pq_kex(by_id['sshd_use_strong_kex']))
    for key, value, cis, rid in [('ProcessSizeMax', '0', '1.5.12', 'coredump_disable_backtraces'),
                                 ('Storage', 'none', '1.5.13', 'coredump_disable_storage')]:
        out.append(coredump(key, value, cis, rid))
    out += derive.gdm_rules('gdm3', {
        'dconf_gnome_banner_enabled': '1.7.2', 'dconf_gnome_disable_user_list': '1.7.3',
        'dconf_gnome_screensaver_idle_delay': '1.7.4', 'dconf_gnome_screensaver_user_locks': '1.7.5',
        'dconf_gnome_disable_automount': '1.7.6', 'dconf_gnome_automount_locked': '1.7.7',
        'dconf_gnome_disable_autorun': '1.7.8', 'dconf_gnome_autorun_locked': '1.7.9',
        'gnome_gdm_disable_xdmcp': '1.7.10'}, '/etc/gdm3/custom.conf')
    for kind in ('owner', 'groupowner', 'permissions'):
        r = derive.retarget(by_id['file_%s_cron_monthly' % kind], 'cron.monthly', 'cron.yearly', '2.4.1.7')
        out.append(derive.retarget(r, 'cron_monthly', 'cron_yearly', '2.4.1.7'))
    return out


def main():
    deb = derive.load_pack('debian12')
    # CIS Debian 13 has ufw as THE firewall (4.1): its ufw rules are
    # ufw()'s, judged whatever else is installed, not debian12's, which
    # apply only where ufw is the firewall the site chose.
    deb['rules'] = [r for r in deb['rules'] if r['id'] not in UFW_OWN]
    d13 = derive.load_controls('cis_debian13')
    d12 = derive.load_controls('cis_debian12')
    rules, left = derive.renumber(deb['rules'], d13['controls'], d12['controls'])
    for r in deb['rules']:
        if r['id'] in NUMBERS:
            rules.append(derive.renamed(r, NUMBERS[r['id']]))
            left.remove(r['id'])
    have = {r['id'] for r in rules}
    rules += [r for r in extra(deb) if r['id'] not in have]
    for r in rules:
        if r['id'] == 'disable_users_coredumps':
            # trixie's systemd ships limits.d/10-coredump-debian.conf with
            # "root hard core infinity", and a user entry beats "*": the
            # fix sets root's limit too, in a file read after that one.
            r['fix'] = {'action': 'file_content', 'params': {
                'path': '/etc/security/limits.d/zz-tattoo-core.conf',
                'content': '* hard core 0\nroot hard core 0\n', 'mode': '0644'}}
    derive.sort_rules(rules)
    if left:
        print('debian13.py: left out (no CIS Debian 13 control): %s' % ' '.join(left), file=sys.stderr)
    pack = {
        'schema': 1,
        'pack': 'debian13',
        'benchmark': 'CIS Debian Linux 13 Benchmark v' + derive.version_of(d13),
        'applies': {'id': ['debian'], 'version_id': ['13', 'trixie']},
        'profiles': derive.profiles(rules, d13['controls']),
        'rules': rules,
    }
    # The controls no rule above covers, from SSG templates: last.
    cisfill.fill(pack, 'debian13', 'deb')
    derive.emit(pack, 'debian13')


if __name__ == '__main__':
    main()
