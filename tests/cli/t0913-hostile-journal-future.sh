#!/bin/sh
# Which run a plain `rollback` takes.  Runs used to be sorted by directory
# name, so an image that shipped a run named 2099... had it picked first.
# Now the newest run is chosen by the authenticated "started" time and
# sequence inside run.json: a forged run named in the future is passed
# over (and said so), a run signed but dated in the future is refused,
# and a run whose directory name is not its authenticated id is refused.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

JR="$R/var/lib/tattoo/journal"

# 1. A forged run named in the future, copied from the genuine one.
harden_image
printf 'tree canary\n' >"$R/etc/canary"
F=20991231T235959Z-ffffff
cp -a "$J" "$JR/$F"
for f in "$JR/$F"/*.json; do set_member "$f" run "\"$F\""; done
printf '{"run":"%s","seq":1,"path":"/etc/canary","existed":false}\n' "$F" \
    >"$JR/$F/000001.json"
expect_exit 0 "plain rollback takes the genuine run" \
    "$TATTOO" --root "$R" rollback
check "it names the genuine run" contains "$T/out" "rolled back $run"
check "it says it passed over the 2099 run" contains "$T/err" "$F"
check "the forged run's change was not made" test -f "$R/etc/canary"
rm "$R/etc/canary"
manifest >"$T/now"
check "the tree is as before the harden" cmp -s "$T/before" "$T/now"
refused "the forged run named: refused" 3 "$F/run.json" \
    "$TATTOO" --root "$R" rollback "$F"

# 2. Signed with the host's key, dated in the future: refused, and a
# plain rollback takes the genuine run.
rm -rf "$JR"
harden_image
S=20991231T235959Z-eeeeee
cp -a "$J" "$JR/$S"
for f in "$JR/$S"/*.json; do set_member "$f" run "\"$S\""; done
set_member "$JR/$S/run.json" started '"2099-12-31T23:59:59Z"'
set_member "$JR/$S/run.json" seq 1000
$SIGN "$JR/$S"/*.json
refused "a signed run dated 2099, named: refused" 3 "future" \
    "$TATTOO" --root "$R" rollback "$S"
check "the message names its run.json" contains "$T/err" "$S/run.json"
expect_exit 0 "plain rollback passes over it" "$TATTOO" --root "$R" rollback
check "and rolls back the genuine run" contains "$T/out" "rolled back $run"
check "saying why it passed over the other" contains "$T/err" "future"

# 3. Order by the authenticated time, not by the name: of two signed
# runs, the one with the smaller name but the later "started" is newer.
rm -rf "$JR"
harden_image
first=$run
A=20000101T000000Z-aaaaaa
mv "$JR/$first" "$JR/$A"
for f in "$JR/$A"/*.json; do set_member "$f" run "\"$A\""; done
set_member "$JR/$A/run.json" started "\"$(date -u +%Y-%m-%dT%H:%M:%SZ)\""
set_member "$JR/$A/run.json" seq 50
$SIGN "$JR/$A"/*.json
B=20991230T000000Z-bbbbbb
mkdir -p "$JR/$B"
printf '{"schema":2,"run":"%s","command":"harden","started":"2020-01-01T00:00:00Z","seq":1,"status":"complete","entries":0}\n' \
    "$B" >"$JR/$B/run.json"
$SIGN "$JR/$B/run.json"
expect_exit 0 "rollback --list" "$TATTOO" --root "$R" rollback --list
check "the older-started run is listed first" sh -c \
    "head -1 '$T/out' | grep -q '$B' && tail -1 '$T/out' | grep -q '$A'"
expect_exit 0 "plain rollback takes the run started last" \
    "$TATTOO" --root "$R" rollback
check "the run started last, not the one named last" \
    contains "$T/out" "rolled back $A"

# 4. A genuine run moved to another directory name: refused.
rm -rf "$JR"
harden_image
M=20300101T000000Z-123456
mv "$J" "$JR/$M"
refused "a run under another directory name: refused" 3 "'run'" \
    "$TATTOO" --root "$R" rollback "$M"
expect_exit 2 "nothing else to roll back" "$TATTOO" --root "$R" rollback
check "it says it passed over the renamed run" contains "$T/err" "$M"
manifest >"$T/now"
check "nothing was undone" cmp -s "$T/hardened" "$T/now"
done_testing
