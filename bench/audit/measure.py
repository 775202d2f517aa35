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


GNU_TIME = '/usr/bin/time'


def timed(argv, stdout):
    """Wall time, peak RSS in KiB and exit code of argv.

    The peak comes from GNU time, whose small process forks the command:
    wait4's ru_maxrss of a child forked from this Python process counts
    Python's own resident set (the kernel carries the pre-exec high-water
    mark across exec), which would hide a peak of a few megabytes.
    """
    import tempfile
    with tempfile.NamedTemporaryFile('r') as rss:
        wrapped = [GNU_TIME, '-f', '%M', '-o', rss.name] + list(argv)
        t0 = time.perf_counter()
        p = subprocess.Popen(wrapped, stdout=stdout,
                             stderr=subprocess.DEVNULL)
        _, status, _ = os.wait4(p.pid, 0)
        dt = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        lines = [l for l in rss.read().splitlines() if l.strip().isdigit()]
        peak = int(lines[-1]) if lines else -1
    return dt, peak, p.returncode


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
