#!/bin/sh
# Drift: an in-place OS upgrade, a VM not made from the golden image
# (another gallery version, another gallery, a marketplace image), a stale
# tattoo, a tampered one, none at all.  report records it in the report
# and status.json; status rechecks what it can without the network.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "tags=off"
S="$TATTOO_STATE_DIR/status.json"

drift_is() {
	report --once
	pyjson "$1" "$S" "
dr = d['report']['drift']
assert d['report']['summary']['drift'] == '$2', (d['report']['summary'], dr)
$3"
}

drift_is "the golden image as tattooed: no drift" none '
assert dr["any"] is False and dr["image_mismatch"] is False and dr["why"] == ""'

mock_ctl instance "$(gallery_instance 1.5.0)" >/dev/null
drift_is "another version of the gallery image: image-mismatch" image-mismatch '
assert "versions/1.5.0" in dr["image_now"] and "1.4.0" in dr["why"]'

mock_ctl instance "$(gallery_instance 1.4.0 | sed 's/galleries\/corp/galleries\/other/')" >/dev/null
drift_is "another gallery: image-mismatch" image-mismatch

mock_ctl reset >/dev/null
drift_is "a marketplace image: image-mismatch" image-mismatch '
assert "marketplace" in dr["why"] and dr["image_now"].startswith("canonical:")'
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null

sed -i 's/VERSION_ID="12"/VERSION_ID="13"/' "$R/usr/lib/os-release"
drift_is "an in-place upgrade: os-changed" os-changed '
assert dr["os_now"] == "debian 13" and dr["os_tattoo"] == "debian 12"'
expect_exit 1 "status: drift exits 1" $TATTOO --root "$R" --config "$CONF" status
check "status names the drift" grep -q "^drift  *os-changed: the OS is debian 13" "$T/out"
run "$TATTOO" --root "$R" --config "$CONF" audit --format prom --profile debian12:cis-l1-server
check "audit --format prom carries the report's drift flags" sh -c \
    "grep -qx 'tattoo_drift{flag=\"os_changed\"} 1' '$T/out' && grep -qx 'tattoo_drift{flag=\"image_mismatch\"} 0' '$T/out'"
sed -i 's/VERSION_ID="13"/VERSION_ID="12"/' "$R/usr/lib/os-release"

# Published long ago: stale past max_tattoo_age_days.
cp "$R/etc/tattoo/tattoo.json" "$T/tattoo.good"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --gallery "$GALLERY" --no-imds --published 2020-01-01T00:00:00Z \
    --source canonical:ubuntu-24_04-lts:server:24.04.202611010 >/dev/null 2>&1
drift_is "a tattoo from 2020: stale" stale '
assert dr["age_days"] > 90 and "max_tattoo_age_days" in dr["why"]'
conf "tags=off" "max_tattoo_age_days=36500"
drift_is "... not stale under a larger maximum" none
conf "tags=off"

# Tampered: the digest no longer matches.
cp "$T/tattoo.good" "$R/etc/tattoo/tattoo.json"
sed -i 's/"1.4.0"/"1.4.1"/' "$R/etc/tattoo/tattoo.json"
drift_is "a tampered tattoo: tattoo-invalid" image-mismatch,tattoo-invalid '
assert d["report"]["verify"] == "invalid"
assert dr["tattoo_invalid"] is True'
expect_exit 1 "status: invalid tattoo" $TATTOO --root "$R" --config "$CONF" status
check "status says invalid" grep -q "^tattoo  *invalid" "$T/out"

# Absent: verify says so; drift unknown, not claimed.
rm -f "$R/etc/tattoo/tattoo.json"
drift_is "no tattoo: verify absent, drift unknown" none '
assert d["report"]["verify"] == "absent"
assert dr["tattoo_invalid"] is False and dr["os_changed"] is False
assert {"tattoo_invalid", "os_changed", "stale", "image_mismatch"} == set(dr["unknown"]), dr'
conf "collector_url=$MOCK_HTTPS/ingest" "tags=off"
report --once
requests "$T/reqs"
pyjson "no tattoo: the report says why" "$T/reqs" '
b = json.loads([r for r in d if r["path"] == "/ingest"][-1]["body"])
assert "no tattoo" in b["tattoo"]["absent"], b["tattoo"]'
done_testing
