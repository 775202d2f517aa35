#!/usr/bin/env python3
"""Generates the Ubuntu CIS Level 1 Server packs from the debian12 pack.

Ubuntu 22.04 and 24.04 share Debian's tools and files (dpkg, sshd with
sshd_config.d, PAM through pam-auth-update, systemd, AppArmor, chrony or
systemd-timesyncd), so the checks and fixes of hardening/rules/debian12.json
hold there; what differs is the benchmark's numbering and a few rules.

ubuntu2204: every rule of the debian12 pack whose SSG rule the SCAP Security
Guide's Ubuntu 22.04 content (ssg-debderived) maps to a section of the CIS
Ubuntu Linux 22.04 LTS Benchmark, with that section number; rules without
such a mapping are left out rather than numbered by guess.  Added: chrony
installed and configured with a server (SSG's CIS mapping), and ufw.

ubuntu2404: the debian12 rules (automated and manual) numbered by the
ComplianceAsCode control file for the CIS Ubuntu Linux 24.04 LTS Benchmark
v1.0.0 (controls/cis_ubuntu2404.yml, kept as tools/packgen/data/
cis_ubuntu2404.json with the commit it was read at): first by the rule's SSG
name listed under a control (a rule under two controls takes the first);
else, for rules SSG does not name there, through the CIS Debian 12 control
the rule implements (tools/packgen/data/cis_debian12.json) when exactly one
24.04 control has the same title (the two benchmarks share their layout
and most of their wording).  Rules matched neither way are left out.
Added: prelink (1.5.4) and apport (1.5.5), which CIS Debian 12 lacks.

    python3 tools/packgen/ubuntu.py 2204 > hardening/rules/ubuntu2204.json
    python3 tools/packgen/ubuntu.py 2404 > hardening/rules/ubuntu2404.json
"""
import copy
import json
import os
import sys
import xml.etree.ElementTree as ET

import sections
import stig

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XCCDF = '/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-xccdf.xml'
CONTROLS_2404 = os.path.join(TOP, 'tools/packgen/data/cis_ubuntu2404.json')
X = '{http://checklists.nist.gov/xccdf/1.2}'
P = 'xccdf_org.ssgproject.content_rule_'


def ubuntu2204_numbers():
    try:
        root = ET.parse(XCCDF).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit('ubuntu.py: cannot read %s (%s): install ssg-debderived' % (XCCDF, e))
    cis = {}
    for ru in root.iter(X + 'Rule'):
        for ref in ru.findall(X + 'reference'):
            if 'benchmark/ubuntu_linux' in (ref.get('href') or ''):
                cis.setdefault(ru.get('id')[len(P):], ref.text.strip())
    return cis


def ubuntu2404_numbers():
    """SSG rule name -> CIS Ubuntu 24.04 section, and the benchmark's version."""
    with open(CONTROLS_2404) as f:
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
    """Rules of the CIS Ubuntu 22.04 benchmark the Debian pack lacks."""
    both = ['image', 'runtime']
    chrony_conf = r'^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]+'
    return [
        prelink_removed(nums['disable_prelink'], 'disable_prelink'),
        {'id': 'package_chrony_installed', 'title': 'Ensure chrony is installed',
         'description': 'chrony keeps the clock in step with the site\'s time servers.',
         'rationale': 'Logs, certificates and Kerberos need a correct clock.',
         'severity': 'medium',
         'references': {'cis': '2.2.1.1', 'ssg': P + 'package_chrony_installed'},
         'scope': both, 'check': pkg('chrony', True),
         'fix': {'action': 'package_install', 'params': {'name': 'chrony'}}},
        {'id': 'chronyd_specify_remote_server',
         'title': 'Ensure chrony is configured with a time server',
         'description': 'chrony.conf or a file of /etc/chrony/sources.d names a server or pool.',
         'rationale': 'Without a source chrony cannot keep the clock right.',
         'severity': 'medium',
         'references': {'cis': '2.2.1.3', 'ssg': P + 'chronyd_specify_remote_server'},
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
         'references': {'cis': '3.5.1.1', 'ssg': P + 'package_ufw_installed'},
         'scope': both, 'check': pkg('ufw', True),
         'fix': {'action': 'package_install', 'params': {'name': 'ufw'}}},
        {'id': 'package_iptables_persistent_removed',
         'title': 'Ensure iptables-persistent is not installed with ufw',
         'description': 'iptables-persistent loads rules that conflict with ufw.',
         'rationale': 'Two firewall managers make the effective policy unknowable.',
         'severity': 'medium', 'references': {'cis': '3.5.1.2'},
         'scope': both, 'requires': pkg('ufw', True),
         'check': pkg('iptables-persistent', False),
         'fix': {'action': 'package_remove', 'params': {'name': 'iptables-persistent'}}},
        {'id': 'service_ufw_enabled', 'title': 'Ensure ufw service is enabled',
         'description': 'ufw.service loads the firewall rules at boot.',
         'rationale': 'An installed firewall that does not start protects nothing.',
         'severity': 'medium',
         'references': {'cis': '3.5.1.3', 'ssg': P + 'service_ufw_enabled'},
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


def extra_2404():
    """Rules of the CIS Ubuntu 24.04 benchmark the Debian pack lacks."""
    return [
        prelink_removed('1.5.4', 'package_prelink_removed'),
        {'id': 'apport_disabled', 'title': 'Ensure Automatic Error Reporting is not enabled',
         'description': 'apport is not installed, or /etc/default/apport sets enabled=0.',
         'rationale': 'Crash reports can carry memory contents, including secrets, off the host.',
         'severity': 'medium',
         'references': {'cis': '1.5.5', 'ssg': P + 'service_apport_disabled'},
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


def ubuntu2404_by_title():
    """CIS Debian 12 section -> CIS Ubuntu 24.04 section, for the controls
    whose titles are the same in both benchmarks (the 24.04 and Debian 12
    benchmarks share their layout and most of their wording)."""
    d12 = json.load(open(os.path.join(TOP, 'tools/packgen/data/cis_debian12.json')))['controls']
    u24 = json.load(open(CONTROLS_2404))['controls']
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
    if rel == '2204':
        nums = ubuntu2204_numbers()
        benchmark = 'CIS Ubuntu Linux 22.04 LTS Benchmark v1.0.0'
        version = '22.04'
    else:
        nums, v = ubuntu2404_numbers()
        benchmark = 'CIS Ubuntu Linux 24.04 LTS Benchmark v' + v
        version = '24.04'
    by_title = ubuntu2404_by_title() if rel == '2404' else {}
    rules = []
    for r in deb['rules']:
        ssg = r['references'].get('ssg', '')[len(P):]
        # 22.04 leaves manual rules out (SSG maps only automated ones);
        # 24.04 keeps those whose control is known.
        if 'check' not in r and rel == '2204':
            continue
        if ssg in nums:
            cis = nums[ssg]
        elif r['references']['cis'] in by_title:
            cis = by_title[r['references']['cis']]
        else:
            continue
        r = copy.deepcopy(r)
        r['references']['cis'] = cis
        rules.append(r)
    if rel == '2404':
        have = {r['id'] for r in rules}
        rules += [r for r in extra_2404() if r['id'] not in have]
    if rel == '2204':
        have = {r['id'] for r in rules}
        rules += [r for r in extra_2204(nums) if r['id'] not in have]
    rules.sort(key=lambda r: [int(x) for x in r['references']['cis'].split('.')])
    # 24.04: rules of Level 2 controls are in the Level 2 profile only,
    # which is Level 1 plus them.  (22.04's rules all come from SSG's Level
    # 1 Server mapping: its Level 2 profile is its Level 1.)
    levels = json.load(open(CONTROLS_2404))['controls'] if rel == '2404' else {}
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
    json.dump(sections.add(pack), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')
    auto = sum(1 for r in rules if 'check' in r)
    print('ubuntu%s: %d rules, %d automated' % (rel, len(rules), auto), file=sys.stderr)


if __name__ == '__main__':
    main()
