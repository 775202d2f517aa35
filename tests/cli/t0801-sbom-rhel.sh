#!/bin/sh
# tattoo sbom on a RHEL 9 fixture tree with a real rpm database (made as
# t0210 makes it): rpm purls with the redhat namespace and distro
# rhel-9.4, the source rpm and the vendor, and a schema-valid document.
. "$(dirname "$0")/../lib.sh"

R="$T/rhel"
export SOURCE_DATE_EPOCH=1700000000
S="python3 $TT_TOP/tests/cli/sbomcheck.py"
need_rpmbuild
sh "$TT_TOP/tests/fixtures/make-rhel-root.sh" "$R" sudo-1.9.5p2-10.el9 \
    aide-0.16-100.el9
expect_exit 0 "sbom of the rpm tree" $TATTOO --root "$R" sbom --output "$T/r.json"
check "valid by the CycloneDX 1.6 schema" $S cyclonedx "$T/r.json"
check "rpm purls" contains "$T/r.json" \
    '"pkg:rpm/redhat/sudo@1.9.5p2-10.el9?arch=noarch&distro=rhel-9.4"'
check "the source rpm's name" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
libs = [c for c in d["components"] if c["type"] == "library"]
assert [c["name"] for c in libs] == ["aide", "sudo"], libs
props = {p["name"]: p["value"] for p in libs[1]["properties"]}
assert props["tattoo:package:source"] == "sudo", props
os_ = [c for c in d["components"] if c["type"] == "operating-system"][0]
assert (os_["name"], os_["version"]) == ("rhel", "9.4"), os_
' "$T/r.json"
expect_exit 0 "sbom --format spdx of the rpm tree" $TATTOO --root "$R" sbom --format spdx --output "$T/r.spdx.json"
check "valid by the SPDX 2.3 schema" $S spdx "$T/r.spdx.json"
check "the rpm database in the tree is not changed" sh -c \
    "! ls '$R/var/lib/rpm' | grep -q -e '^__db' -e journal"
done_testing
