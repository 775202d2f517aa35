#!/bin/sh
# A secret in a file byte for byte as its Debian package shipped it (dpkg's
# md5sums) is the distribution's example, not the builder's leftover: it is
# counted as "packaged", not reported; the same file edited, a file no list
# names, or a list naming another digest keep the finding.  Compressed man
# pages too (the stock Debian 12 tree had 15 such findings).
. "$(dirname "$0")/../lib.sh"

R="$T/root"
export TATTOO_STATE_DIR="$T/state"
make_root "$R"
mkdir -p "$R/usr/share/doc/app" "$R/usr/share/man/man1" "$R/etc/app" \
    "$R/var/lib/dpkg/info"
key="AWS_ACCESS_KEY_ID=AKIAQX7ZB3M2KD5LP6WN"
printf '# example\n%s\n' "$key" >"$R/usr/share/doc/app/example.conf"
printf '.TH APP 1\n.SH EXAMPLES\n%s\n' "$key" | gzip -9n >"$R/usr/share/man/man1/app.1.gz"
printf '%s\n' "$key" >"$R/etc/app/app.conf"
printf '%s\n' "$key" >"$R/usr/share/doc/app/other.conf"
md5() { md5sum "$R$1" | cut -c1-32; }
{
	echo "$(md5 /usr/share/doc/app/example.conf)  usr/share/doc/app/example.conf"
	echo "$(md5 /usr/share/man/man1/app.1.gz)  usr/share/man/man1/app.1.gz"
	# A conffile as shipped, before the builder put the key in.
	echo "0123456789abcdef0123456789abcdef  etc/app/app.conf"
} >"$R/var/lib/dpkg/info/app.md5sums"

run "$TATTOO" --root "$R" scrub --check --format json
check "exit 1: the builder's secrets remain" [ "$rc" -eq 1 ]
check "the shipped example and man page are not reported; the edited conffile and the unlisted file are" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = sorted(f["path"] for f in d["findings"] if f["kind"] == "secret")
assert got == ["/etc/app/app.conf", "/usr/share/doc/app/other.conf"], got
assert d["summary"]["packaged"] == 2, d["summary"]' "$T/out"
run "$TATTOO" --root "$R" scrub --check
check "the text says how many" contains "$T/out" "2 in files as their package shipped them"

# Edited after installation: the finding is back.
printf '%s\n# edited\n' "$key" >"$R/usr/share/doc/app/example.conf"
run "$TATTOO" --root "$R" scrub --check --format json
check "an edited package file keeps its finding" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
got = [f["path"] for f in d["findings"] if f["kind"] == "secret"]
assert "/usr/share/doc/app/example.conf" in got, got
assert d["summary"]["packaged"] == 1, d["summary"]' "$T/out"

# A list that is a symlink to a host file is not read.
rm "$R/var/lib/dpkg/info/app.md5sums"
printf '%s  usr/share/man/man1/app.1.gz\n' "$(md5 /usr/share/man/man1/app.1.gz)" >"$T/outside.md5sums"
ln -s "$T/outside.md5sums" "$R/var/lib/dpkg/info/app.md5sums"
run "$TATTOO" --root "$R" scrub --check --format json
check "a symlinked list is not read" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["summary"]["packaged"] == 0, d["summary"]' "$T/out"
done_testing
