#!/bin/sh
# A disk that fills up at each successive write of a harden run (journal
# entries, saved bytes, the changes themselves): harden stops with exit 4
# and says what failed, and rollback then gives back the exact image.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/../fault.sh"

PACK="$TT_TOP/tests/fixtures/harden-pack.json"
R="$T/root"
# The journal key is a host file: keep it in $T.
export TATTOO_STATE_DIR="$T/state"

make_image() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/var/lib/dpkg" "$R/root/.ssh"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' >"$R/etc/ssh/sshd_config"
	printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
	printf '# cron\n' >"$R/etc/crontab"
	chmod 0644 "$R/etc/crontab"
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
n=1
stopped=0
while [ $n -le 30 ]; do
	make_image
	fault_run "write:$n+" $TATTOO --root "$R" harden --rules "$PACK"
	if [ "$rc" -eq 4 ]; then
		stopped=$((stopped + 1))
		if ! grep -q "No space left on device" "$T/err"; then
			fail "disk full at write $n: says why" "$T/err"
		fi
	elif [ "$rc" -ne 0 ]; then
		echo "# disk full at write $n: exit $rc" >"$T/why"
		fail "disk full at write $n: exit 4 (or 0 when harden was done)" "$T/why" "$T/err"
	fi
	if ls "$R/var/lib/tattoo/journal" 2>/dev/null | grep -q .; then
		$TATTOO --root "$R" rollback >"$T/rb" 2>&1
	fi
	manifest >"$T/after"
	if ! cmp -s "$T/before" "$T/after"; then
		diff "$T/before" "$T/after" | head -5 >"$T/why"
		fail "disk full at write $n: rollback gives back the image" "$T/why" "$T/err" "$T/rb"
	fi
	[ "$rc" -eq 0 ] && break
	n=$((n + 1))
done
check "harden stopped with exit 4 at $stopped points of the run" test $stopped -ge 5
check "a harden with room enough finished (exit 0: what is left it declines) before 30 writes" test "$rc" -eq 0

done_testing
