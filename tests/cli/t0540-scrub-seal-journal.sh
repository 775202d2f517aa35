#!/bin/sh
# The harden journal keeps a copy of /etc/shadow inside the image;
# `scrub --apply` seals it: the copy's bytes are dropped, the entry stays
# (marked sealed, with its digest), `scrub --check` is then clean, and a
# rollback of the harden run refuses /etc/shadow, naming it and why, and
# undoes the rest.  Audit evidence under /var/lib/tattoo/evidence is kept
# and not reported (issue 16).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

make_image
# A real password hash (SHA-512 crypt), as a build user's would be.
hash=$(openssl passwd -6 -salt Qx7pW2nL 'Build-pw-42')
printf 'root:%s:19000:0:99999:7:::\n' "$hash" >"$R/etc/shadow"
chmod 0640 "$R/etc/shadow"
"$TATTOO" --root "$R" harden --rules "$PACK" >"$T/harden.out" 2>&1
run=$(sed -n "s/.*tattoo rollback \([^']*\)'.*/\1/p" "$T/harden.out")
J="$R/var/lib/tattoo/journal/$run"
check "harden made a run" test -n "$run" -a -d "$J"
shadow_entry=$(entry_of /etc/shadow)
shadow_data=${shadow_entry%.json}.data
check "the journal holds a copy of /etc/shadow" test -f "$shadow_data"
fstab_data=$(entry_of /etc/fstab)
fstab_data=${fstab_data%.json}.data
check "and of /etc/fstab" test -f "$fstab_data"

expect_exit 1 "scrub --check before: the copy is a finding" \
    "$TATTOO" --root "$R" scrub --check
check "the finding is the hash in the journal's copy" \
    contains "$T/out" "journal/$run/$(basename "$shadow_data"):1"
check "named by its detector" contains "$T/out" "shadow-hash-sha512"

# Evidence of the build, where the README says pipelines keep it.
mkdir -p "$R/var/lib/tattoo/evidence"
"$TATTOO" --root "$R" audit --rules "$PACK" --format junit \
    --output "$R/var/lib/tattoo/evidence/audit.xml" >/dev/null 2>&1
"$TATTOO" --root "$R" audit --rules "$PACK" --format html \
    --output "$R/var/lib/tattoo/evidence/audit.html" >/dev/null 2>&1
check "the evidence is written" test -s "$R/var/lib/tattoo/evidence/audit.xml"

expect_exit 0 "scrub --apply" "$TATTOO" --root "$R" scrub --apply
check "it says it sealed the copy" contains "$T/err" "sealed 1 journaled copy"
check "the copy's bytes are gone" test ! -e "$shadow_data"
check "the entry stays" test -f "$shadow_entry"
check "marked sealed, with the reason" \
    contains "$shadow_entry" '"sealed":"it holds password hashes"'
check "its digest is kept" contains "$shadow_entry" '"sha256":'
check "a copy without secrets is kept (fstab)" test -f "$fstab_data"
check "the evidence is kept" test -s "$R/var/lib/tattoo/evidence/audit.xml" \
    -a -s "$R/var/lib/tattoo/evidence/audit.html"

expect_exit 0 "scrub --check after --apply: clean" \
    "$TATTOO" --root "$R" scrub --check
check "no finding in the journal" sh -c "! grep -q journal '$T/out'"
check "no finding in the evidence" sh -c "! grep -q evidence '$T/out'"
expect_exit 0 "scrub --apply again: nothing more to seal" \
    "$TATTOO" --root "$R" scrub --apply
check "no seal said the second time" sh -c "! grep -q sealed '$T/err'"

cp "$R/etc/shadow" "$T/shadow.hardened"
expect_exit 3 "rollback of the harden run: /etc/shadow refused" \
    "$TATTOO" --root "$R" rollback "$run"
check "the refusal names the file" contains "$T/err" "'/etc/shadow' not restored"
check "and says why" contains "$T/err" "sealed (it holds password hashes)"
check "the other paths are undone (fstab)" \
    sh -c "grep -qx 'tmpfs /tmp tmpfs defaults 0 0' '$R/etc/fstab'"
check "and what harden created is removed" \
    test ! -e "$R/etc/ssh/sshd_config.d/00-tattoo-hardening.conf"
check "/etc/shadow is left as it was" cmp -s "$R/etc/shadow" "$T/shadow.hardened"
"$TATTOO" --root "$R" rollback --list >"$T/list" 2>&1
check "the run is done with: rolled back" \
    sh -c "grep '^$run' '$T/list' | grep -q ' rolled-back'"

# A forged seal (data dropped, entry edited without the key) is refused
# whole, as any edit: the seal is authenticated like the rest.
harden_image
e=$(entry_of /etc/fstab)
set_member "$e" sealed '"forged"'
python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); o.pop("data"); json.dump(o, open(sys.argv[1], "w"))' "$e"
expect_exit 3 "a forged seal does not verify: nothing undone" \
    "$TATTOO" --root "$R" rollback "$run"
check "the message names the entry" contains "$T/err" "$(basename "$e")"
done_testing
