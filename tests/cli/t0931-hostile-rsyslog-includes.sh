#!/bin/sh
# Issue 13 finding 6: rsyslog $IncludeConfig / include() over hostile
# trees.  A glob through a symlink to "." and one to ".." (which listed
# directories without end), and a drop-in that includes its own pattern,
# each finish within seconds with the rsyslog rule "error" naming the
# directory or file; the other rules are judged.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
TT_HANG_S=${TT_HANG_S_BUDGET:-30}

R="$T/root"

debian_root() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/rsyslog.d" "$R/var/lib/dpkg"
	printf 'Package: rsyslog\nStatus: install ok installed\nVersion: 8.2302.0-1\n\n' \
	    >"$R/var/lib/dpkg/status"
}

# A glob of fourteen "*" levels over a directory holding a symlink to "."
# and one to "..": every level multiplied the directories listed.
debian_root
printf '$FileCreateMode 0640\n$IncludeConfig /etc/rsyslog.d/*/*/*/*/*/*/*/*/*/*/*/*/*/*.conf\n' \
    >"$R/etc/rsyslog.conf"
ln -s . "$R/etc/rsyslog.d/self"
ln -s .. "$R/etc/rsyslog.d/up"
mkdir -p "$R/etc/rsyslog.d/sub"
ln -s ../.. "$R/etc/rsyslog.d/sub/top"
completes "symlinks to . and ..: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "symlinks to . and ..: the rule is error naming the directory" \
    rsyslog_filecreatemode "glob loop: '/etc/rsyslog.d/self' is a directory the pattern already lists"

# Only the symlink to "..": found too.
rm "$R/etc/rsyslog.d/self"
completes "symlink to ..: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "symlink to ..: the rule is error naming the directory" \
    rsyslog_filecreatemode "glob loop: '/etc/rsyslog.d/"

# A drop-in that includes the pattern that matched it (RainerScript
# include()), under a name of its own.
debian_root
printf '$IncludeConfig /etc/rsyslog.d/*.conf\n' >"$R/etc/rsyslog.conf"
printf '$FileCreateMode 0600\ninclude(file="/etc/rsyslog.d/*.conf")\n' \
    >"$R/etc/rsyslog.d/50-loop.conf"
completes "include() of its own pattern: audit completes" 1 "$TATTOO" --root "$R" audit --format json
rule_error "include() of its own pattern: error naming the file" \
    rsyslog_filecreatemode "include loop: '/etc/rsyslog.d/50-loop.conf' includes itself"

# A directory matched by the pattern is skipped, as before.
debian_root
printf '$IncludeConfig /etc/rsyslog.d/*\n' >"$R/etc/rsyslog.conf"
mkdir -p "$R/etc/rsyslog.d/adir"
printf '$FileCreateMode 0600\n' >"$R/etc/rsyslog.d/z.conf"
completes "an ordinary tree: audit completes" 1 "$TATTOO" --root "$R" audit --format json
check "an ordinary tree: the rule is judged" python3 -c '
import json, sys
r = [x for x in json.load(open(sys.argv[1]))["results"] if x["id"] == "rsyslog_filecreatemode"]
assert r[0]["result"] == "pass", r' "$T/out"

done_testing
