#!/bin/sh
# One audit, several outputs: `audit --output FORMAT:FILE` (repeatable)
# writes json, html, junit, sarif, prom and text from one result; each file
# is what the single-format audit writes, but for when it ran, and every
# file carries the same generated_at.  Usage errors: an unknown FORMAT
# (named, with a suggestion), one file named twice, two plain --output.
# An output that cannot be written is named, exit 4, and the others are
# still written.  ./a:b is a file named a:b, in text.
. "$(dirname "$0")/../lib.sh"

R="$T/root"
make_root "$R"
FORMATS="json html junit sarif prom text"

args=""
for f in $FORMATS; do
	args="$args --output $f:$T/m.$f"
done
# shellcheck disable=SC2086 # the --output arguments, split on purpose
expect_exit 1 "one audit writing six formats exits as the audit does" \
    "$TATTOO" --root "$R" audit $args
check "nothing on standard output when every output is a file" \
    test ! -s "$T/out"
for f in $FORMATS; do
	expect_exit 1 "single-format audit ($f)" \
	    "$TATTOO" --root "$R" audit --format "$f" --output "$T/s.$f"
done

# norm FILE: the file with when the audit ran replaced.
norm() {
	sed -E -e 's/20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z/TIME/g' \
	    -e 's/^(tattoo_audit_timestamp_seconds) [0-9]+$/\1 TIME/' "$1"
}
for f in $FORMATS; do
	norm "$T/m.$f" >"$T/m.$f.n"
	norm "$T/s.$f" >"$T/s.$f.n"
	check "$f: the file equals the single-format audit's (but for the time)" \
	    cmp -s "$T/m.$f.n" "$T/s.$f.n"
done
check "every output carries the same generated_at" python3 - "$T" <<'PY'
import calendar, json, re, sys, time
t = sys.argv[1]
at = json.load(open(t + '/m.json'))['generated_at']
assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', at), at
for f in ('html', 'junit', 'sarif'):
    body = open(t + '/m.' + f).read()
    found = set(re.findall(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ', body))
    assert found == {at}, (f, found, at)
assert re.search(r'^Generated %s$' % at, open(t + '/m.text').read(), re.M)
secs = calendar.timegm(time.strptime(at, '%Y-%m-%dT%H:%M:%SZ'))
prom = open(t + '/m.prom').read()
assert re.search(r'^tattoo_audit_timestamp_seconds %d$' % secs, prom, re.M), secs
PY

# Colour is for a terminal: with standard output one (script(1) gives it
# a pseudo-terminal), stdout's text is coloured and the text file is not.
check "text to a terminal and to a file from one audit" sh -c '
script -qec "\"$2\" --root \"$3\" audit --format text --output text:$1/c.text" \
    /dev/null >"$1/tty.out" </dev/null; test -s "$1/c.text"' _ "$T" "$TATTOO" "$R"
check "the terminal's text is coloured" grep -q "$(printf '\033')\\[" "$T/tty.out"
check "no escape sequence in the text file" sh -c '! grep -q "$(printf "\033")" "$1"' _ "$T/c.text"

# --format with only FORMAT:FILE outputs: the explicit --format goes to
# standard output, so it is never dropped silently.
expect_exit 1 "--format json with an html output" \
    "$TATTOO" --root "$R" audit --format json --output "html:$T/f.html"
check "standard output gets --format's json" python3 -c '
import json, sys; json.load(open(sys.argv[1]))' "$T/out"
check "and the html file is written" grep -q '<html' "$T/f.html"

# Usage errors.
expect_exit 2 "an unknown FORMAT prefix is a usage error" \
    "$TATTOO" --root "$R" audit --output "jsn:$T/x.json"
check "it names the argument, suggests and lists the formats" sh -c '
grep -qF -- "--output '"'"'jsn:$1/x.json'"'"': unknown format '"'"'jsn'"'"'" "$1/err" &&
grep -qF "did you mean '"'"'json'"'"'?" "$1/err" &&
grep -qF "text, json, junit, sarif, html, prom" "$1/err"' _ "$T"
check "no file is written on a usage error" test ! -e "$T/x.json"
expect_exit 2 "the same file twice is a usage error" \
    "$TATTOO" --root "$R" audit --output "json:$T/same" --output "html:$T/./same"
check "it names the file" contains "$T/err" "is named by two outputs"
expect_exit 2 "two plain --output are a usage error" \
    "$TATTOO" --root "$R" audit --output "$T/p1" --output "$T/p2"
check "it names both" sh -c 'grep -qF "$1/p2" "$1/err" && grep -qF "$1/p1" "$1/err"' _ "$T"

# One output cannot be written (its directory is a file): exit 4, named,
# the others written.
: >"$T/notadir"
rm -f "$T/m.json" "$T/m.html"
expect_exit 4 "an output that cannot be written: exit 4" \
    "$TATTOO" --root "$R" audit --output "json:$T/m.json" \
    --output "junit:$T/notadir/a.xml" --output "html:$T/m.html"
check "the error names that file and the reason" \
    contains "$T/err" "cannot write '$T/notadir/a.xml': Not a directory"
check "the other outputs are written" sh -c '
test -s "$1/m.json" && test -s "$1/m.html"' _ "$T"

# ./a:b is a file named a:b, in text (--format's default).
expect_exit 1 "./a:b is a plain FILE" sh -c 'cd "$1" && "$2" --root "$3" audit --output ./a:b' \
    _ "$T" "$TATTOO" "$R"
check "a file named a:b holds the text report" sh -c '
test -f "$1/a:b" && grep -q "^Generated " "$1/a:b"' _ "$T"
done_testing
