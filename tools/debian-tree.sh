#!/bin/sh
# Prints the path of a cached Debian tree (12 bookworm by default, or the
# suite named, e.g. trixie for Debian 13) made with debootstrap, making it
# on first use.  Shared by the benches and the package test; concurrent
# callers wait for one another (flock).  The mirror is read from this
# machine's own apt sources at run time.
#
#   tools/debian-tree.sh [NAME [VARIANT [INCLUDE [SUITE]]]]
#     NAME     cache entry (default: minbase)
#     VARIANT  debootstrap --variant (default: minbase; "-" for the default set)
#     INCLUDE  comma-separated extra packages ("" for none)
#     SUITE    Debian suite (default: bookworm); the mirror is the one this
#              machine's apt sources use for its own release
#
# The cache lives in $TATTOO_TREE_CACHE (default /var/cache/tattoo-trees),
# outside the repository.  Callers copy the tree before changing it.
set -eu
name=${1:-minbase}
variant=${2:-minbase}
include=${3:-}
suite=${4:-bookworm}
case $suite in *[!a-z]* | "") echo "debian-tree: bad suite '$suite'" >&2; exit 2 ;; esac
cache=${TATTOO_TREE_CACHE:-/var/cache/tattoo-trees}
tree="$cache/$name"
mkdir -p "$cache"

mirror() {
	for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list \
	    /etc/apt/sources.list.d/*.list; do
		[ -f "$f" ] || continue
		m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p;
		    s/^deb[[:space:]]\{1,\}\(\[[^]]*\][[:space:]]*\)\{0,1\}\([^[:space:]]*\)[[:space:]]\{1,\}bookworm[[:space:]].*/\2/p' "$f" |
		    grep -v security | grep -i debian | head -n 1)
		if [ -n "$m" ]; then echo "$m"; return 0; fi
	done
	return 1
}

exec 9>"$tree.lock"
flock 9
if [ -f "$tree/.tattoo-complete" ]; then
	echo "$tree"
	exit 0
fi
if ! command -v debootstrap >/dev/null 2>&1; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap \
	    >/dev/null
fi
m=$(mirror) || { echo "debian-tree: no Debian mirror in apt sources" >&2; exit 1; }
rm -rf "$tree.tmp"
set -- --variant="$variant"
[ "$variant" = "-" ] && set --
[ -n "$include" ] && set -- "$@" --include="$include"
if ! debootstrap "$@" "$suite" "$tree.tmp" "$m" >"$tree.log" 2>&1; then
	echo "debian-tree: debootstrap failed, see $tree.log" >&2
	exit 1
fi
rm -rf "$tree"
mv "$tree.tmp" "$tree"
touch "$tree/.tattoo-complete"
echo "$tree"
