#!/bin/sh
# The source image from the loopback IMDS mock: headers, retries, proxies,
# and no IMDS at all.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
W="$TATTOO --root $R"
start_mock || exit 1
export TATTOO_IMDS_URL="$MOCK_HTTP"

expect_exit 0 "write --help" $TATTOO write --help

# The mock behaves like IMDS: no Metadata header, no answer.
check "mock rejects a request without Metadata: true" sh -c \
    "curl -s -o /dev/null -w '%{http_code}' --noproxy '*' '$MOCK_HTTP/metadata/instance?api-version=2021-02-01' | grep -qx 400"
check "mock rejects X-Forwarded-For" sh -c \
    "curl -s -o /dev/null -w '%{http_code}' --noproxy '*' -H 'Metadata: true' -H 'X-Forwarded-For: 1.2.3.4' '$MOCK_HTTP/metadata/instance?api-version=2021-02-01' | grep -qx 400"

expect_exit 0 "write takes the source from IMDS" $W write --image-name g \
    --image-version 1
expect_exit 0 "source from IMDS" $W show --field source
check "latest is recorded as exactVersion" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s == {"publisher": "canonical", "offer": "0001-com-ubuntu-server-jammy",
             "sku": "22_04-lts-gen2", "version": "22.04.202611010",
             "origin": "imds"}, s
' "$T/out"
mock_ctl requests >"$T/reqs"
check "the agent sent Metadata: true and the api-version" python3 -c '
import json, sys
reqs = [r for r in json.load(open(sys.argv[1])) if r["path"].startswith("/metadata/instance")
        and r["headers"].get("user-agent", "").startswith("tattoo/")]
assert reqs, "no IMDS request"
for r in reqs:
    assert r["headers"].get("metadata") == "true", r
    assert "x-forwarded-for" not in r["headers"], r
    assert "api-version=2021-02-01" in r["path"], r
    assert r["method"] == "GET"
' "$T/reqs"

# exactVersion absent: compute.version holds the resolved version.
mock_ctl instance '{"compute": {"version": "9.9.9", "storageProfile": {"imageReference": {"publisher": "p", "offer": "o", "sku": "s", "version": "latest", "exactVersion": ""}}}}' >/dev/null
rm -f "$R/etc/tattoo/tattoo.json"
expect_exit 0 "write with latest and no exactVersion" $W write --image-name g --image-version 1
expect_exit 0 "version from compute.version" $W show --field source.version
check "compute.version used" test "$(cat "$T/out")" = "9.9.9"

# A gallery image: the id is recorded.
mock_ctl instance '{"compute": {"storageProfile": {"imageReference": {"id": "/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/galleries/corp/images/base/versions/2.0.0", "publisher": "", "offer": "", "sku": "", "version": ""}}}}' >/dev/null
rm -f "$R/etc/tattoo/tattoo.json"
expect_exit 0 "write from a gallery image" $W write --image-name g --image-version 1
expect_exit 0 "source id" $W show --field source.id
check "gallery id recorded" contains "$T/out" "/galleries/corp/images/base/versions/2.0.0"
mock_ctl reset >/dev/null

# Throttling and maintenance: 429 and 500 and 410 are retried.
mock_ctl fail '{"route": "imds", "statuses": [410, 429, 500, 503]}' >/dev/null
rm -f "$R/etc/tattoo/tattoo.json"
expect_exit 0 "write after IMDS errors are retried" $W write --image-name g --image-version 1
expect_exit 0 "source after retries" $W show --field source.origin
check "origin imds after retries" test "$(cat "$T/out")" = "imds"
mock_ctl requests >"$T/reqs"
check "five requests: four failures and a success" python3 -c '
import json, sys
n = len([r for r in json.load(open(sys.argv[1])) if r["path"].startswith("/metadata/instance")])
assert n == 5, n
' "$T/reqs"
mock_ctl reset >/dev/null

# A 4xx that is not retried: the source is unknown, the write succeeds.
mock_ctl fail '{"route": "imds", "statuses": [404]}' >/dev/null
rm -f "$R/etc/tattoo/tattoo.json"
expect_exit 0 "write when IMDS answers 404" $W write --image-name g --image-version 1
check "404 named" contains "$T/err" "HTTP 404"
mock_ctl reset >/dev/null

# Proxies in the environment are never used for IMDS.
rm -f "$R/etc/tattoo/tattoo.json"
closed_port dead
expect_exit 0 "write with a dead proxy in the environment" env \
    http_proxy="http://127.0.0.1:$dead" HTTP_PROXY="http://127.0.0.1:$dead" \
    all_proxy="http://127.0.0.1:$dead" $W write --image-name g --image-version 1
expect_exit 0 "source via IMDS despite the proxy" $W show --field source.origin
check "proxy bypassed" test "$(cat "$T/out")" = "imds"

# No IMDS listening: not on Azure, said once, no hang, write succeeds.
rm -f "$R/etc/tattoo/tattoo.json"
closed_port port
start=$(date +%s)
expect_exit 0 "write with no IMDS" env TATTOO_IMDS_URL="http://127.0.0.1:$port" \
    $W write --image-name g --image-version 1
check "no IMDS is said" contains "$T/err" "not on Azure"
# A refused connection ends the lookup at once (well under a second);
# seven attempts of 2 s each would take 14 s.  10 s leaves room for a
# machine loaded by the tests running beside this one.
check "no IMDS takes under 10 seconds" test $(( $(date +%s) - start )) -lt 10
expect_exit 0 "source unknown" $W show --field source.origin
check "origin unknown" test "$(cat "$T/out")" = "unknown"
expect_exit 0 "show says unknown" $W show
check "show source unknown" contains "$T/out" "unknown"

done_testing
