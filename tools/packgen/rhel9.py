#!/usr/bin/env python3
"""Generates hardening/rules/rhel9.json, the CIS Level 1 Server pack for
the RHEL 9 family (RHEL, AlmaLinux, Rocky Linux, CentOS Stream 9).

The checks are ours: one table below maps each control of the CIS Red Hat
Enterprise Linux 9 Benchmark (Level 1 - Server; written for v1.0.0) to the
SCAP Security Guide rules that implement it and to a probe check and a fix
in the format of hardening/rules/README.md; main() numbers the pack by
v2.0.0 through those SSG rules (see V2 below).  Titles, descriptions and
rationales are read from the SCAP Security Guide's RHEL 9 XCCDF when the
package ssg-nondebian is installed, so they say what SSG says; without it
the CIS control title is used.  Run it after changing the table:

    python3 tools/packgen/rhel9.py > hardening/rules/rhel9.json
"""
import json
import re
import sys
import xml.etree.ElementTree as ET

import cisfill
import derive
import loghost
import rpmcis
import sections
import stig
from checks import c, fix, manual, probe

XCCDF = "/usr/share/xml/scap/ssg/content/ssg-rhel9-xccdf.xml"
SSG = "xccdf_org.ssgproject.content_rule_"
X = "{http://checklists.nist.gov/xccdf/1.2}"


def load_ssg():
    try:
        root = ET.parse(XCCDF).getroot()
    except (OSError, ET.ParseError):
        return {}
    rules = {}
    for r in root.iter(X + "Rule"):
        def text(tag):
            el = r.find(X + tag)
            if el is None:
                return ""
            s = "".join(el.itertext())
            return re.sub(r"\s+", " ", s).strip()
        rules[r.get("id")[len(SSG):]] = {
            "title": text("title"), "description": text("description"),
            "rationale": text("rationale"),
            "severity": r.get("severity") or "medium",
        }
    return rules


# -- check builders ---------------------------------------------------------


def pkg_installed(name):
    return probe("package", {"name": name}, [c("installed", "eq", "true")])


def pkg_absent(name):
    return probe("package", {"name": name}, [c("installed", "eq", "false")])


def sysctl(key, value):
    return probe("sysctl", {"key": key},
                 [c("value", "eq", value), c("live", "eq", value,
                                            optional=True)])


def sshd(key, *conds, default=None):
    params = {"key": key}
    if default is not None:
        params["default"] = default
    return probe("sshd_config", params, list(conds))


def unit_enabled(unit):
    return probe("systemd_unit", {"unit": unit},
                 [c("state", "in", ["enabled", "static"])])


def unit_off(unit):
    return probe("systemd_unit", {"unit": unit},
                 [c("enabled", "eq", "false")])


def none_of(probe_name, params, filt=None):
    d = probe(probe_name, params, [], quantifier="none")
    if filt:
        d["filter"] = filt
    return d


def any_line(path, regex, **kw):
    return probe("file_lines", dict({"path": path, "regex": regex}, **kw),
                 [], quantifier="any")


def no_line(path, regex, **kw):
    return probe("file_lines", dict({"path": path, "regex": regex}, **kw),
                 [], quantifier="none")


def file_meta(path, mode=None, owner=None, group=None, must_exist=True):
    conds = []
    if mode:
        conds.append(c("mode", "mode_max", mode))
    if owner:
        conds.append(c("owner", "in" if isinstance(owner, list) else "eq",
                       owner))
    if group:
        conds.append(c("group", "in" if isinstance(group, list) else "eq",
                       group))
    d = probe("file", {"path": path}, conds)
    if not must_exist:
        d["filter"] = [c("exists", "eq", "true")]
        d["empty"] = "pass"
    else:
        d["expect"] = [c("exists", "eq", "true")] + conds
    return d


# -- the controls -------------------------------------------------------------
# (cis, ssg rule, check, fix, extras) — extras: scope, requires, severity.

SSH = {"requires": pkg_installed("openssh-server")}
RUNTIME = {"scope": ["runtime"]}
MODULES = ["cramfs", "freevxfs", "hfs", "hfsplus", "jffs2"]

rules = []


def rule(cis, ssg, check, fixspec, title=None, **extra):
    rules.append(dict(cis=cis, ssg=ssg, check=check, fix=fixspec,
                      title=title, **extra))


for i, m in enumerate(MODULES, 1):
    rule("1.1.1.%d" % i, "kernel_module_%s_disabled" % m,
         {"any": [probe("kernel_module", {"module": m},
                        [c("disabled", "eq", "true"),
                         c("blacklisted", "eq", "true")]),
                  probe("kernel_module", {"module": m},
                        [c("loadable", "eq", "false")])]},
         fix("modprobe_disable", module=m))
rule("1.1.1.8", "kernel_module_usb-storage_disabled",
     {"any": [probe("kernel_module", {"module": "usb-storage"},
                    [c("disabled", "eq", "true"),
                     c("blacklisted", "eq", "true")]),
              probe("kernel_module", {"module": "usb-storage"},
                    [c("loadable", "eq", "false")])]},
     fix("modprobe_disable", module="usb-storage"))

MOUNTS = [("1.1.2.1", "/tmp", "tmp", ["nodev", "nosuid", "noexec"], True),
          ("1.1.2.2", "/dev/shm", "dev_shm", ["nodev", "nosuid", "noexec"],
           True),
          ("1.1.2.3", "/home", "home", ["nodev", "nosuid"], False),
          ("1.1.2.4", "/var", "var", ["nodev", "nosuid"], False),
          ("1.1.2.5", "/var/tmp", "var_tmp", ["nodev", "nosuid", "noexec"],
           False),
          ("1.1.2.6", "/var/log", "var_log", ["nodev", "nosuid", "noexec"],
           False),
          ("1.1.2.7", "/var/log/audit", "var_log_audit",
           ["nodev", "nosuid", "noexec"], False)]
for sec, path, name, opts, l1_partition in MOUNTS:
    if l1_partition:
        rule(sec + ".1", "partition_for_" + name,
             probe("mount", {"path": path}, [c("separate", "eq", "true")]),
             manual("Create a separate file system for %s (for /tmp: "
                    "enable tmp.mount or add an fstab entry) when the "
                    "image is partitioned." % path))
    for k, o in enumerate(opts, 2):
        rule("%s.%d" % (sec, k), "mount_option_%s_%s" % (name, o),
             probe("mount", {"path": path},
                   [c("fstab_options", "has_word", o),
                    c("options", "has_word", o, optional=True)]),
             fix("mount_option", path=path, option=o),
             requires=probe("mount", {"path": path},
                            [c("in_fstab", "eq", "true")]))

rule("1.2.2", "ensure_gpgcheck_globally_activated",
     any_line("/etc/dnf/dnf.conf",
              r"^[[:space:]]*gpgcheck[[:space:]]*=[[:space:]]*(1|[Tt]rue|[Yy]es)[[:space:]]*$"),
     fix("line_present", path="/etc/dnf/dnf.conf", line="gpgcheck=1",
         regex=r"^[[:space:]]*gpgcheck[[:space:]]*="),
     severity="high")
rule("1.3.1", "package_aide_installed", pkg_installed("aide"),
     fix("package_install", name="aide"))
rule("1.3.1", "aide_build_database",
     probe("file", {"path": "/var/lib/aide/aide.db.gz"},
           [c("exists", "eq", "true")]),
     manual("Run 'aide --init' and move /var/lib/aide/aide.db.new.gz to "
            "/var/lib/aide/aide.db.gz once the image is final."),
     requires=pkg_installed("aide"))
rule("1.3.2", "aide_periodic_cron_checking",
     {"any": [any_line("/etc/crontab", r"aide[[:space:]]+--check"),
              any_line("/etc/cron.d/*", r"aide[[:space:]]+--check"),
              any_line("/var/spool/cron/root", r"aide[[:space:]]+--check"),
              probe("systemd_unit", {"unit": "aidecheck.timer"},
                    [c("enabled", "eq", "true")])]},
     fix("file_content", path="/etc/cron.d/tattoo-aide",
         content="0 5 * * * root /usr/sbin/aide --check\n", mode="0644"),
     requires=pkg_installed("aide"))

GRUB = {"requires": probe("file", {"path": "/boot/grub2/grub.cfg"},
                          [c("exists", "eq", "true")])}
rule("1.4.1", "grub2_password",
     any_line("/boot/grub2/user.cfg",
              r"^[[:space:]]*GRUB2_PASSWORD=grub\.pbkdf2\.sha512"),
     manual("Set a boot loader password with grub2-setpassword."), **GRUB)
for path, stem in (("/boot/grub2/grub.cfg", "grub2_cfg"),
                   ("/boot/grub2/user.cfg", "user_cfg")):
    exist = stem == "grub2_cfg"
    rule("1.4.2", "file_owner_" + stem,
         file_meta(path, owner="root", must_exist=exist),
         fix("file_mode", path=path, mode="7777", owner="root"), **GRUB)
    rule("1.4.2", "file_groupowner_" + stem,
         file_meta(path, group="root", must_exist=exist),
         fix("file_mode", path=path, mode="7777", group="root"), **GRUB)
    rule("1.4.2", "file_permissions_" + stem,
         file_meta(path, mode="0600", must_exist=exist),
         fix("file_mode", path=path, mode="0600"), **GRUB)

rule("1.5.1", "coredump_disable_storage",
     {"any": [any_line("/etc/systemd/coredump.conf",
                       r"^[[:space:]]*Storage[[:space:]]*=[[:space:]]*none"),
              any_line("/etc/systemd/coredump.conf.d/*.conf",
                       r"^[[:space:]]*Storage[[:space:]]*=[[:space:]]*none")]},
     fix("line_present", path="/etc/systemd/coredump.conf",
         line="Storage=none", regex=r"^[#[:space:]]*Storage[[:space:]]*="))
rule("1.5.2", "coredump_disable_backtraces",
     {"any": [any_line("/etc/systemd/coredump.conf",
                       r"^[[:space:]]*ProcessSizeMax[[:space:]]*=[[:space:]]*0[[:space:]]*$"),
              any_line("/etc/systemd/coredump.conf.d/*.conf",
                       r"^[[:space:]]*ProcessSizeMax[[:space:]]*=[[:space:]]*0[[:space:]]*$")]},
     fix("line_present", path="/etc/systemd/coredump.conf",
         line="ProcessSizeMax=0",
         regex=r"^[#[:space:]]*ProcessSizeMax[[:space:]]*="))
rule("1.5.3", "sysctl_kernel_randomize_va_space",
     sysctl("kernel.randomize_va_space", "2"),
     fix("sysctl_set", key="kernel.randomize_va_space", value="2"))

rule("1.6.1.1", "package_libselinux_installed",
     pkg_installed("libselinux"), fix("package_install", name="libselinux"),
     severity="high")
rule("1.6.1.2", "grub2_enable_selinux",
     {"all": [none_of("grub_cmdline", {"arg": "selinux"},
                      [c("value", "eq", "0")]),
              none_of("grub_cmdline", {"arg": "enforcing"},
                      [c("value", "eq", "0")])]},
     manual("Remove selinux=0 and enforcing=0 from the kernel command line "
            "(grubby --update-kernel ALL --remove-args 'selinux enforcing')."),
     **GRUB)
rule("1.6.1.3", "selinux_policytype",
     probe("shell_vars", {"path": "/etc/selinux/config",
                          "key": "SELINUXTYPE"},
           [c("value", "in", ["targeted", "mls"])]),
     fix("shell_var_set", path="/etc/selinux/config", key="SELINUXTYPE",
         value="targeted"))
rule("1.6.1.4", "selinux_not_disabled",
     probe("shell_vars", {"path": "/etc/selinux/config", "key": "SELINUX"},
           [c("value", "in", ["enforcing", "permissive"])]),
     fix("shell_var_set", path="/etc/selinux/config", key="SELINUX",
         value="enforcing"), severity="high")
rule("1.6.1.7", "package_setroubleshoot_removed",
     pkg_absent("setroubleshoot"),
     fix("package_remove", name="setroubleshoot"), severity="low")
rule("1.6.1.8", "package_mcstrans_removed", pkg_absent("mcstrans"),
     fix("package_remove", name="mcstrans"), severity="low")

BANNER = ("Authorized users only. All activity may be monitored and "
          "reported.\n")
for sec, path, name in (("1.7.1", "/etc/motd", "banner_etc_motd"),
                        ("1.7.2", "/etc/issue", "banner_etc_issue"),
                        ("1.7.3", "/etc/issue.net", "banner_etc_issue_net")):
    rule(sec, name,
         no_line(path, r"\\[mrsv]|red hat|rhel|almalinux|rocky|centos",
                 nocase=True),
         fix("file_content", path=path, content=BANNER, mode="0644"))
for sec, path, stem in (("1.7.4", "/etc/motd", "etc_motd"),
                        ("1.7.5", "/etc/issue", "etc_issue"),
                        ("1.7.6", "/etc/issue.net", "etc_issue_net")):
    rule(sec, "file_owner_" + stem, file_meta(path, owner="root",
                                              must_exist=False),
         fix("file_mode", path=path, mode="7777", owner="root"))
    rule(sec, "file_groupowner_" + stem, file_meta(path, group="root",
                                                   must_exist=False),
         fix("file_mode", path=path, mode="7777", group="root"))
    rule(sec, "file_permissions_" + stem, file_meta(path, mode="0644",
                                                    must_exist=False),
         fix("file_mode", path=path, mode="0644"))

GDM = {"requires": pkg_installed("gdm")}
rule("1.8.2", "dconf_gnome_banner_enabled",
     any_line("/etc/dconf/db/gdm.d/*",
              r"^[[:space:]]*banner-message-enable[[:space:]]*=[[:space:]]*true"),
     manual("Set banner-message-enable=true in /etc/dconf/db/gdm.d and run "
            "'dconf update'."), **GDM)
rule("1.8.3", "dconf_gnome_disable_user_list",
     any_line("/etc/dconf/db/gdm.d/*",
              r"^[[:space:]]*disable-user-list[[:space:]]*=[[:space:]]*true"),
     manual("Set disable-user-list=true in /etc/dconf/db/gdm.d and run "
            "'dconf update'."), **GDM)
rule("1.8.6", "dconf_gnome_disable_automount",
     any_line("/etc/dconf/db/local.d/*",
              r"^[[:space:]]*automount[[:space:]]*=[[:space:]]*false"),
     manual("Set automount=false under [org/gnome/desktop/media-handling] "
            "in /etc/dconf/db/local.d and run 'dconf update'."), **GDM)
rule("1.8.10", "gnome_gdm_disable_xdmcp",
     no_line("/etc/gdm/custom.conf",
             r"^[[:space:]]*Enable[[:space:]]*=[[:space:]]*(true|1)",
             nocase=True),
     fix("line_absent", path="/etc/gdm/custom.conf",
         regex=r"^[[:space:]]*[Ee]nable[[:space:]]*=[[:space:]]*([Tt]rue|1)"),
     **GDM)
rule("1.10", "configure_crypto_policy",
     {"all": [probe("file", {"path": "/etc/crypto-policies/config"},
                    [c("exists", "eq", "true")]),
              no_line("/etc/crypto-policies/config",
                      r"^[[:space:]]*LEGACY")]},
     manual("Run 'update-crypto-policies --set DEFAULT' (or FUTURE)."),
     severity="high")

rule("2.1.1", "package_chrony_installed", pkg_installed("chrony"),
     fix("package_install", name="chrony"))
rule("2.1.2", "chronyd_specify_remote_server",
     {"any": [any_line("/etc/chrony.conf",
                       r"^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]+"),
              any_line("/etc/chrony.d/*.conf",
                       r"^[[:space:]]*(server|pool)[[:space:]]+[^[:space:]]+")]},
     manual("Name the site's time servers with 'server' or 'pool' lines in "
            "/etc/chrony.conf."), requires=pkg_installed("chrony"))
rule("2.1.2", "chronyd_run_as_chrony_user",
     no_line("/etc/sysconfig/chronyd",
             r"^[[:space:]]*OPTIONS=.*-u[[:space:]]*root"),
     fix("line_absent", path="/etc/sysconfig/chronyd",
         regex=r"^[[:space:]]*OPTIONS=.*-u[[:space:]]*root"),
     requires=pkg_installed("chrony"))

REMOVED = [("2.2.2", "avahi"), ("2.2.3", "cups"), ("2.2.4", "dhcp-server"),
           ("2.2.5", "bind"), ("2.2.6", "vsftpd"), ("2.2.7", "tftp-server"),
           ("2.2.8", "httpd"), ("2.2.8", "nginx"), ("2.2.9", "dovecot"),
           ("2.2.9", "cyrus-imapd"), ("2.2.10", "samba"), ("2.2.11", "squid"),
           ("2.2.12", "net-snmp"), ("2.2.13", "telnet-server"),
           ("2.2.14", "dnsmasq"), ("2.2.18", "rsync-daemon"),
           ("2.3.1", "telnet"), ("2.3.2", "openldap-clients"),
           ("2.3.3", "tftp"), ("2.3.4", "ftp")]
for sec, p in REMOVED:
    ssg = {"dhcp-server": "dhcp", "rsync-daemon": "rsync"}.get(p, p)
    rule(sec, "package_%s_removed" % ssg, pkg_absent(p),
         fix("package_remove", name=p))
rule("2.2.15", "postfix_network_listening_disabled",
     any_line("/etc/postfix/main.cf",
              r"^[[:space:]]*inet_interfaces[[:space:]]*=[[:space:]]*(loopback-only|localhost)[[:space:]]*$"),
     fix("line_present", path="/etc/postfix/main.cf",
         line="inet_interfaces = loopback-only",
         regex=r"^[[:space:]]*inet_interfaces[[:space:]]*="),
     requires=pkg_installed("postfix"))
rule("2.2.16", "service_nfs_disabled", unit_off("nfs-server.service"),
     fix("unit_mask", unit="nfs-server.service"))
rule("2.2.17", "service_rpcbind_disabled",
     {"all": [unit_off("rpcbind.service"), unit_off("rpcbind.socket")]},
     fix("unit_mask", unit="rpcbind.socket"))

SYSCTL = [
    ("3.2.1", "net.ipv4.ip_forward", "0"),
    ("3.2.1", "net.ipv6.conf.all.forwarding", "0"),
    ("3.2.2", "net.ipv4.conf.all.send_redirects", "0"),
    ("3.2.2", "net.ipv4.conf.default.send_redirects", "0"),
    ("3.3.1", "net.ipv4.conf.all.accept_source_route", "0"),
    ("3.3.1", "net.ipv4.conf.default.accept_source_route", "0"),
    ("3.3.1", "net.ipv6.conf.all.accept_source_route", "0"),
    ("3.3.1", "net.ipv6.conf.default.accept_source_route", "0"),
    ("3.3.2", "net.ipv4.conf.all.accept_redirects", "0"),
    ("3.3.2", "net.ipv4.conf.default.accept_redirects", "0"),
    ("3.3.2", "net.ipv6.conf.all.accept_redirects", "0"),
    ("3.3.2", "net.ipv6.conf.default.accept_redirects", "0"),
    ("3.3.3", "net.ipv4.conf.all.secure_redirects", "0"),
    ("3.3.3", "net.ipv4.conf.default.secure_redirects", "0"),
    ("3.3.4", "net.ipv4.conf.all.log_martians", "1"),
    ("3.3.4", "net.ipv4.conf.default.log_martians", "1"),
    ("3.3.5", "net.ipv4.icmp_echo_ignore_broadcasts", "1"),
    ("3.3.6", "net.ipv4.icmp_ignore_bogus_error_responses", "1"),
    ("3.3.7", "net.ipv4.conf.all.rp_filter", "1"),
    ("3.3.7", "net.ipv4.conf.default.rp_filter", "1"),
    ("3.3.8", "net.ipv4.tcp_syncookies", "1"),
    ("3.3.9", "net.ipv6.conf.all.accept_ra", "0"),
    ("3.3.9", "net.ipv6.conf.default.accept_ra", "0"),
]
for sec, key, val in SYSCTL:
    rule(sec, "sysctl_" + key.replace(".", "_"), sysctl(key, val),
         fix("sysctl_set", key=key, value=val))

rule("3.4.1.1", "package_nftables_installed", pkg_installed("nftables"),
     fix("package_install", name="nftables"))
rule("3.4.1.2", "package_firewalld_installed", pkg_installed("firewalld"),
     fix("package_install", name="firewalld"))
rule("3.4.1.2", "service_firewalld_enabled",
     unit_enabled("firewalld.service"),
     fix("unit_enable", unit="firewalld.service"),
     requires=pkg_installed("firewalld"))
rule("3.4.1.2", "service_nftables_disabled", unit_off("nftables.service"),
     fix("unit_disable", unit="nftables.service"),
     requires=pkg_installed("firewalld"))
rule("3.4.2.1", "set_firewalld_default_zone",
     any_line("/etc/firewalld/firewalld.conf",
              r"^[[:space:]]*DefaultZone=[^[:space:]]+"),
     fix("line_present", path="/etc/firewalld/firewalld.conf",
         line="DefaultZone=public",
         regex=r"^[#[:space:]]*DefaultZone="),
     requires=pkg_installed("firewalld"))

RSYSLOG = {"requires": pkg_installed("rsyslog")}
rule("4.2.1.1", "package_rsyslog_installed", pkg_installed("rsyslog"),
     fix("package_install", name="rsyslog"))
rule("4.2.1.2", "service_rsyslog_enabled", unit_enabled("rsyslog.service"),
     fix("unit_enable", unit="rsyslog.service"), **RSYSLOG)
rule("4.2.1.3", "journald_forward_to_syslog",
     probe("journald", {"key": "ForwardToSyslog", "default": "no"},
           [c("value", "eq", "yes", nocase=True)]),
     fix("journald_set", key="ForwardToSyslog", value="yes"), **RSYSLOG)
rule("4.2.1.4", "rsyslog_filecreatemode",
     probe("rsyslog", {"key": "$FileCreateMode"},
           [c("value", "mode_max", "0640")]),
     fix("rsyslog_set", key="$FileCreateMode", value="0640"), **RSYSLOG)
NOLISTEN = (r"^[[:space:]]*(\$ModLoad[[:space:]]+imtcp|\$InputTCPServerRun"
            r"|module\(load=\"?imtcp|input\(type=\"?imtcp)")
# The site's log host is a rule parameter (tools/packgen/loghost.py).
rule("4.2.1.6", "rsyslog_remote_loghost", loghost.check(), loghost.fix(),
     title="Ensure rsyslog is configured to send logs to a remote log host",
     description=loghost.DESCRIPTION, expected=loghost.EXPECTED, **RSYSLOG)
rule("4.2.1.7", "rsyslog_nolisten",
     {"all": [no_line("/etc/rsyslog.conf", NOLISTEN),
              no_line("/etc/rsyslog.d/*.conf", NOLISTEN)]},
     fix("line_absent", path="/etc/rsyslog.conf", regex=NOLISTEN), **RSYSLOG)
rule("4.2.2.1.2", "systemd_journal_upload_url",
     loghost.check("journal-upload"), loghost.fix("journal-upload"),
     title="Ensure systemd-journal-upload sends the journal to the site's "
           "log host",
     description=loghost.UPLOAD_DESCRIPTION,
     expected=loghost.UPLOAD_EXPECTED,
     requires=pkg_installed("systemd-journal-remote"))
rule("4.2.2.1.4", "socket_systemd-journal-remote_disabled",
     unit_off("systemd-journal-remote.socket"),
     fix("unit_mask", unit="systemd-journal-remote.socket"))
rule("4.2.2.2", "service_systemd-journald_enabled",
     unit_enabled("systemd-journald.service"),
     manual("systemd-journald is static: unmask it if it was masked."))
rule("4.2.2.3", "journald_compress",
     # Set explicitly (CIS asks for it), to a boolean systemd accepts; a
     # quoted "yes" is not one (tools/packgen/debian12.py says more).
     probe("journald", {"key": "Compress"},
           [c("value", "in", ["yes", "true", "on", "1", "y", "t"],
              nocase=True)]),
     fix("journald_set", key="Compress", value="yes"))
rule("4.2.2.4", "journald_storage",
     probe("journald", {"key": "Storage", "default": "auto"},
           [c("value", "eq", "persistent", nocase=True)]),
     fix("journald_set", key="Storage", value="persistent"))

CRON = {"requires": pkg_installed("cronie")}
rule("5.1.1", "service_crond_enabled", unit_enabled("crond.service"),
     fix("unit_enable", unit="crond.service"), **CRON)
for sec, path, stem, mode in (
        ("5.1.2", "/etc/crontab", "crontab", "0600"),
        ("5.1.3", "/etc/cron.hourly", "cron_hourly", "0700"),
        ("5.1.4", "/etc/cron.daily", "cron_daily", "0700"),
        ("5.1.5", "/etc/cron.weekly", "cron_weekly", "0700"),
        ("5.1.6", "/etc/cron.monthly", "cron_monthly", "0700"),
        ("5.1.7", "/etc/cron.d", "cron_d", "0700")):
    rule(sec, "file_owner_" + stem, file_meta(path, owner="root"),
         fix("file_mode", path=path, mode="7777", owner="root"), **CRON)
    rule(sec, "file_groupowner_" + stem, file_meta(path, group="root"),
         fix("file_mode", path=path, mode="7777", group="root"), **CRON)
    rule(sec, "file_permissions_" + stem, file_meta(path, mode=mode),
         fix("file_mode", path=path, mode=mode), **CRON)
rule("5.1.8", "file_cron_deny_not_exist",
     probe("file", {"path": "/etc/cron.deny"}, [c("exists", "eq", "false")]),
     fix("file_absent", path="/etc/cron.deny"), **CRON)
rule("5.1.8", "file_cron_allow_exists",
     probe("file", {"path": "/etc/cron.allow"}, [c("exists", "eq", "true")]),
     fix("file_content", path="/etc/cron.allow", content="", mode="0600"),
     **CRON)
rule("5.1.9", "file_at_deny_not_exist",
     probe("file", {"path": "/etc/at.deny"}, [c("exists", "eq", "false")]),
     fix("file_absent", path="/etc/at.deny"))
for sec, path, stem in (("5.1.8", "/etc/cron.allow", "cron_allow"),
                        ("5.1.9", "/etc/at.allow", "at_allow")):
    rule(sec, "file_owner_" + stem, file_meta(path, owner="root",
                                              must_exist=False),
         fix("file_mode", path=path, mode="7777", owner="root"))
    rule(sec, "file_groupowner_" + stem, file_meta(path, group="root",
                                                   must_exist=False),
         fix("file_mode", path=path, mode="7777", group="root"))
    rule(sec, "file_permissions_" + stem, file_meta(path, mode="0600",
                                                    must_exist=False),
         fix("file_mode", path=path, mode="0600"))

rule("5.2.1", "file_owner_sshd_config",
     file_meta("/etc/ssh/sshd_config", owner="root"),
     fix("file_mode", path="/etc/ssh/sshd_config", mode="7777",
         owner="root"), **SSH)
rule("5.2.1", "file_groupowner_sshd_config",
     file_meta("/etc/ssh/sshd_config", group="root"),
     fix("file_mode", path="/etc/ssh/sshd_config", mode="7777",
         group="root"), **SSH)
rule("5.2.1", "file_permissions_sshd_config",
     file_meta("/etc/ssh/sshd_config", mode="0600"),
     fix("file_mode", path="/etc/ssh/sshd_config", mode="0600"), **SSH)
KEYS = "/etc/ssh/ssh_host_*_key"
rule("5.2.2", "file_permissions_sshd_private_key",
     probe("file", {"path": KEYS}, [c("mode", "mode_max", "0640")],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=KEYS, mode="0640"), **SSH)
rule("5.2.2", "file_ownership_sshd_private_key",
     probe("file", {"path": KEYS}, [c("owner", "eq", "root")],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=KEYS, mode="7777", owner="root"), **SSH)
rule("5.2.2", "file_groupownership_sshd_private_key",
     probe("file", {"path": KEYS}, [c("group", "in", ["root", "ssh_keys"])],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=KEYS, mode="7777", group="ssh_keys"), **SSH)
PUB = "/etc/ssh/ssh_host_*_key.pub"
rule("5.2.3", "file_permissions_sshd_pub_key",
     probe("file", {"path": PUB}, [c("mode", "mode_max", "0644")],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=PUB, mode="0644"), **SSH)
rule("5.2.3", "file_ownership_sshd_pub_key",
     probe("file", {"path": PUB}, [c("owner", "eq", "root")],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=PUB, mode="7777", owner="root"), **SSH)
rule("5.2.3", "file_groupownership_sshd_pub_key",
     probe("file", {"path": PUB}, [c("group", "eq", "root")],
           filter=[c("type", "eq", "file")], empty="pass"),
     fix("file_mode", path=PUB, mode="7777", group="root"), **SSH)
rule("5.2.4", "sshd_limit_user_access",
     {"any": [probe("sshd_config", {"key": k}, [], quantifier="any")
              for k in ("AllowUsers", "AllowGroups", "DenyUsers",
                        "DenyGroups")]},
     manual("Name who may log in with AllowUsers, AllowGroups, DenyUsers or "
            "DenyGroups in sshd_config: a site decision."), **SSH)
SSHD = [
    ("5.2.5", "sshd_set_loglevel_verbose", "LogLevel", "INFO",
     [c("value", "in", ["INFO", "VERBOSE"], nocase=True)], "VERBOSE"),
    ("5.2.6", "sshd_enable_pam", "UsePAM", "no",
     [c("value", "eq", "yes", nocase=True)], "yes"),
    ("5.2.7", "sshd_disable_root_login", "PermitRootLogin",
     "prohibit-password", [c("value", "eq", "no", nocase=True)], "no"),
    ("5.2.8", "disable_host_auth", "HostbasedAuthentication", "no",
     [c("value", "eq", "no", nocase=True)], "no"),
    ("5.2.9", "sshd_disable_empty_passwords", "PermitEmptyPasswords", "no",
     [c("value", "eq", "no", nocase=True)], "no"),
    ("5.2.10", "sshd_do_not_permit_user_env", "PermitUserEnvironment", "no",
     [c("value", "eq", "no", nocase=True)], "no"),
    ("5.2.11", "sshd_disable_rhosts", "IgnoreRhosts", "yes",
     [c("value", "eq", "yes", nocase=True)], "yes"),
    ("5.2.15", "sshd_enable_warning_banner_net", "Banner", "none",
     [c("value", "eq", "/etc/issue.net")], "/etc/issue.net"),
    ("5.2.16", "sshd_set_max_auth_tries", "MaxAuthTries", "6",
     [c("value", "le", "4"), c("value", "ge", "1")], "4"),
    # start <= 10, rate >= 30, full <= 60, or a single N <= 10 (N:100:N);
    # debian12.py's sshd_set_maxstartups says why a higher rate is stricter.
    ("5.2.17", "sshd_set_maxstartups", "MaxStartups", "10:30:100",
     [c("value", "match", "^(0*([1-9]|10):0*(3[0-9]|[4-9][0-9]|100):"
        "0*([1-9]|[1-5][0-9]|60)|0*([1-9]|10))$")], "10:30:60"),
    ("5.2.18", "sshd_set_max_sessions", "MaxSessions", "10",
     [c("value", "le", "10"), c("value", "ge", "0")], "10"),
    ("5.2.19", "sshd_set_login_grace_time", "LoginGraceTime", "120",
     [c("value", "match", "^([1-9]|[1-5][0-9]|60|1m)$")], "60"),
    ("5.2.20", "sshd_set_idle_timeout", "ClientAliveInterval", "0",
     [c("value", "le", "900"), c("value", "ge", "1")], "900"),
    ("5.2.20", "sshd_set_keepalive", "ClientAliveCountMax", "3",
     [c("value", "le", "3"), c("value", "ge", "1")], "3"),
]
for sec, ssg, key, default, conds, value in SSHD:
    rule(sec, ssg, sshd(key, *conds, default=default),
         fix("sshd_set", key=key, value=value),
         severity="high" if ssg in ("sshd_disable_root_login",
                                    "sshd_disable_empty_passwords") else None,
         **SSH)
rule("5.2.14", "configure_ssh_crypto_policy",
     no_line("/etc/sysconfig/sshd", r"^[[:space:]]*CRYPTO_POLICY="),
     fix("line_absent", path="/etc/sysconfig/sshd",
         regex=r"^[[:space:]]*CRYPTO_POLICY="), **SSH)

SUDO = {"requires": pkg_installed("sudo")}
rule("5.3.1", "package_sudo_installed", pkg_installed("sudo"),
     fix("package_install", name="sudo"))
rule("5.3.2", "sudo_add_use_pty",
     probe("sudoers", {"key": "use_pty"}, [c("value", "eq", "true")],
           quantifier="any"),
     fix("sudoers_defaults", key="use_pty"), **SUDO)
rule("5.3.3", "sudo_custom_logfile",
     probe("sudoers", {"key": "logfile"}, [c("value", "match", "^/")],
           quantifier="any"),
     fix("sudoers_defaults", key="logfile", value="/var/log/sudo.log"),
     **SUDO)
rule("5.3.6", "sudo_require_reauthentication",
     probe("sudoers", {"key": "timestamp_timeout"},
           [c("value", "ge", "0"), c("value", "le", "15")], empty="pass"),
     fix("sudoers_defaults", key="timestamp_timeout", value="15"), **SUDO)
rule("5.3.7", "use_pam_wheel_for_su",
     probe("pam", {"service": "su", "module": "pam_wheel.so",
                   "type": "auth", "arg": "use_uid"},
           [c("arg_present", "eq", "true")], quantifier="any"),
     manual("Add 'auth required pam_wheel.so use_uid group=<an empty "
            "group>' to /etc/pam.d/su."))

for svc in ("password-auth", "system-auth"):
    rule("5.4.2", "account_password_pam_faillock_" +
         svc.replace("-", "_").replace("_auth", "_auth"),
         probe("pam", {"service": svc, "module": "pam_faillock.so"}, [],
               quantifier="any"),
         manual("Run 'authselect enable-feature with-faillock'."))
rule("5.5.1", "accounts_password_pam_minclass",
     probe("pwquality", {"key": "minclass", "default": "0"},
           [c("value", "ge", "4")]),
     fix("pwquality_set", key="minclass", value="4"))
rule("5.5.1", "accounts_password_pam_minlen",
     probe("pwquality", {"key": "minlen", "default": "8"},
           [c("value", "ge", "14")]),
     fix("pwquality_set", key="minlen", value="14"))
rule("5.5.1", "accounts_password_pam_retry",
     probe("pwquality", {"key": "retry", "default": "1"},
           [c("value", "le", "3"), c("value", "ge", "1")]),
     fix("pwquality_set", key="retry", value="3"))
rule("5.5.2", "accounts_passwords_pam_faillock_deny",
     probe("faillock", {"key": "deny", "default": "3"},
           [c("value", "le", "5"), c("value", "ge", "1")]),
     fix("faillock_set", key="deny", value="5"))
rule("5.5.2", "accounts_passwords_pam_faillock_unlock_time",
     {"any": [probe("faillock", {"key": "unlock_time", "default": "600"},
                    [c("value", "ge", "900")]),
              probe("faillock", {"key": "unlock_time", "default": "600"},
                    [c("value", "eq", "0")])]},
     fix("faillock_set", key="unlock_time", value="900"))
for svc in ("password-auth", "system-auth"):
    tail = svc.replace("-", "_")
    rule("5.5.3", "accounts_password_pam_pwhistory_remember_" + tail,
         {"any": [probe("pwhistory", {"key": "remember"},
                        [c("value", "ge", "5")]),
                  probe("pam", {"service": svc,
                                "module": "pam_pwhistory.so",
                                "arg": "remember"},
                        [c("arg_value", "ge", "5")], quantifier="any")]},
         fix("pwhistory_set", key="remember", value="5"))
    rule("5.5.4", "set_password_hashing_algorithm_" + tail.replace("_", ""),
         {"any": [probe("pam", {"service": svc, "module": "pam_unix.so",
                                "type": "password", "arg": alg},
                        [c("arg_present", "eq", "true")], quantifier="any")
                  for alg in ("sha512", "yescrypt")]},
         fix("pam_module_arg", service=svc, type="password",
             module="pam_unix.so", arg="sha512"))
rule("5.5.4", "set_password_hashing_algorithm_logindefs",
     probe("login_defs", {"key": "ENCRYPT_METHOD", "default": "DES"},
           [c("value", "in", ["SHA512", "YESCRYPT"], nocase=True)]),
     fix("login_defs_set", key="ENCRYPT_METHOD", value="SHA512"))

HASHED = [c("password", "eq", "hash")]
rule("5.6.1.1", "accounts_maximum_age_login_defs",
     probe("login_defs", {"key": "PASS_MAX_DAYS", "default": "99999"},
           [c("value", "le", "365"), c("value", "ge", "1")]),
     fix("login_defs_set", key="PASS_MAX_DAYS", value="365"))
rule("5.6.1.1", "accounts_password_set_max_life_existing",
     probe("accounts", {"table": "shadow"},
           [c("max", "le", "365"), c("max", "ge", "1")], filter=HASHED,
           empty="pass"),
     fix("account_field", table="shadow", field="max", value="365",
         where=[{"field": "password", "op": "eq", "value": "hash"}]))
rule("5.6.1.2", "accounts_minimum_age_login_defs",
     probe("login_defs", {"key": "PASS_MIN_DAYS", "default": "0"},
           [c("value", "ge", "1")]),
     fix("login_defs_set", key="PASS_MIN_DAYS", value="1"))
rule("5.6.1.2", "accounts_password_set_min_life_existing",
     probe("accounts", {"table": "shadow"}, [c("min", "ge", "1")],
           filter=HASHED, empty="pass"),
     fix("account_field", table="shadow", field="min", value="1",
         where=[{"field": "password", "op": "eq", "value": "hash"}]))
rule("5.6.1.3", "accounts_password_warn_age_login_defs",
     # Unset: no warning at all (login.defs(5)), so -1, which fails.
     probe("login_defs", {"key": "PASS_WARN_AGE", "default": "-1"},
           [c("value", "ge", "7")]),
     fix("login_defs_set", key="PASS_WARN_AGE", value="7"))
rule("5.6.1.3", "accounts_password_set_warn_age_existing",
     probe("accounts", {"table": "shadow"}, [c("warn", "ge", "7")],
           filter=HASHED, empty="pass"),
     fix("account_field", table="shadow", field="warn", value="7",
         where=[{"field": "password", "op": "eq", "value": "hash"}]))
rule("5.6.1.4", "account_disable_post_pw_expiration",
     probe("shell_vars", {"path": "/etc/default/useradd", "key": "INACTIVE",
                          "default": "-1"},
           [c("value", "le", "30"), c("value", "ge", "0")]),
     fix("line_present", path="/etc/default/useradd", line="INACTIVE=30",
         regex=r"^[#[:space:]]*INACTIVE="))
rule("5.6.1.4", "accounts_set_post_pw_existing",
     probe("accounts", {"table": "shadow"},
           [c("inactive", "le", "30"), c("inactive", "ge", "0")],
           filter=HASHED, empty="pass"),
     fix("account_field", table="shadow", field="inactive", value="30",
         where=[{"field": "password", "op": "eq", "value": "hash"}]))
rule("5.6.2", "no_shelllogin_for_systemaccounts",
     probe("accounts", {"table": "passwd"}, [c("login_shell", "eq", "false")],
           filter=[c("system", "eq", "true"),
                   c("name", "not_in", ["root", "sync", "shutdown", "halt"])],
           empty="pass"),
     manual("Give system accounts /sbin/nologin: 'usermod -s /sbin/nologin "
            "ACCOUNT'."))
TMOUT = (r"^[[:space:]]*((typeset|declare)[[:space:]]+-[a-z]*r[a-z]*[[:space:]]+"
         r"|readonly[[:space:]]+|export[[:space:]]+)?TMOUT=([0-9]+)")
rule("5.6.3", "accounts_tmout",
     {"any": [probe("file_lines", {"path": p, "regex": TMOUT},
                    [c("3", "le", "900"), c("3", "ge", "1")],
                    quantifier="any")
              for p in ("/etc/profile", "/etc/profile.d/*.sh", "/etc/bashrc")]},
     fix("file_content", path="/etc/profile.d/tattoo-tmout.sh",
         content="TMOUT=900\nreadonly TMOUT\nexport TMOUT\n", mode="0644"))
rule("5.6.4", "accounts_root_gid_zero",
     probe("accounts", {"table": "passwd"}, [c("gid", "eq", "0")],
           filter=[c("name", "eq", "root")]),
     manual("Run 'usermod -g 0 root'."), severity="high")
UMASK = r"^[[:space:]]*umask[[:space:]]+([0-7]+)"
for path, ssg in (("/etc/bashrc", "accounts_umask_etc_bashrc"),
                  ("/etc/profile", "accounts_umask_etc_profile")):
    rule("5.6.5", ssg,
         probe("file_lines", {"path": path, "regex": UMASK},
               [c("1", "match", "^0?[0-7][2-7]7$")]),
         fix("line_present", path=path, line="umask 027",
             regex=r"^[[:space:]]*umask[[:space:]]+[0-7]+"))
rule("5.6.5", "accounts_umask_etc_login_defs",
     probe("login_defs", {"key": "UMASK", "default": "022"},
           [c("value", "match", "^0?[0-7][2-7]7$")]),
     fix("login_defs_set", key="UMASK", value="027"))
rule("5.6.6", "ensure_root_password_configured",
     probe("accounts", {"table": "shadow"}, [c("password", "eq", "hash")],
           filter=[c("name", "eq", "root")]),
     manual("Set a root password ('passwd root') or accept the finding "
            "for images whose root account is locked by design."))
rule("6.2.2", "no_empty_passwords_etc_shadow",
     probe("accounts", {"table": "shadow"}, [c("password", "ne", "empty")]),
     manual("Lock every account with an empty password: 'passwd -l "
            "ACCOUNT'."), severity="high")

for sec, path, stem, mode, group in (
        ("6.1.1", "/etc/passwd", "etc_passwd", "0644", "root"),
        ("6.1.2", "/etc/passwd-", "backup_etc_passwd", "0644", "root"),
        ("6.1.3", "/etc/group", "etc_group", "0644", "root"),
        ("6.1.4", "/etc/group-", "backup_etc_group", "0644", "root"),
        ("6.1.5", "/etc/shadow", "etc_shadow", "0000", "root"),
        ("6.1.6", "/etc/shadow-", "backup_etc_shadow", "0000", "root"),
        ("6.1.7", "/etc/gshadow", "etc_gshadow", "0000", "root"),
        ("6.1.8", "/etc/gshadow-", "backup_etc_gshadow", "0000", "root")):
    exist = not stem.startswith("backup")
    rule(sec, "file_owner_" + stem, file_meta(path, owner="root",
                                              must_exist=exist),
         fix("file_mode", path=path, mode="7777", owner="root"))
    rule(sec, "file_groupowner_" + stem, file_meta(path, group=group,
                                                   must_exist=exist),
         fix("file_mode", path=path, mode="7777", group=group))
    rule(sec, "file_permissions_" + stem, file_meta(path, mode=mode,
                                                    must_exist=exist),
         fix("file_mode", path=path, mode=mode))

for sec, ssg, kind, text in (
        ("6.1.9", "file_permissions_unauthorized_world_writable",
         "world_writable", "Remove world write permission ('chmod o-w')."),
        ("6.1.10", "no_files_unowned_by_user", "unowned",
         "Give each file an owner that exists in /etc/passwd."),
        ("6.1.11", "file_permissions_ungroupowned", "ungrouped",
         "Give each file a group that exists in /etc/group."),
        ("6.1.12", "dir_perms_world_writable_sticky_bits",
         "world_writable_dirs_no_sticky",
         "Set the sticky bit on world-writable directories ('chmod +t').")):
    rule(sec, ssg, none_of("walk", {"kind": kind}), manual(text))

rule("6.2.1", "accounts_password_all_shadowed",
     no_line("/etc/passwd", r"^[^:]+:[^x:*!][^:]*:"),
     manual("Move password hashes to /etc/shadow with 'pwconv'."),
     severity="medium")
rule("6.2.3", "gid_passwd_group_same",
     none_of("account_consistency", {"check": "group_exists"}),
     manual("Create the missing groups or correct the users' GIDs."),
     severity="low")
for sec, ssg, table, field in (("6.2.4", "account_unique_id", "passwd", "uid"),
                               ("6.2.5", "group_unique_id", "group", "gid"),
                               ("6.2.6", "account_unique_name", "passwd",
                                "name"),
                               ("6.2.7", "group_unique_name", "group",
                                "name")):
    rule(sec, ssg, none_of("account_duplicates", {"table": table,
                                                  "field": field}),
         manual("Give each %s entry a unique %s." % (table, field)))
rule("6.2.9", "accounts_no_uid_except_zero",
     probe("accounts", {"table": "passwd"}, [c("name", "eq", "root")],
           filter=[c("uid", "eq", "0")]),
     manual("Remove or renumber every account but root with UID 0."),
     severity="high")
rule("6.2.10", "accounts_user_interactive_home_directory_exists",
     probe("home_dirs", {"what": "home"}, [c("exists", "eq", "true")],
           empty="pass"),
     manual("Create the missing home directories ('mkhomedir_helper')."))
rule("6.2.11", "file_ownership_home_directories",
     probe("home_dirs", {"what": "home"}, [c("owner_ok", "eq", "true")],
           filter=[c("exists", "eq", "true")], empty="pass"),
     manual("Give each interactive user's home directory to that user."))
rule("6.2.12", "file_permissions_home_directories",
     probe("home_dirs", {"what": "home"}, [c("mode", "mode_max", "0750")],
           filter=[c("exists", "eq", "true")], empty="pass"),
     manual("Run 'chmod g-w,o-rwx' on interactive users' home "
            "directories."))
for sec, ssg, what in (("6.2.13", "no_netrc_files", "netrc"),
                       ("6.2.14", "no_forward_files", "forward"),
                       ("6.2.15", "no_rsh_trust_files", "rhosts")):
    rule(sec, ssg, none_of("home_dirs", {"what": what},
                           [c("exists", "eq", "true")]),
         manual("Remove the users' .%s files after telling them." % what))
rule("6.2.15", "no_rsh_trust_files_hosts_equiv",
     probe("file", {"path": "/etc/hosts.equiv"}, [c("exists", "eq", "false")]),
     fix("file_absent", path="/etc/hosts.equiv"),
     title="Ensure /etc/hosts.equiv does not exist")
rule("6.2.16", "accounts_user_dot_no_world_writable_programs",
     probe("home_dirs", {"what": "dotfiles"}, [c("mode", "mode_max", "0755")],
           filter=[c("exists", "eq", "true")], empty="pass"),
     manual("Run 'chmod go-w' on the users' dot files."))

MANUAL = [
    ("1.1.1.9", "Ensure unused filesystems kernel modules are not available",
     "Review the loadable file system modules and disable those the "
     "workload does not need."),
    ("1.2.1", "Ensure GPG keys are configured",
     "Check that the configured repositories' GPG keys are the vendor's."),
    ("1.2.3", "Ensure package manager repositories are configured",
     "Check /etc/yum.repos.d against the site's repository policy."),
    ("1.2.4", "Ensure repo_gpgcheck is globally activated",
     "Enable repo_gpgcheck where the repositories sign their metadata."),
    ("1.9", "Ensure updates, patches, and additional security software are "
     "installed", "Run 'dnf update' in the image build and check the "
     "security advisories."),
    ("2.4", "Ensure nonessential services are removed or masked",
     "Review 'ss -plntu' on a VM made from the image."),
    ("3.1.1", "Ensure IPv6 status is identified",
     "Decide whether the workload uses IPv6 and configure it so."),
    ("3.4.2.5", "Ensure firewalld drops unnecessary services and ports",
     "Review the services and ports of the default zone against the "
     "site's firewall policy."),
    ("3.4.2.6", "Ensure nftables established connections are configured",
     "Review the nftables rules for established connections."),
    ("4.2.1.5", "Ensure logging is configured",
     "Review /etc/rsyslog.conf against the site's logging policy."),
    ("4.2.2.5", "Ensure journald is not configured to send logs to rsyslog",
     "Decide between journald and rsyslog as the site's log pipeline."),
    ("4.2.2.6", "Ensure journald log rotation is configured per site policy",
     "Review SystemMaxUse and friends in journald.conf."),
    ("4.2.2.7", "Ensure journald default file permissions configured",
     "Review the tmpfiles.d settings for /var/log/journal."),
    ("4.3", "Ensure logrotate is configured",
     "Review /etc/logrotate.conf against the site's retention policy."),
    ("5.4.1", "Ensure custom authselect profile is used",
     "Create a custom authselect profile and select it."),
    ("6.1.13", "Audit SUID executables",
     "Review the SUID inventory ('tattoo audit --rule suid_inventory')."),
    ("6.1.14", "Audit SGID executables",
     "Review the SGID inventory."),
]

# -- assembly ---------------------------------------------------------------

# The table above was written for CIS RHEL 9 v1.0.0 (its section 1.1 later
# for v2.0.0).  The pack is numbered by v2.0.0, ComplianceAsCode's control
# data tools/packgen/data/cis_rhel9.json: by the SSG rule a control lists,
# else by V2 for rules whose SSG rule v2.0.0 lists under another name or
# a broader rule; manual rules by a control of the same title, else by
# MANUAL_V2.  Rule ids stay (cis_6_1_13_manual is 7.1.13 now).  Rules that
# match none are left out and listed on stderr: set_firewalld_default_zone
# (v2.0.0 leaves the zone to 4.2.1, manual), accounts_password_pam_retry
# (v2.0.0 has no retry), no_rsh_trust_files_hosts_equiv (no control).
V2 = {
    "banner_etc_motd": "1.7.1", "banner_etc_issue": "1.7.2",
    "banner_etc_issue_net": "1.7.3", "configure_crypto_policy": "1.6.1",
    # 1.6.2: the system crypto policy is not overridden for sshd
    "configure_ssh_crypto_policy": "1.6.2",
    "package_avahi_removed": "2.1.2", "package_dnsmasq_removed": "2.1.5",
    "package_cyrus_imapd_removed": "2.1.8", "package_cups_removed": "2.1.11",
    "use_pam_wheel_for_su": "5.2.7",
    "socket_systemd_journal_remote_disabled": "6.2.2.1.4",
    "package_rsyslog_installed": "6.2.3.1", "service_rsyslog_enabled": "6.2.3.2",
    "journald_forward_to_syslog": "6.2.3.3", "rsyslog_nolisten": "6.2.3.7",
    "rsyslog_remote_loghost": "6.2.3.6", "systemd_journal_upload_url": "6.2.2.1.2",
    # 7.2.9: dot files not group or world writable
    "accounts_user_dot_no_world_writable_programs": "7.2.9",
}
# manual rules whose v2.0.0 control is worded otherwise (left out:
# 4.2.2.5 journald not sending to rsyslog, the branch the pack does not
# follow; 5.4.1 custom authselect profile, which v2.0.0 dropped)
MANUAL_V2 = {
    "cis_2_4_manual": "2.1.22", "cis_4_2_1_5_manual": "6.2.3.5",
    "cis_4_2_2_6_manual": "6.2.1.3", "cis_4_2_2_7_manual": "6.2.1.2",
    "cis_4_3_manual": "6.2.3.8", "cis_6_1_13_manual": "7.1.13",
    "cis_6_1_14_manual": "7.1.13",
}


# debian12 rules whose checks hold on RHEL 9 once the PAM files are
# authselect's (rpmcis.adopt), for v2.0.0 controls the table above lacks.
ADOPT_V2 = {
    "accounts_password_pam_pwhistory_enforce_root": "5.3.3.3.2",
    "no_empty_passwords": "5.3.3.4.1", "pam_unix_no_remember": "5.3.3.4.2",
    "file_permissions_var_log_files": "6.2.4.1",
}


def extra_v2(rules, controls):
    """Rules for CIS RHEL 9 v2.0.0 controls the v1.0.0 table has no rule
    for: those the RHEL 10 pack made first (crypto sub-policies, GDM locks,
    bluetooth, the integrity of the audit tools), firewalld's loopback
    rules and the authselect stack (tools/packgen/rpmcis.py), and the
    debian12 rules whose checks read the same files here (derive.borrow:
    sysctl, pwquality, sudoers, autofs, /etc/shells, GID 0)."""
    deb = derive.load_pack("debian12")["rules"]
    out = rpmcis.crypto_modules(
        "1.6.3", "1.6.4", "1.6.5",
        weakmac_title="Ensure system wide crypto policy disables macs "
                      "less than 128 bits")
    out += derive.gdm_rules("gdm", {
        "dconf_gnome_screensaver_idle_delay": "1.8.4",
        "dconf_gnome_screensaver_user_locks": "1.8.5",
        "dconf_gnome_disable_autorun": "1.8.8",
        "dconf_gnome_autorun_locked": "1.8.9"}, "/etc/gdm/custom.conf")
    out += [rpmcis.bluetooth("3.1.3"), rpmcis.firewalld_loopback("4.2.2"),
            rpmcis.authselect_modules("5.3.2.1"),
            rpmcis.aide_audit_tools("6.1.3")]
    out += rpmcis.root_path("5.4.2.5")
    out += rpmcis.adopt({r["id"]: r for r in deb}, ADOPT_V2)
    have = {r["id"] for r in rules} | {r["id"] for r in out}
    names = have | {derive.ssg_name(r) for r in rules + out}
    out += [r for r in derive.borrow(deb, controls, names, skip=rpmcis.JOURNALD_ONLY)
            if r["id"] not in have]
    return out


def main():
    ssg = load_ssg()
    v2 = derive.load_controls("cis_rhel9")
    first = derive.first_section(v2["controls"])
    titles = {derive.norm_title(t["title"]): cid
              for cid, t in v2["controls"].items()}
    out_rules, seen, left = [], set(), []
    for r in rules:
        rid = r["ssg"].replace("-", "_")
        if rid in seen:
            continue
        seen.add(rid)
        r = dict(r, cis=first.get(r["ssg"]) or first.get(rid) or V2.get(rid))
        if r["cis"] is None:
            left.append(rid)
            continue
        facts = ssg.get(r["ssg"], {})
        title = r.get("title") or facts.get("title") or rid.replace("_", " ")
        desc = r.get("description") or facts.get("description") or title + "."
        rationale = facts.get("rationale") or (
            "Required by CIS Red Hat Enterprise Linux 9 Benchmark section "
            "%s." % r["cis"])
        severity = r.get("severity") or facts.get("severity") or "medium"
        if severity not in ("low", "medium", "high"):
            severity = "medium"
        refs = {"cis": r["cis"]}
        if r["ssg"] in ssg or not ssg:
            refs["ssg"] = SSG + r["ssg"]
        entry = {
            "id": rid, "title": title, "description": desc,
            "rationale": rationale, "severity": severity,
            "references": refs,
            "scope": r.get("scope", ["image", "runtime"]),
        }
        if r.get("requires"):
            entry["requires"] = r["requires"]
        entry["check"] = r["check"]
        if r.get("expected"):
            entry["expected"] = r["expected"]
        entry["fix"] = r["fix"]
        out_rules.append(entry)
    for cis, title, text in MANUAL:
        rid = "cis_" + cis.replace(".", "_") + "_manual"
        cis = titles.get(derive.norm_title(title)) or MANUAL_V2.get(rid)
        if cis is None:
            left.append(rid)
            continue
        out_rules.append({
            "id": rid, "title": title, "description": title + ".",
            "rationale": "A site decision that no check can make.",
            "severity": "low", "references": {"cis": cis},
            "scope": ["image", "runtime"], "manual": text,
            "fix": manual(text)})
    out_rules += extra_v2(out_rules, v2["controls"])
    derive.check_unique(out_rules, "rhel9")
    if left:
        print("rhel9.py: left out (no CIS RHEL 9 v2.0.0 control): %s"
              % " ".join(left), file=sys.stderr)
    derive.sort_rules(out_rules)
    pack = {
        "schema": 1,
        "pack": "rhel9",
        "benchmark": "CIS Red Hat Enterprise Linux 9 Benchmark v"
                     + derive.version_of(v2),
        "applies": {"id": ["rhel", "almalinux", "rocky", "centos"],
                    "version_id": ["9"]},
        # Level 2 is Level 1 plus the rules of Level 2 controls
        "profiles": derive.profiles(out_rules, v2["controls"]),
        "rules": out_rules,
    }
    # The DISA STIG profile (tools/packgen/stig.py), after the CIS ones.
    stig.add(pack, "rhel9", "rpm")
    # The CIS controls no rule above covers, from SSG templates: last.
    cisfill.fill(pack, "rhel9", "rpm")
    json.dump(sections.add(pack), sys.stdout, indent=1, ensure_ascii=False)
    sys.stdout.write("\n")
    auto = sum(1 for r in out_rules if "check" in r)
    print("rhel9: %d rules, %d automated" % (len(out_rules), auto),
          file=sys.stderr)


if __name__ == "__main__":
    main()
