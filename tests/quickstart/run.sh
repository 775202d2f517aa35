#!/bin/sh
# make test-quickstart: README.md's quick start, the fenced block between
# its <!-- BEGIN quick-start --> and <!-- END quick-start --> markers
# (extracted by tests/pipeline/readme-block.sh, never a copy), run as it
# is, as root, by a login bash in a chroot of a copy of a debootstrap
# Debian 12 tree: tools/debian-tree.sh's "audit" tree (the standard
# set, openssh-server, rsyslog, sudo, cron, apparmor: a fresh server,
# without make or a compiler), with /proc, /dev, /dev/pts and /sys mounted
# (tests/pipeline/chroot.sh) and the tree's own apt sources.  The
# repository is the working tree's tracked files (git ls-files, as
# `make deb` takes them) in /root/tattoo: what a fresh clone has, no
# build/ and no .git.  A policy-rc.d keeps the packages' daemons from
# starting in the chroot (a booted machine would run them under
# systemd).
#
# Checks what the README says of the block: it exits 0 (the audit exits
# 1 when a rule fails; the block's `;` goes on), build/tattoo is built,
# the audit printed the CIS Level 1 Server result of Debian 12, `show`
# printed the demo tattoo (image demo 1.0.0, source local:debian:12:1)
# written in a temporary tree, and nothing was written to the machine's
# /etc/tattoo; then that the audit alone exits 1, that `tattoo status`
# shows its result, and that `make deps`, run again, is quiet and exits
# 0.
#
# The block installs about 1 GB (tools/deps.sh: compilers, clang tools,
# valgrind, chromium, the SSG content, the packaging tools).  After a
# run that passed, the tree as `make deps` left it (the repository,
# /tmp, /var/lib/tattoo and the downloaded .debs taken out) is kept in
# the tree cache as quickstart-deps, keyed by a digest of the base tree,
# tools/deps.sh, debian/control, rpm/tattoo.spec, the Makefile's deps
# recipe and the block itself; a later run with the same key starts from
# it, through an overlay (the block's install step then finds
# everything there), and any change to what is installed runs it fresh.  TATTOO_QUICKSTART_FRESH=1 always
# starts from the bare tree.  Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/pipeline/chroot.sh
. tests/suite.sh

work=$(mktemp -d /tmp/tattoo-quickstart-XXXXXX)
logs=build/test-quickstart
rm -rf "$logs" && mkdir -p "$logs"
overlay=""
cleanup() {
	chroot_umount
	[ -z "$overlay" ] || umount -l "$overlay" 2>/dev/null
	# Never into a mount left behind (the bound /dev above all).
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT
trap "exit 1" INT TERM

sh tests/pipeline/readme-block.sh quick-start >"$work/block" 2>"$work/check.log"
if [ $? -eq 0 ]; then ok "README: the quick-start block is marked"
else no "README: the quick-start block is marked" "$work/check.log"; finish; fi

base=$(tools/debian-tree.sh audit - openssh-server,rsyslog,sudo,cron,apparmor) ||
    { no "debootstrap tree (see the cache's audit.log)"; finish; }
cache=$(dirname "$base")
deps=$cache/quickstart-deps
key=$({ stat -c %Y "$base/.tattoo-complete"; cat tools/deps.sh debian/control rpm/tattoo.spec \
    "$work/block"; sed -n '/^deps:/,/^$/p' Makefile; } | sha256sum | cut -c1-16)
from=$base
if [ -z "${TATTOO_QUICKSTART_FRESH:-}" ] && [ "$(cat "$deps/.quickstart-key" 2>/dev/null)" = "$key" ]; then
	from=$deps
fi
echo "# from $from (deps key $key)"

R=$work/root
start=$(date +%s)
if [ "$from" = "$deps" ]; then
	# The 3.6 GB tree is not copied: an overlay on it takes the run's
	# changes, and a shared lock keeps a fresh run from replacing it
	# meanwhile.
	exec 8>"$deps.lock"
	flock -s 8
	mkdir -p "$R" "$work/upper" "$work/ovwork" &&
	    mount -t overlay overlay -o "lowerdir=$deps,upperdir=$work/upper,workdir=$work/ovwork" "$R" &&
	    overlay=$R
else
	cp -a "$from" "$R"
fi && rm -f "$R/.tattoo-complete" "$R/.quickstart-key"
check "a copy of the tree" test $? -eq 0
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
printf '#!/bin/sh\n# tests/quickstart: no daemon starts in the chroot.\nexit 101\n' >"$R/usr/sbin/policy-rc.d"
chmod 0755 "$R/usr/sbin/policy-rc.d"
check "the machine has no /etc/tattoo before" test ! -e "$R/etc/tattoo"
check "the machine has no make before a fresh run" sh -c "[ '$from' = '$deps' ] || [ ! -e '$R/usr/bin/make' ]"
mkdir -p "$R/root/tattoo" &&
    git ls-files -z | tar --null -T - -cf - | tar -xf - --no-same-owner -C "$R/root/tattoo"
check "the repository's tracked files in /root/tattoo" test $? -eq 0 -a -f "$R/root/tattoo/Makefile"
check "the copy has no build/ and no .git" test ! -e "$R/root/tattoo/build" -a ! -e "$R/root/tattoo/.git"
chroot_mount "$R" proc dev pts sys
check "/proc, /dev, /dev/pts and /sys mounted" test $? -eq 0
pkgs_before=$(chroot "$R" dpkg-query -W | wc -l)
# debootstrap leaves the .debs it installed in apt's cache: what the
# block downloads is what is there after beyond those.
debs_bytes() { cat "$R"/var/cache/apt/archives/*.deb 2>/dev/null | wc -c; }
debs_before=$(debs_bytes)

# As root at a terminal: a login bash (root's PATH from /etc/profile),
# in the clone.  The block goes as an argument, so nothing of the test is
# left in the tree and nothing it runs reads the test's input.
t0=$(date +%s)
chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    /bin/bash -l -c "cd /root/tattoo && $(cat "$work/block")" </dev/null >"$work/out" 2>"$work/err"
rc=$?
t1=$(date +%s)
cp "$work/out" "$logs/stdout.log"
cp "$work/err" "$logs/stderr.log"
cat "$work/out" "$work/err" >"$work/all"
if [ "$rc" -eq 0 ]; then ok "the quick-start block exits 0"
else no "the quick-start block exits 0 (exit $rc)" "$work/all"; fi
pkgs_after=$(chroot "$R" dpkg-query -W | wc -l)
echo "# the block took $((t1 - t0)) s; packages $pkgs_before -> $pkgs_after;" \
    "$((($(debs_bytes) - debs_before) / 1000000)) MB of .debs downloaded"

check "build/tattoo is built" test -x "$R/root/tattoo/build/tattoo"
# The audit's text report of this machine: the debian12 pack's CIS Level
# 1 Server profile, runtime rules included, its benchmark, a summary.
check "the audit names debian12:cis-l1-server on / (runtime)" \
    grep -q '^debian12:cis-l1-server on / (runtime audit)$' "$work/out"
check "the audit names the CIS Debian Linux 12 benchmark" \
    grep -q '^CIS Debian Linux 12 Benchmark v' "$work/out"
check "the audit printed its summary and score" sh -c \
    "grep -q '^Summary: [0-9]* pass, [1-9][0-9]* fail' '$work/out' && grep -q '^Score: [0-9.]*%' '$work/out'"
# show's aligned text of the demo tattoo.
check "show printed image demo 1.0.0" grep -Eq '^image +demo 1\.0\.0$' "$work/out"
check "show printed source local:debian:12:1" grep -Eq '^source +local:debian:12:1$' "$work/out"
check "the demo tattoo is in a temporary tree" sh -c "ls '$R'/tmp/tmp.*/etc/tattoo/tattoo.json"
check "nothing was written to the machine's /etc/tattoo" test ! -e "$R/etc/tattoo"
# The README's Audit section: an audit of this system records its result
# in state_dir's status.json.
check "the audit recorded /var/lib/tattoo/status.json" test -s "$R/var/lib/tattoo/status.json"

# `tattoo status` shows what the block's audit recorded (exit 1:
# non-compliant; 2 would be no status yet), before any other audit.
chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    /bin/bash -l -c "cd /root/tattoo && ./build/tattoo status" </dev/null >"$work/status.out" 2>&1
src=$?
if [ "$src" -eq 1 ] && grep -Eq '^compliance +noncompliant, [1-9][0-9]* failing \(profile [a-z0-9]*:?cis-l1-server, score [0-9.]+' "$work/status.out"
then ok "tattoo status shows the audit: non-compliant, exit 1"
else no "tattoo status shows the audit: non-compliant, exit 1 (exit $src)" "$work/status.out"; fi
# What the paragraph under the block says: the audit exits 1 when a rule
# fails (as it does on a fresh Debian 12); the deps step, run again, is
# quiet and exits 0 ("quiet, idempotent").
chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    /bin/bash -l -c "cd /root/tattoo && ./build/tattoo audit" </dev/null >"$work/audit.out" 2>&1
arc=$?
if [ "$arc" -eq 1 ] && grep -q '^  fail ' "$work/audit.out"; then ok "the audit alone exits 1: a rule fails"
else no "the audit alone exits 1: a rule fails (exit $arc)" "$work/audit.out"; fi
chroot "$R" /usr/bin/env -i HOME=/root TERM=dumb LANG=C.UTF-8 \
    /bin/bash -l -c "cd /root/tattoo && make deps" </dev/null >"$work/deps2.out" 2>&1
drc=$?
if [ "$drc" -eq 0 ] && [ ! -s "$work/deps2.out" ]; then ok "make deps again: quiet, exit 0"
else no "make deps again: quiet, exit 0 (exit $drc)" "$work/deps2.out"; fi

chroot_umount
end=$(date +%s)
echo "# the test took $((end - start)) s from $from"
# Keep the tree as the install left it, for the next run: only from a
# fresh run that passed, with nothing mounted in it any more.
if [ "$from" = "$base" ] && [ "$failed" -eq 0 ] && ! grep -q " ${R}[/ ]" /proc/mounts; then
	rm -rf "$R/root/tattoo" "$R/usr/sbin/policy-rc.d" "$R/var/lib/tattoo" &&
	    find "$R/tmp" -mindepth 1 -delete &&
	    rm -f "$R"/var/cache/apt/archives/*.deb &&
	    echo "$key" >"$R/.quickstart-key" &&
	    flock "$deps.lock" sh -c "rm -rf '$deps' && mv '$R' '$deps'" &&
	    echo "# kept as $deps"
fi
finish
