#!/bin/sh
# Issue 13 finding 6: sudoers #includedir / @include loops.  A drop-in that
# includes its own directory under another spelling (../sudoers.d), eight
# of them (8^16 reads before: the loop check went by name), a directory
# symlink to "." inside the included directory, and a file including
# itself each finish within seconds with the sudo rules "error" naming
# the file; the other rules are judged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
TT_HANG_S=${TT_HANG_S_BUDGET:-30}

R="$T/root"

debian_root() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/sudoers.d" "$R/var/lib/dpkg"
	printf 'Package: sudo\nStatus: install ok installed\nVersion: 1.9.13p3-1\n\n' \
	    >"$R/var/lib/dpkg/status"
	printf 'Defaults use_pty\n@includedir /etc/sudoers.d\n' >"$R/etc/sudoers"
}

# Eight drop-ins, each including the directory under another spelling.
debian_root
for n in a b c d e f g h; do
	printf 'Defaults:%s timestamp_timeout=5\n#includedir /etc/sudoers.d/../sudoers.d\n' $n \
	    >"$R/etc/sudoers.d/$n"
done
completes "includedir loop: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "includedir loop: the rule is error naming the file" \
    sudo_add_use_pty "include loop: '/etc/sudoers.d/../sudoers.d/a' (the file '/etc/sudoers.d/a') includes itself"

# A symlink to "." among the drop-ins (no dot in its name, so sudo would
# take it as a file): a directory is skipped, the loop comes from @include.
debian_root
ln -s . "$R/etc/sudoers.d/self"
printf '@include /etc/sudoers.d/self/me\n' >"$R/etc/sudoers.d/me"
completes "includedir with a symlink to .: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "includedir with a symlink to .: error naming the file" \
    sudo_add_use_pty "include loop: '/etc/sudoers.d/self/me' (the file '/etc/sudoers.d/me') includes itself"

# The main file includes itself.
debian_root
printf 'Defaults use_pty\n#include /etc/sudoers\n' >"$R/etc/sudoers"
completes "self-include: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "self-include: error naming the file" \
    sudo_add_use_pty "include loop: '/etc/sudoers' includes itself"

# An ordinary includedir is judged as before.
debian_root
printf 'Defaults logfile="/var/log/sudo.log"\n' >"$R/etc/sudoers.d/log"
completes "an ordinary includedir: audit completes" 1 "$TATTOO" --root "$R" audit --format json
check "an ordinary includedir: judged" python3 -c '
import json, sys
r = {x["id"]: x for x in json.load(open(sys.argv[1]))["results"]}
assert r["sudo_add_use_pty"]["result"] == "pass", r["sudo_add_use_pty"]
assert r["sudo_custom_logfile"]["result"] == "pass", r["sudo_custom_logfile"]' "$T/out"

done_testing
