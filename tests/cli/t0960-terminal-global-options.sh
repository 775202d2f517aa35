#!/bin/sh
# -q and -v are global: before the command they do what they do after it
# (issue 16).  `tattoo -v audit` lists the passing rules as `tattoo audit
# -v` does; `tattoo -q scrub` on a terminal draws no progress.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/audit-fixtures.sh"

noncompliant_root "$T/root"
A="--root $T/root --rules $PACK"
# shellcheck disable=SC2086
run "$TATTOO" audit $A
cp "$T/out" "$T/plain"
# shellcheck disable=SC2086
run "$TATTOO" audit -v $A
# The header's "Generated" time is the run's own second.
same() { sed '/^Generated /d' "$1" >"$1.m"; sed '/^Generated /d' "$2" >"$2.m"; cmp -s "$1.m" "$2.m"; }
cp "$T/out" "$T/after"
# shellcheck disable=SC2086
expect_exit 1 "tattoo -v audit runs" "$TATTOO" -v audit $A
check "-v after the command lists more than without it" \
    sh -c "[ \$(wc -l <'$T/after') -gt \$(wc -l <'$T/plain') ]"
check "tattoo -v audit prints what tattoo audit -v prints" \
    same "$T/out" "$T/after"
# shellcheck disable=SC2086
expect_exit 1 "tattoo --verbose audit runs" "$TATTOO" --verbose audit $A
check "--verbose before the command too" same "$T/out" "$T/after"

# scrub's progress is drawn on a terminal only: run it on a pty.
make_root "$T/s"
mkdir -p "$T/s/srv"
for i in 1 2 3 4 5 6 7 8; do echo "file $i" >"$T/s/srv/f$i"; done
# on_pty OUT ARGS...: the tattoo's stderr and stdout from a pty in OUT.
on_pty() {
	out=$1; shift
	python3 - "$out" "$TATTOO" "$@" <<'PY'
import os, pty, sys
out, argv = sys.argv[1], sys.argv[2:]
pid, fd = pty.fork()
if pid == 0:
    os.environ['TERM'] = 'xterm'
    os.execv(argv[0], argv)
data = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    data += chunk
os.waitpid(pid, 0)
open(out, 'wb').write(data)
PY
}
on_pty "$T/pty-plain" --root "$T/s" scrub --check
on_pty "$T/pty-after" --root "$T/s" scrub --check -q
on_pty "$T/pty-before" -q --root "$T/s" scrub --check
check "scrub draws progress on a terminal" grep -q "scrub: [0-9]" "$T/pty-plain"
check "scrub -q draws none" sh -c "! grep -q 'scrub: [0-9]' '$T/pty-after'"
check "tattoo -q scrub draws none" \
    sh -c "! grep -q 'scrub: [0-9]' '$T/pty-before'"
check "tattoo -q scrub still prints its result" \
    sh -c "[ -s '$T/pty-before' ]"
done_testing
