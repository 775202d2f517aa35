#!/bin/sh
# write --sign-keyvault against a loopback stand-in of Key Vault and of the
# IMDS token endpoint (tests/mock/keyvault_mock.py, which signs with a P-256
# key of its own); verify --pubkey and trusted_keys with that EC key.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
python3 "$TT_TOP/tests/mock/keyvault_mock.py" --dir "$T/kv" >"$T/kv.log" 2>&1 &
kv_pid=$!
trap 'kill $kv_pid 2>/dev/null; rm -rf "$T"' EXIT
if ! wait_file "$T/kv/ports"; then
	echo "# the Key Vault stand-in did not start"; cat "$T/kv.log"; exit 1
fi
read -r kv_http kv_https <"$T/kv/ports"
CTL="http://127.0.0.1:$kv_http/_mock"
ctl() { curl -s --noproxy '*' -X POST -d "${2:-{\}}" "$CTL/$1" >/dev/null; }
TATTOO_IMDS_URL="http://127.0.0.1:$kv_http"
TATTOO_KEYVAULT_URL="https://localhost:$kv_https"
TATTOO_CA_FILE="$T/kv/ca.pem"
export TATTOO_IMDS_URL TATTOO_KEYVAULT_URL TATTOO_CA_FILE
KEY=https://kv-golden.vault.azure.net/keys/tattoo
KID=$KEY/0123456789abcdef0123456789abcdef
TOKEN=$(cat "$T/kv/token")
PUB="$T/kv/kv.pub.pem"
F="$R/etc/tattoo/tattoo.json"
W="$TATTOO --root $R"
WRITE="$W write --image-name golden --image-version 1.0.0 --source p:o:s:1"

expect_exit 0 "write --sign-keyvault" $WRITE --sign-keyvault "$KEY" -v
check "the line names the Key Vault key" contains "$T/out" ", signed by $KID"
check "the token is never printed (-v)" sh -c \
    "! grep -qF '$TOKEN' '$T/out' '$T/err'"
# the signature, the schema and the requests in one python3 (issue 17)
curl -s --noproxy '*' "$CTL/requests" >"$T/reqs"
pychecks 3 "$F" "$KID" "$PUB" "$T/reqs" "$TOKEN" "$TT_TOP/docs/schema" <<'PY'
import base64
import formatcheck
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, utils
F, KID, PUB, REQS, TOKEN, SCHEMA = sys.argv[1:7]
with checked("signature: ES256, the kid, 64 bytes of r||s that verify"):
    t = json.load(open(F))
    s = t["signature"]
    assert s["alg"] == "ES256" and s["key_id"] == KID, s
    raw = base64.b64decode(s["value"], validate=True)
    assert len(raw) == 64, len(raw)
    # What a verifier outside tattoo does: ECDSA P-256 over the digest bytes.
    pub = serialization.load_pem_public_key(open(PUB, "rb").read())
    der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"),
                                     int.from_bytes(raw[32:], "big"))
    digest = bytes.fromhex(t["digest"].split(":", 1)[1])
    pub.verify(der, digest, ec.ECDSA(utils.Prehashed(hashes.SHA256())))
check("the ES256 tattoo matches tattoo.schema.json", *formatcheck.holds("schema", SCHEMA, "tattoo", F))
with checked("a vault token, a GET of the key, then ES256 sign of the digest"):
    reqs = json.load(open(REQS))
    tok = [r for r in reqs if r["server"] == "http"]
    kv = [r for r in reqs if r["server"] == "https"]
    assert len(tok) == 1 and "resource=https%3A%2F%2Fvault.azure.net" in tok[0]["path"], tok
    assert tok[0]["headers"]["metadata"] == "true"
    assert [(r["method"], r["path"]) for r in kv] == [
        ("GET", "/keys/tattoo?api-version=7.4"),
        ("POST", "/keys/tattoo/0123456789abcdef0123456789abcdef/sign?api-version=7.4")], kv
    for r in kv:
        assert r["headers"]["authorization"] == "Bearer " + TOKEN
    body = json.loads(kv[1]["body"])
    assert body["alg"] == "ES256"
    d = base64.urlsafe_b64decode(body["value"] + "=" * (-len(body["value"]) % 4))
    t = json.load(open(F))
    assert d.hex() == t["digest"].split(":", 1)[1], (d.hex(), t["digest"])
PY

expect_exit 0 "verify --pubkey with the EC P-256 key" $W verify --pubkey "$PUB"
check "verify names the kid" contains "$T/out" "valid: digest matches, signed by $KID"
printf 'trusted_keys = %s\n' "$PUB" >"$T/host.conf"
expect_exit 0 "verify with trusted_keys holding the EC key" $W verify
check "trusted_keys verifies it" contains "$T/out" "signed by $KID"
: >"$T/host.conf"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 \
    -out "$T/other.key" 2>/dev/null
openssl pkey -in "$T/other.key" -pubout -out "$T/other.pub" 2>/dev/null
chmod 0644 "$T/other.pub"
expect_exit 1 "another P-256 key does not verify it" $W verify --pubkey "$T/other.pub"
check "unknown key said" contains "$T/out" "signed by unknown key '$KID'"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 \
    -out "$T/p384.key" 2>/dev/null
openssl pkey -in "$T/p384.key" -pubout -out "$T/p384.pub" 2>/dev/null
chmod 0644 "$T/p384.pub"
expect_exit 3 "a P-384 key is refused" $W verify --pubkey "$T/p384.pub"
check "the curve is named" contains "$T/err" "neither an Ed25519 nor an EC P-256"

cp "$F" "$T/good.json"
python3 -c '
import json, sys
t = json.load(open(sys.argv[1])); t["image"]["version"] = "9.9.9"
json.dump(t, open(sys.argv[1], "w"))' "$F"
expect_exit 1 "a tampered tattoo fails" $W verify --pubkey "$PUB"
cp "$T/good.json" "$F"
python3 -c '
import base64, json, sys
t = json.load(open(sys.argv[1]))
v = bytearray(base64.b64decode(t["signature"]["value"])); v[5] ^= 1
t["signature"]["value"] = base64.b64encode(bytes(v)).decode()
json.dump(t, open(sys.argv[1], "w"))' "$F"
expect_exit 1 "a damaged signature fails" $W verify --pubkey "$PUB"
cp "$T/good.json" "$F"

# A versioned key URL signs with that version; the old tattoo becomes the
# parent, verified with the trusted key.
expect_exit 0 "write with a versioned key URL" $WRITE --sign-keyvault "$KID" \
    --parent-pubkey "$PUB"
check "parent verified with the EC key" contains "$T/out" "parent verified with p256:"
expect_exit 0 "the versioned write verifies" $W verify --pubkey "$PUB"
cp "$F" "$T/good.json"

# Refusals: the role, the key, the URL, the network, the token.
ctl reset
ctl fail '{"route": "kv", "statuses": [403]}'
expect_exit 4 "403: environment error" $WRITE --sign-keyvault "$KEY"
check "403 names the role" contains "$T/err" "needs the 'Key Vault Crypto User' role"
check "403: nothing written" cmp -s "$F" "$T/good.json"
curl -s --noproxy '*' "$CTL/requests" >"$T/reqs"
check "403 on reading the key: stopped there, before the audit" python3 -c '
import json, sys
kv = [(r["method"], r["path"]) for r in json.load(open(sys.argv[1])) if r["server"] == "https"]
assert kv == [("GET", "/keys/tattoo?api-version=7.4")], kv' "$T/reqs"
check "403 said before any warning about the parent" sh -c \
    "! grep -q 'existing tattoo' '$T/err'"
ctl reset
ctl fail '{"route": "kv", "skip": 1, "statuses": [403]}'
expect_exit 4 "403 on sign: environment error" $WRITE --sign-keyvault "$KEY"
check "403 on sign names the role" contains "$T/err" "Key Vault refused to sign with '$KEY' (HTTP 403"
check "403 on sign: nothing written" cmp -s "$F" "$T/good.json"
ctl reset
expect_exit 3 "404: the key is named" $WRITE \
    --sign-keyvault https://kv-golden.vault.azure.net/keys/missing
check "404 names the key" contains "$T/err" "Key Vault has no key 'https://kv-golden.vault.azure.net/keys/missing' (HTTP 404: KeyNotFound"
check "404: nothing written" cmp -s "$F" "$T/good.json"
for url in http://kv-golden.vault.azure.net/keys/tattoo \
    https://kv-golden.vault.azure.net.evil.example/keys/tattoo \
    https://kv-golden.vault.azure.net/secrets/tattoo \
    https://localhost/keys/tattoo; do
	expect_exit 2 "refused: $url" $WRITE --sign-keyvault "$url"
	check "the form is shown: $url" contains "$T/err" \
	    "expected https://VAULT.vault.azure.net/keys/NAME[/VERSION]"
done
expect_exit 2 "--sign-keyvault with --sign-key" $WRITE --sign-keyvault "$KEY" \
    --sign-key "$T/other.key"
ctl reset
ctl fail '{"route": "kv", "statuses": [500, 503, 429]}'
expect_exit 0 "500, 503 and 429 are retried" $WRITE --sign-keyvault "$KEY"
ctl reset
ctl fail '{"route": "kv", "drops": 8}'
expect_exit 4 "no answer after every retry: environment error" $WRITE \
    --sign-keyvault "$KEY"
check "the network failure is said" contains "$T/err" "cannot reach Key Vault at"
check "after every retry" contains "$T/err" "(after every retry)"
curl -s --noproxy '*' "$CTL/requests" >"$T/reqs"
check "four attempts" python3 -c '
import json, sys
n = len([r for r in json.load(open(sys.argv[1])) if r["server"] == "https"])
assert n == 4, n' "$T/reqs"
ctl reset
# A hung answer (past the 10 s limit) is retried once and then signs.
ctl fail '{"route": "kv", "delays": [11]}'
expect_exit 0 "a timed-out request is retried" $WRITE --sign-keyvault "$KEY"
ctl reset
expect_exit 4 "no IMDS: environment error" env \
    TATTOO_IMDS_URL=http://127.0.0.1:9 $WRITE --sign-keyvault "$KEY"
check "no token said" contains "$T/err" "no managed-identity token for Key Vault (https://vault.azure.net)"
check "the last good tattoo is intact" sh -c "$W verify --pubkey '$PUB' >/dev/null"
done_testing
