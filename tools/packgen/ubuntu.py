#!/usr/bin/env python3
"""Generates the Ubuntu CIS Level 1 Server packs from the debian12 pack.

Ubuntu 22.04 and 24.04 share Debian's tools and files (dpkg, sshd with
sshd_config.d, PAM through pam-auth-update, systemd, AppArmor, chrony or
systemd-timesyncd), so the checks and fixes of hardening/rules/debian12.json
hold there; what differs is the benchmark's numbering and a few rules.

Both packs take the debian12 rules (automated and manual) numbered by the
ComplianceAsCode control file for their benchmark: CIS Ubuntu Linux 24.04
LTS Benchmark v1.0.0 (controls/cis_ubuntu2404.yml) and CIS Ubuntu Linux
22.04 LTS Benchmark v2.0.0 (controls/cis_ubuntu2204.yml), kept as
tools/packgen/data/cis_ubuntu2404.json and cis_ubuntu2204.json with the
commit they were read at: first by the rule's SSG name listed under a
control (a rule under two controls takes the first); else, for rules SSG
does not name there, through the CIS Debian 12 control the rule implements
(tools/packgen/data/cis_debian12.json) when exactly one Ubuntu control has
the same title (the benchmarks share their layout and most of their
wording).  Rules matched neither way are left out.  The profiles follow
the controls' levels: Level 2 is Level 1 plus the l2_server controls.
Added, numbered the same way and only for controls no Debian rule holds:
prelink (1.5.4) and apport (1.5.5), which CIS Debian 12 lacks; for 22.04
ufw installed (4.1.1) and enabled (4.1.3), where 22.04 v2.0.0 has its own
ufw section.  (22.04 was numbered before by SSG 0.1.65's ssg-ubuntu2204
XCCDF, whose numbers are CIS Ubuntu 20.04's, under a v1.0.0 label.)

    python3 tools/packgen/ubuntu.py 2204 > hardening/rules/ubuntu2204.json
    python3 tools/packgen/ubuntu.py 2404 > hardening/rules/ubuntu2404.json
"""
import copy
import json
import os
import sys

import cisfill
import sections
import stig

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONTROLS = {rel: os.path.join(TOP, 'tools/packgen/data/cis_ubuntu%s.json' % rel)
            for rel in ('2204', '2404')}
P = 'xccdf_org.ssgproject.content_rule_'


# Debian rules whose Ubuntu control has another title.
NUMBERS = {'2204': {'ufw_disabled_with_iptables': '4.3.1.3'}}
# CIS Ubuntu 22.04 v2.0.0 has no rsyslog section: journald is the logging
# system (6.2.1), so debian12's journald-only rules are judged whether
# rsyslog is installed or not.
JOURNALD_ONLY = ('package_systemd_journal_remote_installed', 'service_systemd_journal_upload_enabled',
                 'journald_disable_forward_to_syslog')


def without_rsyslog(req):
    """req without its "rsyslog is not installed" condition (None when
    nothing is left)."""
    if req.get('probe') == 'package' and req['params']['name'] == 'rsyslog':
        return None
    if 'all' in req:
        rest = [c for c in req['all'] if without_rsyslog(c) is not None]
        return rest[0] if len(rest) == 1 else ({'all': rest} if rest else None)
    return req


def control_numbers(rel):
    """SSG rule name -> CIS Ubuntu section, and the benchmark's version."""
    with open(CONTROLS[rel]) as f:
        data = json.load(f)
    cis = {}
    for cid, control in data['controls'].items():
        for name in control['rules']:
            cis.setdefault(name, cid)
    return cis, data['benchmark'].rsplit(' ', 1)[1]


def pkg(name, installed):
    return {'probe': 'package', 'params': {'name': name},
            'expect': [{'field': 'installed', 'op': 'eq',
                        'value': 'true' if installed else 'false'}]}


def extra_2204(nums):
    """Rules of the CIS Ubuntu 22.04 benchmark the Debian pack lacks (and
    24.04's extras), numbered by the control whose SSG rules name them;
    a rule no control names is left out (None): chronyd_specify_remote_server
    (v2.0.0's 2.3.3.1 names chronyd_configure_pool_and_server, and the
    Debian pack's timesync_server_configured checks chrony's server lines)."""
    both = ['image', 'runtime']
    chrony_conf = r'^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]+'
    return extra_2404(nums) + [
        {'id': 'package_chrony_installed', 'title': 'Ensure chrony is installed',
         'description': 'chrony keeps the clock in step with the site\'s time servers.',
         'rationale': 'Logs, certificates and Kerberos need a correct clock.',
         'severity': 'medium',
         'references': {'cis': nums.get('package_chrony_installed'), 'ssg': P + 'package_chrony_installed'},
         'scope': both, 'check': pkg('chrony', True),
         'fix': {'action': 'package_install', 'params': {'name': 'chrony'}}},
        {'id': 'chronyd_specify_remote_server',
         'title': 'Ensure chrony is configured with a time server',
         'description': 'chrony.conf or a file of /etc/chrony/sources.d names a server or pool.',
         'rationale': 'Without a source chrony cannot keep the clock right.',
         'severity': 'medium',
         'references': {'cis': nums.get('chronyd_specify_remote_server'), 'ssg': P + 'chronyd_specify_remote_server'},
         'scope': both,
         'requires': pkg('chrony', True),
         'check': {'any': [
             {'probe': 'file_lines', 'params': {'path': '/etc/chrony/chrony.conf', 'regex': chrony_conf},
              'expect': [], 'quantifier': 'any'},
             {'probe': 'file_lines', 'params': {'path': '/etc/chrony/sources.d/*.sources', 'regex': chrony_conf},
              'expect': [], 'quantifier': 'any'}]},
         'fix': {'manual': 'Name the site\'s time servers in /etc/chrony/sources.d.'}},
        {'id': 'package_ufw_installed', 'title': 'Ensure ufw is installed',
         'description': 'ufw is Ubuntu\'s host firewall front end.',
         'rationale': 'A host firewall limits what the network can reach.',
         'severity': 'medium',
         'references': {'cis': nums.get('package_ufw_installed'), 'ssg': P + 'package_ufw_installed'},
         'scope': both, 'check': pkg('ufw', True),
         'fix': {'action': 'package_install', 'params': {'name': 'ufw'}}},
        {'id': 'package_iptables_persistent_removed',
         'title': 'Ensure iptables-persistent is not installed with ufw',
         'description': 'iptables-persistent loads rules that conflict with ufw.',
         'rationale': 'Two firewall managers make the effective policy unknowable.',
         'severity': 'medium', 'references': {'cis': nums.get('package_iptables-persistent_removed')},
         'scope': both, 'requires': pkg('ufw', True),
         'check': pkg('iptables-persistent', False),
         'fix': {'action': 'package_remove', 'params': {'name': 'iptables-persistent'}}},
        {'id': 'service_ufw_enabled', 'title': 'Ensure ufw service is enabled',
         'description': 'ufw.service loads the firewall rules at boot.',
         'rationale': 'An installed firewall that does not start protects nothing.',
         'severity': 'medium',
         'references': {'cis': nums.get('service_ufw_enabled'), 'ssg': P + 'service_ufw_enabled'},
         'scope': both, 'requires': pkg('ufw', True),
         'check': {'probe': 'systemd_unit', 'params': {'unit': 'ufw.service'},
                   'expect': [{'field': 'enabled', 'op': 'eq', 'value': 'true'}]},
         'fix': {'action': 'unit_enable', 'params': {'unit': 'ufw.service'}}},
    ]


def prelink_removed(cis, ssg):
    """Not in CIS Debian 12 v1.1.0; in both Ubuntu benchmarks."""
    return {'id': 'package_prelink_removed', 'title': 'Ensure prelink is not installed',
            'description': 'The prelink package must not be installed.',
            'rationale': 'prelink rewrites binaries, which defeats integrity checking (AIDE) '
                         'and address space randomisation.',
            'severity': 'medium',
            'references': {'cis': cis, 'ssg': P + ssg},
            'scope': ['image', 'runtime'], 'check': pkg('prelink', False),
            'fix': {'action': 'package_remove', 'params': {'name': 'prelink'}}}


def extra_2404(nums):
    """Rules of the CIS Ubuntu 24.04 benchmark the Debian pack lacks."""
    return [
        prelink_removed(nums.get('package_prelink_removed'), 'package_prelink_removed'),
        {'id': 'apport_disabled', 'title': 'Ensure Automatic Error Reporting is not enabled',
         'description': 'apport is not installed, or /etc/default/apport sets enabled=0.',
         'rationale': 'Crash reports can carry memory contents, including secrets, off the host.',
         'severity': 'medium',
         'references': {'cis': nums.get('service_apport_disabled'), 'ssg': P + 'service_apport_disabled'},
         'scope': ['image'],
         'check': {'any': [
             pkg('apport', False),
             {'probe': 'file_lines',
              'params': {'path': '/etc/default/apport',
                         'regex': r'^[[:space:]]*enabled[[:space:]]*=[[:space:]]*0[[:space:]]*$'},
              'expect': [], 'quantifier': 'any'}]},
         'fix': {'action': 'package_remove', 'params': {'name': 'apport'}}},
    ]


def norm_title(t):
    return ' '.join(t.lower().rstrip('.').split())


def by_title(rel):
    """CIS Debian 12 section -> CIS Ubuntu section, for the controls whose
    titles are the same in both benchmarks (Ubuntu 24.04 and 22.04 v2.0.0
    share Debian 12's layout and most of its wording)."""
    d12 = json.load(open(os.path.join(TOP, 'tools/packgen/data/cis_debian12.json')))['controls']
    u24 = json.load(open(CONTROLS[rel]))['controls']
    titles = {}
    for cid, c in u24.items():
        titles.setdefault(norm_title(c['title']), []).append(cid)
    out = {}
    for cid, c in d12.items():
        same = titles.get(norm_title(c['title']), [])
        if len(same) == 1:
            out[cid] = same[0]
    return out


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ('2204', '2404'):
        sys.exit('usage: ubuntu.py 2204|2404')
    rel = sys.argv[1]
    with open(os.path.join(TOP, 'hardening/rules/debian12.json')) as f:
        deb = json.load(f)
    # debian12's own rules: not those filled with Debian 12's values
    deb['rules'] = cisfill.own(deb['rules'])
    nums, v = control_numbers(rel)
    version = rel[:2] + '.' + rel[2:]
    benchmark = 'CIS Ubuntu Linux %s LTS Benchmark v%s' % (version, v)
    same_title = by_title(rel)
    rules = []
    for r in deb['rules']:
        ssg = r['references'].get('ssg', '')[len(P):]
        # manual rules are kept where their control is known
        if ssg in nums:
            cis = nums[ssg]
        elif r['id'] in NUMBERS.get(rel, {}):
            cis = NUMBERS[rel][r['id']]
        elif r['references']['cis'] in same_title:
            cis = same_title[r['references']['cis']]
        else:
            continue
        r = copy.deepcopy(r)
        r['references']['cis'] = cis
        rules.append(r)
    # ufw is Ubuntu's own firewall, in every Ubuntu server image: "ufw is
    # installed" is judged unless nftables.service or
    # netfilter-persistent.service is enabled or iptables-persistent is
    # installed (the site then uses that firewall); the Debian pack also
    # passes it over where the nftables package is merely installed, as
    # nftables is Debian's default.
    for r in rules:
        if r['id'] == 'package_ufw_installed' and 'requires' in r:
            r['requires'] = {'all': [c for c in r['requires']['all']
                                     if c.get('params', {}).get('name') != 'nftables']}
    if rel == '2204':
        for r in rules:
            if r['id'] in JOURNALD_ONLY:
                r['requires'] = without_rsyslog(r['requires'])
                if r['requires'] is None:
                    del r['requires']
    # an extra rule stands for a control that no rule of the Debian pack
    # implements: where one does (22.04's 2.3.1.1 single time daemon,
    # 4.1.2 iptables-persistent with ufw), the extra would judge it twice
    have = {r['id'] for r in rules}
    held = {r['references']['cis'] for r in rules}
    extra = extra_2404(nums) if rel == '2404' else extra_2204(nums)
    rules += [r for r in extra if r['id'] not in have
              and r['references']['cis'] and r['references']['cis'] not in held]
    rules.sort(key=lambda r: [int(x) for x in r['references']['cis'].split('.')])
    # rules of Level 2 controls are in the Level 2 profile only, which is
    # Level 1 plus them
    levels = json.load(open(CONTROLS[rel]))['controls']
    l1 = [r['id'] for r in rules
          if 'l1_server' in levels.get(r['references']['cis'], {}).get('levels', ['l1_server'])]
    l2 = [r['id'] for r in rules
          if {'l1_server', 'l2_server'} & set(levels.get(r['references']['cis'], {}).get('levels', ['l1_server']))]
    pack = {
        'schema': 1,
        'pack': 'ubuntu' + rel,
        'benchmark': benchmark,
        'applies': {'id': ['ubuntu'], 'version_id': [version]},
        'profiles': [{'id': 'cis-l1-server', 'title': 'CIS Level 1 - Server',
                      'rules': l1},
                     {'id': 'cis-l2-server', 'title': 'CIS Level 2 - Server',
                      'rules': l2}],
        'rules': rules,
    }
    # The DISA STIG profile (tools/packgen/stig.py), after the CIS ones.
    stig.add(pack, 'ubuntu' + rel, 'deb')
    # The CIS controls no rule above covers, from SSG templates: last.
    cisfill.fill(pack, 'ubuntu' + rel, 'deb')
    json.dump(sections.add(pack), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')
    auto = sum(1 for r in rules if 'check' in r)
    print('ubuntu%s: %d rules, %d automated' % (rel, len(rules), auto), file=sys.stderr)


if __name__ == '__main__':
    main()
