#!/bin/sh
# issue 20: with report_sbom = yes the report carries the image's SBOM
# (write --sbom), only as the tattoo records it: a changed or removed SBOM
# goes as {"error": why}, never as the file's new content; off (the
# default), no "sbom" member at all.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
mkdir -p "$R/var/lib/dpkg"
printf 'Package: zlib1g\nStatus: install ok installed\nArchitecture: amd64\nVersion: 1:1.2.13.dfsg-1\nMaintainer: Mark Brown <broonie@debian.org>\n\n' \
    >"$R/var/lib/dpkg/status"
run "$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --gallery "$GALLERY" --no-imds --sbom \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010
check "write --sbom: exit 0" [ "$rc" -eq 0 ]

# Off by default: the report has no sbom.
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
report --once
check "report_sbom off: exit 0" [ "$rc" -eq 0 ]
requests "$T/reqs"
pyjson "report_sbom off: no sbom in the report" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert c and "sbom" not in c[-1], c[-1].keys()'

mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off" "report_sbom=yes"
report --once
check "report_sbom on: exit 0" [ "$rc" -eq 0 ]
requests "$T/reqs"
pyjson "report_sbom on: the SBOM, byte for byte the file the tattoo records" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
s = c[-1]["sbom"]
f = json.load(open("'"$R"'/etc/tattoo/sbom.cdx.json"))
assert s == f, "differs"
assert s["bomFormat"] == "CycloneDX", s.get("bomFormat")
assert any(x["name"] == "zlib1g" for x in s["components"]), s["components"]'

# A changed SBOM is not sent: the tattoo does not vouch for it.
sed 's/zlib1g/zlib1g-evil/' "$R/etc/tattoo/sbom.cdx.json" >"$T/s" &&
    cat "$T/s" >"$R/etc/tattoo/sbom.cdx.json"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
report --once
requests "$T/reqs"
pyjson "a changed SBOM goes as an error naming the digests" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
s = c[-1]["sbom"]
assert list(s) == ["error"] and "changed" in s["error"], s'
rm "$R/etc/tattoo/sbom.cdx.json"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
report --once
requests "$T/reqs"
pyjson "a removed SBOM goes as an error" "$T/reqs" '
c = [json.loads(r["body"]) for r in d if r["path"] == "/ingest"]
assert "removed" in c[-1]["sbom"]["error"], c[-1]["sbom"]'
done_testing
