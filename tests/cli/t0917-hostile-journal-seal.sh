#!/bin/sh
# `scrub --apply --root` seals the harden journal's copies of secret-bearing
# files inside the image (t0540): it rewrites entries and deletes copies in
# /var/lib/tattoo/journal.  That journal is the image's, so every part of
# the path can be a symbolic link planted to reach the host: the journal
# directory, /var/lib/tattoo, a run directory, an entry, a copy.  The seal
# must rewrite and delete only inside the image: each host target below is
# a genuine-looking journal (valid MACs under the host's key) or a canary,
# and each must be byte for byte as it was, whatever scrub says.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

# A harden run whose journal holds a copy of a real password hash.
hashed_image() {
	make_image
	hash=$(openssl passwd -6 -salt Qx7pW2nL 'Build-pw-42')
	printf 'root:%s:19000:0:99999:7:::\n' "$hash" >"$R/etc/shadow"
	chmod 0640 "$R/etc/shadow"
	"$TATTOO" --root "$R" harden --rules "$PACK" >"$T/harden.out" 2>&1
	run=$(sed -n "s/.*tattoo rollback \([^']*\)'.*/\1/p" "$T/harden.out")
	J="$R/var/lib/tattoo/journal/$run"
}

# tree DIR: every path under DIR with type, mode, link target and content.
tree() {
	(cd "$1" && find . -printf '%p %y %m %l\n' | sort
	 cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum)
}

# sealed_nothing DESC DIR: DIR (a host directory) is as it was in DIR.before.
sealed_nothing() {
	tree "$2" >"$T/after"
	if cmp -s "$2.before" "$T/after"; then
		pass "$1"
	else
		diff "$2.before" "$T/after" >"$T/why"
		fail "$1" "$T/why" "$T/out" "$T/err"
	fi
}

# scrub_apply DESC: scrub --apply ends (no crash, no hang) with a verdict.
scrub_apply() {
	run timeout -s KILL "$TT_HANG_S" "$TATTOO" --root "$R" scrub --apply
	if [ "$rc" -le 4 ] && _sane; then
		pass "$1"
	else
		echo "# exit $rc" >"$T/why"
		fail "$1" "$T/why" "$T/out" "$T/err"
	fi
}

hashed_image
check "harden made a run with a copy of /etc/shadow" \
    test -n "$run" -a -f "$(entry_of /etc/shadow | sed 's/json$/data/')"
cp -a "$R" "$T/genuine-root"

fresh() {
	rm -rf "$R"
	cp -a "$T/genuine-root" "$R"
}

# 1. The journal directory is a relative link that climbs out of the image
#    to a host journal (a copy of the real one, so it verifies under the
#    host's key).  Resolved as a chroot resolves it, the climb stops at the
#    image's root, where the image holds the same name: the seal works
#    there, inside the image, and a resolver that followed the link on the
#    host would seal the host's copy instead.
fresh
cp -a "$R/var/lib/tattoo/journal" "$T/hostj1"
mv "$R/var/lib/tattoo/journal" "$R/hostj1"
ln -s ../../../../hostj1 "$R/var/lib/tattoo/journal"
tree "$T/hostj1" >"$T/hostj1.before"
scrub_apply "journal directory linked to the host: scrub ends"
sealed_nothing "the host journal behind the link is untouched" "$T/hostj1"
check "the seal was made in the image's own journal" \
    contains "$T/err" "sealed 1 journaled copy"

# 2. /var/lib/tattoo itself is such a link, to a host directory.
fresh
cp -a "$R/var/lib/tattoo" "$T/hostj2"
mv "$R/var/lib/tattoo" "$R/hostj2"
ln -s ../../../hostj2 "$R/var/lib/tattoo"
tree "$T/hostj2" >"$T/hostj2.before"
scrub_apply "/var/lib/tattoo linked to the host: scrub ends"
sealed_nothing "the host directory behind /var/lib/tattoo is untouched" \
    "$T/hostj2"
check "the seal was made in the image (/var/lib/tattoo)" \
    contains "$T/err" "sealed 1 journaled copy"

# 3. The run directory is a link to a host copy of the run.
fresh
cp -a "$J" "$T/hostj3"
rm -rf "$J"
ln -s "$T/hostj3" "$J"
tree "$T/hostj3" >"$T/hostj3.before"
scrub_apply "run directory linked to the host: scrub ends"
sealed_nothing "the host run behind the link is untouched" "$T/hostj3"

# 4. The copy of /etc/shadow is a link to a host file with the same bytes
#    (its digest matches the entry's): the seal would delete or rewrite
#    what the link names.
fresh
E=$(entry_of /etc/shadow)
mkdir "$T/hostj4"
cp -a "${E%.json}.data" "$T/hostj4/secret"
rm "${E%.json}.data"
ln -s "$T/hostj4/secret" "${E%.json}.data"
tree "$T/hostj4" >"$T/hostj4.before"
scrub_apply "copy linked to a host file: scrub ends"
sealed_nothing "the host file behind the copy's link is untouched" "$T/hostj4"

# 5. The entry naming /etc/shadow is a link to a host file holding that
#    entry: sealing rewrites the entry.
fresh
E=$(entry_of /etc/shadow)
mkdir "$T/hostj5"
cp -a "$E" "$T/hostj5/entry.json"
rm "$E"
ln -s "$T/hostj5/entry.json" "$E"
tree "$T/hostj5" >"$T/hostj5.before"
scrub_apply "entry linked to a host file: scrub ends"
sealed_nothing "the host file behind the entry's link is untouched" "$T/hostj5"

# 6. run.json is a link to a host copy: sealing never marks the run there.
fresh
mkdir "$T/hostj6"
cp -a "$J/run.json" "$T/hostj6/run.json"
rm "$J/run.json"
ln -s "$T/hostj6/run.json" "$J/run.json"
tree "$T/hostj6" >"$T/hostj6.before"
scrub_apply "run.json linked to a host file: scrub ends"
sealed_nothing "the host file behind run.json's link is untouched" "$T/hostj6"

# The genuine image is still sealed as t0540 says, so the cases above
# reached the seal rather than failing before it.
fresh
expect_exit 0 "the genuine image: scrub --apply" "$TATTOO" --root "$R" scrub --apply
check "it sealed the copy" contains "$T/err" "sealed 1 journaled copy"
E=$(entry_of /etc/shadow)
check "the genuine copy's bytes are gone" test ! -e "${E%.json}.data"
done_testing
