# Sourced by the pack numbering tests (tests/cli/t0716, t0717) after
# tests/lib.sh, with $PACK the pack and $CTL SSG's control data of the
# edition the pack names (tools/packgen/data/cis_PACK.json).  The checks
# every such pack must pass; a rule only a stig profile has carries no
# CIS number and is not judged here.

# numbers_are_controls EDITION: every CIS number of the pack is a control
# of the edition.
numbers_are_controls() {
	check "every CIS number of the pack is a $1 control" python3 -c '
import json, sys
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["controls"]
bad = sorted({r["references"]["cis"] for r in p["rules"] if "cis" in r["references"]} - set(c))
assert not bad, bad' "$PACK" "$CTL"
}

# ssg_rules_numbered MIN [IDS]: a rule whose SSG rule a control lists
# carries that control's number (the first control listing it), and at
# least MIN rules are numbered that way.  The rules IDS may carry another
# control that lists their SSG rule: one SSG rule several controls list,
# each control a rule of its own (rhel9's crypto policy modules).
ssg_rules_numbered() {
	check "a rule whose SSG rule a control lists carries that control number" python3 -c '
import json, sys
P = "xccdf_org.ssgproject.content_rule_"
p, c = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))["controls"]
first = {}
for cid, ctl in c.items():
    for n in ctl["rules"]:
        first.setdefault(n, cid)
bad, named = [], 0
for r in p["rules"]:
    if "cis" not in r["references"]:
        continue
    n = r["references"].get("ssg", "")[len(P):]
    if n in first:
        named += 1
        if r["id"] in sys.argv[4].split():
            ok = n in c.get(r["references"]["cis"], {}).get("rules", [])
        else:
            ok = r["references"]["cis"] == first[n]
        if not ok:
            bad.append((r["id"], r["references"]["cis"], first[n]))
assert not bad and named >= int(sys.argv[3]), (bad, named)' "$PACK" "$CTL" "$1" "${2:-}"
}
