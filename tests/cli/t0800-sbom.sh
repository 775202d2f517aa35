#!/bin/sh
# tattoo sbom on a fixture root with a dpkg status file: CycloneDX 1.6 and
# SPDX 2.3 valid by the official schemas (tests/schemas, offline), purls,
# the OS and the tattoo's image as the subject, reproducible output with
# SOURCE_DATE_EPOCH, --diff, and write --sbom with verify catching a
# changed or removed SBOM.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
mkdir -p "$R/var/lib/dpkg"
cat >"$R/var/lib/dpkg/status" <<'ST'
Package: zlib1g
Status: install ok installed
Architecture: amd64
Source: zlib (1:1.2.13.dfsg-1)
Version: 1:1.2.13.dfsg-1+b1
Maintainer: Mark Brown <broonie@debian.org>
Description: compression library
 Package: not-a-package

Package: gone
Status: deinstall ok config-files
Version: 1.0

Package: libc6
Status: install ok installed
Architecture: amd64
Source: glibc
Version: 2.36-9+deb12u4
Maintainer: GNU Libc Maintainers <debian-glibc@lists.debian.org>

Package: adduser
Status: install ok installed
Architecture: all
Version: 3.134
ST
export SOURCE_DATE_EPOCH=1700000000
export TATTOO_STATE_DIR="$T/state"
S="python3 $TT_TOP/tests/cli/sbomcheck.py"
W="$TATTOO --root $R"

expect_exit 0 "sbom --help" $TATTOO sbom --help
check "help names --diff" contains "$T/out" "--diff OLD NEW"
expect_exit 2 "a bad --format is a usage error" $W sbom --format xml
expect_exit 2 "--diff needs two files" $W sbom --diff "$T/a.json"

expect_exit 0 "sbom (CycloneDX)" $W sbom --output "$T/a.cdx.json"
check "valid by the CycloneDX 1.6 schema" $S cyclonedx "$T/a.cdx.json"
check "a deb purl keeps the epoch, percent-encoded" contains "$T/a.cdx.json" \
    '"pkg:deb/debian/zlib1g@1%3A1.2.13.dfsg-1%2Bb1?arch=amd64&distro=debian-12"'
check "the OS is a component" contains "$T/a.cdx.json" '"operating-system"'
check "supplier from Maintainer" contains "$T/a.cdx.json" '"GNU Libc Maintainers"'
check "source version from Source:" contains "$T/a.cdx.json" '"1:1.2.13.dfsg-1"'
check "no subject without a tattoo" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert "component" not in d["metadata"]
names = [c["name"] for c in d["components"] if c["type"] == "library"]
assert names == ["adduser", "libc6", "zlib1g"], names
assert d["metadata"]["timestamp"] == "2023-11-14T22:13:20Z"
assert d["serialNumber"].startswith("urn:uuid:")
' "$T/a.cdx.json"
expect_exit 0 "sbom again" $W sbom
check "the same bytes twice (SOURCE_DATE_EPOCH)" cmp -s "$T/out" "$T/a.cdx.json"

expect_exit 0 "sbom --format spdx" $W sbom --format spdx --output "$T/a.spdx.json"
check "valid by the SPDX 2.3 schema" $S spdx "$T/a.spdx.json"
check "SPDX purl and supplier" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
p = {x["name"]: x for x in d["packages"]}
assert p["libc6"]["externalRefs"][0]["referenceLocator"] == \
    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12"
assert p["libc6"]["supplier"] == \
    "Organization: GNU Libc Maintainers (debian-glibc@lists.debian.org)"
assert p["debian"]["primaryPackagePurpose"] == "OPERATING_SYSTEM"
' "$T/a.spdx.json"
check "the schema check fails a bad document" sh -c \
    "sed 's/\"library\"/\"librar\"/' '$T/a.cdx.json' >'$T/bad.json' &&
     ! $S cyclonedx '$T/bad.json' 2>/dev/null"

# The image's tattoo is the subject.
expect_exit 0 "write --sbom" $W write --image-name web --image-version 2.1 \
    --no-imds --sbom
check "the SBOM is beside the tattoo" test -f "$R/etc/tattoo/sbom.cdx.json"
check "the written SBOM is valid" $S cyclonedx "$R/etc/tattoo/sbom.cdx.json"
check "the tattoo records the SBOM's SHA-256" python3 -c '
import hashlib, json, sys
t = json.load(open(sys.argv[1] + "/etc/tattoo/tattoo.json"))
b = open(sys.argv[1] + "/etc/tattoo/sbom.cdx.json", "rb").read()
assert t["sbom"]["digest"] == "sha256:" + hashlib.sha256(b).hexdigest()
assert json.loads(b)["metadata"]["component"]["name"] == "web"
' "$R"
expect_exit 0 "verify with the SBOM intact" $W verify
check "verify says the SBOM matches" contains "$T/out" "sbom: valid"
expect_exit 0 "sbom names the tattoo's image" $W sbom
check "subject web 2.1" python3 -c '
import json, sys
c = json.load(open(sys.argv[1]))["metadata"]["component"]
assert (c["name"], c["version"]) == ("web", "2.1"), c
' "$T/out"
cp "$R/etc/tattoo/sbom.cdx.json" "$T/keep.json"
sed 's/3.134/3.135/' "$T/keep.json" >"$R/etc/tattoo/sbom.cdx.json"
expect_exit 1 "verify fails on a changed SBOM" $W verify
check "verify says it changed" contains "$T/out" "sbom: invalid: /etc/tattoo/sbom.cdx.json changed"
rm "$R/etc/tattoo/sbom.cdx.json"
expect_exit 1 "verify fails on a removed SBOM" $W verify
check "verify says it was removed" contains "$T/out" "removed"
cp "$T/keep.json" "$R/etc/tattoo/sbom.cdx.json"
expect_exit 0 "verify again with it restored" $W verify

# --diff: adduser changed, libc6 removed, bash added; either format.
sed -e '/^Package: libc6/,/^$/d' -e 's/^Version: 3.134/Version: 3.135/' \
    "$R/var/lib/dpkg/status" >"$T/status2"
printf '\nPackage: bash\nStatus: install ok installed\nArchitecture: amd64\nVersion: 5.2.15-2+b2\n' >>"$T/status2"
cp "$T/status2" "$R/var/lib/dpkg/status"
expect_exit 0 "sbom of the new image (SPDX)" $W sbom --format spdx --output "$T/b.spdx.json"
expect_exit 0 "sbom --diff CycloneDX SPDX" $TATTOO sbom --diff "$T/a.cdx.json" "$T/b.spdx.json"
check "added" contains "$T/out" "+ bash:amd64 5.2.15-2+b2"
check "removed" contains "$T/out" "- libc6:amd64 2.36-9+deb12u4"
check "changed" contains "$T/out" "~ adduser:all 3.134 -> 3.135"
check "summary" contains "$T/out" "1 added, 1 removed, 1 changed, 1 unchanged"
expect_exit 0 "sbom --diff --json" $TATTOO sbom --diff --json "$T/a.cdx.json" "$T/b.spdx.json"
check "the JSON diff" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert [a["name"] for a in d["added"]] == ["bash"], d
assert [a["name"] for a in d["removed"]] == ["libc6"], d
assert d["changed"] == [{"name": "adduser", "arch": "all",
    "old_version": "3.134", "new_version": "3.135"}], d
assert d["unchanged"] == 1
' "$T/out"
expect_exit 0 "an SBOM against itself: no difference" $TATTOO sbom --diff "$T/a.cdx.json" "$T/a.spdx.json"
check "nothing added or removed" contains "$T/out" "0 added, 0 removed, 0 changed, 3 unchanged"

# Bad input names the file and the field.
printf '{"bomFormat": "CycloneDX", "components": [{"type": "library"}]}' >"$T/noname.json"
expect_exit 3 "a component without a name" $TATTOO sbom --diff "$T/noname.json" "$T/a.cdx.json"
check "the error names file and field" contains "$T/err" "$T/noname.json: components[0].name"
printf '{"x": 1}' >"$T/other.json"
expect_exit 3 "neither format" $TATTOO sbom --diff "$T/a.cdx.json" "$T/other.json"
check "says which file" contains "$T/err" "$T/other.json: neither CycloneDX"
expect_exit 3 "a missing file" $TATTOO sbom --diff "$T/nope.json" "$T/a.cdx.json"
check "names it" contains "$T/err" "$T/nope.json"
SOURCE_DATE_EPOCH=yesterday expect_exit 3 "a bad SOURCE_DATE_EPOCH" $W sbom
check "says so" contains "$T/err" "SOURCE_DATE_EPOCH"

# A name from a file reaches the terminal escaped.
printf '{"bomFormat": "CycloneDX", "components": [{"type": "library", "name": "a\\u001b[31mX\\nb", "version": "1"}]}' >"$T/esc.json"
expect_exit 0 "diff of a file with control characters" $TATTOO sbom --diff "$T/esc.json" "$T/a.cdx.json"
check "escaped, on one line" contains "$T/out" '- a\x1b[31mX\nb 1'

# A root with no package database: the OS alone.
E="$T/empty"
make_root "$E" ubuntu 22.04 "Ubuntu 22.04"
expect_exit 0 "sbom of a root with no package database" $TATTOO --root "$E" sbom --output "$T/e.json"
check "still valid" $S cyclonedx "$T/e.json"
done_testing
