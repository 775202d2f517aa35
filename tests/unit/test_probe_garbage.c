/*
 * Every probe over garbage: random text in every file the probes parse
 * (deterministic seed), under the sanitizers.  A probe may report an
 * error, never crash, hang or leak.
 */
#include "probe_fixture.h"

static const char *const files[] = {
	"/etc/ssh/sshd_config",
	"/etc/ssh/sshd_config.d/a.conf",
	"/etc/sysctl.conf",
	"/etc/sysctl.d/a.conf",
	"/etc/modprobe.d/a.conf",
	"/etc/passwd",
	"/etc/shadow",
	"/etc/group",
	"/etc/login.defs",
	"/etc/security/pwquality.conf",
	"/etc/security/faillock.conf",
	"/etc/systemd/journald.conf",
	"/etc/rsyslog.conf",
	"/etc/sudoers",
	"/etc/sudoers.d/a",
	"/etc/default/grub",
	"/boot/grub/grub.cfg",
	"/etc/fstab",
	"/var/lib/dpkg/status",
	"/etc/pam.d/sshd",
	"/etc/pam.d/common-auth",
	"/lib/systemd/system/a.service",
	"/etc/security/limits.conf",
	"/etc/security/limits.d/a.conf",
	"/home/u/.bashrc",
	/* The azure pack's probes (issue 19). */
	"/boot/config-6.1.0",
	"/lib/modules/6.1.0/modules.builtin",
	"/boot/initrd.img-6.1.0",
	"/etc/initramfs-tools/initramfs.conf",
	"/etc/initramfs-tools/modules",
	"/etc/dracut.conf.d/a.conf",
	"/var/lib/apt/lists/m_dists_s-security_main_binary-amd64_Packages",
	"/var/lib/apt/lists/m_dists_s-security_InRelease",
	/* The nftables ruleset and a file it includes. */
	"/etc/nftables.conf",
	"/etc/nftables.d/a.nft",
};

static const char *const pieces[] = {
	"\n",
	" ",
	"\t",
	"#",
	"\\",
	"=",
	":",
	"\"",
	"'",
	"[",
	"]",
	",",
	"!",
	"Include ",
	"Match ",
	"include ",
	"@include ",
	"#includedir ",
	"Defaults",
	"install ",
	"blacklist ",
	"Package: ",
	"Status: ",
	"install ok installed",
	"[Journal]",
	"linux ",
	"audit=",
	"*",
	"..",
	"/etc/ssh/sshd_config",
	"/etc/sudoers",
	"common-auth",
	"sshd",
	"$IncludeConfig ",
	"/etc/rsyslog.conf",
	"-",
	"0",
	"99999",
	"\\040",
	"substack ",
	"x",
	"PermitRootLogin",
	"net.ipv4.ip_forward",
	"hard ",
	"core ",
	"unlimited",
	"@",
	"u:x:1:1::/home/u:/bin/sh\n",
	"umask 022",
	"module(load=\"imtcp\")",
	"Version: ",
	"Date: ",
	"Sat, 05 Dec 2026 06:00:00 UTC",
	"1:2.3~rc1-4+deb12u1",
	"MODULES=most",
	"add_drivers+=",
	"hostonly=",
	"hv_vmbus",
	"CONFIG_HYPERV=y",
	"kernel/drivers/hv/hv_vmbus.ko",
	"table inet f ",
	"chain input ",
	"{",
	"}",
	";",
	"type filter hook input priority 0",
	"policy drop",
	"include \"nftables.d/*.nft\"",
	/* An initramfs's start: a newc cpio header, gzip and zstd magic. */
	"070701000000010000816400000000000000000000000100000000",
	"\x1f\x8b\x08",
	"\x28\xb5\x2f\xfd",
	"TRAILER!!!",
};

static unsigned long seed = 12345;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005UL + 1442695040888963407UL;
	return (unsigned)(seed >> 33) % n;
}

static void
garbage(void)
{
	static const char *const calls[][5] = {
		{ "sshd_config", "key", "PermitRootLogin", "scope", "all" },
		{ "sysctl", "key", "net.ipv4.ip_forward", NULL, NULL },
		{ "kernel_module", "module", "x", NULL, NULL },
		{ "accounts", "table", "passwd", NULL, NULL },
		{ "accounts", "table", "shadow", NULL, NULL },
		{ "account_duplicates", "table", "group", "field", "gid" },
		{ "account_consistency", "check", "group_exists", NULL, NULL },
		{ "login_defs", "key", "x", NULL, NULL },
		{ "pwquality", "key", "x", NULL, NULL },
		{ "faillock", "key", "x", NULL, NULL },
		{ "journald", "key", "x", NULL, NULL },
		{ "rsyslog", "key", "x", NULL, NULL },
		{ "sudoers", "key", "x", NULL, NULL },
		{ "shell_vars", "path", "/etc/default/grub", "key", "x" },
		{ "grub_cmdline", "arg", "audit", NULL, NULL },
		{ "mount", "path", "/x", NULL, NULL },
		{ "package", "name", "x", NULL, NULL },
		{ "pam", "service", "sshd", "arg", "x" },
		{ "systemd_unit", "unit", "a.service", NULL, NULL },
		{ "home_dirs", "what", "dotfiles", NULL, NULL },
		{ "file_lines", "path", "/etc/*", "regex", "x" },
		{ "file_lines", "path", "~/.bashrc", "regex", "umask" },
		{ "limits", "item", "core", NULL, NULL },
		{ "limits", "item", "x", "type", "soft" },
		{ "rsyslog", "regex", "im(tcp|udp)", NULL, NULL },
		{ "home_dirs", "what", "shosts", NULL, NULL },
		{ "walk", "kind", "unowned", NULL, NULL },
		{ "hyperv_drivers", "kernel", "6.1.0", NULL, NULL },
		{ "pending_updates", "suite", "security", NULL, NULL },
		{ "required_agents", "packages", "x,y", "units", "a.service" },
		{ "nftables", "path", "/etc/nftables.conf", NULL, NULL },
		{ "nologin_accounts", "root", "true", NULL, NULL },
	};
	char text[4096];
	size_t total = 0;

	for (int round = 0; round < 60; round++) {
		fx_begin(round % 2 == 1);
		for (size_t f = 0; f < TT_ARRAY_SIZE(files); f++) {
			size_t n = 0;

			while (n < sizeof(text) - 64 && rnd(300) != 0) {
				const char *p =
				    pieces[rnd(TT_ARRAY_SIZE(pieces))];

				n += strlcpy(text + n, p, sizeof(text) - n);
			}
			text[n] = '\0';
			fx_put(files[f], text);
		}
		for (size_t c = 0; c < TT_ARRAY_SIZE(calls); c++) {
			struct tt_items it;
			char err[512] = "";
			int r = fx_run(calls[c][0], &it, err, sizeof(err),
			    calls[c][1], calls[c][2], calls[c][3], calls[c][4],
			    NULL);

			/* Only a failure with a reason is acceptable. */
			if (r < 0 && err[0] == '\0') {
				fprintf(stderr, "# %s: %d without reason\n",
				    calls[c][0], r);
				tt_test_current_failed = 1;
			}
			total += it.n;
			tt_items_free(&it);
		}
		fx_end();
	}
	/* The garbage is close enough to the formats to give facts. */
	CHECK(total > 100);
}

int
main(void)
{
	RUN(garbage);
	TEST_EXIT();
}
