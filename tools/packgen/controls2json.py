#!/usr/bin/env python3
"""Extracts a ComplianceAsCode control file into the JSON kept in
tools/packgen/data/ (cis_debian13.json, cis_rhel10.json, cis_sle15.json),
so that the generators read the control data without the repository:

    python3 tools/packgen/controls2json.py CONTENT_GIT PATH > tools/packgen/data/NAME.json

CONTENT_GIT is a clone (bare is fine) of ComplianceAsCode/content; PATH is
the control file inside it (controls/cis_debian13.yml).  Only numbered
controls are kept (helpers such as reload_dconf_db are not benchmark
sections); nested controls are flattened, a child without levels takes
its parent's.  The output records the commit it was read at.
"""
import json
import re
import subprocess
import sys

import yaml


def flatten(controls, parent_levels, out):
    for c in controls or []:
        levels = c.get('levels') or parent_levels
        cid = str(c.get('id', ''))
        if re.fullmatch(r'[0-9]+(\.[0-9]+)*', cid):
            out[cid] = {'title': c.get('title', ''), 'levels': list(levels or []),
                        'status': c.get('status', ''), 'rules': [
                            r for r in (c.get('rules') or []) if '=' not in r]}
        flatten(c.get('controls'), levels, out)


def main():
    if len(sys.argv) != 3:
        sys.exit('usage: controls2json.py CONTENT_GIT PATH')
    git, path = sys.argv[1], sys.argv[2]
    commit = subprocess.run(['git', '--git-dir', git, 'rev-parse', 'HEAD'], check=True,
                            capture_output=True, text=True).stdout.strip()
    text = subprocess.run(['git', '--git-dir', git, 'show', 'HEAD:' + path], check=True,
                          capture_output=True, text=True).stdout
    doc = yaml.safe_load(text)
    out = {}
    flatten(doc.get('controls'), None, out)
    ordered = dict(sorted(out.items(), key=lambda kv: [int(x) for x in kv[0].split('.')]))
    sys.stdout.write('{\n "source": %s,\n "benchmark": %s,\n "levels": %s,\n "controls": {\n' % (
        json.dumps('ComplianceAsCode/content %s @ %s' % (path, commit)),
        json.dumps('%s, version %s' % (doc.get('title') or doc.get('policy'), doc.get('version'))),
        json.dumps('CIS profile levels as listed by the control file; l2 inherits l1')))
    rows = ['  %s: %s' % (json.dumps(k), json.dumps(v, ensure_ascii=False)) for k, v in ordered.items()]
    sys.stdout.write(',\n'.join(rows) + '\n }\n}\n')


if __name__ == '__main__':
    main()
