"""The last step of every CIS generator (debian12.py, debian13.py,
ubuntu.py, rhel9.py, rhel10.py, sle15.py): rules for the automated
controls of the pack's CIS control file that the pack's own rules leave
uncovered, made from ComplianceAsCode's SSG templates.

A control counts as coverage.py counts it: status "automated", at least
one SSG rule, a server level; it is covered in a profile when a checked
rule of the profile carries its number or names one of its SSG rules.
For each control not covered in the profiles its levels put it in
(Level 1 Server: cis-l1-server and cis-l2-server; Level 2 Server only:
cis-l2-server), and for each SSG rule it lists that no checked rule of
those profiles names:

- a checked rule of the pack named after that SSG rule (by id or
  references.ssg; e.g. one the stig profile made) joins the profiles,
  numbered by the control when it has no CIS number yet -- unless its
  template reads a value (ClientAliveCountMax, a sysctl, a password
  length...) and the check made with the CIS control file's value
  differs: then a copy with CIS's value, NAME_cis, is made instead (the
  STIG keeps its value, CIS its own);
- else a rule made by templates.from_template() from the SSG rule's
  template (tools/packgen/data/ssg_cis_PACK.json, cistemplates2json.py)
  with the values the CIS control file selects: audit rules (one
  rules.d file per rule), separate partitions and their mount options,
  kernel modules, packages, services, sysctl, sshd, file modes and
  owners, auditd.conf...  Its rationale says it was made so.
- a template from_template() does not know (or a rule without one) is
  left: the control stays uncovered, or covered by its other rules.

The rules made here are the pack's own: derive.load_pack() and
ubuntu.py drop them (own()) before deriving another pack from it, whose
generator fills with its own control file's values.

    import cisfill; cisfill.fill(pack, 'debian12', 'deb')
"""
import json
import os
import sys

import stig
import templates
from checks import c, fix, manual, probe
from templates import AUDIT_RULES, SP, audit_file, audit_line, ere, file_meta, syscall_lines

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')
P = templates.P
# The rationale of a rule made here begins with this (own() finds them).
MADE = 'Made from ComplianceAsCode'
LEVELS = {'cis-l1-server': {'l1_server'}, 'cis-l2-server': {'l1_server', 'l2_server'}}
# Template variables that name an XCCDF value: a rule made from such a
# template checks the value the control file selects.
VALUE_VARS = ('xccdf_variable', 'ext_variable', 'arg_variable')


def load(name):
    with open(os.path.join(DATA, name + '.json')) as f:
        return json.load(f)


def ssg_name(r):
    return r['references'].get('ssg', '')[len(P):]


def own(rules):
    """rules less those a fill() or a STIG profile made: what another
    pack may be derived from."""
    return [r for r in rules if not r.get('rationale', '').startswith(MADE)
            and not ('stig' in r['references'] and (
                'cis' not in r['references'] or r['rationale'].startswith('Required by the ')))]


def reads_value(t):
    """Whether the template's check depends on an XCCDF value."""
    if not t:
        return False
    v = t.get('vars') or {}
    if any(k in v for k in VALUE_VARS):
        return True
    if t['name'] == 'sysctl' and 'sysctlval' not in v:
        return True
    if t['name'] == 'accounts_password':
        return True
    return any(isinstance(a, dict) and a.get('variable') for a in v.get('arguments') or [])


# The STIG's hand-written rules (stig.HAND) that hold no STIG value, so
# that CIS asks for the same: audit rules and file metadata SSG checks
# without a template.
FROM_STIG = {'audit_rules_immutable', 'audit_rules_login_events_faillock',
             'directory_permissions_var_log_audit', 'file_ownership_var_log_audit_stig',
             'file_permissions_audit_binaries', 'file_ownership_audit_binaries',
             'file_groupownership_audit_binaries', 'file_ownership_audit_configuration',
             'file_groupownership_audit_configuration', 'aide_check_audit_tools',
             'sudo_require_authentication', 'sudo_remove_nopasswd', 'selinux_state',
             'audit_rules_privileged_commands_modprobe'}
AUDITD = '/etc/audit/auditd.conf'
AUDIT_LOGS = '/var/log/audit/*.log'

# Firewall rules judge a site's choice (CIS: one firewall, configured):
# hand-written rules of the generators judge them, not SSG rules of one
# firewall (a STIG's ufw rules included).
SITE_CHOICE = ('ufw', 'nftables', 'iptables', 'ip6tables', 'firewalld',
               # journald sending logs to a server is CIS's branch for a
               # site that logs by journald, not rsyslog; the GNOME
               # settings are judged where GDM is (hand-written rules)
               'journal-remote_installed', 'journal-upload', 'journal_upload',
               'dconf_gnome', 'gnome_gdm')
# SSG rules a control lists that CIS's recommendation does not ask for:
# an MTA (CIS RHEL 10 6.3.2.4 asks auditd.conf's actions; SSG adds postfix
# so that action_mail_acct can send).
LEFT = {'package_postfix_installed'}
# SSG rules a control file maps where CIS's recommendation asks another
# form: CIS Ubuntu 24.04 6.2.3.2 ("actions as another user are always
# logged") lists the STIG's rule (-C uid!=euid -F euid=0), while its audit
# lines are those of the other benchmarks' rule (-C euid!=uid -F
# auid!=unset).  The CIS control gets the rule of its own text.
CIS_FORM = {'audit_rules_suid_privilege_function': 'audit_rules_suid_auid_privilege_function'}
# STIG rules that carry a STIG text or value without a template that
# says so (the DoD banner): not reused for a CIS control; nor, in the rpm
# packs, the STIG's rules of DISA's own form (stig.rpm_stig_form: audit
# watches as syscall rules, which CIS's checks, finding only "-w PATH -p
# wa", would not take; FIPS; rsyslog over TCP...).
STIG_TEXT = {'dconf_gnome_login_banner_text', 'login_banner_text', 'banner_etc_issue',
             'banner_etc_issue_net', 'banner_etc_motd'} | stig.HAND_VALUED
# auditd.conf settings SSG checks without a template: SSG rule -> (key,
# the XCCDF value the control file selects).
AUDITD_KEYS = {
    'auditd_data_retention_max_log_file': ('max_log_file', 'var_auditd_max_log_file'),
    'auditd_data_retention_max_log_file_action': ('max_log_file_action',
                                                  'var_auditd_max_log_file_action'),
    'auditd_data_disk_full_action': ('disk_full_action', 'var_auditd_disk_full_action'),
    'auditd_data_disk_error_action': ('disk_error_action', 'var_auditd_disk_error_action'),
    'auditd_data_retention_space_left_action': ('space_left_action',
                                                'var_auditd_space_left_action'),
    'auditd_data_retention_admin_space_left_action': ('admin_space_left_action',
                                                      'var_auditd_admin_space_left_action'),
    'auditd_data_retention_action_mail_acct': ('action_mail_acct', 'var_auditd_action_mail_acct'),
}

# SSG rules whose template makes a check CIS's own audit rules fail: the
# host name syscalls with the dac_modification template's auid filter
# (CIS: "-S sethostname,setdomainname -k system-locale", no filter).
OVERRIDE = {'audit_rules_networkconfig_modification_sethostname',
            'audit_rules_networkconfig_modification_setdomainname'}
# SSG rules the table below checks with CIS's values where the STIG's
# hand-written rule has its own (auditd.conf; audit logs 0640, not 0600)
CIS_VALUES = set(AUDITD_KEYS) | {'file_permissions_var_log_audit',
                                 'file_group_ownership_var_log_audit'}


def watch(path, key):
    """An audit watch for writes and attribute changes of path (SSG's
    audit_rules_watch check) and its line."""
    return (audit_line('^%s*-w%s+%s/?%s+-p%s*[rwxa]*(w[rx]*a|a[rx]*w)' % (
        SP, SP, ere(path.rstrip('/')), SP, SP)), '-w %s -p wa -k %s' % (path, key))


def watches(rid, paths, key, syscalls=None):
    """Watches of paths (and a syscall rule), one rules.d file."""
    checks, lines = [], []
    if syscalls:
        ls, chk = syscall_lines(syscalls, key, auid=False)
        lines += ls
        checks.append(chk)
    for p in paths:
        chk, line = watch(p, key)
        checks.append(chk)
        lines.append(line)
    return {'all': checks} if len(checks) > 1 else checks[0], audit_file(rid, lines), None


def executed(rid, path):
    """An audit rule for each run of path: SSG's privileged-command rule
    (-a always,exit -F path=P -F perm=x), or the watch with -p x that CIS
    SUSE 15 writes."""
    rule = templates.from_template(rid, {'name': 'audit_rules_privileged_commands',
                                         'vars': {'path': path}}, {}, 'any')
    w = audit_line('^%s*-w%s+%s%s+-p%s*[rwa]*x' % (SP, SP, ere(path), SP, SP))
    return {'any': [rule[0], w]}, rule[1], None


def no_profile_flag(flag):
    """No AppArmor profile in /etc/apparmor.d carries flags=(... flag ...)."""
    return probe('file_lines', {'path': '/etc/apparmor.d/*',
                                'regex': 'flags%s*=%s*\\([^)]*%s' % (SP, SP, flag)},
                 [], quantifier='none')


def syscalls(rid, names, key, extra='', auid=False):
    lines, check = syscall_lines(names, key, extra=extra, auid=auid)
    return check, audit_file(rid, lines), None


def auditd_conf(key, value):
    """KEY = one of value's |-separated words in auditd.conf, any case;
    the fix writes the first."""
    words = value.split('|')
    return (probe('file_lines', {'path': AUDITD, 'regex': '^%s*%s%s*=%s*([^[:space:]]+)' % (
        SP, key, SP, SP)}, [c('1', 'in', words, nocase=True) if len(words) > 1
                            else c('1', 'eq', value, nocase=True)]),
        fix('line_present', path=AUDITD, line='%s = %s' % (key, words[0]),
            regex='^%s*%s%s*=' % (SP, key, SP)), None)


def hand(ssg, rid, values, family):
    """(check, fix, requires) for an SSG rule without a template, with the
    CIS control file's values, or None."""
    if ssg in FROM_STIG:
        return (stig.HAND.get(family, {}).get(ssg) or stig.HAND['any'].get(ssg))
    if ssg in AUDITD_KEYS:
        key, var = AUDITD_KEYS[ssg]
        return auditd_conf(key, values[var]) if var in values else None
    net = '/etc/network' if family == 'deb' else '/etc/sysconfig/network'
    table = {
        'audit_rules_sysadmin_actions': lambda: watches(
            rid, ['/etc/sudoers', '/etc/sudoers.d/'], 'scope'),
        'audit_rules_session_events': lambda: watches(
            rid, ['/var/run/utmp', '/var/log/wtmp', '/var/log/btmp'], 'session'),
        'audit_rules_networkconfig_modification': lambda: watches(
            rid, ['/etc/issue', '/etc/issue.net', '/etc/hosts', '/etc/hostname', net],
            'system-locale', ['sethostname', 'setdomainname']),
        'audit_rules_networkconfig_modification_sethostname': lambda: syscalls(
            rid, ['sethostname'], 'system-locale'),
        'audit_rules_networkconfig_modification_setdomainname': lambda: syscalls(
            rid, ['setdomainname'], 'system-locale'),
        'audit_rules_time_adjtimex': lambda: syscalls(rid, ['adjtimex'], 'time-change'),
        'audit_rules_time_settimeofday': lambda: syscalls(rid, ['settimeofday'], 'time-change'),
        'audit_rules_time_clock_settime': lambda: syscalls(
            rid, ['clock_settime'], 'time-change', extra=' -F a0=0x0'),
        # CIS's user_emulation rule: sudo to another user, recorded
        'audit_rules_suid_auid_privilege_function': lambda: syscalls(
            rid, ['execve'], 'user_emulation', extra=' -C euid!=uid -F auid!=unset'),
        'audit_rules_mac_modification': lambda: watches(
            rid, ['/etc/selinux/'] if family == 'rpm' else ['/etc/apparmor/', '/etc/apparmor.d/'],
            'MAC-policy'),
        'audit_rules_kernel_module_loading': lambda: syscalls(
            rid, ['init_module', 'finit_module', 'delete_module'], 'modules'),
        'audit_rules_privileged_commands_insmod': lambda: executed(rid, '/sbin/insmod'),
        'audit_rules_privileged_commands_rmmod': lambda: executed(rid, '/sbin/rmmod'),
        # -c: auditctl loads the rules after one that fails
        'audit_rules_continue_loading': lambda: (
            audit_line('^%s*(-c|--continue)%s*$' % (SP, SP)),
            audit_file(rid, ['-c']), None),
        'file_permissions_audit_configuration': lambda: (
            {'all': [file_meta(p, mode='0640') for p in (
                '/etc/audit/*.conf', '/etc/audit/*.rules', AUDIT_RULES)]},
            manual('chmod 0640 /etc/audit/*.conf /etc/audit/*.rules /etc/audit/rules.d/*.rules'),
            None),
        # AppArmor's profiles as an image holds them (SSG asks
        # apparmor_status, which needs the running kernel): none in
        # complain mode (flags or force-complain/) for "enforced", none
        # disabled (disable/) or unconfined for "enforce or complain"
        'all_apparmor_profiles_enforced': lambda: (
            {'all': [no_profile_flag('complain'),
                     probe('file', {'path': '/etc/apparmor.d/force-complain/*'},
                           [c('exists', 'eq', 'false')])]},
            manual('Put every AppArmor profile in enforce mode: aa-enforce /etc/apparmor.d/*.'),
            None),
        'all_apparmor_profiles_in_enforce_complain_mode': lambda: (
            {'all': [no_profile_flag('unconfined'),
                     probe('file', {'path': '/etc/apparmor.d/disable/*'},
                           [c('exists', 'eq', 'false')])]},
            manual('Load every AppArmor profile in enforce or complain mode: remove the links in '
                   '/etc/apparmor.d/disable and run aa-enforce (or aa-complain) on them.'),
            None),
        'file_permissions_var_log_audit': lambda: (
            file_meta(AUDIT_LOGS, mode='0640'), fix('file_mode', path=AUDIT_LOGS, mode='0640'),
            None),
        'file_group_ownership_var_log_audit': lambda: (
            file_meta(AUDIT_LOGS, group='root|adm'),
            fix('file_mode', path=AUDIT_LOGS, mode='7777', group='root'), None),
        'file_permissions_etc_audit_rulesd': lambda: (
            file_meta(AUDIT_RULES, mode='0640'), fix('file_mode', path=AUDIT_RULES, mode='0640'),
            None),
        'file_permissions_etc_audit_auditd': lambda: (
            file_meta(AUDITD, mode='0640'), fix('file_mode', path=AUDITD, mode='0640'), None),
    }
    return table[ssg]() if ssg in table else None


def make(rid, ssg, cid, ctl, data, tpl, family):
    """A rule for SSG rule ssg of control cid from its template (else
    the small table above), or None."""
    info = tpl['ssg'].get(ssg, {})
    t = info.get('template')
    if t and t['name'].endswith('_guard_var'):
        # a site's choice (var_network_filtering_service: which firewall,
        # var_timesync_service: which time daemon): SSG passes the rules
        # of the services not chosen, so a rule of its own would pass
        # or fail by the control file's default, not by the image.  The
        # hand-written rules judge "one firewall" / "one time daemon".
        return None
    if ssg in OVERRIDE:
        t = None
    try:
        made = templates.from_template(rid, t, tpl['values'], family)
    except (KeyError, TypeError, AttributeError):
        # a template whose variables came from Jinja that
        # cistemplates2json.py does not evaluate: no rule, not a wrong one
        made = None
    how = 'template %s' % t['name'] if made is not None else None
    if made is None:
        made = hand(ssg, rid, tpl['values'], family)
        how = 'hand-written rule'
    if made is None:
        return None
    check, fixspec, requires = made
    if fixspec.get('action') == 'file_content' and fixspec['params']['path'].startswith(
            templates.AUDIT_DIR + '/60-'):
        fixspec = audit_file(rid, fixspec['params']['content'].splitlines())
    r = {'id': rid, 'title': info.get('title') or ctl['title'],
         'description': ctl['title'].replace(' (Automated)', '') + '.',
         'rationale': '%s (%s of SSG rule %s) for %s, %s.' % (MADE, how, ssg,
                                                             data['benchmark'], cid),
         'severity': 'medium', 'references': {'cis': cid, 'ssg': P + ssg},
         'scope': ['image', 'runtime']}
    if requires:
        r['requires'] = requires
    r['check'] = check
    r['fix'] = fixspec
    return r


def same_check(a, b):
    return json.dumps(a.get('check'), sort_keys=True) == json.dumps(b.get('check'), sort_keys=True)


def _num(cid):
    return [int(x) for x in cid.split('.')]


def fill(pack, name, family):
    """Fills pack (in place) from tools/packgen/data/cis_NAME.json and
    ssg_cis_NAME.json; returns pack.  family ('deb' or 'rpm') is passed
    to the templates."""
    data = load('cis_' + name)
    tpl = load('ssg_cis_' + name)
    rules = pack['rules']
    ids = {r['id'] for r in rules}
    profs = {p['id']: p for p in pack['profiles'] if p['id'] in LEVELS}
    members = {pid: set(p['rules']) for pid, p in profs.items()}
    by_name = {}
    for r in rules:
        if 'check' not in r:
            continue
        for key in (r['id'], ssg_name(r)):
            # a rule with a CIS number first, then one named as the SSG rule
            if key and (key not in by_name or 'cis' not in by_name[key]['references']):
                by_name[key] = r
    byid = {r['id']: r for r in rules}

    def names(pid):
        out, nums = set(), set()
        for i in members[pid]:
            r = byid[i]
            if 'check' in r:
                out.update({r['id'], ssg_name(r)})
                nums.add(r['references'].get('cis'))
        return out, nums

    stats = {'reused': 0, 'copied': 0, 'made': 0, 'no template': set()}
    new = []
    for cid in sorted(data['controls'], key=_num):
        ctl = data['controls'][cid]
        if ctl['status'] != 'automated' or not ctl['rules']:
            continue
        targets = [pid for pid, want in LEVELS.items()
                   if pid in profs and want & set(ctl['levels'])]
        if not targets:
            continue
        have = {pid: names(pid) for pid in targets}
        if all(cid in have[pid][1] or have[pid][0] & set(ctl['rules']) for pid in targets):
            continue
        for ssg in ctl['rules']:
            if all(ssg in have[pid][0] for pid in targets):
                continue
            info = tpl['ssg'].get(ssg, {})
            if any(w in ssg for w in SITE_CHOICE) or ssg in LEFT:
                continue
            old = by_name.get(ssg) if ssg not in CIS_FORM else None
            stig_form = ssg in STIG_TEXT or stig.rpm_stig_form(ssg, family)
            if old is not None and stig_form and 'cis' not in old['references']:
                old = None
            r = None
            if old is not None:
                if reads_value(info.get('template')) or ssg in CIS_VALUES:
                    made = make(ssg.replace('-', '_').lower(), ssg, cid, ctl, data, tpl, family)
                    if made is not None and not same_check(old, made):
                        # the other benchmark's value: CIS's in a copy
                        r = made
                        if r['id'] in ids:
                            r['id'] += '_cis'
                        stats['copied'] += 1
                if r is None:
                    r = old
                    r['references'].setdefault('cis', cid)
                    # cis before the other references, as the packs order them
                    r['references'] = dict(sorted(r['references'].items(),
                                                  key=lambda kv: kv[0] != 'cis'))
                    stats['reused'] += 1
            else:
                rid = ssg.replace('-', '_').lower()
                r = make(rid + '_cis' if rid in ids else rid, CIS_FORM.get(ssg, ssg), cid, ctl, data, tpl,
                         family)
                if r is None:
                    stats['no template'].add('%s:%s' % (cid, ssg))
                    continue
                stats['made'] += 1
            if r['id'] not in ids:
                new.append(r)
                ids.add(r['id'])
                byid[r['id']] = r
                by_name.setdefault(ssg, r)
            for pid in targets:
                if r['id'] not in members[pid]:
                    members[pid].add(r['id'])
                    profs[pid]['rules'].append(r['id'])
            have = {pid: names(pid) for pid in targets}
    rules.extend(new)
    # CIS rules by number, then those without one (a STIG's), each in
    # the order they had; the CIS profiles in the rules' order
    order = {id(r): i for i, r in enumerate(rules)}
    rules.sort(key=lambda r: (0, _num(r['references']['cis']), order[id(r)])
               if 'cis' in r['references'] else (1, [], order[id(r)]))
    pos = {r['id']: i for i, r in enumerate(rules)}
    for p in profs.values():
        p['rules'].sort(key=pos.get)
    print('cisfill %s: %d rules made from SSG templates, %d copied with CIS values, %d reused; '
          'no template for %d SSG rules' % (name, stats['made'], stats['copied'], stats['reused'],
                                            len(stats['no template'])), file=sys.stderr)
    if os.environ.get('CISFILL_VERBOSE'):
        print('  no template: ' + ' '.join(sorted(stats['no template'], key=lambda s: _num(
            s.split(':')[0]))), file=sys.stderr)
    return pack

