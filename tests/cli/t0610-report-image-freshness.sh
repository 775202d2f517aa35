#!/bin/sh
# Image freshness against the loopback ARM: a gallery image with 1.3.0
# past its end of life, 1.4.0, 1.5.0 the latest and 1.6.0 excluded from
# latest.  A VM on 1.4.0 is outdated, on 1.3.0 eol, on 1.5.0 and 1.6.0
# latest; a 403 is unknown with the Reader role named, never latest; ARM
# is read at most once a day, across runs, through the cache in
# state_dir; tags, the report, status, status --json and prom carry it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "image_freshness=on" "tags=on" "collector_url=$MOCK_HTTPS/ingest"
S="$TATTOO_STATE_DIR/status.json"
CACHE="$TATTOO_STATE_DIR/gallery.json"

version() { # NAME EXCLUDE EOL STATE
	printf '{"name": "%s", "id": "%s/versions/%s", "properties": {"publishingProfile": {"excludeFromLatest": %s%s}, "provisioningState": "%s"}}' \
	    "$1" "$GALLERY" "$1" "$2" "${3:+, \"endOfLifeDate\": \"$3\"}" "$4"
}
# Not in order: the latest is by number, not by position or by text
# (1.10.0 failed to publish: it does not count).
mock_ctl gallery "{\"image\": \"$GALLERY\", \"versions\": [
 $(version 1.5.0 false 2099-01-01T00:00:00+00:00 Succeeded),
 $(version 1.3.0 false 2026-01-01T00:00:00+00:00 Succeeded),
 $(version 1.10.0 false '' Failed),
 $(version 1.6.0 true '' Succeeded),
 $(version 1.4.0 false 2099-01-01T00:00:00.0000000+00:00 Succeeded)]}" >/dev/null
# Two versions a page: three pages, followed by nextLink.
mock_ctl config '{"gallery_page": 2}' >/dev/null

gallery_gets() { # FILE: the number of ARM reads of the versions
	requests "$T/reqs"
	python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
print(len([r for r in d if "/versions" in r["path"] and r["tls"]]))' "$T/reqs"
}

report --once
# the three checks of the first round in one python3 (issue 17)
pyjson_q "1.4.0 with 1.5.0 the latest: outdated" "$S" '
i = d["report"]["image"]
assert i["status"] == "outdated" and i["version"] == "1.4.0" and i["latest"] == "1.5.0", i
assert i["gallery_image"] == "'"$GALLERY"'" and i["end_of_life"] == "2099-01-01T00:00:00Z", i
assert "older than the latest 1.5.0" in i["why"], i
dr = d["report"]["drift"]
assert dr["image_outdated"] is True and dr["image_eol"] is False, dr
assert d["report"]["summary"]["image_status"] == "outdated"
assert d["report"]["summary"]["drift"] == "image-outdated", d["report"]["summary"]'
requests "$T/reqs"
pyjson_q "the read: ARM's versions API with the ARM token, every page" "$T/reqs" '
g = [r for r in d if "/versions" in r["path"] and r["tls"]]
assert len(g) == 3, [r["path"] for r in g]
assert g[0]["path"] == "'"$GALLERY"'/versions?api-version=2023-07-03", g[0]["path"]
assert all(r["method"] == "GET" for r in g)
assert all(r["headers"]["authorization"] == "Bearer mock-token-for-https://management.azure.com/" for r in g)
p = [json.loads(r["body"]) for r in d if r["method"] == "PATCH"]
t = p[-1]["properties"]["tags"]
assert t["tattoo-image-status"] == "outdated" and t["tattoo-image-latest"] == "1.5.0", t
b = json.loads([r for r in d if r["path"] == "/ingest"][-1]["body"])
assert b["image"]["status"] == "outdated" and b["summary"]["image_latest"] == "1.5.0", b["image"]'
pyjson_q "the cache in state_dir" "$CACHE" '
assert d["image"] == "'"$GALLERY"'" and d["error"] == "" and len(d["versions"]) == 5, d'
pyjson_run

expect_exit 1 "status: an outdated image is drift" $TATTOO --root "$R" --config "$CONF" status
check "status says outdated and the latest" grep -q "^image  *outdated (latest 1.5.0): version 1.4.0 is older" "$T/out"
check "status names the drift" grep -q "^drift  *image-outdated" "$T/out"
run "$TATTOO" --root "$R" --config "$CONF" status --json
pyjson "status --json carries the image section" "$T/out" '
assert d["report"]["image"]["status"] == "outdated" and d["status"]["drift"]["image_outdated"] is True, d["report"]'
run "$TATTOO" --root "$R" --config "$CONF" audit --format prom --profile debian12:cis-l1-server
check "prom: the image status series, zeros too" sh -c \
    "grep -qx 'tattoo_image_status{status=\"outdated\"} 1' '$T/out' && grep -qx 'tattoo_image_status{status=\"latest\"} 0' '$T/out' && grep -qx 'tattoo_drift{flag=\"image_outdated\"} 1' '$T/out'"
check "prom: the versions compared" grep -qx 'tattoo_image_info{version="1.4.0",latest="1.5.0"} 1' "$T/out"

# The cache: more rounds the same day make no read, also for another
# version of the same image (the list is the image's, judged each round).
mock_ctl instance "$(gallery_instance 1.3.0)" >/dev/null
report --once
check "same day: no second read" [ "$(gallery_gets)" -eq 3 ]
pyjson "1.3.0 past its end of life: eol" "$S" '
i = d["report"]["image"]
assert i["status"] == "eol" and i["latest"] == "1.5.0" and i["end_of_life"] == "2026-01-01T00:00:00Z", i
assert "end of life" in i["why"], i
dr = d["report"]["drift"]
assert dr["image_eol"] is True and dr["image_outdated"] is True, dr'
mock_ctl instance "$(gallery_instance 1.6.0)" >/dev/null
report --once
pyjson "1.6.0, excluded from latest: not outdated" "$S" '
i = d["report"]["image"]
assert i["status"] == "latest" and i["latest"] == "1.5.0" and "excluded from latest" in i["why"], i'
mock_ctl instance "$(gallery_instance 1.5.0)" >/dev/null
report --once
pyjson "1.5.0: latest" "$S" '
i = d["report"]["image"]
assert i["status"] == "latest" and i["why"] == "version 1.5.0 is the latest", i
assert d["report"]["drift"]["image_outdated"] is False'
# Made from the image definition: the tattoo says which version.
mock_ctl instance "$(gallery_instance 1.4.0 | sed 's,/versions/1.4.0,,')" >/dev/null
report --once
pyjson "the image definition: the tattoo's version (1.4.0)" "$S" '
i = d["report"]["image"]
assert i["status"] == "outdated" and i["version"] == "1.4.0", i'
check "five rounds, one read" [ "$(gallery_gets)" -eq 3 ]
run "$TATTOO" --root "$R" --config "$CONF" report --dry-run
check "a dry run reads no more" [ "$(gallery_gets)" -eq 3 ]

# A day later: one read again.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["checked"] -= 86400
json.dump(d, open(sys.argv[1], "w"))' "$CACHE"
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
report --once
report --once
check "a day later: one more read (three pages)" [ "$(gallery_gets)" -eq 6 ]

# A damaged cache is not believed: read again, and said.
echo '{"image": 1}' >"$CACHE"
report --once
check "damaged cache: said" contains "$T/err" "not a gallery cache"
check "damaged cache: read again" [ "$(gallery_gets)" -eq 9 ]
# A cache dated in the future would hold forever: not believed.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["checked"] += 10 * 86400
json.dump(d, open(sys.argv[1], "w"))' "$CACHE"
report --once
check "cache from the future: read again" [ "$(gallery_gets)" -eq 12 ]

# A nextLink to another host is not followed: the token stays with ARM,
# and a list cut short gives no latest.
rm -f "$CACHE"
n=$(gallery_gets)
mock_ctl config "{\"gallery_next_base\": \"$(echo "$MOCK_HTTPS" | sed 's/localhost/127.0.0.1/')\"}" >/dev/null
report --once
pyjson "a nextLink elsewhere: not followed, unknown" "$S" '
i = d["report"]["image"]
assert i["status"] == "unknown" and "nextLink leaves" in i["why"] and i["latest"] == "", i'
check "a nextLink elsewhere: one read only" [ "$(gallery_gets)" -eq $((n + 1)) ]
mock_ctl config '{"gallery_next_base": null}' >/dev/null

# 403: unknown with the role named, never latest; cached too (a day).
rm -f "$CACHE"
mock_ctl fail '{"route": "gallery", "statuses": [403]}' >/dev/null
report --once
pyjson "403: unknown, the Reader role named" "$S" '
i = d["report"]["image"]
assert i["status"] == "unknown" and i["latest"] == "", i
assert "HTTP 403" in i["why"] and "Reader role on the gallery" in i["why"], i
dr = d["report"]["drift"]
assert dr["image_outdated"] is False and dr["image_eol"] is False
assert d["report"]["summary"]["image_status"] == "unknown"'
check "403: said on stderr" contains "$T/err" "image freshness unknown"
requests "$T/reqs"
pyjson "403: the tag says unknown" "$T/reqs" '
p = [json.loads(r["body"]) for r in d if r["method"] == "PATCH"]
assert p[-1]["properties"]["tags"]["tattoo-image-status"] == "unknown", p[-1]'
n=$(gallery_gets)
report --once
check "403: no second read the same day" [ "$(gallery_gets)" -eq "$n" ]
pyjson "403: still unknown from the cache" "$S" '
assert d["report"]["image"]["status"] == "unknown"'

# 404 (no such image) and the network: unknown too.
rm -f "$CACHE"
mock_ctl instance "$(gallery_instance 1.4.0 | sed 's,images/golden,images/gone,')" >/dev/null
report --once
pyjson_q "404: unknown" "$S" '
i = d["report"]["image"]
assert i["status"] == "unknown" and "404" in i["why"], i'
rm -f "$CACHE"
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "image_freshness=on" "tags=off"
TATTOO_ARM_URL=https://127.0.0.1:1 report --once
pyjson_q "no ARM: unknown with the reason" "$S" '
i = d["report"]["image"]
assert i["status"] == "unknown" and "cannot reach ARM" in i["why"], i'
pyjson_run

# A marketplace VM: no gallery image, no read.
rm -f "$CACHE"
conf "image_freshness=on" "tags=off"
mock_ctl reset >/dev/null
n=$(gallery_gets)
report --once
pyjson "a marketplace image: unknown" "$S" '
i = d["report"]["image"]
assert i["status"] == "unknown" and "not on a Compute Gallery image" in i["why"], i'
check "a marketplace image: no read" [ "$(gallery_gets)" -eq "$n" ]

# Off: nothing asked.
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
conf "tags=off"
report --once
pyjson "image_freshness = off: unknown, said why" "$S" '
assert "image_freshness = off" in d["report"]["image"]["why"]'
check "off: no read" [ "$(gallery_gets)" -eq "$n" ]

# write --gallery with a gallery image version id: the image and the
# version recorded apart, as report reads them; a version that differs
# from --image-version is a usage error.
expect_exit 0 "write --gallery VERSION-ID" "$TATTOO" --root "$R" write \
    --image-name golden --image-version 1.5.0 --gallery "$GALLERY/versions/1.5.0" --no-imds \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010
pyjson "the gallery image and its version recorded apart" "$R/etc/tattoo/tattoo.json" '
assert d["image"]["gallery"] == "'"$GALLERY"'" and d["image"]["version"] == "1.5.0", d["image"]'
expect_exit 2 "write --gallery .../versions/1.4.0 --image-version 1.5.0" "$TATTOO" --root "$R" write \
    --image-name golden --image-version 1.5.0 --gallery "$GALLERY/versions/1.4.0" --no-imds \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010
check "the mismatch said" contains "$T/err" "names version 1.4.0, --image-version says 1.5.0"
done_testing
