#!/bin/sh
# scrub --apply follows no symlink and looks no path up twice.  A leftover
# that is a symlink to a directory outside the tree, symlinks inside
# /tmp, /var/tmp and /var/lib/cloud to outside, up and to "/": each link
# is unlinked, never followed, and the canaries outside survive.  Then the
# race of a live system, made deterministic with a pause between the scan
# and the removal: a user swaps a directory of their home (the parent of
# a leftover) for a symlink to /etc; the scrub finds the symlink on its
# way, leaves the leftover (saying why) and /etc keeps its files.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
: >"$T/host.conf"
S="$TATTOO --root $R --config $T/host.conf scrub"

outside() {
	rm -rf "$T/outside"
	mkdir -p "$T/outside/azure" "$T/outside/sub"
	for f in canary azure/canary sub/canary; do
		echo canary >"$T/outside/$f"
	done
}
manifest() { (cd "$1" && find . -printf '%p %y %s %l\n' | sort); }

make_root "$R"
outside
mkdir -p "$R/root" "$R/home/alice" "$R/tmp/dir" "$R/var/tmp/d" \
    "$R/var/lib/cloud"
ln -s "$T/outside/azure" "$R/root/.azure"
ln -s ../../../outside "$R/home/alice/.aws"
ln -s "$T/outside" "$R/tmp/link"
ln -s "$T/outside" "$R/tmp/dir/link"
ln -s ../../../.. "$R/var/tmp/d/up"
ln -s "$T/outside/sub" "$R/var/tmp/d/abs"
ln -s / "$R/var/tmp/root"
ln -s "$T/outside" "$R/var/lib/cloud/instance"
manifest "$T/outside" >"$T/outside-before"

completes "scrub --apply over symlinks completes" 0 $S --apply
for l in root/.azure home/alice/.aws tmp/link tmp/dir/link var/tmp/d/up \
    var/tmp/d/abs var/tmp/root var/lib/cloud/instance; do
	check "/$l (a symlink) is unlinked" test ! -L "$R/$l" -a ! -e "$R/$l"
done
manifest "$T/outside" >"$T/outside-after"
check "nothing outside the tree is touched" cmp -s "$T/outside-before" "$T/outside-after"

# The race.  Scanned: /home/alice/.cache/pip (a leftover directory) and
# /home/alice/.aws/ssh (a directory in one).  Before the removal starts,
# alice makes .cache a symlink to /etc and .aws/ssh one to /etc/ssh.
rm -rf "$R"
make_root "$R"
mkdir -p "$R/home/alice/.cache/pip" "$R/home/alice/.aws/ssh" "$R/etc/pip" \
    "$R/etc/ssh"
echo wheel >"$R/home/alice/.cache/pip/wheel"
echo key >"$R/home/alice/.aws/ssh/key"
echo canary >"$R/etc/pip/pip.conf"
echo canary >"$R/etc/ssh/sshd_config"
manifest "$R/etc" >"$T/etc-before"

TATTOO_TEST_PAUSE=scrub-apply $S --apply --format json --output "$T/race.json" \
    >"$T/race.out" 2>"$T/race.err" &
pid=$!
i=0
state=
while [ $i -lt 200 ]; do
	state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/$pid/status 2>/dev/null)
	[ "$state" = T ] && break
	sleep 0.05; i=$((i + 1))
done
check "scrub stopped between the scan and the removal" test "$state" = T
mv "$R/home/alice/.cache" "$R/home/alice/.cache.old"
ln -s /etc "$R/home/alice/.cache"
mv "$R/home/alice/.aws/ssh" "$R/home/alice/ssh.old"
ln -s /etc/ssh "$R/home/alice/.aws/ssh"
kill -CONT $pid
wait $pid
rc=$?
check "the raced scrub exits 1 (a leftover left in place), got $rc" test "$rc" -eq 1
manifest "$R/etc" >"$T/etc-after"
check "/etc keeps every file" cmp -s "$T/etc-before" "$T/etc-after"
check "the swapped-in symlinks are unlinked or left, never followed" \
    sh -c "test ! -e '$R/home/alice/.aws/ssh' || test -L '$R/home/alice/.aws/ssh'"
check "the result says the leftover changed since the scan" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = {f["path"]: f.get("result") for f in d["findings"] if f["kind"] == "leftover"}
r = res.get("/home/alice/.cache/pip") or ""
assert "/home/alice/.cache changed since the scan" in r, res
assert res.get("/home/alice/.aws") == "done", res
' "$T/race.json"

done_testing
