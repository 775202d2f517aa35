#!/bin/sh
# kill -9 at every crash point of harden (tests/fault.sh kill_points):
# afterwards the journal always rolls the image back to exactly what it
# was (type, mode, owner, content of every path), whatever the moment of
# the kill.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../fault.sh"

PACK="$TT_TOP/tests/fixtures/harden-pack.json"
R="$T/root"
# The journal key is a host file: keep it in $T.
export TATTOO_STATE_DIR="$T/state"

make_image() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/var/lib/dpkg" \
	    "$R/usr/lib/systemd/system" "$R/root/.ssh"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
	printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
	printf '# cron\n' >"$R/etc/crontab"
	chmod 0644 "$R/etc/crontab"
	printf '[Unit]\n[Install]\nWantedBy=multi-user.target\n' >"$R/usr/lib/systemd/system/avahi-daemon.service"
	printf 'tmpfs /tmp tmpfs defaults 0 0\n' >"$R/etc/fstab"
	printf 'root:x:0:0:root:/root:/bin/bash\n' >"$R/etc/passwd"
	printf 'root:x:0:\n' >"$R/etc/group"
	printf 'root:$y$j9T$abc:19000:0:99999:7:::\n' >"$R/etc/shadow"
	printf 'Debian \\n \\l\n' >"$R/etc/issue"
	echo "ssh-ed25519 AAAAC3Nza root@build" >"$R/root/.ssh/authorized_keys"
	: >"$R/var/lib/dpkg/status"
}

manifest() {
	(cd "$R" && find . -path ./var/lib/tattoo -prune -o \
	    -printf '%p %y %m %U:%G %l\n' | sort
	 cd "$R" && find . -path ./var/lib/tattoo -prune -o -type f -print0 |
	    sort -z | xargs -0 sha256sum)
}

expect_exit 0 "harden --help" $TATTOO harden --help
make_image
manifest >"$T/before"
# A run killed at each crash point: rollback gives the image back.
changed=0
rolled_back() {
	manifest >"$T/killed"
	cmp -s "$T/before" "$T/killed" || changed=$((changed + 1))
	# A run killed before its journal began has nothing to roll back.
	if [ -d "$R/var/lib/tattoo/journal" ] &&
	    ls "$R/var/lib/tattoo/journal" | grep -q .; then
		$TATTOO --root "$R" rollback >"$T/rb" 2>&1
	fi
	manifest >"$T/after"
	cmp -s "$T/before" "$T/after" && return 0
	diff "$T/before" "$T/after" | head -5
	return 1
}
kill_points "harden killed at each crash point, then rollback: the image exactly as before" \
    make_image rolled_back $TATTOO --root "$R" harden --rules "$PACK"
echo "# $changed of $KILLED killed runs had changed the image before the kill"
check "some kills came after changes (the test reaches the journal)" test $changed -gt 1

done_testing
