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
the rule found and expected; exits 1 on any.  judge() is the same check
for a pychecks script (tests/lib.sh) judging several trees in one python3.
"""
import json
import sys


def judge(pack, profile, mode, doc, absent, gated, min_judged, na=(), other=()):
    """The verdict check on loaded documents: PACK and DOC are the parsed
    pack and audit JSON, ABSENT, GATED, NA and OTHER collections of rule
    ids.  Returns (ok, text): text lists each wrong verdict and ends with
    the count (pychecks scripts in the tests call this, one python3 for
    several trees, not one per tree: issue 17)."""
    out = []
    if doc['pack'] != pack['pack']:
        return False, 'the audit used pack %s, not %s' % (doc['pack'], pack['pack'])
    absent, gated, na, other = set(absent), set(gated), set(na), set(other)
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
            out.append('%s: got %s, want %s (found: %s; expected: %s)' % (
                rid, got, want, res.get(rid, {}).get('found'),
                res.get(rid, {}).get('expected')))
    out.append('%d rules with the wrong verdict, %d judged' % (bad, judged))
    if mode == 'compliant' and judged < min_judged:
        out.append('fewer than %d automated rules judged' % min_judged)
        bad += 1
    return bad == 0, '\n'.join(out)


def main():
    other = set()
    if len(sys.argv) > 2 and sys.argv[1] == '--other':
        other = set(sys.argv[2].split())
        del sys.argv[1:3]
    if len(sys.argv) not in (8, 9):
        sys.exit(__doc__)
    pack = json.load(open(sys.argv[1]))
    doc = json.load(open(sys.argv[4]))
    na = sys.argv[8].split() if len(sys.argv) == 9 else ()
    ok, text = judge(pack, sys.argv[2], sys.argv[3], doc, sys.argv[5].split(),
                     sys.argv[6].split(), int(sys.argv[7]), na, other)
    print(text)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
