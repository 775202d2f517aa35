#!/usr/bin/env python3
"""Times tattoo sbom and trivy rootfs --format cyclonedx on one tree;
prints the ratio, each tool's peak resident set size, and the difference
of their package sets (tattoo sbom --diff TRIVY TATTOO).

tattoo runs several times and the median wall time counts; trivy runs
once after a warm-up run (its first run fills its cache directory), so
the ratio is against trivy at its best.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

GNU_TIME = '/usr/bin/time'


def timed(argv, stdout, env=None):
    """Wall time, peak RSS in KiB (GNU time's, of the command alone) and
    exit code of argv."""
    with tempfile.NamedTemporaryFile('r') as rss:
        wrapped = [GNU_TIME, '-f', '%M', '-o', rss.name] + list(argv)
        t0 = time.perf_counter()
        p = subprocess.run(wrapped, stdout=stdout, stderr=subprocess.DEVNULL,
                           env=env, check=False)
        dt = time.perf_counter() - t0
        lines = [l for l in rss.read().splitlines() if l.strip().isdigit()]
        peak = int(lines[-1]) if lines else -1
    return dt, peak, p.returncode


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tattoo', required=True)
    ap.add_argument('--trivy', required=True)
    ap.add_argument('--trivy-cache', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--runs', type=int, default=15)
    a = ap.parse_args()

    tout = os.path.join(a.work, 'tattoo.cdx.json')
    times, peaks = [], []
    for _ in range(a.runs):
        dt, rss, rc = timed([a.tattoo, '--root', a.root, 'sbom', '--output', tout],
                            subprocess.DEVNULL)
        if rc != 0:
            sys.exit('tattoo sbom failed with exit status %d' % rc)
        times.append(dt)
        peaks.append(rss)
    vout = os.path.join(a.work, 'trivy.cdx.json')
    targv = [a.trivy, 'rootfs', '--format', 'cyclonedx', '--output', vout,
             '--skip-db-update', '--offline-scan', '--cache-dir', a.trivy_cache,
             a.root]
    timed(targv, subprocess.DEVNULL)  # warm-up: fills the cache
    vdt, vrss, vrc = timed(targv, subprocess.DEVNULL)
    if vrc != 0 or not os.path.exists(vout):
        sys.exit('trivy failed with exit status %d' % vrc)
    diff = subprocess.run([a.tattoo, 'sbom', '--diff', '--json', vout, tout],
                          capture_output=True, text=True, check=True)
    d = json.loads(diff.stdout)
    t = statistics.median(times)
    ntattoo = sum(1 for c in json.load(open(tout))['components']
                  if c['type'] == 'library')
    ntrivy = sum(1 for c in json.load(open(vout))['components']
                 if c.get('type') == 'library')
    print('tattoo sbom:   %.1f ms (median of %d runs), peak RSS %.1f MB, %d packages'
          % (t * 1000, a.runs, max(peaks) / 1024, ntattoo))
    print('trivy rootfs:  %.1f ms, peak RSS %.1f MB, %d packages'
          % (vdt * 1000, vrss / 1024, ntrivy))
    print('speed ratio:   %.0fx (target >= 20x)' % (vdt / t))
    print('tattoo peak RSS %s the 10 MB target'
          % ('meets' if max(peaks) <= 10 * 1024 else 'MISSES'))
    same = not d['added'] and not d['removed'] and not d['changed']
    print('package sets:  %s (trivy -> tattoo: %d added, %d removed, %d changed, %d same)'
          % ('the same' if same else 'DIFFER', len(d['added']), len(d['removed']),
             len(d['changed']), d['unchanged']))
    for k in ('added', 'removed', 'changed'):
        for e in d[k][:20]:
            print('  %s %s' % (k, json.dumps(e, sort_keys=True)))


if __name__ == '__main__':
    main()
