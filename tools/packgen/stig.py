"""The DISA STIG profile ("stig") of the ubuntu2204, ubuntu2404 and rhel9
packs, made from ComplianceAsCode's STIG control files kept as
tools/packgen/data/stig_PACK.json (tools/packgen/stig2json.py: each
control's STIG id, CAT I/II/III, status and SSG rules, DISA's V- and SV-
ids where ComplianceAsCode keeps DISA's XCCDF, each SSG rule's template,
and the XCCDF values the control file selects).

For every automated control, in STIG id order:

- a rule of the pack (a CIS rule) that implements one of the control's
  SSG rules joins the profile, and gets references.stig {id, cat, vuln,
  rule}; a CIS run does not report it, a STIG run reports the rule by it.
- else, or where the STIG asks for another value than the CIS rule
  checks, a rule made from the SSG rule's template (packages, services,
  sysctl, kernel modules, file modes and owners, mount options, sshd,
  auditd.conf, audit rules in /etc/audit/rules.d, GRUB arguments,
  pwquality, faillock, PAM options, systemd drop-ins...) or from the
  hand-written table HAND below.  Such a rule is named after its SSG rule;
  when the CIS rule of that name checks another value the STIG rule is
  NAME_stig, with its own value (a STIG value is a rule of its own, not a
  profile parameter: the CIS and STIG profiles of one pack then both
  stay what their benchmark says, and a tailoring can still move either).
  It carries no references.cis: no CIS section asks for it.

A rule implements one control (a control's SSG rule listed under two
controls becomes a copy per control, id suffixed with the STIG id).
coverage.py counts a control covered when a checked rule of the profile
carries its STIG id.

    import stig; stig.add(pack, 'ubuntu2204', family='deb')
"""
import copy
import json
import os
import re

import loghost
from checks import c, fix, manual, probe
from templates import (AUDIT_DIR, AUDIT_RULES, AUID, EXIT, OPS, P, SP, audit_file,  # noqa: F401
                       audit_line, audit_watch, dropin_setting, ere, file_meta, from_template,
                       name_of, pkg, syscall_lines)

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')
SEV = {'I': 'high', 'II': 'medium', 'III': 'low'}


def load(name):
    with open(os.path.join(DATA, 'stig_%s.json' % name)) as f:
        return json.load(f)


def gen_rule(rid, ssg, ctl, data, family):
    """A STIG rule for SSG rule ssg of control ctl, or None."""
    info = data['ssg'].get(ssg, {})
    if rpm_stig_form(ssg, family):
        made = RPM_STIG_RULES[ssg]
    else:
        made = (HAND.get(data['pack'], {}).get(ssg) or HAND.get(family, {}).get(ssg)
                or HAND.get('any', {}).get(ssg))
    if made is None:
        try:
            made = from_template(rid, info.get('template'), data['values'], family)
        except (KeyError, TypeError, AttributeError):
            # a template whose variables came from Jinja this file does
            # not evaluate: no rule rather than a wrong one
            made = None
    if made is None:
        return None
    check, fixspec, requires = made
    if fixspec.get('action') == 'file_content' and fixspec['params']['path'].startswith(AUDIT_DIR):
        fixspec = audit_file(rid, fixspec['params']['content'].splitlines())
    r = {'id': rid, 'title': info.get('title') or ctl['title'],
         'description': ctl['title'],
         'rationale': 'Required by the %s, %s (CAT %s).' % (data['benchmark'], ctl['id'], ctl['cat']),
         'severity': SEV[ctl['cat']], 'references': {'ssg': P + ssg},
         'scope': ['image', 'runtime']}
    if requires:
        r['requires'] = requires
    r['check'] = check
    r['fix'] = fixspec
    return r


def stig_ref(ctl):
    ref = {'id': ctl['id'], 'cat': ctl['cat']}
    if ctl.get('vuln'):
        ref['vuln'] = ctl['vuln']
        ref['rule'] = ctl['rule']
    return ref


def same_check(a, b):
    return json.dumps(a.get('check'), sort_keys=True) == json.dumps(b.get('check'), sort_keys=True)


# SSG's check of a rule that also judges what another tattoo rule judges
# apart: SSG's faillock deny/unlock_time checks find pam_faillock in the
# PAM stack as well as the value in faillock.conf, while tattoo's CIS packs
# judge the stack in a rule of its own.  A STIG control naming the SSG
# rule gets those rules too (by tattoo rule id; a pack without them gets
# nothing), so a deny = 3 that no PAM stack applies does not pass.
IMPLIES = {
    'accounts_passwords_pam_faillock_deny': [
        'pam_faillock_enabled',  # Debian family: common-auth
        'account_password_pam_faillock_system_auth',  # RHEL: authselect
        'account_password_pam_faillock_password_auth',
    ],
}


def implied(ssg_rules):
    """The rules IMPLIES adds for a control's SSG rules, each once."""
    out = []
    for ssg in ssg_rules:
        for rid in IMPLIES.get(ssg, ()):
            if rid not in ssg_rules and rid not in out:
                out.append(rid)
    return out


def add(pack, name, family):
    """Adds the stig profile (and its rules) to pack, in place."""
    data = dict(load(name), pack=name)
    rules = pack['rules']
    by_name = {}
    for r in rules:
        if 'check' not in r:
            continue
        n = r['references'].get('ssg', '')[len(P):]
        for key in {n, r['id']} - {''}:
            by_name.setdefault(key, r)
    ids = {r['id'] for r in rules}
    owner = {}  # rule id -> the control that has it
    by_ssg = {}  # SSG rule -> the rule the first control got for it
    profile, new = [], []
    for cid, ctl in sorted(data['controls'].items()):
        if ctl['status'] != 'automated' or not ctl['rules']:
            continue
        ctl = dict(ctl, id=cid)
        for ssg in ctl['rules'] + implied(ctl['rules']):
            if ssg in by_ssg:
                # a second control of the same SSG rule: a copy (below)
                made, old = None, by_ssg[ssg]
            else:
                made = gen_rule(ssg.replace('-', '_').lower(), ssg, ctl, data, family)
                old = by_name.get(ssg)
            if old is not None and ssg in RETUNE:
                made = retune(old, ssg, data['values']) or made
            if old is not None and firewall_branch(old):
                # CIS lets the site choose a firewall and judges ufw only
                # where it is the one in use; the STIG requires ufw
                if made is None:
                    made = copy.deepcopy(old)
                    del made['requires']
                old = None
            valued = ssg in VALUED or rpm_stig_form(ssg, family)
            if old is not None and (made is None or same_check(old, made) or not valued):
                r = old
            elif made is not None:
                if made['id'] in ids:
                    made['id'] += '_stig'
                r = made
            else:
                continue
            by_ssg.setdefault(ssg, r)
            if r['id'] in owner and owner[r['id']] != cid:
                # a second control asks for the same rule: a copy of its own
                r = copy.deepcopy(r)
                r['id'] = '%s_%s' % (r['id'], cid.lower().replace('-', '_'))
                r['references'].pop('cis', None)
            if r['id'] in owner:
                continue
            owner[r['id']] = cid
            r['references']['stig'] = stig_ref(ctl)
            if r is not old and r['id'] not in ids:
                new.append(r)
                ids.add(r['id'])
            profile.append(r['id'])
    rules.extend(new)
    pack['profiles'].append({'id': 'stig', 'title': data['benchmark'], 'rules': profile})
    return pack


def firewall_branch(rule):
    """A CIS rule judged only where its firewall is the one the image
    uses (its requires names another firewall's service or package)."""
    req = json.dumps(rule.get('requires', {}))
    return any(x in req for x in ('"nftables.service"', '"netfilter-persistent.service"',
                                  '"iptables-persistent"'))


# SSG rules whose check reads an XCCDF value the STIG may set apart from
# CIS: a CIS rule of the same name is reused only when its check is the
# one the STIG's value makes (same_check), else the STIG rule is NAME_stig.
VALUED = set()


def _valued():
    for name in ('stig_ubuntu2204', 'stig_ubuntu2404', 'stig_rhel9'):
        path = os.path.join(DATA, name + '.json')
        if not os.path.exists(path):
            continue
        with open(path) as f:
            d = json.load(f)
        for n, info in d['ssg'].items():
            t = info.get('template') or {}
            vs = t.get('vars') or {}
            if (t.get('name') in ('accounts_password', 'pam_account_password_faillock')
                    or any(k in vs for k in ('xccdf_variable', 'ext_variable', 'arg_variable'))
                    or (t.get('name') == 'sysctl' and 'sysctlval' not in vs)):
                VALUED.add(n)
    VALUED.update(HAND_VALUED, RETUNE)


# CIS rules (hand-written, no template) whose bound the STIG moves: SSG
# name -> (the XCCDF variable, the STIG's value where the control file
# does not select one, the bound the CIS rule checks).
RETUNE = {
    'accounts_maximum_age_login_defs': ('var_accounts_maximum_age_login_defs', '60', ['365']),
    'account_disable_post_pw_expiration': ('var_account_disable_post_pw_expiration', '35',
                                           ['45', '30']),
    'accounts_tmout': ('var_accounts_tmout', '600', ['900']),
}


def retune(rule, ssg, values):
    """A copy of the CIS rule checking the STIG's value, or None when the
    values agree."""
    var, dflt, olds = RETUNE[ssg]
    new = values.get(var, dflt)
    text = json.dumps(rule)
    for old in olds:
        if old == new:
            return None
        text, n = re.subn(r'(?<![0-9])%s(?![0-9])' % old, new, text)
        if n:
            r = json.loads(text)
            r['references'].pop('cis', None)
            return r
    return None


# Hand-written rules, by family ('deb', 'rpm', 'any'): SSG rule name ->
# (check, fix, requires), for STIG controls whose SSG rule has no
# template the generator reads.
def any_line(path, regex, *more):
    """Some line of path (a glob, or a list of them) matches."""
    if isinstance(path, list):
        return {'any': [any_line(p, regex, *more) for p in path]}
    return probe('file_lines', {'path': path, 'regex': regex},
                 [c('text', 'match', m) for m in more], quantifier='any')


def no_line(path, regex):
    """No line of path (a glob, or a list of them) matches."""
    if isinstance(path, list):
        return {'all': [no_line(p, regex) for p in path]}
    return probe('file_lines', {'path': path, 'regex': regex}, [], quantifier='none')


def conf_value(path, key, value, sep='='):
    """KEY = VALUE in a key/value file (case-insensitive value), with the
    fix that sets it."""
    return (probe('file_lines', {'path': path, 'regex': '^%s*%s%s*%s%s*([^[:space:]]+)' % (
        SP, ere(key), SP, sep, SP)}, [c('1', 'eq', value, nocase=True)]),
        fix('line_present', path=path, line='%s %s %s' % (key, sep, value),
            regex='^%s*%s%s*%s' % (SP, ere(key), SP, sep)), None)


def priv(path):
    return from_template('x', {'name': 'audit_rules_privileged_commands', 'vars': {'path': path}},
                         {}, 'any')


def sshd_list(key, value):
    return (probe('sshd_config', {'key': key}, [c('value', 'eq', value)]),
            fix('sshd_set', key=key, value=value), pkg('openssh-server'))


def systemd_conf(section, key, value, path, dropin):
    return ({'any': [any_line(p, '^%s*%s%s*=%s*%s%s*$' % (SP, key, SP, SP, ere(value), SP))
                     for p in (path, dropin + '/*.conf')]},
            fix('file_content', path='%s/60-tattoo-%s.conf' % (dropin, key.lower()),
                content='[%s]\n%s=%s\n' % (section, key, value), mode='0644'), None)


def conf_in(path, key, allowed, fixval):
    """KEY = one of allowed (case-insensitive) in a key/value file."""
    return (probe('file_lines', {'path': path, 'regex': '^%s*%s%s*=%s*([^[:space:]]+)' % (
        SP, ere(key), SP, SP)}, [c('1', 'in', allowed, nocase=True)]),
        fix('line_present', path=path, line='%s = %s' % (key, fixval),
            regex='^%s*%s%s*=' % (SP, ere(key), SP)), None)


def dconf(key, regex, gdm):
    """A GNOME setting in the system dconf database (judged where GDM is
    installed: a server without it has no such setting to make)."""
    return (any_line('/etc/dconf/db/local.d/*', '^%s*%s%s*=%s*%s' % (SP, key, SP, SP, regex)),
            manual('Set %s in a file of /etc/dconf/db/local.d/ (and lock it in locks/), '
                   'then run dconf update.' % key), pkg(gdm))


def dconf_lock(path, gdm):
    return (any_line('/etc/dconf/db/local.d/locks/*', '^%s*%s%s*$' % (SP, ere(path), SP)),
            manual('List %s in a file of /etc/dconf/db/local.d/locks/, then run dconf update.'
                   % path), pkg(gdm))


def gnome(gdm):
    return {
        'dconf_gnome_disable_automount_open': dconf('automount-open', 'false', gdm),
        'dconf_gnome_disable_autorun': dconf('autorun-never', 'true', gdm),
        'dconf_gnome_lock_screen_on_smartcard_removal': dconf('removal-action', "'lock-screen'", gdm),
        'dconf_gnome_screensaver_lock_enabled': dconf('lock-enabled', 'true', gdm),
        'dconf_gnome_screensaver_idle_delay': dconf(
            'idle-delay', '(uint32%s+)?([1-9]|[1-9][0-9]|[1-8][0-9][0-9]|900)%s*$' % (SP, SP), gdm),
        'dconf_gnome_screensaver_lock_delay': dconf(
            'lock-delay', '(uint32%s+)?[0-5]%s*$' % (SP, SP), gdm),
        'dconf_gnome_session_idle_user_locks': dconf_lock('/org/gnome/desktop/session/idle-delay', gdm),
        'dconf_gnome_screensaver_user_locks': dconf_lock('/org/gnome/desktop/screensaver/lock-delay',
                                                         gdm),
        'dconf_gnome_screensaver_mode_blank': dconf('picture-uri', "''", gdm),
        'dconf_gnome_disable_restart_shutdown': dconf('disable-restart-buttons', 'true', gdm),
        'dconf_gnome_disable_ctrlaltdel_reboot': dconf('logout', "(''|\\[''\\]|@as \\[\\])", gdm),
        'dconf_gnome_banner_enabled': dconf('banner-message-enable', 'true', gdm),
        'dconf_gnome_login_banner_text': dconf('banner-message-text', "'You are accessing", gdm),
    }


AUDIT_TOOLS = ['/sbin/auditctl', '/sbin/aureport', '/sbin/ausearch', '/sbin/autrace',
               '/sbin/auditd', '/sbin/augenrules']


def tools_meta(**kw):
    return ({'all': [file_meta(p, **kw) for p in AUDIT_TOOLS]},
            manual('Keep the audit tools %s as the package installs them.' % ', '.join(AUDIT_TOOLS)),
            None)


AUDITD = '/etc/audit/auditd.conf'
BIN_DIRS = ['/bin', '/sbin', '/usr/bin', '/usr/sbin', '/usr/local/bin', '/usr/local/sbin']
LIB_DIRS = ['/lib', '/lib64', '/usr/lib', '/usr/lib64']


def files_in(dirs, what, **kw):
    """The files one level down in dirs (the file probe globs; it does not
    walk), with the check file_meta makes."""
    return ({'all': [file_meta(d + '/*', **kw) for d in dirs]},
            manual('Set %s of the files in %s as the check expects (the packages '
                   'install them so: reinstall what differs).' % (what, ', '.join(dirs))), None)


def pam_arg(service, module, arg, op=None, value=None, ptype='password'):
    conds = [c('arg_present', 'eq', 'true')]
    if op:
        conds.append(c('arg_value', op, value))
    return (probe('pam', {'service': service, 'type': ptype, 'module': module, 'arg': arg}, conds,
                  quantifier='any'),
            fix('pam_module_arg', service=service, type=ptype, module=module, arg=arg,
                **({'value': value} if value is not None else {})), None)


def rsyslog_line(regex, text):
    return (probe('rsyslog', {'regex': regex}, [], quantifier='any'), manual(text), None)


def remote_fs(option):
    return (probe('file_lines', {'path': '/etc/fstab',
                                 'regex': '^[^#[:space:]][^[:space:]]*[[:space:]]+[^[:space:]]+'
                                          '[[:space:]]+nfs4?[[:space:]]'},
                  [c('text', 'match', '[[:space:],]%s([[:space:],]|$)' % option)], empty='pass'),
            manual('Add %s to the options of every NFS file system in /etc/fstab.' % option), None)


AUDIT_CONF = ['/etc/audit/auditd.conf', '/etc/audit/audit.rules', AUDIT_RULES]
PKCS11 = '/etc/pam_pkcs11/pam_pkcs11.conf'
# what SSG leaves out of the /var/log mode check (login records, apt's)
VAR_LOG_EXCLUDED = '/([bw]tmp([.-].*)?|lastlog(\\..*)?|history\\.log.*|eipp\\.log\\.xz.*)$'
AUDIT_LOGS = '/var/log/audit/*.log'
SUDOERS = ['/etc/sudoers', '/etc/sudoers.d/*']
CHRONY = ['/etc/chrony/chrony.conf', '/etc/chrony.conf']
HAND = {'any': {
    'accounts_umask_etc_login_defs': (
        probe('login_defs', {'key': 'UMASK', 'default': '022'}, [c('value', 'match', '^0*77$')]),
        fix('login_defs_set', key='UMASK', value='077'), None),
    'disable_ctrlaltdel_reboot': (
        probe('systemd_unit', {'unit': 'ctrl-alt-del.target'}, [c('masked', 'eq', 'true')]),
        fix('unit_mask', unit='ctrl-alt-del.target'), None),
    'disable_ctrlaltdel_burstaction': systemd_conf(
        'Manager', 'CtrlAltDelBurstAction', 'none', '/etc/systemd/system.conf',
        '/etc/systemd/system.conf.d'),
    'no_empty_passwords_etc_shadow': (
        probe('accounts', {'table': 'shadow'}, [], filter=[c('password', 'eq', 'empty')],
              quantifier='none'),
        manual('Set a password or lock (passwd -l) every account with an empty one.'), None),
    'prevent_direct_root_logins': (
        probe('accounts', {'table': 'shadow'}, [c('password', 'eq', 'locked')],
              filter=[c('name', 'eq', 'root')]),
        fix('account_lock', user='root'), None),
    'no_duplicate_uids': (
        probe('account_duplicates', {'table': 'passwd', 'field': 'uid'}, [], quantifier='none'),
        manual('Give every account a uid of its own.'), None),
    'no_host_based_files': (
        {'all': [probe('file', {'path': p}, [c('exists', 'eq', 'false')])
                 for p in ('/etc/shosts.equiv', '/etc/ssh/shosts.equiv')]},
        manual('Remove /etc/shosts.equiv and /etc/ssh/shosts.equiv.'), None),
    'no_user_host_based_files': (
        probe('home_dirs', {'what': 'shosts'}, [], filter=[c('exists', 'eq', 'true')],
              quantifier='none'),
        manual('Remove the .shosts files of the users\' homes.'), None),
    'sudo_remove_nopasswd': (
        no_line(SUDOERS, '^[^#]*NOPASSWD'),
        manual('Remove NOPASSWD from /etc/sudoers and /etc/sudoers.d.'), None),
    'sudo_remove_no_authenticate': (
        no_line(SUDOERS, '^[^#]*!authenticate'),
        manual('Remove !authenticate from /etc/sudoers and /etc/sudoers.d.'), None),
    'accounts_max_concurrent_login_sessions': (
        probe('limits', {'item': 'maxlogins'}, [c('value', 'le', '10')],
              filter=[c('domain', 'eq', '*')]),
        fix('file_content', path='/etc/security/limits.d/60-tattoo-maxlogins.conf',
            content='* hard maxlogins 10\n', mode='0644'), None),
    'auditd_data_retention_action_mail_acct': conf_value('/etc/audit/auditd.conf',
                                                         'action_mail_acct', 'root'),
    'auditd_data_disk_full_action': conf_value('/etc/audit/auditd.conf', 'disk_full_action', 'HALT'),
    'auditd_data_retention_space_left_action': conf_value('/etc/audit/auditd.conf',
                                                          'space_left_action', 'email'),
    'auditd_data_retention_space_left_percentage': conf_value('/etc/audit/auditd.conf',
                                                              'space_left', '25%'),
    'file_permissions_var_log_audit_stig': (
        file_meta(AUDIT_LOGS, mode='0600'), fix('file_mode', path=AUDIT_LOGS, mode='0600'), None),
    'file_ownership_var_log_audit_stig': (
        file_meta(AUDIT_LOGS, owner='root'),
        fix('file_mode', path=AUDIT_LOGS, mode='7777', owner='root'), None),
    'file_group_ownership_var_log_audit_stig': (
        file_meta(AUDIT_LOGS, group='root'),
        fix('file_mode', path=AUDIT_LOGS, mode='7777', group='root'), None),
    'directory_permissions_var_log_audit': (
        file_meta('/var/log/audit', mode='0750'),
        fix('file_mode', path='/var/log/audit', mode='0750'), None),
    'audit_rules_privileged_commands_modprobe': priv('/sbin/modprobe'),
    'audit_rules_privileged_commands_fdisk': priv('/usr/sbin/fdisk'),
    'audit_rules_privileged_commands_pam_timestamp_check': priv('/usr/sbin/pam_timestamp_check'),
    'chronyd_or_ntpd_set_maxpoll': (
        {'any': [probe('file_lines', {'path': p, 'regex': '^%s*(server|pool)%s' % (SP, SP)},
                       [c('text', 'match', 'maxpoll%s+([0-9]|1[0-6])(%s|$)' % (SP, SP))])
                 for p in CHRONY]},
        manual('Add maxpoll 16 (or less) to every server and pool line of chrony.conf.'), None),
    'chronyd_sync_clock': (
        any_line(CHRONY, '^%s*makestep%s+1%s+-1' % (SP, SP, SP)),
        manual('Add "makestep 1 -1" to chrony.conf.'), None),
    'ensure_rtc_utc_configuration': (
        probe('file_lines', {'path': '/etc/adjtime', 'regex': '^(UTC|LOCAL)$'},
              [c('text', 'eq', 'UTC')]),
        manual('Keep the hardware clock in UTC: timedatectl set-local-rtc 0.'), None),
    'is_fips_mode_enabled': (
        probe('grub_cmdline', {'arg': 'fips'}, [c('present', 'eq', 'true'), c('value', 'eq', '1')]),
        manual('Enable FIPS mode with the vendor\'s FIPS kernel and modules (Ubuntu Pro: '
               'pro enable fips-updates; RHEL: fips-mode-setup --enable).'), None),
    'sysctl_crypto_fips_enabled': (
        probe('grub_cmdline', {'arg': 'fips'}, [c('present', 'eq', 'true'), c('value', 'eq', '1')]),
        manual('Enable FIPS mode: fips-mode-setup --enable, then reboot.'), None),
    'verify_use_mappers': (
        any_line('/etc/pam_pkcs11/pam_pkcs11.conf', '^%s*use_mappers%s*=%s*pwent' % (SP, SP, SP)),
        manual('Set use_mappers = pwent in /etc/pam_pkcs11/pam_pkcs11.conf.'), None),
    'audit_rules_immutable': (
        any_line(AUDIT_RULES, '^%s*-e%s+2%s*$' % (SP, SP, SP)),
        fix('file_content', path=AUDIT_DIR + '/99-tattoo-immutable.rules', content='-e 2\n',
            mode='0640'), None),
    'audit_rules_immutable_login_uids': (
        any_line(AUDIT_RULES, '^%s*--loginuid-immutable%s*$' % (SP, SP)),
        fix('file_content', path=AUDIT_DIR + '/11-tattoo-loginuid.rules',
            content='--loginuid-immutable\n', mode='0640'), None),
    'audit_rules_system_shutdown': (
        any_line(AUDIT_RULES, '^%s*-f%s+2%s*$' % (SP, SP, SP)),
        fix('file_content', path=AUDIT_DIR + '/12-tattoo-failure.rules', content='-f 2\n',
            mode='0640'), None),
    'audit_rules_suid_privilege_function': (
        lambda: (lambda lc: (lc[1], audit_file('audit_rules_suid_privilege_function', lc[0]), None))(
            syscall_lines(['execve'], 'execpriv', extra=' -C uid!=euid -F euid=0', auid=False)))(),
    'audit_rules_dac_modification_umount': (
        lambda: (lambda lc: (lc[1], audit_file('audit_rules_dac_modification_umount', lc[0]), None))(
            syscall_lines(['umount'], 'perm_mod', arches=('b32',))))(),
    'audit_rules_login_events_faillock': (
        audit_line('^%s*-w%s+/var/(log|run)/faillock/?%s+-p%s*[rwxa]*(w[rx]*a|a[rx]*w)' % (
            SP, SP, SP, SP)),
        audit_file('audit_rules_login_events_faillock', ['-w /var/log/faillock -p wa -k logins']),
        None),
    'sysctl_kernel_kptr_restrict': (
        probe('sysctl', {'key': 'kernel.kptr_restrict'}, [c('value', 'eq', '1'),
                                                          c('live', 'eq', '1', optional=True)]),
        fix('sysctl_set', key='kernel.kptr_restrict', value='1'), None),
    'disable_users_coredumps': (
        probe('limits', {'item': 'core'}, [c('value', 'eq', '0')], filter=[c('domain', 'eq', '*')]),
        fix('file_content', path='/etc/security/limits.d/60-tattoo-core.conf',
            content='* hard core 0\n', mode='0644'), None),
    'sysctl_kernel_exec_shield': (
        probe('grub_cmdline', {'arg': 'noexec'}, [c('present', 'eq', 'false')]),
        manual('Remove noexec=off from the kernel command line (GRUB_CMDLINE_LINUX).'), None),
    'grub2_disable_interactive_boot': (
        probe('grub_cmdline', {'arg': 'systemd.confirm_spawn'}, [c('present', 'eq', 'false')]),
        manual('Remove systemd.confirm_spawn from the kernel command line.'), None),
    'logind_session_timeout': systemd_conf('Login', 'StopIdleSessionSec', '600',
                                           '/etc/systemd/logind.conf', '/etc/systemd/logind.conf.d'),
    'accounts_logon_fail_delay': (
        probe('login_defs', {'key': 'FAIL_DELAY', 'default': '0'}, [c('value', 'ge', '4')]),
        fix('login_defs_set', key='FAIL_DELAY', value='4'), None),
    'accounts_have_homedir_login_defs': (
        probe('login_defs', {'key': 'CREATE_HOME', 'default': 'no'}, [c('value', 'eq', 'yes', nocase=True)]),
        fix('login_defs_set', key='CREATE_HOME', value='yes'), None),
    'accounts_passwords_pam_faillock_deny_root': (
        probe('faillock', {'key': 'even_deny_root'}, [c('value', 'eq', 'true')]),
        manual('Add even_deny_root to /etc/security/faillock.conf.'), None),
    'accounts_passwords_pam_faillock_audit': (
        probe('faillock', {'key': 'audit'}, [c('value', 'eq', 'true')]),
        manual('Add audit to /etc/security/faillock.conf.'), None),
    'accounts_passwords_pam_faillock_dir': (
        probe('faillock', {'key': 'dir'}, [c('value', 'eq', '/var/log/faillock')]),
        fix('faillock_set', key='dir', value='/var/log/faillock'), None),
    'sshd_rekey_limit': (
        probe('sshd_config', {'key': 'RekeyLimit'}, [c('value', 'match', '^1G[[:space:]]+1h$')]),
        fix('sshd_set', key='RekeyLimit', value='1G 1h'), pkg('openssh-server')),
    'rsyslog_cron_logging': (
        probe('rsyslog', {'regex': '^%s*cron\\.\\*' % SP}, [], quantifier='any'),
        fix('file_content', path='/etc/rsyslog.d/60-tattoo-cron.conf',
            content='cron.* /var/log/cron\n', mode='0644'), None),
    # The site's log host is a rule parameter (tools/packgen/loghost.py).
    'rsyslog_remote_loghost': (loghost.check(), loghost.fix(), None),
    'auditd_data_disk_error_action_stig': conf_in(AUDITD, 'disk_error_action',
                                                  ['syslog', 'single', 'halt'], 'HALT'),
    'auditd_data_disk_full_action_stig': conf_in(AUDITD, 'disk_full_action',
                                                 ['syslog', 'single', 'halt'], 'HALT'),
    'auditd_data_retention_admin_space_left_percentage': conf_value(AUDITD, 'admin_space_left', '5%'),
    'auditd_data_retention_admin_space_left_action': conf_in(AUDITD, 'admin_space_left_action',
                                                             ['single', 'halt'], 'single'),
    'auditd_data_retention_max_log_file_action_stig': conf_in(AUDITD, 'max_log_file_action',
                                                              ['rotate'], 'ROTATE'),
    'auditd_name_format': conf_in(AUDITD, 'name_format', ['hostname', 'fqd', 'numeric'], 'hostname'),
    'auditd_overflow_action': conf_in(AUDITD, 'overflow_action', ['syslog', 'single', 'halt'],
                                      'syslog'),
    'directory_ownership_var_log_audit': (
        file_meta('/var/log/audit', owner='root'),
        fix('file_mode', path='/var/log/audit', mode='7777', owner='root'), None),
    'directory_group_ownership_var_log_audit': (
        file_meta('/var/log/audit', group='root'),
        fix('file_mode', path='/var/log/audit', mode='7777', group='root'), None),
    'file_permissions_var_log_audit': (
        file_meta(AUDIT_LOGS, mode='0600'), fix('file_mode', path=AUDIT_LOGS, mode='0600'), None),
    'file_permissions_var_log_messages': (
        file_meta('/var/log/messages', mode='0640'),
        fix('file_mode', path='/var/log/messages', mode='0640'), None),
    'file_permissions_audit_binaries': tools_meta(mode='0755'),
    'file_ownership_audit_binaries': tools_meta(owner='root'),
    'file_groupownership_audit_binaries': tools_meta(group='root'),
    'sssd_offline_cred_expiration': conf_value('/etc/sssd/sssd.conf', 'offline_credentials_expiration',
                                               '1'),
    'require_emergency_target_auth': (
        any_line('/usr/lib/systemd/system/emergency.service',
                 '^%s*ExecStart=.*(sulogin|systemd-sulogin-shell)' % SP),
        manual('Keep sulogin in emergency.service\'s ExecStart.'), None),
    'require_singleuser_auth': (
        any_line('/usr/lib/systemd/system/rescue.service',
                 '^%s*ExecStart=.*(sulogin|systemd-sulogin-shell)' % SP),
        manual('Keep sulogin in rescue.service\'s ExecStart.'), None),
    'file_permissions_library_dirs': files_in(LIB_DIRS, 'the mode (0755 or less)', mode='0755'),
    'file_permissions_binary_dirs': files_in(BIN_DIRS, 'the mode (0755 or less)', mode='0755'),
    'file_ownership_binary_dirs': files_in(BIN_DIRS, 'the owner (root)', owner='root'),
    'file_groupownership_system_commands_dirs': (
        {'all': [probe('file', {'path': d + '/*'}, [c('gid', 'le', '999')],
                       filter=[c('exists', 'eq', 'true')], empty='pass') for d in BIN_DIRS]},
        manual('Keep the system commands group-owned by root or a system group.'), None),
    'file_ownership_audit_configuration': (
        {'all': [file_meta(p, owner='root') for p in AUDIT_CONF]},
        manual('chown root /etc/audit/auditd.conf /etc/audit/audit.rules /etc/audit/rules.d/*.rules'),
        None),
    'file_groupownership_audit_configuration': (
        {'all': [file_meta(p, group='root') for p in AUDIT_CONF]},
        manual('chgrp root /etc/audit/auditd.conf /etc/audit/audit.rules /etc/audit/rules.d/*.rules'),
        None),
    'file_owner_system_journal': (
        file_meta('/var/log/journal/*/system.journal', owner='root'),
        fix('file_mode', path='/var/log/journal/*/system.journal', mode='7777', owner='root'), None),
    'file_groupowner_system_journal': (
        file_meta('/var/log/journal/*/system.journal', group='systemd-journal'),
        fix('file_mode', path='/var/log/journal/*/system.journal', mode='7777',
            group='systemd-journal'), None),
    'sudo_restrict_privilege_elevation_to_authorized': (
        no_line(SUDOERS, '^%s*ALL%s+ALL%s*=%s*\\(ALL(:ALL)?\\)%s+ALL' % (SP, SP, SP, SP, SP)),
        manual('Remove "ALL ALL=(ALL) ALL" and "ALL ALL=(ALL:ALL) ALL" from the sudoers files.'),
        None),
    'rsyslog_remote_access_monitoring': (
        {'all': [probe('rsyslog', {'regex': '^[^#]*%s' % r}, [], quantifier='any')
                 for r in ('auth\\.\\*', 'authpriv\\.\\*', 'daemon\\.\\*')]},
        fix('file_content', path='/etc/rsyslog.d/60-tattoo-remote-access.conf',
            content='auth.*,authpriv.* /var/log/secure\ndaemon.* /var/log/messages\n', mode='0644'),
        None),
    'smartcard_configure_cert_checking': (
        any_line(PKCS11, '^%s*cert_policy%s*=.*ocsp_on' % (SP, SP)),
        manual('Add ocsp_on to cert_policy in %s.' % PKCS11), None),
    'smartcard_configure_ca': (
        any_line(PKCS11, '^%s*cert_policy%s*=.*(^|[=,[:space:]])ca([,;[:space:]]|$)' % (SP, SP)),
        manual('Add ca to cert_policy in %s.' % PKCS11), None),
    'smartcard_configure_crl': (
        any_line(PKCS11, '^%s*cert_policy%s*=.*crl_(auto|offline)' % (SP, SP)),
        manual('Add crl_auto or crl_offline to cert_policy in %s.' % PKCS11), None),
    'sssd_enable_smartcards': (
        any_line('/etc/sssd/sssd.conf', '^%s*pam_cert_auth%s*=%s*[Tt]rue' % (SP, SP, SP)),
        manual('Set pam_cert_auth = True under [pam] in /etc/sssd/sssd.conf.'), None),
    'sssd_enable_pam_services': (
        any_line('/etc/sssd/sssd.conf', '^%s*services%s*=.*pam' % (SP, SP)),
        manual('List pam in services under [sssd] in /etc/sssd/sssd.conf.'), None),
    'set_password_hashing_algorithm_logindefs': (
        probe('login_defs', {'key': 'ENCRYPT_METHOD', 'default': 'DES'},
              [c('value', 'eq', 'SHA512', nocase=True)]),
        fix('login_defs_set', key='ENCRYPT_METHOD', value='SHA512'), None),
    'chronyd_client_only': (
        any_line(CHRONY, '^%s*port%s+0%s*$' % (SP, SP, SP)),
        manual('Add "port 0" to chrony.conf.'), None),
    'chronyd_no_chronyc_network': (
        any_line(CHRONY, '^%s*cmdport%s+0%s*$' % (SP, SP, SP)),
        manual('Add "cmdport 0" to chrony.conf.'), None),
    # omfwd's StreamDriverAuthMode="x509/name" (or StreamDriver.AuthMode),
    # or the legacy "$ActionSendStreamDriverAuthMode x509/name" that
    # DISA's check text shows: the value after "=" or a blank
    'rsyslog_encrypt_offload_actionsendstreamdriverauthmode': rsyslog_line(
        'StreamDriver\\.?AuthMode(%s*=%s*"?|%s+)x509/name' % (SP, SP, SP),
        'Set StreamDriverAuthMode="x509/name" on the forwarding action.'),
    'rsyslog_encrypt_offload_actionsendstreamdrivermode': rsyslog_line(
        'StreamDriver\\.?Mode(%s*=%s*"?|%s+)1([^0-9]|$)' % (SP, SP, SP),
        'Set StreamDriverMode="1" on the forwarding action.'),
    'rsyslog_encrypt_offload_defaultnetstreamdriver': rsyslog_line(
        '(DefaultNetstreamDriver"?[[:space:]]*=?[[:space:]]*"?gtls|DefaultNetstreamDriver[[:space:]]+gtls)',
        'Set DefaultNetstreamDriver="gtls" in rsyslog\'s global() or $DefaultNetstreamDriver gtls.'),
    'mount_option_nodev_remote_filesystems': remote_fs('nodev'),
    'mount_option_noexec_remote_filesystems': remote_fs('noexec'),
    'mount_option_nosuid_remote_filesystems': remote_fs('nosuid'),
    'sssd_enable_user_cert': (
        any_line('/etc/sssd/sssd.conf', '^%s*ldap_user_certificate%s*=%s*userCertificate;binary' % (
            SP, SP, SP)),
        manual('Set ldap_user_certificate = userCertificate;binary in /etc/sssd/sssd.conf.'), None),
    'permissions_local_var_log': (
        probe('file', {'path': '/var/log/*'}, [c('mode', 'mode_max', '0640')],
              filter=[c('type', 'eq', 'file'), c('path', 'not_match', VAR_LOG_EXCLUDED)], empty='pass'),
        manual('chmod 0640 the files of /var/log (not wtmp, btmp, lastlog).'), None),
    'file_permissions_var_log_stig': (
        probe('file', {'path': '/var/log/*'}, [c('mode', 'mode_max', '0640')],
              filter=[c('type', 'eq', 'file'), c('path', 'not_match', VAR_LOG_EXCLUDED)], empty='pass'),
        manual('chmod 0640 the files of /var/log (not wtmp, btmp, lastlog).'), None),
    'auditd_offload_logs': (
        probe('file', {'path': '/etc/cron.weekly/audit-offload'}, [c('exists', 'eq', 'true')]),
        manual('Add /etc/cron.weekly/audit-offload, a job that copies the audit logs to other '
               'storage.'), None),
    'aide_disable_silentreports': (
        no_line('/etc/aide/aide.conf', '^%s*SILENTREPORTS%s*=%s*yes' % (SP, SP, SP)),
        fix('line_present', path='/etc/aide/aide.conf', line='SILENTREPORTS=no',
            regex='^%s*SILENTREPORTS%s*=' % (SP, SP)), None),
}, 'deb': {
    'set_password_hashing_algorithm_auth_stig': pam_arg('common-password', 'pam_unix.so', 'sha512'),
    'accounts_password_pam_unix_rounds_password_auth': pam_arg('common-password', 'pam_unix.so',
                                                               'rounds', 'ge', '100000'),
    'smartcard_pam_enabled': (
        probe('pam', {'service': 'common-auth', 'module': 'pam_pkcs11.so'}, [], quantifier='any'),
        manual('Add pam_pkcs11.so to /etc/pam.d/common-auth.'), None),
    'aide_check_audit_tools': (
        {'all': [any_line('/etc/aide/aide.conf', '^%s*%s%s' % (SP, ere(t), SP)) for t in AUDIT_TOOLS]},
        manual('List the audit tools in /etc/aide/aide.conf (p+i+n+u+g+s+b+acl+xattrs+sha512).'),
        None),
    'service_kdump_disabled': (
        probe('systemd_unit', {'unit': 'kdump-tools.service'}, [c('enabled', 'eq', 'false')]),
        fix('unit_mask', unit='kdump-tools.service'), None),
    'sudo_require_authentication': (
        no_line(SUDOERS, '^[^#]*(NOPASSWD|!authenticate)'),
        manual('Remove NOPASSWD and !authenticate from /etc/sudoers and /etc/sudoers.d.'), None),
    'installed_OS_is_vendor_supported': (
        any_line('/etc/os-release', '^ID="?ubuntu"?$'),
        manual('Run an Ubuntu LTS release Canonical supports.'), None),
    'apt_conf_disallow_unauthenticated': (
        no_line('/etc/apt/apt.conf.d/*', '^[^#]*AllowUnauthenticated[^;]*"?(true|1|yes)"?'),
        manual('Remove AllowUnauthenticated "true" from /etc/apt/apt.conf.d.'), None),
    'clean_components_post_updating': (
        {'all': [any_line('/etc/apt/apt.conf.d/*', '^%s*Unattended-Upgrade::%s%s+"true"' % (SP, k, SP))
                 for k in ('Remove-Unused-Dependencies', 'Remove-Unused-Kernel-Packages')]},
        fix('file_content', path='/etc/apt/apt.conf.d/60-tattoo-remove-unused',
            content='Unattended-Upgrade::Remove-Unused-Dependencies "true";\n'
            'Unattended-Upgrade::Remove-Unused-Kernel-Packages "true";\n', mode='0644'), None),
    'check_ufw_active': (
        {'all': [probe('shell_vars', {'path': '/etc/ufw/ufw.conf', 'key': 'ENABLED'},
                       [c('value', 'eq', 'yes')]),
                 probe('systemd_unit', {'unit': 'ufw.service'}, [c('state', 'eq', 'enabled')])]},
        manual('Enable ufw: ufw enable.'), None),
    'audit_rules_privileged_commands_ssh_keysign': priv('/usr/lib/openssh/ssh-keysign'),
}, 'rpm': {
    'configured_firewalld_default_deny': (
        probe('shell_vars', {'path': '/etc/firewalld/firewalld.conf', 'key': 'DefaultZone'},
              [c('value', 'eq', 'drop')]),
        fix('shell_var_set', path='/etc/firewalld/firewalld.conf', key='DefaultZone', value='drop'),
        pkg('firewalld')),
    'accounts_user_interactive_home_directory_defined': (
        probe('accounts', {'table': 'passwd'}, [c('home', 'match', '^/.')],
              filter=[c('login_shell', 'eq', 'true'), c('system', 'eq', 'false')], empty='pass'),
        manual('Give every interactive user a home directory in /etc/passwd.'), None),
    'accounts_password_pam_enforce_root': (
        any_line(['/etc/security/pwquality.conf', '/etc/security/pwquality.conf.d/*.conf'],
                 '^%s*enforce_for_root%s*$' % (SP, SP)),
        fix('file_content', path='/etc/security/pwquality.conf.d/60-tattoo-enforce-root.conf',
            content='enforce_for_root\n', mode='0644'), None),
    'sssd_certificate_verification': (
        any_line('/etc/sssd/sssd.conf', '^%s*certificate_verification%s*=%s*ocsp_dgst%s*=%s*sha512' % (
            SP, SP, SP, SP, SP)),
        manual('Set certificate_verification = ocsp_dgst=sha512 under [sssd] in /etc/sssd/sssd.conf.'),
        None),
    'sssd_has_trust_anchor': (
        probe('file', {'path': '/etc/sssd/pki/sssd_auth_ca_db.pem'}, [c('exists', 'eq', 'true')]),
        manual('Install the DoD root CA bundle as /etc/sssd/pki/sssd_auth_ca_db.pem.'), None),
    'sssd_enable_certmap': (
        any_line('/etc/sssd/sssd.conf', '^%s*\\[certmap/[^/]+/[^]]+\\]' % SP),
        manual('Add a [certmap/DOMAIN/NAME] section to /etc/sssd/sssd.conf.'), None),
    'configure_opensc_card_drivers': (
        any_line('/etc/opensc.conf', '^%s*card_drivers%s*=%s*cac' % (SP, SP, SP)),
        manual('Set card_drivers = cac; in /etc/opensc.conf.'), None),
    'aide_use_fips_hashes': (
        any_line('/etc/aide.conf', '^[^#]*=.*sha512'),
        manual('Use sha512 in the rule selections of /etc/aide.conf.'), pkg('aide')),
    'aide_verify_acls': (
        any_line('/etc/aide.conf', '^[^#]*=.*acl'),
        manual('Add acl to the rule selections of /etc/aide.conf.'), pkg('aide')),
    'aide_verify_ext_attributes': (
        any_line('/etc/aide.conf', '^[^#]*=.*xattrs'),
        manual('Add xattrs to the rule selections of /etc/aide.conf.'), pkg('aide')),
    'aide_scan_notification': (
        any_line(['/etc/crontab', '/etc/cron.d/*', '/etc/cron.daily/*', '/etc/cron.weekly/*'],
                 'aide[^|]*--check[^|]*\\|.*mail'),
        manual('Mail the result of a scheduled aide --check (e.g. | /bin/mail -s ... root).'),
        pkg('aide')),
    'postfix_client_configure_mail_alias': (
        any_line('/etc/aliases', '^%s*root%s*:%s*[^[:space:]]+' % (SP, SP, SP)),
        manual('Alias root to the system administrators in /etc/aliases (then newaliases).'),
        pkg('postfix')),
    'accounts_password_all_shadowed_sha512': (
        probe('accounts', {'table': 'shadow'}, [c('hash_type', 'eq', 'sha512')],
              filter=[c('password', 'eq', 'hash')], empty='pass'),
        manual('Change the passwords hashed with another method than SHA-512.'), None),
    'usbguard_generate_policy': (
        probe('file', {'path': '/etc/usbguard/rules.conf'}, [c('exists', 'eq', 'true'),
                                                            c('size', 'gt', '0')]),
        manual('usbguard generate-policy > /etc/usbguard/rules.conf'), None),
    'sudoers_validate_passwd': (
        {'all': [probe('sudoers', {'key': k}, [c('value', 'eq', 'false')], quantifier='any')
                 for k in ('targetpw', 'rootpw', 'runaspw')]},
        manual('Add Defaults !targetpw, !rootpw and !runaspw to /etc/sudoers.'), None),
    'accounts_password_pam_unix_rounds_password_auth': pam_arg('password-auth', 'pam_unix.so',
                                                               'rounds', 'ge', '100000'),
    'accounts_password_pam_unix_rounds_system_auth': pam_arg('system-auth', 'pam_unix.so',
                                                             'rounds', 'ge', '100000'),
    'accounts_password_pam_pwquality_password_auth': (
        probe('pam', {'service': 'password-auth', 'type': 'password', 'module': 'pam_pwquality.so'},
              [], quantifier='any'),
        manual('authselect: keep pam_pwquality in password-auth.'), None),
    'accounts_password_pam_pwquality_system_auth': (
        probe('pam', {'service': 'system-auth', 'type': 'password', 'module': 'pam_pwquality.so'},
              [], quantifier='any'),
        manual('authselect: keep pam_pwquality in system-auth.'), None),
    'set_password_hashing_algorithm_libuserconf': (
        any_line('/etc/libuser.conf', '^%s*crypt_style%s*=%s*sha512' % (SP, SP, SP)),
        manual('Set crypt_style = sha512 under [defaults] in /etc/libuser.conf.'), None),
    'disallow_bypass_password_sudo': (
        no_line('/etc/pam.d/sudo', '^[^#]*pam_succeed_if'),
        manual('Remove pam_succeed_if from /etc/pam.d/sudo.'), None),
    'aide_check_audit_tools': (
        {'all': [any_line('/etc/aide.conf', '^%s*%s%s' % (SP, ere(t.replace('/sbin/', '/usr/sbin/')), SP))
                 for t in AUDIT_TOOLS]},
        manual('List the audit tools in /etc/aide.conf (p+i+n+u+g+s+b+acl+xattrs+sha512).'), None),
    'configure_libreswan_crypto_policy': (
        any_line('/etc/ipsec.conf', '^%s*include%s+/etc/crypto-policies/back-ends/libreswan\\.config' % (
            SP, SP)),
        manual('Include /etc/crypto-policies/back-ends/libreswan.config in /etc/ipsec.conf.'),
        pkg('libreswan')),
    'configure_bind_crypto_policy': (
        any_line('/etc/named.conf', '^%s*include%s+"/etc/crypto-policies/back-ends/bind\\.config"' % (
            SP, SP)),
        manual('Include "/etc/crypto-policies/back-ends/bind.config" in /etc/named.conf.'), pkg('bind')),
    'postfix_client_configure_mail_alias_postmaster': (
        any_line('/etc/aliases', '^%s*postmaster%s*:%s*root' % (SP, SP, SP)),
        manual('Alias postmaster to root in /etc/aliases (then newaliases).'), pkg('postfix')),
    'service_kdump_disabled': (
        probe('systemd_unit', {'unit': 'kdump.service'}, [c('enabled', 'eq', 'false')]),
        fix('unit_mask', unit='kdump.service'), None),
    'audit_rules_privileged_commands_unix_chkpwd': priv('/usr/sbin/unix_chkpwd'),
    'ensure_redhat_gpgkey_installed': (
        pkg('gpg-pubkey'), manual('rpm --import /etc/pki/rpm-gpg/RPM-GPG-KEY-redhat-release'), None),
    'ensure_epel_repos_disabled': (
        no_line('/etc/yum.repos.d/epel*.repo', '^%s*enabled%s*=%s*1' % (SP, SP, SP)),
        manual('Disable the EPEL repositories (enabled=0).'), None),
    'clean_components_post_updating': (
        any_line('/etc/dnf/dnf.conf', '^%s*clean_requirements_on_remove%s*=%s*(1|[Tt]rue|[Yy]es)' % (
            SP, SP, SP)),
        fix('line_present', path='/etc/dnf/dnf.conf', line='clean_requirements_on_remove=1',
            regex='^%s*clean_requirements_on_remove%s*=' % (SP, SP)), None),
    # the link systemctl set-default makes (not what it points to), else,
    # without one, the vendor's default in /usr/lib, as systemd reads them
    'xwindows_runlevel_target': (
        {'any': [probe('file', {'path': '/etc/systemd/system/default.target', 'follow': False},
                       [c('target', 'match', 'multi-user\\.target$')]),
                 {'all': [probe('file', {'path': '/etc/systemd/system/default.target', 'follow': False},
                                [c('exists', 'eq', 'false')]),
                          probe('file', {'path': '/usr/lib/systemd/system/default.target', 'follow': False},
                                [c('target', 'match', 'multi-user\\.target$')])]}]},
        manual('systemctl set-default multi-user.target'), None),
    # DISA: "default", "none" or "systemd-resolved" (SSG's value: the first two)
    'networkmanager_dns_mode': dropin_setting(
        '/etc/NetworkManager/NetworkManager.conf', '/etc/NetworkManager/conf.d', 'main', 'dns',
        ['none', 'default', 'systemd-resolved']),
    # DISA checks the socket ("systemctl is-active pcscd.socket"); the
    # service is started by it
    'service_pcscd_enabled': (
        probe('systemd_unit', {'unit': 'pcscd.socket'}, [c('state', 'in', ['enabled', 'static']),
                                                         c('active', 'eq', 'true', optional=True)]),
        fix('unit_enable', unit='pcscd.socket'), None),
    'xwindows_remove_packages': (
        pkg('xorg-x11-server-common', False), fix('package_remove', name='xorg-x11-server-common'),
        None),
    'accounts_umask_etc_csh_cshrc': (
        any_line('/etc/csh.cshrc', '^%s*umask%s+0*77%s*$' % (SP, SP, SP)),
        manual('Set umask 077 in /etc/csh.cshrc.'), None),
    'postfix_prevent_unrestricted_relay': (
        any_line('/etc/postfix/main.cf',
                 '^%s*smtpd_client_restrictions%s*=%s*permit_mynetworks%s*,%s*reject%s*$' % (
                     SP, SP, SP, SP, SP, SP)),
        manual('postconf -e "smtpd_client_restrictions = permit_mynetworks,reject"'),
        pkg('postfix')),
    'installed_OS_is_vendor_supported': (
        any_line('/etc/os-release', '^ID="?rhel"?$'),
        manual('Run a Red Hat Enterprise Linux 9 release Red Hat supports.'), None),
    'audit_rules_privileged_commands_ssh_keysign': priv('/usr/libexec/openssh/ssh-keysign'),
    'selinux_state': (
        probe('shell_vars', {'path': '/etc/selinux/config', 'key': 'SELINUX'},
              [c('value', 'eq', 'enforcing')]),
        fix('shell_var_set', path='/etc/selinux/config', key='SELINUX', value='enforcing'), None),
    'ensure_gpgcheck_local_packages': (
        any_line('/etc/dnf/dnf.conf', '^%s*localpkg_gpgcheck%s*=%s*(1|[Tt]rue|[Yy]es)%s*$' % (
            SP, SP, SP, SP)),
        fix('line_present', path='/etc/dnf/dnf.conf', line='localpkg_gpgcheck=1',
            regex='^%s*localpkg_gpgcheck%s*=' % (SP, SP)), None),
    'ensure_gpgcheck_never_disabled': (
        no_line(['/etc/dnf/dnf.conf', '/etc/yum.repos.d/*.repo'], '^%s*gpgcheck%s*=%s*(0|[Ff]alse|[Nn]o)' % (
            SP, SP, SP)),
        manual('Set gpgcheck=1 in every repository of /etc/yum.repos.d.'), None),
    'no_empty_passwords': (
        {'all': [probe('pam', {'service': svc, 'module': 'pam_unix.so', 'arg': 'nullok'},
                       [c('arg_present', 'eq', 'false')], empty='pass')
                 for svc in ('system-auth', 'password-auth')]},
        manual('authselect disable-feature nullok (or remove nullok from pam_unix in '
               'system-auth and password-auth).'), None),
    'grub2_admin_username': (
        probe('file_lines', {'path': '/boot/grub2/grub.cfg',
                             'regex': '^%s*set%s+superusers="?([^"[:space:]]*)' % (SP, SP)},
              [c('1', 'ne', 'root')]),
        manual('Name a GRUB superuser other than root (grub2-setpassword; set superusers in '
               '/etc/grub.d/01_users).'), None),
    'gnome_gdm_disable_automatic_login': (
        no_line('/etc/gdm/custom.conf', '^%s*AutomaticLoginEnable%s*=%s*[Tt]rue' % (SP, SP, SP)),
        manual('Set AutomaticLoginEnable=false under [daemon] in /etc/gdm/custom.conf.'), None),
}}
# The lists of DISA's Ubuntu 22.04 STIG V2R8 (its fix texts); Ubuntu
# 24.04's MACs are the control file's ssh_approved_macs value, its
# ciphers and key exchange are not in the data (no rule).
HAND['ubuntu2204'] = {
    'sshd_use_approved_ciphers_ordered_stig': sshd_list(
        'Ciphers', 'aes256-ctr,aes256-gcm@openssh.com,aes128-ctr,aes128-gcm@openssh.com'),
    'sshd_use_approved_macs_ordered_stig': sshd_list(
        'MACs', 'hmac-sha2-512,hmac-sha2-512-etm@openssh.com,hmac-sha2-256,'
        'hmac-sha2-256-etm@openssh.com'),
    'sshd_use_approved_kex_ordered_stig': sshd_list(
        'KexAlgorithms', 'ecdh-sha2-nistp256,ecdh-sha2-nistp384,ecdh-sha2-nistp521,'
        'diffie-hellman-group-exchange-sha256'),
}
U2404_MACS = load('ubuntu2404')['values'].get('ssh_approved_macs') if os.path.exists(
    os.path.join(DATA, 'stig_ubuntu2404.json')) else None
if U2404_MACS:
    HAND['ubuntu2404'] = {
        'sshd_use_approved_macs_ordered_stig': sshd_list('MACs', U2404_MACS),
        'ssh_use_approved_macs_ordered_stig': (
            {'any': [any_line(p, '^%s*MACs%s+%s%s*$' % (SP, SP, ere(U2404_MACS), SP))
                     for p in ('/etc/ssh/ssh_config', '/etc/ssh/ssh_config.d/*.conf')]},
            fix('file_content', path='/etc/ssh/ssh_config.d/60-tattoo-macs.conf',
                content='MACs %s\n' % U2404_MACS, mode='0644'), None),
    }

# -- s8: controls an image tree answers that the tables above left out ------
# Disk encryption as the image shows it: /etc/crypttab opens a device and
# / is mounted from device-mapper (LUKS, or LVM on LUKS).  Encryption the
# host does (Azure's server-side encryption, ADE applied after deployment)
# is not visible in the image: the finding then needs the site's evidence.
ENCRYPTED = (
    {'all': [any_line('/etc/crypttab', '^%s*[^#[:space:]]+%s+[^[:space:]]+' % (SP, SP)),
             any_line('/etc/fstab', '^%s*/dev/mapper/[^[:space:]]+%s+/%s' % (SP, SP, SP))]},
    manual('Install the system on LUKS (the installer\'s "Encrypt my data", or cryptsetup '
           'luksFormat and an /etc/crypttab entry), or document the platform\'s encryption at rest.'),
    None)
# An /etc/fstab entry for removable media (as sle15.py reads it): mounted
# under /media or on /mnt/cdrom, /mnt/floppy, /mnt/usb; \3 is its options.
REMOVABLE_FSTAB = ('^[[:space:]]*[^#[:space:]]+[[:space:]]+(/media/[^[:space:]]*|/mnt/(cdrom|floppy|usb)'
                   '[^[:space:]]*)[[:space:]]+[^[:space:]]+[[:space:]]+([^[:space:]]+)')


def removable(option):
    return (probe('file_lines', {'path': '/etc/fstab', 'regex': REMOVABLE_FSTAB},
                  [c('3', 'has_word', option)], empty='pass'),
            manual('Add %s to the options of each removable media entry in /etc/fstab.' % option), None)


# Every /etc/fstab entry of a local Linux file system but / ; \3 its options.
NONROOT_LOCAL = ('^[[:space:]]*[^#[:space:]]+[[:space:]]+(/[^[:space:]]+)[[:space:]]+'
                 '(xfs|ext[234]|btrfs)[[:space:]]+([^[:space:]]+)')


def one_of(items):
    """An ERE matching a comma-separated list whose every element is one
    of items (the approved algorithms), in any order."""
    alt = '(%s)' % '|'.join(ere(i) for i in items.split(','))
    return '%s(,%s)*' % (alt, alt)


R9 = load('rhel9')['values'] if os.path.exists(os.path.join(DATA, 'stig_rhel9.json')) else {}
SSHD_BACKEND = '/etc/crypto-policies/back-ends/opensshserver.config'


def backend_list(key, items):
    """sshd's crypto-policy back end lists only approved algorithms for key."""
    return (any_line(SSHD_BACKEND, '^%s*%s%s+%s%s*$' % (SP, key, SP, one_of(items), SP)),
            manual('Select a crypto policy whose %s are the approved ones (update-crypto-policies '
                   '--set FIPS) and keep %s generated by it.' % (key, SSHD_BACKEND)),
            pkg('openssh-server'))


ROOT_INIT = ['/root/.bash_profile', '/root/.bashrc', '/root/.bash_logout', '/root/.profile',
             '/root/.cshrc', '/root/.tcshrc']
HAND['any'].update({
    'encrypt_partitions': ENCRYPTED,
    'mount_option_noexec_removable_partitions': removable('noexec'),
    'mount_option_nodev_removable_partitions': removable('nodev'),
    'mount_option_nosuid_removable_partitions': removable('nosuid'),
    'mount_option_nodev_nonroot_local_partitions': (
        probe('file_lines', {'path': '/etc/fstab', 'regex': NONROOT_LOCAL},
              [c('3', 'has_word', 'nodev')], empty='pass'),
        manual('Add nodev to the options of every local file system but / in /etc/fstab.'), None),
})
HAND['rpm'].update({
    # RHEL's sshd takes its algorithms from the crypto policy through the
    # Include in 50-redhat.conf; DISA's lists are the FIPS policy's.
    'sshd_include_crypto_policy': (
        any_line(['/etc/ssh/sshd_config', '/etc/ssh/sshd_config.d/*.conf'],
                 '^%s*Include%s+/etc/crypto-policies/back-ends/opensshserver\\.config%s*$' % (SP, SP, SP)),
        manual('Restore /etc/ssh/sshd_config.d/50-redhat.conf (Include '
               '/etc/crypto-policies/back-ends/opensshserver.config).'), pkg('openssh-server')),
    'crypto_policy_not_overridden': (
        probe('file', {'path': '/etc/crypto-policies/back-ends/*.config', 'follow': False},
              [c('type', 'eq', 'link'), c('target', 'match', '^/usr/share/crypto-policies/')],
              empty='fail'),
        manual('Run update-crypto-policies --set FIPS (or the site policy): it links every back '
               'end of /etc/crypto-policies/back-ends to the policy\'s files.'), None),
    'fapolicy_default_deny': (
        {'all': [any_line(['/etc/fapolicyd/fapolicyd.rules', '/etc/fapolicyd/rules.d/*.rules'],
                          '^%s*deny(_audit|_syslog|_log)?%s+perm=any%s+all%s*:%s*all%s*$' % (SP, SP, SP, SP, SP, SP)),
                 probe('file_lines', {'path': '/etc/fapolicyd/fapolicyd.conf',
                                      'regex': '^%s*permissive%s*=%s*([0-9]+)' % (SP, SP, SP)},
                       [c('1', 'eq', '0')])]},
        manual('End the fapolicyd rules with "deny perm=any all : all" (rules.d/99-deny.rules), set '
               'permissive = 0 in /etc/fapolicyd/fapolicyd.conf and run fagenrules --load.'),
        pkg('fapolicyd')),
    'file_permission_user_init_files_root': (
        {'all': [probe('file', {'path': f}, [c('mode', 'mode_max', '0740')],
                       filter=[c('exists', 'eq', 'true')], empty='pass') for f in ROOT_INIT]},
        fix('file_mode', path='/root/.bash*', mode='0740'), None),
})
if R9.get('sshd_approved_ciphers'):
    HAND['rpm']['harden_sshd_ciphers_opensshserver_conf_crypto_policy'] = backend_list(
        'Ciphers', R9['sshd_approved_ciphers'])
if R9.get('sshd_approved_macs'):
    HAND['rpm']['harden_sshd_macs_opensshserver_conf_crypto_policy'] = backend_list(
        'MACs', R9['sshd_approved_macs'])
HAND['deb'].update({
    # A golden image has no administrators of its own: they are added at
    # provisioning (cloud-init, the Azure agent).  A member of sudo baked
    # into the image is one on every VM made from it.
    'ensure_sudo_group_restricted': (
        probe('accounts', {'table': 'group'}, [c('members', 'eq', '')],
              filter=[c('name', 'eq', 'sudo')], empty='pass'),
        manual('Remove the sudo group\'s members from the image (gpasswd -d USER sudo); give '
               'administrators sudo at provisioning.'), None),
    # ufw keeps "ufw limit" rules in user.rules / user6.rules, each behind
    # a "### tuple ### limit" comment that ufw itself reads back.
    'ufw_rate_limit': (
        {'any': [probe('file_lines', {'path': f, 'regex': '^### tuple ### limit ', 'comments': True},
                       [], quantifier='any') for f in ('/etc/ufw/user.rules', '/etc/ufw/user6.rules')]},
        manual('Rate-limit the exposed services: ufw limit ssh (and each other allowed port).'),
        pkg('ufw')),
    # DISA's ssh_confirm.sh: the login shell shows the DoD notice and reads
    # the user's answer before going on.
    'banner_etc_profiled_ssh_confirm': (
        {'all': [any_line('/etc/profile.d/ssh_confirm.sh', 'You are accessing a U\\.S\\. Government'),
                 any_line('/etc/profile.d/ssh_confirm.sh', '^%s*read%s' % (SP, SP))]},
        manual('Install DISA\'s /etc/profile.d/ssh_confirm.sh (the fix text of the control).'), None),
})
HAND['deb'].update(gnome('gdm3'))
HAND['rpm'].update(gnome('gdm'))
# DISA's RHEL 9 STIG writes its file watches as syscall rules ("-a
# always,exit -F arch=b64 -F path=/etc/passwd -F perm=wa -k identity") and
# checks that auditctl -l lists the path; the CIS rules of the same SSG
# names find only "-w PATH -p wa", as CIS's own checks do: the stig
# profile gets rules of its own (*_stig) that take either.
RPM_WATCHES = {
    'audit_rules_sudoers': ('/etc/sudoers', 'identity'),
    'audit_rules_sudoers_d': ('/etc/sudoers.d/', 'identity'),
    'audit_rules_usergroup_modification_group': ('/etc/group', 'identity'),
    'audit_rules_usergroup_modification_gshadow': ('/etc/gshadow', 'identity'),
    'audit_rules_usergroup_modification_opasswd': ('/etc/security/opasswd', 'identity'),
    'audit_rules_usergroup_modification_passwd': ('/etc/passwd', 'identity'),
    'audit_rules_usergroup_modification_shadow': ('/etc/shadow', 'identity'),
    'audit_rules_login_events_faillock': ('/var/log/faillock', 'logins'),
    'audit_rules_login_events_lastlog': ('/var/log/lastlog', 'logins'),
}


# RHEL 9 STIG rules whose check text asks more than CIS's rule of the same
# SSG name (the stig profile gets NAME_stig where the CIS profiles have
# NAME), or than SSG's template:
COREDUMP_SOCKET = 'systemd-coredump.socket'
RPM_STIG_RULES = {
    # RHEL-09-252020: "the parameter server" set to the site's time
    # source (CIS takes a server or a pool line)
    'chronyd_specify_remote_server': (
        any_line(['/etc/chrony.conf', '/etc/chrony.d/*.conf'], '^%s*server%s+[^[:space:]]+' % (SP, SP)),
        manual('Add a "server" line naming the site\'s authoritative (DOD) time source to '
               '/etc/chrony.conf.'), None),
    # RHEL-09-215105: the policy is FIPS, or FIPS with subpolicies (CIS
    # only refuses LEGACY)
    'configure_crypto_policy': (
        any_line('/etc/crypto-policies/config', '^%s*FIPS(:[^[:space:]]+)?%s*$' % (SP, SP)),
        manual('update-crypto-policies --set FIPS:STIG (with the STIG subpolicy), or '
               'fips-mode-setup --enable; then reboot.'), None),
    # RHEL-09-652055: forwarding over TCP, "@@host" in the legacy syntax,
    # or an omfwd action (CIS takes any forwarding)
    'rsyslog_remote_loghost': rsyslog_line(
        '(@@[^[:space:]]|type%s*=%s*"omfwd")' % (SP, SP),
        'Forward to the log server over TCP: "*.* @@HOST:PORT", or action(type="omfwd" '
        'protocol="tcp" ...).'),
    # RHEL-09-213100: the socket masked (or not there to load)
    'service_systemd-coredump_disabled': (
        {'any': [probe('systemd_unit', {'unit': COREDUMP_SOCKET}, [c('masked', 'eq', 'true')]),
                 probe('systemd_unit', {'unit': COREDUMP_SOCKET}, [c('exists', 'eq', 'false')])]},
        fix('unit_mask', unit=COREDUMP_SOCKET), None),
}
RPM_STIG_RULES.update({
    name: (audit_watch(ere(path.rstrip('/'))),
           audit_file(name, ['-a always,exit -F arch=%s -F path=%s -F perm=wa -k %s' % (arch, path, key)
                             for arch in ('b32', 'b64')]), None)
    for name, (path, key) in RPM_WATCHES.items()})


def rpm_stig_form(ssg, family):
    """Is the stig rule of SSG rule ssg in a pack of family DISA's own,
    not the CIS rule of that name (gen_rule makes it from RPM_STIG_RULES,
    cisfill does not reuse it for CIS)?"""
    return family == 'rpm' and ssg in RPM_STIG_RULES


HAND_VALUED = {'accounts_umask_etc_login_defs', 'sshd_use_approved_ciphers_ordered_stig',
               'sshd_use_approved_macs_ordered_stig', 'sshd_use_approved_kex_ordered_stig'}
_valued()
