#!/bin/sh
# docs/azure/policy: the Azure Policy definitions have what the policy
# definition schema requires (tests/cli/policycheck.py); each broken copy
# is refused, so the check can fail; the rules say what the README claims
# (deny VMs and scale sets off the allowed gallery; audit the compliance
# and image status tags).
. "$(dirname "$0")/../lib.sh"

P="$TT_TOP/docs/azure/policy"
PC="$TT_TOP/tests/cli/policycheck.py"

for f in "$P"/*.json; do
	check "$(basename "$f") has the schema's required fields" python3 "$PC" "$f"
done
check "three definitions" [ "$(ls "$P"/*.json | wc -l)" -eq 3 ]

# Broken copies: each must be refused with its reason.
broken() { # DESC WANT PYTHON (d is the definition, changed in place)
	python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))
p = d['properties']
$3
json.dump(d, open(sys.argv[2], 'w'))" "$P/deny-non-gallery-images.json" "$T/broken.json"
	if python3 "$PC" "$T/broken.json" >"$T/pc.out" 2>&1; then
		fail "broken: $1 refused" "$T/pc.out"
	elif grep -q -- "$2" "$T/pc.out"; then
		pass "broken: $1 refused"
	else
		fail "broken: $1 refused with '$2'" "$T/pc.out"
	fi
}
broken "no then" "exactly if and then" "del p['policyRule']['then']"
broken "no if" "policyRule.if: missing" "del p['policyRule']['if']"
broken "a bad mode" "properties.mode" "p['mode'] = 'Everything'"
broken "a bad parameter type" "type: 'Text'" "p['parameters']['galleryId']['type'] = 'Text'"
broken "an effect not an effect" "'Block' is not an effect" "p['parameters']['effect']['allowedValues'].append('Block')"
broken "a default not allowed" "defaultValue: 'Audit2' is not allowed" "p['parameters']['effect']['defaultValue'] = 'Audit2'"
broken "an undefined parameter" "parameters('galleryId'), which is not" "del p['parameters']['galleryId']"
broken "a condition with two operators" "exactly one condition operator" "p['policyRule']['if']['allOf'][0]['equals'] = 'x'"
broken "an empty allOf" "non-empty list" "p['policyRule']['if']['allOf'] = []"
broken "a literal effect unknown" "'Stop' is not an effect" "p['policyRule']['then']['effect'] = 'Stop'"
broken "deployIfNotExists without details" "need details" "p['policyRule']['then']['effect'] = 'deployIfNotExists'"

pyjson() {
	if python3 -c "
import json, sys
d = json.load(open(sys.argv[1]))['properties']
$2
" "$3" >"$T/py.err" 2>&1; then pass "$1"; else fail "$1" "$T/py.err"; fi
}
pyjson "deny: VMs and scale sets whose image is not of the gallery" '
r = d["policyRule"]
assert d["parameters"]["effect"]["defaultValue"] == "Deny"
c = r["if"]["allOf"]
assert set(c[0]["in"]) == {"Microsoft.Compute/virtualMachines", "Microsoft.Compute/virtualMachineScaleSets"}
assert c[1]["not"]["field"] == "Microsoft.Compute/imageId"
assert "galleryId" in c[1]["not"]["like"] and c[1]["not"]["like"].endswith("/images/*\x27)]")' \
    "$P/deny-non-gallery-images.json"
pyjson "audit: tattoo-compliance not compliant" '
c = d["policyRule"]["if"]["allOf"]
assert d["parameters"]["tagName"]["defaultValue"] == "tattoo-compliance"
assert c[1]["notEquals"] == "compliant"' "$P/audit-tattoo-noncompliant.json"
pyjson "audit: tattoo-image-status outdated or eol" '
assert d["parameters"]["tagName"]["defaultValue"] == "tattoo-image-status"
assert d["parameters"]["statuses"]["defaultValue"] == ["outdated", "eol"]' \
    "$P/audit-tattoo-image-outdated.json"
done_testing
