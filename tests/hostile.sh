# Sourced after tests/lib.sh by the malformed-input and fault-injection
# scripts (tests/cli/t09NN-*.sh): hostile inputs must be refused with a
# usage (2), input (3) or environment (4) error naming the input, never a
# hang, crash or sanitizer report.  Under `make test-valgrind` $TATTOO is a
# valgrind wrapper whose errors exit 99, which these checks catch too.

# Seconds any one command may take before it counts as a hang.
TT_HANG_S=${TT_HANG_S:-60}

# sane_exit: the last run ended by itself, without a sanitizer report.
_sane() {
	[ "$rc" -lt 128 ] && [ "$rc" -ne 99 ] &&
	    ! grep -qE 'ERROR: (Address|Leak|Undefined)Sanitizer|runtime error:' \
	    "$T/err"
}

# refused DESC WANT NAME CMD...: CMD exits WANT within $TT_HANG_S seconds
# and its output names NAME (a path, key or option).
refused() {
	_desc=$1; _want=$2; _name=$3; shift 3
	run timeout -s KILL "$TT_HANG_S" "$@"
	if [ "$rc" -ne "$_want" ] || ! _sane; then
		echo "# expected exit $_want, got $rc: $*" >"$T/why"
		fail "$_desc" "$T/why" "$T/out" "$T/err"
	elif ! grep -qF -- "$_name" "$T/err" "$T/out"; then
		echo "# the message does not name '$_name'" >"$T/why"
		fail "$_desc" "$T/why" "$T/out" "$T/err"
	else
		pass "$_desc"
	fi
}

# completes DESC WANT CMD...: CMD exits WANT within $TT_HANG_S seconds.
completes() {
	_desc=$1; _want=$2; shift 2
	run timeout -s KILL "$TT_HANG_S" "$@"
	if [ "$rc" -ne "$_want" ] || ! _sane; then
		echo "# expected exit $_want, got $rc: $*" >"$T/why"
		fail "$_desc" "$T/why" "$T/out" "$T/err"
	else
		pass "$_desc"
	fi
}

# same_file DESC A B: A and B hold the same bytes (state left intact).
same_file() {
	if cmp -s "$2" "$3"; then pass "$1"; else fail "$1"; fi
}

# tattoo_root DIR: a root with a valid tattoo, saved as DIR.orig.
tattoo_root() {
	make_root "$1"
	"$TATTOO" --root "$1" write --image-name golden --image-version 1.0.0 \
	    --published 2026-11-24T06:00:00Z --no-imds \
	    --source canonical:ubuntu:server:24.04.1 >/dev/null 2>&1 &&
	    cp "$1/etc/tattoo/tattoo.json" "$1.orig"
}

# rule_error DESC RULE TEXT: in $T/out (audit JSON), RULE is "error" and
# its reason contains TEXT; and rules are still judged (pass or fail).
rule_error() {
	check "$1" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
r = [x for x in d["results"] if x["id"] == sys.argv[2]]
assert r, "no rule " + sys.argv[2]
assert r[0]["result"] == "error", r[0]
assert sys.argv[3] in r[0]["found"], r[0]["found"]
judged = [x for x in d["results"] if x["result"] in ("pass", "fail")]
assert len(judged) > 50, len(judged)
' "$T/out" "$2" "$3"
}
