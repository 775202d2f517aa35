#!/bin/sh
# Installs what building and testing tattoo need, only where it is missing,
# so a second run is quick and silent.  Debian/Ubuntu (apt-get) and the
# RHEL family (dnf).  Extra package names may be passed as arguments.
# The SCAP Security Guide content (ssg-*, under /usr/share/xml/scap/ssg)
# is what tools/packgen reads to make the rule packs (make packs,
# make check-packs): debian12 and ubuntu2204 read ssg-debian and
# ssg-debderived, rhel9 ssg-nondebian.  libarchive reads the archives
# and compressed files scrub scans; the zstd program makes the tests'
# .zst files.
#
# The packages (make deb, make rpm) need what debian/control's
# Build-Depends and rpm/tattoo.spec's BuildRequires name, read from those
# files so the lists cannot drift apart, and the tools that build them:
# dpkg-buildpackage (dpkg-dev, build-essential, fakeroot, debhelper, which
# provides debhelper-compat) and rpmbuild (rpm on Debian, rpm-build on the
# RHEL family).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)

# Build-Depends of debian/control, one name a line: versions, arch and
# profile restrictions dropped, the first of alternatives, and the
# virtual debhelper-compat as the package that provides it.
deb_build_depends() {
	sed -n '/^Build-Depends:/,/^[A-Za-z-]*:/p' "$top/debian/control" |
	    sed -e 's/^Build-Depends://' -e '/^[A-Za-z-]*:/d' | tr ',' '\n' |
	    sed -e 's/[|([<].*//' -e 's/^[[:space:]]*//' \
	        -e 's/[[:space:]]*$//' -e 's/^debhelper-compat$/debhelper/' |
	    grep -v '^$' || true
}

# BuildRequires of rpm/tattoo.spec, one name a line.
rpm_build_requires() {
	sed -n 's/^BuildRequires:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
	    "$top/rpm/tattoo.spec"
}

deb_pkgs="gcc make pkg-config libc6-dev libbsd-dev libjson-c-dev
libcurl4-openssl-dev libssl-dev libarchive-dev zstd python3 openssl ca-certificates curl rpm
clang-format cppcheck clang clang-tidy valgrind
libxml2-utils python3-jsonschema groff-base man-db
chromium ssg-debian ssg-debderived ssg-nondebian
dpkg-dev build-essential fakeroot debhelper $(deb_build_depends) $*"
rpm_pkgs="gcc make pkgconf-pkg-config libbsd-devel json-c-devel
libcurl-devel openssl-devel libarchive-devel zstd python3 openssl ca-certificates curl
clang compiler-rt clang-tools-extra valgrind scap-security-guide
rpm-build $(rpm_build_requires)"

# Each name once, in the order first given.
uniq_words() {
	for w in "$@"; do echo "$w"; done | awk '!seen[$0]++'
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if command -v apt-get >/dev/null 2>&1; then
	missing=""
	# shellcheck disable=SC2086
	for p in $(uniq_words $deb_pkgs); do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		    grep -q 'ok installed' || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "deps: installing$missing"
	export DEBIAN_FRONTEND=noninteractive
	as_root apt-get update -qq >/dev/null
	# shellcheck disable=SC2086
	as_root apt-get install -y -qq --no-install-recommends $missing \
	    >/dev/null
elif command -v dnf >/dev/null 2>&1; then
	missing=""
	# BuildRequires may name what a package provides (pkgconfig):
	# --whatprovides answers for both.
	# shellcheck disable=SC2086
	for p in $(uniq_words $rpm_pkgs); do
		rpm -q --whatprovides "$p" >/dev/null 2>&1 ||
		    missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "deps: installing$missing"
	# shellcheck disable=SC2086
	as_root dnf install -y -q $missing >/dev/null
else
	echo "deps: no apt-get or dnf; install by hand: $deb_pkgs" >&2
	exit 1
fi
