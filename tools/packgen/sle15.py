#!/usr/bin/env python3
"""Generates hardening/rules/sle15.json, the CIS pack for SUSE Linux
Enterprise Server 15 and SLES for SAP Applications 15.

SLES 15 is an rpm distribution (the package probe reads its rpm
database) with systemd, firewalld, chrony (/etc/chrony.conf), grub2
(/boot/grub2) and cronie as the RHEL family has them, so the automated
rules of hardening/rules/rhel9.json are numbered by ComplianceAsCode's
control file for the CIS SUSE Linux Enterprise 15 Benchmark
(controls/cis_sle15.yml, kept as tools/packgen/data/cis_sle15.json with
the commit it was read at) through the SSG rule each names; those no
SLE 15 control lists are left out (SELinux, authselect and crypto-policy
rules: SLES uses AppArmor and pam-config).  PAM is laid out as on Debian:
pam-config writes /etc/pam.d/common-{auth,account,password,session}-pc
and common-* are symbolic links to them, so the PAM rules come from
hardening/rules/debian12.json (derive.borrow: the rules of the debian12
pack for the SLE 15 controls no rhel9 rule covers, with rpm package
names), with fixes that say which pam-config call makes the change
(pam-config rewrites the -pc files, so an edit by tattoo would not last).
Added (extra()): controls that an existing check covers for another
module, key or path.

applies: ID sles or sles_sap with VERSION_ID 15 or 15.x.

    python3 tools/packgen/sle15.py > hardening/rules/sle15.json
"""
import json
import sys

import cisfill
import derive
import rpmcis

# Package names on SLES where they differ from the debian12 pack's.
NAMES = {'libpam-pwquality': 'pam_pwquality', 'libpam-runtime': 'pam', 'libpam-modules': 'pam',
         'xserver-common': 'xorg-x11-server', 'slapd': 'openldap2', 'rsh-client': 'rsh',
         'apparmor': 'apparmor-parser', 'apparmor-utils': 'apparmor-utils'}
# The Debian layout that does not exist on SLES.
NOT_SUSE = ('/etc/apt', 'dpkg', '/etc/chrony/', 'pam-auth-update', 'ufw', '/etc/default/grub')
PAM_CONFIG = {'manual': 'Make the change with pam-config (for example pam-config -a --pwhistory '
                        '--pwhistory-remember=24), which writes /etc/pam.d/common-*-pc; '
                        'an edit of those files is undone by the next pam-config run.'}


# rhel9 package names that SLES spells otherwise.
SUSE_RPMS = {'xorg-x11-server-common': 'xorg-x11-server', 'openldap-servers': 'openldap2',
             'openldap-clients': 'openldap2-client', 'httpd': 'apache2', 'rsync-daemon': 'rsync'}


SHADOW = {'file_%s_%s' % (k, f) for k in ('groupowner', 'permissions')
          for f in ('etc_shadow', 'backup_etc_shadow', 'etc_gshadow', 'backup_etc_gshadow')}


def suse_layout(r):
    """A rhel9 rule as SLES lays the files out: zypper instead of dnf,
    grub2's password in grub.cfg (no grub2-setpassword), SUSE's package
    names."""
    if r['id'] == 'ensure_gpgcheck_globally_activated':
        r['description'] = 'zypper must check package signatures: /etc/zypp/zypp.conf must not turn gpgcheck (or repo_gpgcheck, pkg_gpgcheck) off.'
        r['check'] = {'probe': 'file_lines', 'params': {
            'path': '/etc/zypp/zypp.conf',
            'regex': '^[[:space:]]*(gpgcheck|repo_gpgcheck|pkg_gpgcheck)[[:space:]]*=[[:space:]]*(off|no|false|0)[[:space:]]*$', 'nocase': True},
            'expect': [], 'quantifier': 'none'}
        r['fix'] = {'action': 'line_absent', 'params': {
            'path': '/etc/zypp/zypp.conf',
            'regex': '^[[:space:]]*(gpgcheck|repo_gpgcheck|pkg_gpgcheck)[[:space:]]*=[[:space:]]*([Oo][Ff][Ff]|[Nn][Oo]|[Ff][Aa][Ll][Ss][Ee]|0)[[:space:]]*$'}}
    elif r['id'] == 'grub2_password':
        r['description'] = 'grub.cfg must set a superuser password (password_pbkdf2), as /etc/grub.d/40_custom puts it there.'
        r['check'] = {'probe': 'file_lines', 'params': {'path': '/boot/grub2/grub.cfg', 'regex': '^[[:space:]]*password_pbkdf2[[:space:]]+[^[:space:]]+[[:space:]]+grub\\.pbkdf2\\.sha512'},
                      'expect': [], 'quantifier': 'any'}
        r['fix'] = {'manual': 'Add set superusers and password_pbkdf2 (from grub2-mkpasswd-pbkdf2) to /etc/grub.d/40_custom and run grub2-mkconfig -o /boot/grub2/grub.cfg.'}
    elif r['id'] in SHADOW:
        # SLES keeps /etc/shadow root:shadow 0640 (unix2_chkpwd reads it
        # through the group), and CIS SLE 15 asks for that.
        for c in r['check']['expect']:
            if c['field'] == 'group':
                c.update(op='in', value=['root', 'shadow'])
            if c['field'] == 'mode':
                c['value'] = '0640'
        if r['fix'].get('action') == 'file_mode':
            r['fix']['params'].update(mode='0640', group='shadow')
        r['description'] = 'As SLES installs it: owned by root, group root or shadow, mode 0640 or stricter.'
    text = json.dumps(r)
    for rhel, suse in SUSE_RPMS.items():
        text = text.replace('"name": "%s"' % rhel, '"name": "%s"' % suse)
    return json.loads(text)


def suse_fix(r):
    """PAM changes on SLES go through pam-config."""
    if 'pam' in r['fix'].get('action', '') or 'pam-auth-update' in r['fix'].get('manual', ''):
        r['fix'] = PAM_CONFIG
    return r


# rhel9 rules whose SLE 15 control lists another SSG rule for the check.
NUMBERS = {
    'aide_periodic_cron_checking': '1.4.2', 'rsyslog_filecreatemode': '4.2.1.3',
    'sshd_enable_warning_banner_net': '5.2.18', 'no_empty_passwords_etc_shadow': '6.2.2',
}
# An fstab entry for removable media: mounted under /media, or on the
# traditional /mnt/cdrom, /mnt/floppy, /mnt/usb; \3 is its options.
REMOVABLE = ('^[[:space:]]*[^#[:space:]]+[[:space:]]+(/media/[^[:space:]]*|/mnt/(cdrom|floppy|usb)[^[:space:]]*)'
             '[[:space:]]+[^[:space:]]+[[:space:]]+([^[:space:]]+)')
NFT_CONF = ['/etc/sysconfig/nftables.conf', '/etc/nftables.conf', '/etc/nftables/*.nft', '/etc/nftables/*.conf']
GRUB2 = {'manual': 'Add apparmor=1 security=apparmor to GRUB_CMDLINE_LINUX_DEFAULT in /etc/default/grub '
                   'and run grub2-mkconfig -o /boot/grub2/grub.cfg.'}


def extra(base, ctl):
    """Rules for SLE 15 controls neither the rhel9 nor the debian12 pack
    covers under the same SSG name."""
    import ubuntu
    deb = {r['id']: r for r in derive.load_pack('debian12')['rules']}
    apparmor = derive.adopt(deb['grub2_enable_apparmor'], '1.7.1.2', fix=GRUB2)
    apparmor['references']['ssg'] = derive.P + 'apparmor_configured'
    removable = [derive.rule(
        'mount_option_%s_removable_partitions' % o, cis, 'Ensure %s option set on removable media partitions' % o,
        'Every /etc/fstab entry mounted under /media or on /mnt/cdrom, /mnt/floppy, /mnt/usb must carry %s.' % o,
        'Removable media are brought by anyone; what they carry must not be trusted as devices, set-user-id programs or executables.',
        {'probe': 'file_lines', 'params': {'path': '/etc/fstab', 'regex': REMOVABLE},
         'expect': [{'field': '3', 'op': 'has_word', 'value': o}], 'empty': 'pass'},
        {'manual': 'Add %s to the options of each removable media entry in /etc/fstab.' % o},
        ssg='mount_option_%s_removable_partitions' % o)
        for o, cis in (('noexec', '1.1.19'), ('nodev', '1.1.20'), ('nosuid', '1.1.21'))]
    # rhel9 had this rule until its pack was numbered by CIS RHEL 9 v2.0.0,
    # which has no such control; SLE 15's 3.5.1.4 keeps it
    zone = derive.rule(
        'set_firewalld_default_zone', '3.5.1.4', 'Set Default firewalld Zone for Incoming Packets',
        'To set the default zone to drop for the built-in default zone which processes incoming IPv4 and IPv6 '
        'packets, modify the following line in /etc/firewalld/firewalld.conf to be: DefaultZone=drop',
        'In firewalld the default zone is applied only after all the applicable rules in the table are examined '
        'for a match. Setting the default zone to drop implements proper design for a firewall, i.e. any packets '
        'which are not explicitly permitted should not be accepted.',
        {'probe': 'file_lines', 'params': {'path': '/etc/firewalld/firewalld.conf',
                                           'regex': '^[[:space:]]*DefaultZone=[^[:space:]]+'},
         'expect': [], 'quantifier': 'any'},
        {'action': 'line_present', 'params': {'path': '/etc/firewalld/firewalld.conf',
                                              'line': 'DefaultZone=public', 'regex': '^[#[:space:]]*DefaultZone='}},
        ssg='set_firewalld_default_zone', requires=derive.pkg('firewalld', True))
    # The nftables (3.5.2) and iptables (3.5.3) branches, each judged only
    # where its firewall is the one in use (rpmcis.nft_branch, ipt_branch).
    # nftables.service loads /etc/sysconfig/nftables.conf and what it
    # includes, as CIS SLE 15 describes it; SUSE's own /etc/nftables.conf
    # and /etc/nftables/ are read too.  The iptables rules are the files
    # iptables-save writes for iptables-restore at boot.
    nft = rpmcis.nftables_rules(NFT_CONF, {
        'service_firewalld_disabled': '3.5.2.2', 'set_nftables_table': '3.5.2.4',
        'set_nftables_base_chain': '3.5.2.5', 'nftables_ensure_default_deny_policy': '3.5.2.8',
        'service_nftables_enabled': '3.5.2.9', 'nftables_rules_permanent': '3.5.2.10'})
    ipt = rpmcis.iptables_rules('/etc/sysconfig/iptables', '/etc/sysconfig/ip6tables', {
        'package_iptables_installed': '3.5.3.1.1', 'service_firewalld_disabled': '3.5.3.1.3',
        'set_loopback_traffic': '3.5.3.2.2', 'set_ipv6_loopback_traffic': '3.5.3.3.2'})
    return removable + nft + ipt + [
        apparmor, zone,
        ubuntu.prelink_removed('1.6.4', 'disable_prelink'),
        derive.pkg_removed('ypserv', '2.2.18', 'Ensure NIS server is not installed',
                           'The NIS server hands out account data, password hashes included, over an unauthenticated protocol.'),
        derive.pkg_removed('ypbind', '2.3.1', 'Ensure NIS Client is not installed',
                           'NIS is an unauthenticated, clear-text directory protocol.'),
        derive.pkg_installed('logrotate', '4.2.4', 'Ensure logrotate is installed',
                             'Without rotation logs fill the file system or are lost.'),
        derive.rule('require_singleuser_auth', '1.5.3', 'Ensure authentication required for single user mode',
                    'rescue.service and emergency.service must run systemd-sulogin-shell (or sulogin), which asks for the root password.',
                    'Without it anyone at the console gets a root shell by booting into rescue mode.',
                    {'all': [{'probe': 'file_lines', 'params': {'path': '/usr/lib/systemd/system/%s.service' % u,
                                                                'regex': '^[[:space:]]*ExecStart=.*(sulogin|systemd-sulogin-shell)'},
                              'expect': [], 'quantifier': 'any'} for u in ('rescue', 'emergency')]},
                    {'manual': 'Restore the distribution\'s rescue.service and emergency.service (ExecStart=-/usr/lib/systemd/systemd-sulogin-shell).'},
                    ssg='require_singleuser_auth'),
        derive.rule('accounts_users_netrc_file_permissions', '6.2.11',
                    "Ensure users' .netrc Files are not group or world accessible",
                    'Every interactive user\'s ~/.netrc, where one exists, must have mode 0600 or stricter.',
                    '.netrc files hold passwords in clear text.',
                    {'probe': 'home_dirs', 'params': {'what': 'netrc'},
                     'filter': [{'field': 'exists', 'op': 'eq', 'value': 'true'}], 'empty': 'pass',
                     'expect': [{'field': 'mode', 'op': 'mode_max', 'value': '0600'}]},
                    {'manual': 'chmod 0600 each .netrc listed (or remove it).'}, ssg='accounts_users_netrc_file_permissions'),
        derive.rule('pam_password_complexity', '5.3.1', 'Ensure password creation requirements are configured',
                    'common-password must run pam_cracklib or pam_pwquality with minlen of 14 or more.',
                    'Long passwords resist guessing and offline cracking.',
                    {'probe': 'file_lines', 'params': {'path': '/etc/pam.d/common-password',
                                                       'regex': '^[[:space:]]*password[[:space:]].*pam_(cracklib|pwquality)\\.so.*[[:space:]]minlen=(1[4-9]|[2-9][0-9]|[1-9][0-9]{2,})([[:space:]]|$)'},
                     'expect': [], 'quantifier': 'any'},
                    {'manual': 'pam-config -a --cracklib --cracklib-minlen=14 --cracklib-dcredit=-1 --cracklib-ucredit=-1 --cracklib-lcredit=-1 --cracklib-ocredit=-1'},
                    ssg='cracklib_accounts_password_pam_dcredit'),
        derive.rule('pam_lockout_configured', '5.3.2', 'Ensure lockout for failed password attempts is configured',
                    'common-auth must run pam_tally2 or pam_faillock with deny of 1 to 5.',
                    'Locking an account after a few failures stops online password guessing.',
                    {'probe': 'file_lines', 'params': {'path': '/etc/pam.d/common-auth',
                                                       'regex': '^[[:space:]]*auth[[:space:]].*pam_(tally2|faillock)\\.so.*[[:space:]]deny=[1-5]([[:space:]]|$)'},
                     'expect': [], 'quantifier': 'any'},
                    {'manual': 'Add pam_tally2 (pam-config -a --tally2 --tally2-deny=5 --tally2-onerr=fail) or pam_faillock to the auth stack.'},
                    ssg='accounts_passwords_pam_tally2'),
    ]


def main():
    base = derive.load_pack('rhel9')
    s15 = derive.load_controls('cis_sle15')
    ctl = s15['controls']
    auto = [r for r in base['rules'] if 'check' in r]
    rules, left = derive.renumber(auto, ctl)
    rules = [suse_layout(r) for r in rules]
    for r in auto:
        if r['id'] in NUMBERS and r['id'] in left:
            rules.append(derive.renamed(r, NUMBERS[r['id']]))
            left.remove(r['id'])
    have = {r['id'] for r in rules}
    rules += [r for r in extra(base, ctl) if r['id'] not in have]
    have = {r['id'] for r in rules}
    names = have | {derive.ssg_name(r) for r in rules}
    deb = derive.load_pack('debian12')['rules']
    saved = derive.DEBIAN_ONLY
    derive.DEBIAN_ONLY = NOT_SUSE
    rules += [suse_fix(r) for r in derive.borrow(deb, ctl, names, NAMES) if r['id'] not in have]
    derive.DEBIAN_ONLY = saved
    rules = [derive.not_login_accounts(r) for r in rules]
    derive.sort_rules(rules)
    if left:
        print('sle15.py: left out (no CIS SLE 15 control): %s' % ' '.join(left), file=sys.stderr)
    pack = {
        'schema': 1,
        'pack': 'sle15',
        'benchmark': 'CIS SUSE Linux Enterprise 15 Benchmark v' + derive.version_of(s15),
        'applies': {'id': ['sles', 'sles_sap'], 'version_id': ['15']},
        'profiles': derive.profiles(rules, ctl),
        'rules': rules,
    }
    # The controls no rule above covers, from SSG templates: last.
    cisfill.fill(pack, 'sle15', 'rpm')
    derive.emit(pack, 'sle15')


if __name__ == '__main__':
    main()
