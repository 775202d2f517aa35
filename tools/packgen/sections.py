"""The benchmark's section titles for a pack ("sections": {"5.2": "Configure
SSH Server", ...}), which the HTML report heads its groups with.

They come from tools/packgen/data/sections_PACK.json:

    {"source": "where the titles were read", "benchmark": "CIS ... vX.Y.Z",
     "checked": "how the source was found to be that edition",
     "sections": {"1": "Initial Setup", "1.1": "...", ...}}

ComplianceAsCode's control files hold only the numbered controls, not the
headings above them, so the titles are a data file of their own, made by
tools/packgen/src2sections.py from a public text that lists the
benchmark's numbered items (it checks that the text is the edition of the
pack's control data and of the pack's numbers).  The file names the
benchmark edition it was read from: a file for another
edition than the pack's is refused (numbering moves between editions:
CIS RHEL 9 v1.0.0's 5.2 is not v2.0.0's), and only the numbers that head
some rule of the pack are kept.  A pack without a file has no "sections"
and the report shows the numbers alone.
"""
import json
import os
import sys

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')


def add(pack):
    """pack with "sections" after "benchmark" when a titles file exists."""
    path = os.path.join(DATA, 'sections_%s.json' % pack['pack'])
    if not os.path.exists(path):
        return pack
    with open(path, encoding='utf-8') as fh:
        data = json.load(fh)
    if data.get('benchmark') != pack['benchmark']:
        sys.exit('%s: titles of %r, the pack is %r: numbering differs between editions'
                 % (path, data.get('benchmark'), pack['benchmark']))
    used = set()
    for r in pack['rules']:
        parts = r['references'].get('cis', '').split('.')
        used.update('.'.join(parts[:i]) for i in range(1, len(parts)))
    titles = {k: v for k, v in data['sections'].items() if k in used}
    out = {}
    for k, v in pack.items():
        out[k] = v
        if k == 'benchmark' and titles:
            out['sections'] = dict(sorted(titles.items(),
                                          key=lambda kv: [int(x) for x in kv[0].split('.')]))
    return out
