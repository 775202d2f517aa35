#!/bin/sh
# Runs every unit test binary and every command-line test script, counts
# their "ok"/"not ok" lines, and ends with "N passed, N failed" for CI.
# A binary or script that crashes or exits non-zero without reporting a
# failure counts as one failed test.
#
#   sh tests/run.sh [FILTER]    only the tests whose name contains FILTER
#
# The tests run in parallel, TT_JOBS at a time (default: 4 per CPU; most
# of a test's time is spent waiting on sleeps, timeouts and the mock, so
# more jobs than cores pays), each in its own temporary directory ($T of
# tests/lib.sh, mkdtemp in the unit tests).  The slowest start first, as
# timed by the last run in this build tree (TIMES below), else as listed
# in tests/slow.list, so that the run ends with the many short ones.
# PASS/FAIL lines appear as the tests end; the 10 slowest are listed last.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

# make test-valgrind runs the same scripts against other binaries.
export TATTOO="${TT_RUN_TATTOO:-$top/build/san/tattoo}"
export TT_TOP="$top"
# UBSan aborts.  Leaks are found by LeakSanitizer, in the unit tests
# always; in the command-line tests with TT_CLI_LEAKS=1 (make test-leaks,
# which CI runs): its check at the exit of each of the suite's thousands
# of tattoo processes costs 25-40 ms of CPU (it scans the sanitizer
# runtime's own 5.6 MB of globals, page by page), 35-50% of the suite's
# CPU, and the command-line paths leak no more often than the modules
# the unit tests cover.
# Allocation and free stacks are kept TT_MALLOC_STACK frames deep (ASan's
# default: 30; make test-leaks and CI keep 30).  The depth changes what
# a report shows of where the memory was allocated or freed, not what is
# detected: every overflow, use after free, double free and leak is still
# found, at the same place.  Unwinding 30 frames at each malloc and free,
# and a page of the stack depot's table for each new stack, was a fifth
# of the unit tests' CPU (37 -> 30 s; test_rules 23 -> 14 s), a tenth of
# the command-line tests' and a quarter of a one-rule audit's page
# faults (2,985 -> 2,190).  To see the whole
# stacks of a failure: TT_MALLOC_STACK=30 sh tests/run.sh NAME.
# An ASAN_OPTIONS of the caller is kept as it is.
stack="malloc_context_size=${TT_MALLOC_STACK:-2}"
unit_asan="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1:$stack}"
cli_asan="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=${TT_CLI_LEAKS:-0}:$stack}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Nothing of the host's configuration or network may leak into a test.
unset TATTOO_CONFIG http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
for v in $(env | sed -n 's/^\(TATTOO_[A-Z_]*\)=.*/\1/p'); do
	[ "$v" = TATTOO ] || unset "$v"
done

only=${1:-}
unit_dir=${TT_RUN_UNIT_DIR:-build/san/tests}
# Seconds each test took last time ("SECONDS NAME" lines), per build.
times=${TT_RUN_TIMES:-$(dirname "$unit_dir")/test-times}
jobs=${TT_JOBS:-$(($(nproc 2>/dev/null || echo 1) * 4))}
[ "$jobs" -ge 1 ] 2>/dev/null || jobs=1

# The tests' temporary directories ($T, the unit tests' tt_test_tmpdir,
# this run's logs) go in TMPDIR, a tmpfs when there is one that can run
# a program (/dev/shm; TT_TMPDIR names another): the suite makes and
# removes tens of thousands of files, and on the ext4 of /tmp each new
# inode cost a search past the recently deleted ones (10,000 files of
# t0930's: 4.3 s there, 0.4 s on tmpfs; the suite's CPU 116 -> 94-102 s
# on the 2-core machine; issue 17).
# tmp_ok DIR: DIR is writable, has 1 GB free (the suite's peak was some
# 50 MB; a container's /dev/shm may have 64 MB) and can run a program
# (is not mounted noexec).
tmp_ok() {
	[ -d "$1" ] && [ -w "$1" ] || return 1
	_kb=$(df -Pk "$1" 2>/dev/null | awk 'NR == 2 { print $4 }')
	[ "${_kb:-0}" -ge 1048576 ] 2>/dev/null || return 1
	_d=$(mktemp -d "$1/tattoo-probe-XXXXXX" 2>/dev/null) || return 1
	printf '#!/bin/sh\nexit 0\n' >"$_d/x" && chmod 0755 "$_d/x" &&
	    "$_d/x" 2>/dev/null
	_r=$?
	rm -rf "$_d"
	return "$_r"
}
if [ -n "${TT_TMPDIR:-}" ]; then
	TMPDIR=$TT_TMPDIR
elif [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && tmp_ok /dev/shm; then
	TMPDIR=/dev/shm
else
	TMPDIR=/tmp
fi
export TMPDIR
echo "# temporary directories in $TMPDIR"
logdir=$(mktemp -d "$TMPDIR/tattoo-run-XXXXXX")
trap 'rm -rf "$logdir"' EXIT
trap 'exit 130' INT TERM

# python3 is the interpreter itself, not a version manager's shim (pyenv
# runs a dozen processes per call, and the tests call python3 hundreds
# of times), in a virtual environment made here: its sys.path is the
# interpreter's standard library and installed modules (jsonschema for
# tests/cli/formatcheck.py), but the .pth files of the installed modules'
# directory are not run.  Those are the host's start-up hooks (here one
# imports certifi, and with it re, pathlib and tempfile, at every start):
# 55-60 ms of the 95 ms of CPU a `python3 -c pass` took, in a suite that
# starts python3 more than a thousand times (issue 17).
py=$(python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
if [ -x "$py" ] && pyv=$("$py" -c 'import site, sys
print("python%d.%d" % sys.version_info[:2])
print("\n".join(site.getsitepackages()))' 2>/dev/null); then
	pysite="$logdir/py/lib/$(echo "$pyv" | head -n 1)/site-packages"
	mkdir -p "$logdir/py/bin" "$pysite" &&
	    ln -s "$py" "$logdir/py/bin/python3" &&
	    printf 'home = %s\ninclude-system-site-packages = false\n' \
		"$(dirname "$py")" >"$logdir/py/pyvenv.cfg" &&
	    echo "$pyv" | sed 1d >"$pysite/tt-interpreter.pth" &&
	    PATH="$logdir/py/bin:$PATH" && export PATH
fi
# The loopback mock's test CA and certificates (tests/mock/azure_mock.py),
# made once for the run's tests, not six openssl processes per mock.
if python3 tests/mock/azure_mock.py --dir "$logdir/mock-certs" --certs-only \
    >/dev/null 2>&1; then
	TT_MOCK_CERTS="$logdir/mock-certs"
	export TT_MOCK_CERTS
fi
passed=0
failed=0
failures=""

# ms: milliseconds since the epoch.
ms() { echo $(($(date +%s%N) / 1000000)); }

# The tests, "KIND NAME PATH", slowest known first; the unknown keep
# their glob order after them.  (Names by parameter expansion: a
# basename per test was 170 processes, most of a second of CPU.)
{
	for t in "$unit_dir"/test_*; do
		[ -x "$t" ] || continue
		name=${t##*/}
		# A binary left from a test whose source is gone is not a test.
		[ -f "tests/unit/$name.c" ] || continue
		case "$name" in *"$only"*) echo "unit $name $t" ;; esac
	done
	for t in tests/cli/t[0-9]*.sh; do
		[ -f "$t" ] || continue
		name=${t##*/}
		name=${name%.sh}
		case "$name" in *"$only"*) echo "cli $name $t" ;; esac
	done
} >"$logdir/list"
awk -v times="$times" '
	function load(f, l, w) {
		while ((getline l <f) > 0)
			if (split(l, w) == 2 && w[1] !~ /^#/ && !(w[2] in s))
				s[w[2]] = w[1]
	}
	BEGIN { load(times); load("tests/slow.list") }
	{ print (($2 in s) ? s[$2] : 0), $0 }' "$logdir/list" |
    sort -s -k1,1nr >"$logdir/order"

# run_one KIND NAME PATH: runs one test into NAME.log, its exit status
# into NAME.rc, its wall and CPU milliseconds into NAME.ms, then hands its
# name back through the slot pipe.  The test gets neither the pipe nor
# stdin.  (A subshell's `times` counts only its own children: the test.)
run_one() {
	_s=$(ms)
	if [ "$1" = unit ]; then
		ASAN_OPTIONS=$unit_asan ${TT_RUN_WRAP:-} "$3" \
		    >"$logdir/$2.log" 2>&1 </dev/null 3>&-
	else
		ASAN_OPTIONS=$cli_asan sh "$3" >"$logdir/$2.log" 2>&1 \
		    </dev/null 3>&-
	fi
	echo $? >"$logdir/$2.rc"
	_w=$(($(ms) - _s))
	# (not `times | awk`: in a pipeline, times runs in a child of its own)
	times >"$logdir/$2.cpu"
	awk -v w="$_w" 'NR == 2 {
		for (i = 1; i <= 2; i++) {
			split($i, t, "m"); sub(/s$/, "", t[2])
			c += t[1] * 60000 + t[2] * 1000
		}
		printf "%d %d\n", w, c }' "$logdir/$2.cpu" >"$logdir/$2.ms"
	echo "$2" >&3
}

count() {
	# $1: log file, $2: exit status, $3: name, $4: wall and CPU ms
	pf=$(awk '/^ok / { p++ } /^not ok / { f++ }
	    END { print p + 0, f + 0 }' "$1")
	p=${pf% *}
	f=${pf#* }
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $3 exited with status $2" >>"$1"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	secs=$(echo "$4" | awk '{ printf "%.1f s, cpu %.1f s", $1 / 1000, $2 / 1000 }')
	if [ "$f" -ne 0 ]; then
		failures="$failures $3"
		echo "FAIL $3 ($p passed, $f failed; $secs)"
		grep -v '^ok ' "$1" | sed 's/^/    /' | tail -40
	else
		echo "PASS $3 ($p; $secs)"
	fi
}

# A job slot is a line in a FIFO: each test ends by writing its name
# there, and this shell, the only one printing, reads it to report the
# test and start the next one.
mkfifo "$logdir/slots" || exit 2
exec 3<>"$logdir/slots"
running=0
reap() {
	read -r fin <&3
	running=$((running - 1))
	# (read, not cat: two processes fewer per test)
	read -r _rc <"$logdir/$fin.rc"
	read -r _ms <"$logdir/$fin.ms"
	count "$logdir/$fin.log" "$_rc" "$fin" "$_ms"
	echo "$_ms $fin" >>"$logdir/times"
}
start=$(ms)
while read -r _key kind name path; do
	[ "$running" -lt "$jobs" ] || reap
	run_one "$kind" "$name" "$path" &
	running=$((running + 1))
done <"$logdir/order"
while [ "$running" -gt 0 ]; do reap; done
wait
exec 3>&-

if [ -s "$logdir/times" ]; then
	# The CPU the tests used is the wall time no job count can save on
	# this machine: total CPU / cores.
	awk -v w="$(($(ms) - start))" -v j="$jobs" '{ c += $2 } END {
	    printf "%d tests, %d jobs: %.0f s wall, %.0f s cpu; the slowest:\n",
	    NR, j, w / 1000, c / 1000 }' "$logdir/times"
	sort -k1,1nr "$logdir/times" | head -n 10 |
	    awk '{ printf "    %6.1f s  (cpu %5.1f s)  %s\n", $1 / 1000, $2 / 1000, $3 }'
	# This run's wall times, in seconds, replace the last ones of these
	# tests for the next run's order.
	if [ -d "$(dirname "$times")" ]; then
		{
			awk '{ printf "%.1f %s\n", $1 / 1000, $3 }' "$logdir/times"
			[ -f "$times" ] && cat "$times"
		} | awk '!($2 in s) { s[$2] = 1; print }' >"$logdir/merged" &&
		    cp "$logdir/merged" "$times"
	fi
fi
[ -z "$failures" ] || echo "failed:$failures"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
