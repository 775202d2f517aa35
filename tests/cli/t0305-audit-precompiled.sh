#!/bin/sh
# The built-in packs are read precompiled (hardening/pack_precompiled.c): on
# compliant and non-compliant trees of each OS, the audit is the same,
# byte for byte but the time, as with the pack's JSON given by --rules (the
# JSON document on every tree, every format on two); and harden, which
# needs the JSON, still reads it.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

same() { # DESC A B: the two outputs equal once times are masked
	if python3 - "$2" "$3" >"$T/why" 2>&1 <<'PY'
import re, sys
t = [re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", "TIME",
            open(f, encoding="utf-8").read()) for f in sys.argv[1:3]]
t = [re.sub(r'time="[0-9.]+"', 'time="T"', x) for x in t]
t = [re.sub(r"tattoo_audit_timestamp_seconds \d+", "TS", x) for x in t]
assert t[0] == t[1], "differ"
PY
	then pass "$1"; else diff "$2" "$3" | head -20 >>"$T/why"; fail "$1" "$T/why"; fi
}

for os in debian12 ubuntu2204 ubuntu2404; do
	for m in compliant noncompliant; do
		R="$T/$os-$m"
		TT_FIXTURE_OS=$os python3 "$GEN" "$m" "$R" ||
		    { fail "fixture $os $m"; done_testing; exit 1; }
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
			bi="$bi --output $f:$T/built-in.$f"
			js="$js --output $f:$T/json.$f"
		done
		# shellcheck disable=SC2086 # the --output arguments, split on purpose
		"$TATTOO" --root "$R" audit $bi >/dev/null 2>&1
		# shellcheck disable=SC2086
		"$TATTOO" --root "$R" audit $js \
		    --rules "$TT_TOP/hardening/rules/$os.json" >/dev/null 2>&1
		for f in $formats; do
			same "$os $m: --format $f the same from the precompiled pack" \
			    "$T/built-in.$f" "$T/json.$f"
		done
	done
done
check "the precompiled pack was audited: results present" \
    grep -q '"results"' "$T/built-in.json"
run "$TATTOO" --root "$T/debian12-noncompliant" harden --dry-run
check "harden --dry-run: exit 1, changes pending" [ "$rc" -eq 1 ]
check "harden reads the JSON pack: it plans its fixes" \
    grep -q "^+install cramfs /bin/false" "$T/out"
done_testing
