#!/bin/sh
# The layers of the tree (docs/HACKING.md): common -> probes -> hardening
# -> agent.  A file includes headers of its own layer and the layers below
# it, never above: an include that points up a layer is a design bug.
# Prints each one and exits 1; silent and 0 when the layers hold.
set -u
cd "$(dirname "$0")/.." || exit 2
status=0
# check DIR ALLOWED...: every "x.h" include of DIR's files is found in DIR
# or one of the ALLOWED directories.
check() {
	dir=$1; shift
	for f in $(find "$dir" -name '*.[ch]' | sort); do
		sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f" | while read -r h; do
			found=
			for d in "$dir" "$(dirname "$f")" "$@"; do
				[ -f "$d/$h" ] && { found=$d; break; }
			done
			[ -n "$found" ] && continue
			where=$(find common probes hardening agent -name "$h" | head -n 1)
			echo "$f includes \"$h\" (${where:-not found}): not in its layer or below"
			echo x >>"$tmp"
		done
	done
}
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
check common
check probes common
check hardening common probes
check agent common probes hardening build/gen
[ -s "$tmp" ] && status=1
exit $status
