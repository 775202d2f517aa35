#!/usr/bin/env python3
"""Times tattoo audit of a Debian 13 tree (median of --runs, peak RSS from
GNU time as bench/audit/measure.py does) and prints the verdicts of the
debian13 pack per profile, with the rules that fail there."""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'audit'))
from measure import timed  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tattoo', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--runs', type=int, default=15)
    a = ap.parse_args()
    with open(os.path.join(a.root, 'etc/os-release')) as f:
        osr = dict(l.strip().split('=', 1) for l in f if '=' in l)
    print('os-release: ID=%s VERSION_ID=%s VERSION_CODENAME=%s' % (
        osr.get('ID'), osr.get('VERSION_ID', '(none)'), osr.get('VERSION_CODENAME', '(none)')))
    for prof in ('cis-l1-server', 'cis-l2-server'):
        out = os.path.join(a.work, prof + '.json')
        times, peaks = [], []
        for _ in range(a.runs if prof == 'cis-l1-server' else 1):
            with open(out, 'w') as f:
                dt, rss, rc = timed([a.tattoo, 'audit', '--root', a.root, '--profile', prof, '--format', 'json'], f)
            if rc not in (0, 1):
                sys.exit('tattoo audit failed with exit status %d' % rc)
            times.append(dt)
            peaks.append(rss)
        doc = json.load(open(out))
        s = doc['summary']
        print('%s %s: %d pass, %d fail, %d notapplicable, %d manual, %d error; score %.1f' % (
            doc['pack'], prof, s['pass'], s['fail'], s['notapplicable'], s['manual'], s['error'], s['score']))
        if prof == 'cis-l1-server':
            print('tattoo audit: %.1f ms (median of %d), peak RSS %.1f MB' % (
                statistics.median(times) * 1000, len(times), max(peaks) / 1024))
            fails = sorted((r['references']['cis'] if 'references' in r else '', r['id'])
                           for r in doc['results'] if r['result'] == 'fail')
            print('failing on the stock tree: ' + ' '.join(i for _, i in fails))
        if doc['pack'] != 'debian13':
            sys.exit('the trixie tree was not given the debian13 pack')


if __name__ == '__main__':
    main()
