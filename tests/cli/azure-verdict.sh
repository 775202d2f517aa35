# Sourced by the azure-image rule tests (t0721, t0722), after they set
# RULE (the rule judged) and G (the tree each case starts from).
#   copy NAME: B becomes a fresh copy of $G at $T/NAME
#   verdict: RULE's result on $B (the JSON in $T/v.json)
#   expect RESULT DESC: a check that verdict is RESULT
verdict() {
	"$TATTOO" --root "$B" audit --profile azure-image \
	    --rule "$RULE" --format json >"$T/v.json" 2>"$T/v.err"
	python3 -c '
import json, sys
print(json.load(open(sys.argv[1]))["results"][0]["result"])' "$T/v.json"
}
copy() { rm -rf "$T/$1"; cp -a "$G" "$T/$1"; B="$T/$1"; }
expect() {
	got=$(verdict)
	if [ "$got" = "$1" ]; then pass "$2: $1"; else
		echo "# got '$got'" >"$T/why"; fail "$2: $1" "$T/why" "$T/v.json" "$T/v.err"; fi
}
