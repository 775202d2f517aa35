#!/bin/sh
# The rule test scenarios of tests/fixtures/verdicts: RULE/CASE.pass.sh and
# RULE/CASE.fail.sh, modelled on ComplianceAsCode's own rule tests
# (linux_os/guide/**/RULE/tests/*.{pass,fail}.sh), each turn a copy of the
# compliant tree of tests/fixtures/debian12-root.py into the case; the
# debian12 pack must then give RULE that verdict.  A scenario is sh run
# with $R the tree and these helpers: installed PKG (a dpkg stanza), unit
# NAME (a unit file, not enabled), enable NAME (and its wants link), user
# NAME UID HOME SHELL (a passwd entry).
#
# make test audits the first pass and the first fail scenario of each rule
# (in name order): every rule, both verdicts, 30 of the 111 audits; with
# TT_SCENARIOS=all (make test-matrix, which CI runs) every scenario.  The
# audits were a tenth of make test's CPU (issue 17).
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

# one RULE CASE SCENARIO: builds the case in its own copy of the tree
# ($T/c/RULE.CASE.root, removed by the caller four at a time) and audits
# RULE there; the verdict (or why there is none) goes to
# $T/c/RULE.CASE.{got,why,found}.  Four run at a time: the test is a
# hundred short audits, mostly waiting for a CPU on a loaded machine.
# Its processes are the test's CPU: one sed, not one per field, and one
# rm per four trees (issue 17).
one() {
	o="$T/c/$1.$2"
	R="$o.root"
	cp -a "$T/base" "$R"
	if ! R="$R" sh -ec "$HELPERS . \"$3\"" >"$o.out" 2>"$o.why"; then
		echo "scenario failed" >"$o.got"
	else
		"$TATTOO" audit --root "$R" --profile cis-l1-server --rule "$1" \
		    --format json --output "$o.json" >"$o.out" 2>>"$o.why"
		# One rule in the document: its "result" is the verdict.
		sed -n -e 's/^ *"result": *"\([a-z]*\)".*/\1/w '"$o.got" \
		    -e 's/^ *"\(found\|expected\)": */# \1: /w '"$o.found" \
		    "$o.json"
	fi
}

# picked RULE CASE: whether this run audits the case (see the top).
picked() {
	[ "${TT_SCENARIOS:-}" = all ] && return 0
	case " $picks " in *" $1/$2 "*) return 0 ;; esac
	return 1
}
picks=
# (Names by parameter expansion, not basename: a process each.)
for rdir in "$DIR"/*/; do
	rule=${rdir%/}; rule=${rule##*/}
	for want in pass fail; do
		for s in "$rdir"*."$want".sh; do
			[ -f "$s" ] || break
			s=${s##*/}; picks="$picks $rule/${s%.sh}"
			break
		done
	done
done

mkdir -p "$T/c"
n=0
for s in "$DIR"/*/*.sh; do
	rule=${s%/*}; rule=${rule##*/}
	case=${s##*/}; case=${case%.sh}
	picked "$rule" "$case" || continue
	one "$rule" "$case" "$s" &
	n=$((n + 1))
	[ $((n % 4)) -ne 0 ] || { wait; rm -rf "$T"/c/*.root; }
done
wait
rm -rf "$T"/c/*.root

for rdir in "$DIR"/*/; do
	rule=${rdir%/}; rule=${rule##*/}
	npass=0; nfail=0
	for s in "$rdir"*.sh; do
		case=${s##*/}; case=${case%.sh}
		want=${case##*.}
		case $want in
		pass) npass=$((npass + 1)) ;;
		fail) nfail=$((nfail + 1)) ;;
		*) fail "$rule/$case: name ends in .pass.sh or .fail.sh"; continue ;;
		esac
		picked "$rule" "$case" || continue
		got=$(cat "$T/c/$rule.$case.got" 2>/dev/null)
		if [ "$got" = "$want" ]; then
			pass "$rule/$case: $want"
		else
			echo "# got '$got', want '$want'" >>"$T/c/$rule.$case.why"
			fail "$rule/$case: $want" "$T/c/$rule.$case.why" \
			    "$T/c/$rule.$case.found"
		fi
	done
	if [ "$npass" -gt 0 ] && [ "$nfail" -gt 0 ]; then
		pass "$rule: has pass and fail scenarios"
	else
		fail "$rule: has pass and fail scenarios ($npass pass, $nfail fail)"
	fi
done

done_testing
