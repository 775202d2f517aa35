#!/bin/sh
# Issue 19: azure_security_updates on the RHEL family, from the dnf
# metadata in the image (tests/cli/dnf-root.py: an rpm database and two
# cached repositories, updateinfo gzip and xz).  Security advisories newer
# than what is installed, for the same name and architecture, are
# pending (rpm's version order); bugfix advisories, older versions and
# other architectures are not.  Absent or unreadable metadata is an error
# naming why (zchunk, a location outside repodata/, a DTD, a listed file
# not cached); write records the count.
. "$(dirname "$0")/../lib.sh"

need_rpmbuild
G="$T/good"
python3 "$TT_TOP/tests/cli/dnf-root.py" "$G" "$T/rpms" ||
    { fail "fixture"; done_testing; exit 1; }
RD="var/cache/dnf/baseos-0123456789abcdef/repodata"

RULE=azure_security_updates
. "$(dirname "$0")/azure-verdict.sh"

B="$G"
expect fail "three security updates pending"
check "the pending packages, as rpm orders versions, with their advisory" \
    contains "$T/v.json" "pending=3, packages=tzdata 2023c-1.el9 -> 2024a-1.el9 (RHSA-2024:0500), openssl 1:3.0.7-24.el9 -> 1:3.0.7-25.el9_3 (RHSA-2024:0310), kernel 5.14.0-362.8.1.el9_3 -> 5.14.0-362.13.1.el9_3 (RHSA-2024:0113)"
for p in sudo bash glibc; do
	check "$p is not pending (older, bugfix, other architecture)" \
	    sh -c '! grep -q "$1 " "$2"' _ "$p" "$T/v.json"
done

copy current
python3 - "$B/$RD" <<'E'
import glob, gzip, sys
d = sys.argv[1]
f = glob.glob(d + '/*-updateinfo.xml.gz')[0]
x = gzip.decompress(open(f, 'rb').read()).decode()
x = x.replace('25.el9_3', '24.el9').replace('362.13.1', '362.8.1')
open(f, 'wb').write(gzip.compress(x.encode()))
E
rm -r "$B/var/cache/dnf/appstream-0123456789abcdef"
expect pass "the advisories' versions installed: nothing pending"

copy zstd
f=$(ls "$B/$RD"/*-updateinfo.xml.gz)
gzip -dc "$f" | zstd -q -o "${f%.gz}.zst" && rm "$f"
sed -i 's/-updateinfo.xml.gz"/-updateinfo.xml.zst"/' "$B/$RD/repomd.xml"
expect fail "updateinfo compressed with zstd is read too"

copy none
rm -r "$B/var/cache/dnf"
expect error "no dnf cache: an error, never a pass"
check "the reason" contains "$T/v.json" "dnf metadata absent: no repodata/repomd.xml"

copy noui
sed -i '/type="updateinfo"/,/<\/data>/d' "$B/$RD/repomd.xml" \
    "$B/var/cache/dnf/appstream-0123456789abcdef/repodata/repomd.xml"
expect error "no repository lists updateinfo"
check "the reason" contains "$T/v.json" "no repository's repomd.xml lists updateinfo"

copy zck
sed -i 's/-updateinfo.xml.gz"/-updateinfo.xml.zck"/' "$B/$RD/repomd.xml"
expect error "zchunk updateinfo"
check "named as not readable" contains "$T/v.json" "updateinfo.xml.zck' is zchunk (.zck), which libarchive does not read"

copy escape
sed -i 's|href="repodata/f00dbaseos-updateinfo.xml.gz"|href="repodata/../../../../../etc/shadow"|' "$B/$RD/repomd.xml"
expect error "a location outside repodata/"
check "refused by name" contains "$T/v.json" "is not repodata/NAME"

copy missing
rm "$B/$RD"/*-updateinfo.xml.gz
expect error "listed but not cached"
check "the reason" contains "$T/v.json" "which its repomd.xml lists, is not in the cache"

copy dtd
printf '<?xml version="1.0"?>\n<!DOCTYPE u [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n<updates>&b;</updates>\n' |
    gzip >"$(ls "$B/$RD"/*-updateinfo.xml.gz)"
expect error "a DTD with entities"
check "refused, with the line" contains "$T/v.json" "line 2: a DOCTYPE or declaration, which is not read"

copy deep
python3 -c 'import sys; sys.stdout.write("<updates>" + "<a>" * 40 + "</a>" * 40 + "</updates>")' |
    xz >"$B/var/cache/dnf/appstream-0123456789abcdef/repodata/f00dappstream-updateinfo.xml.xz"
expect error "nesting past the cap"
check "says so" contains "$T/v.json" "elements nested too deep"

copy garbage
printf 'not compressed, not xml' >"$(ls "$B/$RD"/*-updateinfo.xml.gz)"
expect error "an updateinfo that is not XML"

# write records the count and the newest updateinfo timestamp.
expect_exit 0 "write" "$TATTOO" --root "$G" write --no-imds \
    --image-name golden --image-version 1.0.0
check "baseline.security_updates: 3 pending, the newest timestamp" python3 -c '
import json, sys
u = json.load(open(sys.argv[1]))["baseline"]["security_updates"]
assert u == {"pending": 3, "metadata_date": "2024-12-05T12:00:00Z"}, u' \
    "$G/etc/tattoo/tattoo.json"
done_testing
