#!/bin/sh
# --tailoring FILE and the config key `tailoring`: a deselected rule is not
# judged, a parameter set in the file is what the audit expects and what
# harden writes, write records the file's digest in the baseline, and a
# bad file is refused whole (exit 3, FILE:LINE: FIELD).  Also the Level 2
# profile.
. "$(dirname "$0")/../lib.sh"

R=$T/root
make_root "$R"
mkdir -p "$R/etc/security"
echo "minlen = 14" >"$R/etc/security/pwquality.conf"
TL=$T/site.json
cat >"$TL" <<'JSON'
{
  "schema": 1,
  "id": "contoso-web",
  "profile": "cis-l1-server",
  "extends": "debian12",
  "deselect": ["sshd_set_maxstartups"],
  "params": {
    "accounts_password_pam_minlen": { "minlen": 16 }
  }
}
JSON
chmod 0644 "$TL"
MINLEN=accounts_password_pam_minlen

ids() { python3 -c 'import json,sys; [print(r["id"]) for r in json.load(open(sys.argv[1]))["results"]]' "$1"; }

# Deselect: the rule is in the plain profile, not in the tailored one.
run "$TATTOO" audit --root "$R" --format json
ids "$T/out" >"$T/plain"
check "the profile has the rule" grep -qx sshd_set_maxstartups "$T/plain"
run "$TATTOO" audit --root "$R" --format json --tailoring "$TL"
ids "$T/out" >"$T/tailored"
check "a deselected rule is not in the output" \
    sh -c '! grep -qx sshd_set_maxstartups "$1"' - "$T/tailored"
check "the audit names the tailoring" contains "$T/out" '"id": "contoso-web"'
sum=$(sha256sum "$TL" | cut -d' ' -f1)
check "the audit has its digest" contains "$T/out" "sha256:$sum"

# minlen 16: 14 fails with the tailored value as expected, 16 passes.
expect_exit 0 "minlen 14 passes the pack's rule" \
    "$TATTOO" audit --root "$R" --rule $MINLEN
# One audit: json to stdout, text to a file.
expect_exit 1 "minlen 14 fails the tailored rule" \
    "$TATTOO" audit --root "$R" --rule $MINLEN --tailoring "$TL" --format json \
    --output "text:$T/text"
check "expected shows 16" contains "$T/out" "minlen >= 16 (tailoring 'contoso-web')"
check "the fix shows 16" contains "$T/out" '"value": "16"'
check "the text format shows 16" contains "$T/text" "minlen >= 16"
echo "minlen = 16" >"$R/etc/security/pwquality.conf"
expect_exit 0 "minlen 16 passes the tailored rule" \
    "$TATTOO" audit --root "$R" --rule $MINLEN --tailoring "$TL"

# The config key does the same; a relative path is refused.
echo "minlen = 14" >"$R/etc/security/pwquality.conf"
expect_exit 1 "TATTOO_TAILORING is the config key" \
    env TATTOO_TAILORING="$TL" "$TATTOO" audit --root "$R" --rule $MINLEN
check "  with the tailored value" contains "$T/out" "minlen >= 16"
printf 'tailoring = %s\n' "$TL" >"$T/tl.conf"; chmod 0644 "$T/tl.conf"
expect_exit 1 "tailoring = FILE in the config" \
    "$TATTOO" --config "$T/tl.conf" audit --root "$R" --rule $MINLEN
printf 'tailoring = site.json\n' >"$T/rel.conf"; chmod 0644 "$T/rel.conf"
expect_exit 3 "a relative tailoring path is refused" \
    "$TATTOO" --config "$T/rel.conf" audit --root "$R"
check "  naming the key" contains "$T/err" "'tailoring' must be an absolute path"
# An image's agent.conf never names the tailoring: it is not read.
mkdir -p "$R/etc/tattoo"
printf 'tailoring = %s\n' "$TL" >"$R/etc/tattoo/agent.conf"
expect_exit 0 "an image's tailoring key is ignored" \
    "$TATTOO" audit --root "$R" --rule $MINLEN
check "  and said so" contains "$T/err" "tailoring"
rm "$R/etc/tattoo/agent.conf"

# harden writes the tailored value.
expect_exit 0 "harden with the tailoring" \
    "$TATTOO" harden --root "$R" --tailoring "$TL" --rule $MINLEN
check "harden set minlen 16" grep -qx "minlen = 16" "$R/etc/security/pwquality.conf"

# write records the tailoring's id and digest in the baseline.
expect_exit 0 "write with the tailoring" "$TATTOO" write --root "$R" \
    --image-name img --image-version 1 --no-imds --tailoring "$TL"
check "the baseline has the digest" python3 -c '
import json, sys
b = json.load(open(sys.argv[1]))["baseline"]
assert b["tailoring"] == {"id": "contoso-web", "sha256": "sha256:" + sys.argv[2]}, b
' "$R/etc/tattoo/tattoo.json" "$sum"

# Bad files: exit 3, FILE:LINE: FIELD, on every command that takes one.
cp "$R/etc/tattoo/tattoo.json" "$T/tattoo.before"
bad() {
	# bad NAME SED-EXPRESSION MESSAGE
	sed "$2" "$TL" >"$T/$1.json"; chmod 0644 "$T/$1.json"
	expect_exit 3 "$1: audit refuses it" "$TATTOO" audit --root "$R" \
	    --tailoring "$T/$1.json"
	check "$1: audit says where" contains "$T/err" "$T/$1.json:$3"
	expect_exit 3 "$1: harden refuses it" "$TATTOO" harden --root "$R" \
	    --dry-run --tailoring "$T/$1.json"
	check "$1: harden says where" contains "$T/err" "$T/$1.json:$3"
	expect_exit 3 "$1: write refuses it" "$TATTOO" write --root "$R" \
	    --image-name img --image-version 2 --no-imds --tailoring "$T/$1.json"
	check "$1: write says where" contains "$T/err" "$T/$1.json:$3"
}
bad rule 's/sshd_set_maxstartups/sshd_set_maxstartup/' \
    "6: deselect[0]: unknown rule 'sshd_set_maxstartup' in pack 'debian12'; did you mean 'sshd_set_maxstartups'?"
bad param 's/"minlen": 16/"minlength": 16/' \
    "8: params.accounts_password_pam_minlen.minlength: unknown parameter 'minlength'"
bad value 's/"minlen": 16/"minlen": "sixteen"/' \
    "8: params.accounts_password_pam_minlen.minlen: 'sixteen' is not an integer"
bad key 's/"deselect"/"deselct"/' \
    "6: deselct: unknown key; did you mean 'deselect'?"
bad profile 's/"cis-l1-server"/"cis-l3-server"/' \
    "4: profile: unknown profile 'cis-l3-server' in pack 'debian12', the one for this system; did you mean 'cis-l1-server'?"
check "a refused tailoring left the tattoo as it was" \
    cmp -s "$T/tattoo.before" "$R/etc/tattoo/tattoo.json"
chmod 0666 "$TL"
expect_exit 3 "a world-writable tailoring is refused" \
    "$TATTOO" audit --root "$R" --tailoring "$TL"
chmod 0644 "$TL"
expect_exit 3 "--profile naming another profile than the tailoring's" \
    "$TATTOO" audit --root "$R" --profile cis-l2-server --tailoring "$TL"
check "  says which" contains "$T/err" \
    "$TL:4: profile: the tailoring is for profile 'cis-l1-server', not 'cis-l2-server'"

# extends: a root another pack applies to is refused.
U=$T/ubuntu
make_root "$U" ubuntu 24.04 "Ubuntu 24.04 LTS"
expect_exit 3 "a debian12 tailoring on an Ubuntu root" \
    "$TATTOO" audit --root "$U" --tailoring "$TL"
check "  names the packs" contains "$T/err" \
    "$TL:5: extends: the tailoring extends pack 'debian12', but the root's pack is 'ubuntu2404'"

# The documented example is a valid tailoring of the debian12 pack.
cp "$TT_TOP/docs/examples/tailoring.json" "$T/example.json"
chmod 0644 "$T/example.json"
expect_exit 1 "docs/examples/tailoring.json applies" \
    "$TATTOO" audit --root "$R" --tailoring "$T/example.json"

# Level 2: Level 1 and the rules of Level 2 controls.
expect_exit 1 "the Level 2 profile runs" "$TATTOO" audit --root "$R" \
    --profile cis-l2-server --format json
ids "$T/out" >"$T/l2"
check "Level 2 has a Level 2 rule" grep -qx kernel_module_udf_disabled "$T/l2"
check "Level 1 has not" sh -c '! grep -qx kernel_module_udf_disabled "$1"' - "$T/plain"
check "Level 2 holds Level 1" sh -c '[ -z "$(comm -23 "$1" "$2")" ]' - \
    "$(sort "$T/plain" >"$T/p1"; echo "$T/p1")" "$(sort "$T/l2" >"$T/p2"; echo "$T/p2")"
done_testing
