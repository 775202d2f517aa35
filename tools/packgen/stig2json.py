#!/usr/bin/env python3
"""Extracts a ComplianceAsCode STIG control file into the JSON kept in
tools/packgen/data/ (stig_ubuntu2204.json, stig_ubuntu2404.json,
stig_rhel9.json), with DISA's vulnerability (V-) and rule (SV-) ids from
the DISA XCCDF that ComplianceAsCode keeps where it has one:

    python3 tools/packgen/stig2json.py CONTENT_GIT CONTROLS [DISA_XCCDF] > tools/packgen/data/NAME.json

CONTENT_GIT is a clone (bare is fine) of ComplianceAsCode/content;
CONTROLS the control file inside it (controls/stig_ubuntu2204.yml,
products/rhel9/controls/stig_rhel9.yml); DISA_XCCDF the manual benchmark
(shared/references/disa-stig-ubuntu2204-v2r8-xccdf-manual.xml).  Only
controls with a STIG id are kept (helpers such as needed_rules are not
requirements); the level high/medium/low is DISA's CAT I/II/III; rules
with "=" are variable settings, not rules.  Beside the controls: "ssg",
each listed SSG rule's title and template (name and variables, the
product's "@" values applied) from its rule.yml, and "values", the XCCDF
variables those templates read, as the control file selects them (else
their default), which tools/packgen/stig.py makes checks of.  The output
records the commit it was read at.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import yaml

JINJA = '@jinja@'
CAT = {'high': 'I', 'medium': 'II', 'low': 'III'}
STIG_ID = re.compile(r'[A-Z]+-[0-9]{2}-[0-9]{6}')


def show(git, path):
    return subprocess.run(['git', '--git-dir', git, 'show', 'HEAD:' + path], check=True,
                          capture_output=True, text=True).stdout


def disa_ids(text, titles):
    """STIG id -> (V-, SV-) from a DISA XCCDF 1.1 benchmark; titles gets
    STIG id -> the rule's title."""
    ns = '{http://checklists.nist.gov/xccdf/1.1}'
    out = {}
    for g in ET.fromstring(text).iter(ns + 'Group'):
        rule = g.find(ns + 'Rule')
        if rule is None:
            continue
        sid = rule.find(ns + 'version').text.strip()
        out[sid] = (g.get('id'), rule.get('id'))
        titles[sid] = ' '.join((rule.find(ns + 'title').text or '').split())
    return out


def batch(git, paths):
    """The texts of paths at HEAD, in one git process."""
    out = subprocess.run(['git', '--git-dir', git, 'cat-file', '--batch'], check=True,
                         input=''.join('HEAD:%s\n' % p for p in paths).encode(),
                         capture_output=True).stdout
    texts, pos = [], 0
    for _ in paths:
        end = out.index(b'\n', pos)
        size = int(out[pos:end].split()[2])
        texts.append(out[end + 1:end + 1 + size].decode())
        pos = end + 1 + size + 1
    return texts


def unjinja(text):
    """YAML of a rule.yml section without its Jinja: a line holding only a
    Jinja statement goes, an expression becomes JINJA, and template_of
    drops a variable holding one (the generator leaves a rule whose
    template needs it to a hand-written rule)."""
    lines = [ln for ln in text.split('\n') if not re.fullmatch(r'\s*\{\{%.*%\}\}\s*', ln)]
    return re.sub(r'\{\{\{.*?\}\}\}', JINJA, '\n'.join(lines))


def template_of(text, product):
    """The rule.yml's template {name, vars} with the product's @ values."""
    m = re.search(r'^template:\n((?:[ \t]+.*\n|[ \t]*\n)+)', text + '\n', re.M)
    if not m:
        return None
    try:
        t = yaml.safe_load(unjinja(m.group(1)))
    except yaml.YAMLError:
        return None
    if not isinstance(t, dict) or 'name' not in t:
        return None
    vs = {}
    for k, v in (t.get('vars') or {}).items():
        if JINJA in json.dumps(v):
            continue
        if '@' not in k:
            vs.setdefault(k, v)
        elif k.split('@')[1] == product:
            vs[k.split('@')[0]] = v
    return {'name': t['name'], 'vars': vs}


def ssg_rules(git, names, product, selected):
    """SSG rule name -> {title, template}; and the values of the XCCDF
    variables the rules' templates use: the control file's selection, else
    the variable's default."""
    tree = subprocess.run(['git', '--git-dir', git, 'ls-tree', '-r', '--name-only', 'HEAD'],
                          check=True, capture_output=True, text=True).stdout.split('\n')
    rule_yml = {p.split('/')[-2]: p for p in tree if p.endswith('/rule.yml')
                and p.startswith(('linux_os/', 'applications/'))}
    var_file = {p.rsplit('/', 1)[1][:-4]: p for p in tree if p.endswith('.var')
                and p.startswith('linux_os/')}
    names = sorted(n for n in names if n in rule_yml)
    out = {}
    for n, text in zip(names, batch(git, [rule_yml[n] for n in names])):
        m = re.search(r'^title:.*\n(?:[ \t]+.*\n)*', text, re.M)
        try:
            title = ' '.join(str(yaml.safe_load(unjinja(m.group(0)))['title']).split())
        except (AttributeError, yaml.YAMLError, TypeError, KeyError):
            title = n
        out[n] = {'title': title, 'template': template_of(text, product)}
    used = set(selected)
    for r in out.values():
        for k, v in ((r['template'] or {}).get('vars') or {}).items():
            if isinstance(v, str) and (k in ('xccdf_variable', 'ext_variable', 'arg_variable')
                                       or k == 'variable' and v.startswith('var_')):
                used.add(v)
        t = r['template'] or {}
        if t.get('name') == 'sysctl' and 'sysctlval' not in t['vars']:
            used.add('sysctl_%s_value' % t['vars']['sysctlvar'].replace('.', '_'))
        if t.get('name') == 'accounts_password':
            used.add('var_password_pam_%s' % t['vars']['variable'])
    used = sorted(v for v in used if v in var_file)
    values = {}
    for v, text in zip(used, batch(git, [var_file[v] for v in used])):
        opts = (yaml.safe_load(unjinja(text)) or {}).get('options') or {}
        key = selected.get(v, 'default')
        opts = {str(k): o for k, o in opts.items()}  # YAML reads 1: as a number
        if key in opts:
            values[v] = str(opts[key])
        elif v in selected:
            values[v] = str(key)  # a literal value, not an option name
    return out, values


def flatten(controls, parent_levels, out, selected=None):
    for c in controls or []:
        levels = c.get('levels') or parent_levels
        cid = str(c.get('id', ''))
        if selected is not None:
            for r in c.get('rules') or []:
                if '=' in r:
                    k, v = r.split('=', 1)
                    selected[k] = v
        if STIG_ID.fullmatch(cid):
            out[cid] = {'title': ' '.join(str(c.get('title', '')).split()),
                        'cat': CAT[(levels or ['medium'])[0]],
                        'status': str(c.get('status', '')).split('#')[0].strip(),
                        'rules': [r for r in (c.get('rules') or []) if '=' not in r]}
        flatten(c.get('controls'), levels, out, selected)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit('usage: stig2json.py CONTENT_GIT CONTROLS [DISA_XCCDF]')
    git, path = sys.argv[1], sys.argv[2]
    commit = subprocess.run(['git', '--git-dir', git, 'rev-parse', 'HEAD'], check=True,
                            capture_output=True, text=True).stdout.strip()
    doc = yaml.safe_load(show(git, path))
    out, selected = {}, {}
    flatten(doc.get('controls'), None, out, selected)
    titles = {}
    ids = disa_ids(show(git, sys.argv[3]), titles) if len(sys.argv) == 4 else {}
    for cid, c in out.items():
        if cid in ids:
            c['vuln'], c['rule'] = ids[cid]
        if not c['title']:
            c['title'] = titles.get(cid, '')
    product = doc.get('product') or path.split('/')[1]
    rules, values = ssg_rules(git, {r for c in out.values() for r in c['rules']}, product,
                              selected)
    src = 'ComplianceAsCode/content %s @ %s' % (path, commit)
    if len(sys.argv) == 4:
        src += ', DISA ids from ' + sys.argv[3]
    sys.stdout.write('{\n "source": %s,\n "benchmark": %s,\n "controls": {\n' % (
        json.dumps(src), json.dumps('%s, %s' % (doc.get('title') or doc.get('policy'),
                                                doc.get('version')))))
    rows = ['  %s: %s' % (json.dumps(k), json.dumps(v, ensure_ascii=False))
            for k, v in sorted(out.items())]
    sys.stdout.write(',\n'.join(rows) + '\n },\n "values": %s,\n "ssg": {\n' % json.dumps(
        values, sort_keys=True))
    rows = ['  %s: %s' % (json.dumps(k), json.dumps(v, ensure_ascii=False, sort_keys=True))
            for k, v in sorted(rules.items())]
    sys.stdout.write(',\n'.join(rows) + '\n }\n}\n')


if __name__ == '__main__':
    main()
