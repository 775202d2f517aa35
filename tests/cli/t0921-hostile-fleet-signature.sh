#!/bin/sh
# Issue 13, finding 10: the fleet's `tattoo-tattoo: valid` tag and
# `status` checked only the unkeyed digest, which anyone who rewrites the
# tattoo recomputes.  With trusted_keys (host configuration), report, its
# tag, its body and status say "valid" only for a tattoo signed by a
# trusted key, else "unsigned", "untrusted" or "invalid"; without
# trusted_keys they say "digest-ok", never "valid".
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../report.sh"

TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
mkdir -p "$T/keys"
for k in real evil; do
	openssl genpkey -algorithm ed25519 -out "$T/keys/$k.pem" 2>/dev/null
	openssl pkey -in "$T/keys/$k.pem" -pubout -out "$T/keys/$k.pub"
done
chmod 0644 "$T/keys/real.pub" "$T/keys/evil.pub"

report_setup || { fail "setup"; done_testing; exit 1; }
F="$R/etc/tattoo/tattoo.json"
# The genuine tattoo: written and signed by the pipeline's key.
"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --gallery "$GALLERY" --no-imds --sign-key "$T/keys/real.pem" \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010 \
    >/dev/null 2>&1 || fail "fixture: signed tattoo"
cp "$F" "$T/genuine.json"
conf "trusted_keys=$T/keys/real.pub" "collector_url=$MOCK_HTTPS/ingest"

# fleet WORD DESC: report --once, then the last PATCHed tag, the body
# report.verify in status.json, and status all say WORD.
fleet() {
	_w=$1; _d=$2
	report --once
	check "$_d: report exits 0" [ "$rc" -eq 0 ]
	check "$_d: report says tattoo $_w" contains "$T/out" "tattoo $_w,"
	requests "$T/reqs"
	# the tag, the body and status.json in one python3 (issue 17)
	pychecks 3 "$_w" "$_d" "$T/reqs" "$T/state/status.json" <<'PY'
w, desc = sys.argv[1:3]
with checked("%s: the tag sent to ARM is tattoo-tattoo=%s" % (desc, w)):
    p = [json.loads(r["body"]) for r in load(sys.argv[3]) if r["method"] == "PATCH"]
    assert p, "no PATCH"
    assert p[-1]["properties"]["tags"]["tattoo-tattoo"] == w, p[-1]
with checked("%s: the report body sent to the collector says verify %s" % (desc, w)):
    c = [json.loads(r["body"]) for r in load(sys.argv[3]) if r["path"] == "/ingest"]
    assert c, "no report"
    assert c[-1]["verify"] == w, (c[-1]["verify"], c[-1].get("verify_detail"))
with checked("%s: status.json report.verify is %s" % (desc, w)):
    d = load(sys.argv[4])
    assert d["report"]["verify"] == w, d["report"]
PY
	run "$TATTOO" --root "$R" --config "$CONF" status
	check "$_d: status says tattoo $_w" grep -q "^tattoo  *$_w\$" "$T/out"
}

fleet valid "genuine signed tattoo"
pyjson "genuine: drift none" "$T/state/status.json" '
assert d["report"]["drift"]["tattoo_invalid"] is False'

# The image rewrites its tattoo: a new version, the digest recomputed,
# the signature dropped.  The unkeyed digest matches.
python3 - "$F" <<'PY'
import hashlib, json, sys
t = json.load(open(sys.argv[1]))
t["image"]["version"] = "9.9.9"
del t["signature"]
body = {k: v for k, v in t.items() if k not in ("digest", "signature")}
c = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
t["digest"] = "sha256:" + hashlib.sha256(c.encode()).hexdigest()
json.dump(t, open(sys.argv[1], "w"), indent=2)
PY
expect_exit 0 "rewritten: the unkeyed digest matches (the attack's premise)" \
    "$TATTOO" --root "$R" verify
fleet unsigned "rewritten, signature removed"
pyjson "unsigned: drift tattoo_invalid" "$T/state/status.json" '
assert d["report"]["drift"]["tattoo_invalid"] is True
assert "not signed" in d["report"]["drift"]["why"], d["report"]["drift"]'

# Signed by a key that is not trusted (the image's own).
mv "$F" "$T/unsigned.json"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --gallery "$GALLERY" --no-imds --sign-key "$T/keys/evil.pem" \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010 \
    >/dev/null 2>&1 || fail "fixture: evil-signed tattoo"
fleet untrusted "signed by an untrusted key"

# Claims the trusted key; the value signs nothing.
python3 - "$F" "$T/genuine.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
g = json.load(open(sys.argv[2]))
t["signature"]["key_id"] = g["signature"]["key_id"]
json.dump(t, open(sys.argv[1], "w"), indent=2)
PY
fleet invalid "claims the trusted key, bad signature"

# An unknown member inside the genuine signature: invalid.
python3 - "$T/genuine.json" "$F" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["signature"]["trusted"] = True
json.dump(t, open(sys.argv[2], "w"), indent=2)
PY
fleet invalid "unknown member in the signature"
pyjson "unknown member: the report's verify_detail names it" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert "unknown member \x27trusted\x27" in c[-1]["verify_detail"], c[-1]["verify_detail"]'

# Back to the genuine tattoo: valid again.
cp "$T/genuine.json" "$F"
fleet valid "genuine again"

# Without trusted_keys nothing says "valid": only the digest was checked.
conf "collector_url=$MOCK_HTTPS/ingest"
fleet digest-ok "no trusted_keys, genuine tattoo"
cp "$T/unsigned.json" "$F"
fleet digest-ok "no trusted_keys, rewritten tattoo"

# trusted_keys through the environment (a host setting as well).
TATTOO_TRUSTED_KEYS="$T/keys/real.pub" fleet unsigned "TATTOO_TRUSTED_KEYS, rewritten tattoo"
done_testing
