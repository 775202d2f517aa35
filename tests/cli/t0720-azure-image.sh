#!/bin/sh
# Issue 19: the azure pack's azure-image profile (the Azure image
# readiness checks).  A Debian 12 tree made ready for Azure passes every
# rule; a copy broken in one way fails (or, for missing metadata, errors)
# exactly the rule about it.  The default profile stays the system's CIS
# one; --profile azure-image finds the azure pack; a tailoring sets the
# required agents; every output format takes rules with no CIS number.
. "$(dirname "$0")/../lib.sh"

G="$T/good"
make_root "$G" debian 12
mkdir -p "$G/var/lib/dpkg" "$G/lib/systemd/system" \
    "$G/etc/systemd/system/multi-user.target.wants" "$G/boot/grub" \
    "$G/lib/modules/6.1.0-18-amd64" "$G/etc/initramfs-tools" \
    "$G/etc/network" "$G/etc/chrony" "$G/etc/udev/rules.d" \
    "$G/var/lib/apt/lists"
cat >"$G/var/lib/dpkg/status" <<'E'
Package: waagent
Status: install ok installed
Version: 2.2.49.2-1

Package: openssl
Status: install ok installed
Version: 3.0.11-1~deb12u2

Package: chrony
Status: install ok installed
Version: 4.3-2+deb12u1
E
printf '[Unit]\nDescription=Azure Linux Agent\n' >"$G/lib/systemd/system/waagent.service"
ln -s /lib/systemd/system/waagent.service \
    "$G/etc/systemd/system/multi-user.target.wants/waagent.service"
printf '# waagent\nProvisioning.Agent=auto\nResourceDisk.EnableSwap=y\n' >"$G/etc/waagent.conf"
printf 'CONFIG_HYPERV=m\nCONFIG_HYPERV_STORAGE=m\nCONFIG_HYPERV_NET=m\n' \
    >"$G/boot/config-6.1.0-18-amd64"
printf 'MODULES=most\n' >"$G/etc/initramfs-tools/initramfs.conf"
cat >"$G/boot/grub/grub.cfg" <<'E'
menuentry 'Debian' {
	linux /boot/vmlinuz-6.1.0-18-amd64 root=UUID=0b7e ro console=tty1 console=ttyS0,115200n8 earlyprintk=ttyS0
}
E
cat >"$G/etc/fstab" <<'E'
# <file system> <mount point> <type> <options> <dump> <pass>
UUID=0b7e / ext4 errors=remount-ro 0 1
LABEL=efi /boot/efi vfat umask=0077 0 1
tmpfs /tmp tmpfs nodev,nosuid 0 0
E
printf 'auto lo\niface lo inet loopback\nauto eth0\niface eth0 inet dhcp\n' \
    >"$G/etc/network/interfaces"
printf 'pool 2.debian.pool.ntp.org iburst\nrefclock PHC /dev/ptp_hyperv poll 3 dpoll -2 offset 0\n' \
    >"$G/etc/chrony/chrony.conf"
printf 'SUBSYSTEM=="net", ACTION=="add", NAME="eth0"\n' >"$G/etc/udev/rules.d/60-net.rules"
L="$G/var/lib/apt/lists/deb.example_debian-security_dists_bookworm-security"
printf 'Package: openssl\nVersion: 3.0.11-1~deb12u2\n\nPackage: sudo\nVersion: 1.9.13p3-1+deb12u1\n' \
    >"${L}_main_binary-amd64_Packages"
printf 'Origin: Debian\nDate: Fri, 04 Dec 2026 18:00:01 UTC\n' >"${L}_InRelease"

# verdicts ROOT [ARGS]: "RULE RESULT" lines of the azure-image audit: the
# id and result members of each entry of "results" (six spaces in, in
# tattoo's JSON), by awk, not a python3 per audit (issue 17; the same
# lines as json.load's for every rule of the packs).
verdicts() {
	_r=$1; shift
	"$TATTOO" --root "$_r" audit --profile azure-image --format json "$@" \
	    >"$T/v.json" 2>"$T/v.err"
	awk '
/^      "id": "/ { id = $0; sub(/^      "id": "/, "", id); sub(/",?$/, "", id) }
/^      "result": "/ { r = $0; sub(/^      "result": "/, "", r); sub(/",?$/, "", r); print id, r }' "$T/v.json"
}
# verdict ROOT RULE: the result of one rule.
verdict() { verdicts "$1" --rule "$2" | sed -n "s/^$2 //p"; }

RULES="azure_provisioning_agent azure_provisioning_consistent
azure_hyperv_drivers azure_serial_console azure_no_swap_on_os_disk
azure_fstab_no_resource_disk azure_fstab_by_uuid
azure_no_persistent_net_rules azure_network_dhcp azure_time_ptp_hyperv
azure_security_updates azure_required_agents"

verdicts "$G" >"$T/good.txt"
check "the ready tree: all 12 rules pass" sh -c '
test "$(grep -c " pass$" "$1")" = 12' _ "$T/good.txt"
for r in $RULES; do
	check "ready tree: $r passes" grep -qx "$r pass" "$T/good.txt"
done
expect_exit 0 "azure-image on the ready tree exits 0" \
    "$TATTOO" --root "$G" audit --profile azure-image
check "named by its pack" contains "$T/out" "azure:azure-image on $G"
check "grouped under its reference, not a CIS section" contains "$T/out" \
    "Section azure: 12 pass, 0 fail"

# The default profile is still the system's benchmark.
run "$TATTOO" --root "$G" audit --format json
check "no --profile: debian12:cis-l1-server, not azure" python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["profile_qualified"] == "debian12:cis-l1-server", d["profile_qualified"]' "$T/out"
expect_exit 0 "azure:azure-image named fully" \
    "$TATTOO" --root "$G" audit --profile azure:azure-image
expect_exit 2 "an unknown profile" \
    "$TATTOO" --root "$G" audit --profile azure-imag
check "the error names the system's pack and suggests" contains "$T/err" \
    "did you mean"

# bad NAME RULE WANT: copy the ready tree to $T/NAME (the caller breaks
# it in $B), then RULE must be WANT.
copy() { rm -rf "$T/$1"; cp -a "$G" "$T/$1"; B="$T/$1"; }
expect() {
	got=$(verdict "$B" "$1")
	if [ "$got" = "$2" ]; then pass "$3: $1 $2"; else
		echo "# got '$got'" >"$T/why"; fail "$3: $1 $2" "$T/why" "$T/v.err"; fi
}

copy noagent
rm "$B/etc/systemd/system/multi-user.target.wants/waagent.service"
expect azure_provisioning_agent fail "waagent installed but not enabled"
sed -i 's/^Package: waagent$/Package: other/' "$B/var/lib/dpkg/status"
expect azure_provisioning_agent fail "no agent at all"
# cloud-init with the Azure datasource instead.
printf '\nPackage: cloud-init\nStatus: install ok installed\nVersion: 22.4.2-1\n' >>"$B/var/lib/dpkg/status"
printf '[Unit]\n' >"$B/lib/systemd/system/cloud-init.service"
ln -s /lib/systemd/system/cloud-init.service \
    "$B/etc/systemd/system/multi-user.target.wants/cloud-init.service"
mkdir -p "$B/etc/cloud/cloud.cfg.d"
printf 'datasource_list: [ Azure ]\n' >"$B/etc/cloud/cloud.cfg.d/90-azure.cfg"
expect azure_provisioning_agent pass "cloud-init with the Azure datasource"
printf 'datasource_list: [ NoCloud, None ]\n' >"$B/etc/cloud/cloud.cfg.d/99-local.cfg"
expect azure_provisioning_agent fail "cloud-init whose datasource_list leaves Azure out"

copy both
printf '\nPackage: cloud-init\nStatus: install ok installed\nVersion: 22.4.2-1\n' >>"$B/var/lib/dpkg/status"
expect azure_provisioning_consistent pass "waagent and cloud-init, Provisioning.Agent=auto"
sed -i 's/^Provisioning.Agent=auto/Provisioning.Agent=waagent/' "$B/etc/waagent.conf"
expect azure_provisioning_consistent fail "waagent provisions beside cloud-init"
copy handoff
printf 'Provisioning.Agent=cloud-init\n' >>"$B/etc/waagent.conf"
expect azure_provisioning_consistent fail "waagent hands provisioning to an absent cloud-init"
rm "$B/etc/waagent.conf"
expect azure_provisioning_consistent notapplicable "no waagent.conf"

copy hv
printf 'MODULES=dep\n' >"$B/etc/initramfs-tools/initramfs.conf"
expect azure_hyperv_drivers fail "drivers as modules, MODULES=dep"
printf 'hv_vmbus\nhv_storvsc\nhv_netvsc\n' >"$B/etc/initramfs-tools/modules"
expect azure_hyperv_drivers pass "drivers listed in initramfs-tools/modules"
rm -r "$B/lib/modules/6.1.0-18-amd64"
expect azure_hyperv_drivers fail "no kernel in the image"

copy console
sed -i 's/ console=ttyS0,115200n8 earlyprintk=ttyS0//' "$B/boot/grub/grub.cfg"
expect azure_serial_console fail "console=tty1 only"

copy swap
printf '/swapfile none swap sw 0 0\n' >>"$B/etc/fstab"
expect azure_no_swap_on_os_disk fail "a swap file in fstab"
copy mnt
printf 'UUID=aa /mnt/resource ext4 defaults,nofail 0 2\n' >>"$B/etc/fstab"
expect azure_fstab_no_resource_disk fail "the resource disk in fstab"
copy sdx
printf '/dev/sdc1 /data ext4 defaults 0 2\n' >>"$B/etc/fstab"
expect azure_fstab_by_uuid fail "a disk by kernel name"
copy udev
printf 'SUBSYSTEM=="net", ACTION=="add", ATTR{address}=="00:0d:3a:11:22:33", NAME="eth0"\n' \
    >"$B/etc/udev/rules.d/70-persistent-net.rules"
expect azure_no_persistent_net_rules fail "a MAC-bound interface name"
copy static
printf 'auto eth0\niface eth0 inet static\n  address 10.0.0.4/24\n' >"$B/etc/network/interfaces"
expect azure_network_dhcp fail "a static address in interfaces"
copy nm
mkdir -p "$B/etc/NetworkManager/system-connections"
printf '[ipv4]\nmethod=manual\naddress1=10.0.0.4/24\n' >"$B/etc/NetworkManager/system-connections/eth0.nmconnection"
expect azure_network_dhcp fail "a static NetworkManager connection"
copy ptp
sed -i '/refclock/d' "$B/etc/chrony/chrony.conf"
expect azure_time_ptp_hyperv fail "chrony without the PTP clock"
printf 'refclock PHC /dev/ptp0 poll 3\n' >>"$B/etc/chrony/chrony.conf"
expect azure_time_ptp_hyperv fail "/dev/ptp0 is not the Hyper-V clock by name"
copy upd
sed -i 's/^Version: 3.0.11-1~deb12u2$/Version: 3.0.11-1~deb12u3/' \
    "$B/var/lib/apt/lists/deb.example_debian-security_dists_bookworm-security_main_binary-amd64_Packages"
expect azure_security_updates fail "a newer openssl in the security list"
check "found names the package and both versions" contains "$T/v.json" \
    "openssl 3.0.11-1~deb12u2 -> 3.0.11-1~deb12u3"
rm "$B"/var/lib/apt/lists/*
expect azure_security_updates error "no security metadata: an error, not a pass"
check "the reason" contains "$T/v.json" "security metadata absent"

# harden fixes what an action fits: the swap and resource disk lines go,
# console=ttyS0 is added to GRUB_CMDLINE_LINUX.
copy fix
printf '/swapfile none swap sw 0 0\nUUID=aa /mnt/resource ext4 defaults 0 2\n' >>"$B/etc/fstab"
sed -i 's/ console=ttyS0,115200n8 earlyprintk=ttyS0//' "$B/boot/grub/grub.cfg"
mkdir -p "$B/etc/default"
printf 'GRUB_CMDLINE_LINUX="quiet"\n' >"$B/etc/default/grub"
expect_exit 0 "harden --profile azure-image" "$TATTOO" --root "$B" harden \
    --profile azure-image --force
check "three fixed" sh -c 'grep -c "^  fixed " "$1" | grep -qx 3' _ "$T/out"
check "the fstab keeps its other lines" grep -q "^UUID=0b7e / ext4" "$B/etc/fstab"
verdicts "$B" >"$T/fixed.txt"
check "after harden: all 12 pass" sh -c '
test "$(grep -c " pass$" "$1")" = 12' _ "$T/fixed.txt"

# Required agents, through a tailoring.
cat >"$T/tail.json" <<'E'
{"schema": 1, "id": "contoso-azure", "profile": "azure-image", "extends": "azure",
 "params": {"azure_required_agents": {
   "packages": ["azuremonitoragent", "mdatp"],
   "units": ["azuremonitoragent.service"]}}}
E
got=$(verdicts "$G" --tailoring "$T/tail.json" --rule azure_required_agents)
check "required agents missing: fail" test "$got" = "azure_required_agents fail"
check "found names each missing one" contains "$T/v.json" \
    "package azuremonitoragent, package mdatp, unit azuremonitoragent.service"
copy agents
printf '\nPackage: azuremonitoragent\nStatus: install ok installed\nVersion: 1.30\n\nPackage: mdatp\nStatus: install ok installed\nVersion: 101\n' \
    >>"$B/var/lib/dpkg/status"
printf '[Unit]\n' >"$B/lib/systemd/system/azuremonitoragent.service"
ln -s /lib/systemd/system/azuremonitoragent.service \
    "$B/etc/systemd/system/multi-user.target.wants/azuremonitoragent.service"
got=$(verdicts "$B" --tailoring "$T/tail.json" --rule azure_required_agents)
check "required agents present: pass" test "$got" = "azure_required_agents pass"
printf '{"schema": 1, "id": "x", "profile": "azure-image", "params": {"azure_required_agents": {"package": "mdatp"}}}\n' >"$T/bad.json"
expect_exit 3 "a misspelt parameter is refused" \
    "$TATTOO" --root "$G" audit --tailoring "$T/bad.json"

# write records the pending security updates in the baseline (signed with
# it).
expect_exit 0 "write on the ready tree" "$TATTOO" --root "$G" write --no-imds \
    --image-name golden --image-version 1.0.0
pychecks 2 "$G/etc/tattoo/tattoo.json" "$TT_TOP/docs/schema" <<'PY'
import formatcheck
with checked("baseline.security_updates: 0 pending, the lists' date"):
    u = load(sys.argv[1])["baseline"]["security_updates"]
    assert u == {"pending": 0, "metadata_date": "2026-12-04T18:00:01Z"}, u
check("tattoo against docs/schema/tattoo.schema.json", *formatcheck.holds("schema", sys.argv[2], "tattoo", sys.argv[1]))
PY
expect_exit 0 "it verifies" "$TATTOO" --root "$G" verify
expect_exit 0 "show" "$TATTOO" --root "$G" show
check "show says it" contains "$T/out" \
    "0 pending security updates (metadata of 2026-12-04T18:00:01Z)"
B="$T/upd"
expect_exit 0 "write without security metadata" "$TATTOO" --root "$B" write \
    --no-imds --image-name golden --image-version 1.0.1
check "baseline.security_updates: the error, no count" python3 -c '
import json, sys
u = json.load(open(sys.argv[1]))["baseline"]["security_updates"]
assert list(u) == ["error"] and "security metadata absent" in u["error"], u' \
    "$B/etc/tattoo/tattoo.json"
rm -rf "$G/etc/tattoo"

# Every format renders rules without a CIS number.
B="$T/noagent"
# One audit writes them all (--output FORMAT:FILE).
outs=""
for f in json text junit sarif html; do
	outs="$outs --output $f:$T/a.$f"
done
# shellcheck disable=SC2086 # the --output arguments, split on purpose
run "$TATTOO" --root "$B" audit --profile azure-image $outs
arc=$rc
for f in json text junit sarif html; do
	check "--format $f" [ "$arc" -eq 1 -a -s "$T/a.$f" ]
done
# the JSON, SARIF and JUnit checks in one python3 (issue 17)
pychecks 5 "$T" "$TT_TOP/docs/schema" <<'PY'
import formatcheck
t = sys.argv[1]
check("json against docs/schema/audit.schema.json", *formatcheck.holds("schema", sys.argv[2], "audit", t + "/a.json"))
with checked("json: references.azure, no cis, section azure"):
    r = load(t + "/a.json")["results"][0]
    assert r["references"]["azure"].startswith("https://learn.microsoft.com/"), r
    assert "cis" not in r["references"] and r["section"] == "azure", r
check("sarif valid", *formatcheck.holds("sarif", t + "/a.sarif", t + "/a.json", "audit"))
with checked("sarif: the rule's helpUri is its Azure page"):
    assert '"helpUri": "https://learn.microsoft.com/en-us/azure/virtual-machines/' in \
        open(t + "/a.sarif", encoding="utf-8").read(), "not in " + t + "/a.sarif"
check("junit valid", *formatcheck.holds("junit", t + "/a.junit", t + "/a.json", "audit"))
PY
check "html: the reference is a link" contains "$T/a.html" \
    '<a href="https://learn.microsoft.com/en-us/azure/virtual-machines/extensions/agent-linux">'
check "html: by section, azure" contains "$T/a.html" "azure Azure image readiness"
done_testing
