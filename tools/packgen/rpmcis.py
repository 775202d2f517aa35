"""Rules for the CIS benchmarks of the RHEL family (RHEL 9 v2.0.0, RHEL 10)
that the table of rhel9.py does not hold: the system crypto policy's CIS
sub-policy modules, firewalld's loopback rules, the authselect PAM stack,
and the debian12 rules whose check reads the same files on RHEL (PAM
lines made system-auth / password-auth).  Imported by rhel9.py, which
numbers them by CIS RHEL 9, and by rhel10.py for its own extras.

The nftables and iptables branches of a firewall section (SLE 15's 3.5.2
and 3.5.3) are here too: each applies only where that firewall is the one
in use (requires), so an image that follows the firewalld branch is not
failed by the others.
"""
import json

import derive

CRYPTO = '/etc/crypto-policies/config'


# debian12's journald-only logging rules (judged where rsyslog is absent):
# the RHEL-family packs follow rsyslog, and the rpm fixture trees have no
# journald-only tree to judge them on, so they are not borrowed.
JOURNALD_ONLY = ('package_systemd_journal_remote_installed', 'service_systemd_journal_upload_enabled',
                 'socket_systemd_journal_remote_disabled', 'journald_disable_forward_to_syslog')

def crypto_module(rid, cis, module, title, rat):
    """The system crypto policy carries a CIS sub-policy module (or is
    FUTURE, which already leaves out what the modules remove)."""
    return derive.rule(
        rid, cis, title,
        '%s must name the policy module %s (DEFAULT:NO-SHA1:NO-SSHCBC:NO-WEAKMAC as CIS builds it) or the FUTURE policy.' % (CRYPTO, module),
        rat,
        {'any': [{'probe': 'file_lines', 'params': {'path': CRYPTO, 'regex': '^[[:space:]]*[A-Z0-9-]+(:[A-Z0-9-]+)*:%s(:|[[:space:]]|$)' % module},
                  'expect': [], 'quantifier': 'any'},
                 {'probe': 'file_lines', 'params': {'path': CRYPTO, 'regex': '^[[:space:]]*FUTURE([:[:space:]]|$)'},
                  'expect': [], 'quantifier': 'any'}]},
        {'manual': 'Write the module in /etc/crypto-policies/policies/modules/%s.pmod and run update-crypto-policies --set DEFAULT:NO-SHA1:NO-SSHCBC:NO-WEAKMAC.' % module},
        ssg='configure_custom_crypto_policy_cis' if module == 'NO-SHA1' else None)


def crypto_modules(sha1, weakmac, sshcbc, weakmac_title='Ensure system wide crypto policy macs are configured'):
    """The three CIS sub-policy modules, numbered by the benchmark."""
    return [
        crypto_module('crypto_policy_no_sha1', sha1, 'NO-SHA1', 'Ensure system wide crypto policy disables sha1 hash and signature support',
                      'SHA-1 collisions can be computed; signatures and certificates relying on it can be forged.'),
        crypto_module('crypto_policy_no_weakmac', weakmac, 'NO-WEAKMAC', weakmac_title,
                      'Weak MACs (64-bit tags, MD5) let an attacker forge or alter traffic.'),
        crypto_module('crypto_policy_no_sshcbc', sshcbc, 'NO-SSHCBC', 'Ensure system wide crypto policy disables cbc for ssh',
                      'CBC mode ciphers in SSH are open to plaintext recovery attacks.'),
    ]


def bluetooth(cis):
    return derive.rule('service_bluetooth_disabled', cis, 'Ensure bluetooth services are not in use',
                       'bluetooth.service must not be enabled (or bluez not installed).',
                       'A radio interface the server does not need is an attack surface reachable without the network.',
                       {'any': [derive.pkg('bluez', False),
                                {'probe': 'systemd_unit', 'params': {'unit': 'bluetooth.service'},
                                 'expect': [{'field': 'enabled', 'op': 'eq', 'value': 'false'},
                                            {'field': 'active', 'op': 'eq', 'value': 'false', 'optional': True}]}]},
                       {'action': 'unit_mask', 'params': {'unit': 'bluetooth.service'}}, ssg='service_bluetooth_disabled')


AUDIT_TOOLS = ['auditctl', 'auditd', 'ausearch', 'aureport', 'autrace', 'augenrules']


def aide_audit_tools(cis):
    tools = AUDIT_TOOLS
    return derive.rule(
        'aide_check_audit_tools', cis, 'Ensure cryptographic mechanisms are used to protect the integrity of audit tools',
        '/etc/aide.conf must check /usr/sbin/%s with a sha512 hash.' % ', '.join(tools),
        'An attacker who replaces the audit tools can hide what the audit trail records.',
        {'all': [{'probe': 'file_lines', 'params': {'path': '/etc/aide.conf', 'regex': '^[[:space:]]*/usr/sbin/%s[[:space:]]+[^#]*sha512' % t},
                  'expect': [], 'quantifier': 'any'} for t in tools]},
        {'manual': 'Add /usr/sbin/%s p+i+n+u+g+s+b+acl+xattrs+sha512 (and the other tools) to /etc/aide.conf.' % tools[0]},
        ssg='aide_check_audit_tools', requires=derive.pkg('aide', True))


# firewalld keeps the permanent configuration the admin made in
# /etc/firewalld/zones/*.xml (the shipped zones in /usr/lib/firewalld are
# the defaults and hold no loopback rules).
ZONES = '/etc/firewalld/zones/*.xml'


def _zone_line(regex):
    return {'probe': 'file_lines', 'params': {'path': ZONES, 'regex': regex}, 'expect': [], 'quantifier': 'any'}


def firewalld_loopback(cis):
    """CIS's firewalld loopback remediation, as firewall-cmd --permanent
    writes it: lo in the trusted zone, and rich rules dropping traffic
    from 127.0.0.1 and ::1 that did not arrive on lo (destination
    inverted)."""
    chk = {'all': [
        _zone_line('<interface[[:space:]]+name="lo"'),
        _zone_line('<source[[:space:]]+address="127\\.0\\.0\\.1(/8)?"'),
        _zone_line('<source[[:space:]]+address="::1"'),
        _zone_line('<destination[[:space:]]+address="127\\.0\\.0\\.1(/8)?"[[:space:]]+invert="[Tt]rue"'),
    ]}
    return derive.rule(
        'firewalld_loopback_traffic', cis, 'Ensure firewalld loopback traffic is configured',
        'A permanent zone file in /etc/firewalld/zones must put the lo interface in a zone (trusted) and drop, by '
        'rich rules, traffic with source 127.0.0.1 or ::1 whose destination is not the loopback address.',
        'Loopback traffic is trusted by the host; packets claiming a loopback source on another interface are spoofed '
        'and must be dropped.',
        chk,
        {'manual': 'firewall-cmd --permanent --zone=trusted --add-interface=lo; '
                   'firewall-cmd --permanent --add-rich-rule=\'rule family=ipv4 source address="127.0.0.1" '
                   'destination not address="127.0.0.1" drop\'; the same for ipv6 ::1; firewall-cmd --reload.'},
        ssg='firewalld_loopback_traffic_trusted', requires=derive.pkg('firewalld', True))


# The PAM stack authselect writes: CIS's audit reads the selected
# profile's system-auth and password-auth, which are what authselect
# copies to /etc/pam.d.
AUTHSELECT_MODULES = [('auth', 'pam_faillock'), ('auth', 'pam_unix'), ('password', 'pam_pwquality'),
                      ('password', 'pam_pwhistory'), ('password', 'pam_unix')]


def authselect_modules(cis):
    chk = {'all': [{'probe': 'file_lines', 'params': {
        'path': '/etc/pam.d/%s' % f,
        'regex': '^[[:space:]]*%s[[:space:]]+[^#]*%s\\.so' % (kind, mod)}, 'expect': [], 'quantifier': 'any'}
        for f in ('system-auth', 'password-auth') for kind, mod in AUTHSELECT_MODULES]}
    return derive.rule(
        'accounts_password_pam_modules_in_authselect_profile', cis, 'Ensure active authselect profile includes pam modules',
        '/etc/pam.d/system-auth and password-auth (as the selected authselect profile writes them) must run '
        'pam_faillock and pam_unix for auth, pam_pwquality, pam_pwhistory and pam_unix for password.',
        'The lockout, password quality and history settings only take effect when their modules are in the stack.',
        chk, AUTHSELECT, ssg='accounts_password_pam_modules_in_authselect_profile')


# debian12 rules whose check reads files RHEL has too: their PAM files are
# authselect's system-auth and password-auth, and authselect makes the
# change (a hand edit of its files is undone).
PAM_FILES = [('/etc/pam.d/common-*', '/etc/pam.d/*-auth'), ('"common-*"', '"*-auth"'),
             ('/etc/pam.d/common-auth', '/etc/pam.d/system-auth'),
             ('/etc/pam.d/common-account', '/etc/pam.d/system-auth'),
             ('/etc/pam.d/common-password', '/etc/pam.d/system-auth'),
             ('/etc/pam.d/common-session', '/etc/pam.d/system-auth'),
             ('"common-password"', '"system-auth"'), ('"common-auth"', '"system-auth"')]
AUTHSELECT = {'manual': 'Make the change in a custom authselect profile (authselect create-profile, '
                        'edit its system-auth and password-auth, authselect select custom/NAME): '
                        'authselect rewrites /etc/pam.d/system-auth and password-auth.'}


def adopt(deb, table):
    """table: debian12 rule id -> section; PAM files made RHEL's."""
    out = []
    for rid, cis in table.items():
        # only a fix that edits the PAM stack goes through authselect; one
        # that writes pwhistory.conf or pwquality.conf holds as it is
        fx = deb[rid]['fix']
        pam = fx.get('action', '').startswith('pam_') or 'pam.d' in json.dumps(fx)
        out.append(derive.adopt(deb[rid], cis, PAM_FILES, fix=AUTHSELECT if pam else None))
    return out


# -- the nftables and iptables branches of a firewall section ----------------

def _unit_on(unit):
    return {'probe': 'systemd_unit', 'params': {'unit': unit},
            'expect': [{'field': 'enabled', 'op': 'eq', 'value': 'true'}]}


def _unit_off(unit):
    return {'probe': 'systemd_unit', 'params': {'unit': unit},
            'expect': [{'field': 'enabled', 'op': 'eq', 'value': 'false'}]}


def not_firewalld():
    """firewalld is not the firewall in use: not installed, or its service
    not enabled."""
    return {'any': [derive.pkg('firewalld', False), _unit_off('firewalld.service')]}


def nft_branch():
    """The nftables branch applies where nftables is installed and
    firewalld is not the firewall in use."""
    return {'all': [derive.pkg('nftables', True), not_firewalld()]}


def ipt_branch(nft_unit='nftables.service'):
    """The iptables branch applies where iptables is installed and neither
    firewalld nor nftables' own service is in use."""
    return {'all': [derive.pkg('iptables', True), not_firewalld(), _unit_off(nft_unit)]}


def firewalld_off(rid, cis, branch):
    return derive.rule(
        rid, cis, 'Ensure firewalld is not installed or stopped and masked',
        'Where this firewall branch is followed, firewalld must not be installed, or firewalld.service must be masked '
        '(enabled false).', 'Two firewall utilities manage the same kernel tables and undo each other\'s rules.',
        {'any': [derive.pkg('firewalld', False),
                 {'probe': 'systemd_unit', 'params': {'unit': 'firewalld.service'},
                  'expect': [{'field': 'state', 'op': 'in', 'value': ['masked', 'absent']}]}]},
        {'action': 'unit_mask', 'params': {'unit': 'firewalld.service'}},
        ssg='service_firewalld_disabled', requires=branch)


def _in_conf(conf, regex):
    """A line matching regex in one of the files of conf."""
    one = [{'probe': 'file_lines', 'params': {'path': f, 'regex': regex}, 'expect': [], 'quantifier': 'any'}
           for f in conf]
    return one[0] if len(one) == 1 else {'any': one}


def nftables_rules(conf, nums):
    """The nftables branch: the rule set the service loads (conf, a glob of
    the files nftables.service reads, each a glob) has a table, base chains for input,
    forward and output, a drop policy on each, and the service is
    enabled so the rules come back at boot.  nums: SSG rule -> section."""
    req = nft_branch()
    files = ', '.join(conf)
    out = []

    def line(rid, regex, title, desc, rat, fixtext):
        out.append(derive.rule(rid, nums[rid], title, desc, rat,
                               _in_conf(conf, regex), {'manual': fixtext}, ssg=rid, requires=req))

    if 'service_firewalld_disabled' in nums:
        out.append(firewalld_off('nftables_firewalld_disabled', nums['service_firewalld_disabled'], req))
    if 'set_nftables_table' in nums:
        line('set_nftables_table', '^[[:space:]]*table[[:space:]]+(inet|ip|ip6)[[:space:]]+[^[:space:]]+',
             'Ensure a nftables table exists',
             'The nftables rule set (%s) must declare a table of family inet, ip or ip6.' % files,
             'Without a table nftables filters nothing.', 'Add "table inet filter { ... }" to the rule set.')
    if 'set_nftables_base_chain' in nums:
        out.append(derive.rule(
            'set_nftables_base_chain', nums['set_nftables_base_chain'], 'Ensure nftables base chains exist',
            'The nftables rule set (%s) must have filter base chains hooked on input, forward and output.' % files,
            'Packets reach only the hooks a base chain is attached to; one missing is a path with no filtering.',
            {'all': [_in_conf(conf, 'type[[:space:]]+filter[[:space:]]+hook[[:space:]]+%s[[:space:]]' % h)
                     for h in ('input', 'forward', 'output')]},
            {'manual': 'Add chains "type filter hook input|forward|output priority 0;" to the table.'},
            ssg='set_nftables_base_chain', requires=req))
    if 'nftables_ensure_default_deny_policy' in nums:
        out.append(derive.rule(
            'nftables_ensure_default_deny_policy', nums['nftables_ensure_default_deny_policy'],
            'Ensure nftables default deny firewall policy',
            'Each base chain (input, forward, output) of the rule set (%s) must have policy drop, on the line of its '
            'hook as nft list ruleset writes it ("type filter hook input priority 0; policy drop;").' % files,
            'What is not explicitly allowed must be dropped.',
            {'all': [_in_conf(conf, 'hook[[:space:]]+%s[[:space:]]+[^;]*;[[:space:]]*policy[[:space:]]+drop[[:space:]]*;' % h)
                     for h in ('input', 'forward', 'output')]},
            {'manual': 'Write "policy drop;" in each base chain, after allowing the traffic the host needs.'},
            ssg='nftables_ensure_default_deny_policy', requires=req))
    if 'service_nftables_enabled' in nums:
        out.append(derive.rule(
            'service_nftables_enabled', nums['service_nftables_enabled'], 'Ensure nftables service is enabled',
            'nftables.service must be enabled: it loads the rule set at boot.',
            'Rules that are not loaded at boot leave the host unfiltered after every restart.',
            _unit_on('nftables.service'), {'action': 'unit_enable', 'params': {'unit': 'nftables.service'}},
            ssg='service_nftables_enabled', requires=req))
    if 'nftables_rules_permanent' in nums:
        # what nftables.service loads: /etc/sysconfig/nftables.conf (which
        # includes the rule files, as CIS writes it) or /etc/nftables.conf
        out.append(derive.rule(
            'nftables_rules_permanent', nums['nftables_rules_permanent'], 'Ensure nftables rules are permanent',
            'nftables.service must be enabled and the file it loads must hold the rules: an include line in '
            '/etc/sysconfig/nftables.conf, or a table in /etc/nftables.conf.',
            'Rules made with nft at the command line are gone at the next boot.',
            {'all': [_unit_on('nftables.service'),
                     {'any': [_in_conf(['/etc/sysconfig/nftables.conf'], '^[[:space:]]*include[[:space:]]+"'),
                              _in_conf(['/etc/nftables.conf'], '^[[:space:]]*table[[:space:]]')]}]},
            {'manual': 'Save the rule set to a file (nft list ruleset > /etc/nftables/main.nft), add '
                       'include "/etc/nftables/main.nft" to /etc/sysconfig/nftables.conf and enable nftables.service.'},
            ssg='nftables_rules_permanent', requires=req))
    return out


def iptables_rules(rules_v4, rules_v6, nums):
    """The iptables branch: iptables installed, firewalld off, and the
    saved rule sets (rules_v4, rules_v6: the files iptables-restore reads
    at boot) accept loopback and drop what claims a loopback source on
    another interface.  nums: SSG rule -> section."""
    req = ipt_branch()
    out = []
    if 'package_iptables_installed' in nums:
        out.append(derive.rule(
            'package_iptables_installed', nums['package_iptables_installed'], 'Ensure iptables package is installed',
            'Where firewalld and nftables.service are not in use, iptables must be installed.',
            'The iptables branch needs its tools.', derive.pkg('iptables', True),
            {'action': 'package_install', 'params': {'name': 'iptables'}}, ssg='package_iptables_installed',
            requires=not_firewalld()))
    if 'service_firewalld_disabled' in nums:
        out.append(firewalld_off('iptables_firewalld_disabled', nums['service_firewalld_disabled'], req))

    def loop(rid, path, src, src_re, ssg):
        out.append(derive.rule(
            rid, nums[ssg], 'Ensure %s loopback traffic is configured' % ('IPv6' if '::' in src else 'IPv4'),
            'The saved rule set %s must accept input on lo and drop input from %s on other interfaces.' % (path, src),
            'Loopback traffic is trusted by the host; packets claiming a loopback source on another interface are spoofed.',
            {'all': [{'probe': 'file_lines', 'params': {'path': path, 'regex': '^-A[[:space:]]+INPUT[[:space:]]+-i[[:space:]]+lo[[:space:]]+-j[[:space:]]+ACCEPT'},
                      'expect': [], 'quantifier': 'any'},
                     {'probe': 'file_lines', 'params': {'path': path, 'regex': '^-A[[:space:]]+INPUT[[:space:]]+-s[[:space:]]+%s[[:space:]]+-j[[:space:]]+DROP' % src_re},
                      'expect': [], 'quantifier': 'any'}]},
            {'manual': 'iptables -A INPUT -i lo -j ACCEPT; iptables -A INPUT -s %s -j DROP; save the rule set to %s.' % (src, path)},
            ssg=ssg, requires=req))
    if 'set_loopback_traffic' in nums:
        loop('set_loopback_traffic', rules_v4, '127.0.0.0/8', '127\\.0\\.0\\.0/8', 'set_loopback_traffic')
    if 'set_ipv6_loopback_traffic' in nums:
        loop('set_ipv6_loopback_traffic', rules_v6, '::1', '::1(/128)?', 'set_ipv6_loopback_traffic')
    return out


# -- root's PATH ---------------------------------------------------------------

# The files a root login shell reads (bash, sh) that set PATH.
ROOT_PATH_FILES = ['/etc/environment', '/etc/profile', '/etc/profile.d/*.sh', '/etc/bashrc',
                   '/etc/bash.bashrc', '/root/.bash_profile', '/root/.bash_login', '/root/.profile',
                   '/root/.bashrc']
# A PATH assignment with an empty element or "." (the working directory):
# leading, trailing or doubled colon, or a "." element.
DOT_PATH = ('^[[:space:]]*(export[[:space:]]+)?PATH=["\']?([^"\'#[:space:]]*:)?\\.?(:|["\'[:space:];]|$)')
# The directories of the distributions' default root PATH.
ROOT_PATH_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin', '/root/bin']


def root_path(cis):
    """root's PATH integrity, as two checks an image tree answers: no
    PATH assignment in root's shell start-up files has an empty or "."
    element, and the directories of the default root PATH are root's and
    not writable by group or others.  A PATH computed at run time from
    other variables is not followed."""
    nodot = derive.rule(
        'root_path_no_dot', cis, 'Ensure root PATH does not include the working directory',
        'No PATH assignment in %s may have an empty element (leading, trailing or doubled colon) or a "." element.'
        % ', '.join(ROOT_PATH_FILES),
        'With the working directory in its PATH, root runs a program an attacker left in any directory root visits.',
        {'all': [{'probe': 'file_lines', 'params': {'path': p, 'regex': DOT_PATH}, 'expect': [], 'quantifier': 'none'}
                 for p in ROOT_PATH_FILES]},
        {'manual': 'Remove the empty or "." element from the PATH assignment the finding names.'},
        ssg='root_path_no_dot')
    dirs = derive.rule(
        'accounts_root_path_dirs_no_write', cis, 'Ensure root PATH directories are not group or world writable',
        'Each of %s that exists must be a directory owned by root and not writable by group or others (mode 0755 '
        'or stricter).' % ', '.join(ROOT_PATH_DIRS),
        'Whoever can write to a directory of root\'s PATH can plant a program root will run.',
        {'all': [{'probe': 'file', 'params': {'path': d}, 'filter': [{'field': 'exists', 'op': 'eq', 'value': 'true'}],
                  'empty': 'pass', 'expect': [{'field': 'uid', 'op': 'eq', 'value': '0'},
                                              {'field': 'mode', 'op': 'mode_max', 'value': '0755'}]}
                 for d in ROOT_PATH_DIRS]},
        {'manual': 'chown root and chmod go-w the directory the finding names.'},
        ssg='accounts_root_path_dirs_no_write')
    return [nodot, dirs]
