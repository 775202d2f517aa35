#!/bin/sh
# tattoo scrub --check: usage, exit codes, the allowlist, files not
# scanned (too large, damaged) reported, symlinks never followed,
# the same findings with one or two scanning threads.
. "$(dirname "$0")/../lib.sh"

expect_exit 0 "scrub --help" "$TATTOO" scrub --help
check "usage names the options" contains "$T/out" "--allowlist"
expect_exit 0 "help scrub" "$TATTOO" help scrub
expect_exit 2 "unknown option" "$TATTOO" scrub --bogus
expect_exit 2 "unexpected argument" "$TATTOO" scrub extra
expect_exit 2 "--check and --apply together" "$TATTOO" scrub --check --apply
expect_exit 2 "unknown format" "$TATTOO" scrub --format yaml
check "the format error names it" contains "$T/err" "unknown format 'yaml'"
expect_exit 2 "a bad --max-file-size" "$TATTOO" scrub --max-file-size 12Q
check "the size error names it" contains "$T/err" "--max-file-size '12Q'"
expect_exit 2 "a bad --jobs" "$TATTOO" scrub --jobs 0
expect_exit 2 "--build-user root" "$TATTOO" scrub --build-user root
expect_exit 2 "--build-user with a glob" "$TATTOO" scrub --build-user 'a*'
check "the name error names it" contains "$T/err" "--build-user 'a*'"
expect_exit 2 "a missing root" "$TATTOO" --root "$T/nothing" scrub
check "the root error names it" contains "$T/err" "$T/nothing"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/etc/app" "$R/usr/share/doc/app"
printf '[app]\nname = web\nport = 8080\n' >"$R/etc/app/app.conf"
expect_exit 0 "a clean tree: exit 0" "$TATTOO" --root "$R" scrub --check
check "the summary counts files" contains "$T/out" "0 secrets, 0 leftovers"

python3 "$TT_TOP/tests/cli/scrub_plant.py" "$R" --manifest "$T/manifest"
expect_exit 1 "planted secrets: exit 1" "$TATTOO" --root "$R" scrub --check \
    --format json
cp "$T/out" "$T/one.json"
# the two checks of the findings in one python3 (issue 17)
pychecks 2 "$T/one.json" "$T/manifest" "$R" <<'PY'
import hashlib
with checked("every planted secret is found by its detector, once"):
    doc = json.load(open(sys.argv[1]))
    found = [(f["path"], f["detector"]) for f in doc["findings"] if f["kind"] == "secret"]
    want = [(m["path"], m["detector"]) for m in map(json.loads, open(sys.argv[2]))]
    missing = [w for w in want if w not in found]
    assert not missing, missing
    extra = [f for f in found if f not in want]
    assert not extra, extra
    assert len(found) == len(set(found)), found
with checked("findings carry line, offset, preview and fingerprint"):
    doc = json.load(open(sys.argv[1]))
    man = {m["path"]: m for m in map(json.loads, open(sys.argv[2]))}
    for f in doc["findings"]:
        if f["kind"] != "secret":
            continue
        s = man[f["path"]]["secret"]
        assert f["fingerprint"] == "sha256:" + hashlib.sha256(s.encode("latin-1")).hexdigest(), f
        assert len(f["preview"]) <= 4 and s.startswith(f["preview"]), f
        data = open(sys.argv[3] + f["path"], "rb").read()
        assert data[f["offset"]:f["offset"] + len(s)] == s.encode("latin-1"), f
        assert f["line"] == data[:f["offset"]].count(b"\n") + 1, f
PY
expect_exit 1 "one scanning thread" "$TATTOO" --root "$R" scrub --jobs 1 \
    --format json
# The same document but for when it was made (generated_at).
check "the same findings with one thread as with two" python3 -c '
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
a.pop("generated_at"); b.pop("generated_at")
assert a == b' "$T/out" "$T/one.json"

# The allowlist: fingerprints and path globs take findings away.
python3 -c '
import json, sys
doc = json.load(open(sys.argv[1]))
with open(sys.argv[2], "w") as f:
    f.write("# reviewed by the image team\n")
    for x in doc["findings"]:
        if x["kind"] == "secret" and not x["path"].startswith("/etc/"):
            f.write("fingerprint %s\n" % x["fingerprint"])
    f.write("path /etc/app/*\npath /root/.bash_history\n")
' "$T/one.json" "$T/allow"
expect_exit 0 "everything allowed: exit 0" "$TATTOO" --root "$R" scrub \
    --allowlist "$T/allow"
check "the summary says how many were allowed" contains "$T/out" "allowed (allowlist"
printf 'fingerprint 1234\n' >"$T/bad-allow"
expect_exit 3 "a bad allowlist: exit 3" "$TATTOO" --root "$R" scrub \
    --allowlist "$T/bad-allow"
check "the error names file:line" contains "$T/err" "$T/bad-allow:1: fingerprint"
expect_exit 3 "a missing allowlist: exit 3" "$TATTOO" --root "$R" scrub \
    --allowlist "$T/none"

# Not scanned, never silently: too large, a damaged compressed file
# (archives themselves are scanned: t0530).
R2="$T/root2"
make_root "$R2"
mkdir -p "$R2/var/log" "$R2/opt"
head -c 300000 /dev/zero >"$R2/opt/big.bin"
printf '\037\213\010\000not deflate at all' >"$R2/var/log/old.log.gz"
expect_exit 0 "too large and damaged files: not findings" "$TATTOO" \
    --root "$R2" scrub --max-file-size 100K -v
check "the large file is listed" contains "$T/out" "/opt/big.bin  larger than --max-file-size"
check "the damaged file is listed" contains "$T/out" "/var/log/old.log.gz  archive unreadable: gzip decompression failed"
expect_exit 0 "json lists them" "$TATTOO" --root "$R2" scrub --max-file-size 100K --format json
check "skipped entries in json" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["skipped"] == 2, d["summary"]
assert {s["path"] for s in d["skipped"]} == {"/opt/big.bin", "/var/log/old.log.gz"}, d["skipped"]
' "$T/out"

# Symlinks are never followed: a link to a secret outside the root, or to
# a secret inside it, is not scanned twice.
R3="$T/root3"
make_root "$R3"
mkdir -p "$R3/etc" "$T/outside"
printf 'AWS_ACCESS_KEY_ID=AKIA%s\n' "QX7ZB3M2KD5LP6WN" >"$T/outside/creds"
ln -s "$T/outside/creds" "$R3/etc/creds"
ln -s "$T/outside" "$R3/etc/outside-dir"
expect_exit 0 "links out of the root are not followed" "$TATTOO" --root "$R3" scrub

# The journal of an image is in the image, and keeps no copy of what
# --apply removed (the image would ship it): sizes and digests only, said
# so; the next --check is clean; rollback refuses that run and says why.
R4="$T/root4"
make_root "$R4"
mkdir -p "$R4/root"
printf 'curl -H "Authorization: Bearer %s" https://api.internal\n' \
    "q8Zr2LkP0vXw7TnY5bMc3Hd" >"$R4/root/.bash_history"
expect_exit 0 "--apply with the journal inside the image" \
    "$TATTOO" --root "$R4" scrub --apply
check "it says the journal keeps no copy" contains "$T/err" "no copy"
check "the history is gone" test ! -e "$R4/root/.bash_history"
check "the journal holds no byte of it" sh -c \
    "! grep -rqs 'q8Zr2LkP0vXw7TnY5bMc3Hd' '$R4/var/lib/tattoo/journal'"
check "the journal records its size and digest" sh -c \
    "grep -qs '\"sha256\"' '$R4'/var/lib/tattoo/journal/*/0*.json"
expect_exit 0 "and --check is clean" \
    "$TATTOO" --root "$R4" scrub --check
expect_exit 2 "rollback refuses a run without bytes" \
    "$TATTOO" --root "$R4" rollback
check "and says why" contains "$T/err" "no run to roll back"
run=$(ls "$R4/var/lib/tattoo/journal")
expect_exit 2 "rollback of that run named" \
    "$TATTOO" --root "$R4" rollback "$run"
check "says it is a record to review" contains "$T/err" "record to review"
done_testing
