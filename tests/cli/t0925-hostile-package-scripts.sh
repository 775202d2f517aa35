#!/bin/sh
# harden --allow-package-changes --root IMG must not run the image's
# package scripts as host root (dpkg --root and rpm --root run prerm and
# friends chrooted, and a chroot does not hold root): the removal is
# refused, the rule stays failing (exit 1) and the message gives the
# command to run inside the image.  Whether a package is installed is read
# from the image's dpkg status file through the root: a /var/lib/dpkg that
# is a symlink to a host directory is not followed.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"

PACK="$TT_TOP/tests/fixtures/harden-pack.json"
R="$T/root"
export TATTOO_STATE_DIR="$T/state"
: >"$T/host.conf"

# prerm and postrm that leave a mark wherever they can: in the image's /
# (what a chrooted script as root writes) and at $T/canary.
scripts() {
	for s in prerm postrm; do
		printf '#!/bin/sh\necho ran >/ran-as-host-root\necho ran >"%s/canary"\n' \
		    "$T" >"$1/telnet.$s"
		chmod 0755 "$1/telnet.$s"
	done
}

make_image() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/var/lib/dpkg/info" "$R/var/lib/dpkg/updates" \
	    "$R/root" "$R/tmp"
	printf 'Package: telnet\nStatus: install ok installed\nVersion: 0.17-image\n\n' \
	    >"$R/var/lib/dpkg/status"
	scripts "$R/var/lib/dpkg/info"
	# A shell in the image, so the scripts could really run chrooted.
	if [ -x /bin/sh ] && command -v ldd >/dev/null 2>&1; then
		mkdir -p "$R/bin"
		cp /bin/sh "$R/bin/sh"
		for lib in $(ldd /bin/sh | grep -o '/[^ ]*'); do
			mkdir -p "$R$(dirname "$lib")"
			cp "$lib" "$R$lib"
		done
	fi
}

manifest() {
	(cd "$1" && find . -path ./var/lib/tattoo -prune -o \
	    -printf '%p %y %m %s %l\n' | sort)
}

H="$TATTOO --root $R --config $T/host.conf harden --rules $PACK --rule package_telnet_removed"

make_image
manifest "$R" >"$T/before"
refused "remove under --root is refused, the rule stays failing (exit 0: declined)" 0 \
    "systemd-nspawn --directory=$R --private-network dpkg --purge telnet" \
    $H --allow-package-changes
check "the message says why and names the build-VM way" \
    contains "$T/out" "is not removed under --root: dpkg would run the image's package scripts as host root; run inside the image, not as host root"
check "reported as refused, not fixed" contains "$T/out" "refused          package_telnet_removed"
check "no package script ran: no canary outside the tree" test ! -e "$T/canary"
check "no package script ran: nothing written in the image's /" \
    test ! -e "$R/ran-as-host-root"
manifest "$R" >"$T/after"
check "the image is as it was (dpkg database included)" cmp -s "$T/before" "$T/after"

refused "the dry run says the same" 0 \
    "systemd-nspawn --directory=$R --private-network dpkg --purge telnet" \
    $H --allow-package-changes --dry-run
check "without --allow-package-changes it is skipped, as before" \
    sh -c "$H >'$T/out' 2>&1; grep -q 'needs --allow-package-changes' '$T/out'"

# The command is pasted by a person: an image path with a space is quoted.
S="$T/my image"
mkdir -p "$S"
cp -a "$R/." "$S/"
refused "an image path with a space is quoted in the command" 0 \
    "--directory='$S' --private-network dpkg --purge telnet" \
    "$TATTOO" --root "$S" --config "$T/host.conf" harden --rules "$PACK" \
    --rule package_telnet_removed --allow-package-changes
check "no canary from the quoted image either" test ! -e "$T/canary"

# /var/lib/dpkg is a symlink to a directory outside the tree.  Read through
# the root it names the image's own $T/hostdpkg (0.17-image); read on the
# host (dpkg-query --admindir) it would be the host's (9.9-host).
make_image
rm -rf "$R/var/lib/dpkg"
mkdir -p "$T/hostdpkg/info" "$R$T/hostdpkg/info"
printf 'Package: telnet\nStatus: install ok installed\nVersion: 9.9-host\n\n' \
    >"$T/hostdpkg/status"
scripts "$T/hostdpkg/info"
printf 'Package: telnet\nStatus: install ok installed\nVersion: 0.17-image\n\n' \
    >"$R$T/hostdpkg/status"
ln -s "$T/hostdpkg" "$R/var/lib/dpkg"
manifest "$T/hostdpkg" >"$T/host-before"
cp "$T/hostdpkg/status" "$T/host-status"
refused "a symlinked /var/lib/dpkg resolves inside the image" 0 \
    "'telnet' 0.17-image is not removed under --root" \
    $H --allow-package-changes
check "the host's database behind the link is never read" \
    sh -c "! grep -q '9.9-host' '$T/out' '$T/err'"
check "no host package script ran" test ! -e "$T/canary"
manifest "$T/hostdpkg" >"$T/host-after"
check "the host directory behind the link is untouched" \
    sh -c "cmp -s '$T/host-before' '$T/host-after' && cmp -s '$T/host-status' '$T/hostdpkg/status'"

done_testing
