#!/bin/sh
# The rule test scenarios of tests/fixtures/verdicts: RULE/CASE.pass.sh and
# RULE/CASE.fail.sh, modelled on ComplianceAsCode's own rule tests
# (linux_os/guide/**/RULE/tests/*.{pass,fail}.sh), each turn a copy of the
# compliant tree of tests/fixtures/debian12-root.py into the case; the
# debian12 pack must then give RULE that verdict.  A scenario is sh run
# with $R the tree and these helpers: installed PKG (a dpkg stanza), unit
# NAME (a unit file, not enabled), enable NAME (and its wants link), user
# NAME UID HOME SHELL (a passwd entry).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/pack-fixtures.sh"

PACK="$TT_TOP/hardening/rules/debian12.json"
DIR="$TT_TOP/tests/fixtures/verdicts"

python3 "$GEN" compliant "$T/base" || { fail "fixture"; done_testing; exit 1; }

HELPERS='
installed() { printf "Package: %s\nStatus: install ok installed\nVersion: 1.0-1\n\n" "$1" >>"$R/var/lib/dpkg/status"; }
unit() { mkdir -p "$R/lib/systemd/system"; printf "[Unit]\nDescription=%s\n[Install]\nWantedBy=multi-user.target\n" "$1" >"$R/lib/systemd/system/$1"; }
enable() { unit "$1"; mkdir -p "$R/etc/systemd/system/multi-user.target.wants"; ln -sf "/lib/systemd/system/$1" "$R/etc/systemd/system/multi-user.target.wants/$1"; }
user() { printf "%s:x:%s:%s::%s:%s\n" "$1" "$2" "$2" "$3" "$4" >>"$R/etc/passwd"; printf "%s:!:19000:1:365:7:45::\n" "$1" >>"$R/etc/shadow"; }
'

for rdir in "$DIR"/*/; do
	rule=$(basename "$rdir")
	npass=0; nfail=0
	for s in "$rdir"*.sh; do
		case=$(basename "$s" .sh)
		want=${case##*.}
		case $want in
		pass) npass=$((npass + 1)) ;;
		fail) nfail=$((nfail + 1)) ;;
		*) fail "$rule/$case: name ends in .pass.sh or .fail.sh"; continue ;;
		esac
		R="$T/r"
		rm -rf "$R" && cp -a "$T/base" "$R"
		if ! R="$R" sh -ec "$HELPERS . \"$s\"" >"$T/out" 2>"$T/err"; then
			fail "$rule/$case: scenario runs" "$T/err"
			continue
		fi
		"$TATTOO" audit --root "$R" --profile cis-l1-server --rule "$rule" \
		    --format json --output "$T/res.json" >"$T/out" 2>"$T/err"
		# One rule in the document: its "result" is the verdict.
		got=$(sed -n 's/^ *"result": *"\([a-z]*\)".*/\1/p' "$T/res.json")
		if [ "$got" = "$want" ]; then
			pass "$rule/$case: $want"
		else
			python3 -c '
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    if r["id"] == sys.argv[2]:
        print("# found: %s" % r.get("found"))
        print("# expected: %s" % r.get("expected"))
' "$T/res.json" "$rule" >"$T/why" 2>&1
			echo "# got '$got', want '$want'" >>"$T/why"
			fail "$rule/$case: $want" "$T/why" "$T/err"
		fi
	done
	if [ "$npass" -gt 0 ] && [ "$nfail" -gt 0 ]; then
		pass "$rule: has pass and fail scenarios"
	else
		fail "$rule: has pass and fail scenarios ($npass pass, $nfail fail)"
	fi
done

done_testing
