#!/bin/sh
# Issue 13: trusted keys are host files an image cannot reach or replace.
# trusted_keys (and --pubkey, --parent-pubkey) name host paths, never
# paths inside --root; a key file that is group- or world-writable or
# owned by another user is refused (exit 3, naming it) by every command
# that reads it, as agent.conf is; a relative path in trusted_keys is
# refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
mkdir -p "$T/state" "$T/keys"
printf '{"report": {"time": "2026-11-24T06:00:00Z"}}\n' >"$T/state/status.json"
for k in real evil; do
	openssl genpkey -algorithm ed25519 -out "$T/keys/$k.pem" 2>/dev/null
	openssl pkey -in "$T/keys/$k.pem" -pubout -out "$T/keys/$k.pub"
	chmod 0644 "$T/keys/$k.pub"
done
R="$T/root"
make_root "$R"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.0 \
    --no-imds --sign-key "$T/keys/evil.pem" >/dev/null 2>&1 || fail "fixture"

# hostconf VALUE: a root-owned 0644 host configuration with trusted_keys.
hostconf() {
	printf 'trusted_keys = %s\n' "$1" >"$T/keys.conf"
	chmod 0644 "$T/keys.conf"
}

# every DESC NAME: verify, status, report and write all refuse with 3.
every() {
	refused "$1: verify" 3 "$2" "$TATTOO" --root "$R" --config "$T/keys.conf" verify
	refused "$1: status" 3 "$2" "$TATTOO" --root "$R" --config "$T/keys.conf" status
	refused "$1: report" 3 "$2" "$TATTOO" --root "$R" --config "$T/keys.conf" report --dry-run
	cp "$R/etc/tattoo/tattoo.json" "$T/before.json"
	refused "$1: write" 3 "$2" "$TATTOO" --root "$R" --config "$T/keys.conf" \
	    write --image-name golden --image-version 2 --no-imds
	same_file "$1: write left the tattoo" "$T/before.json" "$R/etc/tattoo/tattoo.json"
}

# The image holds the attacker's key at the very path the host names;
# the host has none there: the image's copy is never read.
mkdir -p "$R$T/keys"
cp "$T/keys/evil.pub" "$R$T/keys/trusted.pub"
hostconf "$T/keys/trusted.pub"
every "a key path that exists only inside the image" "cannot read key '$T/keys/trusted.pub'"
# With the host's genuine key there, the image's key is still not used.
cp "$T/keys/real.pub" "$T/keys/trusted.pub"
expect_exit 1 "the host's key is the one used: the attacker's tattoo is untrusted" \
    "$TATTOO" --root "$R" --config "$T/keys.conf" verify
check "... signed by unknown key" contains "$T/out" "signed by unknown key"

# Writable by others: anyone could swap the trust anchor.
cp "$T/keys/real.pub" "$T/keys/gw.pub"
chmod 0664 "$T/keys/gw.pub"
hostconf "$T/keys/gw.pub"
every "a group-writable key file" "group- or world-writable"
chmod 0646 "$T/keys/gw.pub"
every "a world-writable key file" "group- or world-writable"
refused "a world-writable --pubkey" 3 "group- or world-writable" \
    "$TATTOO" --root "$R" verify --pubkey "$T/keys/gw.pub"
refused "a world-writable --parent-pubkey" 3 "group- or world-writable" \
    "$TATTOO" --root "$R" write --image-name golden --image-version 2 \
    --no-imds --parent-pubkey "$T/keys/gw.pub"
# Owned by another user.
cp "$T/keys/real.pub" "$T/keys/other.pub"
chown 4242 "$T/keys/other.pub"
hostconf "$T/keys/other.pub"
every "a key file owned by another user" "owned by uid 4242"
# Relative: it would depend on the working directory.
hostconf "keys/real.pub"
every "a relative path in trusted_keys" "not an absolute path"
# Not a key.
hostconf "$T/keys.conf"
every "a file that is not a key" "not a PEM public key"

# Lists: spaces and commas; the matching key verifies.
"$TATTOO" --root "$R" write --image-name golden --image-version 1.1 --no-imds \
    --sign-key "$T/keys/real.pem" --parent-pubkey "$T/keys/evil.pub" >/dev/null 2>&1 ||
    fail "fixture: real-signed"
hostconf "$T/keys/evil.pub, $T/keys/real.pub"
expect_exit 0 "a list with commas: the second key verifies" \
    "$TATTOO" --root "$R" --config "$T/keys.conf" verify
check "... signed by the trusted key" contains "$T/out" "valid: digest matches, signed by ed25519:"
check "... and the parent re-checked with the first" contains "$T/out" "lineage: verified"
TATTOO_TRUSTED_KEYS="$T/keys/real.pub	$T/keys/evil.pub" \
    expect_exit 0 "a list in the environment with a tab" "$TATTOO" --root "$R" verify
list=""
for i in $(seq 17); do list="$list $T/keys/real.pub"; done
hostconf "$list"
refused "more than 16 trusted keys" 3 "more than 16 trusted keys" \
    "$TATTOO" --root "$R" --config "$T/keys.conf" verify
done_testing
