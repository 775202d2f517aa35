#!/bin/sh
# os-release and key files shaped by an attacker or a broken pipeline:
# garbage, NUL bytes, endless lines, FIFOs and devices.  Garbage lines of
# os-release are skipped as systemd does; anything that is not a regular
# file, and any key that is not an Ed25519 PEM key, is refused by name.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

make_root "$T/r"
# osr NAME: a copy of the root whose usr/lib/os-release stdin's commands
# make (etc/os-release links to it).
osr() {
	rm -rf "$T/$1"; cp -a "$T/r" "$T/$1"
	(cd "$T/$1/usr/lib" && rm -f os-release && sh -e) || fail "fixture $1"
}
# The write command, for a root NAME: $TATTOO --root $T/NAME $W
W="write --image-name g --image-version 1 --no-imds"

osr garbage <<'EOF'
head -c 20000 /dev/urandom >os-release
printf '\nID=debian\n' >>os-release
EOF
completes "garbage os-release: write completes" 0 "$TATTOO" --root "$T/garbage" $W
completes "... and the tattoo verifies" 0 "$TATTOO" --root "$T/garbage" verify

osr nul <<'EOF'
printf 'ID="deb\000ian"\nVERSION_ID=12\n' >os-release
EOF
completes "NUL in os-release: the line is skipped" 0 "$TATTOO" --root "$T/nul" $W
check "... and the field stays empty" \
    [ -z "$("$TATTOO" --root "$T/nul" show --field os.id)" ]

osr long <<'EOF'
python3 -c 'print("PRETTY_NAME=" + "x" * 60000)' >os-release
EOF
completes "a 60 KB os-release line: skipped" 0 "$TATTOO" --root "$T/long" $W

osr huge <<'EOF'
python3 -c 'print("# x\n" * 40000)' >os-release
EOF
refused "os-release over 64 KiB" 3 "os-release" "$TATTOO" --root "$T/huge" $W

osr fifo <<'EOF'
mkfifo os-release
EOF
refused "os-release is a FIFO" 3 "not a regular file" "$TATTOO" --root "$T/fifo" $W

osr chardev <<'EOF'
mknod os-release c 1 5
EOF
refused "os-release is a device" 3 "not a regular file" "$TATTOO" --root "$T/chardev" $W

osr symlink-zero <<'EOF'
ln -s /dev/zero os-release
EOF
completes "os-release -> /dev/zero, none in the root: no OS fields" 0 \
    "$TATTOO" --root "$T/symlink-zero" $W

# Key files (host paths, named on the command line).
mkfifo "$T/fifo.pem"
head -c 3000 /dev/urandom >"$T/garbage.pem"
printf -- '-----BEGIN PRIVATE KEY-----\n%s\n' "AAAA" >"$T/truncated.pem"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
    -out "$T/rsa.pem" 2>/dev/null
for k in "$T/fifo.pem" /dev/zero "$T/garbage.pem" "$T/truncated.pem" \
    "$T/missing.pem" "$T"; do
	refused "--sign-key $(basename "$k")" 3 "$k" \
	    "$TATTOO" --root "$T/r" write --image-name g --image-version 1 \
	    --no-imds --sign-key "$k"
done
refused "--sign-key RSA" 3 "is not an Ed25519 key" \
    "$TATTOO" --root "$T/r" write --image-name g --image-version 1 \
    --no-imds --sign-key "$T/rsa.pem"
completes "an unsigned tattoo for verify" 0 \
    "$TATTOO" --root "$T/r" write --image-name g --image-version 1 --no-imds
for k in "$T/fifo.pem" /dev/zero "$T/garbage.pem" "$T/missing.pem"; do
	refused "--pubkey $(basename "$k")" 3 "$k" \
	    "$TATTOO" --root "$T/r" verify --pubkey "$k"
done
done_testing
