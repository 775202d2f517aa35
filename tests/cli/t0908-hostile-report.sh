#!/bin/sh
# Hostile input to report: token responses that are malformed, huge, or
# carry a header injection; spool directories holding FIFOs, symlinks,
# huge and damaged files under spool names; a garbage status.json.  Each
# ends in a clear message and an exit of 0 or 4, never a hang, crash or
# sanitizer report, and never a token in the output.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../report.sh"

report_setup || { fail "setup"; done_testing; exit 1; }
conf "collector_url=$MOCK_HTTPS/ingest"
SP="$TATTOO_STATE_DIR/spool"

token_says() {
	mock_ctl config "$(python3 -c 'import json,sys; print(json.dumps({"token_body": sys.argv[1]}))' "$2")" >/dev/null
	rm -f "$TATTOO_STATE_DIR/tags.json"
	refused "$1" 4 "$3" "$TATTOO" --root "$R" --config "$CONF" report --once
}
token_says "a token response that is not JSON" "<html>" "token response is not a JSON object"
token_says "a token response without access_token" '{"expires_on": "1"}' "no access_token"
token_says "a token with a line break (header injection)" \
    '{"access_token": "abc\r\nX-Evil: 1", "expires_on": "9999999999"}' "not printable ASCII"
check "... the token is never printed" sh -c "! grep -q 'X-Evil' '$T/err' '$T/out'"
token_says "expires_on that is not a number" '{"access_token": "a", "expires_on": "tomorrow"}' "expires_on"
token_says "a deeply nested token response" "$(python3 -c 'print("[" * 5000 + "]" * 5000)')" "token response"
token_says "a token response over 16 KiB" "$(python3 -c 'import json; print(json.dumps({"access_token": "a" * 20000, "expires_on": "9"}))')" "token request failed"
mock_ctl reset >/dev/null
mock_ctl instance "$(gallery_instance 1.4.0)" >/dev/null

# The spool: things that are not reports under report names.
mkdir -p "$SP"
ID=00000000-0000-4000-8000-0000000000
mkfifo "$SP/00000000000000000001-${ID}01.json"
ln -s /etc/passwd "$SP/00000000000000000002-${ID}02.json"
head -c 5000000 /dev/zero | tr '\0' 'x' >"$SP/00000000000000000003-${ID}03.json"
head -c 3000 /dev/urandom >"$SP/00000000000000000004-${ID}04.json"
printf '{"report_id": "%s99"}' "$ID" >"$SP/00000000000000000005-${ID}05.json"
mkdir "$SP/00000000000000000006-${ID}06.json"
printf 'x' >"$SP/not-a-report"
completes "a hostile spool: the round completes" 0 \
    "$TATTOO" --root "$R" --config "$CONF" report --once
check "... the new report delivered" contains "$T/out" "1 delivered"
check "... the huge file named" contains "$T/err" "00000000000000000003-${ID}03.json"
check "... the damaged ones kept aside as .bad" sh -c \
    "[ -f '$SP/00000000000000000004-${ID}04.json.bad' ] && [ -f '$SP/00000000000000000005-${ID}05.json.bad' ]"
check "... the FIFO, the symlink and the directory untouched" sh -c \
    "[ -p '$SP/00000000000000000001-${ID}01.json' ] && [ -L '$SP/00000000000000000002-${ID}02.json' ] && [ -d '$SP/00000000000000000006-${ID}06.json' ]"
requests "$T/reqs"
pyjson "... and nothing but the new report was sent" "$T/reqs" '
assert len([r for r in d if r["path"] == "/ingest"]) == 1'
check "/etc/passwd never sent" sh -c "! grep -q 'root:x:0' '$T/reqs'"

# A spool directory that is a FIFO, and a garbage status.json.
rm -rf "$SP"; mkfifo "$SP"
refused "the spool directory is a FIFO" 4 "spool" \
    "$TATTOO" --root "$R" --config "$CONF" report --once
rm -f "$SP"
head -c 3000 /dev/urandom >"$TATTOO_STATE_DIR/status.json"
completes "a garbage status.json is replaced" 0 \
    "$TATTOO" --root "$R" --config "$CONF" report --once
check "... and kept as status.json.broken" [ -f "$TATTOO_STATE_DIR/status.json.broken" ]
echo '{"report": {"dropped": "many"}}' >"$TATTOO_STATE_DIR/status.json"
completes "a status.json of the wrong types" 0 \
    "$TATTOO" --root "$R" --config "$CONF" report --once
completes "status over it" 1 "$TATTOO" --root "$R" --config "$CONF" status
done_testing
