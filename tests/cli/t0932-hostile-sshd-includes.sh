#!/bin/sh
# Issue 13 finding 6: sshd_config Include over hostile trees.  A file that
# includes itself, a cycle through another name, and four levels of 64
# files that each include the next level (16 million reads before) each
# finish within seconds with the sshd rules "error" naming the file; the
# other rules are judged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
TT_HANG_S=${TT_HANG_S_BUDGET:-30}

R="$T/root"

debian_root() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/var/lib/dpkg"
	printf 'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\n\n' \
	    >"$R/var/lib/dpkg/status"
}

# The main file includes itself.
debian_root
printf 'PermitRootLogin no\nInclude /etc/ssh/sshd_config\n' >"$R/etc/ssh/sshd_config"
completes "self-include: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "self-include: the rule is error naming the file" \
    sshd_disable_root_login "include loop: '/etc/ssh/sshd_config' includes itself"

# A drop-in includes the main file under another name (a relative path
# through a symlinked directory).
debian_root
printf 'Include sshd_config.d/*.conf\nPermitRootLogin no\n' >"$R/etc/ssh/sshd_config"
ln -s .. "$R/etc/ssh/sshd_config.d/parent"
printf 'Include /etc/ssh/sshd_config.d/parent/sshd_config\n' \
    >"$R/etc/ssh/sshd_config.d/10-loop.conf"
completes "cycle through another name: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "cycle through another name: error naming both files" \
    sshd_set_max_auth_tries \
    "include loop: '/etc/ssh/sshd_config.d/parent/sshd_config' (the file '/etc/ssh/sshd_config') is included again by '/etc/ssh/sshd_config.d/10-loop.conf'"

# Four levels of 64 files, each including every file of the next level:
# 64^4 reads.  The audit's include budget stops it.
debian_root
python3 - "$R/etc/ssh" <<'PY'
import os, sys
top = sys.argv[1]
open(os.path.join(top, "sshd_config"), "w").write(
    "PermitRootLogin no\nInclude /etc/ssh/l0/*.conf\n")
for lvl in range(4):
    d = os.path.join(top, "l%d" % lvl)
    os.makedirs(d)
    for i in range(64):
        with open(os.path.join(d, "f%02d.conf" % i), "w") as f:
            f.write("MaxAuthTries 4\n")
            if lvl < 3:
                f.write("Include /etc/ssh/l%d/*.conf\n" % (lvl + 1))
PY
completes "64^4 includes: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "64^4 includes: budget exceeded naming a file" \
    sshd_set_max_auth_tries \
    "budget exceeded: more than 4096 files read by include expansion in this audit while reading '/etc/ssh/l"
check "64^4 includes: the warning names the budget" contains "$T/err" "more than 4096 files read by include expansion"

# An ordinary Include is unchanged.
debian_root
printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
printf 'PermitRootLogin no\n' >"$R/etc/ssh/sshd_config.d/10-root.conf"
completes "an ordinary Include: audit completes" 1 "$TATTOO" --root "$R" audit --format json
check "an ordinary Include: the first value wins" python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["id"] == "sshd_disable_root_login"]
assert r[0]["result"] == "pass", r' "$T/out"

done_testing
