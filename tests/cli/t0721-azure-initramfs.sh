#!/bin/sh
# Issue 19: azure_hyperv_drivers reads the initramfs image itself
# (/boot/initrd.img-V, /boot/initramfs-V.img): an uncompressed early cpio,
# zero padding, then a compressed cpio, as mkinitramfs and dracut write
# them (tests/cli/mkinitrd.py).  The image wins over the generator's
# configuration, which is read only when the kernel has no image; the
# verdict names the image and what it lacks; an unreadable image is an
# error naming it, never a guess.
. "$(dirname "$0")/../lib.sh"

V=6.1.0-18-amd64
G="$T/good"
make_root "$G" debian 12
mkdir -p "$G/lib/modules/$V" "$G/boot" "$G/etc/initramfs-tools"
printf 'CONFIG_HYPERV=m\nCONFIG_HYPERV_STORAGE=m\nCONFIG_HYPERV_NET=m\n' \
    >"$G/boot/config-$V"
printf 'MODULES=dep\n' >"$G/etc/initramfs-tools/initramfs.conf"

M="usr/lib/modules/$V/kernel/drivers"
VMBUS="$M/hv/hv_vmbus.ko" STORVSC="$M/scsi/hv_storvsc.ko"
NETVSC="$M/net/hyperv/hv_netvsc.ko"
EARLY="none:kernel,kernel/x86,kernel/x86/microcode/GenuineIntel.bin"
mkimg() { python3 "$(dirname "$0")/mkinitrd.py" "$@"; }

RULE=azure_hyperv_drivers
. "$(dirname "$0")/azure-verdict.sh"

copy noimage
expect fail "no image, MODULES=dep: the configuration decides"
check "the verdict says there is no image" contains "$T/v.json" \
    "no initramfs image; its configuration"
printf 'MODULES=most\n' >"$B/etc/initramfs-tools/initramfs.conf"
expect pass "no image, MODULES=most"

copy debian
mkimg "$B/boot/initrd.img-$V" "$EARLY" "zstd:init,$VMBUS,$STORVSC,$NETVSC"
expect pass "early cpio + zstd cpio with the three drivers, MODULES=dep"

copy lacks
printf 'MODULES=most\n' >"$B/etc/initramfs-tools/initramfs.conf"
mkimg "$B/boot/initrd.img-$V" "$EARLY" "zstd:init,$VMBUS,$STORVSC"
expect fail "the image lacks hv_netvsc, though MODULES=most"
check "the verdict names the image, its layout and what it lacks" \
    contains "$T/v.json" \
    "initramfs image /boot/initrd.img-$V (none+zstd, 6 member(s) read): has hv_vmbus,hv_storvsc, lacks hv_netvsc"
check "and the missing driver" contains "$T/v.json" "missing=hv_netvsc"

copy rhel
R="lib/modules/$V/kernel/drivers"
mkimg "$B/boot/initramfs-$V.img" "none:early_cpio,kernel/x86/microcode/AuthenticAMD.bin" \
    "gzip:$R/hv/hv_vmbus.ko.xz,$R/scsi/hv_storvsc.ko.xz,$R/net/hyperv/hv_netvsc.ko.xz"
expect pass "dracut's name and .ko.xz modules behind an early cpio, gzip"

copy xz
mkimg "$B/boot/initrd.img-$V" "xz:$VMBUS,$STORVSC,$NETVSC"
expect pass "one xz cpio, no early one"

copy plain
mkimg "$B/boot/initrd.img-$V" "$EARLY" "none:$VMBUS" "none:$STORVSC,$NETVSC"
expect pass "three uncompressed archives end to end (the drivers in the 2nd and 3rd)"

copy other
O="usr/lib/modules/6.1.0-17-amd64/kernel/drivers"
mkimg "$B/boot/initrd.img-$V" "$EARLY" \
    "gzip:$O/hv/hv_vmbus.ko,$O/scsi/hv_storvsc.ko,$O/net/hyperv/hv_netvsc.ko"
expect fail "the drivers of another kernel version do not count"

copy builtin
printf 'CONFIG_HYPERV=y\nCONFIG_HYPERV_STORAGE=y\nCONFIG_HYPERV_NET=y\n' >"$B/boot/config-$V"
printf 'not an archive\n' >"$B/boot/initrd.img-$V"
expect pass "all three built in: the image is not read"

copy partbuiltin
printf 'kernel/drivers/hv/hv_vmbus.ko\n' >"$B/lib/modules/$V/modules.builtin"
mkimg "$B/boot/initrd.img-$V" "$EARLY" "zstd:$STORVSC,$NETVSC"
expect pass "hv_vmbus in modules.builtin, the others in the image"

copy damaged
mkimg "$T/full.img" "$EARLY" "zstd:init,$VMBUS,$STORVSC,$NETVSC"
head -c 700 "$T/full.img" >"$B/boot/initrd.img-$V"
expect error "a cut image: an error, not the configuration's answer"
check "the error names the image" contains "$T/v.json" \
    "cannot read the initramfs '/boot/initrd.img-$V'"
printf 'just text, no cpio\n' >"$B/boot/initrd.img-$V"
expect error "not an archive"

copy link
mkimg "$T/elsewhere.img" "$EARLY" "zstd:$VMBUS,$STORVSC,$NETVSC"
ln -s "$T/elsewhere.img" "$B/boot/initrd.img-$V"
expect error "an image that is a symbolic link is not followed"
check "the error says why" contains "$T/v.json" \
    "cannot open the initramfs '/boot/initrd.img-$V'"

copy fifo
mkfifo "$B/boot/initrd.img-$V"
expect error "a FIFO as the image: an error, no hang"
done_testing
