#!/usr/bin/env python3
"""Times tattoo scrub --check, find|xargs cat and rg -uuu on one tree.

Each command runs once to warm the page cache, then ROUNDS times; the
median wall time counts.  Peak memory is /usr/bin/time's maximum
resident set size.  The ripgrep pattern set comes from the detectors
catalogue: a token detector's prefix followed by its charset and length,
the other detectors' keywords as literals (less work than tattoo's
validators, so the ratio flatters ripgrep).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROUNDS = 5


def run(cmd, work, name):
    """Returns (seconds, max RSS in KiB, stdout)."""
    out = os.path.join(work, name + ".out")
    tv = os.path.join(work, name + ".time")
    t0 = time.monotonic()
    with open(out, "wb") as f:
        rc = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", tv] + cmd,
                             stdout=f, stderr=subprocess.DEVNULL)
    dt = time.monotonic() - t0
    rss = int(open(tv).read().split()[-1])
    return dt, rss, rc, out


def measure(cmd, work, name):
    run(cmd, work, name)  # warm the cache
    times, rsss = [], []
    for _ in range(ROUNDS):
        dt, rss, rc, out = run(cmd, work, name)
        times.append(dt)
        rsss.append(rss)
    return statistics.median(times), max(rsss), rc, out


def charset_class(cs):
    out = ""
    for ch in cs:
        out += "\\" + ch if ch in "[]\\^" else ch
    if out.endswith("-") and not out.endswith("\\-"):
        out = out[:-1] + "\\-"
    return "[" + out + "]"


def escape(s):
    """Escapes what Rust's regex treats as syntax, nothing else (it
    refuses escapes of ordinary characters such as ~)."""
    return "".join("\\" + c if c in "\\.+*?()|[]{}^$" else c for c in s)


def rg_patterns(path):
    pats = []
    for d in json.load(open(path))["detectors"]:
        v = d["validator"]
        for kw in d["keywords"]:
            if v["type"] == "token":
                pats.append(escape(kw) + charset_class(v["charset"]) +
                            "{%d,%d}" % (v.get("min", 1), v.get("max", 4096)))
            else:
                pats.append(escape(kw))
    return pats


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tattoo", required=True)
    ap.add_argument("--root", required=True)
    ap.add_argument("--detectors", required=True)
    ap.add_argument("--manifest", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()

    files = size = 0
    for dp, dn, fn in os.walk(a.root):
        for f in fn:
            p = os.path.join(dp, f)
            if os.path.isfile(p) and not os.path.islink(p):
                files += 1
                size += os.path.getsize(p)
    print("tree: %d files, %.0f MB (%s)" % (files, size / 1e6, a.root))

    cat = ["sh", "-c", "find \"$0\" -type f -print0 | xargs -0 cat >/dev/null", a.root]
    tt = [a.tattoo, "--root", a.root, "scrub", "--check", "--format", "json"]
    pats = rg_patterns(a.detectors)
    rg = ["rg", "-uuu", "-a", "-c", "--no-messages"]
    for p in pats:
        rg += ["-e", p]
    rg.append(a.root)

    t_cat, m_cat, _, _ = measure(cat, a.work, "cat")
    t_tt, m_tt, rc, out = measure(tt, a.work, "tattoo")
    t_rg, m_rg, rc_rg, _ = measure(rg, a.work, "rg")
    if rc_rg > 1:
        sys.exit("rg failed (exit %d): the pattern set is wrong" % rc_rg)
    doc = json.load(open(out))
    found = {(f["path"], f["detector"]) for f in doc["findings"]}
    want = [(m["path"], m["detector"]) for m in map(json.loads, open(a.manifest))]
    missed = [w for w in want if w not in found]
    s = doc["summary"]
    print("tattoo scrub --check: exit %d, %d files, %d bytes, %d secrets, "
          "%d leftovers, %d not scanned; planted %d, missed %d%s"
          % (rc, s["files"], s["bytes"], s["secrets"], s["leftovers"],
             s["skipped"], len(want), len(missed),
             (" " + repr(missed)) if missed else ""))
    print("%-34s %8s %10s" % ("", "seconds", "peak RSS"))
    print("%-34s %8.3f %7.1f MB" % ("find | xargs cat", t_cat, m_cat / 1024))
    print("%-34s %8.3f %7.1f MB" % ("tattoo scrub --check (2 threads)", t_tt, m_tt / 1024))
    print("%-34s %8.3f %7.1f MB" % ("rg -uuu -a (%d patterns)" % len(pats), t_rg, m_rg / 1024))
    r_cat = t_tt / t_cat
    print("ratio tattoo/cat: %.2f (target <= 2.5: %s)" % (r_cat, "met" if r_cat <= 2.5 else "NOT met"))
    print("ratio tattoo/ripgrep: %.2f" % (t_tt / t_rg))
    print("peak memory: %.1f MB (target <= 32 MB: %s)"
          % (m_tt / 1024, "met" if m_tt <= 32 * 1024 else "NOT met"))
    if missed:
        sys.exit(1)


if __name__ == "__main__":
    main()
