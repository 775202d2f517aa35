#!/bin/sh
# Issue 13, finding 7: `write --sign-key` must not sign a forged lineage.
# An image arrives with a tattoo whose signature is an attacker's, or
# claims the genuine key with a value that signs nothing, or whose content
# was edited; the pipeline writes its own signed tattoo over it.  The new
# tattoo records what was checked ("parent_verified", inside the digest),
# write warns on stderr or refuses (exit 3), show never prints a claimed
# signer as checked, and verify says the lineage is unverified; a
# genuinely signed parent checked with --parent-pubkey (or trusted_keys)
# is marked verified.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR

for k in real evil pipe; do
	openssl genpkey -algorithm ed25519 -out "$T/$k.pem" 2>/dev/null
	openssl pkey -in "$T/$k.pem" -pubout -out "$T/$k.pub"
done
keyid() { # the key id tattoo derives: ed25519: + 16 bytes of SHA-256
	openssl pkey -pubin -in "$1" -outform DER | tail -c 32 |
	    openssl dgst -sha256 -r | cut -c1-32 | sed 's/^/ed25519:/'
}
REAL=$(keyid "$T/real.pub")
EVIL=$(keyid "$T/evil.pub")
PIPE=$(keyid "$T/pipe.pub")
F=etc/tattoo/tattoo.json

# base NAME [write args...]: root NAME with a base tattoo written by them.
base() {
	_n=$1; shift
	rm -rf "$T/$_n"
	make_root "$T/$_n"
	"$TATTOO" --root "$T/$_n" write --image-name base --image-version 1.0 \
	    --published 2026-11-01T00:00:00Z --no-imds "$@" >/dev/null 2>&1 ||
	    fail "fixture $_n"
}
# rewrite NAME PYTHON: edits the tattoo of NAME as `t`; reseal() puts a
# digest over the content as an attacker can (canonical JSON, no key).
rewrite() {
	python3 - "$T/$1/$F" "$2" <<'PY' || fail "rewrite $1"
import hashlib, json, sys
p = sys.argv[1]
t = json.load(open(p))
def reseal(t):
    body = {k: v for k, v in t.items() if k not in ("digest", "signature")}
    c = json.dumps(body, sort_keys=True, separators=(",", ":"),
                   ensure_ascii=False).encode()
    t["digest"] = "sha256:" + hashlib.sha256(c).hexdigest()
exec(sys.argv[2])
json.dump(t, open(p, "w"), indent=2)
PY
}
# over NAME [args...]: the pipeline's signed write over NAME's tattoo.
over() {
	_n=$1; shift
	run "$TATTOO" --root "$T/$_n" write --image-name golden \
	    --image-version 2.0 --no-imds --sign-key "$T/pipe.pem" "$@"
}
pv() { # the new tattoo's parent_verified as "status key_id"
	python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))
pv = t.get("parent_verified", {})
print(pv.get("status", "-"), pv.get("key_id", "-"))' "$T/$1/$F"
}

# 1. The parent is signed by an attacker's key.
base evil --sign-key "$T/evil.pem"
over evil --parent-pubkey "$T/real.pub"
check "attacker-signed parent: the write goes on (exit 0)" [ "$rc" -eq 0 ]
check "attacker-signed parent: stderr warns it is not verified" \
    contains "$T/err" "warning: the existing tattoo (base 1.0) is not verified"
check "attacker-signed parent: write says so" contains "$T/out" "parent unverified"
check "attacker-signed parent: recorded unverified, no key" \
    [ "$(pv evil)" = "unverified -" ]
expect_exit 0 "attacker-signed parent: show" "$TATTOO" --root "$T/evil" show
check "show: the claimed signer comes with 'unverified'" \
    contains "$T/out" "claims signer $EVIL, unverified"
check "show: never 'signed by' the attacker's key" \
    sh -c "! grep -q 'signed by $EVIL' '$T/out'"
expect_exit 0 "verify with the pipeline's key: the tattoo itself is valid" \
    "$TATTOO" --root "$T/evil" verify --pubkey "$T/pipe.pub"
check "verify: signed by the pipeline" contains "$T/out" "valid: digest matches, signed by $PIPE"
check "verify: the parent is not verified" \
    contains "$T/out" "parent 1 (base 1.0): claims signer $EVIL, unverified"
check "verify: the lineage is unverified" \
    contains "$T/out" "lineage: unverified: parent 1 (base 1.0) is not verified"
expect_exit 0 "verify without keys" "$TATTOO" --root "$T/evil" verify
check "verify without keys: records not authenticated" \
    contains "$T/out" "none of its records is authenticated"
# The same attacker key handed over as --parent-pubkey is what verifies.
base evil2 --sign-key "$T/evil.pem"
over evil2 --parent-pubkey "$T/evil.pub"
check "the key given is the one trusted (control)" [ "$(pv evil2)" = "verified $EVIL" ]

# 2. The parent claims the genuine key; its value signs nothing.  The
# signature is outside the digest, so the digest still matches.
base claim --sign-key "$T/evil.pem"
rewrite claim 't["signature"]["key_id"] = "'"$REAL"'"'
cp "$T/claim/$F" "$T/claim.before"
refused "claimed genuine key, --parent-pubkey of it: refused" 3 "bad signature for key '$REAL'" \
    "$TATTOO" --root "$T/claim" write --image-name golden --image-version 2.0 \
    --no-imds --sign-key "$T/pipe.pem" --parent-pubkey "$T/real.pub"
check "... says how to go on" contains "$T/err" "--allow-untrusted-parent"
same_file "... the image's tattoo is left as it was" "$T/claim.before" "$T/claim/$F"
# The genuine key found through trusted_keys (a host configuration file).
printf 'trusted_keys = %s\n' "$T/real.pub" >"$T/keys.conf"
chmod 0644 "$T/keys.conf"
refused "claimed genuine key, trusted_keys of it: refused" 3 "bad signature" \
    "$TATTOO" --root "$T/claim" --config "$T/keys.conf" write \
    --image-name golden --image-version 2.0 --no-imds --sign-key "$T/pipe.pem"
TATTOO_TRUSTED_KEYS="$T/real.pub" refused "claimed genuine key, TATTOO_TRUSTED_KEYS: refused" 3 \
    "bad signature" "$TATTOO" --root "$T/claim" write \
    --image-name golden --image-version 2.0 --no-imds --sign-key "$T/pipe.pem"
# Without the genuine key nothing can tell: unverified, never verified.
over claim
check "claimed genuine key, no key to check: kept, unverified" \
    [ "$rc:$(pv claim)" = "0:unverified -" ]
check "... warned" contains "$T/err" "is not verified"
expect_exit 0 "show of it" "$TATTOO" --root "$T/claim" show
check "show: claims signer $REAL, unverified" contains "$T/out" "claims signer $REAL, unverified"
check "show: never 'signed by $REAL'" sh -c "! grep -q 'signed by $REAL' '$T/out'"
# --allow-untrusted-parent keeps it, marked invalid, with a warning.
base claim2 --sign-key "$T/evil.pem"
rewrite claim2 't["signature"]["key_id"] = "'"$REAL"'"'
over claim2 --parent-pubkey "$T/real.pub" --allow-untrusted-parent
check "--allow-untrusted-parent: written, marked invalid" \
    [ "$rc:$(pv claim2)" = "0:invalid -" ]
check "... with a warning" contains "$T/err" "marked invalid"
expect_exit 0 "show of the invalid parent" "$TATTOO" --root "$T/claim2" show
check "show: invalid at write" contains "$T/out" "claims signer $REAL, invalid at write"
expect_exit 0 "verify re-checks the parent with the genuine key" \
    "$TATTOO" --root "$T/claim2" verify --pubkey "$T/pipe.pub" --pubkey "$T/real.pub"
check "verify: the parent is invalid now and at write" \
    contains "$T/out" "invalid: bad signature for key '$REAL' (at write: invalid)"
check "verify: lineage unverified" contains "$T/out" "lineage: unverified"
# A value that is no signature at all is invalid even without a key.
base junk --sign-key "$T/real.pem"
rewrite junk 't["signature"]["value"] = "Zm9yZ2Vk"'
refused "a signature value of 6 bytes: refused without any key" 3 "not 64 bytes" \
    "$TATTOO" --root "$T/junk" write --image-name golden --image-version 2.0 \
    --no-imds --sign-key "$T/pipe.pem"

# 3. The parent's content was edited after it was signed.
base edited --sign-key "$T/real.pem"
rewrite edited 't["image"]["version"] = "1.0-patched"'
refused "edited parent (digest mismatch): refused" 3 "digest mismatch" \
    "$TATTOO" --root "$T/edited" write --image-name golden --image-version 2.0 \
    --no-imds --sign-key "$T/pipe.pem"
# ... and with the digest recomputed, the genuine signature no longer fits.
rewrite edited 'reseal(t)'
refused "edited and resealed parent, genuine key: refused" 3 "bad signature" \
    "$TATTOO" --root "$T/edited" write --image-name golden --image-version 2.0 \
    --no-imds --sign-key "$T/pipe.pem" --parent-pubkey "$T/real.pub"

# 4. A forged record: the attacker's tattoo says its own parent was
# verified (and reseals).  Without the pipeline's signature over it, no
# record is believed.
base forged --sign-key "$T/real.pem"
over forged --parent-pubkey "$T/real.pub"
rewrite forged 'del t["signature"]; t["parent"]["image"]["version"] = "0.0-evil"; reseal(t)'
expect_exit 0 "forged record: the digest matches (the attacker resealed)" \
    "$TATTOO" --root "$T/forged" verify
check "forged record: not believed without the signature" \
    contains "$T/out" "the record is in a tattoo whose signature is not verified"
check "forged record: lineage unverified" contains "$T/out" "lineage: unverified"
expect_exit 1 "forged record: verify with the pipeline key says unsigned" \
    "$TATTOO" --root "$T/forged" verify --pubkey "$T/pipe.pub"
check "... not signed" contains "$T/out" "the tattoo is not signed"
# The record is inside the digest: editing it in a signed tattoo breaks it.
base rec --sign-key "$T/evil.pem"
over rec
rewrite rec 't["parent_verified"] = {"status": "verified", "key_id": "'"$REAL"'"}'
expect_exit 1 "an edited parent_verified breaks the signed digest" \
    "$TATTOO" --root "$T/rec" verify --pubkey "$T/pipe.pub"
check "... digest mismatch" contains "$T/out" "digest mismatch"

# 5. A genuinely signed parent, with the genuine key: verified.
base good --sign-key "$T/real.pem"
over good --parent-pubkey "$T/real.pub"
check "genuine parent: written" [ "$rc" -eq 0 ]
check "genuine parent: recorded verified with the genuine key" \
    [ "$(pv good)" = "verified $REAL" ]
check "genuine parent: write says so" contains "$T/out" "parent verified with $REAL"
check "genuine parent: no warning" sh -c "! grep -q warning '$T/err'"
expect_exit 0 "genuine parent: show" "$TATTOO" --root "$T/good" show
check "show: signed by, verified at write" \
    contains "$T/out" "signed by $REAL (verified with $REAL at write)"
expect_exit 0 "genuine parent: verify with the pipeline key" \
    "$TATTOO" --root "$T/good" verify --pubkey "$T/pipe.pub"
check "verify: verified at write, signed by the pipeline" \
    contains "$T/out" "parent 1 (base 1.0): signed by $REAL (verified with $REAL at write)"
check "verify: lineage verified" contains "$T/out" "lineage: verified (1 generation)"
expect_exit 0 "genuine parent: verify re-checks with both keys" \
    "$TATTOO" --root "$T/good" verify --pubkey "$T/pipe.pub" --pubkey "$T/real.pub"
check "verify: verified now" contains "$T/out" "signed by $REAL, verified with $REAL (at write: verified)"
# trusted_keys in a host configuration file does the same.
base good2 --sign-key "$T/real.pem"
over good2 --config "$T/keys.conf"
check "genuine parent through trusted_keys: verified" [ "$(pv good2)" = "verified $REAL" ]

# 6. An unsigned parent: kept, marked unsigned, warned.
base plain
over plain --parent-pubkey "$T/real.pub"
check "unsigned parent: kept (exit 0)" [ "$rc" -eq 0 ]
check "unsigned parent: marked unsigned" [ "$(pv plain)" = "unsigned -" ]
check "unsigned parent: warned" contains "$T/err" "is not signed"
expect_exit 0 "unsigned parent: show" "$TATTOO" --root "$T/plain" show
check "show: unsigned" grep -q '^ *unsigned$' "$T/out"

# 7. Parent keys that are not keys, or not there: refused before writing.
base nokey --sign-key "$T/real.pem"
refused "a missing --parent-pubkey" 3 "$T/nope.pub" \
    "$TATTOO" --root "$T/nokey" write --image-name g --image-version 2 \
    --no-imds --parent-pubkey "$T/nope.pub"
refused "a private key as --parent-pubkey" 3 "not a PEM public key" \
    "$TATTOO" --root "$T/nokey" write --image-name g --image-version 2 \
    --no-imds --parent-pubkey "$T/real.pem"
done_testing
