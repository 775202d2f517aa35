#!/usr/bin/env python3
"""Extracts, for a CIS control file of ComplianceAsCode, the SSG rules'
templates and the XCCDF values the control file selects, into
tools/packgen/data/ssg_cis_PACK.json (read by tools/packgen/cisfill.py,
which builds rules from the templates for the controls a pack's own
rules leave uncovered):

    python3 tools/packgen/cistemplates2json.py CONTENT_GIT CONTROLS PRODUCT > tools/packgen/data/ssg_cis_PACK.json

CONTENT_GIT is a clone (bare is fine) of ComplianceAsCode/content;
CONTROLS the control file inside it (controls/cis_debian12.yml,
products/rhel9/controls/cis_rhel9.yml); PRODUCT the product whose "@"
template values apply (debian12, rhel9...).  The controls themselves stay
in tools/packgen/data/cis_PACK.json (controls2json.py): this file holds
"ssg", each listed SSG rule's title and template, and "values", the
variables those templates read as the control file's "var=value" entries
select them (else the variable's default), as stig2json.py extracts them
for the STIG control files.  The CIS profiles of those products add no
selections of their own (products/*/profiles/cis_*.profile select
CONTROLS:all:LEVEL only).  A variable two controls set apart is named on
stderr; the last setting wins.
"""
import json
import subprocess
import sys

import yaml

import stig2json


def walk(controls, selected, names, conflicts):
    for c in controls or []:
        for r in c.get('rules') or []:
            if '=' in r:
                k, v = r.split('=', 1)
                if k in selected and selected[k] != v:
                    conflicts.add('%s (%s, %s)' % (k, selected[k], v))
                selected[k] = v
            else:
                names.add(r)
        walk(c.get('controls'), selected, names, conflicts)


def main():
    if len(sys.argv) != 4:
        sys.exit('usage: cistemplates2json.py CONTENT_GIT CONTROLS PRODUCT')
    git, path, product = sys.argv[1:]
    commit = subprocess.run(['git', '--git-dir', git, 'rev-parse', 'HEAD'], check=True,
                            capture_output=True, text=True).stdout.strip()
    doc = yaml.safe_load(stig2json.show(git, path))
    selected, names, conflicts = {}, set(), set()
    walk(doc.get('controls'), selected, names, conflicts)
    if conflicts:
        print('cistemplates2json.py: set apart by two controls: %s' % ', '.join(sorted(conflicts)),
              file=sys.stderr)
    rules, values = stig2json.ssg_rules(git, names, product, selected)
    sys.stdout.write('{\n "source": %s,\n "values": %s,\n "ssg": {\n' % (
        json.dumps('ComplianceAsCode/content %s @ %s, templates of product %s' % (
            path, commit, product)), json.dumps(values, sort_keys=True, ensure_ascii=False)))
    rows = ['  %s: %s' % (json.dumps(k), json.dumps(v, ensure_ascii=False, sort_keys=True))
            for k, v in sorted(rules.items())]
    sys.stdout.write(',\n'.join(rows) + '\n }\n}\n')


if __name__ == '__main__':
    main()
