#!/bin/sh
# Issue 13: unknown members inside "signature" are refused.  The
# signature is outside the digest, so anything an image adds there
# ("trusted": true, a second key id) is unauthenticated: verify refuses it
# (exit 1, naming the member), show warns of it, write will not build on
# it, and the same inside a parent is named too.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
openssl genpkey -algorithm ed25519 -out "$T/k.pem" 2>/dev/null
openssl pkey -in "$T/k.pem" -pubout -out "$T/k.pub"
R="$T/root"
make_root "$R"
F="$R/etc/tattoo/tattoo.json"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.0 \
    --no-imds --sign-key "$T/k.pem" >/dev/null 2>&1 || fail "fixture"
cp "$F" "$T/good.json"

# member NAME JSON-VALUE: the good tattoo with signature.NAME added.
member() {
	python3 - "$T/good.json" "$F" "$1" "$2" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["signature"][sys.argv[3]] = json.loads(sys.argv[4])
json.dump(t, open(sys.argv[2], "w"), indent=2)
PY
}

for m in trusted:true verified_by:'"ed25519:00"' Alg:'"ed25519"' x:null; do
	name=${m%%:*}
	member "$name" "${m#*:}"
	refused "signature.$name: verify refuses it" 1 "unknown member '$name'" \
	    "$TATTOO" --root "$R" verify
	refused "signature.$name: refused with the right key too" 1 "unknown member '$name'" \
	    "$TATTOO" --root "$R" verify --pubkey "$T/k.pub"
	refused "signature.$name: show warns" 0 "unknown member '$name'" \
	    "$TATTOO" --root "$R" show
	check "signature.$name: the warning is on stderr" contains "$T/err" "warning: show:"
	cp "$F" "$T/before.json"
	refused "signature.$name: write will not build on it" 3 "unknown member '$name'" \
	    "$TATTOO" --root "$R" write --image-name golden --image-version 2.0 \
	    --no-imds --sign-key "$T/k.pem" --parent-pubkey "$T/k.pub"
	same_file "signature.$name: left as it was" "$T/before.json" "$F"
done

# The value must be 64 bytes: anything else is malformed, key or not.
python3 - "$T/good.json" "$F" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
t["signature"]["value"] = "AAAA"
json.dump(t, open(sys.argv[2], "w"), indent=2)
PY
refused "a 3-byte signature value: invalid" 1 "not 64 bytes" \
    "$TATTOO" --root "$R" verify

# The same in a parent: kept with --allow-untrusted-parent, then named.
member trusted true
expect_exit 0 "a parent with an unknown member, --allow-untrusted-parent" \
    "$TATTOO" --root "$R" write --image-name golden --image-version 2.0 \
    --no-imds --sign-key "$T/k.pem" --allow-untrusted-parent
check "... written with a warning naming it" contains "$T/err" "unknown member 'trusted'"
refused "show names the parent's unknown member" 0 "parent 1 has an unknown member 'trusted'" \
    "$TATTOO" --root "$R" show
expect_exit 0 "verify: the new tattoo is valid" "$TATTOO" --root "$R" verify --pubkey "$T/k.pub"
check "verify: its parent is invalid" contains "$T/out" "invalid: field 'signature' has an unknown member 'trusted'"
check "verify: lineage unverified" contains "$T/out" "lineage: unverified"
done_testing
