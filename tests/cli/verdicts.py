#!/usr/bin/env python3
"""The verdict check of the pack fixture tests (t0400, t0402, t0403,
t0460): every rule of a profile has the verdict the fixture tree's mode
wants, in an audit's JSON.

    verdicts.py [--other IDS] PACK PROFILE MODE RESULTS ABSENT GATED MIN_JUDGED [NA]

MODE is the tree: compliant (every automated rule passes; GATED rules,
whose subject the tree lacks, are notapplicable), noncompliant (every
automated rule fails, but ABSENT rules, which judge something the
noncompliant-absent tree leaves out, pass) or absent (the ABSENT rules
fail; the others are not judged).  Rules scoped to the running system are
notapplicable under --root, manual rules "manual".  ABSENT and GATED are
space-separated rule ids.  A compliant tree must have at least
MIN_JUDGED rules judged pass or fail.  NA (optional, any mode): rules
that must be notapplicable on this tree, those of the firewall or logging
system the tree does not use (CIS lets the site choose one; t0404 judges
each on trees of its own).  --other IDS (space-separated rule ids): rules
not judged here at all, the rules of a branch the tree does not follow
(the nftables and iptables rules of a firewalld tree), which another tree
of their own judges.  Prints each wrong verdict with what
the rule found and expected; exits 1 on any.
"""
import json
import sys


def main():
    other = set()
    if len(sys.argv) > 2 and sys.argv[1] == '--other':
        other = set(sys.argv[2].split())
        del sys.argv[1:3]
    if len(sys.argv) not in (8, 9):
        sys.exit(__doc__)
    pack = json.load(open(sys.argv[1]))
    profile, mode = sys.argv[2], sys.argv[3]
    doc = json.load(open(sys.argv[4]))
    absent, gated = set(sys.argv[5].split()), set(sys.argv[6].split())
    min_judged = int(sys.argv[7])
    na = set(sys.argv[8].split()) if len(sys.argv) == 9 else set()
    if doc['pack'] != pack['pack']:
        print('the audit used pack %s, not %s' % (doc['pack'], pack['pack']))
        return 1
    res = {r['id']: r for r in doc['results']}
    prof = [p for p in pack['profiles'] if p['id'] == profile][0]['rules']
    rules = {r['id']: r for r in pack['rules']}
    bad = judged = 0
    for rid in prof:
        if rid in other:
            continue
        r = rules[rid]
        if 'image' not in r['scope'] or (rid in na and mode != 'absent'):
            want = 'notapplicable'
        elif 'manual' in r:
            want = 'manual'
        elif mode == 'compliant':
            want = 'notapplicable' if rid in gated else 'pass'
        elif mode == 'noncompliant':
            want = 'pass' if rid in absent else 'fail'
        else:
            if rid not in absent:
                continue
            want = 'fail'
        got = res.get(rid, {}).get('result', 'missing')
        if got in ('pass', 'fail'):
            judged += 1
        if got != want:
            bad += 1
            print('%s: got %s, want %s (found: %s; expected: %s)' % (
                rid, got, want, res.get(rid, {}).get('found'),
                res.get(rid, {}).get('expected')))
    print('%d rules with the wrong verdict, %d judged' % (bad, judged))
    if mode == 'compliant' and judged < min_judged:
        print('fewer than %d automated rules judged' % min_judged)
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
