# Sourced by tests/pipeline/run.sh and tests/quickstart/run.sh: the
# kernel file systems a chroot of a debootstrap tree gets, and their
# unmounting on every exit path (the caller's EXIT trap calls
# chroot_umount).
#
# chroot_mount ROOT FS...: mounts each FS in ROOT: proc (a new procfs),
# dev (the host's /dev, bound), pts (the host's /dev/pts, bound: after
# dev), sys (a new sysfs, read-only).  Returns
# non-zero at the first that fails; what was mounted is recorded.
chroot_mounted=""
chroot_mount() {
	_r=$1
	shift
	for _fs in "$@"; do
		case $_fs in
		proc) mount -t proc proc "$_r/proc" ;;
		dev) mount --bind /dev "$_r/dev" ;;
		pts) mount --bind /dev/pts "$_r/dev/pts" ;;
		sys) mount -t sysfs -o ro sysfs "$_r/sys" ;;
		*) echo "chroot_mount: unknown file system $_fs" >&2; false ;;
		esac || return 1
		case $_fs in pts) _fs=dev/pts ;; esac
		chroot_mounted="$_r/$_fs $chroot_mounted"
	done
}
# chroot_umount: unmounts (lazily, so a busy one is detached too) what
# chroot_mount mounted, newest first.
chroot_umount() {
	for _m in $chroot_mounted; do umount -l "$_m" 2>/dev/null; done
	chroot_mounted=""
}
