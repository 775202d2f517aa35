#!/bin/sh
# Tags through ARM: the Merge body, written once across unchanged reports
# and again after a change or a day, the token cached, 403 naming the Tag
# Contributor role, 429 with Retry-After, ARM's limits.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf

report --once
check "first report writes the tags" contains "$T/out" "tags: written: 9 tags written"
requests "$T/reqs"
# this JSON check and the next in one python3 (issue 17)
pyjson_q "the PATCH: Tags API, Merge, bearer for ARM, our prefix" "$T/reqs" '
p = [r for r in d if r["method"] == "PATCH"]
assert len(p) == 1, p
r = p[0]
assert r["path"] == "'"$RID"'/providers/Microsoft.Resources/tags/default?api-version=2021-04-01", r["path"]
assert r["headers"]["authorization"] == "Bearer mock-token-for-https://management.azure.com/"
assert r["headers"]["content-type"] == "application/json"
b = json.loads(r["body"])
assert b["operation"] == "Merge"
t = b["properties"]["tags"]
assert t["tattoo-image"] == "golden" and t["tattoo-image-version"] == "1.4.0", t
assert t["tattoo-source"] == "canonical:ubuntu-24_04-lts:server:24.04.202611010"
assert t["tattoo-compliance"] == "noncompliant" and int(t["tattoo-failing"]) > 0
assert t["tattoo-tattoo"] == "digest-ok" and t["tattoo-drift"] == "none"
assert all(k.startswith("tattoo-") for k in t)
assert not any("T" in v and ":" in v and v[:2] == "20" for v in t.values()), "no timestamp in tags"
tok = [r for r in d if r["path"].startswith("/metadata/identity/")]
assert len(tok) == 1 and "resource=https%3A%2F%2Fmanagement.azure.com%2F" in tok[0]["path"], tok
assert tok[0]["headers"]["metadata"] == "true"
assert "x-forwarded-for" not in tok[0]["headers"]
'
mock_ctl tags >"$T/tags"
pyjson_q "ARM holds the merged tags (the VM's own kept)" "$T/tags" '
t = d["'"$(echo "$RID" | tr A-Z a-z)"'"]
assert t["tattoo-image-version"] == "1.4.0", t'
pyjson_run

for i in 1 2 3; do report --once; done
check "unchanged reports: tags unchanged" contains "$T/out" "tags: unchanged"
requests "$T/reqs"
pyjson "tags written once across four unchanged reports" "$T/reqs" '
assert len([r for r in d if r["method"] == "PATCH"]) == 1'

# A change (the image version the VM runs, an OS upgrade): written again.
sed -i 's/VERSION_ID="12"/VERSION_ID="13"/' "$R/usr/lib/os-release"
report --once
check "after a change: written" contains "$T/out" "tags: written"
requests "$T/reqs"
pyjson "after a change: a second PATCH with the drift" "$T/reqs" '
p = [json.loads(r["body"]) for r in d if r["method"] == "PATCH"]
assert len(p) == 2, len(p)
assert p[1]["properties"]["tags"]["tattoo-drift"] == "os-changed", p[1]'
report --once
requests "$T/reqs"
pyjson "... and not again" "$T/reqs" '
assert len([r for r in d if r["method"] == "PATCH"]) == 2'

# Once a day the same set is written again, to heal removed tags.
python3 - "$TATTOO_STATE_DIR/tags.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["written"] -= 86401
json.dump(d, open(sys.argv[1], "w"))
PY
report --once
check "a day later: written again" contains "$T/out" "tags: written"

# 403: the message names the role; the report still goes on.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl fail '{"route": "arm", "statuses": [403]}' >/dev/null
report --once
check "403: exit 4" [ "$rc" -eq 4 ]
check "403: names the Tag Contributor role" contains "$T/err" "Tag Contributor"
check "403: quotes ARM's code" contains "$T/err" "AuthorizationFailed"
pyjson "403: status.json says failed" "$TATTOO_STATE_DIR/status.json" '
assert d["report"]["tags"] == "failed" and "Tag Contributor" in d["report"]["tags_note"]'
check "403: nothing remembered, so the next run tries again" [ ! -e "$TATTOO_STATE_DIR/tags.json" ]
mock_ctl fail '{"route": "arm", "statuses": [401]}' >/dev/null
report --once
check "401: names the role too" contains "$T/err" "Tag Contributor"

# 429 with Retry-After: honoured (2 s at 200 ms per second), then written;
# the token is fetched once for both PATCHes.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
mock_ctl fail '{"route": "arm", "statuses": [429], "retry_after": 2}' >/dev/null
start=$(date +%s%N)
TATTOO_RETRY_SCALE_MS=200 report --once
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "429: written after the wait" contains "$T/out" "tags: written"
check "429: waited Retry-After (${ms} ms >= 400)" [ "$ms" -ge 400 ]
requests "$T/reqs"
pyjson "429: two PATCHes, one token request (cached)" "$T/reqs" '
assert len([r for r in d if r["method"] == "PATCH"]) == 2
assert len([r for r in d if "/oauth2/token" in r["path"]]) == 1'
# A Retry-After beyond a minute is left to the next run, said so.
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl fail '{"route": "arm", "statuses": [429], "retry_after": 3600}' >/dev/null
report --once
check "429 with an hour: exit 4" [ "$rc" -eq 4 ]
check "429 with an hour: says Retry-After" contains "$T/err" "Retry-After 3600 s"

# A connection that closes with no answer: tried again in the same run.
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
mock_ctl fail '{"route": "arm", "drops": 2}' >/dev/null
report --once
check "2 dropped connections: tags written in the same run" contains "$T/out" "tags: written"
check "2 dropped connections: exit 0" [ "$rc" -eq 0 ]
requests "$T/reqs"
pyjson "2 dropped connections: three PATCHes" "$T/reqs" '
assert len([r for r in d if r["method"] == "PATCH"]) == 3'
# Every try dropped: said, exit 4, written by the next run.
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl fail '{"route": "arm", "drops": 3}' >/dev/null
report --once
check "ARM never answers: exit 4" [ "$rc" -eq 4 ]
check "ARM never answers: says so" contains "$T/err" "cannot reach ARM at"
report --once
check "ARM back: the next run writes the tags" contains "$T/out" "tags: written"
# A certificate ARM's trust refuses is not tried again.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
sed -i "s|^ca_file = .*|ca_file = $T/mock/otherca.pem|" "$CONF"
# A second try would wait 2 steps of 30 s first (and is cut at 30 s): a
# run that ends in 20 s did not retry, however loaded the machine (the run
# itself takes under a second on an idle one).
start=$(date +%s)
TATTOO_RETRY_SCALE_MS=30000 run timeout 30 "$TATTOO" --root "$R" \
    --config "$CONF" report --once
s=$(($(date +%s) - start))
check "wrong CA: exit 4" [ "$rc" -eq 4 ]
check "wrong CA: no second try (${s} s < 20)" [ "$s" -lt 20 ]
conf

# ARM's limit of 50 tags: a VM with 45 others cannot take 7 more.
python3 - "$(gallery_instance 1.4.0)" >"$T/inst.json" <<'PY'
import json, sys
d = json.loads(sys.argv[1])
d["compute"]["tagsList"] = [{"name": "t%d" % i, "value": "v"} for i in range(45)]
print(json.dumps(d))
PY
curl -s --noproxy '*' -X POST --data-binary @"$T/inst.json" "$MOCK_CTL/instance" >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
report --once
check "50-tag limit: said before ARM refuses" contains "$T/err" "limit of 50 tags"
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null

# A prefix with characters ARM forbids in names: sanitized, accepted.
conf "tag_prefix=a/b?c%"
report --once
check "forbidden characters in the prefix: written" contains "$T/out" "tags: written"
mock_ctl tags >"$T/tags"
pyjson "forbidden characters replaced" "$T/tags" '
t = list(d.values())[0]
assert "a_b_c_image" in t, sorted(t)'

# tags = off: no ARM request at all.
conf "tags=off"
mock_ctl reset >/dev/null
report --once
check "tags off: exit 0" [ "$rc" -eq 0 ]
requests "$T/reqs"
pyjson "tags off: no token, no PATCH" "$T/reqs" '
assert not [r for r in d if r["method"] == "PATCH" or "/oauth2/" in r["path"]]'
done_testing
