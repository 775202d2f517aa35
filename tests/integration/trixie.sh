#!/bin/sh
# make test-integration, Debian 13: the debian13 pack on a real trixie
# tree.  A copy of the cached debootstrap trixie tree (the one
# bench/audit13 uses: openssh-server, rsyslog, sudo, cron, apparmor) with a
# user who has a password is audited (os-release must pick debian13),
# hardened with `tattoo harden --root COPY --force`, and checked inside a
# chroot with trixie's own tools: sshd -t (OpenSSH 10) and visudo -c accept
# what harden wrote, and the audit after harden fails fewer rules, none of
# them a rule whose fix ran.  Ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
. tests/suite.sh

tattoo="$top/build/tattoo"
make -s build/tattoo >/dev/null || { echo "cannot build tattoo"; exit 2; }
work=$(mktemp -d /tmp/tattoo-integration-trixie-XXXXXX)
R="$work/root"
mounted=""
cleanup() {
	for m in $mounted; do umount -l "$m" 2>/dev/null; done
	rm -rf --one-file-system "$work"
}
trap cleanup EXIT INT TERM
TATTOO_STATE_DIR="$work/state"
export TATTOO_STATE_DIR
mkdir -p "$work/state"

tree=$(tools/debian-tree.sh audit-trixie - openssh-server,rsyslog,sudo,cron,apparmor trixie) ||
    { no "debootstrap trixie tree (see the cache's audit-trixie.log)"; finish; }
cp -a "$tree" "$R" && rm -f "$R/.tattoo-complete"
mount -t proc proc "$R/proc" && mounted="$R/proc $mounted"
mount --bind /dev "$R/dev" && mounted="$R/dev $mounted"
mkdir -p "$R/run/sshd"
in_root() { chroot "$R" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C "$@"; }
in_root useradd -m -s /bin/bash -G sudo alice && printf 'alice:Tattoo-trixie-7q\n' | in_root chpasswd ||
    { no "a user with a password and a login shell"; finish; }

"$tattoo" --root "$R" audit --format json --output "$work/before.json" >/dev/null 2>&1
rc=$?
check "audit of the stock trixie tree finds failures (exit $rc)" test "$rc" -eq 1
check "os-release picks the debian13 pack" python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['pack'] == 'debian13'" "$work/before.json"
"$tattoo" --root "$R" harden --force >"$work/harden.txt" 2>&1
rc=$?
if [ "$rc" -le 1 ]; then ok "harden --root runs (exit $rc)"; else no "harden --root runs (exit $rc)" "$work/harden.txt"; fi
check "sshd -t accepts the hardened sshd_config (OpenSSH of trixie)" in_root /usr/sbin/sshd -t
check "visudo -c accepts the hardened sudoers" in_root visudo -c
check "no rule is still failing after its fix ran" sh -c "! grep -E '^  still failing ' '$work/harden.txt'"
"$tattoo" --root "$R" audit --format json --output "$work/after.json" >/dev/null 2>&1
check "fewer rules fail after harden" python3 -c '
import json, sys
b, a = (json.load(open(p))["summary"] for p in sys.argv[1:3])
print("before", b, "after", a)
assert a["fail"] < b["fail"] / 2, (b["fail"], a["fail"])
' "$work/before.json" "$work/after.json"
check "the post-quantum key exchange rule passes after harden" python3 -c '
import json, sys
res = {r["id"]: r["result"] for r in json.load(open(sys.argv[1]))["results"]}
assert res["sshd_use_pq_kex"] == "pass", res["sshd_use_pq_kex"]
assert res["sshd_use_strong_kex"] == "pass", res["sshd_use_strong_kex"]
' "$work/after.json"
finish
