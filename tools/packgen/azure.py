#!/usr/bin/env python3
"""Generates hardening/rules/azure.json: the Azure image readiness checks
(profile azure-image), for every distribution tattoo has a CIS pack for.

These are the checks Microsoft documents for preparing a Linux image for
Azure (a provisioning agent, Hyper-V drivers at boot, the serial console,
no swap on the OS disk, nothing of the resource disk in fstab, fstab by
UUID or label, no MAC-bound persistent-net rules, DHCP, the Hyper-V PTP
clock) and two a golden-image process adds (no pending security update,
the agents the organisation embeds).  No benchmark numbers them: each rule
references the Microsoft documentation page it comes from
(references.azure) instead of a CIS section.

applies: every ID and VERSION_ID of the CIS packs (debian 12, 13; ubuntu
22.04, 24.04; rhel, almalinux, rocky, centos 9, 10; sles, sles_sap 15).
The profile id azure-image is found in this pack whatever the CIS pack
of the system (hardening/packset.c tt_profile_select); the default profile
stays the system's cis-l1-server.

    python3 tools/packgen/azure.py > hardening/rules/azure.json
"""
import json
import sys

from checks import c as C, manual, probe as chk

DOC = 'https://learn.microsoft.com/en-us/azure/virtual-machines/'
GENERIC = DOC + 'linux/create-upload-generic'
AGENT = DOC + 'extensions/agent-linux'
CLOUDINIT = DOC + 'linux/using-cloud-init'
TIME = DOC + 'linux/time-sync'
UPDATES = DOC + 'updates-maintenance-overview'
MONITOR = 'https://learn.microsoft.com/en-us/azure/azure-monitor/agents/azure-monitor-agent-overview'

IMAGE = ['image', 'runtime']
rules = []


def R(rid, ref, title, desc, rat, check, fix, sev='medium', requires=None):
    r = {'id': rid, 'title': title, 'description': desc, 'rationale': rat,
         'severity': sev, 'references': {'azure': ref}, 'scope': IMAGE}
    if requires:
        r['requires'] = requires
    r['check'] = check
    r['fix'] = fix
    rules.append(r)


def lines(path, regex, **kw):
    """No non-comment line of path (a glob) matches regex."""
    return chk('file_lines', dict({'path': path, 'regex': regex}, **kw), [],
               quantifier='none')


def has_line(path, regex):
    return chk('file_lines', {'path': path, 'regex': regex}, [],
               quantifier='any')


def installed(name):
    return chk('package', {'name': name}, [C('installed', 'eq', 'true')])


def absent(name):
    return chk('package', {'name': name}, [C('installed', 'eq', 'false')])


def enabled(unit):
    return chk('systemd_unit', {'unit': unit}, [C('enabled', 'eq', 'true')])


# The agent's package by distribution (Debian's waagent, Ubuntu's
# walinuxagent, the RHEL family's WALinuxAgent, SUSE's python3-azure-agent)
# and its unit, which is not named after the package (Debian's waagent
# ships walinuxagent.service, RHEL's WALinuxAgent waagent.service).
AGENT_PACKAGES = ['waagent', 'walinuxagent', 'WALinuxAgent', 'python3-azure-agent']
AGENT_UNITS = ['waagent.service', 'walinuxagent.service']
WAAGENT = {'all': [{'any': [installed(p) for p in AGENT_PACKAGES]},
                   {'any': [enabled(u) for u in AGENT_UNITS]}]}
# cloud-init with its Azure datasource: the package, its first stage
# enabled, and no datasource_list that leaves Azure out (without one,
# ds-identify's default list has Azure).
CLOUD_CFG = '/etc/cloud/cloud.cfg'
CLOUD_CFG_D = '/etc/cloud/cloud.cfg.d/*.cfg'
DS_REGEX = '^[[:space:]]*datasource_list[[:space:]]*:'
CLOUD_INIT = {'all': [
    installed('cloud-init'),
    {'any': [enabled('cloud-init.service'), enabled('cloud-init-local.service'),
             enabled('cloud-init-main.service')]},
    chk('file_lines', {'path': CLOUD_CFG, 'regex': DS_REGEX},
        [C('text', 'match', 'Azure')], empty='pass'),
    chk('file_lines', {'path': CLOUD_CFG_D, 'regex': DS_REGEX},
        [C('text', 'match', 'Azure')], empty='pass'),
]}

R('azure_provisioning_agent', AGENT,
  'Ensure a provisioning agent for Azure is installed and enabled',
  'The Azure Linux Agent (waagent, walinuxagent or WALinuxAgent by '
  'distribution) is installed and its unit enabled, or cloud-init is '
  'installed, enabled and its datasource_list (when set) includes Azure.',
  'A VM created from the image reports ready to Azure and gets its user, '
  'SSH keys, host name and resource disk through that agent; without one, '
  'provisioning times out and the VM is never usable.',
  {'any': [WAAGENT, CLOUD_INIT]},
  manual('Install and enable the Azure Linux Agent (apt-get install waagent '
         'on Debian, walinuxagent on Ubuntu, dnf install WALinuxAgent on the '
         'RHEL family) or cloud-init with the Azure datasource, in the image '
         'build.'), sev='high')

WAAGENT_CONF = '/etc/waagent.conf'
R('azure_provisioning_consistent', AGENT,
  'Ensure waagent.conf and cloud-init agree on who provisions',
  'When the Azure Linux Agent and cloud-init are both installed, '
  '/etc/waagent.conf must leave provisioning to cloud-init '
  '(Provisioning.Agent auto or cloud-init, not waagent; not '
  'Provisioning.Enabled=y); with waagent alone it must not hand '
  'provisioning to an absent cloud-init (Provisioning.Agent=cloud-init, '
  'Provisioning.UseCloudInit=y).',
  'Two agents provisioning the same VM race on the user, the SSH keys and '
  'the ready report; an agent that waits for an absent cloud-init never '
  'reports ready.',
  {'any': [
      {'all': [installed('cloud-init'),
               lines(WAAGENT_CONF, '^[[:space:]]*Provisioning\\.(Agent[[:space:]]*='
                     '[[:space:]]*waagent|Enabled[[:space:]]*=[[:space:]]*y)',
                     nocase='true')]},
      {'all': [absent('cloud-init'),
               lines(WAAGENT_CONF, '^[[:space:]]*Provisioning\\.(Agent[[:space:]]*='
                     '[[:space:]]*cloud-init|UseCloudInit[[:space:]]*=[[:space:]]*y)',
                     nocase='true')]}]},
  manual('Set Provisioning.Agent=auto in /etc/waagent.conf (cloud-init '
         'provisions when it is installed, waagent otherwise), or remove the '
         'agent that should not provision.'),
  requires=chk('file', {'path': WAAGENT_CONF}, [C('exists', 'eq', 'true')]))

R('azure_hyperv_drivers', GENERIC,
  'Ensure the Hyper-V drivers are available at boot',
  'hv_vmbus, hv_storvsc and hv_netvsc are built into every installed '
  'kernel (=y in /boot/config-VERSION, or in modules.builtin) or are in '
  'its initramfs: the module files listed in the image itself '
  '(/boot/initrd.img-VERSION, /boot/initramfs-VERSION.img, an early '
  'cpio then a compressed one); where the kernel has no image yet, '
  "the initramfs generator's configuration (initramfs-tools MODULES=most "
  "or its modules file, dracut's add_drivers/force_drivers or "
  'hostonly="no").  An image that cannot be read is an error.',
  'Azure VMs boot from a Hyper-V SCSI disk on the VMBus: a kernel that '
  'cannot load hv_vmbus and hv_storvsc before the root file system is '
  'mounted does not boot, and without hv_netvsc there is no network.',
  chk('hyperv_drivers', {}, [C('available', 'eq', 'true'), C('missing', 'eq', '')]),
  manual('Add hv_vmbus, hv_storvsc and hv_netvsc to the initramfs (Debian '
         'and Ubuntu: to /etc/initramfs-tools/modules, then update-initramfs '
         '-u; RHEL family: add_drivers+=" hv_vmbus hv_netvsc hv_storvsc " in '
         '/etc/dracut.conf.d/, then dracut -f).'), sev='high')

R('azure_serial_console', GENERIC,
  'Ensure the kernel command line sends the console to ttyS0',
  'A kernel command line of the boot loader (a linux line of grub.cfg, or '
  'GRUB_CMDLINE_LINUX of /etc/default/grub) has console=ttyS0.',
  "Azure's boot diagnostics and serial console read the first serial port: "
  'without console=ttyS0 a VM that does not boot shows nothing.',
  chk('grub_cmdline', {'arg': 'console'},
      [C('text', 'match', '(^|[[:space:]"\'])console=ttyS0([,[:space:]"\']|$)')],
      quantifier='any'),
  {'action': 'grub_cmdline_arg', 'params': {'arg': 'console', 'value': 'ttyS0,115200n8'}})

FSTAB = '/etc/fstab'
# An fstab entry: source, mount point, type.
ENTRY = '^[[:space:]]*[^#[:space:]]+[[:space:]]+'
R('azure_no_swap_on_os_disk', GENERIC,
  'Ensure no swap is configured on the OS disk',
  'No /etc/fstab entry is of type swap.',
  'Swap on the OS disk is slow remote storage and fills the disk; on Azure '
  'swap goes on the local resource disk, made at provisioning by the Azure '
  'Linux Agent (ResourceDisk.EnableSwap) or cloud-init.',
  lines(FSTAB, ENTRY + '[^[:space:]]+[[:space:]]+swap([[:space:]]|$)'),
  {'action': 'line_absent',
   'params': {'path': FSTAB, 'regex': ENTRY + '[^[:space:]]+[[:space:]]+swap([[:space:]]|$)'}})

RESOURCE = ENTRY + '/mnt(/resource)?/?([[:space:]]|$)'
R('azure_fstab_no_resource_disk', GENERIC,
  'Ensure fstab has nothing on the resource disk mount point',
  'No /etc/fstab entry mounts /mnt or /mnt/resource (where the Azure Linux '
  'Agent and cloud-init mount the resource disk).',
  'The resource disk is temporary and its device name is not stable: an '
  'fstab entry for it can stop the boot when the VM is resized or '
  'redeployed, and the agents mount it themselves.',
  lines(FSTAB, RESOURCE),
  {'action': 'line_absent', 'params': {'path': FSTAB, 'regex': RESOURCE}})

R('azure_fstab_by_uuid', GENERIC,
  'Ensure fstab names file systems by UUID or label',
  'No /etc/fstab entry names its source by a kernel disk name (/dev/sd*, '
  '/dev/hd*, /dev/vd*, /dev/xvd*, /dev/nvme*).',
  'Disk names change on Azure (the resource disk and data disks can take '
  '/dev/sda or /dev/sdb): an entry by name can mount the wrong disk or stop '
  'the boot.',
  lines(FSTAB, '^[[:space:]]*/dev/(sd|hd|vd|xvd|nvme)'),
  manual('Replace each /dev/sdX source in /etc/fstab with UUID=... or '
         'LABEL=... (blkid prints them).'))

R('azure_no_persistent_net_rules', GENERIC,
  'Ensure no udev rule binds a network interface to a MAC address',
  'No rule of /etc/udev/rules.d (70-persistent-net.rules and the like) '
  'matches ATTR{address}.',
  'A VM from the image has another MAC address: an interface name bound to '
  "the image build machine's MAC leaves the VM with no eth0 and no network.",
  lines('/etc/udev/rules.d/*.rules', 'ATTR\\{address\\}'),
  manual('Delete /etc/udev/rules.d/70-persistent-net.rules (and any rule '
         'matching ATTR{address}) before the image is captured.'))

# Static addressing in each network configuration tattoo knows of.
STATIC = [
    ('/etc/network/interfaces', '^[[:space:]]*iface[[:space:]]+[^[:space:]]+[[:space:]]+inet6?[[:space:]]+static'),
    ('/etc/network/interfaces.d/*', '^[[:space:]]*iface[[:space:]]+[^[:space:]]+[[:space:]]+inet6?[[:space:]]+static'),
    ('/etc/netplan/*.yaml', '^[[:space:]]*dhcp4[[:space:]]*:[[:space:]]*(false|no|off)'),
    ('/etc/sysconfig/network-scripts/ifcfg-*', '^[[:space:]]*BOOTPROTO=["\']?(static|none)'),
    ('/etc/sysconfig/network/ifcfg-*', '^[[:space:]]*BOOTPROTO=["\']?(static|none)'),
    ('/etc/NetworkManager/system-connections/*', '^[[:space:]]*method[[:space:]]*=[[:space:]]*manual'),
    ('/etc/systemd/network/*.network', '^[[:space:]]*Address[[:space:]]*='),
]


def no_static(path, regex):
    c = lines(path, regex)
    # The loopback interface is static on SUSE (ifcfg-lo): not a NIC.
    c['filter'] = [C('path', 'not_match', '/ifcfg-lo$')]
    return c


R('azure_network_dhcp', GENERIC,
  'Ensure network interfaces are configured by DHCP',
  'No static address in /etc/network/interfaces(.d), netplan (dhcp4: '
  'false), ifcfg files (BOOTPROTO static or none, the loopback aside), '
  'NetworkManager connections (method=manual) or systemd-networkd '
  '(Address=).',
  "Azure gives a VM its address by DHCP: a static address from the build "
  "machine's network leaves the VM unreachable.",
  {'all': [no_static(p, rx) for p, rx in STATIC]},
  manual('Configure the primary interface for DHCP (iface eth0 inet dhcp, '
         'dhcp4: true, BOOTPROTO=dhcp, method=auto).'))

PTP = '^[[:space:]]*refclock[[:space:]]+PHC[[:space:]]+/dev/ptp_hyperv([[:space:]]|$)'
CHRONY = ['/etc/chrony.conf', '/etc/chrony/chrony.conf', '/etc/chrony/conf.d/*.conf',
          '/etc/chrony.d/*.conf', '/etc/chrony/sources.d/*.sources']
R('azure_time_ptp_hyperv', TIME,
  'Ensure chrony takes time from the Hyper-V PTP clock',
  'chrony has refclock PHC /dev/ptp_hyperv (in chrony.conf or a file it '
  'includes: /etc/chrony.conf, /etc/chrony/chrony.conf, conf.d, '
  'chrony.d, sources.d).',
  "The host's clock through the Hyper-V PTP device is Azure's recommended "
  'time source: it keeps time across host maintenance, when NTP servers '
  'may be unreachable.  /dev/ptp_hyperv (a udev link) names that clock '
  'whatever its number; /dev/ptp0 can be another NIC\'s clock.',
  {'any': [has_line(p, PTP) for p in CHRONY]},
  manual('Install chrony and add "refclock PHC /dev/ptp_hyperv poll 3 dpoll '
         '-2 offset 0 stratum 2" to its configuration.'))

R('azure_security_updates', UPDATES,
  'Ensure the image has no pending security update',
  'Debian and Ubuntu: no package of the dpkg status is older than the '
  'version in the apt lists of the security suite kept in the image; the '
  'RHEL family: no security advisory of the dnf metadata in the image '
  'applies to an installed package.  Absent metadata is an error, not a '
  'pass.',
  'A golden image is the baseline of every VM made from it: a security '
  'fix it lacks is missing on every VM until each patches itself.',
  chk('pending_updates', {}, [C('pending', 'eq', '0'), C('packages', 'eq', '')]),
  manual('Refresh the package metadata and install the updates (apt-get '
         'update && apt-get upgrade; dnf upgrade --security) in the image '
         'build, then build the image again.'), sev='high')

R('azure_required_agents', MONITOR,
  'Ensure the agents the organisation requires are installed and enabled',
  'Each package of the parameter packages is installed and each unit of '
  'units enabled.  Both lists are empty by default (the rule passes with '
  '"none required"); a tailoring sets them, e.g. packages '
  'azuremonitoragent,mdatp and units azuremonitoragent.service,mdatp.service '
  '(Azure Monitor Agent and Microsoft Defender for Endpoint).',
  'Monitoring and endpoint protection that every VM needs from its first '
  'boot belong in the golden image, not in a later step that may not run.',
  chk('required_agents', {'packages': '', 'units': ''},
      [C('missing', 'eq', '')]),
  manual('Install and enable the missing agents in the image build.'))

pack = {
    'schema': 1,
    'pack': 'azure',
    'benchmark': 'Azure Linux image readiness (Microsoft documentation: '
                 'prepare a Linux image for Azure)',
    'sections': {'azure': 'Azure image readiness'},
    'applies': {
        'id': ['debian', 'ubuntu', 'rhel', 'almalinux', 'rocky', 'centos',
               'sles', 'sles_sap'],
        'version_id': ['12', '13', 'trixie', '22.04', '24.04', '9', '10', '15'],
    },
    'profiles': [{'id': 'azure-image', 'title': 'Azure image readiness',
                  'rules': [r['id'] for r in rules]}],
    'rules': rules,
}
json.dump(pack, sys.stdout, indent=1, ensure_ascii=False)
sys.stdout.write('\n')
