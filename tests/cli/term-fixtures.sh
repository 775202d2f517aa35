# Sourced (after lib.sh and hostile.sh) by the hostile-terminal tests
# t0905 and t0935..t0939: a tree whose file names, file contents and
# tattoo carry escape sequences, CR, backspace, C1 controls (raw bytes and
# UTF-8) and bidi overrides, and a check that no such byte reaches what
# tattoo prints.  Nothing here touches the host: state and config live in
# $T.

TATTOO_STATE_DIR="$T/state"
export TATTOO_STATE_DIR
mkdir -p "$T/state"
: >"$T/host.conf"

# The forged line: a file name that, printed raw, erases the real line and
# says "0 secrets found".
FORGE=$(printf 'x\r\033[2K0 secrets found')
# Every other class: backspace, BEL, a raw C1 CSI byte (not UTF-8), C1 CSI
# and NEL as UTF-8, a right-to-left override, an isolate, DEL.
ZOO=$(printf 'b\010\007\233\302\233\302\205\342\200\256\342\201\246\177z')

# hostile_tree DIR: a Debian 12 tree with openssh-server "installed", a
# planted npm token in a file named "$FORGE", another in a file named with
# the whole zoo, a home directory whose name is the zoo holding a leftover
# (.bash_history), config values (sshd PermitRootLogin, login.defs
# PASS_MAX_DAYS) carrying escapes, and a tattoo whose image name carries
# them too.
hostile_tree() {
	make_root "$1"
	mkdir -p "$1/etc/ssh" "$1/srv" "$1/var/lib/dpkg" "$1/home/u$ZOO"
	printf 'Package: openssh-server\nStatus: install ok installed\nVersion: 1:9.2p1-2\nArchitecture: amd64\n\n' \
	    >"$1/var/lib/dpkg/status"
	printf 'PermitRootLogin yes\033[2K\r\302\233\342\200\256 no\nBanner /etc/issue.net\033]0;owned\007\n' \
	    >"$1/etc/ssh/sshd_config"
	printf 'PASS_MAX_DAYS 99999\033[1A\033[2K\233\nPASS_WARN_AGE 7\010\0107\n' \
	    >"$1/etc/login.defs"
	printf 'export NPM_TOKEN=npm_aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5\n' \
	    >"$1/srv/$FORGE"
	printf 'export NPM_TOKEN=npm_zY3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kQ7\n' \
	    >"$1/srv/$ZOO"
	printf 'ls\n' >"$1/home/u$ZOO/.bash_history"
	"$TATTOO" --root "$1" --config "$T/host.conf" write \
	    --image-name "$(printf 'golden\033]0;owned\007\033[2J\342\200\256')" \
	    --image-version "1.0$(printf '\302\233')" \
	    --published 2026-11-24T06:00:00Z --no-imds \
	    --source canonical:ubuntu:server:24.04.1 >/dev/null 2>&1
}

# term_clean DESC FILE...: no byte that steers a terminal is in FILE(s):
# no C0 control but newline and tab, no DEL, nothing that is not UTF-8
# (a raw C1 byte among them), no C1 control as UTF-8, no bidi control.
term_clean() {
	_desc=$1; shift
	if python3 - "$@" >"$T/why" 2>&1 <<'EOF'
import sys
bad = set(range(0x20)) - {0x0a, 0x09} | {0x7f}
bidi = set(range(0x80, 0xa0)) | {0x061c, 0x200e, 0x200f, 0x2028, 0x2029} \
    | set(range(0x202a, 0x202f)) | set(range(0x2066, 0x206a))
ok = True
for name in sys.argv[1:]:
    data = open(name, 'rb').read()
    for i, b in enumerate(data):
        if b in bad:
            print('%s: control byte 0x%02x at %d: %r' % (name, b, i, data[max(0, i - 30):i + 10]))
            ok = False
            break
    try:
        text = data.decode('utf-8')
    except UnicodeDecodeError as e:
        print('%s: not UTF-8: %s' % (name, e))
        ok = False
        continue
    for i, c in enumerate(text):
        if ord(c) in bidi:
            print('%s: U+%04X at %d: %r' % (name, ord(c), i, text[max(0, i - 30):i + 10]))
            ok = False
            break
sys.exit(0 if ok else 1)
EOF
	then
		pass "$_desc"
	else
		fail "$_desc" "$T/why"
	fi
}

# shows DESC FILE TEXT: FILE holds TEXT (the escaped form, fixed string).
shows() {
	if contains "$2" "$3"; then pass "$1"; else fail "$1" "$2"; fi
}
