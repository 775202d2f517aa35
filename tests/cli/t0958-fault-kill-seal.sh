#!/bin/sh
# kill -9 at every crash point of the seal of scrub --apply (tests/fault.sh
# kill_points): the harden run always verifies afterwards; its copy of
# /etc/shadow is either whole (entry not sealed) or sealed; a copy a kill
# left beside a sealed entry is gone after the next scrub --apply; and a
# rollback of the run undoes every path, /etc/shadow too unless sealed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"
. "$(dirname "$0")/journal-fixtures.sh"

harden_image
# No leftover: scrub --apply does nothing but seal.
rm -f "$R/root/.ssh/authorized_keys"
grep -v "/root/.ssh/authorized_keys" "$T/before" >"$T/want.m"
E=$(entry_of /etc/shadow)
D=${E%.json}.data
check "the journal holds a copy of /etc/shadow" test -f "$D"
cp -a "$R" "$T/saved"

reset_image() { rm -rf "$R"; cp -a "$T/saved" "$R"; }
sealed_or_whole() {
	if grep -q '"sealed"' "$E"; then
		if [ -e "$D" ]; then
			"$TATTOO" --root "$R" scrub --apply >/dev/null 2>&1
			[ ! -e "$D" ] || { echo "# the copy stayed"; return 1; }
		fi
		want=3
	else
		[ -f "$D" ] || { echo "# unsealed entry without its copy"; return 1; }
		want=0
	fi
	"$TATTOO" --root "$R" rollback "$run" >"$T/rb" 2>&1
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		echo "# rollback exit $rc, not $want"; sed 's/^/# /' "$T/rb"
		return 1
	fi
	manifest >"$T/after"
	if [ "$want" -eq 3 ]; then
		grep -q "'/etc/shadow' not restored" "$T/rb" || return 1
		grep -v ' \./etc/shadow' "$T/want.m" >"$T/b"
		grep -v ' \./etc/shadow' "$T/after" >"$T/a"
		cmp -s "$T/b" "$T/a"
	else
		cmp -s "$T/want.m" "$T/after"
	fi
}
kill_points "scrub --apply killed at each crash point of the seal: the copy whole or sealed, rollback exact" \
    reset_image sealed_or_whole "$TATTOO" --root "$R" scrub --apply
done_testing
