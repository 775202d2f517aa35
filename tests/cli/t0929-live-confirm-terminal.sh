#!/bin/sh
# On a terminal (stdin and stderr ttys), a live harden or scrub --apply
# says what it will do to / and asks "Continue? [y/N]": anything but y/yes
# ("n", Enter, end of input) refuses with exit 2 and changes nothing; "y"
# goes on.  Each command also carries a second stop (a missing rule pack
# or allowlist) that ends it before it reads the system, so that no answer
# can make this test harden or scrub the machine.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

export TATTOO_STATE_DIR="$T/state"
: >"$T/host.conf"

# on_tty ANSWER CMD...: runs CMD on a new terminal and types ANSWER
# ("EOF": end of input) once the question is on it; the terminal's text
# goes to $T/out, the exit status to $rc.
on_tty() {
	python3 - "$T/out" "$@" <<'PY'
import os, pty, select, signal, sys, time
out, answer, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
pid, fd = pty.fork()
if pid == 0:
    os.execv(argv[0], argv)
text, asked, deadline = b"", False, time.time() + 60
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        text += chunk
    if not asked and b"Continue? [y/N]" in text:
        asked = True
        os.write(fd, b"\x04" if answer == "EOF" else answer.encode() + b"\r")
else:
    os.kill(pid, signal.SIGKILL)
_, status = os.waitpid(pid, 0)
open(out, "wb").write(text)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
PY
	rc=$?
}

H="$TATTOO --config $T/host.conf harden --rules $T/missing.json"
S="$TATTOO --config $T/host.conf scrub --apply --allowlist $T/missing"

for answer in n "" EOF no; do
	on_tty "$answer" $H
	check "harden answered '$answer': exit 2 (got $rc)" test "$rc" -eq 2
	check "harden asked first, saying what it changes" \
	    contains "$T/out" "tattoo harden will change / (this system): it fixes the failing rules"
	check "harden answered '$answer': not confirmed, nothing read" sh -c \
	    "grep -q 'not confirmed, nothing changed' '$T/out' && ! grep -q missing.json '$T/out'"
done
on_tty n $S
check "scrub --apply answered n: exit 2 (got $rc)" test "$rc" -eq 2
check "scrub --apply asked, naming what it deletes" \
    contains "$T/out" "tattoo scrub --apply will change / (this system): it deletes the leftovers"
check "scrub --apply answered n: the allowlist is never read" \
    sh -c "! grep -q '$T/missing' '$T/out'"
check "nothing written after a no: no state directory" test ! -e "$T/state"

# "y" goes on, to the second stop.
on_tty y $H
check "harden answered y goes on to the missing rule pack (exit 3, got $rc)" \
    sh -c "test $rc -eq 3 && grep -q missing.json '$T/out'"
on_tty y $S
check "scrub --apply answered y goes on to the missing allowlist (exit 3, got $rc)" \
    sh -c "test $rc -eq 3 && grep -q '$T/missing' '$T/out'"

# --force on a terminal asks nothing.
on_tty n $H --force
check "harden --force on a terminal asks nothing" \
    sh -c "test $rc -eq 3 && ! grep -q 'Continue?' '$T/out'"

done_testing
