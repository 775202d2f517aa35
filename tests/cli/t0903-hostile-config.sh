#!/bin/sh
# agent.conf shaped by an attacker or a broken image: NUL bytes, overlong
# lines, garbage, insecure permissions, another owner, or not a file at
# all.  As the host's configuration (--config) every command refuses it
# before doing anything (3, or 4 where the environment is at fault),
# naming the file and, for content, the line.  As the image's own
# etc/tattoo/agent.conf under --root it is data: a warning naming the
# file says it is ignored, and the command runs with the host's
# configuration.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

tattoo_root "$T/good" || { fail "fixture"; done_testing; exit 1; }
c=etc/tattoo/agent.conf

# conf NAME: a copy of the good root; stdin's commands make
# etc/tattoo/agent.conf (awk, not a python3 start, for the long ones).
conf() {
	rm -rf "$T/$1"
	cp -a "$T/good" "$T/$1"
	(cd "$T/$1/etc/tattoo" && sh -e) || fail "fixture $1"
}

# check_conf NAME WANT TEXT: show and write refuse the file as the host's
# configuration; under --root, as the image's own, it is a warning.
check_conf() {
	refused "$1: show refuses the host config" "$2" "$3" \
	    "$TATTOO" --root "$T/good" --config "$T/$1/$c" show
	refused "$1: write refuses the host config" "$2" "$3" \
	    "$TATTOO" --root "$T/good" --config "$T/$1/$c" write \
	    --image-name n --image-version 2 --no-imds
	same_file "$1: the tattoo is untouched" "$T/good.orig" \
	    "$T/good/etc/tattoo/tattoo.json"
	completes "$1: in the image, show runs" 0 "$TATTOO" --root "$T/$1" show
	if grep -qF -- "$T/$1/$c" "$T/err" && grep -q "ignored" "$T/err"; then
		pass "$1: ... warning that the image's file is ignored"
	else
		fail "$1: ... warning that the image's file is ignored" \
		    "$T/err"
	fi
	completes "$1: in the image, write runs" 0 "$TATTOO" --root "$T/$1" \
	    write --image-name n --image-version 2 --no-imds
}

conf nul <<'EOF'
printf 'tags = on\nstate_dir = /var/lib/x\000y\n' >agent.conf
EOF
check_conf nul 3 "$T/nul/$c:2: NUL byte"

conf long-line <<'EOF'
awk 'BEGIN { s = sprintf("%5000s", ""); gsub(/ /, "x", s); print "profile = " s }' >agent.conf
EOF
check_conf long-line 3 "$T/long-line/$c:1: line longer than"

conf long-value <<'EOF'
awk 'BEGIN { s = sprintf("%4000s", ""); gsub(/ /, "x", s); print "# ok\nimds_url = http://" s }' >agent.conf
EOF
check_conf long-value 3 "$T/long-value/$c:2:"

conf garbage <<'EOF'
head -c 3000 /dev/urandom | tr -d '\000=' >agent.conf
EOF
check_conf garbage 3 "$T/garbage/$c:"

conf binary-elf <<'EOF'
printf '\177ELF\002\001\001' >agent.conf
EOF
check_conf binary-elf 3 "$T/binary-elf/$c:1: expected 'key = value'"

conf unknown-key <<'EOF'
printf '# comment\n\nfrobnicate = 1\n' >agent.conf
EOF
check_conf unknown-key 3 "$T/unknown-key/$c:3: unknown key 'frobnicate'"

conf bad-number <<'EOF'
printf 'spool_max_bytes = 99999999999999999999999\n' >agent.conf
EOF
check_conf bad-number 3 "'spool_max_bytes' must be a number"

conf bad-enum <<'EOF'
printf 'collector_format = xml\n' >agent.conf
EOF
check_conf bad-enum 3 "'collector_format' must be one of"

conf duplicate <<'EOF'
printf 'tags = on\ntags = off\n' >agent.conf
EOF
check_conf duplicate 3 "$T/duplicate/$c:2: key 'tags' is set twice"

conf too-large <<'EOF'
awk 'BEGIN { for (i = 0; i < 8000; i++) print "# padding"; print "" }' >agent.conf
EOF
check_conf too-large 3 "larger than 64 KiB"

conf group-writable <<'EOF'
printf 'tags = on\n' >agent.conf
chmod 0664 agent.conf
EOF
check_conf group-writable 3 "'$T/group-writable/$c' is group- or world-writable"

conf world-writable <<'EOF'
printf 'tags = on\n' >agent.conf
chmod 0646 agent.conf
EOF
check_conf world-writable 3 "'$T/world-writable/$c' is group- or world-writable"

if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
	conf other-owner <<'EOF'
printf 'tags = on\n' >agent.conf
chown nobody agent.conf
EOF
	check_conf other-owner 3 "'$T/other-owner/$c' is owned by uid"
else
	pass "# SKIP other owner (needs root and nobody)"
fi

conf fifo <<'EOF'
mkfifo agent.conf
EOF
check_conf fifo 3 "'$T/fifo/$c': not a regular file"

conf chardev <<'EOF'
mknod agent.conf c 1 5
EOF
check_conf chardev 3 "'$T/chardev/$c': not a regular file"

conf directory <<'EOF'
mkdir agent.conf
EOF
check_conf directory 3 "'$T/directory/$c': Is a directory"

# An absolute symlink resolves inside the root: to the root's own
# dev/zero, a device node there, which is refused.
conf symlink-device <<'EOF'
mkdir -p ../../dev
mknod ../../dev/zero c 1 5
ln -s /dev/zero agent.conf
EOF
check_conf symlink-device 3 "not a regular file"

# A symlink to a missing file inside the root: a missing image config
# is no error and nothing to warn about, whatever the host has there.
conf symlink-absent <<'EOF'
ln -s /etc/passwd agent.conf
EOF
completes "symlink to a path absent in the root: no config" 0 \
    "$TATTOO" --root "$T/symlink-absent" show
check "... and no warning" sh -c "! grep -q agent.conf '$T/err'"

# --config names a host path, used as given; a device there is refused
# without being read.
refused "--config /dev/zero" 3 "'/dev/zero': not a regular file" \
    "$TATTOO" --root "$T/good" --config /dev/zero show
refused "--config /dev/null" 3 "'/dev/null': not a regular file" \
    "$TATTOO" --root "$T/good" --config /dev/null show
refused "--config missing" 3 "$T/nope.conf" \
    "$TATTOO" --root "$T/good" --config "$T/nope.conf" show
mkfifo "$T/fifo.conf"
refused "--config a FIFO" 3 "'$T/fifo.conf': not a regular file" \
    "$TATTOO" --root "$T/good" --config "$T/fifo.conf" show

# Environment overrides are input too.
refused "bad environment value" 3 "TATTOO_TAGS" \
    env TATTOO_TAGS=maybe "$TATTOO" --root "$T/good" show
refused "overlong environment value" 3 "TATTOO_PROFILE" \
    env TATTOO_PROFILE="$(head -c 100000 /dev/zero | tr '\0' p)" \
    "$TATTOO" --root "$T/good" show
done_testing
