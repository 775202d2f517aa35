#!/bin/sh
# tattoo report --dry-run off Azure (IMDS unreachable) still prints the
# tags and the report body it would send, with a note of what it could
# not learn; nothing is sent or written.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
"$TATTOO" --root "$R" write --image-name golden --image-version 1.4.0 \
    --no-imds --source canonical:ubuntu-24_04-lts:server:24.04.202611010 \
    >/dev/null 2>&1 || fail "write a tattoo"
closed_port port
CONF="$T/agent.conf"
printf 'imds_url = http://127.0.0.1:%s\nretry_scale_ms = 1\n' "$port" >"$CONF"
chmod 0600 "$CONF"
TATTOO_IMDS_URL="http://127.0.0.1:$port"
export TATTOO_IMDS_URL

expect_exit 0 "dry run off Azure, no collector" \
    "$TATTOO" --root "$R" --config "$CONF" report --dry-run
check "the tags it would write" contains "$T/out" \
    '"tattoo-image-version": "1.4.0"'
check "for this VM, resource id unknown" contains "$T/out" \
    "would tag this VM (resource id unknown) (Merge):"
check "says the tags would not be written, and why" contains "$T/out" \
    "tags: not written: not on Azure"
check "a note of what IMDS could not tell" contains "$T/out" \
    "note: IMDS could not be asked ("
check "the report body it would send" python3 -c '
import json, sys
text = open(sys.argv[1]).read()
mark = "the report it would send:\n"
assert mark in text, text
body = json.loads(text.split(mark, 1)[1])
assert body["tattoo"]["image"]["version"] == "1.4.0", body["tattoo"]
assert "vm_note" in body and "not on Azure" in body["vm_note"], body.get("vm_note")
' "$T/out"
check "nothing written to the state dir" test ! -e "$TATTOO_STATE_DIR/status.json"

printf 'collector_url = https://127.0.0.1:%s/ingest\n' "$port" >>"$CONF"
expect_exit 0 "dry run off Azure, a collector" \
    "$TATTOO" --root "$R" --config "$CONF" report --dry-run
check "the collector body" contains "$T/out" \
    "would send to https://127.0.0.1:$port/ingest (json):"
check "and the tags" contains "$T/out" '"tattoo-image-version": "1.4.0"'

printf 'tags = off\n' >>"$CONF"
expect_exit 0 "dry run, tags off" \
    "$TATTOO" --root "$R" --config "$CONF" report --dry-run
check "no tags when tags = off" sh -c '! grep -q "would tag" "$1"' _ "$T/out"
check "says tags are off" contains "$T/out" "tags: skipped: tags = off"
done_testing
