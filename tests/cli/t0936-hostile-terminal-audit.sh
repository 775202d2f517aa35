#!/bin/sh
# audit's text quotes the image in "found": config values (sshd
# PermitRootLogin, login.defs PASS_MAX_DAYS) carrying ESC sequences, CR,
# backspace, C1 and bidi controls.  They are shown escaped, never sent;
# on a terminal the audit's own colours still are.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

R="$T/root"
hostile_tree "$R"

completes "audit of the hostile tree (exit 1: failures)" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" audit
term_clean "audit text: no control, C1 or bidi byte on stdout or stderr" \
    "$T/out" "$T/err"
shows "sshd's value is shown escaped in found" "$T/out" \
    'found:    /etc/ssh/sshd_config:1: value=yes\x1b[2K\r\u009b\u202e no'
shows "login.defs' value is shown escaped in found" "$T/out" \
    'found:    /etc/login.defs:1: value=99999\x1b[1A\x1b[2K\x9b'

completes "audit -v of the hostile tree" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" audit -v
term_clean "audit -v: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "-v shows a second login.defs value escaped too" "$T/out" \
    'value=7\x08\x087'

# The root's path is quoted in the heading: a --root named with escapes.
ln -s root "$T/r$FORGE"
completes "audit of a root whose path has escapes" 1 \
    "$TATTOO" --root "$T/r$FORGE" --config "$T/host.conf" audit
term_clean "the heading quotes the root escaped" "$T/out" "$T/err"

# On a terminal: our colour codes survive, the image's escapes do not.
check "on a terminal, the colours are ours and the values escaped" \
    python3 - "$TATTOO" "$R" "$T/host.conf" <<'PY'
import os, pty, sys
tattoo, root, conf = sys.argv[1:4]
pid, fd = pty.fork()
if pid == 0:
    os.environ.pop('NO_COLOR', None)
    os.execv(tattoo, [tattoo, '--root', root, '--config', conf, 'audit'])
out = b''
while True:
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        break
    if not chunk:
        break
    out += chunk
os.waitpid(pid, 0)
assert b'\x1b[31mfail' in out, 'no colour: %r' % out[:300]
# Every ESC on the terminal starts one of our own SGR codes.
import re
for m in re.finditer(rb'\x1b', out):
    seq = out[m.start():m.start() + 5]
    assert re.match(rb'\x1b\[(0|1|31|32|33)m', seq), seq
assert b'\x1b[2K' not in out and b'\xe2\x80\xae' not in out
assert b'value=yes\\x1b[2K\\r\\u009b\\u202e no' in out
PY
done_testing
