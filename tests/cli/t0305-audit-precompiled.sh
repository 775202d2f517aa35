#!/bin/sh
# The built-in packs are read precompiled (hardening/pack_precompiled.c): on
# compliant and non-compliant trees of each OS, the audit is the same,
# byte for byte but the time, as with the pack's JSON given by --rules (the
# JSON document on every tree, every format on two); and harden, which
# needs the JSON, still reads it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

# same DESC A B: queues the check that the two outputs are equal once
# times are masked; sames makes the queued checks, in order, in one
# python3 (not one per pair: issue 17).
_sn=0
: >"$T/same.list"
same() {
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$T/same.list"
	_sn=$((_sn + 1))
}
sames() {
	pychecks "$_sn" "$T/same.list" <<'PY'
import difflib


def masked(f):
    t = re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "TIME", open(f, encoding="utf-8").read())
    t = re.sub(r'time="[0-9.]+"', 'time="T"', t)
    return re.sub(r"tattoo_audit_timestamp_seconds \d+", "TS", t)


for line in open(sys.argv[1]):
    desc, a, b = line.rstrip("\n").split("\t")
    ta, tb = masked(a), masked(b)
    why = "" if ta == tb else "differ\n" + "\n".join(list(difflib.unified_diff(
        ta.splitlines(), tb.splitlines(), a, b, lineterm=""))[:20])
    check(desc, ta == tb, why)
PY
	_sn=0
	: >"$T/same.list"
}

# the six trees in one python3 (tests/fixtures/trees.py)
set --
for os in debian12 ubuntu2204 ubuntu2404; do
	for m in compliant noncompliant; do set -- "$@" TT_FIXTURE_OS=$os $m "$T/$os-$m" --; done
done
python3 "$TT_TOP/tests/fixtures/trees.py" "$GEN" "$@" >"$T/out" 2>&1 ||
    { fail "fixture trees" "$T/out"; done_testing; exit 1; }

for os in debian12 ubuntu2204 ubuntu2404; do
	for m in compliant noncompliant; do
		R="$T/$os-$m"
		# Every other format renders the JSON document: all of them
		# on one tree of each family, the document on every tree.
		formats=json
		case $os-$m in
		debian12-noncompliant | ubuntu2404-compliant)
			formats="json junit sarif text" ;;
		esac
		# One audit of each pack writes every format (--output
		# FORMAT:FILE).
		bi="" js=""
		for f in $formats; do
			bi="$bi --output $f:$R.built-in.$f"
			js="$js --output $f:$R.json.$f"
		done
		# shellcheck disable=SC2086 # the --output arguments, split on purpose
		"$TATTOO" --root "$R" audit $bi >/dev/null 2>&1
		# shellcheck disable=SC2086
		"$TATTOO" --root "$R" audit $js \
		    --rules "$TT_TOP/hardening/rules/$os.json" >/dev/null 2>&1
		for f in $formats; do
			same "$os $m: --format $f the same from the precompiled pack" \
			    "$R.built-in.$f" "$R.json.$f"
		done
	done
done
sames
check "the precompiled pack was audited: results present" \
    grep -q '"results"' "$T/ubuntu2404-noncompliant.built-in.json"
run "$TATTOO" --root "$T/debian12-noncompliant" harden --dry-run
check "harden --dry-run: exit 1, changes pending" [ "$rc" -eq 1 ]
check "harden reads the JSON pack: it plans its fixes" \
    grep -q "^+install cramfs /bin/false" "$T/out"
done_testing
