#!/bin/sh
# What rollback acts on in the tree: a path the run journaled that is a
# device node now, a directory bind-mounted into the image (a chroot
# build's /dev or /run), a parent replaced by a symbolic link, and a
# directory the run created that is not empty any more.  Even entries
# signed with the host's key (as if it leaked) never make rollback touch a
# device node, a socket or another mount, follow a link or remove a
# non-empty directory: those entries are refused with a reason (exit 3;
# exit 4 for the directory), the rest of the run is undone.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../hostile.sh"
. "$(dirname "$0")/journal-fixtures.sh"

mounted=
trap '[ -n "$mounted" ] && umount "$mounted" 2>/dev/null; rm -rf "$T"' EXIT

# 1. The journaled /etc/crontab is a character device (/dev/null's
# numbers) by the time of the rollback.
harden_image
rm "$R/etc/crontab"
mknod "$R/etc/crontab" c 1 3
chmod 0640 "$R/etc/crontab"
refused "a device node where a file was: refused" 3 "/etc/crontab" \
    "$TATTOO" --root "$R" rollback
check "the message says what it is" contains "$T/err" "device node"
check "the device node is untouched" \
    test "$(stat -c '%F %t,%T %a %u' "$R/etc/crontab")" = \
    "character special file 1,3 640 0"
check "the rest of the run was undone" \
    test "$(cat "$R/etc/sysctl.conf")" = "net.ipv4.ip_forward = 1"

# 2. A signed entry naming the image's /dev/null (a device node).
harden_image
mknod "$R/dev/null" c 1 3
chmod 0666 "$R/dev/null"
E=$(entry_of /etc/crontab)
set_member "$E" path '"/dev/null"'
set_member "$E" mode 3583
$SIGN "$E"
refused "a signed entry for /dev/null: refused" 3 "/dev/null" \
    "$TATTOO" --root "$R" rollback
check "/dev/null of the image is untouched" \
    test "$(stat -c '%F %a %u:%g' "$R/dev/null")" = \
    "character special file 666 0:0"
check "no set-id file appeared" test -z "$(find "$R" -perm /6000 -print)"

# 3. A socket where a file was.
harden_image
rm "$R/etc/crontab"
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$R/etc/crontab"
refused "a socket where a file was: refused" 3 "socket" \
    "$TATTOO" --root "$R" rollback
check "the socket is still there" test -S "$R/etc/crontab"

# 4. A parent replaced by a symbolic link: never followed.  (The run
# created /etc/modprobe.d/tattoo-cramfs.conf; the link points inside the
# tree at a file of that name.)
harden_image
mkdir -p "$R/srv/keep"
printf 'keep me\n' >"$R/srv/keep/tattoo-cramfs.conf"
rm -rf "$R/etc/modprobe.d"
ln -s ../srv/keep "$R/etc/modprobe.d"
refused "a symlinked parent: not followed" 3 "/etc/modprobe.d" \
    "$TATTOO" --root "$R" rollback
check "nothing removed through the link" \
    test "$(cat "$R/srv/keep/tattoo-cramfs.conf")" = "keep me"

# 5. A directory the run created, not empty now: left in place.
harden_image
printf 'later\n' >"$R/etc/sysctl.d/99-later.conf"
expect_exit 4 "a directory the run made, not empty now: kept" \
    "$TATTOO" --root "$R" rollback
check "the message says why" contains "$T/err" "not empty"
check "its file is kept" test -f "$R/etc/sysctl.d/99-later.conf"
check "the run's own file in it is gone" \
    test ! -e "$R/etc/sysctl.d/zz-tattoo-hardening.conf"

# 6. A directory of $T bind-mounted into the image over a directory the
# run wrote in, and over the image's /run (a signed entry there).
harden_image
mkdir -p "$T/hostdir"
printf 'host canary\n' >"$T/hostdir/00-tattoo-hardening.conf"
printf 'host canary\n' >"$T/hostdir/canary"
if mount --bind "$T/hostdir" "$R/etc/ssh/sshd_config.d" 2>"$T/mount.err"; then
	mounted="$R/etc/ssh/sshd_config.d"
	refused "a bind-mounted directory: not crossed" 3 \
	    "/etc/ssh/sshd_config.d" "$TATTOO" --root "$R" rollback
	check "the mounted file is untouched" \
	    test "$(cat "$T/hostdir/00-tattoo-hardening.conf")" = "host canary"
	umount "$mounted" && mounted=
	harden_image
	mount --bind "$T/hostdir" "$R/run" && mounted="$R/run"
	E=$(entry_of /etc/crontab)
	printf '{"run":"%s","seq":%s,"path":"/run/canary","existed":false}\n' \
	    "$run" "$(basename "$E" .json | sed 's/^0*//')" >"$E"
	rm -f "${E%.json}.data"
	$SIGN "$E"
	refused "a signed entry in the bind-mounted /run: refused" 3 \
	    "/run/canary" "$TATTOO" --root "$R" rollback
	check "the canary in the mounted /run is untouched" \
	    test "$(cat "$T/hostdir/canary")" = "host canary"
	umount "$mounted" && mounted=
else
	_tt_n=$((_tt_n + 1)); echo "ok $_tt_n # SKIP mount --bind: $(cat "$T/mount.err")"
fi
done_testing
