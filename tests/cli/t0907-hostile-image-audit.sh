#!/bin/sh
# A hostile image tree under audit and harden: FIFOs, devices and symlink
# loops where configuration files should be, an Include that includes
# itself, a megabyte line, a directory chain 300 levels deep.  audit and
# harden --dry-run complete (exit 0 or 1, no crash, no hang) and the rules
# that cannot read their file say so as errors; an oversized rule pack is
# refused with exit 3.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/etc/ssh/sshd_config.d" "$R/etc/sysctl.d/x.conf" "$R/var/lib/dpkg" \
    "$R/etc/security" "$R/boot/grub" "$R/home"
mkfifo "$R/etc/passwd"
ln -s /dev/zero "$R/etc/shadow"
mknod "$R/etc/login.defs" c 1 5
printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
printf 'Include /etc/ssh/sshd_config.d/*.conf\nInclude /etc/ssh/sshd_config\n' >"$R/etc/ssh/sshd_config.d/loop.conf"
ln -s loop1 "$R/etc/security/loop2"; ln -s loop2 "$R/etc/security/loop1"
ln -s loop1 "$R/etc/security/pwquality.conf"
python3 -c 'import sys; sys.stdout.write("tmpfs /tmp tmpfs " + "x," * 500000 + "nodev 0 0\n")' >"$R/etc/fstab"
head -c 3000000 /dev/urandom >"$R/var/lib/dpkg/status"
printf 'linux /vmlinuz root=/dev/sda1 %s\n' "$(head -c 200000 /dev/zero | tr '\0' a)" >"$R/boot/grub/grub.cfg"
d="$R/home"
i=0
while [ $i -lt 300 ]; do d="$d/d"; i=$((i + 1)); done
mkdir -p "$d"
ln -s / "$d/up"
chmod 0777 "$R/home/d"

for f in "" "--format json"; do
	run timeout -s KILL 120 "$TATTOO" --root "$R" audit $f
	check "audit $f of a hostile tree completes (exit 0 or 1, got $rc)" test "$rc" -le 1
done
check "no sanitizer report" sh -c "! grep -q 'Sanitizer' '$T/err'"
check "rules over the FIFO and the device are errors, not verdicts" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
errs = [r for r in d["results"] if r["result"] == "error"]
assert errs, "no error results"
assert any("regular file" in (r.get("found") or "") for r in errs), [r.get("found") for r in errs][:5]
' "$T/out"
run timeout -s KILL 120 "$TATTOO" --root "$R" harden --dry-run
check "harden --dry-run of a hostile tree completes (got $rc)" test "$rc" -le 1
check "nothing written by the dry run" test ! -e "$R/etc/ssh/sshd_config.d/00-tattoo-hardening.conf"

python3 -c '
import json
r = {"title": "t", "description": "d", "rationale": "r", "severity": "low",
     "references": {"cis": "1.1"}, "scope": ["image"], "fix": {"manual": "x"},
     "check": {"probe": "file", "params": {"path": "/etc/x"},
               "expect": [{"field": "exists", "op": "eq", "value": "true"}]}}
rules = [dict(r, id="r%d" % i) for i in range(5001)]
json.dump({"schema": 1, "pack": "big", "benchmark": "b",
           "applies": {"id": ["debian"], "version_id": ["12"]},
           "profiles": [{"id": "p", "title": "t", "rules": ["r0"]}],
           "rules": rules}, open("'"$T"'/big.json", "w"))'
expect_exit 3 "a pack of 5001 rules is refused" "$TATTOO" rules --rules "$T/big.json"
check "the refusal says why" contains "$T/err" "more than 5000 rules"

done_testing
