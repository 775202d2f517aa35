# Sourced by every tests/cli/t*.sh: assertions that print "ok - …" or
# "not ok - …" lines for tests/run.sh, and fixture helpers.  Each script
# gets its own temporary directory in $T, removed at exit; nothing here
# touches the machine's own /etc.

TATTOO=${TATTOO:-$(cd "$(dirname "$0")/../.." && pwd)/build/san/tattoo}
TT_TOP=${TT_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/tattoo-cli-XXXXXX")
trap 'rm -rf "$T"' EXIT
# No test may see a proxy or a real IMDS: point IMDS at a closed port.
TATTOO_IMDS_URL=${TATTOO_IMDS_URL:-http://127.0.0.1:9}
TATTOO_RETRY_SCALE_MS=${TATTOO_RETRY_SCALE_MS:-1}
export TATTOO_IMDS_URL TATTOO_RETRY_SCALE_MS
# The agent's state and configuration are the host's, under --root too:
# point both into $T so no test reads the machine's /etc/tattoo/agent.conf
# or writes its /var/lib/tattoo.  A test that needs keys gives them with
# --config FILE (which wins over TATTOO_CONFIG) or TATTOO_<KEY>.
TATTOO_STATE_DIR=$T/state
TATTOO_CONFIG=$T/host.conf
: >"$TATTOO_CONFIG" && chmod 0644 "$TATTOO_CONFIG"
export TATTOO_STATE_DIR TATTOO_CONFIG

_tt_n=0
_tt_failed=0

pass() { _tt_n=$((_tt_n + 1)); echo "ok $_tt_n - $1"; }
fail() {
	_tt_n=$((_tt_n + 1)); _tt_failed=$((_tt_failed + 1))
	echo "not ok $_tt_n - $1"
	shift
	for f in "$@"; do
		[ -f "$f" ] && sed 's/^/#   /' "$f" | head -30
	done
	return 0
}

# run CMD...: runs with stdout in $T/out, stderr in $T/err, status in $rc.
run() {
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

# expect_exit N DESC CMD...: the command exits with status N.
expect_exit() {
	want=$1; desc=$2; shift 2
	run "$@"
	if [ "$rc" -eq "$want" ]; then
		pass "$desc"
	else
		echo "# expected exit $want, got $rc: $*" >"$T/why"
		fail "$desc" "$T/why" "$T/out" "$T/err"
	fi
}

# check DESC CMD...: the command (a test) succeeds.
check() {
	desc=$1; shift
	if "$@"; then pass "$desc"; else fail "$desc" "$T/out" "$T/err"; fi
}

# pychecks N [ARG...] <<'PY' ... PY: N checks in one python3 start (a
# start is 20-45 ms of CPU, and the tests made one per assertion: issue
# 17).  The script gets ARGs in sys.argv[1:], json, os, re and sys
# imported, load(PATH) (json.load), and calls check(DESC, COND, WHY='')
# once per assertion, or `with checked(DESC):` around a block of asserts
# (an exception in the block fails that check only): each check is one
# "ok"/"not ok" line, in order, WHY or the exception shown under a
# failure (tests/cli/pychecks.py).  An exception, an exit,
# or fewer than N calls fail each check not made, with the script's
# stderr; more than N calls is a failure too.
pychecks() {
	_pc_want=$1; shift
	: >"$T/pychecks.res"
	python3 "$TT_TOP/tests/cli/pychecks.py" "$T/pychecks.res" "$@" \
	    >"$T/pychecks.err" 2>&1
	_pc_rc=$?
	_pc_got=0
	_pc_tab='	'
	while IFS= read -r _pc_line; do
		_pc_got=$((_pc_got + 1))
		case $_pc_line in
		"ok$_pc_tab"*) pass "${_pc_line#ok"$_pc_tab"}" ;;
		*)
			_pc_line=${_pc_line#not ok"$_pc_tab"}
			printf '%b\n' "${_pc_line#*"$_pc_tab"}" >"$T/pychecks.why"
			cat "$T/pychecks.err" >>"$T/pychecks.why"
			fail "${_pc_line%%"$_pc_tab"*}" "$T/pychecks.why"
			;;
		esac
	done <"$T/pychecks.res"
	if [ "$_pc_got" -lt "$_pc_want" ]; then
		while [ "$_pc_got" -lt "$_pc_want" ]; do
			_pc_got=$((_pc_got + 1))
			fail "check $_pc_got of $_pc_want not made: the script stopped (status $_pc_rc)" "$T/pychecks.err"
		done
	elif [ "$_pc_got" -gt "$_pc_want" ]; then
		fail "$_pc_got checks made, $_pc_want expected" "$T/pychecks.err"
	elif [ "$_pc_rc" -ne 0 ]; then
		fail "the check script exited with status $_pc_rc" "$T/pychecks.err"
	fi
}

# pyjson_q DESC FILE CODE: tests/report.sh's pyjson (python CODE, with
# `d` the JSON of FILE and json and sys imported, must not fail), queued:
# FILE is copied now, as pyjson would have read it; pyjson_run makes the
# queued checks, in order, in one python3.  Queue only checks that follow
# each other: their ok lines come out at pyjson_run.
_pq_n=0
pyjson_q() {
	_pq_n=$((_pq_n + 1))
	printf '%s' "$1" >"$T/pyq.$_pq_n.desc"
	printf '%s' "$3" >"$T/pyq.$_pq_n.code"
	if cp "$2" "$T/pyq.$_pq_n.json" 2>"$T/pyq.$_pq_n.st"; then
		: >"$T/pyq.$_pq_n.st"
	fi
}
pyjson_run() {
	pychecks "$_pq_n" "$T" "$_pq_n" <<'PY'
for i in range(1, int(sys.argv[2]) + 1):
    q = '%s/pyq.%d.' % (sys.argv[1], i)
    desc = open(q + 'desc').read()
    with checked(desc):
        st = open(q + 'st').read()
        assert not st, st
        run('\n' + open(q + 'code').read() + '\n', desc, {'json': json, 'sys': sys, 'd': load(q + 'json')})
PY
	_pq_n=0
}

# verdict_lines JSON FILE [JSON FILE...]: the "ID RESULT" line of each
# rule of an audit's JSON document into FILE, for verdict_of (one python3
# for the documents, not one per rule looked up).
verdict_lines() {
	python3 -c 'import json, sys
for i in range(1, len(sys.argv), 2):
    with open(sys.argv[i + 1], "w") as f:
        for r in json.load(open(sys.argv[i]))["results"]:
            f.write("%s %s\n" % (r["id"], r["result"]))' "$@"
}

# verdict_of FILE ID: sets $verdict to ID's result in verdict_lines' FILE,
# "missing" when it has none (shell builtins only: no process).
# shellcheck disable=SC2034 # $verdict is the caller's
verdict_of() {
	verdict=missing
	while read -r _vo_id _vo_res; do
		if [ "$_vo_id" = "$2" ]; then verdict=$_vo_res; break; fi
	done <"$1"
}

# contains FILE TEXT: FILE holds TEXT (fixed string).
contains() { grep -qF -- "$2" "$1"; }

# make_root DIR [ID VERSION_ID PRETTY]: a minimal image tree.
make_root() {
	mkdir -p "$1/etc" "$1/usr/lib"
	printf 'ID=%s\nVERSION_ID="%s"\nPRETTY_NAME="%s"\n' \
	    "${2:-debian}" "${3:-12}" "${4:-Debian GNU/Linux 12 (bookworm)}" \
	    >"$1/usr/lib/os-release"
	ln -sf ../usr/lib/os-release "$1/etc/os-release"
}

# A free TCP port on the loopback, free when asked only: tests run in
# parallel, and another may take it before it is used.  A port that must
# refuse is closed_port's; a server binds port 0 itself and says its port
# (as start_mock and serve_port do).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# wait_file FILE: waits until FILE is not empty, 30 s at most (servers
# start slowly on a loaded machine).
wait_file() {
	_w=0
	while [ ! -s "$1" ] && [ $_w -lt 300 ]; do
		sleep 0.1; _w=$((_w + 1))
	done
	[ -s "$1" ]
}

# closed_port VAR: sets VAR to a loopback TCP port where a connection is
# refused for as long as $T exists: a helper holds it bound without
# listening, so no test running beside this one can listen on it.
closed_port() {
	python3 -c '
import os, socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("%d\n" % s.getsockname()[1])
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
while os.path.isdir(sys.argv[2]):
    time.sleep(0.5)
' "$T/closed.$1" "$T" </dev/null >/dev/null 2>&1 &
	wait_file "$T/closed.$1" || { echo "# closed_port: no port"; return 1; }
	read -r "$1" <"$T/closed.$1"
}

# start_mock: starts tests/mock/azure_mock.py; sets MOCK_HTTP (IMDS base
# URL), MOCK_HTTPS (ARM/collector base URL), MOCK_MTLS (the same, demanding
# a client certificate), MOCK_CA (its CA certificate), MOCK_SYSLOG_PORT
# (TCP and UDP), MOCK_SYSLOG_SOCK (unix datagram) and MOCK_CTL (control
# URL).  Stopped at exit.
start_mock() {
	# The certificates tests/run.sh made for this run, if any: the mock
	# makes its own when they are missing.
	if [ -n "${TT_MOCK_CERTS:-}" ] && [ -s "$TT_MOCK_CERTS/server.pem" ]; then
		mkdir -p "$T/mock" && cp -p "$TT_MOCK_CERTS"/* "$T/mock/"
	fi
	python3 "$TT_TOP/tests/mock/azure_mock.py" --dir "$T/mock" \
	    >"$T/mock.log" 2>&1 &
	_mock_pid=$!
	trap 'kill $_mock_pid 2>/dev/null; rm -rf "$T"' EXIT
	if ! wait_file "$T/mock/ports"; then
		echo "# mock did not start"; cat "$T/mock.log"; return 1
	fi
	read -r _http _https _mtls _syslog <"$T/mock/ports"
	MOCK_HTTP="http://127.0.0.1:$_http"
	MOCK_HTTPS="https://localhost:$_https"
	MOCK_MTLS="https://localhost:$_mtls"
	MOCK_SYSLOG_PORT=$_syslog
	MOCK_SYSLOG_SOCK="$T/mock/syslog.sock"
	MOCK_CA="$T/mock/ca.pem"
	MOCK_CTL="$MOCK_HTTP/_mock"
}

# mock_ctl PATH [JSON]: GET or POST a control request to the mock.
mock_ctl() {
	if [ $# -gt 1 ]; then
		curl -s --noproxy '*' -X POST -d "$2" "$MOCK_CTL/$1"
	else
		curl -s --noproxy '*' "$MOCK_CTL/$1"
	fi
}

done_testing() {
	echo "# $_tt_n tests, $_tt_failed failed"
	[ "$_tt_failed" -eq 0 ]
}

# need_rpmbuild: a test of rpm image trees (tests/fixtures/rpm-root.py and
# make-rhel-root.sh build their packages with it) ends here, failed, on a
# machine without rpmbuild.
need_rpmbuild() {
	command -v rpmbuild >/dev/null 2>&1 && return 0
	fail "rpmbuild is needed (make deps installs rpm)"
	done_testing
	exit
}
