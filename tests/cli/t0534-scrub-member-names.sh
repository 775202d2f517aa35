#!/bin/sh
# A member's name inside an archive is percent-encoded in a finding's path:
# '!' (the separator of levels) as %21, '%' as %25 (so a literal "%21"
# shows as %2521), controls as %HH, printable UTF-8 as it is.  So
# /n/names.tar.gz!x%21y.zip!in%21side.env splits at each '!' into the
# file and two members, in every output format that shows the path.
. "$(dirname "$0")/../lib.sh"

FC="python3 $TT_TOP/tests/cli/formatcheck.py"
R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
python3 "$TT_TOP/tests/cli/scrub_archives.py" "$R" --names --manifest "$T/man"

expect_exit 1 "secrets under names with ! and %" "$TATTOO" --root "$R" scrub \
    --check --format json --output "$T/s.json"
# these 2 checks in one python3 (issue 17): DESC, the number of
# arguments and the arguments of each
pychecks 2 \
    "json: each member's name encoded, found by its detector and line" 2 "$T/s.json" "$T/man" \
    "json: a path splits at every ! into the file and its members" 1 "$T/s.json" <<'PY'
with next_check():
    import json, sys
    d = json.load(open(sys.argv[1]))
    found = sorted((f["path"], f["detector"], f["line"]) for f in d["findings"] if f["kind"] == "secret")
    want = sorted((m["path"], m["detector"], m["line"]) for m in map(json.loads, open(sys.argv[2])))
    assert found == want, (found, want)
    assert len(want) == 5
with next_check():
    import json, sys, urllib.parse
    d = json.load(open(sys.argv[1]))
    names = set()
    for f in d["findings"]:
        parts = f["path"].split("!")
        assert parts[0] == "/n/names.tar.gz", parts
        names.add(tuple(urllib.parse.unquote(p) for p in parts[1:]))
    assert names == {("a!b.env",), ("100%.env",), ("c%21d.env",),
                     ("caf\u00e9!\t.env",), ("x!y.zip", "in!side.env")}, names
PY
check "json matches scrub.schema.json" $FC schema "$TT_TOP/docs/schema" scrub "$T/s.json"

for f in junit sarif html; do
	expect_exit 1 "$f" "$TATTOO" --root "$R" scrub --format $f --output "$T/s.$f"
done
expect_exit 1 "text" "$TATTOO" --root "$R" scrub --output "$T/s.txt"
nested='/n/names.tar.gz!x%21y.zip!in%21side.env'
check "text: the encoded names" sh -c 'grep -qF "$1" "$3" && grep -qF "$2" "$3"' - \
    "$nested:" '/n/names.tar.gz!café%21%09.env:' "$T/s.txt"
check "text: no tab or raw ! of a name" sh -c \
    '! grep -q "a!b.env" "$1" && ! grep -q "	.env" "$1"' - "$T/s.txt"
check "junit: the encoded names" sh -c 'grep -qF "$1" "$3" && grep -qF "$2" "$3"' - \
    "$nested" '/n/names.tar.gz!100%25.env' "$T/s.junit"
check "html: the encoded names" sh -c 'grep -qF "$1" "$3" && grep -qF "$2" "$3"' - \
    "$nested" '/n/names.tar.gz!c%2521d.env' "$T/s.html"
check "sarif: the path as a URI (! and % escaped once more)" \
    contains "$T/s.sarif" 'n/names.tar.gz%21x%2521y.zip%21in%2521side.env'
done_testing
