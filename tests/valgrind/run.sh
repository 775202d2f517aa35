#!/bin/sh
# make test-valgrind: the unit tests (built without sanitizers in
# build/vg/tests) and the malformed-input and fault-injection suite
# (tests/cli/t09*) under valgrind.  Each prints tests/run.sh's summary.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 2
export TT_RUN_TATTOO="$top/tests/valgrind/tattoo"
export TT_RUN_UNIT_DIR=build/vg/tests
# --vgdb=no: no gdbserver FIFOs, which a valgrind the tests kill leaves
# in TMPDIR (tests/run.sh's tmpfs).
export TT_RUN_WRAP="valgrind -q --vgdb=no --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite"
# valgrind is some 20 times slower: a longer hang limit.
export TT_HANG_S=300
status=0
echo "== unit tests under valgrind"
sh tests/run.sh test_ || status=1
echo "== tests/cli/t09* under valgrind"
sh tests/run.sh t09 || status=1
exit $status
