"""Helpers for the packs derived from a checked-in pack (debian13 from
debian12, rhel10 and sle15 from rhel9): the control data of
tools/packgen/data/, renumbering by a ComplianceAsCode control file, the
Level 1 and Level 2 profiles, and the JSON output.  Imported by
debian13.py, rhel10.py and sle15.py; the generators of the packs they
start from are not touched, so those packs stay byte-identical.
"""
import copy
import json
import os
import sys
import xml.etree.ElementTree as ET

import cisfill
import sections

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DATA = os.path.join(TOP, 'tools/packgen/data')
XCCDF_DIR = '/usr/share/xml/scap/ssg/content'
XCCDF_FILES = ('ssg-ubuntu2204-xccdf.xml', 'ssg-debian11-xccdf.xml', 'ssg-rhel9-xccdf.xml',
               'ssg-sle15-xccdf.xml')
X = '{http://checklists.nist.gov/xccdf/1.2}'
P = 'xccdf_org.ssgproject.content_rule_'


def load_pack(name):
    """The checked-in pack, CIS only: its STIG profile, the rules only a
    STIG asks for and the STIG references stay with it (rhel9's STIG is
    not RHEL 10's or SLES's)."""
    with open(os.path.join(TOP, 'hardening/rules/%s.json' % name)) as f:
        pack = json.load(f)
    # nor the rules cisfill.py made with this pack's values
    pack['rules'] = [r for r in cisfill.own(pack['rules']) if 'cis' in r['references']]
    for r in pack['rules']:
        r['references'].pop('stig', None)
    pack['profiles'] = [p for p in pack['profiles'] if not p['id'].startswith('stig')]
    return pack


def load_controls(name):
    """The control data kept as tools/packgen/data/NAME.json."""
    with open(os.path.join(DATA, name + '.json')) as f:
        return json.load(f)


def version_of(data):
    return data['benchmark'].rsplit(' ', 1)[1]


def norm_title(t):
    return ' '.join(t.lower().replace('(automated)', '').replace('(manual)', '')
                    .rstrip('. ').split())


def first_section(controls):
    """SSG rule name -> the first control that lists it."""
    out = {}
    for cid, c in controls.items():
        for name in c['rules']:
            out.setdefault(name, cid)
    return out


def by_title(src, dst):
    """Section of the source benchmark -> section of the target benchmark,
    where exactly one target control has the same title."""
    titles = {}
    for cid, c in dst.items():
        titles.setdefault(norm_title(c['title']), []).append(cid)
    out = {}
    for cid, c in src.items():
        same = titles.get(norm_title(c['title']), [])
        if len(same) == 1:
            out[cid] = same[0]
    return out


def ssg_name(rule):
    return rule['references'].get('ssg', '')[len(P):]


def renumber(rules, dst, src=None, keep_manual=True):
    """Copies of the rules numbered by the target control file: by the
    rule's SSG name listed under a control, else (with src, the control
    data the rules are numbered by now) by a control of the same title.
    Returns (rules, left out)."""
    nums = first_section(dst)
    titles = by_title(src, dst) if src else {}
    out, left = [], []
    for r in rules:
        if 'check' not in r and not keep_manual:
            continue
        name = ssg_name(r)
        if name in nums:
            cis = nums[name]
        elif r['id'] in nums:
            # rules without an SSG reference are named after the SSG rule
            # they stand for where there is one
            cis = nums[r['id']]
        elif r['references']['cis'] in titles:
            cis = titles[r['references']['cis']]
        else:
            left.append(r['id'])
            continue
        r = copy.deepcopy(r)
        r['references']['cis'] = cis
        out.append(r)
    return out, left


def level_of(controls, rule):
    return controls.get(rule['references']['cis'], {}).get('levels', ['l1_server'])


def profiles(rules, controls):
    """cis-l1-server: the rules of Level 1 Server controls; cis-l2-server:
    those and the Level 2 Server ones (Level 2 inherits Level 1)."""
    l1 = [r['id'] for r in rules if 'l1_server' in level_of(controls, r)]
    l2 = [r['id'] for r in rules
          if {'l1_server', 'l2_server'} & set(level_of(controls, r))]
    return [{'id': 'cis-l1-server', 'title': 'CIS Level 1 - Server', 'rules': l1},
            {'id': 'cis-l2-server', 'title': 'CIS Level 2 - Server', 'rules': l2}]


def sort_rules(rules):
    rules.sort(key=lambda r: [int(x) for x in r['references']['cis'].split('.')])


def check_unique(rules, who):
    ids = [r['id'] for r in rules]
    dups = sorted({i for i in ids if ids.count(i) > 1})
    if dups:
        sys.exit('%s: duplicate rule ids: %s' % (who, ', '.join(dups)))


def known_ssg_names():
    """The SSG rule names a pack may reference: the rules of the SSG
    XCCDF installed here, and those ComplianceAsCode's control files in
    tools/packgen/data/ list (there is no Debian 13 or RHEL 10 XCCDF in
    the SSG packages this host can install)."""
    names = set()
    for f in XCCDF_FILES:
        try:
            root = ET.parse(os.path.join(XCCDF_DIR, f)).getroot()
        except (OSError, ET.ParseError) as e:
            sys.exit('cannot read %s/%s (%s): make deps (ssg-debian, ssg-debderived, ssg-nondebian)' % (XCCDF_DIR, f, e))
        for el in root.iter(X + 'Rule'):
            names.add(el.get('id')[len(P):])
    for f in os.listdir(DATA):
        if f.startswith('cis_') and f.endswith('.json'):
            with open(os.path.join(DATA, f)) as fh:
                for c in json.load(fh)['controls'].values():
                    names.update(c['rules'])
    return names


def emit(pack, who):
    check_unique(pack['rules'], who)
    known = known_ssg_names()
    bad = sorted(r['id'] for r in pack['rules'] if ssg_name(r) and ssg_name(r) not in known)
    if bad:
        sys.exit('%s: references.ssg names no known SSG rule: %s' % (who, ', '.join(bad)))
    json.dump(sections.add(pack), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')
    auto = sum(1 for r in pack['rules'] if 'check' in r)
    print('%s: %d rules, %d automated' % (who, len(pack['rules']), auto), file=sys.stderr)


def pkg(name, installed):
    return {'probe': 'package', 'params': {'name': name},
            'expect': [{'field': 'installed', 'op': 'eq',
                        'value': 'true' if installed else 'false'}]}


def rule(rid, cis, title, desc, rat, check, fix, ssg=None, sev='medium',
         requires=None, scope=None):
    r = {'id': rid, 'title': title, 'description': desc, 'rationale': rat,
         'severity': sev, 'references': {'cis': cis}}
    if ssg:
        r['references']['ssg'] = P + ssg
    r['scope'] = scope or ['image', 'runtime']
    if requires:
        r['requires'] = requires
    r['check'] = check
    r['fix'] = fix
    return r


def pkg_installed(name, cis, title, rat, ssg=None, sev='medium'):
    rid = 'package_%s_installed' % name.replace('-', '_')
    return rule(rid, cis, title, 'The %s package must be installed.' % name, rat,
                pkg(name, True), {'action': 'package_install', 'params': {'name': name}},
                ssg=ssg if ssg is not None else 'package_%s_installed' % name, sev=sev)


def kmod_disabled(template, module, cis, why, sev='medium'):
    """A 'module not available' rule with the check of template (a pack's
    kernel_module_cramfs_disabled) for another module."""
    old = template['check']
    text = json.dumps(old).replace('"%s"' % template['fix']['params']['module'], json.dumps(module))
    rid = 'kernel_module_%s_disabled' % module.replace('-', '_')
    return rule(rid, cis, 'Ensure the %s kernel module is not available' % module,
                'modprobe.d must hold "install %s /bin/false" and "blacklist %s" so the module '
                'cannot be loaded on demand, unless the installed kernel has no such module.' % (module, module),
                why, json.loads(text), {'action': 'modprobe_disable', 'params': {'module': module}},
                ssg='kernel_module_%s_disabled' % module, sev=sev)


def sysctl_rule(key, values, cis, title, rat, ssg=None, rid=None):
    rid = rid or 'sysctl_' + key.replace('.', '_')
    r = rule(rid, cis, title,
             '%s must be %s in the persistent sysctl configuration (and, at runtime, live).'
             % (key, ' or '.join(values)), rat,
             {'probe': 'sysctl', 'params': {'key': key},
              'expect': [{'field': 'value', 'op': 'in', 'value': values},
                         {'field': 'live', 'op': 'in', 'value': values, 'optional': True}]},
             {'action': 'sysctl_set', 'params': {'key': key, 'value': values[0]}},
             ssg=ssg if ssg is not None else rid)
    r['expected'] = '%s = %s in the persistent sysctl configuration' % (key, ' or '.join(values))
    return r


def pkg_removed(name, cis, title, rat, ssg=None, sev='medium'):
    rid = 'package_%s_removed' % name.replace('-', '_')
    return rule(rid, cis, title, 'The %s package must not be installed.' % name, rat,
                pkg(name, False), {'action': 'package_remove', 'params': {'name': name}},
                ssg=ssg if ssg is not None else 'package_%s_removed' % name, sev=sev)


def renamed(r, cis, new_id=None, ssg=None):
    """A copy of a rule of another section (the cron.monthly checks for
    cron.yearly: new_id and every path say so through the caller)."""
    r = copy.deepcopy(r)
    r['references']['cis'] = cis
    if new_id:
        r['id'] = new_id
    if ssg is not None:
        if ssg:
            r['references']['ssg'] = P + ssg
        else:
            r['references'].pop('ssg', None)
    return r


def retarget(r, old, new, cis, ssg=True):
    """A copy of a rule with every occurrence of old (a path, a name) in
    it replaced by new: the same check for a sibling file."""
    r = json.loads(json.dumps(r).replace(old, new))
    r['references']['cis'] = cis
    if not ssg:
        r['references'].pop('ssg', None)
    return r


# Debian package names -> their rpm names, for rules borrowed from the
# debian12 pack by the rpm-based packs.
RPM_NAMES = {'cron': 'cronie', 'libpam-pwquality': 'libpwquality', 'gdm3': 'gdm',
             'libpam-runtime': 'pam', 'libpam-modules': 'pam', 'xserver-common': 'xorg-x11-server-common',
             'avahi-daemon': 'avahi'}
# Rules that name Debian's own layout cannot be borrowed as they are.
DEBIAN_ONLY = ('common-', '/etc/apt', 'dpkg', '/etc/chrony/', 'apparmor', 'pam-auth-update',
               '/etc/default/grub', 'ufw')


def rpm_names(r, names=None):
    """A copy of a debian12 rule with its package names (check, requires,
    fix) those of the rpm distributions."""
    text = json.dumps(r)
    for deb, rpm in dict(RPM_NAMES, **(names or {})).items():
        text = text.replace('"name": "%s"' % deb, '"name": "%s"' % rpm)
    return json.loads(text)


def borrow(donor, controls, have_names, names=None, skip=()):
    """Automated rules of the donor pack (debian12) for the controls of
    `controls` that no rule of the pack being made covers (have_names: its
    rule ids and SSG names), when the rule's check is free of Debian's own
    layout; numbered by the control, package names made rpm's."""
    out = []
    for cid, c in controls.items():
        if c['status'] != 'automated' or set(c['rules']) & have_names:
            continue
        for d in donor:
            name = ssg_name(d)
            if 'check' not in d or d['id'] in skip or not (name in c['rules'] or d['id'] in c['rules']):
                continue
            text = json.dumps(d)
            if any(s in text for s in DEBIAN_ONLY):
                continue
            r = rpm_names(d, names)
            r['references']['cis'] = cid
            out.append(r)
    return out


def adopt(donor_rule, cis, repl=(), names=None, fix=None, rid=None):
    """A debian12 rule for a pack of another layout: every (old, new) of
    repl replaced in it (PAM file names, paths), package names made rpm's,
    numbered cis; fix replaces the fix when the distribution's own tool
    must make the change (authselect, pam-config)."""
    text = json.dumps(donor_rule)
    for old, new in repl:
        text = text.replace(old, new)
    r = rpm_names(json.loads(text), names)
    r['references']['cis'] = cis
    if fix is not None:
        r['fix'] = fix
    if rid:
        r['id'] = rid
    return r


def not_login_accounts(r):
    """sync, shutdown and halt have shells (/bin/sync...) that are no login
    shells (/etc/shells does not list them, CIS's audit leaves them out):
    the rhel9 pack's home directory checks take them for users, which
    fails every RHEL image (sync's home is /sbin, owned by root).  The
    packs derived from it leave them out as the debian12 pack does."""
    def walk(c):
        if c.get('probe') == 'home_dirs':
            flt = c.setdefault('filter', [])
            if not any(x.get('field') == 'user' for x in flt):
                flt.insert(0, {'field': 'user', 'op': 'not_in', 'value': ['sync', 'shutdown', 'halt']})
        for k in ('all', 'any'):
            for x in c.get(k, []):
                walk(x)
        if 'not' in c:
            walk(c['not'])
    for key in ('check', 'requires'):
        if key in r:
            walk(r[key])
    return r


def _dconf(rid, cis, title, desc, regex, fix, req, ssg=None, expect=None, locks=False):
    path = '/etc/dconf/db/*.d/locks/*' if locks else '/etc/dconf/db/*.d/*'
    chk = {'probe': 'file_lines', 'params': {'path': path, 'regex': regex},
           'expect': expect or [], 'quantifier': 'any'}
    return rule(rid, cis, title, desc,
                'A console left open or a desktop that mounts and runs what is plugged in lets anyone at the '
                'machine act as its user; where GDM is installed, its settings must be set and locked.',
                chk, {'manual': fix}, ssg=ssg, requires=pkg(req[0], True))


def gdm_rules(gdm_pkg, nums, custom_conf):
    """GNOME Display Manager settings (dconf keyfiles in
    /etc/dconf/db/*.d and their locks), judged only where GDM is
    installed (a server without it is not applicable).  nums: SSG-ish
    rule id -> section of the benchmark."""
    req = (gdm_pkg,)
    up = 'Set it in a keyfile of /etc/dconf/db/gdm.d or local.d, lock it in locks/, and run dconf update.'
    out = []
    table = [
        ('dconf_gnome_banner_enabled', 'Ensure GDM login banner is configured',
         'banner-message-enable=true in [org/gnome/login-screen].',
         '^[[:space:]]*banner-message-enable[[:space:]]*=[[:space:]]*true', None, False, True),
        ('dconf_gnome_disable_user_list', 'Ensure GDM disable-user-list option is enabled',
         'disable-user-list=true in [org/gnome/login-screen].',
         '^[[:space:]]*disable-user-list[[:space:]]*=[[:space:]]*true', None, False, True),
        ('dconf_gnome_screensaver_idle_delay', 'Ensure GDM screen locks when the user is idle',
         'idle-delay of 1 to 900 seconds in [org/gnome/desktop/session].',
         '^[[:space:]]*idle-delay[[:space:]]*=[[:space:]]*(uint32[[:space:]]+)?([0-9]+)',
         [{'field': '2', 'op': 'ge', 'value': 1}, {'field': '2', 'op': 'le', 'value': 900}], False, True),
        ('dconf_gnome_screensaver_user_locks', 'Ensure GDM screen locks cannot be overridden',
         '/org/gnome/desktop/session/idle-delay is locked.',
         '^[[:space:]]*/org/gnome/desktop/session/idle-delay[[:space:]]*$', None, True, True),
        ('dconf_gnome_disable_automount', 'Ensure GDM automatic mounting of removable media is disabled',
         'automount=false in [org/gnome/desktop/media-handling].',
         '^[[:space:]]*automount[[:space:]]*=[[:space:]]*false', None, False, True),
        ('dconf_gnome_automount_locked', 'Ensure GDM disabling automatic mounting of removable media is not overridden',
         '/org/gnome/desktop/media-handling/automount is locked.',
         '^[[:space:]]*/org/gnome/desktop/media-handling/automount[[:space:]]*$', None, True, False),
        ('dconf_gnome_disable_autorun', 'Ensure GDM autorun-never is enabled',
         'autorun-never=true in [org/gnome/desktop/media-handling].',
         '^[[:space:]]*autorun-never[[:space:]]*=[[:space:]]*true', None, False, True),
        ('dconf_gnome_autorun_locked', 'Ensure GDM autorun-never is not overridden',
         '/org/gnome/desktop/media-handling/autorun-never is locked.',
         '^[[:space:]]*/org/gnome/desktop/media-handling/autorun-never[[:space:]]*$', None, True, False),
    ]
    for rid, title, desc, regex, expect, locks, is_ssg in table:
        if rid in nums:
            out.append(_dconf(rid, nums[rid], title, desc, regex, up, req,
                              ssg=rid if is_ssg else None, expect=expect, locks=locks))
    if 'gnome_gdm_disable_xdmcp' in nums:
        out.append(rule('gnome_gdm_disable_xdmcp', nums['gnome_gdm_disable_xdmcp'], 'Ensure XDMCP is not enabled',
                        'The [xdmcp] section of %s must not set Enable=true.' % custom_conf,
                        'XDMCP sends the whole session, passwords included, in clear text.',
                        {'probe': 'file_lines', 'params': {'path': custom_conf,
                                                           'regex': '^[[:space:]]*Enable[[:space:]]*=[[:space:]]*(true|1)[[:space:]]*$'},
                         'expect': [], 'quantifier': 'none'},
                        {'action': 'line_absent', 'params': {'path': custom_conf,
                                                             'regex': '^[[:space:]]*Enable[[:space:]]*=[[:space:]]*(true|1)[[:space:]]*$'}},
                        ssg='gnome_gdm_disable_xdmcp', requires=pkg(gdm_pkg, True)))
    return out
