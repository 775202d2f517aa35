#!/usr/bin/env python3
"""Extracts a CIS benchmark's section headings from a README's
recommendation table (MVladislav/ansible-cis-ubuntu-2404: rows
"| 5.1 | **Configure SSH Server** | ..."; bold rows are headings, plain
rows recommendations) into tools/packgen/data/sections_PACK.json:

    python3 tools/packgen/readme2sections.py GIT PATH BENCHMARK CONTROLS \
        > tools/packgen/data/sections_ubuntu2404.json

GIT is a clone (bare is fine), PATH the README in it, BENCHMARK the
pack's benchmark string the table was written for (the README says
which), CONTROLS the control data of the same edition
(tools/packgen/data/cis_ubuntu2404.json): every recommendation row of the
table whose number is a control there must carry the control's title, or
the numbering is not the same edition and the script stops.
"""
import json
import re
import subprocess
import sys

ROW = re.compile(r'^\|\s*([0-9]+(?:\.[0-9]+)*)\s*\|\s*(.*?)\s*\|')


def unescape(t):
    """Markdown's backslash escapes (\\_chrony) as the text they stand for."""
    return re.sub(r'\\([\\`*_{}\[\]()#+\-.!<>|])', r'\1', t)


def norm(t):
    return re.sub(r'\s+', ' ', unescape(t)).strip().lower()


def main():
    if len(sys.argv) != 5:
        sys.exit('usage: readme2sections.py GIT PATH BENCHMARK CONTROLS')
    git, path, bench, controls = sys.argv[1:]
    commit = subprocess.run(['git', '--git-dir', git, 'rev-parse', 'HEAD'], check=True,
                            capture_output=True, text=True).stdout.strip()
    text = subprocess.run(['git', '--git-dir', git, 'show', 'HEAD:' + path], check=True,
                          capture_output=True, text=True).stdout
    with open(controls, encoding='utf-8') as fh:
        known = json.load(fh)['controls']
    sections, same, differ = {}, 0, []
    for line in text.splitlines():
        m = ROW.match(line)
        if not m:
            continue
        num, cell = m.groups()
        if cell.startswith('**') and cell.endswith('**'):
            sections[num] = unescape(cell[2:-2].strip())
        elif num in known:
            if norm(cell) == norm(known[num]['title']):
                same += 1
            else:
                differ.append(num)
    if not sections or differ:
        sys.exit('readme2sections: %d headings; titles differ from %s at %s'
                 % (len(sections), controls, ', '.join(differ[:20])))
    sys.stderr.write('readme2sections: %d headings; %d recommendations agree with %s\n'
                     % (len(sections), same, controls))
    ordered = dict(sorted(sections.items(), key=lambda kv: [int(x) for x in kv[0].split('.')]))
    json.dump({'source': '%s %s @ %s' % (git.rstrip('/').split('/')[-2].replace('+', '/'), path, commit),
               'benchmark': bench, 'sections': ordered}, sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
