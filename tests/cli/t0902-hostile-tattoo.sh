#!/bin/sh
# tattoo.json shaped by an attacker or a broken image: truncated, binary,
# deep, huge, with NUL bytes, the wrong type, or not a file at all.  show
# refuses it (3, naming the file), verify says invalid (1, its documented
# answer for a malformed tattoo) and write leaves it untouched (3).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

tattoo_root "$T/good" || { fail "fixture"; done_testing; exit 1; }
f=etc/tattoo/tattoo.json

# hostile NAME: a copy of the good root whose tattoo is made by stdin's
# shell commands in the directory etc/tattoo (the file is "tattoo.json").
hostile() {
	rm -rf "$T/$1"
	cp -a "$T/good" "$T/$1"
	(cd "$T/$1/etc/tattoo" && rm -f tattoo.json && sh -e) ||
	    fail "fixture $1"
}

# check_refused NAME: show, verify and write on root NAME.
check_refused() {
	refused "$1: show refuses it" 3 "$T/$1/$f" \
	    "$TATTOO" --root "$T/$1" show
	refused "$1: verify says invalid" 1 "invalid: $T/$1/$f" \
	    "$TATTOO" --root "$T/$1" verify
	[ -f "$T/$1/$f" ] && cp "$T/$1/$f" "$T/$1.before"
	refused "$1: write refuses to build on it" 3 "$T/$1/$f" \
	    "$TATTOO" --root "$T/$1" write --image-name n --image-version 2 \
	    --no-imds
	if [ -f "$T/$1.before" ]; then
		same_file "$1: write left it as it was" "$T/$1.before" "$T/$1/$f"
	fi
}

hostile truncated <<EOF
head -c 200 "$T/good.orig" >tattoo.json
EOF
check_refused truncated

hostile binary <<'EOF'
printf '\177ELF\002\001\001\000\000\000\377\376\375' >tattoo.json
head -c 4096 /dev/urandom >>tattoo.json
EOF
check_refused binary

hostile empty <<'EOF'
: >tattoo.json
EOF
check_refused empty

hostile nul <<'EOF'
printf '{"schema": 1,\000 "x": 1}' >tattoo.json
EOF
check_refused nul

hostile deep <<'EOF'
python3 -c 'import sys; sys.stdout.write("[" * 100000 + "]" * 100000)' >tattoo.json
EOF
check_refused deep

hostile deep-object <<'EOF'
python3 -c 'import sys; sys.stdout.write("{\"a\":" * 65 + "1" + "}" * 65)' >tattoo.json
EOF
check_refused deep-object

hostile huge <<'EOF'
python3 -c 'import sys; sys.stdout.write("{\"pad\": \"" + "A" * (2 << 20) + "\"}")' >tattoo.json
EOF
check_refused huge
contains "$T/err" "larger than 1 MiB" && pass "huge: says why" ||
    fail "huge: says why" "$T/err"

hostile array <<'EOF'
printf '[1, 2, 3]\n' >tattoo.json
EOF
check_refused array

hostile trailing <<EOF
cat "$T/good.orig" >tattoo.json
printf '{}' >>tattoo.json
EOF
check_refused trailing

# Duplicate keys: json-c would keep the last, another reader the first,
# and both would see a "valid" digest.
hostile duplicate-key <<EOF
sed 's/^  "image": {/  "image": { "name": "forged" }, "image": {/' "$T/good.orig" >tattoo.json
grep -q forged tattoo.json
EOF
check_refused duplicate-key
contains "$T/err" "same key twice" && pass "duplicate-key: says why" ||
    fail "duplicate-key: says why" "$T/err"

hostile directory <<'EOF'
mkdir tattoo.json
EOF
check_refused directory

hostile fifo <<'EOF'
mkfifo tattoo.json
EOF
check_refused fifo
[ -p "$T/fifo/$f" ] && pass "fifo: left in place" || fail "fifo: left in place"

hostile chardev <<'EOF'
mknod tattoo.json c 1 5
EOF
check_refused chardev

hostile socket <<'EOF'
python3 -c 'import socket; socket.socket(socket.AF_UNIX).bind("tattoo.json")'
EOF
check_refused socket

# An absolute symlink to /dev/zero resolves inside the root: with no
# dev/zero there, there is no tattoo at all (show: 2, verify: absent).
hostile symlink-absent <<'EOF'
ln -s /dev/zero tattoo.json
EOF
refused "symlink to /dev/zero, none in the root: show" 2 "no tattoo" \
    "$TATTOO" --root "$T/symlink-absent" show
refused "symlink to /dev/zero, none in the root: verify" 2 "absent" \
    "$TATTOO" --root "$T/symlink-absent" verify

# ... and with a device node at the root's /dev/zero, it is refused.
hostile symlink-device <<'EOF'
mkdir -p ../../dev
mknod ../../dev/zero c 1 5
ln -s ../../../../../../../../dev/zero tattoo.json
EOF
check_refused symlink-device

# A symlink loop is an input error too, never a hang.
hostile loop <<'EOF'
ln -s a tattoo.json
ln -s tattoo.json a
EOF
check_refused loop

# Schema and fields of the wrong type: verify names the field.
hostile wrong-types <<'EOF'
printf '{"schema": "1", "source": [], "os": 5, "image": null, "digest": 7}\n' >tattoo.json
EOF
refused "wrong types: verify names the field" 1 "schema" \
    "$TATTOO" --root "$T/wrong-types" verify
refused "wrong types: show prints what it can" 0 "digest" \
    "$TATTOO" --root "$T/wrong-types" show
refused "wrong types: show --field on a number" 0 "7" \
    "$TATTOO" --root "$T/wrong-types" show --field digest
done_testing
