#!/usr/bin/env python3
"""Generates hardening/rules/debian12.json, the CIS Level 1 Server pack for
Debian 12 (CIS Debian Linux 12 Benchmark v1.1.0).

The checks, titles, descriptions and rationales below are written by hand
from the CIS recommendations and the SCAP Security Guide's rule semantics
(OVAL read from ssg-ubuntu2204, the closest SSG content to Debian 12).
The SSG XCCDF files of Debian's ssg-debian and ssg-debderived packages are
read only to check that every references.ssg names a real SSG rule and to
take SSG's severity; the script refuses to run without them.  The JSON it
prints is the reviewed artefact (hardening/rules/debian12.json); run this
after changing a rule here:

    python3 tools/packgen/debian12.py > hardening/rules/debian12.json

and check the result with tests/cli/t0400-pack-debian12-verdicts.sh.

A rule whose SSG rule ComplianceAsCode's control file for this benchmark
(controls/cis_debian12.yml, kept in tools/packgen/data/cis_debian12.json)
lists must carry one of the sections it is listed under; the script stops
otherwise.  The other rules are numbered by hand from the benchmark.

Where the benchmark lets the site choose (one firewall of ufw, nftables
and iptables; rsyslog or journald alone for logging), each branch's rules
require the image to use that branch (see section 4 and 6.1 below); GDM's
settings require gdm3.  The Ubuntu and Debian 13 packs take these rules
through ubuntu.py and debian13.py.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

import cisfill
import derive
import loghost
import sections

CONTENT = '/usr/share/xml/scap/ssg/content/'
X = '{http://checklists.nist.gov/xccdf/1.2}'
P = 'xccdf_org.ssgproject.content_rule_'


def load_ssg():
    """SSG rule name -> severity, from the SSG XCCDF files."""
    sev = {}
    for f in ('ssg-ubuntu2204-xccdf.xml', 'ssg-debian11-xccdf.xml'):
        try:
            root = ET.parse(CONTENT + f).getroot()
        except (OSError, ET.ParseError) as e:
            sys.exit('debian12.py: cannot read %s%s (%s): install ssg-debian and ssg-debderived' % (CONTENT, f, e))
        for el in root.iter(X + 'Rule'):
            sev.setdefault(el.get('id')[len(P):], el.get('severity'))
    return sev


SEVERITY = load_ssg()
ALLSSG = set(SEVERITY)
# SSG rules the control file names that the installed XCCDF lacks (the
# nftables, journald-upload and PAM package rules): a rule may name them,
# given explicitly (ssg='...').
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'cis_debian12.json')) as f:
    CONTROL_SSG = {n for c in json.load(f)['controls'].values() for n in c['rules']}
BOTH = ['image', 'runtime']

rules = []

# A umask command anywhere in a line, as the shell runs it: at the start
# or after a separator (`[ "$UID" -ge 1000 ] && umask 022`), with the
# argument ending the command.
UMASK_AT = '(^|[;&|({[:space:]])umask[[:space:]]+'
UMASK_END = '([[:space:];&|)}]|$)'
# a umask that leaves group write or any permission for others
UMASK_WEAK = UMASK_AT + '0*[0-7]?([0145][0-7]|[0-7][0-6])' + UMASK_END
# a umask of 027 or stricter
UMASK_OK = UMASK_AT + '0*[0-7]?[2367]7' + UMASK_END
# The start-up files a user's own shells read (bash, sh, zsh); not
# .bash_history and the like, which hold text that is never run.
STARTUP = ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.zshrc']


def R(id, cis, title, desc, rat, check=None, fix=None, sev=None, ssg=None,
      scope=None, requires=None, manual=None, expected=None, rid=None):
    rid = rid or id.replace('-', '_')
    ssgid = ssg if ssg is not None else (id if id in ALLSSG else None)
    if ssg is False:
        ssgid = None
    if sev is None:
        s = SEVERITY.get(ssgid) if ssgid else None
        sev = s if s in ('low', 'medium', 'high') else 'medium'
    r = {'id': rid, 'title': title, 'description': desc, 'rationale': rat,
         'severity': sev, 'references': {'cis': cis}}
    if ssgid:
        assert ssgid in ALLSSG or (ssg and ssgid in CONTROL_SSG), ssgid
        r['references']['ssg'] = P + ssgid
    r['scope'] = scope or BOTH
    if requires:
        r['requires'] = requires
    if manual:
        r['manual'] = manual
    else:
        r['check'] = check
    if expected:
        r['expected'] = expected
    r['fix'] = fix if fix else {'manual': manual}
    rules.append(r)


def C(cond_field, op, value=None, **kw):
    c = {'field': cond_field, 'op': op}
    if value is not None:
        c['value'] = value
    c.update(kw)
    return c


def chk(probe, params, expect, **kw):
    c = {'probe': probe, 'params': params}
    c.update(kw)
    c['expect'] = expect
    return c


def pkg_installed(name):
    return chk('package', {'name': name}, [C('installed', 'eq', 'true')])


def pkg_absent(name):
    return chk('package', {'name': name}, [C('installed', 'eq', 'false')])


def fix_action(a, **p):
    return {'action': a, 'params': p}


# ---------------------------------------------------------------- 1.1.1
MODS = [('cramfs', '1.1.1.1', 'low'), ('freevxfs', '1.1.1.2', 'low'),
        ('hfs', '1.1.1.3', 'low'), ('hfsplus', '1.1.1.4', 'low'),
        ('jffs2', '1.1.1.5', 'low'), ('udf', '1.1.1.8', 'low'),
        ('usb-storage', '1.1.1.9', 'medium')]
for m, cis, sev in MODS:
    what = 'USB mass storage driver' if m == 'usb-storage' else '%s file system driver' % m
    R('kernel_module_%s_disabled' % m, cis,
      'Ensure the %s kernel module is not available' % m,
      'modprobe.d must hold "install %s /bin/false" (or /bin/true) and "blacklist %s" so the %s cannot be loaded on demand, unless the installed kernel has no such module.' % (m, m, what),
      ('Removing support for unneeded file system types reduces the local attack surface: a crafted %s image is parsed by kernel code that is rarely exercised.' % m)
      if m != 'usb-storage' else
      'USB storage lets anyone with physical access copy data off the host or introduce malware; a server has no need for it.',
      # Not available: configured off, or absent from an installed kernel
      # (a tree without any /lib/modules cannot tell, so it needs the
      # configuration).
      {'any': [chk('kernel_module', {'module': m},
                   [C('disabled', 'eq', 'true'), C('blacklisted', 'eq', 'true'),
                    C('loaded', 'eq', 'false', optional=True)]),
               {'all': [chk('file', {'path': '/lib/modules/*/kernel'}, [C('type', 'eq', 'dir')], quantifier='any'),
                        chk('kernel_module', {'module': m}, [C('loadable', 'eq', 'false'), C('loaded', 'eq', 'false', optional=True)])]}]},
      fix_action('modprobe_disable', module=m), sev=sev)

# ---------------------------------------------------------------- 1.1.2
R('partition_for_tmp', '1.1.2.1.1', 'Ensure /tmp is a separate partition',
  '/tmp must be its own file system: an fstab entry, or the tmp.mount unit enabled so that systemd mounts a tmpfs there.',
  'A separate /tmp can carry nodev, nosuid and noexec, and a user filling it cannot exhaust the root file system.',
  {'any': [chk('mount', {'path': '/tmp'}, [C('separate', 'eq', 'true')]),
           chk('systemd_unit', {'unit': 'tmp.mount'}, [C('enabled', 'eq', 'true')])]},
  {'manual': 'Create a separate /tmp file system (an fstab entry, or `systemctl enable tmp.mount` for a tmpfs).'},
  sev='low')

MOUNTS = [
    ('/tmp', 'tmp', '1.1.2.1', ['nodev', 'nosuid', 'noexec']),
    ('/dev/shm', 'dev_shm', '1.1.2.2', ['nodev', 'nosuid', 'noexec']),
    ('/home', 'home', '1.1.2.3', ['nodev', 'nosuid']),
    ('/var', 'var', '1.1.2.4', ['nodev', 'nosuid']),
    ('/var/tmp', 'var_tmp', '1.1.2.5', ['nodev', 'nosuid', 'noexec']),
    ('/var/log', 'var_log', '1.1.2.6', ['nodev', 'nosuid', 'noexec']),
    ('/var/log/audit', 'var_log_audit', '1.1.2.7', ['nodev', 'nosuid', 'noexec']),
]
OPTWHY = {'nodev': 'device files created there would bypass the permissions of the real devices',
          'nosuid': 'a set-user-id program placed there would run with its owner\'s privileges',
          'noexec': 'programs placed there could be executed directly'}
for path, slug, base, opts in MOUNTS:
    for i, o in enumerate(opts):
        n = {'nodev': 2, 'nosuid': 3, 'noexec': 4}[o]
        cis = '%s.%d' % (base, n)
        if path == '/dev/shm' and o != 'noexec':
            # systemd mounts /dev/shm with nosuid,nodev when fstab has no entry
            req = None
            desc = '/dev/shm must be mounted with %s: systemd does so when /etc/fstab has no /dev/shm entry; an fstab entry must carry the option.' % o
            check = {'all': [{'any': [chk('mount', {'path': path}, [C('in_fstab', 'eq', 'false')]),
                                      chk('mount', {'path': path}, [C('fstab_options', 'has_word', o)])]},
                             chk('mount', {'path': path}, [C('options', 'has_word', o, optional=True)])]}
        elif path == '/dev/shm':
            # systemd's own /dev/shm mount has no noexec: fstab must add it
            req = None
            desc = 'The /dev/shm entry in /etc/fstab must carry noexec (systemd mounts /dev/shm without it when fstab has no entry).'
            check = chk('mount', {'path': path},
                        [C('fstab_options', 'has_word', o), C('options', 'has_word', o, optional=True)])
        else:
            req = chk('mount', {'path': path}, [C('separate', 'eq', 'true')])
            desc = 'When %s is a separate file system, its fstab entry (and, at runtime, the live mount) must carry the %s option.' % (path, o)
            check = chk('mount', {'path': path},
                        [C('fstab_options', 'has_word', o), C('options', 'has_word', o, optional=True)])
        R('mount_option_%s_%s' % (slug, o), cis,
          'Ensure %s option set on %s partition' % (o, path), desc,
          'With %s, %s; %s is not meant to hold such files.' % (o, OPTWHY[o], path),
          check, fix_action('mount_option', path=path, option=o), requires=req)

# ---------------------------------------------------------------- 1.2
R('apt_gpg_keys_configured', '1.2.1.1', 'Ensure GPG keys are configured',
  'Every APT source must be signed by a key the site trusts.',
  'Packages from an unauthenticated source can replace any program on the host.',
  manual='Review /etc/apt/trusted.gpg.d, /usr/share/keyrings and the Signed-By of each source in /etc/apt/sources.list(.d) against the site\'s approved keys.')
R('apt_sources_configured', '1.2.1.2', 'Ensure package manager repositories are configured',
  'APT must only use repositories the site approves.',
  'An unexpected repository can ship packages that replace system software.',
  manual='Run `apt-cache policy` and compare the repositories with the site\'s list.')
R('security_patches_up_to_date', '1.2.2.1', 'Ensure updates, patches, and additional security software are installed',
  'Installed packages must be at their current security update level.',
  'Known vulnerabilities are fixed by updates; an outdated image ships them.',
  manual='Run `apt update && apt -s upgrade` on the image and install pending security updates before sealing it.',
  ssg=False)

# ---------------------------------------------------------------- 1.3 AppArmor
R('package_apparmor_installed', '1.3.1.1', 'Ensure AppArmor is installed',
  'The apparmor package provides the user-space tools and profiles for the AppArmor mandatory access control system.',
  'Without AppArmor, a compromised service is confined only by discretionary permissions.',
  pkg_installed('apparmor'), fix_action('package_install', name='apparmor'))
R('grub2_enable_apparmor', '1.3.1.2', 'Ensure AppArmor is enabled in the bootloader configuration',
  'Every kernel command line in the GRUB configuration must carry apparmor=1 and security=apparmor.',
  'AppArmor must be active from boot so that no process starts unconfined.',
  {'all': [chk('grub_cmdline', {'arg': 'apparmor'}, [C('present', 'eq', 'true'), C('value', 'eq', '1')]),
           chk('grub_cmdline', {'arg': 'security'}, [C('present', 'eq', 'true'), C('value', 'eq', 'apparmor')])]},
  {'manual': 'Add apparmor=1 security=apparmor to GRUB_CMDLINE_LINUX in /etc/default/grub and run update-grub (the two arguments need two grub_cmdline_arg actions).'})
R('apparmor_profiles_enforce_or_complain', '1.3.1.3', 'Ensure all AppArmor Profiles are in enforce or complain mode',
  'Every loaded AppArmor profile must be in enforce or complain mode.',
  'Unconfined processes escape the policy.',
  manual='Run `apparmor_status` on the running system and check that no process is unconfined and every profile is in enforce or complain mode.',
  scope=['runtime'])

# ---------------------------------------------------------------- 1.4 bootloader
R('grub2_password', '1.4.1', 'Ensure bootloader password is set',
  'The GRUB configuration must define a superuser and a PBKDF2 password for it.',
  'Without a boot loader password anyone at the console can change kernel arguments, e.g. boot into a root shell.',
  {'all': [chk('file_lines', {'path': '/boot/grub/grub.cfg', 'regex': '^[[:space:]]*set[[:space:]]+superusers='},
               [C('path', 'exists')]),
           chk('file_lines', {'path': '/boot/grub/grub.cfg', 'regex': '^[[:space:]]*password_pbkdf2[[:space:]]+'},
               [C('path', 'exists')])]},
  {'manual': 'Create a password with grub-mkpasswd-pbkdf2, add `set superusers=` and `password_pbkdf2` to /etc/grub.d/40_custom and run update-grub.'},
  requires=chk('file', {'path': '/boot/grub/grub.cfg'}, [C('exists', 'eq', 'true')]))
for what, field, val, fid in [('owner', 'uid', '0', 'file_owner_grub2_cfg'),
                              ('group', 'gid', '0', 'file_groupowner_grub2_cfg')]:
    R(fid, '1.4.2', 'Ensure /boot/grub/grub.cfg is %s by root' % ('owned' if what == 'owner' else 'group-owned'),
      'The GRUB configuration /boot/grub/grub.cfg must belong to %s root.' % ('user' if what == 'owner' else 'group'),
      'The boot configuration holds kernel arguments and the boot password hash; only root may change it.',
      chk('file', {'path': '/boot/grub/grub.cfg'}, [C(field, 'eq', val)]),
      fix_action('file_mode', path='/boot/grub/grub.cfg', mode='0600', owner='root', group='root'),
      requires=chk('file', {'path': '/boot/grub/grub.cfg'}, [C('exists', 'eq', 'true')]))
R('file_permissions_grub2_cfg', '1.4.2', 'Ensure permissions on /boot/grub/grub.cfg are 0600 or stricter',
  '/boot/grub/grub.cfg must have mode 0600 or stricter.',
  'Other users must not read the boot password hash or change boot parameters.',
  chk('file', {'path': '/boot/grub/grub.cfg'}, [C('mode', 'mode_max', '0600')]),
  fix_action('file_mode', path='/boot/grub/grub.cfg', mode='0600', owner='root', group='root'),
  requires=chk('file', {'path': '/boot/grub/grub.cfg'}, [C('exists', 'eq', 'true')]))

# ---------------------------------------------------------------- 1.5 process hardening
def sysctl_rule(key, val, cis, title, desc, rat, ssgname=None, allowed=None, sev=None):
    rid = ssgname or 'sysctl_' + key.replace('.', '_')
    vals = allowed or [val]
    R(rid, cis, title, desc, rat,
      chk('sysctl', {'key': key},
          [C('value', 'in', vals), C('live', 'in', vals, optional=True)]),
      fix_action('sysctl_set', key=key, value=val), sev=sev,
      expected='%s = %s in the persistent sysctl configuration' % (key, ' or '.join(vals)))


sysctl_rule('kernel.randomize_va_space', '2', '1.5.1', 'Ensure address space layout randomization is enabled',
            'kernel.randomize_va_space must be set to 2 in /etc/sysctl.d so that stack, heap, mmap and VDSO addresses are randomised.',
            'Randomised memory layout makes memory corruption exploits much harder to write reliably.')
sysctl_rule('kernel.yama.ptrace_scope', '1', '1.5.2', 'Ensure ptrace_scope is restricted',
            'kernel.yama.ptrace_scope must be 1, 2 or 3 so that a process may only trace its own descendants (or none).',
            'An attacker running as a user could otherwise attach to that user\'s other processes and read their secrets.',
            allowed=['1', '2', '3'])
def lines_any(paths, regex, expect=None, **kw):
    """At least one of several files holds a matching line."""
    return {'any': [chk('file_lines', {'path': p, 'regex': regex}, expect or [C('line', 'exists')], quantifier='any', **kw) for p in paths]}


def lines_none(paths, regex):
    """None of several files holds a matching line."""
    return {'all': [chk('file_lines', {'path': p, 'regex': regex}, [], quantifier='none') for p in paths]}


R('disable_users_coredumps', '1.5.3', 'Ensure core dumps are restricted (hard limit)',
  'The hard core limit pam_limits applies must be 0: read as pam_limits does (limits.conf, then limits.d/*.conf in C-locale order, a later entry for the same domain overriding an earlier one, `-` setting hard and soft), the last `*` entry for `core` must be 0, and no user, @group or uid-range entry (which beat `*` whatever their order) may set another value.',
  'Core dumps of privileged programs can contain passwords and keys readable by the user.',
  {'all': [chk('limits', {'item': 'core'}, [C('value', 'eq', '0')], filter=[C('domain', 'eq', '*')]),
           chk('limits', {'item': 'core'}, [C('value', 'eq', '0')], empty='pass')]},
  # zz-: read last of limits.d (C order), so its '*' entry is the one applied
  fix_action('line_present', path='/etc/security/limits.d/zz-tattoo-core.conf', line='* hard core 0',
             regex='^[[:space:]]*\\*[[:space:]]+hard[[:space:]]+core[[:space:]]'))
sysctl_rule('fs.suid_dumpable', '0', '1.5.3', 'Ensure core dumps of set-user-id programs are disabled',
            'fs.suid_dumpable must be 0 in the persistent sysctl configuration.',
            'A core dump of a set-user-id program can contain data the invoking user may not read.')
# CIS Debian Linux 12 v1.1.0 ends 1.5 at 1.5.3: prelink and apport are
# Ubuntu controls (1.5.4, 1.5.5 of CIS Ubuntu 24.04; tools/packgen/ubuntu.py).

# ---------------------------------------------------------------- 1.6 banners
BANNER_RE = '(\\\\[mrsv]|Debian|GNU/Linux)'
for f, n, sid in [('/etc/motd', '1', 'banner_etc_motd'), ('/etc/issue', '2', 'banner_etc_issue'),
                  ('/etc/issue.net', '3', 'banner_etc_issue_net')]:
    R('banner_%s_no_os_info' % f[5:].replace('.', '_'), '1.6.' + n,
      'Ensure %s does not disclose the operating system' % f,
      '%s must not contain the escapes \\m, \\r, \\s, \\v nor name the operating system.' % f,
      'Telling a visitor the exact OS and release helps an attacker choose exploits.',
      chk('file_lines', {'path': f, 'regex': BANNER_RE, 'comments': True}, [], quantifier='none'),
      fix_action('file_content', path=f, content='Authorized users only. All activity may be monitored and reported.\n', mode='0644'),
      ssg=False)
for f, n, slug in [('/etc/motd', '4', 'etc_motd'), ('/etc/issue', '5', 'etc_issue'), ('/etc/issue.net', '6', 'etc_issue_net')]:
    req = chk('file', {'path': f, 'follow': False}, [C('exists', 'eq', 'true')]) if f == '/etc/motd' else None
    fx = fix_action('file_mode', path=f, mode='0644', owner='root', group='root')
    R('file_owner_' + slug, '1.6.' + n, 'Ensure %s is owned by root' % f,
      '%s must belong to user root.' % f, 'Only root may change what users are told at login.',
      chk('file', {'path': f}, [C('uid', 'eq', '0')], filter=[C('exists', 'eq', 'true')], empty='pass'), fx)
    R('file_groupowner_' + slug, '1.6.' + n, 'Ensure %s is group-owned by root' % f,
      '%s must belong to group root.' % f, 'Only root may change what users are told at login.',
      chk('file', {'path': f}, [C('gid', 'eq', '0')], filter=[C('exists', 'eq', 'true')], empty='pass'), fx)
    R('file_permissions_' + slug, '1.6.' + n, 'Ensure permissions on %s are 0644 or stricter' % f,
      '%s must have mode 0644 or stricter.' % f, 'Only root may change what users are told at login.',
      chk('file', {'path': f}, [C('mode', 'mode_max', '0644')], filter=[C('exists', 'eq', 'true')], empty='pass'), fx)

# ---------------------------------------------------------------- 1.7 GDM
R('package_gdm_removed', '1.7.1', 'Ensure GDM is removed',
  'The gdm3 display manager must not be installed on a server.',
  'A graphical login adds a large, network-facing attack surface a server does not need.',
  pkg_absent('gdm3'), fix_action('package_remove', name='gdm3'))
# Where gdm3 is installed all the same (a workstation image, or a server
# that keeps it), its settings: dconf keyfiles and their locks; Debian's
# gdm3 reads its daemon settings from /etc/gdm3/daemon.conf.  The fixes
# are manual: a keyfile needs `dconf update` to take effect.
rules.extend(derive.gdm_rules('gdm3', {
    'dconf_gnome_banner_enabled': '1.7.2', 'dconf_gnome_disable_user_list': '1.7.3',
    'dconf_gnome_screensaver_idle_delay': '1.7.4', 'dconf_gnome_screensaver_user_locks': '1.7.5',
    'dconf_gnome_disable_automount': '1.7.6', 'dconf_gnome_automount_locked': '1.7.7',
    'dconf_gnome_disable_autorun': '1.7.8', 'dconf_gnome_autorun_locked': '1.7.9',
    'gnome_gdm_disable_xdmcp': '1.7.10'}, '/etc/gdm3/daemon.conf'))
# Ubuntu's gdm3 reads /etc/gdm3/custom.conf; CIS's audit reads both.
rules.append(derive.retarget(derive.gdm_rules('gdm3', {'gnome_gdm_disable_xdmcp': '1.7.10'}, '/etc/gdm3/custom.conf')[0],
                             'gnome_gdm_disable_xdmcp', 'gnome_gdm_disable_xdmcp_custom', '1.7.10', ssg=False))
rules[-1]['title'] = 'Ensure XDMCP is not enabled in /etc/gdm3/custom.conf'

# ---------------------------------------------------------------- 2.1 server services
SERVICES = [
    ('service_autofs_disabled', '2.1.1', 'autofs', 'autofs', 'autofs', 'The automounter mounts file systems (including removable media and NFS) on access; servers rarely need it.'),
    ('service_avahi-daemon_disabled', '2.1.2', 'avahi-daemon', 'avahi-daemon', 'Avahi (mDNS/DNS-SD)', 'Avahi announces services on the local network and listens for multicast traffic.'),
    ('package_dhcp_removed', '2.1.3', 'isc-dhcp-server', None, 'a DHCP server', 'A DHCP server answers anyone on the segment and can hand out rogue routes.'),
    ('package_bind_removed', '2.1.4', 'bind9', None, 'a DNS server (bind9)', 'A DNS server is a network service with a long vulnerability history.'),
    ('package_dnsmasq_removed', '2.1.5', 'dnsmasq', None, 'dnsmasq', 'dnsmasq serves DNS and DHCP to the network.'),
    ('package_vsftpd_removed', '2.1.6', 'vsftpd', None, 'an FTP server (vsftpd)', 'FTP sends credentials in clear text.'),
    ('package_openldap-servers_removed', '2.1.7', 'slapd', None, 'an LDAP server (slapd)', 'An LDAP server is a network service the host does not need unless it is a directory server.'),
    ('package_dovecot_removed', '2.1.8', 'dovecot-core', None, 'an IMAP/POP3 server (dovecot)', 'A mail access server is a network service with user authentication.'),
    ('package_nfs-kernel-server_removed', '2.1.9', 'nfs-kernel-server', None, 'an NFS server', 'NFS exports file systems to the network.'),
    # Debian's nis pulls in ypbind-mt and ypserv; SSG files the rule under
    # 2.2.1, the NIS client
    ('package_nis_removed', '2.2.1', 'nis', None, 'NIS', 'NIS is an insecure legacy directory service that sends data, including password hashes, in clear text.'),
    ('service_cups_disabled', '2.1.11', 'cups', 'cups', 'the CUPS print server', 'A print server listens on the network and parses complex input.'),
    ('package_rpcbind_removed', '2.1.12', 'rpcbind', None, 'rpcbind', 'rpcbind exposes RPC services to the network.'),
    ('package_rsync_removed', '2.1.13', 'rsync', 'rsync', 'the rsync daemon', 'The rsync daemon exposes file trees without encryption.'),
    ('package_samba_removed', '2.1.14', 'samba', None, 'a Samba file server', 'An SMB server exposes file shares to the network.'),
    ('package_net-snmp_removed', '2.1.15', 'snmpd', None, 'an SNMP server', 'SNMP v1/v2c sends community strings in clear text and discloses system details.'),
    ('package_tftpd-hpa_removed', '2.1.16', 'tftpd-hpa', None, 'a TFTP server', 'TFTP has no authentication at all.'),
    ('package_squid_removed', '2.1.17', 'squid', None, 'a web proxy (squid)', 'An open proxy lets others relay traffic through the host.'),
    ('package_httpd_removed', '2.1.18', 'apache2', None, 'a web server (apache2)', 'A web server is a network service that must only run where it is the host\'s purpose.'),
    ('package_nginx_removed', '2.1.18', 'nginx', None, 'a web server (nginx)', 'A web server is a network service that must only run where it is the host\'s purpose.'),
    ('package_xinetd_removed', '2.1.19', 'xinetd', None, 'xinetd', 'xinetd starts legacy network services on demand.'),
    ('package_xorg-x11-server-common_removed', '2.1.20', 'xserver-common', None, 'the X Window System server', 'A server needs no graphical display server.'),
]
for rid, cis, pkg, unit, what, rat in SERVICES:
    if unit:
        # "not in use": either the package is absent or its unit is not enabled.
        check = {'any': [pkg_absent(pkg),
                         chk('systemd_unit', {'unit': unit + '.service'},
                             [C('state', 'in', ['disabled', 'masked', 'absent']),
                              C('active', 'eq', 'false', optional=True)])]}
        desc = 'Either the %s package is not installed, or %s.service is neither enabled nor running.' % (pkg, unit)
        fx = fix_action('unit_mask', unit=unit + '.service')
    else:
        check = pkg_absent(pkg)
        desc = 'The %s package must not be installed.' % pkg
        fx = fix_action('package_remove', name=pkg)
    R(rid, cis, 'Ensure %s is not in use' % what, desc,
      rat + ' Unless the host\'s role needs it, it should not be present.', check, fx)
R('package_ypserv_removed', '2.1.10', 'Ensure nis server services are not in use',
  'The ypserv package (the NIS server) must not be installed.',
  'The NIS server hands out account data, password hashes included, over an unauthenticated protocol.',
  pkg_absent('ypserv'), fix_action('package_remove', name='ypserv'), ssg='package_ypserv_removed')
R('postfix_network_listening_disabled', '2.1.21', 'Ensure mail transfer agent is configured for local-only mode',
  'If Postfix is installed and postfix.service is enabled (or running), inet_interfaces in /etc/postfix/main.cf must be loopback-only (or localhost). Postfix installed but disabled passes whatever inet_interfaces says.',
  'An MTA listening on the network can be abused as a relay or attacked remotely; a server sends mail locally only. '
  'A disabled Postfix listens nowhere, which is what CIS audits (nothing on port 25, 465 or 587 outside loopback) and what SSG\'s own test scenarios expect (wrong_but_disabled passes); enabling it later brings the rule back.',
  {'any': [pkg_absent('postfix'),
           chk('systemd_unit', {'unit': 'postfix.service'},
               [C('state', 'in', ['disabled', 'masked', 'absent']), C('active', 'eq', 'false', optional=True)]),
           chk('file_lines', {'path': '/etc/postfix/main.cf', 'regex': '^[[:space:]]*inet_interfaces[[:space:]]*=[[:space:]]*(.*[^[:space:]])[[:space:]]*$'},
               [C('1', 'in', ['loopback-only', 'localhost', '127.0.0.1', '[::1]'], nocase=True)])]},
  fix_action('line_present', path='/etc/postfix/main.cf', line='inet_interfaces = loopback-only',
             regex='^[[:space:]]*inet_interfaces[[:space:]]*='))
R('services_listening_approved', '2.1.22', 'Ensure only approved services are listening on a network interface',
  'Every listening socket must belong to a service the site approves.',
  'Each listening service is attack surface.',
  manual='Run `ss -plntu` on the running system and compare the listeners with the site\'s approved list.',
  scope=['runtime'])

# ---------------------------------------------------------------- 2.2 clients
CLIENTS = [
    ('package_rsh_removed', '2.2.2', 'rsh-client', 'rsh', 'rsh sends everything, including passwords, in clear text.'),
    ('package_talk_removed', '2.2.3', 'talk', 'talk', 'talk is an unauthenticated legacy chat client.'),
    ('package_telnet_removed', '2.2.4', 'telnet', 'telnet', 'telnet sends credentials in clear text.'),
    ('package_inetutils-telnet_removed', '2.2.4', 'inetutils-telnet', 'telnet (inetutils)', 'telnet sends credentials in clear text.'),
    ('package_openldap-clients_removed', '2.2.5', 'ldap-utils', 'the LDAP client tools', 'LDAP client tools are not needed on a host that is not managed through LDAP.'),
    ('package_ftp_removed', '2.2.6', 'ftp', 'an FTP client', 'FTP sends credentials in clear text.'),
    ('package_tnftp_removed', '2.2.6', 'tnftp', 'an FTP client (tnftp)', 'FTP sends credentials in clear text.'),
]
for rid, cis, pkg, what, rat in CLIENTS:
    R(rid, cis, 'Ensure %s client is not installed' % what, 'The %s package must not be installed.' % pkg,
      rat, pkg_absent(pkg), fix_action('package_remove', name=pkg))

# ---------------------------------------------------------------- 2.3 time
R('service_timesync_single', '2.3.1.1', 'Ensure a single time synchronization daemon is in use',
  'Exactly one of chrony and systemd-timesyncd must be configured to run.',
  'Two daemons adjusting the clock fight each other; none leaves the clock to drift, which breaks log correlation and Kerberos.',
  {'any': [{'all': [pkg_installed('chrony'),
                    chk('systemd_unit', {'unit': 'systemd-timesyncd.service'}, [C('state', 'in', ['disabled', 'masked', 'absent'])])]},
           {'all': [pkg_absent('chrony'),
                    chk('systemd_unit', {'unit': 'systemd-timesyncd.service'}, [C('state', 'eq', 'enabled')])]}]},
  {'manual': 'Install chrony (and mask systemd-timesyncd), or enable systemd-timesyncd without chrony.'},
  ssg=False)
R('timesync_server_configured', '2.3.2.1', 'Ensure the time synchronization daemon is configured with an authorized timeserver',
  'When chrony is installed, a server or pool line must exist in /etc/chrony/chrony.conf or /etc/chrony/sources.d; otherwise an NTP= or FallbackNTP= line must exist in /etc/systemd/timesyncd.conf or its drop-ins.',
  'Time must come from sources the site trusts.',
  {'any': [{'all': [pkg_installed('chrony'),
                    chk('file_lines', {'path': '/etc/chrony/*', 'regex': '^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]'}, [C('line', 'exists')], quantifier='any')]},
           {'all': [pkg_absent('chrony'),
                    chk('file_lines', {'path': '/etc/systemd/timesyncd.conf*', 'regex': '^[[:space:]]*(NTP|FallbackNTP)=[^[:space:]]'}, [C('line', 'exists')], quantifier='any')]}]},
  {'manual': 'Set the site\'s time servers in /etc/chrony/sources.d/*.sources or NTP= in /etc/systemd/timesyncd.conf.d/*.conf.'},
  ssg=False)
R('chronyd_run_as_chrony_user', '2.3.3.2', 'Ensure chrony is running as user _chrony',
  'When chrony is installed, /etc/chrony/chrony.conf must not set a `user` other than _chrony (the default); a `user` line without a value fails.',
  'A time daemon running as root turns any parsing bug into a root compromise.',
  {'any': [pkg_absent('chrony'),
           chk('file_lines', {'path': '/etc/chrony/chrony.conf', 'regex': '^[[:space:]]*user([[:space:]]+([^[:space:]]*))?[[:space:]]*$'},
               [C('2', 'eq', '_chrony')], empty='pass')]},
  fix_action('line_absent', path='/etc/chrony/chrony.conf', regex='^[[:space:]]*user[[:space:]]+'))
R('service_timesync_enabled', '2.3.3.3', 'Ensure the time synchronization daemon is enabled',
  'The chosen daemon must be enabled: chrony.service when chrony is installed, systemd-timesyncd.service otherwise.',
  'A configured time daemon that never starts leaves the clock to drift.',
  {'any': [{'all': [pkg_installed('chrony'),
                    chk('systemd_unit', {'unit': 'chrony.service'}, [C('enabled', 'eq', 'true'), C('active', 'eq', 'true', optional=True)])]},
           {'all': [pkg_absent('chrony'),
                    chk('systemd_unit', {'unit': 'systemd-timesyncd.service'}, [C('enabled', 'eq', 'true'), C('active', 'eq', 'true', optional=True)])]}]},
  fix_action('unit_enable', unit='chrony.service'), ssg='service_chronyd_or_ntpd_enabled')

# ---------------------------------------------------------------- 2.4 cron, at
R('service_cron_enabled', '2.4.1.1', 'Ensure cron daemon is enabled and active',
  'cron.service must be enabled (and running at runtime).',
  'Scheduled maintenance, including security jobs such as AIDE checks, depends on cron.',
  chk('systemd_unit', {'unit': 'cron.service'}, [C('enabled', 'eq', 'true'), C('active', 'eq', 'true', optional=True)]),
  fix_action('unit_enable', unit='cron.service'),
  requires=pkg_installed('cron'))
CRON = [('/etc/crontab', 'crontab', '2.4.1.2', '0600'), ('/etc/cron.hourly', 'cron_hourly', '2.4.1.3', '0700'),
        ('/etc/cron.daily', 'cron_daily', '2.4.1.4', '0700'), ('/etc/cron.weekly', 'cron_weekly', '2.4.1.5', '0700'),
        ('/etc/cron.monthly', 'cron_monthly', '2.4.1.6', '0700'), ('/etc/cron.d', 'cron_d', '2.4.1.7', '0700')]
for path, slug, cis, mode in CRON:
    fx = fix_action('file_mode', path=path, mode=mode, owner='root', group='root')
    rat = 'Jobs in %s run as root; only root may read or change them.' % path
    req = pkg_installed('cron')
    R('file_owner_' + slug, cis, 'Ensure %s is owned by root' % path, '%s must belong to user root.' % path, rat,
      chk('file', {'path': path}, [C('exists', 'eq', 'true'), C('uid', 'eq', '0')]), fx, requires=req)
    R('file_groupowner_' + slug, cis, 'Ensure %s is group-owned by root' % path, '%s must belong to group root.' % path, rat,
      chk('file', {'path': path}, [C('exists', 'eq', 'true'), C('gid', 'eq', '0')]), fx, requires=req)
    R('file_permissions_' + slug, cis, 'Ensure permissions on %s are %s or stricter' % (path, mode),
      '%s must have mode %s or stricter.' % (path, mode), rat,
      chk('file', {'path': path}, [C('exists', 'eq', 'true'), C('mode', 'mode_max', mode)]), fx, requires=req)
R('file_cron_allow_exists', '2.4.1.8', 'Ensure crontab is restricted to authorized users',
  '/etc/cron.allow must exist so that only the users it lists can use crontab.',
  'Without cron.allow every user can schedule jobs, a common persistence technique.',
  chk('file', {'path': '/etc/cron.allow'}, [C('exists', 'eq', 'true'), C('type', 'eq', 'file')]),
  fix_action('file_content', path='/etc/cron.allow', content='root\n', mode='0640'),
  requires=pkg_installed('cron'))
for path, slug, cis, pkg in [('/etc/cron.allow', 'cron_allow', '2.4.1.8', 'cron'), ('/etc/at.allow', 'at_allow', '2.4.2.1', 'at')]:
    fx = fix_action('file_mode', path=path, mode='0640', owner='root', group='root')
    rat = '%s decides who may schedule jobs; only root may change it.' % path
    flt = dict(filter=[C('exists', 'eq', 'true')], empty='pass')
    R('file_owner_' + slug, cis, 'Ensure %s is owned by root' % path, 'If %s exists it must belong to user root.' % path, rat,
      chk('file', {'path': path}, [C('uid', 'eq', '0')], **flt), fx)
    R('file_groupowner_' + slug, cis, 'Ensure %s is group-owned by root or crontab' % path,
      'If %s exists it must belong to group root (or crontab/daemon, the groups the Debian packages use).' % path, rat,
      chk('file', {'path': path}, [C('group', 'in', ['root', 'crontab', 'daemon'])], **flt), fx)
    R('file_permissions_' + slug, cis, 'Ensure permissions on %s are 0640 or stricter' % path,
      'If %s exists it must have mode 0640 or stricter.' % path, rat,
      chk('file', {'path': path}, [C('mode', 'mode_max', '0640')], **flt), fx)
R('file_at_allow_exists', '2.4.2.1', 'Ensure at is restricted to authorized users',
  'When at is installed, /etc/at.allow must exist.',
  'Without at.allow every user can schedule jobs with at.',
  chk('file', {'path': '/etc/at.allow'}, [C('exists', 'eq', 'true'), C('type', 'eq', 'file')]),
  fix_action('file_content', path='/etc/at.allow', content='root\n', mode='0640'),
  requires=pkg_installed('at'))

# ---------------------------------------------------------------- 3.1
R('wireless_disable_interfaces', '3.1.2', 'Ensure wireless interfaces are disabled',
  'No wireless network interface may be active.',
  'A wireless interface can bridge the host to networks outside the site\'s control.',
  manual='Run `ls /sys/class/net/*/wireless` on the running system; disable any wireless interface found (or blacklist its driver).',
  scope=['runtime'])
R('package_bluez_removed', '3.1.3', 'Ensure bluetooth services are not in use',
  'The bluez package must not be installed.',
  'Bluetooth exposes a radio attack surface a server does not need.',
  pkg_absent('bluez'), fix_action('package_remove', name='bluez'))
R('ipv6_status_identified', '3.1.1', 'Ensure IPv6 status is identified',
  'The site must decide whether the host uses IPv6.',
  'An unplanned IPv6 stack is often unfirewalled.',
  manual='Decide whether IPv6 is used; if not, disable it (ipv6.disable=1 or sysctl disable_ipv6) and document it.')

# ---------------------------------------------------------------- 3.3 network sysctls
NET = [
    ('net.ipv4.ip_forward', '0', '3.3.1', 'Ensure IPv4 forwarding is disabled', 'The host must not route IPv4 packets between interfaces.', 'A host that is not a router must not forward packets, which could bypass network controls.'),
    ('net.ipv6.conf.all.forwarding', '0', '3.3.1', 'Ensure IPv6 forwarding is disabled', 'The host must not route IPv6 packets between interfaces.', 'A host that is not a router must not forward packets, which could bypass network controls.'),
    ('net.ipv4.conf.all.send_redirects', '0', '3.3.2', 'Ensure packet redirect sending is disabled (all interfaces)', 'ICMP redirects must not be sent.', 'Only routers need to send redirects; a host that sends them can be used to corrupt routing tables.'),
    ('net.ipv4.conf.default.send_redirects', '0', '3.3.2', 'Ensure packet redirect sending is disabled (default)', 'ICMP redirects must not be sent by new interfaces.', 'Only routers need to send redirects.'),
    ('net.ipv4.icmp_ignore_bogus_error_responses', '1', '3.3.3', 'Ensure bogus ICMP responses are ignored', 'Bogus ICMP error responses must be ignored.', 'Ignoring them keeps the log free of noise an attacker could use to hide activity.'),
    ('net.ipv4.icmp_echo_ignore_broadcasts', '1', '3.3.4', 'Ensure broadcast ICMP requests are ignored', 'ICMP echo requests sent to broadcast addresses must be ignored.', 'Answering them makes the host an amplifier in Smurf attacks.'),
    ('net.ipv4.conf.all.accept_redirects', '0', '3.3.5', 'Ensure IPv4 ICMP redirects are not accepted (all interfaces)', 'ICMP redirects must not change the routing table.', 'Accepted redirects let an attacker reroute traffic through a host they control.'),
    ('net.ipv4.conf.default.accept_redirects', '0', '3.3.5', 'Ensure IPv4 ICMP redirects are not accepted (default)', 'New interfaces must not accept ICMP redirects.', 'Accepted redirects let an attacker reroute traffic.'),
    ('net.ipv6.conf.all.accept_redirects', '0', '3.3.5', 'Ensure IPv6 ICMP redirects are not accepted (all interfaces)', 'IPv6 ICMP redirects must not change the routing table.', 'Accepted redirects let an attacker reroute traffic.'),
    ('net.ipv6.conf.default.accept_redirects', '0', '3.3.5', 'Ensure IPv6 ICMP redirects are not accepted (default)', 'New interfaces must not accept IPv6 redirects.', 'Accepted redirects let an attacker reroute traffic.'),
    ('net.ipv4.conf.all.secure_redirects', '0', '3.3.6', 'Ensure secure ICMP redirects are not accepted (all interfaces)', 'Redirects from listed gateways must not be accepted either.', 'A compromised gateway could still reroute traffic.'),
    ('net.ipv4.conf.default.secure_redirects', '0', '3.3.6', 'Ensure secure ICMP redirects are not accepted (default)', 'New interfaces must not accept secure redirects.', 'A compromised gateway could still reroute traffic.'),
    ('net.ipv4.conf.all.rp_filter', '1', '3.3.7', 'Ensure reverse path filtering is enabled (all interfaces)', 'Strict reverse path filtering must be on.', 'Dropping packets whose source could not be routed back defeats address spoofing.'),
    ('net.ipv4.conf.default.rp_filter', '1', '3.3.7', 'Ensure reverse path filtering is enabled (default)', 'Strict reverse path filtering must be on for new interfaces.', 'Dropping packets whose source could not be routed back defeats address spoofing.'),
    ('net.ipv4.conf.all.accept_source_route', '0', '3.3.8', 'Ensure IPv4 source routed packets are not accepted (all interfaces)', 'Source-routed packets must be dropped.', 'Source routing lets a sender choose the path, bypassing network controls.'),
    ('net.ipv4.conf.default.accept_source_route', '0', '3.3.8', 'Ensure IPv4 source routed packets are not accepted (default)', 'Source-routed packets must be dropped on new interfaces.', 'Source routing lets a sender choose the path.'),
    ('net.ipv6.conf.all.accept_source_route', '0', '3.3.8', 'Ensure IPv6 source routed packets are not accepted (all interfaces)', 'IPv6 source-routed packets must be dropped.', 'Source routing lets a sender choose the path.'),
    ('net.ipv6.conf.default.accept_source_route', '0', '3.3.8', 'Ensure IPv6 source routed packets are not accepted (default)', 'IPv6 source-routed packets must be dropped on new interfaces.', 'Source routing lets a sender choose the path.'),
    ('net.ipv4.conf.all.log_martians', '1', '3.3.9', 'Ensure suspicious packets are logged (all interfaces)', 'Packets with impossible addresses must be logged.', 'Logged martians reveal spoofing attempts.'),
    ('net.ipv4.conf.default.log_martians', '1', '3.3.9', 'Ensure suspicious packets are logged (default)', 'Packets with impossible addresses must be logged on new interfaces.', 'Logged martians reveal spoofing attempts.'),
    ('net.ipv4.tcp_syncookies', '1', '3.3.10', 'Ensure TCP SYN cookies are enabled', 'TCP SYN cookies must be enabled.', 'SYN cookies keep the host reachable during a SYN flood.'),
    ('net.ipv6.conf.all.accept_ra', '0', '3.3.11', 'Ensure IPv6 router advertisements are not accepted (all interfaces)', 'IPv6 router advertisements must be ignored.', 'A rogue router advertisement can redirect all traffic.'),
    ('net.ipv6.conf.default.accept_ra', '0', '3.3.11', 'Ensure IPv6 router advertisements are not accepted (default)', 'New interfaces must ignore router advertisements.', 'A rogue router advertisement can redirect all traffic.'),
]
for key, val, cis, title, desc, rat in NET:
    sysctl_rule(key, val, cis, title, desc + ' (%s = %s)' % (key, val), rat)

# ---------------------------------------------------------------- 4 firewall
R('firewall_utility_installed', '4.1.1', 'Ensure a firewall configuration utility is installed',
  'One of ufw, nftables or iptables must be installed to manage the host firewall.',
  'Without a host firewall every listening service is reachable from the network.',
  {'any': [pkg_installed('ufw'), pkg_installed('nftables'), pkg_installed('iptables')]},
  fix_action('package_install', name='nftables'), ssg=False)
R('firewall_single_utility', '4.2.2', 'Ensure iptables-persistent is not installed with ufw',
  'ufw and a persistent iptables ruleset (iptables-persistent) must not be installed together.',
  'Two tools writing the same netfilter tables overwrite each other\'s rules.',
  {'not': {'all': [pkg_installed('ufw'), pkg_installed('iptables-persistent')]}},
  fix_action('package_remove', name='iptables-persistent'), ssg=False)
for rid, cis, title, text, ssgn in [
        ('firewall_outbound_configured', '4.3.7', 'Ensure firewall outbound and established connections are configured', 'Outbound and established connections must match the site\'s policy.', False),
        ('firewall_open_ports_ruled', '4.2.6', 'Ensure firewall rules exist for all open ports', 'Every listening port must be covered by an explicit firewall rule.', False)]:
    R(rid, cis, title, text, 'A host firewall only protects if its policy matches what the site intends; that policy is the site\'s decision.',
      manual='Inspect the active ruleset (`nft list ruleset`, `ufw status verbose` or `iptables -L -n`) against the site\'s firewall policy: ' + text,
      ssg=ssgn)

# CIS lets the site use ONE of ufw (4.2), nftables (4.3) or iptables (4.4):
# the sections of the other two are passed over.  The image says which:
# ufw when it is installed and neither nftables.service nor
# netfilter-persistent.service is enabled; else iptables when
# iptables-persistent is installed or netfilter-persistent.service is
# enabled (the iptables way of loading rules at boot); else nftables,
# Debian's default framework (and what rule 4.1.1's fix installs), so an
# image with no firewall at all fails the nftables rules.  Each section's
# rules require their firewall to be the one in use and judge the
# configuration the image boots with: /etc/ufw, /etc/default/ufw,
# /etc/nftables.conf (the nftables probe), /etc/iptables/rules.v4 and
# rules.v6 (iptables-save's line format: one rule a line, file_lines
# reads it as it is).  Fixes that turn a firewall on or write its policy
# are manual: a default-deny firewall without the site's allow rules cuts
# the VM off at its next boot.
UNIT_ON = [C('enabled', 'eq', 'true')]
NFT_ON = chk('systemd_unit', {'unit': 'nftables.service'}, UNIT_ON)
IPT_ON = chk('systemd_unit', {'unit': 'netfilter-persistent.service'}, UNIT_ON)
UFW_USED = {'all': [pkg_installed('ufw'), {'not': NFT_ON}, {'not': IPT_ON}]}
IPT_USED = {'all': [{'not': UFW_USED}, {'any': [pkg_installed('iptables-persistent'), IPT_ON]}]}
NFT_USED = {'all': [{'not': UFW_USED}, {'not': IPT_USED}]}
FW_WHY = 'A host firewall limits what the network can reach; it protects only with a policy that denies what no rule allows.'
UFW_MANUAL = ('Allow the site\'s management access first (`ufw allow OpenSSH`), then %s; '
              'a default-deny firewall without it cuts the VM off.')


def ufw_rule(id, cis, title, desc, check, fix, ssg, requires=UFW_USED):
    R(id, cis, title, desc, FW_WHY, check, fix, ssg=ssg, requires=requires)


def rules_lines(path, regex):
    return chk('file_lines', {'path': path, 'regex': regex}, [], quantifier='any')


ufw_rule('package_ufw_installed', '4.2.1', 'Ensure ufw is installed',
         'Where neither nftables nor iptables-persistent is installed (nor their services enabled), ufw must be installed.',
         pkg_installed('ufw'), fix_action('package_install', name='ufw'), 'package_ufw_installed',
         requires={'all': [pkg_absent('nftables'), pkg_absent('iptables-persistent'), {'not': NFT_ON}, {'not': IPT_ON}]})
ufw_rule('service_ufw_enabled', '4.2.3', 'Ensure ufw service is enabled',
         'Where ufw is the firewall in use, ufw.service must be enabled and /etc/ufw/ufw.conf must set ENABLED=yes (what `ufw enable` writes; without it ufw.service loads no rules).',
         {'all': [chk('systemd_unit', {'unit': 'ufw.service'}, UNIT_ON),
                  chk('shell_vars', {'path': '/etc/ufw/ufw.conf', 'key': 'ENABLED', 'default': 'no'}, [C('value', 'eq', 'yes', nocase=True)])]},
         {'manual': UFW_MANUAL % '`ufw enable`'}, 'service_ufw_enabled')
ufw_rule('set_ufw_loopback_traffic', '4.2.4', 'Ensure ufw loopback traffic is configured',
         'Where ufw is the firewall in use, its rules (/etc/ufw/*.rules) must accept input on lo and output to lo (ufw\'s before.rules does by default, `ufw allow in on lo` adds it), '
         'and deny input from 127.0.0.0/8 and ::1 on other interfaces (`ufw deny in from 127.0.0.0/8`, `ufw deny in from ::1`: user.rules, user6.rules).',
         {'all': [rules_lines('/etc/ufw/*.rules', '^-A ufw-(before|user)-input -i lo -j ACCEPT'),
                  rules_lines('/etc/ufw/*.rules', '^-A ufw-(before|user)-output -o lo -j ACCEPT'),
                  rules_lines('/etc/ufw/user.rules', '^-A ufw-user-input -s 127\\.0\\.0\\.0/8 -j (DROP|REJECT)'),
                  rules_lines('/etc/ufw/user6.rules', '^-A ufw6-user-input -s ::1(/128)? -j (DROP|REJECT)')]},
         {'manual': 'Run `ufw allow in on lo`, `ufw allow out on lo`, `ufw deny in from 127.0.0.0/8` and `ufw deny in from ::1`.'},
         'set_ufw_loopback_traffic')
ufw_rule('set_ufw_default_rule', '4.2.7', 'Ensure ufw default deny firewall policy',
         'Where ufw is the firewall in use, DEFAULT_INPUT_POLICY, DEFAULT_OUTPUT_POLICY and DEFAULT_FORWARD_POLICY in /etc/default/ufw must be DROP or REJECT (`ufw default deny incoming`, `outgoing`, `routed`).',
         {'all': [chk('shell_vars', {'path': '/etc/default/ufw', 'key': k}, [C('value', 'in', ['DROP', 'REJECT'], nocase=True)])
                  for k in ('DEFAULT_INPUT_POLICY', 'DEFAULT_OUTPUT_POLICY', 'DEFAULT_FORWARD_POLICY')]},
         {'manual': UFW_MANUAL % 'allow the outbound traffic the host needs and run `ufw default deny incoming`, `ufw default deny outgoing` and `ufw default deny routed`'},
         'set_ufw_default_rule')

NFT = 'the nftables ruleset nftables.service loads (/etc/nftables.conf and the files it includes)'
NFT_FIX = 'Write the ruleset to /etc/nftables.conf (or a file it includes): %s.'


def nft_chain(hook, expect=None):
    """Some base chain of the filter type on hook (with expect)."""
    return chk('nftables', {}, [C('type', 'eq', 'filter'), C('hook', 'eq', hook)] + (expect or []), quantifier='any')


def nft_rule(id, cis, title, desc, check, fix, requires=NFT_USED):
    R(id, cis, title, desc, FW_WHY, check, fix if 'action' in fix else {'manual': NFT_FIX % fix['manual']},
      ssg=id, requires=requires)


nft_rule('package_nftables_installed', '4.3.1', 'Ensure nftables is installed',
         'Where nftables is the firewall in use (neither ufw nor iptables-persistent is), the nftables package must be installed.',
         pkg_installed('nftables'), fix_action('package_install', name='nftables'))
nft_rule('package_ufw_removed', '4.3.2', 'Ensure ufw is uninstalled or disabled with nftables',
         'Where nftables is the firewall in use, ufw must not be installed, or ufw.service must not be enabled.',
         {'any': [pkg_absent('ufw'), chk('systemd_unit', {'unit': 'ufw.service'}, [C('enabled', 'eq', 'false')])]},
         fix_action('unit_disable', unit='ufw.service'))
nft_rule('set_nftables_table', '4.3.4', 'Ensure a nftables table exists',
         'Where nftables is the firewall in use, %s must define a table.' % NFT,
         chk('nftables', {}, [C('table', 'ne', '')], quantifier='any'),
         {'manual': 'a table such as `table inet filter { ... }`'})
nft_rule('set_nftables_base_chain', '4.3.5', 'Ensure nftables base chains exist',
         'Where nftables is the firewall in use, %s must have filter base chains on the input, forward and output hooks.' % NFT,
         {'all': [nft_chain(h) for h in ('input', 'forward', 'output')]},
         {'manual': 'chains with `type filter hook input priority filter;` (and forward, output)'})
nft_rule('set_nftables_loopback_traffic', '4.3.6', 'Ensure nftables loopback traffic is configured',
         'Where nftables is the firewall in use, an input base chain of %s must accept traffic on lo (`iif lo accept`) and drop traffic claiming 127.0.0.0/8 or ::1 (`ip saddr 127.0.0.0/8 drop`, `ip6 saddr ::1 drop`).' % NFT,
         nft_chain('input', [C('rules', 'match', '(^|; )iif(name)? lo( [^;]*)? accept(;|$)'),
                             C('rules', 'match', '(^|; )ip saddr 127\\.0\\.0\\.0/8( [^;]*)? drop(;|$)'),
                             C('rules', 'match', '(^|; )ip6 saddr ::1(/128)?( [^;]*)? drop(;|$)')]),
         {'manual': '`iif lo accept`, `ip saddr 127.0.0.0/8 counter drop` and `ip6 saddr ::1 counter drop` in the input chain'})
nft_rule('nftables_ensure_default_deny_policy', '4.3.8', 'Ensure nftables default deny firewall policy',
         'Where nftables is the firewall in use, %s must have filter base chains on the input, forward and output hooks with policy drop.' % NFT,
         {'all': [nft_chain(h, [C('policy', 'eq', 'drop')]) for h in ('input', 'forward', 'output')]},
         {'manual': '`policy drop;` in the input, forward and output base chains, after the rules that allow what the host needs'})
nft_rule('service_nftables_enabled', '4.3.9', 'Ensure nftables service is enabled',
         'Where nftables is the firewall in use, nftables.service must be enabled (it loads /etc/nftables.conf at boot).',
         chk('systemd_unit', {'unit': 'nftables.service'}, UNIT_ON),
         {'manual': 'check that /etc/nftables.conf allows the site\'s management access, then run `systemctl enable nftables`'})
nft_rule('nftables_rules_permanent', '4.3.10', 'Ensure nftables rules are permanent',
         'Where nftables is the firewall in use, /etc/nftables.conf must be a regular file owned by root and not writable by others, and it (with the files it includes) must hold the input, forward and output base chains, so the ruleset survives a reboot.',
         {'all': [chk('file', {'path': '/etc/nftables.conf'}, [C('type', 'eq', 'file'), C('uid', 'eq', '0'), C('mode', 'mode_max', '0755')])]
          + [nft_chain(h) for h in ('input', 'forward', 'output')]},
         {'manual': 'the live ruleset (`nft list ruleset > /etc/nftables.conf`)'})

RULES4, RULES6 = '/etc/iptables/rules.v4', '/etc/iptables/rules.v6'


def ipt_rule(id, cis, title, desc, check, fix, ssg):
    R(id, cis, title, desc, FW_WHY, check, fix, ssg=ssg, requires=IPT_USED)


def policies(path):
    return {'all': [rules_lines(path, '^:%s (DROP|REJECT) ' % c) for c in ('INPUT', 'FORWARD', 'OUTPUT')]}


ipt_rule('package_iptables_installed', '4.4.1.1', 'Ensure iptables packages are installed',
         'Where iptables is the firewall in use (iptables-persistent installed or netfilter-persistent.service enabled, ufw not in use), iptables and iptables-persistent must be installed.',
         {'all': [pkg_installed('iptables'), pkg_installed('iptables-persistent')]},
         fix_action('package_install', name='iptables-persistent'), 'package_iptables_installed')
ipt_rule('service_nftables_disabled', '4.4.1.2', 'Ensure nftables is not in use with iptables',
         'Where iptables is the firewall in use, nftables.service must not be enabled (its ruleset would replace the iptables rules at boot).',
         {'not': NFT_ON}, fix_action('unit_disable', unit='nftables.service'), 'service_nftables_disabled')
ipt_rule('ufw_disabled_with_iptables', '4.4.1.3', 'Ensure ufw is not in use with iptables',
         'Where iptables is the firewall in use, ufw must not be installed, or ufw.service must not be enabled.',
         {'any': [pkg_absent('ufw'), chk('systemd_unit', {'unit': 'ufw.service'}, [C('enabled', 'eq', 'false')])]},
         fix_action('unit_disable', unit='ufw.service'), False)
for v, path, lo_src, cis, ids in [('iptables', RULES4, '127\\.0\\.0\\.0/8', '4.4.2', ('set_iptables_default_rule', 'set_loopback_traffic')),
                                  ('ip6tables', RULES6, '::1(/128)?', '4.4.3', ('set_ip6tables_default_rule', 'set_ipv6_loopback_traffic'))]:
    ipt_rule(ids[0], cis + '.1', 'Ensure %s default deny firewall policy' % v,
             'Where iptables is the firewall in use, %s (what netfilter-persistent loads at boot, iptables-save\'s format) must set the INPUT, FORWARD and OUTPUT policies to DROP.' % path,
             policies(path), {'manual': 'Allow what the host needs (management access first), set `%s -P INPUT DROP` (and FORWARD, OUTPUT), then `netfilter-persistent save`.' % v},
             ids[0])
    ipt_rule(ids[1], cis + '.2', 'Ensure %s loopback traffic is configured' % v,
             'Where iptables is the firewall in use, %s must accept INPUT on lo and OUTPUT to lo and drop INPUT from %s.' % (path, lo_src.replace('\\', '').replace('(/128)?', '')),
             {'all': [rules_lines(path, '^-A INPUT -i lo -j ACCEPT'), rules_lines(path, '^-A OUTPUT -o lo -j ACCEPT'),
                      rules_lines(path, '^-A INPUT -s %s -j (DROP|REJECT)' % lo_src)]},
             {'manual': 'Run `%s -A INPUT -i lo -j ACCEPT`, `%s -A OUTPUT -o lo -j ACCEPT`, `%s -A INPUT -s %s -j DROP`, then `netfilter-persistent save`.'
              % (v, v, v, '127.0.0.0/8' if v == 'iptables' else '::1')},
             ids[1])

# ---------------------------------------------------------------- 5.1 SSH
SSHREQ = pkg_installed('openssh-server')
SSHCFG = '/etc/ssh/sshd_config'
for what, field, val, fid in [('owner', 'uid', '0', 'file_owner_sshd_config'), ('group', 'gid', '0', 'file_groupowner_sshd_config')]:
    R(fid, '5.1.1', 'Ensure /etc/ssh/sshd_config and its drop-ins are %s by root' % ('owned' if what == 'owner' else 'group-owned'),
      '/etc/ssh/sshd_config and /etc/ssh/sshd_config.d/*.conf must belong to %s root.' % ('user' if what == 'owner' else 'group'),
      'The SSH server configuration decides who may log in; only root may change it.',
      chk('file', {'path': '/etc/ssh/sshd_config*'}, [C(field, 'eq', val)], filter=[C('type', 'eq', 'file')]),
      fix_action('file_mode', path='/etc/ssh/sshd_config', mode='0600', owner='root', group='root'), requires=SSHREQ)
R('file_permissions_sshd_config', '5.1.1', 'Ensure permissions on /etc/ssh/sshd_config are 0600 or stricter',
  '/etc/ssh/sshd_config and its drop-ins must have mode 0600 or stricter.',
  'The SSH server configuration can reveal the access policy and must not be changed by others.',
  {'all': [chk('file', {'path': '/etc/ssh/sshd_config'}, [C('exists', 'eq', 'true'), C('mode', 'mode_max', '0600')]),
           chk('file', {'path': '/etc/ssh/sshd_config.d/*.conf'}, [C('mode', 'mode_max', '0600')], filter=[C('exists', 'eq', 'true')], empty='pass')]},
  fix_action('file_mode', path='/etc/ssh/sshd_config', mode='0600', owner='root', group='root'), requires=SSHREQ)
R('file_permissions_sshd_private_key', '5.1.2', 'Ensure permissions on SSH private host key files are configured',
  'Every /etc/ssh/ssh_host_*_key must be owned by root with mode 0600 (or 0640 when group-owned by ssh_keys).',
  'Whoever reads a host private key can impersonate the server.',
  chk('file', {'path': '/etc/ssh/ssh_host_*_key'}, [C('uid', 'eq', '0'), C('mode', 'mode_max', '0600')], filter=[C('exists', 'eq', 'true'), C('type', 'eq', 'file')], empty='pass'),
  fix_action('file_mode', path='/etc/ssh/ssh_host_*_key', mode='0600', owner='root', group='root'), requires=SSHREQ)
R('file_permissions_sshd_pub_key', '5.1.3', 'Ensure permissions on SSH public host key files are configured',
  'Every /etc/ssh/ssh_host_*_key.pub must be owned by root with mode 0644 or stricter.',
  'A replaced public host key breaks host authentication for clients.',
  chk('file', {'path': '/etc/ssh/ssh_host_*_key.pub'}, [C('uid', 'eq', '0'), C('mode', 'mode_max', '0644')], filter=[C('exists', 'eq', 'true'), C('type', 'eq', 'file')], empty='pass'),
  fix_action('file_mode', path='/etc/ssh/ssh_host_*_key.pub', mode='0644', owner='root', group='root'), requires=SSHREQ)


def sshd(rid, cis, key, title, desc, rat, expect, default=None, fixval=None, ssg=None, sev=None, scope_all=False):
    params = {'key': key}
    if default is not None:
        params['default'] = default
    if scope_all:
        params['scope'] = 'all'
    R(rid, cis, title, desc, rat, chk('sshd_config', params, expect),
      fix_action('sshd_set', key=key, value=fixval) if fixval else {'manual': 'Set %s in /etc/ssh/sshd_config as described.' % key},
      requires=SSHREQ, ssg=ssg, sev=sev)


R('sshd_limit_user_access', '5.1.4', 'Ensure sshd access is configured',
  'sshd_config must restrict who may log in with AllowUsers, AllowGroups, DenyUsers or DenyGroups.',
  'Restricting SSH to named users or groups limits what a stolen password is good for.',
  {'any': [chk('sshd_config', {'key': k}, [C('value', 'match', '[^[:space:]]')]) for k in ('AllowUsers', 'AllowGroups', 'DenyUsers', 'DenyGroups')]},
  {'manual': 'Add AllowGroups (or AllowUsers/DenyUsers/DenyGroups) naming the site\'s SSH users to /etc/ssh/sshd_config.'},
  requires=SSHREQ, ssg=False)
sshd('sshd_enable_warning_banner_net', '5.1.5', 'Banner', 'Ensure sshd Banner is configured',
     'sshd must show a banner file (Banner set to a path, not none).',
     'A warning banner states that access is monitored, which matters for prosecution.',
     [C('value', 'ne', 'none', nocase=True)], default='none', fixval='/etc/issue.net',
     ssg='sshd_enable_warning_banner_net')
WEAK_CIPHERS = '(^|,)(3des-cbc|aes128-cbc|aes192-cbc|aes256-cbc|arcfour|arcfour128|arcfour256|blowfish-cbc|cast128-cbc|rijndael-cbc@lysator\\.liu\\.se|chacha20-poly1305@openssh\\.com)(,|$)'
sshd('sshd_use_approved_ciphers', '5.1.6', 'Ciphers', 'Ensure sshd Ciphers are configured',
     'Ciphers must be set explicitly and must not list CBC, arcfour, 3DES, blowfish, CAST or chacha20-poly1305 (Terrapin, CVE-2023-48795).',
     'Weak ciphers allow traffic to be decrypted or tampered with.',
     [C('value', 'not_match', WEAK_CIPHERS, nocase=True)], fixval='aes256-gcm@openssh.com,aes128-gcm@openssh.com,aes256-ctr,aes192-ctr,aes128-ctr',
     ssg='sshd_use_approved_ciphers')
sshd('sshd_set_idle_timeout', '5.1.7', 'ClientAliveInterval', 'Ensure sshd ClientAliveInterval is configured',
     'ClientAliveInterval must be between 1 and 300 seconds so that dead or idle sessions are noticed.',
     'Unattended sessions can be taken over; a keep-alive interval lets sshd end them.',
     [C('value', 'ge', 1), C('value', 'le', 300)], default='0', fixval='300')
sshd('sshd_set_keepalive', '5.1.7', 'ClientAliveCountMax', 'Ensure sshd ClientAliveCountMax is configured',
     'ClientAliveCountMax must be between 1 and 3.',
     'Together with ClientAliveInterval it bounds how long an unresponsive session lives.',
     [C('value', 'ge', 1), C('value', 'le', 3)], default='3', fixval='3')
sshd('disable_host_auth', '5.1.10', 'HostbasedAuthentication', 'Ensure sshd HostbasedAuthentication is disabled',
     'HostbasedAuthentication must be no.', 'Host-based trust lets a compromised client host log in without a user credential.',
     [C('value', 'eq', 'no', nocase=True)], default='no', fixval='no')
sshd('sshd_disable_rhosts', '5.1.11', 'IgnoreRhosts', 'Ensure sshd IgnoreRhosts is enabled',
     'IgnoreRhosts must be yes.', '.rhosts and .shosts files implement the weak trust model of rsh.',
     [C('value', 'eq', 'yes', nocase=True)], default='yes', fixval='yes')
WEAK_KEX = '(^|,)(diffie-hellman-group1-sha1|diffie-hellman-group14-sha1|diffie-hellman-group-exchange-sha1)(,|$)'
sshd('sshd_use_strong_kex', '5.1.12', 'KexAlgorithms', 'Ensure sshd KexAlgorithms is configured',
     'KexAlgorithms must not offer SHA-1 based Diffie-Hellman exchanges.',
     'Weak key exchanges let an attacker recover session keys.',
     [C('value', 'not_match', WEAK_KEX, nocase=True)], default='sntrup761x25519-sha512@openssh.com,curve25519-sha256,curve25519-sha256@libssh.org,ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,diffie-hellman-group-exchange-sha256,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,diffie-hellman-group14-sha256',
     fixval='curve25519-sha256,curve25519-sha256@libssh.org,diffie-hellman-group16-sha512,diffie-hellman-group18-sha512,ecdh-sha2-nistp521,ecdh-sha2-nistp384,ecdh-sha2-nistp256,diffie-hellman-group-exchange-sha256',
     ssg=False)
sshd('sshd_set_login_grace_time', '5.1.13', 'LoginGraceTime', 'Ensure sshd LoginGraceTime is configured',
     'LoginGraceTime must be between 1 and 60 seconds.',
     'A long grace time lets unauthenticated connections tie up the server.',
     [C('value', 'ge', 1), C('value', 'le', 60)], default='120', fixval='60',
     ssg='sshd_set_login_grace_time')
sshd('sshd_set_loglevel_info', '5.1.14', 'LogLevel', 'Ensure sshd LogLevel is configured',
     'LogLevel must be INFO or VERBOSE.', 'Logins and key fingerprints must be logged for later investigation.',
     [C('value', 'in', ['INFO', 'VERBOSE'], nocase=True)], default='INFO', fixval='VERBOSE')
WEAK_MACS = '(^|,)(hmac-md5|hmac-md5-96|hmac-ripemd160|hmac-sha1|hmac-sha1-96|umac-64@openssh\\.com|hmac-md5-etm@openssh\\.com|hmac-md5-96-etm@openssh\\.com|hmac-ripemd160-etm@openssh\\.com|hmac-sha1-etm@openssh\\.com|hmac-sha1-96-etm@openssh\\.com|umac-64-etm@openssh\\.com)(,|$)'
sshd('sshd_use_approved_macs', '5.1.15', 'MACs', 'Ensure sshd MACs are configured',
     'MACs must be set explicitly and must not list MD5, RIPEMD-160, SHA-1 or 64-bit UMAC based algorithms.',
     'Weak MACs let traffic be tampered with.',
     [C('value', 'not_match', WEAK_MACS, nocase=True)], fixval='hmac-sha2-512-etm@openssh.com,hmac-sha2-256-etm@openssh.com,hmac-sha2-512,hmac-sha2-256',
     ssg='sshd_use_approved_macs')
sshd('sshd_set_max_auth_tries', '5.1.16', 'MaxAuthTries', 'Ensure sshd MaxAuthTries is configured',
     'MaxAuthTries must be 4 or less.', 'Few attempts per connection slow down password guessing.',
     [C('value', 'ge', 1), C('value', 'le', 4)], default='6', fixval='4')
sshd('sshd_set_max_sessions', '5.1.17', 'MaxSessions', 'Ensure sshd MaxSessions is configured',
     'MaxSessions must be 10 or less (0, which allows no sessions at all, counts).', 'Bounding sessions per connection limits resource exhaustion.',
     [C('value', 'ge', 0), C('value', 'le', 10)], default='10', fixval='10')
sshd('sshd_set_maxstartups', '5.1.18', 'MaxStartups', 'Ensure sshd MaxStartups is configured',
     'MaxStartups start:rate:full must be 10:30:60 or stricter: start at most 10, drop rate at least 30 (percent), full at most 60 (5:60:30 passes, 10:29:60 fails); a single number N means N:100:N (sshd refuses every connection past N), so 10 or less passes. '
     'This departs from the CIS audit text, which fails a rate above 30: a higher rate drops more unauthenticated connections, which is stricter, as SSG\'s test scenarios also read it.',
     'Limiting concurrent unauthenticated connections protects against connection floods.',
     [C('value', 'match', '^(0*([1-9]|10):0*(3[0-9]|[4-9][0-9]|100):0*([1-9]|[1-5][0-9]|60)|0*([1-9]|10))$')], default='10:30:100', fixval='10:30:60',
     ssg='sshd_set_maxstartups')
sshd('sshd_disable_empty_passwords', '5.1.19', 'PermitEmptyPasswords', 'Ensure sshd PermitEmptyPasswords is disabled',
     'PermitEmptyPasswords must be no.', 'An account with an empty password would be open to anyone.',
     [C('value', 'eq', 'no', nocase=True)], default='no', fixval='no')
sshd('sshd_disable_root_login', '5.1.20', 'PermitRootLogin', 'Ensure sshd PermitRootLogin is disabled',
     'PermitRootLogin must be no, in the global section and in every Match block.',
     'Administrators must log in as themselves so that actions are attributable; direct root login is the first target of guessing.',
     [C('value', 'eq', 'no', nocase=True)], default='prohibit-password', fixval='no', scope_all=True)
sshd('sshd_do_not_permit_user_env', '5.1.21', 'PermitUserEnvironment', 'Ensure sshd PermitUserEnvironment is disabled',
     'PermitUserEnvironment must be no.', 'User-set environment variables such as LD_PRELOAD can bypass restrictions.',
     [C('value', 'eq', 'no', nocase=True)], default='no', fixval='no')
sshd('sshd_enable_pam', '5.1.22', 'UsePAM', 'Ensure sshd UsePAM is enabled',
     'UsePAM must be yes.', 'PAM applies account locking, password aging and session limits to SSH logins.',
     [C('value', 'eq', 'yes', nocase=True)], default='no', fixval='yes', ssg=False)

# ---------------------------------------------------------------- 5.2 sudo
SUDOREQ = pkg_installed('sudo')
R('package_sudo_installed', '5.2.1', 'Ensure sudo is installed', 'The sudo package must be installed.',
  'sudo lets administrators act as root with their own credentials and leaves an audit trail.',
  pkg_installed('sudo'), fix_action('package_install', name='sudo'))
R('sudo_add_use_pty', '5.2.2', 'Ensure sudo commands use pty',
  'A Defaults line must set use_pty, and none may negate it.',
  'Without a pseudo-terminal a command run with sudo can keep a background process that reads the user\'s terminal.',
  {'all': [chk('sudoers', {'key': 'use_pty'}, [C('value', 'eq', 'true'), C('scope', 'eq', '')], quantifier='any'),
           chk('sudoers', {'key': 'use_pty'}, [C('value', 'eq', 'false')], quantifier='none')]},
  fix_action('sudoers_defaults', key='use_pty'), requires=SUDOREQ)
R('sudo_custom_logfile', '5.2.3', 'Ensure sudo log file exists',
  'A Defaults line must set logfile to a path.', 'A dedicated sudo log makes privileged actions easy to review.',
  chk('sudoers', {'key': 'logfile'}, [C('value', 'match', '^"?/')], quantifier='any'),
  fix_action('sudoers_defaults', key='logfile', value='/var/log/sudo.log'), requires=SUDOREQ)
R('sudo_remove_no_authenticate', '5.2.5', 'Ensure re-authentication for privilege escalation is not disabled globally',
  'No Defaults line may set !authenticate.', 'Without authentication, anyone at a user\'s session becomes root.',
  chk('sudoers', {'key': 'authenticate'}, [C('value', 'eq', 'false')], quantifier='none'),
  fix_action('line_absent', path='/etc/sudoers', regex='^[[:space:]]*Defaults.*!authenticate'), requires=SUDOREQ)
R('sudo_timestamp_timeout', '5.2.6', 'Ensure sudo authentication timeout is configured correctly',
  'timestamp_timeout, when set, must be between 0 and 15 minutes (the default is 15).',
  'A long cached credential lets anyone at an unattended session run commands as root.',
  chk('sudoers', {'key': 'timestamp_timeout'}, [C('value', 'ge', 0), C('value', 'le', 15)], empty='pass'),
  fix_action('sudoers_defaults', key='timestamp_timeout', value='15'), requires=SUDOREQ,
  ssg=False)
R('use_pam_wheel_for_su', '5.2.7', 'Ensure access to the su command is restricted',
  '/etc/pam.d/su must require pam_wheel.so with use_uid and a group, so that only members of that group can use su.',
  'Restricting su to a named (empty) group forces administrators through sudo, which logs them.',
  chk('file_lines', {'path': '/etc/pam.d/su', 'regex': '^[[:space:]]*auth[[:space:]]+(required|requisite)[[:space:]]+pam_wheel\\.so([[:space:]].*)?[[:space:]]use_uid([[:space:]]|$)'},
      [C('line', 'exists')], quantifier='any'),
  fix_action('pam_module_arg', service='su', type='auth', module='pam_wheel.so', arg='use_uid'))

# ---------------------------------------------------------------- 5.3 PAM
# (Whether they are the latest versions is judged with the other pending
# updates, 1.2.2.1.)
rules.extend(derive.pkg_installed(n, c, t, 'A current PAM is the base of every log-in check the host makes.', ssg=s)
             for n, c, t, s in [('libpam-runtime', '5.3.1.1', 'Ensure latest version of pam is installed', 'package_pam_runtime_installed'),
                                ('libpam-modules', '5.3.1.2', 'Ensure libpam-modules is installed', 'package_pam_modules_installed')])
R('package_pam_pwquality_installed', '5.3.1.3', 'Ensure libpam-pwquality is installed',
  'The libpam-pwquality package must be installed.', 'pam_pwquality enforces password strength.',
  pkg_installed('libpam-pwquality'), fix_action('package_install', name='libpam-pwquality'),
  ssg='package_pam_pwquality_installed')


def pam_line(service, typ, module, extra=''):
    return chk('file_lines', {'path': '/etc/pam.d/' + service,
                              'regex': '^[[:space:]]*%s[[:space:]]+[^[:space:]].*[[:space:]]%s\\.so%s' % (typ, module, extra)},
               [C('line', 'exists')], quantifier='any')


R('pam_unix_enabled', '5.3.2.1', 'Ensure pam_unix module is enabled',
  'pam_unix.so must appear in the auth, account, password and session stacks (common-auth, common-account, common-password, common-session).',
  'pam_unix is the module that checks local passwords; a stack without it fails open or closed unexpectedly.',
  {'all': [pam_line('common-auth', 'auth', 'pam_unix'), pam_line('common-account', 'account', 'pam_unix'),
           pam_line('common-password', 'password', 'pam_unix'), pam_line('common-session', 'session', 'pam_unix')]},
  {'manual': 'Run pam-auth-update --enable unix.'}, ssg=False)
R('pam_faillock_enabled', '5.3.2.2', 'Ensure pam_faillock module is enabled',
  'pam_faillock.so must appear in common-auth (preauth and authfail) and common-account.',
  'Locking accounts after repeated failures stops online password guessing.',
  {'all': [pam_line('common-auth', 'auth', 'pam_faillock', '([[:space:]].*)?[[:space:]]preauth'),
           pam_line('common-auth', 'auth', 'pam_faillock', '([[:space:]].*)?[[:space:]]authfail'),
           pam_line('common-account', 'account', 'pam_faillock')]},
  {'manual': 'Create pam-auth-update profiles for pam_faillock (preauth, authfail, account) and run pam-auth-update.'},
  ssg=False)
R('pam_pwquality_enabled', '5.3.2.3', 'Ensure pam_pwquality module is enabled',
  'pam_pwquality.so must appear in the password stack (common-password).',
  'Without it, password strength settings are never applied.',
  pam_line('common-password', 'password', 'pam_pwquality'),
  {'manual': 'Install libpam-pwquality and run pam-auth-update --enable pwquality.'}, ssg=False)
R('pam_pwhistory_enabled', '5.3.2.4', 'Ensure pam_pwhistory module is enabled',
  'pam_pwhistory.so must appear in the password stack (common-password).',
  'Without it users can cycle back to an old password.',
  pam_line('common-password', 'password', 'pam_pwhistory'),
  {'manual': 'Create a pam-auth-update profile for pam_pwhistory and run pam-auth-update.'}, ssg=False)

# faillock
R('accounts_passwords_pam_faillock_deny', '5.3.3.1.1', 'Ensure password failed attempts lockout is configured',
  'deny in /etc/security/faillock.conf must be between 1 and 5 (the default is 3).',
  'Locking after a few failures stops online password guessing.',
  chk('faillock', {'key': 'deny', 'default': '3'}, [C('value', 'ge', 1), C('value', 'le', 5)]),
  fix_action('faillock_set', key='deny', value='5'),
  ssg=False)
R('accounts_passwords_pam_faillock_unlock_time', '5.3.3.1.2', 'Ensure password unlock time is configured',
  'unlock_time in /etc/security/faillock.conf must be 0 (never) or at least 900 seconds (the default is 600).',
  'A short unlock time lets guessing resume quickly.',
  {'any': [chk('faillock', {'key': 'unlock_time', 'default': '600'}, [C('value', 'eq', '0')]),
           chk('faillock', {'key': 'unlock_time', 'default': '600'}, [C('value', 'ge', 900)])]},
  fix_action('faillock_set', key='unlock_time', value='900'),
  ssg=False)

# pwquality
PWQ = [
    ('accounts_password_pam_difok', '5.3.3.2.1', 'difok', '1', 'Ensure password number of changed characters is configured', 'difok must be 2 or more.', 'A new password that differs in one character from the old one is guessable.', [C('value', 'ge', 2)], '2'),
    ('accounts_password_pam_minlen', '5.3.3.2.2', 'minlen', '8', 'Ensure minimum password length is configured', 'minlen must be 14 or more.', 'Length is the strongest defence against guessing and cracking.', [C('value', 'ge', 14)], '14'),
    ('accounts_password_pam_minclass', '5.3.3.2.3', 'minclass', '0', 'Ensure password complexity is configured', 'minclass must be 4 (or at least 1 if dcredit, ucredit, lcredit and ocredit are all negative) so that passwords mix character classes; this rule checks minclass >= 4.', 'Mixed character classes enlarge the search space of a password.', [C('value', 'ge', 4)], '4'),
    ('accounts_password_pam_maxrepeat', '5.3.3.2.4', 'maxrepeat', '0', 'Ensure password same consecutive characters is configured', 'maxrepeat must be between 1 and 3.', 'Runs of the same character make passwords guessable.', [C('value', 'ge', 1), C('value', 'le', 3)], '3'),
    ('accounts_password_pam_maxsequence', '5.3.3.2.5', 'maxsequence', '0', 'Ensure password maximum sequential characters is configured', 'maxsequence must be between 1 and 3.', 'Sequences such as 12345 or abcde are tried first by crackers.', [C('value', 'ge', 1), C('value', 'le', 3)], '3'),
    ('accounts_password_pam_dictcheck', '5.3.3.2.6', 'dictcheck', '1', 'Ensure password dictionary check is enabled', 'dictcheck must not be 0.', 'Dictionary words are cracked first.', [C('value', 'ne', '0')], '1'),
    ('accounts_password_pam_enforcing', '5.3.3.2.7', 'enforcing', '1', 'Ensure password quality checking is enforced', 'enforcing must not be 0 (which only warns).', 'A check that only warns does not stop weak passwords.', [C('value', 'ne', '0')], '1'),
]
for rid, cis, key, dflt, title, desc, rat, exp, fv in PWQ:
    R(rid, cis, title, desc + ' (/etc/security/pwquality.conf and pwquality.conf.d; default %s)' % dflt, rat,
      chk('pwquality', {'key': key, 'default': dflt}, exp), fix_action('pwquality_set', key=key, value=fv))
for rid, cis, key, dflt, title, desc, rat, exp, fv in [
        ('accounts_password_pam_dcredit', '5.3.3.2.3', 'dcredit', '0', 'Ensure passwords require a digit', 'dcredit must be -1 or less (at least one digit).', 'Requiring a digit enlarges the search space.', [C('value', 'le', -1)], '-1'),
        ('accounts_password_pam_ucredit', '5.3.3.2.3', 'ucredit', '0', 'Ensure passwords require an upper-case letter', 'ucredit must be -1 or less.', 'Requiring an upper-case letter enlarges the search space.', [C('value', 'le', -1)], '-1'),
        ('accounts_password_pam_lcredit', '5.3.3.2.3', 'lcredit', '0', 'Ensure passwords require a lower-case letter', 'lcredit must be -1 or less.', 'Requiring a lower-case letter enlarges the search space.', [C('value', 'le', -1)], '-1'),
        ('accounts_password_pam_ocredit', '5.3.3.2.3', 'ocredit', '0', 'Ensure passwords require a special character', 'ocredit must be -1 or less.', 'Requiring a special character enlarges the search space.', [C('value', 'le', -1)], '-1'),
        ('accounts_password_pam_retry', '5.3.3.2.3', 'retry', None, 'Ensure password retries per session are limited', 'retry must be set explicitly to between 1 and 3 (pam_pwquality\'s built-in 1 does not count: the setting must be stated).', 'Bounding retries slows interactive guessing.', [C('value', 'ge', 1), C('value', 'le', 3)], '3')]:
    R(rid, cis, title, desc + (' (/etc/security/pwquality.conf and pwquality.conf.d; default %s)' % dflt if dflt else ' (/etc/security/pwquality.conf and pwquality.conf.d)'), rat,
      chk('pwquality', {'key': key, 'default': dflt} if dflt else {'key': key}, exp), fix_action('pwquality_set', key=key, value=fv))
R('accounts_password_pam_enforce_root', '5.3.3.2.8', 'Ensure password quality is enforced for the root user',
  'enforce_for_root must be set in pwquality.conf or pwquality.conf.d.',
  'Without it root can set itself a weak password.',
  chk('pwquality', {'key': 'enforce_for_root'}, [C('value', 'in', ['true', ''])]),
  fix_action('pwquality_set', key='enforce_for_root', value='true'),
  ssg=False)

# pwhistory
R('accounts_password_pam_pwhistory_remember', '5.3.3.3.1', 'Ensure password history remember is configured',
  'remember in /etc/security/pwhistory.conf must be 24 or more (or pam_pwhistory.so remember=24 in common-password).',
  'Users must not cycle back to recently used passwords.',
  {'any': [chk('pwhistory', {'key': 'remember', 'default': '10'}, [C('value', 'ge', 24)]),
           chk('file_lines', {'path': '/etc/pam.d/common-password', 'regex': '^[[:space:]]*password[[:space:]].*pam_pwhistory\\.so.*[[:space:]]remember=([0-9]+)'},
               [C('1', 'ge', 24)], quantifier='any')]},
  fix_action('pwhistory_set', key='remember', value='24'))
R('accounts_password_pam_pwhistory_enforce_root', '5.3.3.3.2', 'Ensure password history is enforced for the root user',
  'enforce_for_root must be set in /etc/security/pwhistory.conf or on the pam_pwhistory.so line.',
  'Root must not reuse its own old passwords either.',
  {'any': [chk('pwhistory', {'key': 'enforce_for_root'}, [C('value', 'in', ['true', ''])]),
           chk('file_lines', {'path': '/etc/pam.d/common-password', 'regex': '^[[:space:]]*password[[:space:]].*pam_pwhistory\\.so.*[[:space:]]enforce_for_root([[:space:]]|$)'},
               [C('line', 'exists')], quantifier='any')]},
  fix_action('pwhistory_set', key='enforce_for_root', value='true'), ssg=False)
R('accounts_password_pam_pwhistory_use_authtok', '5.3.3.3.3', 'Ensure pam_pwhistory includes use_authtok',
  'The pam_pwhistory.so line of common-password must carry use_authtok.',
  'use_authtok makes pam_pwhistory check the password already accepted by pam_pwquality instead of prompting again.',
  pam_line('common-password', 'password', 'pam_pwhistory', '([[:space:]].*)?[[:space:]]use_authtok([[:space:]]|$)'),
  fix_action('pam_module_arg', service='common-password', type='password', module='pam_pwhistory.so', arg='use_authtok'), ssg=False)

# pam_unix arguments
R('no_empty_passwords', '5.3.3.4.1', 'Ensure pam_unix does not include nullok',
  'No pam_unix.so line in /etc/pam.d/common-* may carry nullok.',
  'nullok lets accounts with an empty password log in.',
  chk('file_lines', {'path': '/etc/pam.d/common-*',
                     'regex': '^[[:space:]]*[a-z-]+[[:space:]].*pam_unix\\.so.*[[:space:]]nullok([[:space:]]|$)'},
      [], quantifier='none'),
  fix_action('pam_module_arg_absent', service='common-*', module='pam_unix.so', arg='nullok'))
R('pam_unix_no_remember', '5.3.3.4.2', 'Ensure pam_unix does not include remember',
  'No pam_unix.so line may carry remember= (history belongs to pam_pwhistory).',
  'pam_unix history is stored in a weaker format; pam_pwhistory replaces it.',
  chk('file_lines', {'path': '/etc/pam.d/common-*', 'regex': '^[[:space:]]*[a-z-]+[[:space:]].*pam_unix\\.so.*[[:space:]]remember='}, [], quantifier='none'),
  fix_action('pam_module_arg_absent', service='common-*', module='pam_unix.so', arg='remember'), ssg=False)
R('pam_unix_strong_hash', '5.3.3.4.3', 'Ensure pam_unix includes a strong password hashing algorithm',
  'The pam_unix.so line of common-password must carry sha512 or yescrypt.',
  'Weak hashes are cracked quickly when the shadow file leaks.',
  pam_line('common-password', 'password', 'pam_unix', '([[:space:]].*)?[[:space:]](sha512|yescrypt)([[:space:]]|$)'),
  fix_action('pam_module_arg', service='common-password', type='password', module='pam_unix.so', arg='yescrypt'), ssg=False)
R('pam_unix_use_authtok', '5.3.3.4.4', 'Ensure pam_unix includes use_authtok',
  'The pam_unix.so line of common-password must carry use_authtok.',
  'use_authtok makes pam_unix store the password already checked by pam_pwquality rather than prompting again.',
  pam_line('common-password', 'password', 'pam_unix', '([[:space:]].*)?[[:space:]]use_authtok([[:space:]]|$)'),
  fix_action('pam_module_arg', service='common-password', type='password', module='pam_unix.so', arg='use_authtok'), ssg=False)

# ---------------------------------------------------------------- 5.4.1 shadow suite
R('accounts_maximum_age_login_defs', '5.4.1.1', 'Ensure password expiration is configured',
  'PASS_MAX_DAYS in /etc/login.defs must be between 1 and 365.',
  'Passwords that never expire stay useful to whoever obtained them.',
  chk('login_defs', {'key': 'PASS_MAX_DAYS', 'default': '99999'}, [C('value', 'ge', 1), C('value', 'le', 365)]),
  fix_action('login_defs_set', key='PASS_MAX_DAYS', value='365'))
R('accounts_password_set_max_life_existing', '5.4.1.1', 'Ensure existing passwords expire',
  'Every account with a password hash must have a maximum password age (shadow field 5) between 1 and 365.',
  'login.defs only affects new accounts; existing ones keep their own aging.',
  chk('accounts', {'table': 'shadow'}, [C('max', 'ge', 1), C('max', 'le', 365)], filter=[C('password', 'eq', 'hash')], empty='pass'),
  fix_action('account_field', table='shadow', field='max', value='365', where=[C('password', 'eq', 'hash')]))
R('accounts_minimum_age_login_defs', '5.4.1.2', 'Ensure minimum password age is configured',
  'PASS_MIN_DAYS in /etc/login.defs must be 1 or more.',
  'A minimum age stops users from cycling through the history to reuse a password.',
  chk('login_defs', {'key': 'PASS_MIN_DAYS', 'default': '0'}, [C('value', 'ge', 1)]),
  fix_action('login_defs_set', key='PASS_MIN_DAYS', value='1'))
R('accounts_password_set_min_life_existing', '5.4.1.2', 'Ensure existing passwords have a minimum age',
  'Every account with a password hash must have a minimum password age (shadow field 4) of 1 or more.',
  'login.defs only affects new accounts.',
  chk('accounts', {'table': 'shadow'}, [C('min', 'ge', 1)], filter=[C('password', 'eq', 'hash')], empty='pass'),
  fix_action('account_field', table='shadow', field='min', value='1', where=[C('password', 'eq', 'hash')]))
R('accounts_password_warn_age_login_defs', '5.4.1.3', 'Ensure password expiration warning days is configured',
  'PASS_WARN_AGE in /etc/login.defs must be set to 7 or more; absent or commented out, login.defs(5) gives no warning at all, which fails.',
  'Users warned ahead of expiry choose better passwords than users forced on the spot.',
  chk('login_defs', {'key': 'PASS_WARN_AGE', 'default': '-1'}, [C('value', 'ge', 7)]),
  fix_action('login_defs_set', key='PASS_WARN_AGE', value='7'))
R('accounts_password_set_warn_age_existing', '5.4.1.3', 'Ensure existing passwords have an expiration warning',
  'Every account with a password hash must have a warning period (shadow field 6) of 7 or more.',
  'login.defs only affects new accounts.',
  chk('accounts', {'table': 'shadow'}, [C('warn', 'ge', 7)], filter=[C('password', 'eq', 'hash')], empty='pass'),
  fix_action('account_field', table='shadow', field='warn', value='7', where=[C('password', 'eq', 'hash')]))
R('set_password_hashing_algorithm_logindefs', '5.4.1.4', 'Ensure strong password hashing algorithm is configured',
  'ENCRYPT_METHOD in /etc/login.defs must be SHA512 or YESCRYPT.',
  'Tools that read login.defs (chpasswd, newusers) must hash with a strong algorithm.',
  chk('login_defs', {'key': 'ENCRYPT_METHOD', 'default': 'DES'}, [C('value', 'in', ['SHA512', 'YESCRYPT'], nocase=True)]),
  fix_action('login_defs_set', key='ENCRYPT_METHOD', value='YESCRYPT'))
R('account_disable_post_pw_expiration', '5.4.1.5', 'Ensure inactive password lock is configured',
  'INACTIVE in /etc/default/useradd must be between 0 and 45 days (the default -1 never locks).',
  'Accounts whose password expired long ago belong to people who left; they must lock.',
  chk('shell_vars', {'path': '/etc/default/useradd', 'key': 'INACTIVE', 'default': '-1'}, [C('value', 'ge', 0), C('value', 'le', 45)]),
  fix_action('shell_var_set', path='/etc/default/useradd', key='INACTIVE', value='45'))
R('accounts_set_post_pw_existing', '5.4.1.5', 'Ensure existing accounts lock after password inactivity',
  'Every account with a password hash must have an inactivity period (shadow field 7) between 0 and 45.',
  'useradd defaults only affect new accounts.',
  chk('accounts', {'table': 'shadow'}, [C('inactive', 'ge', 0), C('inactive', 'le', 45)], filter=[C('password', 'eq', 'hash')], empty='pass'),
  fix_action('account_field', table='shadow', field='inactive', value='45', where=[C('password', 'eq', 'hash')]))
R('accounts_password_last_change_is_in_past', '5.4.1.6', 'Ensure all users last password change date is in the past',
  'No account may have a last password change date in the future.',
  'A future date defeats password aging.',
  manual='Compare the lastchg field of /etc/shadow (`chage -l USER`) with today\'s date on the running system.',
  ssg=False)

# ---------------------------------------------------------------- 5.4.2 root and system accounts
R('accounts_no_uid_except_zero', '5.4.2.1', 'Ensure root is the only UID 0 account',
  'No account other than root may have UID 0.', 'Every UID 0 account is root; extra ones are backdoors.',
  chk('accounts', {'table': 'passwd'}, [C('name', 'eq', 'root')], filter=[C('uid', 'eq', '0')]),
  {'manual': 'Remove or renumber every UID 0 account other than root.'})
R('accounts_root_gid_zero', '5.4.2.2', 'Ensure root is the only GID 0 account',
  'Only root (and, per CIS, sync, shutdown, halt, operator) may have primary group 0.',
  'Group 0 grants access to files group-owned by root.',
  chk('accounts', {'table': 'passwd'}, [C('name', 'in', ['root', 'sync', 'shutdown', 'halt', 'operator'])], filter=[C('gid', 'eq', '0')]),
  {'manual': 'Change the primary group of every other account with GID 0 (usermod -g).'})
R('groups_no_zero_gid_except_root', '5.4.2.3', 'Ensure group root is the only GID 0 group',
  'No group other than root may have GID 0.', 'Another GID 0 group would share root\'s group permissions.',
  chk('accounts', {'table': 'group'}, [C('name', 'eq', 'root')], filter=[C('gid', 'eq', '0')]),
  {'manual': 'Renumber every other group with GID 0 (groupmod -g).'}, ssg=False)
R('ensure_root_password_configured', '5.4.2.4', 'Ensure root account access is controlled',
  'root must have a password hash or be locked; it must not have an empty password.',
  'An empty root password gives root to anyone at the console.',
  chk('accounts', {'table': 'shadow'}, [C('password', 'in', ['hash', 'locked'])], filter=[C('name', 'eq', 'root')]),
  fix_action('account_lock', user='root'))
R('accounts_root_path_dirs_no_write', '5.4.2.5', 'Ensure root path integrity',
  'No directory in root\'s PATH may be group- or world-writable or contain an empty entry.',
  'A writable PATH directory lets others plant programs root will run.',
  manual='On the running system, check each entry of root\'s PATH (`sudo -i echo $PATH`): it must exist, be owned by root and not be group- or world-writable; no empty or "." entry.',
  scope=['runtime'])
R('accounts_root_umask', '5.4.2.6', 'Ensure root user umask is configured',
  'root\'s shell start-up files (/root/.bashrc, .profile, .bash_profile, .bash_login, .zshrc) must not set a umask that leaves group write or any other permission (stricter than 0027); a umask command counts anywhere in a line (`[ ... ] && umask 022`).',
  'Files root creates must not be readable or writable by others.',
  lines_none(['/root/' + f for f in STARTUP], UMASK_WEAK),
  fix_action('line_present', path='/root/.bashrc', line='umask 0027', regex='^[[:space:]]*umask[[:space:]]'), ssg=False)
R('no_shelllogin_for_systemaccounts', '5.4.2.7', 'Ensure system accounts do not have a valid login shell',
  'Every system account (UID below UID_MIN) other than root, sync, shutdown and halt must have a nologin or false shell.',
  'A system account with a shell can be used to log in if its password or key leaks.',
  chk('accounts', {'table': 'passwd'}, [C('login_shell', 'eq', 'false')],
      filter=[C('system', 'eq', 'true'), C('name', 'not_in', ['root', 'sync', 'shutdown', 'halt'])], empty='pass'),
  fix_action('account_field', table='passwd', field='shell', value='/usr/sbin/nologin',
             where=[C('system', 'eq', 'true'), C('name', 'not_in', ['root', 'sync', 'shutdown', 'halt'])]))
R('accounts_no_shell_locked', '5.4.2.8', 'Ensure accounts without a valid login shell are locked',
  'Every account other than root whose shell is no login shell (nologin, false, or not listed in /etc/shells) and that has a shadow entry must have a locked password (! or * first, what passwd -S shows as L).',
  'A password on an account that cannot log in interactively can still be used by services such as FTP or su.',
  chk('nologin_accounts', {}, [C('password', 'eq', 'locked')], filter=[C('password', 'ne', 'none')], empty='pass'),
  {'manual': 'Lock each account listed: `usermod -L USER` (or passwd -l).'},
  ssg='no_invalid_shell_accounts_unlocked')

# 5.4.3 user default environment
R('nologin_not_in_shells', '5.4.3.1', 'Ensure nologin is not listed in /etc/shells',
  '/etc/shells must not list nologin.', 'Programs treat a shell listed in /etc/shells as a valid login shell.',
  chk('file_lines', {'path': '/etc/shells', 'regex': '/nologin[[:space:]]*$'}, [], quantifier='none'),
  fix_action('line_absent', path='/etc/shells', regex='/nologin[[:space:]]*$'), ssg=False)
TMOUT_FILES = ['/etc/profile', '/etc/profile.d/*.sh', '/etc/bash.bashrc']
R('accounts_tmout', '5.4.3.2', 'Ensure default user shell timeout is configured',
  'TMOUT must be set to between 1 and 900 seconds and made read-only in /etc/profile, /etc/profile.d/*.sh or /etc/bash.bashrc, and no such file may set it higher.',
  'Idle shells left open can be used by anyone at the terminal.',
  {'all': [lines_any(TMOUT_FILES, '^[[:space:]]*([a-z]+([[:space:]]+-[a-z]+)?[[:space:]]+)?TMOUT=([0-9]+)', [C('3', 'ge', 1), C('3', 'le', 900)]),
           lines_any(TMOUT_FILES, '^[[:space:]]*(readonly|declare[[:space:]]+-[a-z]*r[a-z]*|typeset[[:space:]]+-[a-z]*r[a-z]*)[[:space:]]+TMOUT([=[:space:]]|$)'),
           lines_none(TMOUT_FILES, '^[[:space:]]*([a-z]+([[:space:]]+-[a-z]+)?[[:space:]]+)?TMOUT=(0*[1-9][0-9]{3,}|0*9[0-9][1-9]|0*9[1-9][0-9]|0+)([^0-9]|$)')]},
  fix_action('file_content', path='/etc/profile.d/99-tattoo-tmout.sh', content='TMOUT=900\nreadonly TMOUT\nexport TMOUT\n', mode='0644'))
R('accounts_umask_etc_login_defs', '5.4.3.3', 'Ensure default user umask is configured in login.defs',
  'UMASK in /etc/login.defs must be 027 or stricter (no group write, nothing for others).',
  'New files must not be readable or writable by other users by default.',
  chk('login_defs', {'key': 'UMASK', 'default': '022'}, [C('value', 'match', '^0*[0-7]?[2367]7$')]),
  fix_action('login_defs_set', key='UMASK', value='027'))
R('accounts_umask_etc_profile', '5.4.3.3', 'Ensure default user umask is configured in /etc/profile',
  '/etc/profile or /etc/profile.d/*.sh (the files /etc/profile sources) must set umask 027 (or stricter) and none of them may set a weaker one; a umask command counts anywhere in a line.',
  'Login shells take their umask from these files.',
  {'all': [lines_any(['/etc/profile', '/etc/profile.d/*.sh'], UMASK_OK),
           lines_none(['/etc/profile', '/etc/profile.d/*.sh'], UMASK_WEAK)]},
  fix_action('file_content', path='/etc/profile.d/99-tattoo-umask.sh', content='umask 027\n', mode='0644'))
R('accounts_umask_interactive_users', '5.4.3.3', 'Ensure interactive users do not weaken the umask in their start-up files',
  'No shell start-up file (.bashrc, .profile, .bash_profile, .bash_login, .zshrc) in the home directory of an interactive user (a passwd entry whose shell is not nologin or false) may set a umask weaker than 027; a umask command counts anywhere in a line. Other files (.bash_history) are not read. root\'s files are rule accounts_root_umask.',
  'A user\'s own start-up file overrides the system umask for every file that user creates.',
  {'all': [chk('file_lines', {'path': '~/' + f, 'regex': UMASK_WEAK}, [], filter=[C('user', 'ne', 'root')], quantifier='none') for f in STARTUP]},
  {'manual': 'Remove or tighten the umask lines listed.'})
R('accounts_umask_etc_bashrc', '5.4.3.3', 'Ensure default user umask is not weakened in /etc/bash.bashrc',
  'No umask command in /etc/bash.bashrc may be weaker than 027 (anywhere in a line).',
  'Interactive non-login bash shells read /etc/bash.bashrc and would override the login umask.',
  chk('file_lines', {'path': '/etc/bash.bashrc', 'regex': UMASK_WEAK}, [], quantifier='none'),
  fix_action('line_absent', path='/etc/bash.bashrc', regex='^[[:space:]]*umask[[:space:]]'))

# ---------------------------------------------------------------- 6.1 logging
R('service_systemd-journald_enabled', '6.1.1.1', 'Ensure journald service is enabled and active',
  'systemd-journald.service must exist (it is static and cannot be disabled) and must not be masked.',
  'The journal is the first place every service logs to.',
  chk('systemd_unit', {'unit': 'systemd-journald.service'}, [C('exists', 'eq', 'true'), C('masked', 'eq', 'false'), C('active', 'eq', 'true', optional=True)]),
  {'manual': 'Unmask systemd-journald.service.'})
R('systemd_journal_upload_url', '6.1.2.1.2', 'Ensure systemd-journal-upload sends the journal to the site\'s log host',
  loghost.UPLOAD_DESCRIPTION, loghost.RATIONALE, loghost.check('journal-upload'), loghost.fix('journal-upload'),
  requires=pkg_installed('systemd-journal-remote'), expected=loghost.UPLOAD_EXPECTED)
# CIS lets the site log with rsyslog (6.1.3) or with journald alone
# (6.1.2.1, 6.1.2.2): the packs follow rsyslog where it is installed, and
# the journald-only rules require it to be absent.
NO_RSYSLOG = pkg_absent('rsyslog')
JR_WHY = 'Without rsyslog, the journal is the host\'s only log: it must reach the site\'s log server, and must not be one unless the host is.'
R('logging_services_active', '6.1.1.4', 'Ensure only one logging system is in use',
  'rsyslog.service is enabled, or rsyslog is not installed and journald (which cannot be disabled) keeps the logs; and not both rsyslog and systemd-journal-upload.service are enabled (two systems sending the logs off the host).',
  'Two logging systems split the evidence between them and one of them is usually left unconfigured.',
  {'all': [{'any': [NO_RSYSLOG, chk('systemd_unit', {'unit': 'rsyslog.service'}, [C('enabled', 'eq', 'true')])]},
           {'not': {'all': [chk('systemd_unit', {'unit': 'rsyslog.service'}, [C('enabled', 'eq', 'true')]),
                            chk('systemd_unit', {'unit': 'systemd-journal-upload.service'}, [C('enabled', 'eq', 'true')])]}}]},
  {'manual': 'Choose rsyslog (enable rsyslog.service, disable systemd-journal-upload.service) or journald (remove rsyslog).'},
  ssg='logging_services_active')
R('package_systemd-journal-remote_installed', '6.1.2.1.1', 'Ensure systemd-journal-remote is installed',
  'Where rsyslog is not installed (journald is the logging system), the systemd-journal-remote package (systemd-journal-upload) must be installed.',
  JR_WHY, pkg_installed('systemd-journal-remote'), fix_action('package_install', name='systemd-journal-remote'),
  ssg='package_systemd-journal-remote_installed', requires=NO_RSYSLOG)
R('service_systemd-journal-upload_enabled', '6.1.2.1.3', 'Ensure systemd-journal-upload is enabled and active',
  'Where rsyslog is not installed, systemd-journal-upload.service must be enabled (it sends the journal to the URL of /etc/systemd/journal-upload.conf).',
  JR_WHY, chk('systemd_unit', {'unit': 'systemd-journal-upload.service'}, [C('enabled', 'eq', 'true'), C('active', 'eq', 'true', optional=True)]),
  fix_action('unit_enable', unit='systemd-journal-upload.service'),
  ssg='service_systemd-journal-upload_enabled', requires={'all': [NO_RSYSLOG, pkg_installed('systemd-journal-remote')]})
for unit, rid, sid in [('socket', 'socket_systemd-journal-remote_disabled', 'socket_systemd-journal-remote_disabled'),
                       ('service', 'service_systemd-journal-remote_disabled', False)]:
    R(rid, '6.1.2.1.4', 'Ensure systemd-journal-remote %s is not in use' % unit,
      'systemd-journal-remote.%s must not be enabled: the host must not receive journals from the network unless it is the log server.' % unit,
      'A host that accepts logs from the network is a target for log flooding and forged entries.',
      chk('systemd_unit', {'unit': 'systemd-journal-remote.' + unit}, [C('state', 'in', ['disabled', 'masked', 'absent', 'static']),
                                                                        C('active', 'eq', 'false', optional=True)]),
      fix_action('unit_mask', unit='systemd-journal-remote.' + unit), ssg=sid, requires=pkg_installed('systemd-journal-remote'))
R('journald_disable_forward_to_syslog', '6.1.2.2', 'Ensure journald ForwardToSyslog is disabled',
  'Where rsyslog is not installed, ForwardToSyslog in journald.conf and its drop-ins must be no (the default).',
  'Forwarding to a syslog socket nobody reads wastes work and, if a listener appears, copies the logs where nobody configured them.',
  chk('journald', {'key': 'ForwardToSyslog', 'default': 'no'}, [C('value', 'in', ['no', 'false', '0', 'off', 'n', 'f'], nocase=True)]),
  fix_action('journald_set', key='ForwardToSyslog', value='no'), ssg='journald_disable_forward_to_syslog', requires=NO_RSYSLOG)
R('journald_compress', '6.1.2.3', 'Ensure journald Compress is configured',
  'Compress must be set explicitly to a true boolean (yes, true, on, 1, y, t: what systemd\'s parse_boolean accepts) in journald.conf or its drop-ins (journald.conf.d in /etc, /run, /usr/local/lib, /usr/lib: a name in an earlier directory masks the same name later, files in name order, the last assignment wins). Not set fails, as CIS asks for it explicitly; a quoted value ("yes") is not a boolean to systemd and fails.',
  'Compressed journals hold more history in the same space.',
  chk('journald', {'key': 'Compress'}, [C('value', 'in', ['yes', 'true', 'on', '1', 'y', 't'], nocase=True)]),
  fix_action('journald_set', key='Compress', value='yes'))
R('journald_storage', '6.1.2.4', 'Ensure journald Storage is configured',
  'Storage in journald.conf must be persistent (Debian\'s default, auto, only persists when /var/log/journal exists).',
  'Logs kept only in memory are lost at reboot, with the evidence they hold.',
  chk('journald', {'key': 'Storage', 'default': 'auto'}, [C('value', 'eq', 'persistent', nocase=True)]),
  fix_action('journald_set', key='Storage', value='persistent'))
R('journald_forward_to_syslog', '6.1.3.3', 'Ensure journald is configured to send logs to rsyslog',
  'When rsyslog is installed, ForwardToSyslog in journald.conf must be yes.',
  'rsyslog only sees what the journal forwards to it.',
  chk('journald', {'key': 'ForwardToSyslog', 'default': 'no'}, [C('value', 'in', ['yes', 'true', '1', 'on'], nocase=True)]),
  fix_action('journald_set', key='ForwardToSyslog', value='yes'), requires=pkg_installed('rsyslog'))
R('package_rsyslog_installed', '6.1.3.1', 'Ensure rsyslog is installed',
  'The rsyslog package must be installed.', 'rsyslog writes logs to files and can ship them to a central server.',
  pkg_installed('rsyslog'), fix_action('package_install', name='rsyslog'))
R('service_rsyslog_enabled', '6.1.3.2', 'Ensure rsyslog service is enabled and active',
  'rsyslog.service must be enabled.', 'An installed but stopped rsyslog records nothing.',
  chk('systemd_unit', {'unit': 'rsyslog.service'}, [C('enabled', 'eq', 'true'), C('active', 'eq', 'true', optional=True)]),
  fix_action('unit_enable', unit='rsyslog.service'), requires=pkg_installed('rsyslog'))
R('rsyslog_filecreatemode', '6.1.3.4', 'Ensure rsyslog log file creation mode is configured',
  '$FileCreateMode in rsyslog.conf or rsyslog.d must be 0640 or stricter.',
  'Log files can hold sensitive data and must not be readable by all users.',
  chk('rsyslog', {'key': '$FileCreateMode', 'default': '0644'}, [C('value', 'mode_max', '0640')]),
  fix_action('rsyslog_set', key='$FileCreateMode', value='0640'), requires=pkg_installed('rsyslog'),
  ssg=False)
# The site's log host is a rule parameter (tools/packgen/loghost.py).
R('rsyslog_remote_loghost', '6.1.3.6', 'Ensure rsyslog is configured to send logs to a remote log host',
  loghost.DESCRIPTION, loghost.RATIONALE, loghost.check(), loghost.fix(),
  requires=pkg_installed('rsyslog'), expected=loghost.EXPECTED)
R('rsyslog_nolisten', '6.1.3.7', 'Ensure rsyslog is not configured to receive logs from a remote client',
  'rsyslog.conf and every file it includes ($IncludeConfig, include(file=...); rsyslog.d/*.conf when it includes nothing) must not load imtcp, imudp or imrelp or start TCP, UDP or RELP inputs.',
  'A host that is not a log server must not accept log messages from the network.',
  chk('rsyslog', {'regex': '(module\\(load="?im(tcp|udp|relp)"?|input\\(type="?im(tcp|udp|relp)"?|^[[:space:]]*\\$(ModLoad[[:space:]]+im(tcp|udp|relp)|InputTCPServerRun|UDPServerRun|InputRELPServerRun))'},
      [], quantifier='none'),
  fix_action('line_absent', path='/etc/rsyslog.conf', regex='im(tcp|udp)'), requires=pkg_installed('rsyslog'),
  ssg=False)
R('rsyslog_nolisten_dropins', '6.1.3.7', 'Ensure rsyslog drop-ins do not receive logs from remote clients',
  'No file in /etc/rsyslog.d may load imtcp or imudp or start TCP/UDP inputs.',
  'A host that is not a log server must not accept log messages from the network.',
  chk('file_lines', {'path': '/etc/rsyslog.d/*.conf', 'regex': '(module\\(load="?im(tcp|udp)"?|input\\(type="?im(tcp|udp)"?|^[[:space:]]*\\$(ModLoad[[:space:]]+im(tcp|udp)|InputTCPServerRun|UDPServerRun))'},
      [], quantifier='none'),
  {'manual': 'Remove the imtcp/imudp inputs from /etc/rsyslog.d.'}, requires=pkg_installed('rsyslog'), ssg=False)
R('logrotate_configured', '6.1.3.8', 'Ensure rsyslog logrotate is configured',
  'logrotate must rotate the files rsyslog writes.', 'Unrotated logs fill the disk and stop logging.',
  manual='Review /etc/logrotate.conf and /etc/logrotate.d/rsyslog against the site\'s retention policy.')
R('file_permissions_var_log_files', '6.1.4.1', 'Ensure access to all logfiles has been configured',
  'Regular files directly in /var/log must not be writable by group or readable/writable by others (mode 0640 or stricter), except the login records wtmp, btmp, lastlog and faillog. Symbolic links (Debian\'s /var/log/README) are not log files and are skipped, as `find -type f` in the CIS audit and SSG do: a link\'s target is judged where it lives.',
  'Logs hold sensitive data and evidence; only their writers and administrators may see them.',
  chk('file', {'path': '/var/log/*', 'follow': False}, [C('mode', 'mode_max', '0640')],
      filter=[C('type', 'eq', 'file'), C('path', 'not_match', '/(wtmp|btmp|lastlog|faillog)(\\.[0-9]+)?$')], empty='pass'),
  fix_action('file_mode', path='/var/log/*.log', mode='0640'), ssg=False)

# ---------------------------------------------------------------- 6.3 AIDE
R('package_aide_installed', '6.3.1', 'Ensure AIDE is installed',
  'The aide package must be installed.', 'AIDE detects unauthorised changes to system files.',
  pkg_installed('aide'), fix_action('package_install', name='aide'))
R('aide_build_database', '6.3.1', 'Ensure the AIDE database is initialised',
  'The AIDE database /var/lib/aide/aide.db must exist (made by aideinit).',
  'AIDE compares the system with this database; without it no check can run.',
  chk('file', {'path': '/var/lib/aide/aide.db*'}, [C('type', 'eq', 'file')], quantifier='any'),
  {'manual': 'Run aideinit and move /var/lib/aide/aide.db.new to /var/lib/aide/aide.db.'})
R('aide_periodic_cron_checking', '6.3.2', 'Ensure filesystem integrity is regularly checked',
  'AIDE must be installed and dailyaidecheck.timer enabled, or a cron job must run aide.',
  'An integrity database nobody compares against detects nothing.',
  {'all': [pkg_installed('aide'), {'any': [chk('systemd_unit', {'unit': 'dailyaidecheck.timer'}, [C('enabled', 'eq', 'true')]),
           chk('file_lines', {'path': '/etc/cron*/*', 'regex': '(aide|dailyaidecheck)'}, [C('line', 'exists')], quantifier='any'),
           chk('file_lines', {'path': '/etc/crontab', 'regex': 'aide'}, [C('line', 'exists')], quantifier='any')]}]},
  fix_action('unit_enable', unit='dailyaidecheck.timer'))

# ---------------------------------------------------------------- 7.1 file permissions
FILES = [('/etc/passwd', 'etc_passwd', '7.1.1', '0644', ['root']), ('/etc/passwd-', 'backup_etc_passwd', '7.1.2', '0644', ['root']),
         ('/etc/group', 'etc_group', '7.1.3', '0644', ['root']), ('/etc/group-', 'backup_etc_group', '7.1.4', '0644', ['root']),
         ('/etc/shadow', 'etc_shadow', '7.1.5', '0640', ['root', 'shadow']), ('/etc/shadow-', 'backup_etc_shadow', '7.1.6', '0640', ['root', 'shadow']),
         ('/etc/gshadow', 'etc_gshadow', '7.1.7', '0640', ['root', 'shadow']), ('/etc/gshadow-', 'backup_etc_gshadow', '7.1.8', '0640', ['root', 'shadow'])]
for path, slug, cis, mode, groups in FILES:
    backup = path.endswith('-')
    fx = fix_action('file_mode', path=path, mode=mode, owner='root', group=groups[-1])
    rat = ('%s holds password hashes; only root (and the shadow group for reading) may access it.' % path) if 'shadow' in path \
        else ('%s is read by every program that maps users and groups; only root may change it.' % path)
    flt = dict(filter=[C('exists', 'eq', 'true')], empty='pass') if backup else {}
    ex = [] if backup else [C('exists', 'eq', 'true')]
    R('file_owner_' + slug, cis, 'Ensure %s is owned by root' % path,
      '%s%s must belong to user root.' % ('If it exists, ' if backup else '', path), rat,
      chk('file', {'path': path}, ex + [C('uid', 'eq', '0')], **flt), fx)
    R('file_groupowner_' + slug, cis, 'Ensure %s is group-owned by %s' % (path, ' or '.join(groups)),
      '%s%s must belong to group %s.' % ('If it exists, ' if backup else '', path, ' or '.join(groups)), rat,
      chk('file', {'path': path}, ex + [C('group', 'in', groups)], **flt), fx)
    R('file_permissions_' + slug, cis, 'Ensure permissions on %s are %s or stricter' % (path, mode),
      '%s%s must have mode %s or stricter.' % ('If it exists, ' if backup else '', path, mode), rat,
      chk('file', {'path': path}, ex + [C('mode', 'mode_max', mode)], **flt), fx)
for path, slug, cis, mode in [('/etc/shells', 'etc_shells', '7.1.9', '0644'), ('/etc/security/opasswd', 'etc_security_opasswd', '7.1.10', '0600')]:
    fx = fix_action('file_mode', path=path, mode=mode, owner='root', group='root')
    flt = dict(filter=[C('exists', 'eq', 'true')], empty='pass')
    rat = '%s must only be changed by root.' % path
    R('file_owner_' + slug, cis, 'Ensure %s is owned by root' % path, 'If %s exists it must belong to user root.' % path, rat,
      chk('file', {'path': path}, [C('uid', 'eq', '0')], **flt), fx, ssg=False)
    R('file_groupowner_' + slug, cis, 'Ensure %s is group-owned by root' % path, 'If %s exists it must belong to group root.' % path, rat,
      chk('file', {'path': path}, [C('gid', 'eq', '0')], **flt), fx, ssg=False)
    R('file_permissions_' + slug, cis, 'Ensure permissions on %s are %s or stricter' % (path, mode),
      'If %s exists it must have mode %s or stricter.' % (path, mode), rat,
      chk('file', {'path': path}, [C('mode', 'mode_max', mode)], **flt), fx, ssg=False)
R('file_permissions_unauthorized_world_writable', '7.1.11', 'Ensure no world writable files exist',
  'No regular file outside /proc, /sys, /dev and /run may be writable by everyone.',
  'Anyone can change a world-writable file, e.g. a script root runs.',
  chk('walk', {'kind': 'world_writable'}, [], quantifier='none'),
  {'manual': 'Remove the write bit for others (chmod o-w) from each file listed.'})
R('dir_perms_world_writable_sticky_bits', '7.1.11', 'Ensure world writable directories have the sticky bit',
  'Every world-writable directory must have the sticky bit.',
  'Without it, any user can delete or rename other users\' files in the directory.',
  chk('walk', {'kind': 'world_writable_dirs_no_sticky'}, [], quantifier='none'),
  {'manual': 'Set the sticky bit (chmod +t) on each directory listed.'})
R('no_files_unowned_by_user', '7.1.12', 'Ensure no files without an owner exist',
  'Every file must belong to a user listed in /etc/passwd.',
  'A file with an unknown owner is taken over by the next account created with that UID.',
  chk('walk', {'kind': 'unowned'}, [], quantifier='none'),
  {'manual': 'Give each file listed an existing owner (chown).'})
R('file_permissions_ungroupowned', '7.1.12', 'Ensure no files without a group exist',
  'Every file must belong to a group listed in /etc/group.',
  'A file with an unknown group is taken over by the next group created with that GID.',
  chk('walk', {'kind': 'ungrouped'}, [], quantifier='none'),
  {'manual': 'Give each file listed an existing group (chgrp).'})
R('suid_sgid_reviewed', '7.1.13', 'Ensure SUID and SGID files are reviewed',
  'Every set-user-id and set-group-id program must be known and needed.',
  'SUID/SGID programs run with elevated privileges; an unexpected one is a backdoor.',
  manual='List them (`tattoo audit` walk kinds suid/sgid, or `find / -xdev -perm /6000 -type f`) and compare with the packages that ship them (dpkg -S).',
  ssg=False)

# ---------------------------------------------------------------- 7.2 users and groups
R('accounts_password_all_shadowed', '7.2.1', 'Ensure accounts in /etc/passwd use shadowed passwords',
  'The password field of every /etc/passwd entry must be x.',
  'A hash in the world-readable /etc/passwd can be cracked offline by any user.',
  chk('file_lines', {'path': '/etc/passwd', 'regex': '^[^:]*:([^:]*):'}, [C('1', 'eq', 'x')], empty='fail'),
  {'manual': 'Run pwconv to move hashes into /etc/shadow.'})
R('no_empty_passwords_etc_shadow', '7.2.2', 'Ensure /etc/shadow password fields are not empty',
  'No /etc/shadow entry may have an empty password field.', 'An empty password lets anyone log in as that user.',
  chk('accounts', {'table': 'shadow'}, [C('password', 'eq', 'empty')], quantifier='none'),
  {'manual': 'Lock each account listed (passwd -l USER) or give it a password.'})
R('gid_passwd_group_same', '7.2.3', 'Ensure all groups in /etc/passwd exist in /etc/group',
  'Every primary GID in /etc/passwd must exist in /etc/group.',
  'A dangling GID is taken over by the next group created with it.',
  chk('account_consistency', {'check': 'group_exists'}, [], quantifier='none'),
  {'manual': 'Create the missing groups or correct the GIDs.'})
R('ensure_shadow_group_empty', '7.2.4', 'Ensure shadow group is empty',
  'The shadow group must have no members and be no user\'s primary group.',
  'Members of shadow can read every password hash.',
  chk('account_consistency', {'check': 'shadow_group_empty'}, [], quantifier='none'),
  {'manual': 'Remove every user from the shadow group.'})
for fld, tbl, cis, rid, what in [('uid', 'passwd', '7.2.5', 'account_unique_id', 'UIDs'), ('gid', 'group', '7.2.6', 'group_unique_id', 'GIDs'),
                                 ('name', 'passwd', '7.2.7', 'account_unique_name', 'user names'), ('name', 'group', '7.2.8', 'group_unique_name', 'group names')]:
    R(rid, cis, 'Ensure no duplicate %s exist' % what, 'No two entries of /etc/%s may share a %s.' % (tbl, fld),
      'Shared identities make actions unattributable and permissions ambiguous.',
      chk('account_duplicates', {'table': tbl, 'field': fld}, [], quantifier='none'),
      {'manual': 'Give each entry listed a unique %s.' % fld})
# sync, shutdown and halt have shells (/bin/sync...) that are not login
# shells: /etc/shells does not list them, and CIS leaves them out.
NOT_LOGIN = [C('user', 'not_in', ['sync', 'shutdown', 'halt'])]
R('accounts_user_interactive_home_directory_exists', '7.2.9', 'Ensure local interactive user home directories exist',
  'Every interactive user\'s home directory must exist.', 'A missing home lets the user start in / and may be created by someone else.',
  chk('home_dirs', {'what': 'home'}, [C('exists', 'eq', 'true')], filter=NOT_LOGIN, empty='pass'),
  {'manual': 'Create the missing home directories owned by their users.'})
R('accounts_users_own_home_directories', '7.2.9', 'Ensure local interactive user home directories are owned by their users',
  'Every interactive user\'s home directory must be owned by that user.', 'Whoever owns a home directory controls the user\'s shell start-up files.',
  chk('home_dirs', {'what': 'home'}, [C('owner_ok', 'eq', 'true')], filter=NOT_LOGIN + [C('exists', 'eq', 'true')], empty='pass'),
  {'manual': 'chown each home directory to its user.'})
R('file_permissions_home_directories', '7.2.9', 'Ensure local interactive user home directories are mode 0750 or stricter',
  'Every interactive user\'s home directory must have mode 0750 or stricter.', 'Other users must not read or change a user\'s files.',
  chk('home_dirs', {'what': 'home'}, [C('mode', 'mode_max', '0750')], filter=NOT_LOGIN + [C('exists', 'eq', 'true')], empty='pass'),
  {'manual': 'chmod 0750 each home directory listed.'})
R('accounts_user_dot_user_ownership', '7.2.10', 'Ensure local interactive user dot files are owned by their users',
  'Every dot file in an interactive user\'s home must be owned by that user.', 'Another owner could change the user\'s start-up files.',
  chk('home_dirs', {'what': 'dotfiles'}, [C('owner_ok', 'eq', 'true')], filter=NOT_LOGIN, empty='pass'),
  {'manual': 'chown each dot file listed to its user.'})
R('file_permission_user_init_files', '7.2.10', 'Ensure local interactive user dot files are not group or world writable',
  'Every dot file in an interactive user\'s home must have mode 0644 or stricter.', 'Writable start-up files let others run commands as the user.',
  chk('home_dirs', {'what': 'dotfiles'}, [C('mode', 'mode_max', '0644')], filter=NOT_LOGIN, empty='pass'),
  {'manual': 'chmod go-w each dot file listed.'})
R('no_netrc_files', '7.2.10', 'Ensure no users have .netrc files',
  'No interactive user may have a ~/.netrc file.', '.netrc files hold passwords in clear text.',
  chk('home_dirs', {'what': 'netrc'}, [C('exists', 'eq', 'true')], filter=NOT_LOGIN, quantifier='none'),
  {'manual': 'Remove the .netrc files listed.'})
R('no_rsh_trust_files', '7.2.10', 'Ensure no users have .rhosts files',
  'No interactive user (root included) may have a ~/.rhosts or ~/.shosts file, and /etc/hosts.equiv and /etc/shosts.equiv must not exist.',
  '.rhosts, .shosts and hosts.equiv grant password-less access through the r-commands and host-based ssh authentication.',
  {'all': [chk('home_dirs', {'what': 'rhosts'}, [C('exists', 'eq', 'true')], filter=NOT_LOGIN, quantifier='none'),
           chk('home_dirs', {'what': 'shosts'}, [C('exists', 'eq', 'true')], filter=NOT_LOGIN, quantifier='none'),
           chk('file', {'path': '/etc/hosts.equiv', 'follow': False}, [C('exists', 'eq', 'false')]),
           chk('file', {'path': '/etc/shosts.equiv', 'follow': False}, [C('exists', 'eq', 'false')])]},
  {'manual': 'Remove the .rhosts files listed.'})
R('no_forward_files', '7.2.10', 'Ensure no users have .forward files',
  'No interactive user may have a ~/.forward file.', '.forward files can send mail, and data, off the host or run commands.',
  chk('home_dirs', {'what': 'forward'}, [C('exists', 'eq', 'true')], filter=NOT_LOGIN, quantifier='none'),
  {'manual': 'Remove the .forward files listed.'}, ssg=False)

# ---------------------------------------------------------------- output
rules.sort(key=lambda r: tuple(int(x) for x in r['references']['cis'].split('.')))
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data', 'cis_debian12.json')) as f:
    CONTROLS = json.load(f)['controls']
SECTIONS = {}
for cid, control in CONTROLS.items():
    for name in control['rules']:
        SECTIONS.setdefault(name, []).append(cid)
for r in rules:
    want = SECTIONS.get(r['references'].get('ssg', '')[len(P):])
    if want and r['references']['cis'] not in want:
        sys.exit('debian12.py: %s is numbered %s, the control file has %s' % (r['id'], r['references']['cis'], ', '.join(want)))
ids = [r['id'] for r in rules]
dups = {i for i in ids if ids.count(i) > 1}
assert not dups, dups
auto = [r for r in rules if 'check' in r]
pack = {
    'schema': 1, 'pack': 'debian12', 'benchmark': 'CIS Debian Linux 12 Benchmark v1.1.0',
    'applies': {'id': ['debian'], 'version_id': ['12']},
    # Rules of Level 2 controls are in the Level 2 profile only; Level 2
    # is Level 1 plus them, as CIS defines it.
    'profiles': [{'id': 'cis-l1-server', 'title': 'CIS Level 1 - Server',
                  'rules': [r['id'] for r in rules
                            if 'l1_server' in CONTROLS.get(r['references']['cis'], {}).get('levels', ['l1_server'])]},
                 {'id': 'cis-l2-server', 'title': 'CIS Level 2 - Server',
                  'rules': [r['id'] for r in rules
                            if {'l1_server', 'l2_server'} & set(CONTROLS.get(r['references']['cis'], {}).get('levels', ['l1_server']))]}],
    'rules': rules,
}
# The controls no rule above covers, from SSG templates (cisfill.py): last.
cisfill.fill(pack, 'debian12', 'deb')
sys.stderr.write('debian12.py: %d rules, %d automated, %d manual, %d with ssg\n' % (len(rules), len(auto), len(rules) - len(auto),
                 sum(1 for r in rules if 'ssg' in r['references'])))
json.dump(sections.add(pack), sys.stdout, indent=2, ensure_ascii=False)
sys.stdout.write('\n')
