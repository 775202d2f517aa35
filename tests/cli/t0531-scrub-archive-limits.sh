#!/bin/sh
# Hostile archives: each limit (expanded bytes, the expansion ratio,
# members, nesting depth, member name length) lists the file as not
# scanned with its reason, and what was found before stays found; links
# inside an archive are never followed; member names reach no terminal
# raw; an archive a leftover deletes is not expanded.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
python3 "$TT_TOP/tests/cli/scrub_archives.py" "$R" --bombs

expect_exit 1 "bombs: the long name's neighbour is a finding" "$TATTOO" \
    --root "$R" scrub --check -v --max-file-size 1M
check "expanded bytes past --max-file-size" contains "$T/out" \
    "/b/size.gz  archive expands past 1048576 bytes (--max-file-size; the rest not scanned)"
check "depth: the fifth container is named" contains "$T/out" \
    "/b/deep5.tar.gz!b.zip!c.tar!d.tar.gz!e.tar  archives nested deeper than 4 (not scanned)"
check "a member name longer than 1024 bytes" contains "$T/out" \
    "/b/longname.zip  a member's name is longer than 1024 bytes (that member not scanned)"
check "the other member of that zip is scanned" contains "$T/out" \
    "/b/longname.zip!ok.ini:4 "
expect_exit 1 "bombs, default limits" "$TATTOO" --root "$R" scrub --check \
    --format json --output "$T/b.json"
check "the ratio (20 MiB from 20 KiB) and the members: listed with their reasons" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
sk = {s["path"]: s["reason"] for s in d["skipped"]}
assert sk.get("/b/ratio.gz", "").startswith("archive expands more than 250 times its size"), sk
assert "/b/size.gz" not in sk, sk  # 2 MiB: under 1G and under the floor
assert sk.get("/b/members.zip") == "archive has more than 100000 members (the rest not scanned)", sk
assert "/b/deep5.tar.gz!b.zip!c.tar!d.tar.gz!e.tar" in sk, sk
assert d["summary"]["skipped"] == len(d["skipped"]) == 4, d["skipped"]
' "$T/b.json"

H="$T/hroot"
make_root "$H"
python3 "$TT_TOP/tests/cli/scrub_archives.py" "$H" --hostile --manifest "$T/hman"
expect_exit 1 "links and escapes in member names" "$TATTOO" --root "$H" scrub \
    --check --format json --output "$T/h.json"
check "only the member's own secret: no link followed, no hard link twice" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
found = [(f["path"], f["detector"], f["line"]) for f in d["findings"]]
want = [(m["path"], m["detector"], m["line"]) for m in map(json.loads, open(sys.argv[2]))]
assert found == want, (found, want)
' "$T/h.json" "$T/hman"
check "nothing was extracted next to the root or in it" sh -c \
    "[ \$(find '$T' -name 'evil*' | wc -l) -eq 0 ] && [ ! -e '$H/etc/creds' ]"
expect_exit 1 "text" "$TATTOO" --root "$H" scrub --check
check "the escape and the newline in the name are encoded in text" python3 -c '
import sys
data = open(sys.argv[1], "rb").read()
assert b"\x1b" not in data, data
assert b"links.tar.gz!evil%1B[31m%0Aname:3 " in data, data
' "$T/out"

# An archive a leftover deletes (apt's downloaded packages) is that
# leftover: not expanded on every scrub, gone with --apply.
P="$T/proot"
make_root "$P"
python3 "$TT_TOP/tests/cli/scrub_archives.py" "$P" --manifest "$T/pman" >/dev/null
mkdir -p "$P/var/cache/apt/archives"
mv "$P/opt/pkgs/app_1.0_amd64.deb" "$P/var/cache/apt/archives/"
expect_exit 1 "a .deb in apt's cache" "$TATTOO" --root "$P" scrub --check \
    --format json --output "$T/p.json"
check "it is a leftover, not expanded" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
deb = "/var/cache/apt/archives/app_1.0_amd64.deb"
assert [f for f in d["findings"] if f["path"] == deb and f["kind"] == "leftover"], d
assert not [f for f in d["findings"] if f["path"].startswith(deb + "!")], d
' "$T/p.json"
done_testing
