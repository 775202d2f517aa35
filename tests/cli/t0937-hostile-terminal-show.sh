#!/bin/sh
# show, show --field, verify, status and rules print values from the
# image's tattoo, status.json and rule packs: escape sequences, CR, C1 and
# bidi controls in them are shown escaped and never sent.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/term-fixtures.sh"

R="$T/root"
hostile_tree "$R"
check "fixture: the tattoo's image name carries the escapes" \
    grep -q 'u001b' "$R/etc/tattoo/tattoo.json"

completes "show of a tattoo with a hostile image name" 0 \
    "$TATTOO" --root "$R" --config "$T/host.conf" show
term_clean "show: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "show: the image name escaped" "$T/out" \
    'golden\x1b]0;owned\x07\x1b[2J\u202e 1.0\u009b'
completes "show --field image.name" 0 \
    "$TATTOO" --root "$R" --config "$T/host.conf" show --field image.name
term_clean "show --field: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "show --field: the value escaped" "$T/out" \
    'golden\x1b]0;owned\x07\x1b[2J\u202e'
completes "show --field of an object (JSON text)" 0 \
    "$TATTOO" --root "$R" --config "$T/host.conf" show --field image
term_clean "show --field image: no C1 or bidi character" "$T/out" "$T/err"
completes "verify" 0 "$TATTOO" --root "$R" --config "$T/host.conf" verify
term_clean "verify: no control, C1 or bidi byte" "$T/out" "$T/err"

# status.json is the host's, but its values quote the image and IMDS.
cat >"$T/state/status.json" <<'JSON'
{"report": {"time": "2026-12-01T00:00:00Z\u001b[2K\r0 failing",
  "report_id": "id\u009b\u202e", "tags": "written",
  "tags_note": "note\u001b]0;x\u0007\u2066", "collector": "delivered\b\b",
  "dropped": 0},
 "audit": {"compliant": false, "profile": "p\u001b[31m\u0085",
  "summary": {"fail": 3}, "score": 50}}
JSON
completes "status with hostile values in status.json" 1 \
    "$TATTOO" --root "$R" --config "$T/host.conf" status
term_clean "status: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "status: the report time escaped" "$T/out" \
    '2026-12-01T00:00:00Z\x1b[2K\r0 failing (id\u009b\u202e)'
shows "status: the tags note escaped" "$T/out" 'note\x1b]0;x\x07\u2066'

# A rule pack given with --rules: titles and texts are shown escaped.
python3 - "$T/pack.json" <<'PY'
import json, sys
esc = "\u001b[2K\r\u009b\u202e"
r = {"id": "r1", "title": "title" + esc, "description": "d" + esc,
     "rationale": "r\n" + esc, "severity": "low",
     "references": {"cis": "1.1"}, "scope": ["image"],
     "fix": {"manual": "m" + esc},
     "check": {"probe": "file", "params": {"path": "/etc/x" + esc},
               "expect": [{"field": "exists", "op": "eq", "value": "true"}]}}
json.dump({"schema": 1, "pack": "hostile", "benchmark": "b" + esc,
           "applies": {"id": ["debian"], "version_id": ["12"]},
           "profiles": [{"id": "p", "title": "t" + esc, "rules": ["r1"]}],
           "rules": [r]}, open(sys.argv[1], "w"))
PY
run "$TATTOO" --config "$T/host.conf" rules --rules "$T/pack.json"
check "rules lists a pack with escapes (exit 0, got $rc)" test "$rc" -eq 0
term_clean "rules: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "rules: the title escaped" "$T/out" 'title\x1b[2K\r\u009b\u202e'
run "$TATTOO" --config "$T/host.conf" rules --rules "$T/pack.json" r1
check "rules RULE shows the rule (exit 0, got $rc)" test "$rc" -eq 0
term_clean "rules RULE: no control, C1 or bidi byte" "$T/out" "$T/err"
shows "rules RULE: a multi-line text keeps no raw newline" "$T/out" \
    'rationale:   r\n\x1b[2K'
done_testing
