#!/usr/bin/env python3
"""Agreement of tattoo and oscap over the rules both judge pass/fail and
that share an SSG id (the pack's references.ssg).  Prints the figure and
every disagreement (explained in bench/audit-disagreements.md)."""
import argparse
import json
import xml.etree.ElementTree as ET

XCCDF = '{http://checklists.nist.gov/xccdf/1.2}'


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--pack', required=True)
    ap.add_argument('--tattoo', required=True)
    ap.add_argument('--oscap', required=True)
    a = ap.parse_args()

    oscap = {}
    for rr in ET.parse(a.oscap).getroot().iter(XCCDF + 'rule-result'):
        oscap[rr.get('idref')] = rr.find(XCCDF + 'result').text
    tattoo = json.load(open(a.tattoo))['results']
    shared = agree = 0
    dis = []
    for r in tattoo:
        ssg = (r.get('references') or {}).get('ssg')
        o = oscap.get(ssg)
        if not ssg or r['result'] not in ('pass', 'fail') or o not in ('pass', 'fail'):
            continue
        shared += 1
        if o == r['result']:
            agree += 1
        else:
            dis.append((r['id'], r['result'], o))
    pct = 100.0 * agree / shared if shared else 0.0
    print('agreement:     %d of %d shared rules (%.1f%%; target >= 90%% over >= 100)' % (agree, shared, pct))
    for rid, t, o in sorted(dis):
        print('  disagree: %-48s tattoo %-4s oscap %s' % (rid, t, o))


if __name__ == '__main__':
    main()
