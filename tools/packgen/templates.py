"""SSG templates made tattoo rules: from_template() turns a ComplianceAsCode
rule's template (name and variables, as stig2json.py and
cistemplates2json.py keep them) and the XCCDF values a control file
selects into a (check, fix, requires) triple of the pack format --
packages, services, sysctl, kernel modules, file modes and owners, mount
options and separate partitions, sshd, auditd.conf, audit rules (one
rules.d file per rule), GRUB arguments, pwquality, faillock, PAM options,
systemd drop-ins.  Shared by stig.py (the DISA STIG profile) and
cisfill.py (the CIS controls a pack's own rules leave uncovered).
"""
import json
import re

from checks import c, fix, manual, probe

P = 'xccdf_org.ssgproject.content_rule_'
AUDIT_DIR = '/etc/audit/rules.d'
AUDIT_RULES = AUDIT_DIR + '/*.rules'


def ere(s):
    """s as a literal POSIX ERE."""
    return re.sub(r'([].[\\*+?(){}|^$])', r'\\\1', s)


SP = '[[:space:]]'
OPS = {'equals': 'eq', 'less than or equal': 'le', 'greater than or equal': 'ge',
       'less than': 'lt', 'greater than': 'gt'}


def pkg(name, installed=True):
    return probe('package', {'name': name}, [c('installed', 'eq', 'true' if installed else 'false')])


def file_meta(path, mode=None, owner=None, group=None):
    """path's mode/owner/group, where it exists (SSG passes a missing
    file: another rule asks for it)."""
    conds = []
    if mode:
        conds.append(c('mode', 'mode_max', mode))
    for field, v in (('uid', owner), ('gid', group)):
        if v is None:
            continue
        v = str(v)
        if v.isdigit():
            conds.append(c(field, 'eq', v))
        elif '|' in v:
            # SSG's "syslog|root": any of them
            conds.append(c('owner' if field == 'uid' else 'group', 'in',
                           [name_of(x) for x in v.split('|')]))
        else:
            conds.append(c('owner' if field == 'uid' else 'group', 'eq', v))
    return probe('file', {'path': path}, conds, filter=[c('exists', 'eq', 'true')], empty='pass')


def name_of(v):
    return 'root' if str(v) == '0' else str(v)


def audit_file(rid, lines):
    """Each audit rule writes a rules.d file of its own: the fix neither
    reorders nor edits the site's rules (augenrules reads them all)."""
    return fix('file_content', path='%s/60-tattoo-%s.rules' % (AUDIT_DIR, rid.replace('_', '-')),
               content=''.join(l + '\n' for l in lines), mode='0640')


def audit_line(regex, *more):
    """Some line of the audit rules matches regex (and the patterns more)."""
    return probe('file_lines', {'path': AUDIT_RULES, 'regex': regex, 'comments': False},
                 [c('text', 'match', m) for m in more], quantifier='any')


EXIT = '^%s*-a%s+(always,exit|exit,always)%s' % (SP, SP, SP)
AUID = '-F%s*auid>=1000' % SP


def dropin_setting(master, dropin, section, key, choices):
    """KEY set to one of CHOICES in MASTER or a DROPIN/*.conf file (a
    systemd-style [SECTION] file); the fix a drop-in with the first."""
    regex = '^%s*%s%s*=%s*(%s)%s*$' % (SP, key, SP, SP, '|'.join(ere(x) for x in choices), SP)
    return ({'any': [probe('file_lines', {'path': p, 'regex': regex}, [], quantifier='any')
                     for p in (master, dropin + '/*.conf')]},
            fix('file_content', path='%s/60-tattoo-%s.conf' % (dropin, key.lower()),
                content='[%s]\n%s=%s\n' % (section, key, choices[0]), mode='0644'), None)


def audit_watch(path_ere):
    """Writes to and attribute changes of the file or directory PATH_ERE
    (an ERE, without a trailing slash) are audited: a watch "-w PATH -p wa",
    or the syscall rule DISA's RHEL 9 fix texts write for it, "-a
    always,exit ... -F path=PATH (or dir=) ... -F perm=wa" (the STIG
    profile's rules; CIS's checks find only the watch)."""
    perm = '[rwxa]*(w[rx]*a|a[rx]*w)'
    return {'any': [
        audit_line('^%s*-w%s+%s/?%s+-p%s*%s' % (SP, SP, path_ere, SP, SP, perm)),
        audit_line('%s.*-F%s*(path|dir)=%s/?(%s|$)' % (EXIT, SP, path_ere, SP),
                   '-F%s*perm=%s' % (SP, perm))]}


def syscall_lines(names, key, arches=('b32', 'b64'), extra='', auid=True):
    """The audit lines SSG's syscall templates write, and a check that
    each arch has a rule naming every syscall of names."""
    lines, checks = [], []
    for arch in arches:
        line = '-a always,exit -F arch=%s %s%s%s -k %s' % (
            arch, ' '.join('-S ' + n for n in names), extra,
            ' -F auid>=1000 -F auid!=unset' if auid else '', key)
        lines.append(line)
        for n in names:
            more = [AUID] if auid else []
            if extra:
                more += [ere(x) for x in extra.split()]
            checks.append(audit_line(EXIT + '.*-F%s*arch=%s%s.*-S%s*([a-z0-9_]+,)*%s(,|%s|$)' % (
                SP, arch, SP, SP, n, SP), *more))
    return lines, {'all': checks} if len(checks) > 1 else checks[0]


def from_template(rid, t, values, family):
    """(check, fix, requires) from an SSG template, or None."""
    if not t:
        return None
    name, v = t['name'], t['vars']

    def val(key, var):
        if key in v and v[key] not in ('', None):
            return str(v[key])
        return values.get(v.get(var, ''))

    if name in ('package_installed', 'package_installed_guard_var') and v.get('pkgname'):
        return pkg(v['pkgname']), fix('package_install', name=v['pkgname']), None
    if name in ('package_removed', 'package_removed_guard_var') and v.get('pkgname'):
        return pkg(v['pkgname'], False), fix('package_remove', name=v['pkgname']), None
    if name in ('service_enabled', 'service_enabled_guard_var') and v.get('servicename'):
        unit = v['servicename'] + '.service'
        return (probe('systemd_unit', {'unit': unit}, [c('state', 'in', ['enabled', 'static']),
                                                       c('active', 'eq', 'true', optional=True)]),
                fix('unit_enable', unit=unit), None)
    if name in ('service_disabled', 'socket_disabled'):
        unit = (v.get('servicename') or v.get('socketname')) + (
            '.service' if name == 'service_disabled' else '.socket')
        return (probe('systemd_unit', {'unit': unit}, [c('enabled', 'eq', 'false'),
                                                       c('active', 'eq', 'false', optional=True)]),
                fix('unit_mask', unit=unit), None)
    if name == 'sysctl':
        key = v['sysctlvar']
        value = str(v['sysctlval']) if 'sysctlval' in v else values.get(
            'sysctl_%s_value' % key.replace('.', '_'))
        if value is None or isinstance(v.get('sysctlval'), list):
            return None
        return (probe('sysctl', {'key': key}, [c('value', 'eq', value),
                                               c('live', 'eq', value, optional=True)]),
                fix('sysctl_set', key=key, value=value), None)
    if name == 'kernel_module_disabled':
        m = v['kernmodule']
        return (probe('kernel_module', {'module': m}, [c('disabled', 'eq', 'true'),
                                                       c('loaded', 'eq', 'false', optional=True)]),
                fix('modprobe_disable', module=m), None)
    if name in ('file_permissions', 'file_owner', 'file_groupowner'):
        if v.get('file_regex') or v.get('filepath') in (None, '', '}'):
            return None
        paths = v['filepath'] if isinstance(v['filepath'], list) else [v['filepath']]
        if v.get('recursive') in ('true', True):
            # the directories and what they hold, one level down (the
            # file probe globs; it does not walk a tree)
            paths = [q for p in paths for q in (p.rstrip('/'), p.rstrip('/') + '/*')]
        if any(p.endswith('/') and len(p) > 1 for p in paths) and name != 'file_permissions':
            paths = [p.rstrip('/') for p in paths]
        paths = [p.rstrip('/') or '/' for p in paths]
        if name == 'file_permissions':
            mode = str(v['filemode'])
            checks = [file_meta(p, mode=mode) for p in paths]
            fixes = [fix('file_mode', path=p, mode=mode) for p in paths]
        elif name == 'file_owner':
            who = name_of(v.get('uid_or_name', v.get('fileuid', '0')))
            checks = [file_meta(p, owner=who) for p in paths]
            who = name_of(who.split('|')[0])
            fixes = [fix('file_mode', path=p, mode='7777', owner=who) for p in paths]
        else:
            who = name_of(v.get('gid_or_name', v.get('filegid', '0')))
            checks = [file_meta(p, group=who) for p in paths]
            who = name_of(who.split('|')[0])
            fixes = [fix('file_mode', path=p, mode='7777', group=who) for p in paths]
        if len(paths) == 1:
            return checks[0], fixes[0], None
        return {'all': checks}, manual('Set %s as the check expects: %s.' % (
            ', '.join(paths), json.dumps(fixes[0]['params']))), None
    if name == 'audit_rules_watch':
        if v.get('path_is_variable') or not v.get('path'):
            return None
        path, key = v['path'], v.get('key', 'audit_rules_watch')
        # auditctl takes a directory with or without its trailing slash
        check = audit_line('^%s*-w%s+%s/?%s+-p%s*[rwxa]*(w[rx]*a|a[rx]*w)' % (
            SP, SP, ere(path.rstrip('/')), SP, SP))
        return check, audit_file(rid, ['-w %s -p wa -k %s' % (path, key)]), None
    if name == 'audit_rules_privileged_commands':
        path = v.get('path')
        if not path:
            return None
        check = audit_line(EXIT + '(.*[[:space:]])?-F%s*path=%s(%s|$)' % (SP, ere(path), SP),
                           '-F%s*perm=[rwa]*x' % SP, AUID)
        return check, audit_file(rid, [
            '-a always,exit -F path=%s -F perm=x -F auid>=1000 -F auid!=unset -k privileged' % path]), None
    if name in ('audit_rules_dac_modification', 'audit_rules_file_deletion_events',
                'audit_rules_kernel_module_loading'):
        sc = v.get('attr') or v.get('name')
        key = {'audit_rules_dac_modification': 'perm_mod',
               'audit_rules_file_deletion_events': 'delete',
               'audit_rules_kernel_module_loading': 'modules'}[name]
        lines, check = syscall_lines([sc], key, auid=name != 'audit_rules_kernel_module_loading')
        return check, audit_file(rid, lines), None
    if name == 'audit_rules_unsuccessful_file_modification':
        sc = v['name']
        l1, c1 = syscall_lines([sc], 'access', extra=' -F exit=-EACCES')
        l2, c2 = syscall_lines([sc], 'access', extra=' -F exit=-EPERM')
        return {'all': [c1, c2]}, audit_file(rid, l1 + l2), None
    if name == 'audit_rules_path_syscall':
        return None
    if name == 'mount_option':
        mp, opt = v.get('mountpoint'), v.get('mountoption')
        if not mp or not opt or mp.startswith('var_'):
            return None
        return (probe('mount', {'path': mp}, [c('fstab_options', 'has_word', opt),
                                               c('options', 'has_word', opt, optional=True)]),
                fix('mount_option', path=mp, option=opt),
                probe('mount', {'path': mp}, [c('separate', 'eq', 'true')]))
    if name == 'mount':
        mp = v.get('mountpoint')
        return (probe('mount', {'path': mp}, [c('separate', 'eq', 'true')]),
                manual('Give %s a file system of its own (an fstab entry).' % mp), None)
    if name == 'sshd_lineinfile':
        key, value = v.get('parameter'), val('value', 'xccdf_variable')
        if not key or value is None:
            return None
        return (probe('sshd_config', {'key': key}, [c('value', 'eq', value, nocase=True)]),
                fix('sshd_set', key=key, value=value),
                pkg('openssh-server'))
    if name == 'grub2_bootloader_argument':
        arg, value = v.get('arg_name'), val('arg_value', 'arg_variable')
        if not arg or value is None:
            return None
        op = OPS.get(v.get('operation', 'equals'), 'eq')
        return (probe('grub_cmdline', {'arg': arg}, [c('present', 'eq', 'true'), c('value', op, value)]),
                fix('grub_cmdline_arg', arg=arg, value=value), None)
    if name == 'accounts_password':
        key = v['variable']
        value = values.get('var_password_pam_%s' % key)
        if value is None:
            return None
        op = OPS.get(v.get('operation', 'equals'), 'eq')
        conds = [c('value', op, value)]
        # 0 turns pwquality's check off: SSG's zero_comparison_operation
        # "greater than" makes it a finding (maxclassrepeat, maxrepeat)
        if v.get('zero_comparison_operation') in OPS:
            conds.append(c('value', OPS[v['zero_comparison_operation']], '0'))
        return (probe('pwquality', {'key': key}, conds),
                fix('pwquality_set', key=key, value=value), None)
    if name == 'pam_account_password_faillock':
        key, value = v['prm_name'], values.get(v.get('ext_variable', ''))
        if value is None:
            return None
        conds = []
        if v.get('variable_upper_bound') == 'use_ext_variable':
            conds.append(c('value', 'le', value))
        if v.get('variable_lower_bound') == 'use_ext_variable':
            conds.append(c('value', 'ge', value))
        elif v.get('variable_lower_bound') is not None:
            conds.append(c('value', 'ge', str(v['variable_lower_bound'])))
        if not conds:
            conds.append(c('value', 'eq', value))
        if key == 'unlock_time' and v.get('variable_lower_bound') == 'use_ext_variable':
            # 0 is "never unlock", the strictest value: asked for, only 0
            # meets it; else 0 or at least the value does
            chk = probe('faillock', {'key': key}, [c('value', 'eq', '0')])
            if str(value) != '0':
                chk = {'any': [chk, probe('faillock', {'key': key}, conds)]}
            return chk, fix('faillock_set', key=key, value=value), None
        return probe('faillock', {'key': key}, conds), fix('faillock_set', key=key, value=value), None
    if name == 'auditd_lineinfile':
        key, value = v.get('parameter'), val('value', 'xccdf_variable')
        if not key or value is None:
            return None
        return (probe('file_lines', {'path': '/etc/audit/auditd.conf',
                                     'regex': '^%s*%s%s*=%s*([^[:space:]]+)' % (SP, key, SP, SP)},
                      [c('1', 'eq', value, nocase=True)]),
                fix('line_present', path='/etc/audit/auditd.conf', line='%s = %s' % (key, value),
                    regex='^%s*%s%s*=' % (SP, key, SP)), None)
    if name == 'systemd_dropin_configuration':
        master, dropin = v.get('master_cfg_file'), v.get('dropin_dir')
        key, value, section = v.get('param'), v.get('value'), v.get('section')
        if not (master and dropin and key and value is not None):
            return None
        # SSG's value is a pattern of its own: "none|default" is either
        # (networkmanager_dns_mode); the fix writes the first
        return dropin_setting(master, dropin, section, key, str(value).split('|'))
    if name == 'shell_lineinfile':
        path, key, value = v.get('path'), v.get('parameter'), v.get('value')
        if not (path and key and value is not None):
            return None
        return (probe('shell_vars', {'path': path, 'key': key}, [c('value', 'eq', str(value))]),
                fix('shell_var_set', path=path, key=key, value=str(value)), None)
    if name == 'key_value_pair_in_file':
        path, key, value = v.get('path'), v.get('key'), v.get('value')
        sep = v.get('sep', '=')
        if not path or path.startswith('}') or not key or value is None:
            return None
        return (probe('file_lines', {'path': path, 'regex': '^%s*%s%s*%s%s*([^[:space:]]+)' % (
            SP, ere(key), SP, ere(sep.strip() or ' '), SP)}, [c('1', 'eq', str(value))]),
            fix('line_present', path=path, line='%s%s%s' % (key, sep, value),
                regex='^%s*%s%s*%s' % (SP, ere(key), SP, ere(sep.strip() or ' '))), None)
    if name == 'pam_options':
        path, module, ptype = v.get('path', ''), v.get('module'), v.get('type')
        if not path.startswith('/etc/pam.d/') or not module:
            return None
        service = path.rsplit('/', 1)[1]
        checks, fixes = [], []
        for a in v.get('arguments') or [{}]:
            arg = a.get('argument') or a.get('variable')
            if not arg:
                checks.append(probe('pam', {'service': service, 'type': ptype, 'module': module},
                                    [], quantifier='any'))
                continue
            want = None
            if a.get('variable'):
                want = values.get('var_password_pam_%s' % a['variable']) or values.get(
                    'var_%s' % a['variable'])
                if want is None:
                    return None
            conds = [c('arg_present', 'eq', 'true')]
            if want is not None:
                conds.append(c('arg_value', OPS.get(a.get('operation', 'equals'), 'eq'), want))
            checks.append(probe('pam', {'service': service, 'type': ptype, 'module': module,
                                        'arg': arg}, conds, quantifier='any'))
            fixes.append(fix('pam_module_arg', service=service, type=ptype, module=module,
                             arg=arg, **({'value': want} if want is not None else {})))
        if not checks:
            return None
        check = checks[0] if len(checks) == 1 else {'all': checks}
        return check, fixes[0] if len(fixes) == 1 else manual(
            'Set the options of %s in /etc/pam.d/%s as the check expects.' % (module, service)), None
    return None
