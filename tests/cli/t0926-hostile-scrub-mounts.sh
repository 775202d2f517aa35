#!/bin/sh
# scrub --apply never removes anything on another mount than the root's,
# though a leftover (/tmp, /var/tmp, a home's cache) has one below it: a
# tmpfs below /tmp, a bind mount below /var/tmp (the same file system: the
# mount id tells it), a bind mount on a home's .cache (a leftover's parent)
# and a tmpfs on /root/.azure (the leftover itself).  Each is left with its
# canaries, and the result names the mount.  The mounts live in a private
# mount namespace (unshare -m) and go with it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
: >"$T/host.conf"
make_root "$R"
mkdir -p "$R/tmp/mnt" "$R/var/tmp/bind" "$R/home/alice/.cache" \
    "$R/root/.azure" "$T/other/sub" "$T/cachedir/pip"
echo junk >"$R/tmp/junk"
echo junk >"$R/var/tmp/junk"
echo canary >"$T/other/canary"
echo canary >"$T/other/sub/canary"
echo canary >"$T/cachedir/pip/canary"

if ! unshare -m sh -c "mount -t tmpfs tmpfs '$R/tmp/mnt' && umount '$R/tmp/mnt'" \
    >/dev/null 2>&1; then
	pass "mounts below leftovers are left alone # SKIP cannot mount here"
	done_testing
	exit
fi

cat >"$T/inns.sh" <<EOS
mount -t tmpfs tmpfs "$R/tmp/mnt" || exit 90
mkdir "$R/tmp/mnt/sub"
echo canary >"$R/tmp/mnt/canary"
echo canary >"$R/tmp/mnt/sub/canary"
mount --bind "$T/other" "$R/var/tmp/bind" || exit 91
mount --bind "$T/cachedir" "$R/home/alice/.cache" || exit 92
mount -t tmpfs tmpfs "$R/root/.azure" || exit 93
echo canary >"$R/root/.azure/canary"
"$TATTOO" --root "$R" --config "$T/host.conf" scrub --apply --format json \
    --output "$T/apply.json" >"$T/ns.out" 2>"$T/ns.err"
echo \$? >"$T/ns.rc"
find "$R/tmp/mnt" "$R/root/.azure" -type f | sort >"$T/ns.left"
EOS
unshare -m sh "$T/inns.sh"
rc=$?
check "the mounts were made (status $rc)" test "$rc" -eq 0
check "scrub --apply exits 1: leftovers left in place" test "$(cat "$T/ns.rc")" = 1
check "no sanitizer report" sh -c "! grep -q Sanitizer '$T/ns.err'"
check "the tmpfs below /tmp keeps its files" sh -c \
    "grep -qx '$R/tmp/mnt/canary' '$T/ns.left' && grep -qx '$R/tmp/mnt/sub/canary' '$T/ns.left'"
check "the bind mount below /var/tmp keeps its files" \
    test -f "$T/other/canary" -a -f "$T/other/sub/canary"
check "a leftover whose parent is a mount is left" test -f "$T/cachedir/pip/canary"
check "a leftover that is a mount point keeps its files" \
    grep -qx "$R/root/.azure/canary" "$T/ns.left"
check "what is on the root's file system is removed" \
    test ! -e "$R/tmp/junk" -a ! -e "$R/var/tmp/junk"
check "each result names the mount" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
res = {f["path"]: f.get("result") for f in d["findings"] if f["kind"] == "leftover"}
want = {"/tmp": "/tmp/mnt is another mount",
        "/var/tmp": "/var/tmp/bind is another mount",
        "/root/.azure": "/root/.azure is another mount",
        "/home/alice/.cache/pip": "/home/alice/.cache is another mount"}
for p, w in want.items():
    assert w in (res.get(p) or ""), (p, res.get(p), res)
' "$T/apply.json"

done_testing
