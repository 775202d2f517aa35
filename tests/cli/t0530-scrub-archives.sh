#!/bin/sh
# tattoo scrub inside archives and compressed files: a planted secret in
# each format (gz, xz, bz2, zst, tar of each flavour, tar.gz/xz/bz2/zst,
# zip deflated and stored, a .deb's data.tar.xz, tar.gz!zip!file, four
# containers deep, a rotated auth.log.2.gz) is found by its detector with
# the member's line, named outer!inner!member in every output format;
# --apply leaves archives alone and reports the secret (exit 1).
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
python3 "$TT_TOP/tests/cli/scrub_archives.py" "$R" --manifest "$T/manifest" \
    >"$T/built"
# A format this machine cannot build is said, not passed over.
while read -r line; do
	case "$line" in skip:*) echo "ok - # SKIP ${line#skip: }" ;; esac
done <"$T/built"

expect_exit 1 "secrets inside archives: exit 1" "$TATTOO" --root "$R" scrub \
    --check --format json --output "$T/s.json"
# the JSON's three checks in one python3 (issue 17)
pychecks 3 "$T/s.json" "$T/manifest" "$TT_TOP/docs/schema" <<'PY'
import hashlib
import formatcheck
with checked("every planted secret is found by its detector, path and line, once"):
    doc = json.load(open(sys.argv[1]))
    found = [(f["path"], f["detector"], f["line"]) for f in doc["findings"] if f["kind"] == "secret"]
    want = [(m["path"], m["detector"], m["line"]) for m in map(json.loads, open(sys.argv[2]))]
    missing = [w for w in want if w not in found]
    assert not missing, missing
    extra = [f for f in found if f not in want]
    assert not extra, extra
    assert len(found) == len(set(found)), found
    assert len(want) >= 16, len(want)
    assert doc["summary"]["skipped"] == 0, doc["skipped"]
with checked("the fingerprint and preview are the secret's"):
    doc = json.load(open(sys.argv[1]))
    man = {m["path"]: m for m in map(json.loads, open(sys.argv[2]))}
    for f in doc["findings"]:
        s = man[f["path"]]["secret"]
        assert f["fingerprint"] == "sha256:" + hashlib.sha256(s.encode("latin-1")).hexdigest(), f
        assert s.startswith(f["preview"]), f
check("json matches scrub.schema.json", *formatcheck.holds("schema", sys.argv[3], "scrub", sys.argv[1]))
PY

for f in junit sarif html; do
	expect_exit 1 "$f" "$TATTOO" --root "$R" scrub --format $f --output "$T/s.$f"
done
expect_exit 1 "text" "$TATTOO" --root "$R" scrub --output "$T/s.txt"
# the checks of the other formats in one python3 (issue 17): formatcheck's,
# and the nested member named in each (grep -F's test: the bytes in the file)
pychecks 7 "$T" '/root/outer.tar.gz!inner.zip!config/.env' <<'PY'
import formatcheck
t, nested = sys.argv[1], sys.argv[2]


def contains(path, text):
    assert text.encode() in open(path, "rb").read(), "%s does not hold %s" % (path, text)


check("junit counts match the JSON", *formatcheck.holds("junit", t + "/s.junit", t + "/s.json", "scrub"))
check("sarif has the SARIF 2.1.0 fields", *formatcheck.holds("sarif", t + "/s.sarif", t + "/s.json", "scrub"))
with checked("text names the nested member with its line"):
    contains(t + "/s.txt", nested + ":3 ")
with checked("junit names the nested member"):
    contains(t + "/s.junit", nested)
with checked("html names the nested member"):
    contains(t + "/s.html", nested)
with checked("sarif names the nested member (a URI: ! escaped)"):
    contains(t + "/s.sarif", "root/outer.tar.gz%21inner.zip%21config/.env")
with checked("sarif gives the member's line"):
    d = json.load(open(t + "/s.sarif"))
    locs = [l["physicalLocation"] for r in d["runs"][0]["results"] for l in r["locations"]]
    assert any(l["artifactLocation"]["uri"].endswith("inner.zip%21config/.env") and
               l["region"]["startLine"] == 3 for l in locs), locs
PY

expect_exit 1 "one scanning thread finds the same" "$TATTOO" --root "$R" scrub \
    --check --format json --jobs 1 --output "$T/j1.json"
check "the same findings with --jobs 1" python3 -c '
import json, sys
a, b = (json.load(open(p))["findings"] for p in sys.argv[1:3])
assert a == b
' "$T/s.json" "$T/j1.json"

# --apply never edits inside an archive: the secret is left for a person.
mkdir -p "$R/root" && printf 'ls\n' >"$R/root/.bash_history"
(cd "$R" && find . -type f \( -name '*.gz' -o -name '*.zip' -o -name '*.deb' \
    -o -name '*.tar*' -o -name '*.xz' -o -name '*.bz2' -o -name '*.zst' \) \
    -exec sha256sum {} + | sort) >"$T/before"
expect_exit 1 "--apply with secrets in archives: exit 1" "$TATTOO" --root "$R" \
    scrub --apply --format json --output "$T/a.json"
(cd "$R" && sha256sum -c --quiet "$T/before") >"$T/out" 2>&1
check "every archive is as it was" [ $? -eq 0 ]
# the last two checks in one python3 (issue 17)
pychecks 2 "$T/a.json" "$T/manifest" "$T"/s.* <<'PY'
with checked("the leftover went, the archive secrets are reported"):
    d = json.load(open(sys.argv[1]))
    s = [f for f in d["findings"] if f["kind"] == "secret"]
    assert len(s) == sum(1 for _ in open(sys.argv[2])), len(s)
    assert all(f["action"] == "review" for f in s), s
    assert [f for f in d["findings"] if f["kind"] == "leftover" and f["result"] == "done"]
with checked("no output holds a planted secret"):
    for m in map(json.loads, open(sys.argv[2])):
        s = m["secret"].encode("latin-1")
        for o in sys.argv[3:] + [sys.argv[1]]:
            data = open(o, "rb").read()
            for p in (s, s[len(s)//2:], s[4:]):
                if len(p) >= 8 and p in data:
                    raise AssertionError("%s holds (part of) the %s secret" % (o, m["detector"]))
PY
done_testing
