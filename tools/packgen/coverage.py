#!/usr/bin/env python3
"""Prints, per pack and CIS profile, how many of the automated controls
that ComplianceAsCode's control file for the pack's benchmark maps to SSG
rules have an automated rule in the pack (the issue 18 target: 95%);
and the same for the DISA STIG profile ("stig") of ubuntu2204, ubuntu2404
and rhel9 against tools/packgen/data/stig_PACK.json, by CAT too.

A control counts when its status is "automated", it lists at least one
SSG rule, and its levels include the profile's (Level 2 inherits Level 1).
It is covered when a rule of the profile with a check (not a manual rule)
carries its section number, or names (references.ssg) one of the SSG
rules the control lists: the second way counts a rule numbered under
another control of the same benchmark by what it checks.

A STIG control counts when its status is "automated" and it lists at
least one SSG rule; it is covered when a rule of the stig profile with a
check carries its STIG id (references.stig.id).

    python3 tools/packgen/coverage.py [--markdown] [-v] [PACK...]
"""
import json
import os
import signal
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
P = 'xccdf_org.ssgproject.content_rule_'
CONTROLS = {'debian12': 'cis_debian12', 'debian13': 'cis_debian13',
            'ubuntu2204': 'cis_ubuntu2204', 'ubuntu2404': 'cis_ubuntu2404',
            'rhel9': 'cis_rhel9', 'rhel10': 'cis_rhel10', 'sle15': 'cis_sle15'}
LEVEL = {'cis-l1-server': {'l1_server'}, 'cis-l2-server': {'l1_server', 'l2_server'}}
STIG = {'ubuntu2204': 'stig_ubuntu2204', 'ubuntu2404': 'stig_ubuntu2404', 'rhel9': 'stig_rhel9'}


def measure_stig(pack, data):
    """The stig profile: an automated control (with SSG rules) is covered
    when a rule of the profile with a check carries its STIG id."""
    rules = {r['id']: r for r in pack['rules']}
    prof = next((p for p in pack['profiles'] if p['id'] == 'stig'), None)
    if prof is None:
        return []
    auto = [rules[i] for i in prof['rules'] if 'check' in rules[i]]
    ids = {r['references']['stig']['id'] for r in auto}
    ctl = {cid: c for cid, c in data['controls'].items()
           if c['status'] == 'automated' and c['rules']}
    covered = sorted(set(ctl) & ids)
    cats = {}
    for cid, c in ctl.items():
        n = cats.setdefault(c['cat'], [0, 0])
        n[0] += cid in ids
        n[1] += 1
    return [{'pack': pack['pack'], 'profile': 'stig', 'rules': len(prof['rules']),
             'automated': len(auto), 'controls': len(ctl), 'covered': len(covered),
             'missing': sorted(set(ctl) - ids), 'benchmark': data['benchmark'],
             'cats': cats}]


def measure(pack, data):
    rules = {r['id']: r for r in pack['rules']}
    rows = []
    for prof in pack['profiles']:
        want = LEVEL.get(prof['id'])
        if want is None:
            continue
        auto = [rules[i] for i in prof['rules'] if 'check' in rules[i]]
        nums = {r['references']['cis'] for r in auto}
        # a rule without an SSG reference is named after the SSG rule it
        # stands for where there is one
        names = {r['references'].get('ssg', '')[len(P):] for r in auto} | {r['id'] for r in auto}
        ctl = {cid: c for cid, c in data['controls'].items()
               if c['status'] == 'automated' and c['rules'] and want & set(c['levels'])}
        covered = sorted((cid for cid, c in ctl.items()
                          if cid in nums or names & set(c['rules'])),
                         key=lambda s: [int(x) for x in s.split('.')])
        missing = sorted(set(ctl) - set(covered), key=lambda s: [int(x) for x in s.split('.')])
        rows.append({'pack': pack['pack'], 'profile': prof['id'], 'rules': len(prof['rules']),
                     'automated': len(auto), 'controls': len(ctl), 'covered': len(covered),
                     'missing': missing, 'benchmark': data['benchmark']})
    return rows


def main():
    args = sys.argv[1:]
    md = '--markdown' in args
    verbose = '-v' in args
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    names = [a for a in args if not a.startswith('-')] or sorted(CONTROLS)
    rows = []
    for name in names:
        with open(os.path.join(TOP, 'hardening/rules/%s.json' % name)) as f:
            pack = json.load(f)
        with open(os.path.join(TOP, 'tools/packgen/data/%s.json' % CONTROLS[name])) as f:
            data = json.load(f)
        rows += measure(pack, data)
        if name in STIG:
            with open(os.path.join(TOP, 'tools/packgen/data/%s.json' % STIG[name])) as f:
                rows += measure_stig(pack, json.load(f))
    if md:
        print('| pack | profile | rules | automated | SSG automated controls | covered | coverage |')
        print('| --- | --- | ---: | ---: | ---: | ---: | ---: |')
    for r in rows:
        pct = 100.0 * r['covered'] / r['controls'] if r['controls'] else 0.0
        if md:
            print('| %s | %s | %d | %d | %d | %d | %.1f%% |' % (
                r['pack'], r['profile'], r['rules'], r['automated'], r['controls'], r['covered'], pct))
        else:
            print('%-10s %-14s rules %3d automated %3d  controls %3d covered %3d  %5.1f%%  (%s)' % (
                r['pack'], r['profile'], r['rules'], r['automated'], r['controls'], r['covered'], pct,
                r['benchmark']))
            if 'cats' in r:
                print('    ' + ', '.join('CAT %s %d of %d' % (k, v[0], v[1])
                                      for k, v in sorted(r['cats'].items(), key=lambda kv: len(kv[0]))))
            if verbose and r['missing']:
                print('    missing: ' + ' '.join(r['missing']))


if __name__ == '__main__':
    main()
