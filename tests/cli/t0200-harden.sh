#!/bin/sh
# harden on a fixture image: dry run, apply, idempotence, rollback to the
# exact bytes and metadata, the lock-out guard, symlinks that point at the
# host, and a harden killed half way.
. "$(dirname "$0")/../lib.sh"

PACK="$TT_TOP/tests/fixtures/harden-pack.json"
R="$T/root"
# The journal key is a host file: keep it in $T.
export TATTOO_STATE_DIR="$T/state"

# A non-compliant Debian 12 image.
make_fixture() {
	rm -rf "$R"
	make_root "$R"
	mkdir -p "$R/etc/ssh/sshd_config.d" "$R/etc/sysctl.d" \
	    "$R/etc/modprobe.d" "$R/usr/lib/systemd/system" \
	    "$R/etc/systemd/system/multi-user.target.wants" \
	    "$R/var/lib/dpkg" "$R/var/lib/tattoo" "$R/root" "$R/home/alice"
	printf 'Include /etc/ssh/sshd_config.d/*.conf\nPermitRootLogin yes\n' \
	    >"$R/etc/ssh/sshd_config"
	printf 'PasswordAuthentication yes\n' \
	    >"$R/etc/ssh/sshd_config.d/50-cloud-init.conf"
	printf 'net.ipv4.ip_forward = 1\n' >"$R/etc/sysctl.conf"
	printf '# cron\n' >"$R/etc/crontab"
	chmod 0644 "$R/etc/crontab"
	printf '[Unit]\n[Install]\nWantedBy=multi-user.target\n' \
	    >"$R/usr/lib/systemd/system/avahi-daemon.service"
	ln -s /usr/lib/systemd/system/avahi-daemon.service \
	    "$R/etc/systemd/system/multi-user.target.wants/avahi-daemon.service"
	printf 'UUID=1 / ext4 defaults 0 1\ntmpfs /tmp tmpfs defaults 0 0\n' \
	    >"$R/etc/fstab"
	printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
	    >"$R/etc/passwd"
	printf 'root:x:0:\nalice:x:1000:\n' >"$R/etc/group"
	printf 'root:$y$j9T$abc:19000:0:99999:7:::\nalice:$y$j9T$def:19000:0:99999:7:::\n' \
	    >"$R/etc/shadow"
	chmod 0640 "$R/etc/shadow"
	printf 'Debian GNU/Linux 12 \\n \\l\n' >"$R/etc/issue"
	printf 'Package: telnet\nStatus: install ok installed\nVersion: 0.17\n\n' \
	    >"$R/var/lib/dpkg/status"
	touch -d '2020-01-01 00:00:00' "$R/etc/ssh/sshd_config" "$R/etc/crontab"
}

manifest() {
	(cd "$R" && find . -path ./var/lib/tattoo -prune -o \
	    -printf '%p %y %m %U:%G %l\n' | sort
	 cd "$R" && find . -path ./var/lib/tattoo -prune -o ! -type d \
	    -printf '%p %s %T@\n' | sort
	 cd "$R" && find . -path ./var/lib/tattoo -prune -o -type f -print0 |
	    sort -z | xargs -0 sha256sum)
}

H="$TATTOO --root $R harden --rules $PACK"

expect_exit 0 "harden --help" $TATTOO harden --help
check "usage names --dry-run" contains "$T/out" "--dry-run"
expect_exit 0 "rollback --help" $TATTOO rollback --help

make_fixture
manifest >"$T/before"

expect_exit 1 "dry run: changes pending (exit 1)" $H --dry-run
check "dry run shows the sshd drop-in" contains "$T/out" "+++ b/etc/ssh/sshd_config.d/00-tattoo-hardening.conf"
check "dry run shows the sysctl change" contains "$T/out" "+net.ipv4.ip_forward = 0"
check "dry run shows the mode change" contains "$T/out" "meta /etc/crontab: mode 0644 -> 0600"
check "dry run shows the unit mask" contains "$T/out" "symlink /etc/systemd/system/avahi-daemon.service -> /dev/null"
check "dry run refuses the lock-out" contains "$T/out" "sshd_disable_password_auth"
check "dry run says why" contains "$T/out" "lock everybody out"
check "package change skipped" contains "$T/out" "--allow-package-changes"
manifest >"$T/after-dry"
check "dry run changes nothing" cmp -s "$T/before" "$T/after-dry"

expect_exit 0 "harden leaves only declined rules failing (exit 0)" $H
check "fixed rules listed one a line" contains "$T/out" "  fixed            sshd_disable_root_login"
check "the declined ones with the reason" contains "$T/out" "  manual           firewall_policy: "
check "score before and after" grep -q '^score before 1/11 (9.1), after 8/11 (72.7)$' "$T/out"
check "journal named" contains "$T/out" "tattoo rollback"
check "root login disabled" contains "$R/etc/ssh/sshd_config.d/00-tattoo-hardening.conf" "PermitRootLogin no"
check "password auth left alone" sh -c "! grep -q PasswordAuthentication '$R/etc/ssh/sshd_config.d/00-tattoo-hardening.conf'"
check "crontab 0600" test "$(stat -c %a "$R/etc/crontab")" = 600
check "avahi masked" test "$(readlink "$R/etc/systemd/system/avahi-daemon.service")" = /dev/null
check "fstab has nodev" grep -q 'defaults,nodev' "$R/etc/fstab"
check "shadow max 365" grep -q '^alice:[^:]*:19000:0:365:' "$R/etc/shadow"
check "shadow keeps its mode" test "$(stat -c %a "$R/etc/shadow")" = 640
check "telnet not removed" grep -q 'Package: telnet' "$R/var/lib/dpkg/status"
run="$(sed -n "s/.*tattoo rollback \([^']*\)'.*/\1/p" "$T/out")"
check "run id printed" test -n "$run"
check "journal on disk" test -f "$R/var/lib/tattoo/journal/$run/run.json"
manifest >"$T/hardened"

expect_exit 0 "second harden: nothing it could do is left (exit 0)" $H
check "... listed, not fixed" sh -c "! grep -q '^  fixed ' '$T/out'"
check "second harden changes nothing" contains "$T/out" "nothing to change"
manifest >"$T/hardened2"
check "second harden leaves the tree as it was" cmp -s "$T/hardened" "$T/hardened2"
expect_exit 1 "--strict: rules still fail (exit 1)" $H --strict
expect_exit 0 "dry run: nothing to change (exit 0)" $H --dry-run
expect_exit 1 "dry run --strict: rules still fail (exit 1)" $H --dry-run --strict

expect_exit 0 "audit-like check after harden: --rule of a fixed rule" \
    $H --rule sshd_disable_root_login --dry-run
check "fixed rule no longer failing" contains "$T/out" "0 failing rules"

expect_exit 0 "rollback --list" $TATTOO --root "$R" rollback --list
check "run listed" contains "$T/out" "$run"
expect_exit 0 "rollback" $TATTOO --root "$R" rollback
check "rollback names the run" contains "$T/out" "rolled back $run"
manifest >"$T/rolledback"
if cmp -s "$T/before" "$T/rolledback"; then
	pass "rollback restores every path, byte and metadata"
else
	diff "$T/before" "$T/rolledback" >"$T/why"
	fail "rollback restores every path, byte and metadata" "$T/why"
fi
expect_exit 2 "nothing left to roll back" $TATTOO --root "$R" rollback
expect_exit 2 "a run rolled back twice" $TATTOO --root "$R" rollback "$run"

# With an authorized key the password lockdown is allowed.
mkdir -p "$R/home/alice/.ssh"
echo "ssh-ed25519 AAAAC3Nza alice@laptop" >"$R/home/alice/.ssh/authorized_keys"
expect_exit 0 "harden with a key present" $H
check "a rule whose edit merged into another's is fixed by itself" grep -qx "  fixed            sshd_disable_password_auth" "$T/out"
check "password auth disabled now" contains "$R/etc/ssh/sshd_config.d/00-tattoo-hardening.conf" "PasswordAuthentication no"

# Symlinks into the host are never followed.
make_fixture
printf 'HOST FILE\n' >"$T/host-crontab"
chmod 0644 "$T/host-crontab"
rm "$R/etc/crontab"
ln -s "$T/host-crontab" "$R/etc/crontab"
ln -s "$T" "$R/etc/modprobe.d/escape"
printf 'host sshd\n' >"$T/host-sshd"
rm "$R/etc/ssh/sshd_config"
ln -s "../../../../../../../$T/host-sshd" "$R/etc/ssh/sshd_config"
run $H
check "host crontab untouched" test "$(stat -c %a "$T/host-crontab")" = 644
check "host sshd_config untouched" test "$(cat "$T/host-sshd")" = "host sshd"
check "nothing written through the directory link" test ! -e "$T/tattoo-cramfs.conf"

# A harden killed after recording a change and before making it.
make_fixture
manifest >"$T/before"
TATTOO_TEST_PAUSE=harden-change $H >/dev/null 2>&1 &
pid=$!
i=0
while [ $i -lt 600 ]; do
	state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' /proc/$pid/status 2>/dev/null)
	[ "$state" = T ] && break
	sleep 0.05; i=$((i + 1))
done
check "harden stopped at a change" test "$state" = T
kill -9 $pid; wait $pid 2>/dev/null
expect_exit 0 "a killed harden rolls back" $TATTOO --root "$R" rollback
manifest >"$T/rolledback"
check "killed harden rolled back exactly" cmp -s "$T/before" "$T/rolledback"

done_testing
