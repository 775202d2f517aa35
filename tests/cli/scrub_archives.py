#!/usr/bin/env python3
"""Builds archives and compressed files holding planted secrets, and
hostile archives, for the scrub archive tests (t0530, t0531).

The secrets are scrub_plant.py's, assembled at run time (nothing
real-looking is committed): one planted file's content per archive, each
archive with its own seed so no two share a secret.  Everything is built
in memory with the standard library (gzip, bz2, lzma, tarfile, zipfile;
ar by hand), zstd through the zstd program when it is installed.

  scrub_archives.py ROOT --manifest FILE   the archives (every format)
  scrub_archives.py ROOT --bombs           the limits' test files
  scrub_archives.py ROOT --hostile --manifest FILE   links, escapes
  scrub_archives.py ROOT --names --manifest FILE   '!', '%' in names

The manifest has one JSON object a line: {"detector", "path" (the
composite name, "!" between levels), "line", "secret"}.  A format that
cannot be built here is named on standard output: "skip: REASON".
"""
import argparse
import bz2
import gzip
import io
import json
import lzma
import os
import random
import shutil
import subprocess
import sys
import tarfile
import time
import zipfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import scrub_plant  # noqa: E402


def tar(members, mode="w", fmt=tarfile.GNU_FORMAT):
    """members: [(name, bytes)] -> tar bytes (mode w, w:gz, w:xz, w:bz2)."""
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode=mode, format=fmt) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            ti.mtime = 1700000000
            t.addfile(ti, io.BytesIO(data))
    return b.getvalue()


def zipb(members, method=zipfile.ZIP_DEFLATED):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", method) as z:
        for name, data in members:
            z.writestr(name, data)
    return b.getvalue()


def ar(members):
    out = b"!<arch>\n"
    for name, data in members:
        hdr = "%-16s%-12d%-6d%-6d%-8o%-10d`\n" % (name, 1700000000, 0, 0, 0o100644, len(data))
        out += hdr.encode() + data + (b"\n" if len(data) % 2 else b"")
    return out


def zst(data):
    if shutil.which("zstd") is None:
        return None
    return subprocess.run(["zstd", "-q", "-c"], input=data, stdout=subprocess.PIPE,
                          check=True).stdout


def secret_file(seed, index, prefix=""):
    """(detector, content bytes, line, secret) of scrub_plant's entry
    index, with its own seed."""
    r = random.Random(seed)
    det, _path, fmt, secret = scrub_plant.secrets(r)[index]
    content = (prefix + "# a file inside an archive\n\n" + fmt % secret).encode("latin-1")
    line = content[:content.index(secret.encode("latin-1"))].count(b"\n") + 1
    return det, content, line, secret


def put(root, path, data):
    full = os.path.join(root, path.lstrip("/"))
    os.makedirs(os.path.dirname(full), exist_ok=True)
    with open(full, "wb") as f:
        f.write(data)


def archives(root, manifest):
    # scrub_plant's entries by index: 1 aws-access-key-id, 7 jwt,
    # 8 openssh key, 0 github classic, 2 aws secret, 3 azure conn str,
    # 5 slack webhook, 11 stripe, 9 url-password, 6 jwt, 10 npm.
    plan = [
        # (disk path, member path inside or "" for a compressed file,
        #  scrub_plant index, builder(content) -> bytes or None)
        ("/var/log/app.log.1.gz", "", 1, lambda c: gzip.compress(c, mtime=0)),
        ("/var/log/auth.log.2.gz", "", 9, lambda c: gzip.compress(c, mtime=0)),
        ("/srv/dump.sql.xz", "", 2, lambda c: lzma.compress(c)),
        ("/srv/notes.txt.bz2", "", 3, lambda c: bz2.compress(c)),
        ("/srv/trace.log.zst", "", 5, zst),
        ("/root/backup/plain.tar", "!etc/app/aws.ini", 1, lambda c: tar([("etc/app/readme", b"hi\n"), ("etc/app/aws.ini", c)])),
        ("/root/backup/ustar.tar", "!conf/key", 8, lambda c: tar([("conf/key", c)], fmt=tarfile.USTAR_FORMAT)),
        ("/root/backup/pax.tar", "!conf/pax-" + "x" * 120 + ".env", 0, lambda c: tar([("conf/pax-" + "x" * 120 + ".env", c)], fmt=tarfile.PAX_FORMAT)),
        ("/root/backup/etc.tar.gz", "!etc/app/db.conf", 9, lambda c: tar([("etc/app/db.conf", c)], "w:gz")),
        ("/root/backup/etc.tar.xz", "!etc/app/stripe.php", 11, lambda c: tar([("etc/app/stripe.php", c)], "w:xz")),
        ("/root/backup/etc.tar.bz2", "!etc/app/entra.yaml", 4, lambda c: tar([("etc/app/entra.yaml", c)], "w:bz2")),
        ("/root/backup/etc.tar.zst", "!etc/app/notify", 5, lambda c: zst(tar([("etc/app/notify", c)]))),
        ("/opt/release.zip", "!config/.env", 0, lambda c: zipb([("README", b"read me\n"), ("config/.env", c)])),
        ("/opt/stored.zip", "!config/app.json", 3, lambda c: zipb([("config/app.json", c)], zipfile.ZIP_STORED)),
        ("/opt/pkgs/app_1.0_amd64.deb", "!data.tar.xz!etc/app/aws.ini", 1, lambda c: ar([
            ("debian-binary", b"2.0\n"),
            ("control.tar.xz", tar([("./control", b"Package: app\n")], "w:xz")),
            ("data.tar.xz", tar([("./etc/app/aws.ini", c)], "w:xz"))])),
        ("/root/outer.tar.gz", "!inner.zip!config/.env", 10, lambda c: tar([
            ("inner.zip", zipb([("config/.env", c)]))], "w:gz")),
        ("/root/deep4.tar.gz", "!b.zip!c.tar!d.log.gz", 7, lambda c: tar([
            ("b.zip", zipb([("c.tar", tar([("d.log.gz", gzip.compress(c, mtime=0))]))]))], "w:gz")),
    ]
    with open(manifest, "w") as m:
        for seed, (disk, member, idx, build) in enumerate(plan, start=100):
            det, content, line, secret = secret_file(
                seed, idx, "sshd[1]: session opened\n" * 500 if "auth.log" in disk else "")
            data = build(content)
            if data is None:
                print("skip: %s: no zstd program (install zstd: make deps)" % disk)
                continue
            put(root, disk, data)
            m.write(json.dumps({"detector": det, "path": disk + member,
                                "line": line, "secret": secret}) + "\n")


def bombs(root):
    # Not zeros: libarchive takes a stream of zeros for an empty tar
    # (its end marker) and stops at once, a bomb defused by accident.
    put(root, "/b/size.gz", gzip.compress(b"A" * (2 << 20), mtime=0))  # --max-file-size 1M
    put(root, "/b/ratio.gz", gzip.compress(b"A" * (20 << 20), mtime=0))
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_STORED) as zf:
        for i in range(100001):
            zf.writestr(zipfile.ZipInfo("m%d" % i, (2020, 1, 1, 0, 0, 0)), b"")
    put(root, "/b/members.zip", b.getvalue())
    # deep5.tar.gz!b.zip!c.tar!d.tar.gz!e.tar: the fifth container.
    put(root, "/b/deep5.tar.gz", tar([("b.zip", zipb([("c.tar", tar([
        ("d.tar.gz", tar([("e.tar", tar([("f.txt", b"too deep\n")]))], "w:gz"))]))]))], "w:gz"))
    _, content, _, _ = secret_file(900, 1)
    put(root, "/b/longname.zip", zipb([("n" * 1100, b"x\n"), ("ok.ini", content)]))


def hostile(root, manifest):
    """Members that are links or carry terminal escapes in their names;
    a link's target outside holds a secret that must not be read."""
    _, outside, _, _ = secret_file(950, 1)
    put(root, "/../outside/creds", outside)  # next to the root, not in it
    det, content, line, secret = secret_file(951, 0)
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:gz") as t:
        for name, target, kind in (("etc/creds", "/outside/creds", tarfile.SYMTYPE),
                                   ("etc/up", "../../outside/creds", tarfile.SYMTYPE),
                                   ("etc/hard", "../outside/creds", tarfile.LNKTYPE)):
            ti = tarfile.TarInfo(name)
            ti.type = kind
            ti.linkname = target
            t.addfile(ti)
        ti = tarfile.TarInfo("evil\x1b[31m\nname")
        ti.size = len(content)
        t.addfile(ti, io.BytesIO(content))
        ti = tarfile.TarInfo("again")  # a hard link to the secret's member
        ti.type = tarfile.LNKTYPE
        ti.linkname = "evil\x1b[31m\nname"
        t.addfile(ti)
    put(root, "/h/links.tar.gz", b.getvalue())
    with open(manifest, "w") as m:
        m.write(json.dumps({"detector": det, "path": "/h/links.tar.gz!evil%1B[31m%0Aname",
                            "line": line, "secret": secret}) + "\n")


def names(root, manifest):
    """Members whose names hold the level separator '!', the escape '%'
    (and a literal "%21"), UTF-8 and a control byte, one of them inside
    a zip whose own name holds '!': each name shows percent-encoded."""
    want = []
    members = []
    for k, (name, shown) in enumerate((
            ("a!b.env", "a%21b.env"),
            ("100%.env", "100%25.env"),
            ("c%21d.env", "c%2521d.env"),
            ("caf\u00e9!\t.env", "caf\u00e9%21%09.env"))):
        det, content, line, secret = secret_file(960 + k, 0)
        members.append((name, content))
        want.append({"detector": det, "path": "/n/names.tar.gz!" + shown,
                     "line": line, "secret": secret})
    det, content, line, secret = secret_file(970, 0)
    z = io.BytesIO()
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("in!side.env", content)
    members.append(("x!y.zip", z.getvalue()))
    want.append({"detector": det, "path": "/n/names.tar.gz!x%21y.zip!in%21side.env",
                 "line": line, "secret": secret})
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:gz", format=tarfile.PAX_FORMAT) as t:
        for name, data in members:
            ti = tarfile.TarInfo(name)
            ti.size = len(data)
            t.addfile(ti, io.BytesIO(data))
    put(root, "/n/names.tar.gz", b.getvalue())
    with open(manifest, "w") as m:
        for w in want:
            m.write(json.dumps(w) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("root")
    ap.add_argument("--manifest")
    ap.add_argument("--bombs", action="store_true")
    ap.add_argument("--hostile", action="store_true")
    ap.add_argument("--names", action="store_true")
    a = ap.parse_args()
    if a.bombs:
        bombs(a.root)
    elif a.hostile:
        hostile(a.root, a.manifest)
    elif a.names:
        names(a.root, a.manifest)
    else:
        archives(a.root, a.manifest)


if __name__ == "__main__":
    main()
