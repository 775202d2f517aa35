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
set -eu

deb_pkgs="gcc make pkg-config libc6-dev libbsd-dev libjson-c-dev
libcurl4-openssl-dev libssl-dev libarchive-dev zstd python3 openssl ca-certificates curl rpm
clang-format cppcheck clang clang-tidy valgrind
libxml2-utils python3-jsonschema groff-base man-db
chromium ssg-debian ssg-debderived ssg-nondebian $*"
rpm_pkgs="gcc make pkgconf-pkg-config libbsd-devel json-c-devel
libcurl-devel openssl-devel libarchive-devel zstd python3 openssl ca-certificates curl
clang compiler-rt clang-tools-extra valgrind scap-security-guide"

as_root() {
	if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

if command -v apt-get >/dev/null 2>&1; then
	missing=""
	for p in $deb_pkgs; do
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
	for p in $rpm_pkgs; do
		rpm -q "$p" >/dev/null 2>&1 || missing="$missing $p"
	done
	[ -z "$missing" ] && exit 0
	echo "deps: installing$missing"
	# shellcheck disable=SC2086
	as_root dnf install -y -q $missing >/dev/null
else
	echo "deps: no apt-get or dnf; install by hand: $deb_pkgs" >&2
	exit 1
fi
