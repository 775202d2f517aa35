#!/usr/bin/env python3
"""Times tattoo audit and oscap-chroot on one tree; prints the ratio and
each tool's peak resident set size (from wait4's rusage of that child).

tattoo runs several times and the median wall time counts (one run takes
milliseconds, so a single sample is noise); oscap runs once.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time


def timed(argv, stdout):
    t0 = time.perf_counter()
    p = subprocess.Popen(argv, stdout=stdout, stderr=subprocess.DEVNULL)
    _, status, ru = os.wait4(p.pid, 0)
    dt = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    return dt, ru.ru_maxrss, p.returncode  # ru_maxrss in KiB on Linux


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--tattoo', required=True)
    ap.add_argument('--root', required=True)
    ap.add_argument('--ds', required=True)
    ap.add_argument('--profile', required=True)
    ap.add_argument('--work', required=True)
    ap.add_argument('--runs', type=int, default=15)
    a = ap.parse_args()

    out = os.path.join(a.work, 'tattoo.json')
    times, peaks = [], []
    for _ in range(a.runs):
        with open(out, 'w') as f:
            dt, rss, rc = timed([a.tattoo, 'audit', '--root', a.root, '--format', 'json'], f)
        if rc not in (0, 1):
            sys.exit('tattoo audit failed with exit status %d' % rc)
        times.append(dt)
        peaks.append(rss)
    res = os.path.join(a.work, 'oscap-results.xml')
    odt, orss, orc = timed(['oscap-chroot', a.root, 'xccdf', 'eval', '--profile', a.profile,
                            '--results', res, a.ds], subprocess.DEVNULL)
    if orc not in (0, 2) or not os.path.exists(res):
        sys.exit('oscap-chroot failed with exit status %d' % orc)
    t = statistics.median(times)
    print('tattoo audit:  %.1f ms (median of %d runs), peak RSS %.1f MB' % (t * 1000, a.runs, max(peaks) / 1024))
    print('oscap-chroot:  %.1f ms, peak RSS %.1f MB' % (odt * 1000, orss / 1024))
    print('speed ratio:   %.0fx (target >= 100x)' % (odt / t))
    print('tattoo peak RSS %s 10 MB target' % ('meets the' if max(peaks) <= 10 * 1024 else 'MISSES the'))


if __name__ == '__main__':
    main()
