#!/bin/sh
# make test-package: the .deb installs into a real Debian 12 tree (made
# with debootstrap, cached) through apt inside a chroot, so dependencies
# resolve from the archive; the installed tattoo runs there; purge leaves
# only the state directory (kept by policy: it holds harden journals).
# The .rpm is built and its file list and scriptlets checked with rpm -qp.
# Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok - $1"; }
no() { failed=$((failed + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && sed 's/^/#   /' "$2" | tail -20; }
check() { d=$1; shift; if "$@" >/dev/null 2>&1; then ok "$d"; else no "$d"; fi; }

# The packaging tools, only where missing (as tools/deps.sh does).
need=""
for p in debhelper dpkg-dev lintian debootstrap rpm rpmlint; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
	    need="$need $p"
done
if [ -n "$need" ]; then
	echo "test-package: installing$need"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null 2>&1 ||
	    { apt-get update -qq >/dev/null 2>&1 &&
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null; }
fi

version=$(cat VERSION)
work=$(mktemp -d /tmp/tattoo-pkg-XXXXXX)
R="$work/root"
mounted=""
cleanup() {
	for m in $mounted; do umount -l "$m" 2>/dev/null; done
	# Never into a mount left behind (a bind-mounted /dev above all).
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT INT TERM

if make -s deb >"$work/deb.log" 2>&1; then ok "make deb"; else no "make deb" "$work/deb.log"; fi
deb=$(ls build/pkg/tattoo_"$version"_*.deb 2>/dev/null | head -n 1)
check "the .deb is where the README says" test -f "$deb"
if command -v lintian >/dev/null 2>&1; then
	lintian "$deb" >"$work/lintian.log" 2>&1
	if grep -q '^E:' "$work/lintian.log"; then no "lintian: no error" "$work/lintian.log"; else ok "lintian: no error"; fi
fi

tree=$(tools/debian-tree.sh minbase) || { no "debootstrap tree"; echo "$passed passed, $failed failed"; exit 1; }
cp -a "$tree" "$R" && rm -f "$R/.tattoo-complete"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
mount -t proc proc "$R/proc" && mounted="$R/proc $mounted"
mount --bind /dev "$R/dev" && mounted="$R/dev $mounted"
cp "$deb" "$R/tmp/tattoo.deb"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C DEBIAN_FRONTEND=noninteractive "$@"; }

in_root apt-get update -qq >"$work/apt.log" 2>&1
if in_root apt-get install -y -qq /tmp/tattoo.deb >>"$work/apt.log" 2>&1; then
	ok "apt installs the .deb with its dependencies from the archive"
else
	no "apt installs the .deb with its dependencies from the archive" "$work/apt.log"
fi
in_root tattoo --version >"$work/v" 2>&1
check "tattoo --version in the image says $version" grep -qx "tattoo $version" "$work/v"
in_root tattoo audit >"$work/audit" 2>&1
rc=$?
check "tattoo audit runs in the image (0 or 1)" test "$rc" -le 1
check "the audit used the debian12 pack" grep -q "debian12" "$work/audit"
# The installed pack is the built-in one: read precompiled, it must judge
# as the JSON given with --rules does.
in_root tattoo audit --format json --output /tmp/installed.json >/dev/null 2>&1
in_root tattoo audit --format json --output /tmp/json.json \
    --rules /usr/share/tattoo/rules/debian12.json >/dev/null 2>&1
check "the installed pack and --rules give the same verdicts" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
v = lambda d: [(r["id"], r["result"], r["found"]) for r in d["results"]]
assert v(a) == v(b) and len(v(a)) > 200, (len(v(a)), len(v(b)))
' "$R/tmp/installed.json" "$R/tmp/json.json"
# A demo image tree inside the chroot: the chroot's own /etc keeps no
# tattoo, so purge can be checked for leftovers of the package alone.
mkdir -p "$R/tmp/img/etc" && cp "$R/etc/os-release" "$R/tmp/img/etc/"
in_root tattoo --root /tmp/img write --image-name pkgtest \
    --image-version "$version" --no-imds >"$work/w" 2>&1
check "tattoo write in the image" test $? -eq 0
in_root tattoo --root /tmp/img show --field image.name >"$work/s" 2>&1
check "tattoo show in the image" grep -qx pkgtest "$work/s"
check "conffile landed" test -f "$R/etc/tattoo/agent.conf"
check "conffile is registered" grep -q /etc/tattoo/agent.conf "$R/var/lib/dpkg/info/tattoo.conffiles"
check "rule packs installed" test -f "$R/usr/share/tattoo/rules/debian12.json"
check "man pages installed" test -f "$R/usr/share/man/man8/tattoo.8.gz"
check "state directory is 0700" test "$(stat -c %a "$R/var/lib/tattoo")" = 700
check "timer unit landed" test -f "$R/usr/lib/systemd/system/tattoo-report.timer"
check "service unit landed" test -f "$R/usr/lib/systemd/system/tattoo-report.service"
check "timer enabled" test -L "$R/etc/systemd/system/timers.target.wants/tattoo-report.timer"
check "service not enabled on its own" sh -c "! ls '$R'/etc/systemd/system/*.wants/tattoo-report.service 2>/dev/null | grep -q ."
check "postinst does not start the timer" sh -c "! grep -q 'deb-systemd-invoke.*start.*tattoo-report' '$R/var/lib/dpkg/info/tattoo.postinst'"
in_root apt-get purge -y -qq tattoo >"$work/purge.log" 2>&1
check "purge" test $? -eq 0
left=$(chroot "$R" sh -c 'ls -d /etc/tattoo /usr/sbin/tattoo /usr/share/tattoo /usr/share/doc/tattoo /usr/lib/systemd/system/tattoo-report.* /etc/systemd/system/timers.target.wants/tattoo-report.timer 2>/dev/null')
echo "$left" >"$work/left"
if [ -z "$left" ]; then ok "purge leaves nothing but the state directory"; else no "purge leaves nothing but the state directory" "$work/left"; fi
check "the state directory stays (policy)" test -d "$R/var/lib/tattoo"

if command -v rpmbuild >/dev/null 2>&1; then
	if make -s rpm >"$work/rpm.log" 2>&1; then ok "make rpm"; else no "make rpm" "$work/rpm.log"; fi
	rpm=$(ls build/pkg/rpmbuild/RPMS/*/tattoo-"$version"-1*.rpm 2>/dev/null | head -n 1)
	rpm -qpl "$rpm" >"$work/rpm.list" 2>/dev/null
	for f in /usr/sbin/tattoo /etc/tattoo/agent.conf /usr/share/tattoo/rules/rhel9.json /var/lib/tattoo \
	    /usr/lib/systemd/system/tattoo-report.timer /usr/lib/systemd/system/tattoo-report.service \
	    /usr/lib/systemd/system-preset/80-tattoo.preset; do
		check "rpm holds $f" grep -qx "$f" "$work/rpm.list"
	done
	check "rpm holds the man pages" grep -q '^/usr/share/man/man8/tattoo.8' "$work/rpm.list"
	rpm -qp --configfiles "$rpm" >"$work/rpm.conf" 2>/dev/null
	check "agent.conf is %config" grep -qx /etc/tattoo/agent.conf "$work/rpm.conf"
	rpm -qp --scripts "$rpm" >"$work/rpm.scripts" 2>/dev/null
	check "post scriptlet presets the timer" grep -q 'preset tattoo-report.timer' "$work/rpm.scripts"
	check "no unexpanded macro in the scriptlets" sh -c "! grep -q '%systemd' '$work/rpm.scripts'"
	# rpmlint: no error the spec does not explain ("# rpmlint E: NAME").
	rpmlint "$rpm" >"$work/rpmlint.log" 2>&1
	sed -n 's/^[^ ]*: E: \([^ ]*\).*/\1/p' "$work/rpmlint.log" | sort -u >"$work/rpmlint.errors"
	unexplained=$(while read -r e; do
		grep -q "^# rpmlint E: $e:" rpm/tattoo.spec || echo "$e"; done <"$work/rpmlint.errors")
	if ! grep -q 'packages and' "$work/rpmlint.log"; then no "rpmlint ran" "$work/rpmlint.log"
	elif [ -z "$unexplained" ]; then ok "rpmlint: every error explained in the spec"
	else echo "$unexplained" >>"$work/rpmlint.log"; no "rpmlint: every error explained in the spec" "$work/rpmlint.log"; fi
	check "rpm version is VERSION" test "$(rpm -qp --qf '%{VERSION}' "$rpm")" = "$version"
	check "rpm requires libcurl (loaded with dlopen)" sh -c "rpm -qp --requires '$rpm' | grep -qx libcurl"
fi
check "debian/changelog says VERSION" sh -c "head -1 build/pkg/src/debian/changelog | grep -q '($version)'"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
