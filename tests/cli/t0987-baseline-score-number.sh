#!/bin/sh
# baseline.score is a number in the tattoo, as in status.json and the
# report (canonical text: one decimal at most, shortest form), and a
# tattoo written before, with the score as a string, still verifies.
. "$(dirname "$0")/../lib.sh"

R=$T/root
make_root "$R"
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/key.pub"
expect_exit 0 "write with a baseline" "$TATTOO" --root "$R" write \
    --image-name img --image-version 1 --no-imds --sign-key "$T/key.pem"
F=$R/etc/tattoo/tattoo.json
check "the file's score is a number of one decimal at most" python3 -c '
import json, re, sys
s = json.load(open(sys.argv[1]))["baseline"]["score"]
assert isinstance(s, (int, float)) and not isinstance(s, bool), repr(s)
assert 0 <= s <= 100, s
assert re.search(r"\"score\": (0|[1-9][0-9]*)(\.[1-9])?,?\n", open(sys.argv[1]).read())
' "$F"
expect_exit 0 "it verifies" "$TATTOO" --root "$R" verify --pubkey "$T/key.pub"
expect_exit 0 "show --json" "$TATTOO" --root "$R" show --json
check "show --json gives a number" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))["baseline"]["score"]
assert isinstance(s, (int, float)) and not isinstance(s, bool), repr(s)
' "$T/out"
expect_exit 0 "show --field baseline.score" "$TATTOO" --root "$R" show \
    --field baseline.score
check "  prints the number" grep -Eqx '(0|[1-9][0-9]*)(\.[1-9])?' "$T/out"
# these three checks in one python3 (issue 17)
pychecks 3 "$F" "$T/out" "$TT_TOP/docs/schema" <<'PY'
import formatcheck
F, OUT, SCHEMA = sys.argv[1:4]
with checked("  the one in the file"):
    assert json.load(open(F))["baseline"]["score"] == float(open(OUT).read()), "differ"
with checked("the schema says number"):
    s = json.load(open(SCHEMA + "/tattoo.schema.json"))["properties"]["baseline"]["properties"]["score"]
    assert s["type"] == "number", s
check("the tattoo matches tattoo.schema.json", *formatcheck.holds("schema", SCHEMA, "tattoo", F))
PY

# A tattoo of the previous version (score "50.3"), signed: still valid.
O=$T/old
make_root "$O"
mkdir -p "$O/etc/tattoo"
cp "$TT_TOP/tests/fixtures/tattoo-score-string/tattoo.json" "$O/etc/tattoo/"
cp "$TT_TOP/tests/fixtures/tattoo-score-string/key.pub" "$T/old.pub"
chmod 0644 "$T/old.pub" "$O/etc/tattoo/tattoo.json"
expect_exit 0 "an old tattoo (string score) verifies" "$TATTOO" --root "$O" \
    verify --pubkey "$T/old.pub"
check "  signed by its key" contains "$T/out" "signed by ed25519:"
expect_exit 0 "its score shown" "$TATTOO" --root "$O" show \
    --field baseline.score
check "  as it was" grep -qx '50.3' "$T/out"
done_testing
