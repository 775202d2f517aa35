#!/bin/sh
# A plain `rollback` undoes the newest run or refuses, naming it: when the
# newest run is a scrub --apply record (it keeps no bytes, so it cannot be
# undone), an older harden is never undone silently in its place.  The
# refusal names the record and says how to ask for the older run; named,
# the older run is undone.  Under --root the host's status.json is not
# touched (issue 16).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

harden_image
check "harden made a run" test -n "$run" -a -d "$J"
mkdir -p "$R/root"
printf 'curl -H "Authorization: Bearer %s" https://api.internal\n' \
    "q8Zr2LkP0vXw7TnY5bMc3Hd" >"$R/root/.bash_history"
expect_exit 0 "scrub --apply in the image after the harden" \
    "$TATTOO" --root "$R" scrub --apply
srun=$(grep -l '"scrub"' "$R"/var/lib/tattoo/journal/*/run.json |
    sed 's,.*/journal/\([^/]*\)/run.json,\1,')
check "the scrub run is journaled apart" test -n "$srun" -a "$srun" != "$run"
manifest >"$T/scrubbed"
# The paths scrub changed: left out when the harden's undoing is compared.
diff "$T/hardened" "$T/scrubbed" | sed -n 's/^[<>] //p' |
    awk '{ print ($1 ~ /^\.\//) ? $1 : $2 }' | sort -u >"$T/scrub.paths"
# scrub --apply sealed the harden's copy of /etc/shadow (t0540): that path
# stays as harden left it.
echo ./etc/shadow >>"$T/scrub.paths"

# The host's status.json: a rollback of an image leaves it as it was.
mkdir -p "$T/state"
printf '{"schema":1,"audit":{"compliant":true,"score":100}}\n' \
    >"$T/state/status.json"
cp "$T/state/status.json" "$T/status.before"

expect_exit 2 "plain rollback with a scrub record newest: refused" \
    "$TATTOO" --root "$R" rollback
check "it names the newest run, the record" contains "$T/err" "'$srun'"
check "it says the record cannot be undone" contains "$T/err" \
    "cannot be undone"
check "it says how to ask for the older harden run" contains "$T/err" \
    "tattoo --root $R rollback $run"
manifest >"$T/now"
check "nothing was undone: the image is as scrub left it" \
    cmp -s "$T/now" "$T/scrubbed"
check "the harden run is not marked rolled back" sh -c \
    "! grep -q rolled-back '$J/run.json'"

expect_exit 3 "the older harden run, named, is undone (but its sealed /etc/shadow)" \
    "$TATTOO" --root "$R" rollback "$run"
check "the sealed path is named" contains "$T/err" "'/etc/shadow' not restored"
check "rollback names the run" contains "$T/out" "rolled back $run"
manifest >"$T/now"
keep() { awk 'NR == FNR { skip[$1] = 1; next }
    !((($1 ~ /^\.\//) ? $1 : $2) in skip)' "$T/scrub.paths" "$1"; }
keep "$T/before" >"$T/before.cmp"
keep "$T/now" >"$T/now.cmp"
check "the image is as before the harden (but what scrub changed)" \
    cmp -s "$T/now.cmp" "$T/before.cmp"
check "sshd_config has its first bytes again" \
    contains "$R/etc/ssh/sshd_config" "PermitRootLogin yes"
check "the host's status.json is untouched by rollback --root" \
    cmp -s "$T/state/status.json" "$T/status.before"

expect_exit 2 "plain rollback again: the record is still newest, refused" \
    "$TATTOO" --root "$R" rollback
check "and nothing older is left to suggest" contains "$T/err" \
    "no run to roll back"
check "no suggestion of a rolled-back run" sh -c \
    "! grep -q 'rollback $run' '$T/err'"
done_testing
