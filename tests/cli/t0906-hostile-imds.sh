#!/bin/sh
# IMDS answers are input from the network: too large, malformed, of the
# wrong types, throttled with an absurd Retry-After, silent, or trickling.
# tattoo write completes within its time limits and records the source as
# unknown, saying why, instead of hanging or trusting the answer.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

start_mock || { fail "mock"; done_testing; exit 1; }
srv=""
trap 'kill $_mock_pid $srv 2>/dev/null; rm -rf "$T"' EXIT
make_root "$T/r"
TATTOO_IMDS_URL=$MOCK_HTTP
export TATTOO_IMDS_URL

# write_with NAME: write into a fresh copy of the root; sets $r.
write_with() {
	r="$T/$1"
	rm -rf "$r"; cp -a "$T/r" "$r"
	run timeout -s KILL "$TT_HANG_S" "$TATTOO" --root "$r" write \
	    --image-name g --image-version 1
}
# recorded_unknown DESC WHY: the write completed, the source is unknown,
# and stderr says WHY.
recorded_unknown() {
	if [ "$rc" -eq 0 ] && _sane && contains "$T/err" "$2" &&
	    [ "$("$TATTOO" --root "$r" show --field source.origin)" = unknown ]
	then
		pass "$1"
	else
		echo "# exit $rc" >"$T/why"
		fail "$1" "$T/why" "$T/err"
	fi
}

write_with sane
check "the mock works: source from IMDS" \
    [ "$("$TATTOO" --root "$r" show --field source.origin)" = imds ]

python3 -c 'import json; print(json.dumps({"compute": {"vmId": "x"}, "pad": "A" * 600000}))' >"$T/huge.json"
curl -s --noproxy '*' -X POST --data-binary @"$T/huge.json" \
    "$MOCK_CTL/instance" >/dev/null
write_with huge
recorded_unknown "an answer over 512 KiB is refused" "IMDS request failed"

mock_ctl instance '[1, 2, 3]' >/dev/null
write_with array
recorded_unknown "a non-object answer" "malformed instance document"

mock_ctl instance '{"compute": {"vmId": 5, "storageProfile": "x", "tagsList": {"a": 1}}}' >/dev/null
write_with types
recorded_unknown "fields of the wrong types" "names no image reference"

mock_ctl instance "$(python3 -c 'print("[" * 500 + "]" * 500)')" >/dev/null
write_with deep
recorded_unknown "a deeply nested answer" "malformed instance document"

long=$(python3 -c 'print("p" * 5000)')
mock_ctl instance "{\"compute\": {\"storageProfile\": {\"imageReference\": {\"publisher\": \"$long\", \"offer\": \"o\", \"sku\": \"s\", \"version\": \"1\"}}}}" >/dev/null
write_with overlong
check "an overlong publisher is cut to its bound" \
    [ "$("$TATTOO" --root "$r" show --field source.publisher | wc -c)" -le 256 ]
mock_ctl reset >/dev/null

# Retry-After: one day.  Honoured only up to our own longest backoff step,
# so six retries end in seconds (at 20 ms per documented second) instead
# of six days.
mock_ctl fail '{"route": "imds", "statuses": [429, 429, 429, 429, 429, 429, 429], "retry_after": 86400}' >/dev/null
start=$(date +%s)
TATTOO_RETRY_SCALE_MS=20 write_with throttled
recorded_unknown "Retry-After: 86400 is capped" "HTTP 429 after every retry"
check "... and the retries took under 30 s" [ $(($(date +%s) - start)) -lt 30 ]
mock_ctl reset >/dev/null

# A server that accepts and never answers, and one that trickles bytes
# forever: the 2 s limits of every IMDS request end both.  Each binds
# port 0 and writes its port to the file named first (tests run in
# parallel: a port picked free beforehand could be taken meanwhile).
python3 - "$T/silent.port" <<'EOF' >/dev/null 2>&1 &
import os, socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def serve(c):
    c.recv(4096)
    time.sleep(3600)
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
srv=$!
python3 - "$T/trickle.port" <<'EOF' >/dev/null 2>&1 &
import os, socket, sys, threading, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
open(sys.argv[1] + ".tmp", "w").write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
def serve(c):
    c.recv(4096)
    c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n")
    try:
        while True:
            c.sendall(b"1\r\n \r\n")
            time.sleep(0.05)
    except OSError:
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
EOF
srv="$srv $!"
wait_file "$T/silent.port" && wait_file "$T/trickle.port" ||
    fail "the silent and trickling servers start"
read -r port <"$T/silent.port"
read -r tport <"$T/trickle.port"
start=$(date +%s)
TATTOO_IMDS_URL=http://127.0.0.1:$port write_with silent
recorded_unknown "a silent IMDS: not on Azure" "not on Azure"
check "... within the time limit" [ $(($(date +%s) - start)) -lt 20 ]
start=$(date +%s)
TATTOO_IMDS_URL=http://127.0.0.1:$tport write_with trickle
recorded_unknown "a trickling IMDS is cut off" "source image unknown"
check "... within the time limit" [ $(($(date +%s) - start)) -lt 20 ]
done_testing
