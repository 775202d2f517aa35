#!/bin/sh
# write off Azure (issue 16): when IMDS is unreachable, refuses (a 403,
# as another cloud's metadata service answers) or times out, the source
# is recorded as unknown and write tells the user to pass --source.  The
# README quick start's --source names the distribution it runs on.
. "$(dirname "$0")/../lib.sh"

make_root "$T/r" ubuntu 24.04 "Ubuntu 24.04 LTS"
# written_unknown DESC: write exited 0, recorded "unknown", said --source.
written_unknown() {
	if [ "$rc" -eq 0 ] && contains "$T/err" "pass --source" &&
	    [ "$("$TATTOO" --root "$r" show --field source.origin)" = unknown ]
	then
		pass "$1"
	else
		echo "# exit $rc" >"$T/why"
		fail "$1" "$T/why" "$T/err"
	fi
}
write_to() {
	r="$T/$1"
	rm -rf "$r"; cp -a "$T/r" "$r"
	run "$TATTOO" --root "$r" write --image-name g --image-version 1
}

# lib.sh points IMDS at a closed loopback port.
write_to refused
written_unknown "IMDS unreachable: pass --source"

# A loopback stand-in that answers 403, as off Azure another cloud's
# metadata service may; it binds port 0 and says its port.
python3 - "$T/srv.port" <<'PY' &
import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(403)
        self.send_header('Content-Length', '0')
        self.end_headers()
    def log_message(self, *a):
        pass
s = http.server.HTTPServer(('127.0.0.1', 0), H)
open(sys.argv[1] + '.tmp', 'w').write('%d\n' % s.server_address[1])
import os
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
s.serve_forever()
PY
srv=$!
trap 'kill $srv 2>/dev/null; rm -rf "$T"' EXIT
wait_file "$T/srv.port" || fail "the 403 stand-in did not start"
TATTOO_IMDS_URL=http://127.0.0.1:$(cat "$T/srv.port") write_to forbidden
written_unknown "IMDS 403: pass --source"
kill $srv 2>/dev/null

expect_exit 0 "--no-imds says nothing of --source" "$TATTOO" --root "$T/r" \
    write --image-name g --image-version 1 --no-imds
check "no hint with --no-imds" sh -c "! grep -q 'pass --source' '$T/err'"

# The quick start's demo line, on this fixture's os-release.
cmd=$(grep -o -- '--source "$(. /etc/os-release[^)]*)"' "$TT_TOP/README.md" |
    head -n 1 | sed 's|/etc/os-release|"$OSR"|')
check "the quick start derives --source from os-release" test -n "$cmd"
src=$(OSR="$T/r/usr/lib/os-release" eval "echo $(echo "$cmd" | sed 's/^--source //')")
check "on Ubuntu 24.04 it names ubuntu 24.04" \
    test "$src" = "local:ubuntu:24.04:1"
done_testing
