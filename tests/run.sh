#!/bin/sh
# Runs every unit test binary and every command-line test script, counts
# their "ok"/"not ok" lines, and ends with "N passed, N failed" for CI.
# A binary or script that crashes or exits non-zero without reporting a
# failure counts as one failed test.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 2

# make test-valgrind runs the same scripts against other binaries.
export TATTOO="${TT_RUN_TATTOO:-$top/build/san/tattoo}"
export TT_TOP="$top"
# Leaks are found by LeakSanitizer where ptrace allows it; UBSan aborts.
export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
# Nothing of the host's configuration or network may leak into a test.
unset TATTOO_CONFIG http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
for v in $(env | sed -n 's/^\(TATTOO_[A-Z_]*\)=.*/\1/p'); do
	[ "$v" = TATTOO ] || unset "$v"
done

logdir=$(mktemp -d /tmp/tattoo-run-XXXXXX)
passed=0
failed=0
only=${1:-}

count() {
	# $1: log file, $2: exit status, $3: name
	p=$(grep -c '^ok ' "$1")
	f=$(grep -c '^not ok ' "$1")
	if [ "$2" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok - $3 exited with status $2" >>"$1"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	if [ "$f" -ne 0 ]; then
		echo "FAIL $3 ($p passed, $f failed)"
		grep -v '^ok ' "$1" | sed 's/^/    /' | tail -40
	else
		echo "PASS $3 ($p)"
	fi
}

for t in "${TT_RUN_UNIT_DIR:-build/san/tests}"/test_*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	case "$name" in *"$only"*) ;; *) continue ;; esac
	${TT_RUN_WRAP:-} "$t" >"$logdir/$name.log" 2>&1
	count "$logdir/$name.log" $? "$name"
done

for t in tests/cli/t[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	case "$name" in *"$only"*) ;; *) continue ;; esac
	sh "$t" >"$logdir/$name.log" 2>&1
	count "$logdir/$name.log" $? "$name"
done

rm -rf "$logdir"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
