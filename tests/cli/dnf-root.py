#!/usr/bin/env python3
"""A RHEL 9 tree with an rpm database and dnf's cached metadata, for
pending_updates (tests/cli/t0722).

    dnf-root.py ROOT RPMCACHE

Installed (rpm --justdb, packages made with rpmbuild and kept in
RPMCACHE): kernel 5.14.0-362.8.1.el9_3, openssl 1:3.0.7-24.el9,
sudo 1.9.5p2-10.el9_3, bash 5.1.8-6.el9, glibc 2.34-83.el9 (x86_64);
tzdata 2023c-1.el9 (noarch).  Two cached repositories (baseos, gzip;
appstream, xz), whose updateinfo holds security advisories newer for
kernel, openssl (RHSA-2024:0310) and tzdata, older for sudo, for glibc
only on i686, and a bugfix advisory for bash: 3 pending.
"""
import gzip
import lzma
import os
import subprocess
import sys

ROOT, CACHE = os.path.abspath(sys.argv[1]), sys.argv[2]
os.makedirs(CACHE, exist_ok=True)
PKGS = [('kernel', '', '5.14.0', '362.8.1.el9_3', 'x86_64'),
        ('openssl', '1', '3.0.7', '24.el9', 'x86_64'),
        ('sudo', '', '1.9.5p2', '10.el9_3', 'x86_64'),
        ('bash', '', '5.1.8', '6.el9', 'x86_64'),
        ('glibc', '', '2.34', '83.el9', 'x86_64'),
        ('tzdata', '', '2023c', '1.el9', 'noarch')]
files = []
for name, epoch, ver, rel, arch in PKGS:
    rpm = os.path.join(CACHE, '%s-%s-%s.%s.rpm' % (name, ver, rel, arch))
    files.append(rpm)
    if os.path.exists(rpm):
        continue
    top = os.path.join(CACHE, 'top-' + name)
    os.makedirs(os.path.join(top, 'SPECS'), exist_ok=True)
    spec = os.path.join(top, 'SPECS', name + '.spec')
    with open(spec, 'w') as f:
        f.write('Name: %s\n%sVersion: %s\nRelease: %s\nSummary: test\nLicense: MIT\n'
                'BuildArch: %s\n%%global debug_package %%{nil}\n%%description\ntest\n%%files\n'
                % (name, 'Epoch: %s\n' % epoch if epoch else '', ver, rel, arch))
    subprocess.run(['rpmbuild', '--quiet', '--define', '_topdir ' + top, '--target', arch, '-bb', spec],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.rename(os.path.join(top, 'RPMS', arch, os.path.basename(rpm)), rpm)

os.makedirs(ROOT + '/etc', exist_ok=True)
os.makedirs(ROOT + '/usr/lib', exist_ok=True)
with open(ROOT + '/usr/lib/os-release', 'w') as f:
    f.write('ID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"\nPRETTY_NAME="Red Hat Enterprise Linux 9.3 (Plow)"\n')
if not os.path.lexists(ROOT + '/etc/os-release'):
    os.symlink('../usr/lib/os-release', ROOT + '/etc/os-release')
subprocess.run(['rpm', '--root', ROOT, '--dbpath', '/var/lib/rpm', '--initdb'], check=True)
subprocess.run(['rpm', '--root', ROOT, '--dbpath', '/var/lib/rpm', '-i', '--nodeps', '--noscripts',
                '--justdb', '--ignorearch'] + files, check=True, stdout=subprocess.DEVNULL,
               stderr=subprocess.DEVNULL)


def pkg(name, epoch, ver, rel, arch):
    return ('<package name="%s" epoch="%s" version="%s" release="%s" arch="%s" src="%s.src.rpm">'
            '<filename>%s-%s-%s.%s.rpm</filename></package>'
            % (name, epoch, ver, rel, arch, name, name, ver, rel, arch))


def update(kind, ident, pkgs):
    return ('<update from="secalert@redhat.com" status="final" type="%s" version="2">\n'
            '<id>%s</id><title>%s</title><issued date="2024-01-17 00:00:00"/>\n'
            '<pkglist><collection short="rhel-9"><name>rhel-9</name>\n%s\n</collection></pkglist>\n'
            '</update>\n' % (kind, ident, ident, '\n'.join(pkg(*p) for p in pkgs)))


def repo(rid, stamp, updates, compress, ext):
    d = ROOT + '/var/cache/dnf/%s-0123456789abcdef/repodata' % rid
    os.makedirs(d, exist_ok=True)
    name = 'f00d%s-updateinfo.xml%s' % (rid, ext)
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<updates>\n%s</updates>\n' % ''.join(updates)).encode()
    with open(os.path.join(d, name), 'wb') as f:
        f.write(compress(xml))
    with open(os.path.join(d, 'repomd.xml'), 'w') as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<repomd xmlns="http://linux.duke.edu/metadata/repo" xmlns:rpm="http://linux.duke.edu/metadata/rpm">\n'
                '  <revision>%d</revision>\n'
                '  <data type="primary"><location href="repodata/beef-primary.xml.gz"/><timestamp>%d</timestamp></data>\n'
                '  <data type="updateinfo">\n    <checksum type="sha256">f00d</checksum>\n'
                '    <location href="repodata/%s"/>\n    <timestamp>%d</timestamp>\n  </data>\n'
                '</repomd>\n' % (stamp, stamp, name, stamp))


repo('baseos', 1733300000, [
    update('security', 'RHSA-2024:0310', [('openssl', '1', '3.0.7', '25.el9_3', 'x86_64'),
                                          ('openssl', '1', '3.0.7', '25.el9_3', 'i686'),
                                          ('openssl', '1', '3.0.7', '25.el9_3', 'src')]),
    update('security', 'RHSA-2024:0113', [('kernel', '0', '5.14.0', '362.13.1.el9_3', 'x86_64')]),
    update('security', 'RHSA-2023:0001', [('sudo', '0', '1.9.5p2', '9.el9', 'x86_64')]),
    update('security', 'RHSA-2024:0999', [('glibc', '0', '2.34', '100.el9', 'i686')]),
    update('bugfix', 'RHBA-2024:0200', [('bash', '0', '5.1.8', '9.el9', 'x86_64')]),
], gzip.compress, '.gz')
repo('appstream', 1733400000, [
    update('security', 'RHSA-2024:0500', [('tzdata', '0', '2024a', '1.el9', 'noarch')]),
], lambda b: lzma.compress(b, check=lzma.CHECK_CRC32), '.xz')
