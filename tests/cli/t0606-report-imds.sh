#!/bin/sh
# IMDS and its token endpoint as report uses them: the mock's guards,
# 410/429/500 retried (instance and token), other 4xx not, user-assigned
# identities, and a token that expires soon is not reused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf

TOK="$MOCK_HTTP/metadata/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fmanagement.azure.com%2F"
check "the token endpoint rejects a request without Metadata: true" sh -c \
    "curl -s -o /dev/null -w '%{http_code}' --noproxy '*' '$TOK' | grep -qx 400"
check "... and one with X-Forwarded-For" sh -c \
    "curl -s -o /dev/null -w '%{http_code}' --noproxy '*' -H 'Metadata: true' -H 'X-Forwarded-For: 10.0.0.1' '$TOK' | grep -qx 400"
check "... and answers a proper one" sh -c \
    "curl -s --noproxy '*' -H 'Metadata: true' '$TOK' | grep -q access_token"

# 410, 429 and 500 on the instance and the token endpoints: retried.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
mock_ctl fail '{"route": "imds", "statuses": [410, 429, 500]}' >/dev/null
mock_ctl fail '{"route": "token", "statuses": [410, 429, 500, 503, 404]}' >/dev/null
report --once
check "IMDS and token errors retried: tags written" contains "$T/out" "tags: written"
requests "$T/reqs"
pyjson "four instance requests, six token requests, all with Metadata: true" "$T/reqs" '
i = [r for r in d if r["path"].startswith("/metadata/instance")]
t = [r for r in d if r["path"].startswith("/metadata/identity/")]
assert len(i) == 4, len(i)
assert len(t) == 6, len(t)
for r in i + t:
    assert r["headers"].get("metadata") == "true" and "x-forwarded-for" not in r["headers"]
    assert r["method"] == "GET"'

# The documented schedule: 0, 2, 4, 8, 16 s between attempts; with
# retry_scale_ms 20 four failures take at least (0+2+4+8)*20 ms.
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl fail '{"route": "token", "statuses": [500, 500, 500, 500]}' >/dev/null
start=$(date +%s%N)
TATTOO_RETRY_SCALE_MS=20 report --once
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "token backoff: written after four failures" contains "$T/out" "tags: written"
check "token backoff: waited the schedule (${ms} ms >= 280)" [ "$ms" -ge 280 ]
# Five failures and a sixth: every retry spent, said.
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl fail '{"route": "token", "statuses": [500, 500, 500, 500, 500, 500]}' >/dev/null
report --once
check "token: every retry spent: exit 4" [ "$rc" -eq 4 ]
check "token: every retry spent: said" contains "$T/err" "after every retry"

# 400 (no identity on the VM) is not retried, and says what to check.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
mock_ctl fail '{"route": "token", "statuses": [400]}' >/dev/null
report --once
check "token 400: exit 4" [ "$rc" -eq 4 ]
check "token 400: asks about the identity" contains "$T/err" "managed identity"
requests "$T/reqs"
pyjson "token 400: one request only" "$T/reqs" '
assert len([r for r in d if "/oauth2/token" in r["path"]]) == 1'

# A user-assigned identity: its id goes with the token request.
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
conf "identity=client_id=11111111-2222-3333-4444-555555555555"
report --once
requests "$T/reqs"
pyjson "identity: client_id in the token request" "$T/reqs" '
t = [r for r in d if "/oauth2/token" in r["path"]]
assert t and t[0]["path"].endswith("&client_id=11111111-2222-3333-4444-555555555555"), t'
conf "identity=msi_res_id=/subscriptions/s/resourcegroups/g/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1"
rm -f "$TATTOO_STATE_DIR/tags.json"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
report --once
requests "$T/reqs"
pyjson "identity: msi_res_id percent-encoded" "$T/reqs" '
t = [r for r in d if "/oauth2/token" in r["path"]]
assert t and "&msi_res_id=%2Fsubscriptions%2Fs%2F" in t[0]["path"], t'
conf "identity=bogus"
rm -f "$TATTOO_STATE_DIR/tags.json"
report --once
check "identity: a bad value is named" contains "$T/err" "'identity' must be client_id=ID"

# Tokens close to expiry are not reused: with a 60 s lifetime (inside the
# 5-minute margin) each ARM request of a run asks again.
conf
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null
mock_ctl config '{"token_ttl": 60}' >/dev/null
mock_ctl fail '{"route": "arm", "statuses": [500]}' >/dev/null
rm -f "$TATTOO_STATE_DIR/tags.json"
report --once
requests "$T/reqs"
pyjson "a token about to expire is fetched again" "$T/reqs" '
assert len([r for r in d if "/oauth2/token" in r["path"]]) == 2
assert len([r for r in d if r["method"] == "PATCH"]) == 2'
done_testing
