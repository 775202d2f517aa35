#!/bin/sh
# write -> show -> verify on a fixture image tree, tampering, absence,
# lineage, signatures, and usage errors.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
W="$TATTOO --root $R"

expect_exit 0 "write --help" $TATTOO write --help
check "write --help names the options" contains "$T/out" "--image-version"
expect_exit 0 "show --help" $TATTOO show --help
expect_exit 0 "verify --help" $TATTOO verify --help
expect_exit 0 "help write" $TATTOO help write
check "help write prints usage" contains "$T/out" "usage: tattoo write"

expect_exit 2 "verify without a tattoo exits 2" $W verify
check "verify says absent" contains "$T/out" "absent"
expect_exit 2 "show without a tattoo exits 2" $W show
check "show names the missing file" contains "$T/err" "$R/etc/tattoo/tattoo.json"

expect_exit 2 "write needs --image-name" $W write --image-version 1.0.0
expect_exit 2 "bad --source is a usage error" $W write --image-name a \
    --image-version 1 --source "Canonical:offer:sku"
check "bad --source says the expected form" contains "$T/err" "PUBLISHER:OFFER:SKU:VERSION"
expect_exit 2 "empty --source part is refused" $W write --image-name a \
    --image-version 1 --source "Canonical::sku:1"
expect_exit 2 "bad --published is refused" $W write --image-name a \
    --image-version 1 --published "yesterday"
check "a refused write leaves no tattoo" test ! -e "$R/etc/tattoo/tattoo.json"

expect_exit 0 "write a tattoo" $W write --image-name golden \
    --image-version 1.0.0 --published 2026-11-01T10:00:00+01:00 \
    --source canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202611010 \
    --gallery /subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/corp/images/golden \
    --build-id 77 --template golden.json --pipeline-url https://dev.example/run/77 \
    --builder packer
check "tattoo file exists" test -f "$R/etc/tattoo/tattoo.json"
check "tattoo file is mode 0644" test "$(stat -c %a "$R/etc/tattoo/tattoo.json")" = 644

expect_exit 0 "show prints text" $W show
check "show has the image" contains "$T/out" "golden 1.0.0"
check "show has the source" contains "$T/out" "canonical:0001-com-ubuntu-server-jammy:22_04-lts-gen2:22.04.202611010"
check "show has the OS" contains "$T/out" "Debian GNU/Linux 12 (bookworm)"
check "published is normalised to UTC" contains "$T/out" "2026-11-01T09:00:00Z"

expect_exit 0 "show --field image.version" $W show --field image.version
check "field value alone" test "$(cat "$T/out")" = "1.0.0"
expect_exit 0 "show --field build.pipeline_url" $W show --field build.pipeline_url
check "pipeline url" test "$(cat "$T/out")" = "https://dev.example/run/77"
expect_exit 1 "show --field of a missing field exits 1" $W show --field image.nope
expect_exit 2 "show --json with --field is a usage error" $W show --json --field x

expect_exit 0 "show --json" $W show --json
check "show --json is JSON with every section" python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
assert t["schema"] == 1
for s in ("source", "os", "image", "build"):
    assert isinstance(t[s], dict), s
assert t["image"]["gallery"].endswith("/images/golden")
assert t["source"]["origin"] == "cli"
assert t["digest"].startswith("sha256:") and len(t["digest"]) == 71
' "$T/out"

expect_exit 0 "verify a fresh tattoo" $W verify
check "verify says valid" contains "$T/out" "valid: digest matches"

# Tamper with one field: the digest no longer matches.
cp "$R/etc/tattoo/tattoo.json" "$T/good.json"
sed 's/"1.0.0"/"1.0.1"/' "$T/good.json" >"$R/etc/tattoo/tattoo.json"
expect_exit 1 "verify a tampered tattoo exits 1" $W verify
check "verify says digest mismatch" contains "$T/out" "digest mismatch"
# Reformatting (white space) is not tampering.
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); json.dump(d, open(sys.argv[2],"w"), indent=7, sort_keys=True)' \
    "$T/good.json" "$R/etc/tattoo/tattoo.json"
expect_exit 0 "reformatted tattoo still verifies" $W verify
printf '{"schema": 1, "source": ' >"$R/etc/tattoo/tattoo.json"
expect_exit 1 "truncated tattoo is invalid" $W verify
check "truncated tattoo is named" contains "$T/out" "truncated"
expect_exit 3 "show of a truncated tattoo is an input error" $W show
cp "$T/good.json" "$R/etc/tattoo/tattoo.json"

# Lineage: a second write keeps the first as parent.
expect_exit 0 "second write" $W write --image-name golden \
    --image-version 1.1.0 --no-imds
check "second write says source unknown" contains "$T/out" "source unknown"
expect_exit 0 "parent field" $W show --field parent.image.version
check "parent is the first tattoo" test "$(cat "$T/out")" = "1.0.0"
expect_exit 0 "parent digest is the first digest" $W show --field parent.digest
check "parent digest unchanged" test "$(cat "$T/out")" = "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$T/good.json")"
expect_exit 0 "show lists the lineage" $W show
check "lineage line" contains "$T/out" "golden 1.0.0 (2026-11-01T09:00:00Z)"
expect_exit 0 "verify with lineage" $W verify

# An unreadable existing tattoo is never overwritten.
printf 'not json' >"$R/etc/tattoo/tattoo.json"
expect_exit 3 "write refuses to replace a malformed tattoo" $W write \
    --image-name golden --image-version 2 --no-imds
check "malformed tattoo kept" test "$(cat "$R/etc/tattoo/tattoo.json")" = "not json"
rm "$R/etc/tattoo/tattoo.json"

# Signatures.
openssl genpkey -algorithm ed25519 -out "$T/key.pem" 2>/dev/null
openssl pkey -in "$T/key.pem" -pubout -out "$T/key.pub"
openssl genpkey -algorithm ed25519 -out "$T/other.pem" 2>/dev/null
openssl pkey -in "$T/other.pem" -pubout -out "$T/other.pub"
expect_exit 0 "signed write" $W write --image-name golden \
    --image-version 3.0.0 --no-imds --sign-key "$T/key.pem"
check "write says signed" contains "$T/out" "signed"
expect_exit 0 "verify with the right key" $W verify --pubkey "$T/key.pub"
check "verify names the key" contains "$T/out" "signed by ed25519:"
expect_exit 1 "verify with another key" $W verify --pubkey "$T/other.pub"
check "unknown key said" contains "$T/out" "unknown key"
expect_exit 0 "verify with both keys" $W verify --pubkey "$T/other.pub" --pubkey "$T/key.pub"
expect_exit 0 "verify without key notes the unchecked signature" $W verify
check "unchecked noted" contains "$T/out" "not checked"
cp "$R/etc/tattoo/tattoo.json" "$T/signed.json"
python3 - "$R/etc/tattoo/tattoo.json" <<'PY'
import json, sys
p = sys.argv[1]
t = json.load(open(p))
v = t["signature"]["value"]
t["signature"]["value"] = ("B" if v[0] == "A" else "A") + v[1:]
json.dump(t, open(p, "w"))
PY
expect_exit 1 "corrupted signature" $W verify --pubkey "$T/key.pub"
check "bad signature said" contains "$T/out" "bad signature"
expect_exit 3 "a public key is not a signing key" $W write --image-name x \
    --image-version 1 --no-imds --sign-key "$T/key.pub"
expect_exit 3 "missing public key file" $W verify --pubkey "$T/nope.pub"
check "missing key named" contains "$T/err" "$T/nope.pub"

expect_exit 0 "custom key id" $W write --image-name golden \
    --image-version 4 --no-imds --sign-key "$T/key.pem" --key-id release-2026
expect_exit 0 "key id recorded" $W show --field signature.key_id
check "custom key id shown" test "$(cat "$T/out")" = "release-2026"
expect_exit 0 "custom key id verifies with its key" $W verify --pubkey "$T/key.pub"

expect_exit 2 "unknown command" $TATTOO frobnicate
expect_exit 2 "unknown option" $W show --frob
expect_exit 2 "missing root" $TATTOO --root "$T/nope" show
expect_exit 0 "--version" $TATTOO --version
check "version printed" contains "$T/out" "tattoo $(cat "$TT_TOP/VERSION")"
expect_exit 0 "global options after the command" $TATTOO show --root "$R" --field image.version

done_testing
