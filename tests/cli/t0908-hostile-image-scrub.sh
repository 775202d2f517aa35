#!/bin/sh
# A hostile image tree under scrub: FIFOs, a socket and device nodes where
# files should be, symlink loops and links to /dev/zero and to /, a
# directory chain 300 levels deep, a 4 GiB sparse file, a 3 MB line of
# keyword fragments, a file named with control characters.  --check and
# --apply complete (no hang, crash or sanitizer report), never read a
# device or a FIFO, list what they did not scan, and still find the
# secret planted after all of it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/etc/app" "$R/var/lib" "$R/srv" "$R/tmp"
mkfifo "$R/etc/app/secrets.conf"
mkfifo "$R/tmp/fifo"
mknod "$R/etc/app/zero" c 1 5 2>/dev/null || :
mknod "$R/srv/disk" b 7 0 2>/dev/null || :
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/srv/sock"
mkdir -p "$R/var/tmp"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/var/tmp/agent.sock"
ln -s /dev/zero "$R/etc/app/link-to-zero"
ln -s / "$R/srv/link-to-root"
ln -s loop1 "$R/srv/loop2"; ln -s loop2 "$R/srv/loop1"
truncate -s 4G "$R/var/lib/sparse.img"
# Keyword fragments everywhere: the validators run on every hit.
python3 -c 'import sys; sys.stdout.write("ghp_ AKIA eyJ sk_live_ password= ://:@ 8Q~ sig= SK " * 60000)' >"$R/srv/hits.txt"
printf 'x\n' >"$R/srv/$(printf 'bad\033[2Jname\001')"
d="$R/srv/deep"
i=0
while [ $i -lt 300 ]; do d="$d/d"; i=$((i + 1)); done
mkdir -p "$d"
ln -s ../.. "$d/up"
printf 'export NPM_TOKEN=npm_%s\n' "$(python3 -c 'import random,string; r=random.Random(7); print("".join(r.choice(string.ascii_letters+string.digits) for _ in range(36)))')" >"$R/srv/z-last.env"

completes "scrub --check of a hostile tree completes (exit 1)" 1 \
    "$TATTOO" --root "$R" scrub --check --format json
cp "$T/out" "$T/check.json"
check "the planted secret after all of it is found" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["detector"] == "npm-token" and f["path"] == "/srv/z-last.env" for f in d["findings"]), d["findings"][:5]
' "$T/check.json"
check "FIFOs, devices, the socket and the sparse file are listed, not read" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sk = {s["path"]: s["reason"] for s in d["skipped"]}
for p in ["/etc/app/secrets.conf", "/tmp/fifo", "/srv/sock"]:
    assert "not a regular file" in sk.get(p, ""), (p, sk)
assert "larger than" in sk.get("/var/lib/sparse.img", ""), sk
assert any("too deep" in r for r in sk.values()), sk
' "$T/check.json"
completes "scrub text output of a hostile tree completes" 1 \
    "$TATTOO" --root "$R" scrub --check -v
check "no control character reaches the terminal" sh -c "! grep -q '$(printf '\033')' '$T/out'"
completes "scrub --apply of a hostile tree completes" 1 \
    "$TATTOO" --root "$R" scrub --apply
check "a socket in /var/tmp is left in place, and said so" sh -c \
    "test -S '$R/var/tmp/agent.sock' && grep -q 'left in place: holds a socket' '$T/out'"
check "the FIFO in /tmp went with /tmp's contents" test ! -e "$R/tmp/fifo"
check "the FIFO elsewhere is still there" test -p "$R/etc/app/secrets.conf"
check "the sparse file is untouched" test -f "$R/var/lib/sparse.img"
# The journal of an image keeps no bytes: a record, not for rollback.
completes "rollback of that run completes (a record: nothing to undo)" 2 \
    "$TATTOO" --root "$R" rollback
done_testing
