#!/usr/bin/env python3
"""Writes an initramfs image as the kernel reads one: cpio (newc)
archives end to end, each compressed or not, zero padding after an
uncompressed one (as mkinitramfs and dracut leave it).

  mkinitrd.py OUT COMP:NAME[,NAME...] [COMP:NAME...]

COMP: none, gzip, xz, bzip2 or zstd (the zstd program).  Each NAME
becomes a small regular file (directories are implied, as in real
images' member lists they need not come first)."""
import bz2
import gzip
import lzma
import subprocess
import sys


def newc(names):
    out = bytearray()
    ino = 1

    def member(name, mode, data):
        nonlocal ino
        n = name.encode() + b'\0'
        hdr = b'070701' + b''.join(b'%08X' % v for v in (
            ino, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0))
        ino += 1
        out.extend(hdr + n)
        out.extend(b'\0' * (-len(out) % 4))
        out.extend(data)
        out.extend(b'\0' * (-len(out) % 4))

    for name in names:
        member(name, 0o100644, b'x' * 64)
    member('TRAILER!!!', 0, b'')
    return bytes(out)


def compress(kind, data):
    if kind == 'none':
        return data + b'\0' * (-len(data) % 512)
    if kind == 'gzip':
        return gzip.compress(data)
    if kind == 'xz':
        return lzma.compress(data, check=lzma.CHECK_CRC32)
    if kind == 'bzip2':
        return bz2.compress(data)
    if kind == 'zstd':
        return subprocess.run(['zstd', '-q', '-c', '-'], input=data,
                              stdout=subprocess.PIPE, check=True).stdout
    sys.exit('mkinitrd: unknown compression ' + kind)


with open(sys.argv[1], 'wb') as f:
    for seg in sys.argv[2:]:
        kind, _, names = seg.partition(':')
        f.write(compress(kind, newc([n for n in names.split(',') if n])))
