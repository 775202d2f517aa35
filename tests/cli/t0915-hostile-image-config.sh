#!/bin/sh
# An image's own /etc/tattoo/agent.conf is data, not configuration
# (issue 13, finding 2): under --root it may choose the profile and
# nothing else.  The hostile image here points imds_url, arm_url and
# collector_url at a loopback listener of its own, names a canary token,
# key and CA outside the tree, and puts state_dir and spool_dir on the
# host.  write, audit and report with --root must never connect to the
# listener, never send the canary token, never create those host
# directories, and must warn once naming the file, line and keys.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

# listen NAME: a listener recording connections in $T/NAME.log; its port
# in $T/NAME.port.
_pids=
listen() {
	python3 "$TT_TOP/tests/mock/listener.py" "$T/$1.port" "$T/$1.log" \
	    2>>"$T/listener.err" &
	_pids="$_pids $!"
	i=0
	while [ ! -s "$T/$1.port" ] && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ -s "$T/$1.port" ]
}
trap 'for p in $_pids; do kill $p 2>/dev/null; done; rm -rf "$T"' EXIT
listen evil || { fail "the image's listener starts"; done_testing; exit 1; }
listen host || { fail "the host's collector starts"; done_testing; exit 1; }
EVIL="http://127.0.0.1:$(cat "$T/evil.port")"
HOST="http://127.0.0.1:$(cat "$T/host.port")"

# The host: IMDS at a closed port (no cloud here), its own collector and
# state directory, all in its configuration file (not the environment,
# which would win over the image's file even without the fix).
unset TATTOO_IMDS_URL TATTOO_STATE_DIR
cat >"$TATTOO_CONFIG" <<X
imds_url = http://127.0.0.1:9
collector_url = $HOST/ingest
state_dir = $T/state
X

# The canaries, outside the tree.
printf 'CANARY-TOKEN-7f3a\n' >"$T/canary-token"
chmod 0600 "$T/canary-token"
printf 'not a key\n' >"$T/canary-key"
chmod 0600 "$T/canary-key"

IMG="$T/img"
tattoo_root "$IMG" || { fail "fixture"; done_testing; exit 1; }
mkdir -p "$IMG/etc/tattoo"
cat >"$IMG/etc/tattoo/agent.conf" <<X
imds_url = $EVIL
arm_url = $EVIL
collector_url = $EVIL/steal
collector_format = json
collector_token_file = $T/canary-token
ca_file = $T/canary-ca.pem
ca_dir = $T/canary-ca.d
client_cert = $T/canary-key
client_key = $T/canary-key
state_dir = $T/hoststate
spool_dir = $T/canary-spool
X
chmod 0644 "$IMG/etc/tattoo/agent.conf"
WARN="$IMG/etc/tattoo/agent.conf:1: under --root an image may set only 'profile'; ignored: 'imds_url' (line 1), 'arm_url' (line 2), 'collector_url' (line 3)"

# nothing_leaked DESC: no connection to the image's listener, no canary
# directory on the host, no canary token sent anywhere.
nothing_leaked() {
	if [ -s "$T/evil.log" ]; then
		fail "$1: the image's endpoint was never contacted" "$T/evil.log"
	else
		pass "$1: the image's endpoint was never contacted"
	fi
	check "$1: no state_dir from the image on the host" \
	    test ! -e "$T/hoststate"
	check "$1: no spool_dir from the image on the host" \
	    test ! -e "$T/canary-spool"
	check "$1: the image's token file was never sent" \
	    sh -c "! grep -q CANARY-TOKEN '$T/host.log' '$T/evil.log'"
}

completes "report --root: one round with the host's configuration" 0 \
    "$TATTOO" --root "$IMG" report --once
check "report: one warning names the file, line and keys" \
    contains "$T/err" "$WARN"
check "report: ... and the credential and host paths" contains "$T/err" \
    "'collector_token_file' (line 5), 'ca_file' (line 6), 'ca_dir' (line 7), 'client_cert' (line 8), 'client_key' (line 9), 'state_dir' (line 10), 'spool_dir' (line 11)"
check "report: exactly one warning about it" \
    test "$(grep -c 'agent.conf' "$T/err")" -eq 1
check "report: the host's collector got the report" \
    contains "$T/host.log" "POST /ingest"
check "report: state went to the host's state_dir" \
    test -f "$T/state/status.json"
check "report: nothing written into the image's var/lib" \
    test ! -e "$IMG/var/lib/tattoo"
nothing_leaked report

completes "write --root: the source is the host's IMDS or none" 0 \
    "$TATTOO" --root "$IMG" write --image-name golden --image-version 2.0.0
check "write: warns about the image's configuration" contains "$T/err" "$WARN"
completes "show the new tattoo" 0 "$TATTOO" --root "$IMG" show --json
check "write: the source did not come from the image's IMDS" \
    sh -c "! grep -q '\"origin\": \"imds\"' '$T/out'"
nothing_leaked write

completes "audit --root with the hostile configuration" 0 \
    sh -c '"$0" --root "$1" audit --format json >"$2/audit.json"; \
	[ $? -le 1 ]' "$TATTOO" "$IMG" "$T"
nothing_leaked audit

# status reads the host's state only; its spool is the host's.
completes "status --root" 1 "$TATTOO" --root "$IMG" status
nothing_leaked status

# The one key an image may set: profile, when the host set none.
IMG2="$T/img2"
make_root "$IMG2"
mkdir -p "$IMG2/etc/tattoo"
printf '# the image asks for its profile\nprofile = nosuchpack:profile-x\n' \
    >"$IMG2/etc/tattoo/agent.conf"
refused "the image's profile is used" 2 "unknown rule pack 'nosuchpack'" \
    "$TATTOO" --root "$IMG2" audit
check "... without a warning" sh -c "! grep -q warning '$T/err'"
completes "the host's profile (environment) wins" 1 \
    env TATTOO_PROFILE=debian12:cis-l1-server "$TATTOO" --root "$IMG2" audit
printf 'profile = debian12:cis-l1-server\nstate_dir = %s\n' "$T/state" >"$T/host2.conf"
completes "the host's profile (--config) wins" 1 \
    "$TATTOO" --root "$IMG2" --config "$T/host2.conf" audit
printf 'profile = debian12:cis-l1-server\n' >"$IMG2/etc/tattoo/agent.conf"
completes "a valid image profile" 1 \
    "$TATTOO" --root "$IMG2" audit --format json
check "... is the audit's profile" contains "$T/out" \
    '"profile_qualified": "debian12:cis-l1-server"'
# A profile the image cannot ask for: not an id; the file is ignored.
printf 'profile = ../../x\n' >"$IMG2/etc/tattoo/agent.conf"
completes "an image profile that is not an id is ignored" 1 \
    "$TATTOO" --root "$IMG2" audit
check "... with a warning naming it" contains "$T/err" \
    "$IMG2/etc/tattoo/agent.conf:1: 'profile' is not a profile id"

# The host's own configuration is obeyed for every key, under --root too.
printf 'state_dir = %s\n' "$T/live-state" >"$T/live.conf"
completes "host configuration: state_dir obeyed" 2 \
    env -u TATTOO_STATE_DIR "$TATTOO" --root "$IMG2" --config "$T/live.conf" \
    status
check "... its state_dir is read" contains "$T/out" "$T/live-state/status.json"

done_testing
