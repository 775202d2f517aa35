# Sourced by the longer suites that run outside tests/run.sh
# (tests/integration/run.sh and trixie.sh, tests/pipeline/run.sh,
# tests/quickstart/run.sh) after they cd to the top: their count and the
# closing "N passed, N failed" line .ci/run adds up.  check writes the
# command's output to $work/check.log, which the suite makes.
passed=0
failed=0
# ok DESC; no DESC [LOG]: a passed or failed check, a failure with the
# end of LOG.
ok() { passed=$((passed + 1)); echo "ok - $1"; }
no() { failed=$((failed + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && [ -f "$2" ] && sed 's/^/#   /' "$2" | tail -25; }
# check DESC CMD...: CMD's exit status is the check.
check() { d=$1; shift; if "$@" >"$work/check.log" 2>&1; then ok "$d"; else no "$d" "$work/check.log"; fi; }
# finish: the closing line, and exit 0 only when nothing failed.
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }
