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

ubuntu2404: the debian12 rules with the numbering of CIS Debian Linux 12
v1.1.0, whose layout follows CIS Ubuntu Linux 24.04 LTS v1.0.0 (1.1.1
modules, 1.3 AppArmor, 1.6 banners, 2.x services and time, 3.x network,
5.x access, 6.x logging, 7.x maintenance); no SSG content for 24.04 exists
to confirm each number.

    python3 tools/packgen/ubuntu.py 2204 > hardening/rules/ubuntu2204.json
    python3 tools/packgen/ubuntu.py 2404 > hardening/rules/ubuntu2404.json
"""
import copy
import json
import os
import sys
import xml.etree.ElementTree as ET

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
XCCDF = '/usr/share/xml/scap/ssg/content/ssg-ubuntu2204-xccdf.xml'
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


def pkg(name, installed):
    return {'probe': 'package', 'params': {'name': name},
            'expect': [{'field': 'installed', 'op': 'eq',
                        'value': 'true' if installed else 'false'}]}


def extra_2204():
    """Rules of the CIS Ubuntu 22.04 benchmark the Debian pack lacks."""
    both = ['image', 'runtime']
    chrony_conf = r'^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]+'
    return [
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


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ('2204', '2404'):
        sys.exit('usage: ubuntu.py 2204|2404')
    rel = sys.argv[1]
    with open(os.path.join(TOP, 'hardening/rules/debian12.json')) as f:
        deb = json.load(f)
    rules = []
    if rel == '2204':
        nums = ubuntu2204_numbers()
        for r in deb['rules']:
            ssg = r['references'].get('ssg', '')[len(P):]
            if 'check' not in r or ssg not in nums:
                continue
            r = copy.deepcopy(r)
            r['references']['cis'] = nums[ssg]
            rules.append(r)
        have = {r['id'] for r in rules}
        rules += [r for r in extra_2204() if r['id'] not in have]
        benchmark = 'CIS Ubuntu Linux 22.04 LTS Benchmark v1.0.0'
        version = '22.04'
    else:
        rules = copy.deepcopy(deb['rules'])
        benchmark = 'CIS Ubuntu Linux 24.04 LTS Benchmark v1.0.0'
        version = '24.04'
    rules.sort(key=lambda r: [int(x) for x in r['references']['cis'].split('.')])
    pack = {
        'schema': 1,
        'pack': 'ubuntu' + rel,
        'benchmark': benchmark,
        'applies': {'id': ['ubuntu'], 'version_id': [version]},
        'profiles': [{'id': 'cis-l1-server', 'title': 'CIS Level 1 - Server',
                      'rules': [r['id'] for r in rules]}],
        'rules': rules,
    }
    json.dump(pack, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')
    auto = sum(1 for r in rules if 'check' in r)
    print('ubuntu%s: %d rules, %d automated' % (rel, len(rules), auto), file=sys.stderr)


if __name__ == '__main__':
    main()
