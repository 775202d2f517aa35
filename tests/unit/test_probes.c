/* Probes over fixture roots: the format edge cases of issue 3. */
#include "probe_fixture.h"
#include "util.h"

#define RUN_PROBE(probe, items, ...)                                           \
	do {                                                                   \
		char err_[512] = "";                                           \
		int r_ = fx_run(probe, items, err_, sizeof(err_), __VA_ARGS__, \
		    NULL);                                                     \
		if (r_ < 0)                                                    \
			fprintf(stderr, "# %s: %s\n", probe, err_);            \
		CHECK_INT(r_, 0);                                              \
	} while (0)

static void
sshd_include_match_and_first_wins(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/ssh/sshd_config",
	    "# comment\n"
	    "Include sshd_config.d/*.conf\n"
	    "Include /etc/ssh/missing.conf\n"
	    "PermitRootLogin yes\n"
	    "MaxAuthTries=3\n"
	    "Match User bob\n"
	    "  PermitRootLogin yes\n"
	    "  MaxAuthTries 10\n"
	    "Match Address 10.0.0.0/8\n"
	    "  MaxAuthTries 8\n"
	    "  MaxAuthTries 9\n");
	fx_put("/etc/ssh/sshd_config.d/10-a.conf",
	    "permitrootlogin No\nInclude ../missing/sshd_config\n");
	fx_put("/etc/ssh/sshd_config.d/20-b.conf",
	    "PermitRootLogin without-password\n"
	    "Match Group adm\nX11Forwarding yes\n");
	fx_put("/etc/ssh/sshd_config.d/readme", "PermitRootLogin yes\n");

	/* Included first, first value wins, keywords in any case. */
	RUN_PROBE("sshd_config", &it, "key", "PermitRootLogin");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "value"), "No");
	CHECK_STR(fx_get(&it, 0, "file"), "/etc/ssh/sshd_config.d/10-a.conf");
	CHECK_STR(fx_get(&it, 0, "line"), "1");
	CHECK_STR(fx_get(&it, 0, "source"), "config");
	tt_items_free(&it);

	/* A Match block in an included file ends with the file. */
	RUN_PROBE("sshd_config", &it, "key", "X11Forwarding", "scope", "all");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "match"), "Group adm");
	tt_items_free(&it);

	/* '=' separator; Match blocks apart; first value in each block. */
	RUN_PROBE("sshd_config", &it, "key", "maxauthtries", "scope", "all");
	CHECK_INT(it.n, 3);
	CHECK_STR(fx_get(&it, 0, "value"), "3");
	CHECK_STR(fx_get(&it, 1, "match"), "User bob");
	CHECK_STR(fx_get(&it, 1, "value"), "10");
	CHECK_STR(fx_get(&it, 2, "value"), "8");
	tt_items_free(&it);

	/* Global scope: only the global value. */
	RUN_PROBE("sshd_config", &it, "key", "MaxAuthTries");
	CHECK_INT(it.n, 1);
	tt_items_free(&it);

	/* Unset: the default, or nothing. */
	RUN_PROBE("sshd_config", &it, "key", "Banner", "default", "none");
	CHECK_STR(fx_get(&it, 0, "source"), "default");
	CHECK_STR(fx_get(&it, 0, "value"), "none");
	tt_items_free(&it);
	RUN_PROBE("sshd_config", &it, "key", "Banner");
	CHECK_INT(it.n, 0);
	tt_items_free(&it);
	fx_end();
}

static void
sshd_missing_file(void)
{
	struct tt_items it;

	fx_begin(false);
	RUN_PROBE("sshd_config", &it, "key", "PermitRootLogin", "default",
	    "prohibit-password");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "source"), "default");
	tt_items_free(&it);
	fx_end();
}

static void
sysctl_precedence(void)
{
	struct tt_items it;

	fx_begin(false);
	/* /etc/sysctl.d/50-x.conf masks /usr/lib/sysctl.d/50-x.conf. */
	fx_put("/usr/lib/sysctl.d/50-x.conf",
	    "net.ipv4.ip_forward = 1\n"
	    "kernel.a = 1\n");
	fx_put("/etc/sysctl.d/50-x.conf", "net.ipv4.ip_forward = 0\n");
	/* Sorted by name across directories: 60 after 50. */
	fx_put("/run/sysctl.d/60-y.conf",
	    "# c\n; c\nkernel/b = 2\n"
	    "-net/ipv4/conf/all/rp_filter=1\n");
	fx_put("/usr/lib/sysctl.d/70-z.conf",
	    "kernel.b = 3\n"
	    "net.ipv4.conf.*.send_redirects = 1\n");
	/* /etc/sysctl.conf is read last. */
	fx_put("/etc/sysctl.conf", "kernel.b=4\n");

	RUN_PROBE("sysctl", &it, "key", "net.ipv4.ip_forward");
	CHECK_STR(fx_get(&it, 0, "value"), "0");
	CHECK_STR(fx_get(&it, 0, "file"), "/etc/sysctl.d/50-x.conf");
	CHECK_STR(fx_get(&it, 0, "live"), "(none)");
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "kernel.a");
	CHECK_INT(it.n, 0); /* masked with its whole file */
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "kernel/b");
	CHECK_STR(fx_get(&it, 0, "value"), "4");
	CHECK_STR(fx_get(&it, 0, "file"), "/etc/sysctl.conf");
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "net.ipv4.conf.all.rp_filter");
	CHECK_STR(fx_get(&it, 0, "value"), "1");
	CHECK_STR(fx_get(&it, 0, "line"), "4");
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "net.ipv4.conf.eth0.send_redirects");
	CHECK_STR(fx_get(&it, 0, "value"), "1");
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "vm.x", "default", "7");
	CHECK_STR(fx_get(&it, 0, "source"), "default");
	tt_items_free(&it);
	fx_end();
}

static void
kernel_module_modprobe(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/modprobe.d/cramfs.conf",
	    "install cramfs /bin/false\n"
	    "blacklist cramfs\n");
	fx_put("/etc/modprobe.d/usb.conf", "install usb-storage /bin/true\n");
	fx_put("/lib/modprobe.d/udf.conf",
	    "install udf /sbin/modprobe "
	    "--ignore-install udf\n");
	fx_put("/etc/modprobe.d/x.txt", "install udf /bin/false\n");
	fx_put("/lib/modules/6.1.0-1/kernel/fs/udf/udf.ko.xz", "");
	fx_put("/lib/modules/6.1.0-1/kernel/fs/cramfs/cramfs.ko", "");

	RUN_PROBE("kernel_module", &it, "module", "cramfs");
	CHECK_STR(fx_get(&it, 0, "disabled"), "true");
	CHECK_STR(fx_get(&it, 0, "blacklisted"), "true");
	CHECK_STR(fx_get(&it, 0, "loadable"), "true");
	CHECK_STR(fx_get(&it, 0, "loaded"), "(none)");
	tt_items_free(&it);
	RUN_PROBE("kernel_module", &it, "module", "usb_storage");
	CHECK_STR(fx_get(&it, 0, "disabled"), "true");
	CHECK_STR(fx_get(&it, 0, "blacklisted"), "false");
	CHECK_STR(fx_get(&it, 0, "loadable"), "false");
	tt_items_free(&it);
	RUN_PROBE("kernel_module", &it, "module", "udf");
	CHECK_STR(fx_get(&it, 0, "disabled"), "false");
	CHECK_STR(fx_get(&it, 0, "loadable"), "true");
	tt_items_free(&it);
	fx_end();
}

static void
accounts_malformed_and_duplicates(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/login.defs", "UID_MIN 500\n");
	fx_put("/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	    "broken:x:5\n"
	    "toor:x:0:0::/root:/bin/sh\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n"
	    "alice:x:1001:1001::/home/alice2:/bin/bash\n");
	fx_put("/etc/shadow",
	    "root:$y$j9T$abc:19000:0:99999:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n"
	    "alice::19000:1:90:7:30::\n"
	    "short:!:1\n");
	fx_put("/etc/group", "root:x:0:\nshadow:x:42:alice\nalice:x:1000:\n");

	RUN_PROBE("accounts", &it, "table", "passwd");
	CHECK_INT(it.n, 6);
	CHECK_STR(fx_get(&it, 2, "malformed"), "true");
	CHECK_STR(fx_get(&it, 2, "line"), "3");
	CHECK_STR(fx_get(&it, 2, "uid"), "(none)");
	CHECK_STR(fx_get(&it, 0, "system"), "true");
	CHECK_STR(fx_get(&it, 1, "login_shell"), "false");
	CHECK_STR(fx_get(&it, 4, "system"), "false");
	CHECK_STR(fx_get(&it, 4, "malformed"), "false");
	tt_items_free(&it);

	RUN_PROBE("accounts", &it, "table", "shadow");
	CHECK_STR(fx_get(&it, 0, "password"), "hash");
	CHECK_STR(fx_get(&it, 0, "hash_type"), "yescrypt");
	CHECK_STR(fx_get(&it, 1, "password"), "locked");
	CHECK_STR(fx_get(&it, 2, "password"), "empty");
	CHECK_STR(fx_get(&it, 2, "max"), "90");
	CHECK_STR(fx_get(&it, 3, "malformed"), "true");
	tt_items_free(&it);

	RUN_PROBE("account_duplicates", &it, "table", "passwd", "field", "uid");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "value"), "0");
	CHECK_STR(fx_get(&it, 0, "names"), "root,toor");
	tt_items_free(&it);
	RUN_PROBE("account_duplicates", &it, "table", "passwd", "field",
	    "name");
	CHECK_STR(fx_get(&it, 0, "value"), "alice");
	CHECK_STR(fx_get(&it, 0, "count"), "2");
	tt_items_free(&it);

	RUN_PROBE("account_consistency", &it, "check", "passwd_shadow");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "name"), "toor");
	tt_items_free(&it);
	RUN_PROBE("account_consistency", &it, "check", "group_exists");
	CHECK_INT(it.n, 2); /* daemon (gid 1), alice (gid 1001) */
	tt_items_free(&it);
	RUN_PROBE("account_consistency", &it, "check", "shadow_group_empty");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "name"), "alice");
	tt_items_free(&it);
	fx_end();
}

static void
units_masked_vs_disabled(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/lib/systemd/system/a.service",
	    "[Service]\n[Install]\n"
	    "WantedBy=multi-user.target\n");
	fx_put("/lib/systemd/system/b.service",
	    "[Service]\n[Install]\n"
	    "WantedBy=multi-user.target\n");
	fx_put("/lib/systemd/system/c.service", "[Service]\nExecStart=x\n");
	fx_put("/lib/systemd/system/d.service", "[Install]\nAlias=e.service\n");
	fx_link("/lib/systemd/system/a.service",
	    "/etc/systemd/system/multi-user.target.wants/a.service");
	fx_link("/dev/null", "/etc/systemd/system/b.service");
	fx_link("/lib/systemd/system/d.service",
	    "/etc/systemd/system/e.service");
	fx_link("/dev/null", "/etc/systemd/system/ghost.service");

	RUN_PROBE("systemd_unit", &it, "unit", "a.service");
	CHECK_STR(fx_get(&it, 0, "state"), "enabled");
	CHECK_STR(fx_get(&it, 0, "active"), "(none)");
	tt_items_free(&it);
	RUN_PROBE("systemd_unit", &it, "unit", "b.service");
	CHECK_STR(fx_get(&it, 0, "state"), "masked");
	CHECK_STR(fx_get(&it, 0, "masked"), "true");
	CHECK_STR(fx_get(&it, 0, "exists"), "true");
	tt_items_free(&it);
	RUN_PROBE("systemd_unit", &it, "unit", "c.service");
	CHECK_STR(fx_get(&it, 0, "state"), "static");
	tt_items_free(&it);
	RUN_PROBE("systemd_unit", &it, "unit", "d.service");
	CHECK_STR(fx_get(&it, 0, "state"), "enabled"); /* via its alias */
	tt_items_free(&it);
	RUN_PROBE("systemd_unit", &it, "unit", "none.service");
	CHECK_STR(fx_get(&it, 0, "state"), "absent");
	tt_items_free(&it);
	RUN_PROBE("systemd_unit", &it, "unit", "ghost.service");
	CHECK_STR(fx_get(&it, 0, "state"), "masked");
	CHECK_STR(fx_get(&it, 0, "exists"), "false");
	tt_items_free(&it);
	fx_put("/lib/systemd/system/f.service",
	    "[Install]\n"
	    "WantedBy=multi-user.target\n");
	RUN_PROBE("systemd_unit", &it, "unit", "f.service");
	CHECK_STR(fx_get(&it, 0, "state"), "disabled");
	tt_items_free(&it);
	fx_end();
}

static void
kv_probes(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/login.defs",
	    "# c\nPASS_MAX_DAYS 99999\n"
	    "PASS_MAX_DAYS\t365\nUMASK 022\n");
	fx_put("/etc/security/pwquality.conf", "minlen = 8\n# minlen = 1\n");
	fx_put("/etc/security/pwquality.conf.d/50-a.conf", "minlen=14\n");
	fx_put("/etc/security/faillock.conf", "deny = 5\neven_deny_root\n");
	fx_put("/etc/systemd/journald.conf",
	    "[Journal]\nStorage=auto\n"
	    "[Other]\nCompress=no\n");
	fx_put("/usr/lib/systemd/journald.conf.d/10-a.conf",
	    "[Journal]\nCompress=no\n");
	fx_put("/etc/systemd/journald.conf.d/10-a.conf",
	    "[Journal]\nStorage=persistent\n");
	fx_put("/etc/default/grub",
	    "GRUB_CMDLINE_LINUX=\"quiet \\\n"
	    "audit=1\"\nexport X='y' # c\n");
	fx_put("/etc/rsyslog.conf",
	    "$FileCreateMode 0644\n"
	    "$IncludeConfig /etc/rsyslog.d/*.conf\n");
	fx_put("/etc/rsyslog.d/50-a.conf", "$filecreatemode 0640\n");

	RUN_PROBE("login_defs", &it, "key", "PASS_MAX_DAYS");
	CHECK_STR(fx_get(&it, 0, "value"), "365");
	CHECK_STR(fx_get(&it, 0, "line"), "3");
	tt_items_free(&it);
	RUN_PROBE("pwquality", &it, "key", "minlen");
	CHECK_STR(fx_get(&it, 0, "value"), "14");
	tt_items_free(&it);
	RUN_PROBE("faillock", &it, "key", "even_deny_root");
	CHECK_STR(fx_get(&it, 0, "value"), "true");
	tt_items_free(&it);
	RUN_PROBE("pwhistory", &it, "key", "remember", "default", "0");
	CHECK_STR(fx_get(&it, 0, "source"), "default");
	tt_items_free(&it);
	RUN_PROBE("journald", &it, "key", "Storage");
	CHECK_STR(fx_get(&it, 0, "value"), "persistent");
	tt_items_free(&it);
	/* The /etc drop-in masks /usr/lib's of the same name; [Other] is
	 * not [Journal]. */
	RUN_PROBE("journald", &it, "key", "Compress");
	CHECK_INT(it.n, 0);
	tt_items_free(&it);
	RUN_PROBE("shell_vars", &it, "path", "/etc/default/grub", "key",
	    "GRUB_CMDLINE_LINUX");
	CHECK_STR(fx_get(&it, 0, "value"), "quiet audit=1");
	tt_items_free(&it);
	RUN_PROBE("shell_vars", &it, "path", "/etc/default/grub", "key", "X");
	CHECK_STR(fx_get(&it, 0, "value"), "y");
	tt_items_free(&it);
	RUN_PROBE("rsyslog", &it, "key", "$FileCreateMode");
	CHECK_STR(fx_get(&it, 0, "value"), "0640");
	CHECK_STR(fx_get(&it, 0, "file"), "/etc/rsyslog.d/50-a.conf");
	tt_items_free(&it);
	RUN_PROBE("grub_cmdline", &it, "arg", "audit");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "present"), "true");
	CHECK_STR(fx_get(&it, 0, "value"), "1");
	tt_items_free(&it);
	fx_put("/boot/grub/grub.cfg",
	    "menuentry x {\n"
	    "\tlinux /vmlinuz root=/dev/sda1 ro audit=0\n}\n");
	RUN_PROBE("grub_cmdline", &it, "arg", "audit");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "path"), "/boot/grub/grub.cfg");
	CHECK_STR(fx_get(&it, 0, "value"), "0");
	CHECK_STR(fx_get(&it, 0, "line"), "2");
	tt_items_free(&it);
	fx_end();
}

static void
sudoers_includes(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/sudoers",
	    "Defaults\tenv_reset\n"
	    "Defaults use_pty, \\\n  logfile=\"/var/log/sudo.log\"\n"
	    "Defaults:bob !use_pty\n"
	    "@includedir /etc/sudoers.d\n");
	fx_put("/etc/sudoers.d/10-x", "Defaults timestamp_timeout=5\n");
	fx_put("/etc/sudoers.d/README.txt", "Defaults !use_pty\n");
	fx_put("/etc/sudoers.d/20-y~", "Defaults !use_pty\n");
	fx_put("/etc/sudoers.d/30-loop",
	    "#include /etc/sudoers.d/31.inc\n"
	    "#include 31.inc\n" /* relative: the same file again */
	    "Defaults !use_pty\n");
	fx_put("/etc/sudoers.d/31.inc", "Defaults passwd_tries=2\n");

	RUN_PROBE("sudoers", &it, "key", "use_pty");
	CHECK_INT(it.n, 3);
	CHECK_STR(fx_get(&it, 0, "value"), "true");
	CHECK_STR(fx_get(&it, 0, "scope"), "");
	CHECK_STR(fx_get(&it, 0, "line"), "2");
	CHECK_STR(fx_get(&it, 1, "scope"), ":bob");
	CHECK_STR(fx_get(&it, 1, "value"), "false");
	CHECK_STR(fx_get(&it, 2, "file"), "/etc/sudoers.d/30-loop");
	tt_items_free(&it);
	RUN_PROBE("sudoers", &it, "key", "logfile");
	CHECK_STR(fx_get(&it, 0, "value"), "/var/log/sudo.log");
	tt_items_free(&it);
	RUN_PROBE("sudoers", &it, "key", "timestamp_timeout");
	CHECK_STR(fx_get(&it, 0, "value"), "5");
	tt_items_free(&it);
	/* A file included twice one after the other is no loop. */
	RUN_PROBE("sudoers", &it, "key", "passwd_tries");
	CHECK_INT(it.n, 2);
	tt_items_free(&it);
	fx_end();
}

/* Runs probe expecting failure want with a reason containing text. */
#define PROBE_FAILS(want, text, probe, ...)                                    \
	do {                                                                   \
		struct tt_items it_;                                           \
		char err_[512] = "";                                           \
		int r_ = fx_run(probe, &it_, err_, sizeof(err_), __VA_ARGS__,  \
		    NULL);                                                     \
		CHECK_INT(r_, want);                                           \
		if (strstr(err_, text) == NULL) {                              \
			fprintf(stderr, "# %s: '%s' lacks '%s'\n", probe,      \
			    err_, text);                                       \
			CHECK(false);                                          \
		}                                                              \
		tt_items_free(&it_);                                           \
	} while (0)

/* Issue 13: include loops (by inode, whatever the name), nesting, the
 * audit's budget and its deadline are errors naming the file. */
static void
include_loops_and_budget(void)
{
	struct tt_items it;
	struct tt_strv g = { 0 };

	fx_begin(false);
	fx_put("/etc/ssh/sshd_config", "Include /etc/ssh/conf.d/*.conf\n");
	fx_link("..", "/etc/ssh/conf.d/up");
	fx_put("/etc/ssh/conf.d/a.conf", "Include conf.d/up/sshd_config\n");
	PROBE_FAILS(-ELOOP,
	    "include loop: '/etc/ssh/conf.d/up/sshd_config' (the file "
	    "'/etc/ssh/sshd_config') is included again by "
	    "'/etc/ssh/conf.d/a.conf'",
	    "sshd_config", "key", "X");
	/* Remembered: the same reason again without reading. */
	PROBE_FAILS(-ELOOP, "is included again by", "sshd_config", "key", "Y");

	fx_put("/etc/pam.d/a", "auth include b\n");
	fx_put("/etc/pam.d/b", "@include a\n");
	PROBE_FAILS(-ELOOP,
	    "include loop: '/etc/pam.d/a' is included again by "
	    "'/etc/pam.d/b'",
	    "pam", "service", "a");
	for (int i = 0; i < 20; i++) {
		char path[64], text[64];

		snprintf(path, sizeof(path), "/etc/pam.d/c%d", i);
		snprintf(text, sizeof(text), "auth substack c%d\n", i + 1);
		fx_put(path, text);
	}
	PROBE_FAILS(-ELOOP,
	    "includes nested more than 16 deep at "
	    "'/etc/pam.d/c17'",
	    "pam", "service", "c0");

	/* Globs: a symlink to "." under a pattern is a loop. */
	fx_put("/etc/rsyslog.conf", "$IncludeConfig /etc/rs.d/*/*.conf\n");
	fx_put("/etc/rs.d/x/a.conf", "$A 1\n");
	fx_link(".", "/etc/rs.d/x/self");
	fx_link("..", "/etc/rs.d/x/up");
	RUN_PROBE("rsyslog", &it, "key", "$A");
	CHECK_INT(it.n, 1);
	tt_items_free(&it);
	CHECK_INT(tt_root_glob(&fx_root, "/etc/rs.d/*/*/*.conf", &g), -ELOOP);
	tt_strv_free(&g);
	CHECK_INT(tt_root_glob(&fx_root, "/etc/rs.d/x/*/*.conf", &g), -ELOOP);
	tt_strv_free(&g);
	/* The same names under plain components: no loop, found once. */
	CHECK_INT(tt_root_glob(&fx_root, "/etc/rs.d/x/self/self/a.conf", &g),
	    0);
	CHECK_INT(g.n, 1);
	tt_strv_free(&g);
	fx_end();

	/* The budget: past a limit every rule that needs more fails. */
	fx_begin(false);
	fx_put("/etc/pam.d/s",
	    "auth include t\nauth include t\n"
	    "auth include t\n");
	fx_put("/etc/pam.d/t", "auth required pam_deny.so\n");
	fx_put("/etc/sudoers", "Defaults use_pty\n");
	fx_audit.budget.max_files = 3;
	PROBE_FAILS(-E2BIG,
	    "budget exceeded: more than 3 files read by include expansion "
	    "in this audit while reading '/etc/pam.d/t'",
	    "pam", "service", "s");
	PROBE_FAILS(-E2BIG, "while reading '/etc/sudoers'", "sudoers", "key",
	    "use_pty");
	fx_end();

	fx_begin(false);
	fx_put("/etc/sudoers", "Defaults use_pty\n#includedir /etc/s.d\n");
	fx_put("/etc/s.d/a", "Defaults x\n");
	fx_audit.budget.max_lines = 2;
	PROBE_FAILS(-E2BIG, "more than 2 lines read by include expansion",
	    "sudoers", "key", "use_pty");
	fx_end();

	fx_begin(false);
	fx_put("/etc/x/a/f", "");
	fx_put("/etc/x/b/f", "");
	fx_audit.budget.max_glob_dirs = 2;
	PROBE_FAILS(-E2BIG,
	    "more than 2 directories listed by globs in this audit while "
	    "reading '/etc/x/b'",
	    "file", "path", "/etc/x/*/*");
	fx_end();

	/* The deadline: once passed, probes that read stop at once. */
	fx_begin(false);
	fx_put("/etc/ssh/sshd_config", "PermitRootLogin no\n");
	tt_audit_set_timeout(&fx_audit, 1);
	fx_audit.budget.deadline_ns = 1; /* long past */
	PROBE_FAILS(-ETIMEDOUT,
	    "the audit's deadline (1 s) passed while reading "
	    "'/etc/ssh/sshd_config'",
	    "sshd_config", "key", "PermitRootLogin");
	CHECK(tt_audit_timed_out(&fx_audit));
	fx_end();
}

static void
pam_stack(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/pam.d/common-auth",
	    "auth [success=1 default=ignore] pam_unix.so nullok\n"
	    "auth requisite pam_deny.so\n");
	fx_put("/etc/pam.d/common-password",
	    "password requisite pam_pwquality.so retry=3\n"
	    "password [success=1] pam_unix.so obscure yescrypt "
	    "remember=5\n");
	fx_put("/etc/pam.d/sshd",
	    "@include common-auth\n"
	    "-auth optional /lib/security/pam_faillock.so deny=4\n"
	    "password substack common-password\n");

	RUN_PROBE("pam", &it, "service", "sshd", "module", "pam_unix.so", "arg",
	    "nullok");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "control"), "[success=1 default=ignore]");
	CHECK_STR(fx_get(&it, 0, "arg_present"), "true");
	CHECK_STR(fx_get(&it, 1, "type"), "password");
	CHECK_STR(fx_get(&it, 1, "arg_present"), "false");
	tt_items_free(&it);
	RUN_PROBE("pam", &it, "service", "sshd", "module", "pam_faillock.so",
	    "arg", "deny");
	CHECK_STR(fx_get(&it, 0, "arg_value"), "4");
	tt_items_free(&it);
	RUN_PROBE("pam", &it, "service", "common-password", "type", "password",
	    "arg", "remember");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 1, "arg_value"), "5");
	tt_items_free(&it);
	fx_end();
}

static void
files_and_lines(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
	fx_put("/etc/group", "root:x:0:\n");
	fx_put_mode("/etc/shadow", "x\n", 0640);
	fx_put("/etc/cron.d/a", "# X=1\n X=2 \nY=3\n");
	fx_put("/etc/cron.d/b", "x=4\n");
	fx_link("/etc/shadow", "/etc/shadow-link");

	RUN_PROBE("file", &it, "path", "/etc/shadow");
	CHECK_STR(fx_get(&it, 0, "exists"), "true");
	CHECK_STR(fx_get(&it, 0, "mode"), "0640");
	CHECK_STR(fx_get(&it, 0, "type"), "file");
	tt_items_free(&it);
	RUN_PROBE("file", &it, "path", "/etc/shadow-link", "follow", "false");
	CHECK_STR(fx_get(&it, 0, "type"), "link");
	CHECK_STR(fx_get(&it, 0, "target"), "/etc/shadow");
	tt_items_free(&it);
	RUN_PROBE("file", &it, "path", "/etc/cron.?/*");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 1, "path"), "/etc/cron.d/b");
	tt_items_free(&it);
	RUN_PROBE("file", &it, "path", "/etc/nothing*");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "exists"), "false");
	tt_items_free(&it);
	RUN_PROBE("file_lines", &it, "path", "/etc/cron.d/*", "regex",
	    "^[[:space:]]*X=([0-9])");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "1"), "2");
	CHECK_STR(fx_get(&it, 0, "line"), "2");
	tt_items_free(&it);
	RUN_PROBE("file_lines", &it, "path", "/etc/cron.d/a", "regex",
	    "X=", "comments", "true");
	CHECK_INT(it.n, 2);
	tt_items_free(&it);
	fx_end();
}

static void
walk_shared_once(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
	fx_put("/etc/group", "root:x:0:\n");
	fx_put_mode("/srv/open", "", 0666);
	fx_put_mode("/usr/bin/su", "", 04755);
	fx_put_mode("/proc/skipped", "", 0666);
	fx_mkdir("/srv/shared");
	{
		char d[PATH_MAX];

		snprintf(d, sizeof(d), "%s/srv/shared", fx_dir);
		chmod(d, 0777);
	}

	RUN_PROBE("walk", &it, "kind", "world_writable");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "path"), "/srv/open");
	CHECK_STR(fx_get(&it, 0, "mode"), "0666");
	tt_items_free(&it);
	RUN_PROBE("walk", &it, "kind", "suid");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "path"), "/usr/bin/su");
	tt_items_free(&it);
	RUN_PROBE("walk", &it, "kind", "world_writable_dirs_no_sticky");
	CHECK_INT(it.n, 1);
	tt_items_free(&it);
	RUN_PROBE("walk", &it, "kind", "unowned");
	CHECK_INT(it.n, 0); /* the test runs as root: everything uid 0 */
	tt_items_free(&it);
	CHECK_INT(fx_audit.walk_count, 1);
	fx_end();
}

static void
mount_and_package_and_home(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/fstab",
	    "# c\nUUID=1 / ext4 defaults 0 1\n"
	    "tmpfs /tmp/ tmpfs nodev,nosuid,noexec 0 0\n"
	    "/dev/x /my\\040dir ext4 rw 0 0\n");
	fx_put("/var/lib/dpkg/status",
	    "Package: openssh-server\nStatus: install ok installed\n"
	    "Version: 1:9.2p1-2\n\n"
	    "Package: telnet\nStatus: deinstall ok config-files\n"
	    "Version: 0.17\n\n"
	    "Package: sudo\nVersion: 1.9\nStatus: install ok installed\n");
	fx_put("/etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "bob:x:1000:1000::/home/bob:/bin/bash\n"
	    "svc:x:999:999::/var/svc:/usr/sbin/nologin\n");
	fx_put_mode("/home/bob/.netrc", "machine x\n", 0600);
	fx_put_mode("/home/bob/.profile", "", 0666);
	fx_mkdir("/root");

	RUN_PROBE("mount", &it, "path", "/tmp");
	CHECK_STR(fx_get(&it, 0, "in_fstab"), "true");
	CHECK_STR(fx_get(&it, 0, "fstab_type"), "tmpfs");
	CHECK_STR(fx_get(&it, 0, "fstab_options"), "nodev,nosuid,noexec");
	CHECK_STR(fx_get(&it, 0, "separate"), "true");
	CHECK_STR(fx_get(&it, 0, "mounted"), "(none)");
	tt_items_free(&it);
	RUN_PROBE("mount", &it, "path", "/my dir");
	CHECK_STR(fx_get(&it, 0, "in_fstab"), "true");
	tt_items_free(&it);
	RUN_PROBE("mount", &it, "path", "/var");
	CHECK_STR(fx_get(&it, 0, "separate"), "false");
	tt_items_free(&it);

	RUN_PROBE("package", &it, "name", "openssh-server");
	CHECK_STR(fx_get(&it, 0, "installed"), "true");
	CHECK_STR(fx_get(&it, 0, "version"), "1:9.2p1-2");
	tt_items_free(&it);
	RUN_PROBE("package", &it, "name", "telnet");
	CHECK_STR(fx_get(&it, 0, "installed"), "false");
	tt_items_free(&it);
	RUN_PROBE("package", &it, "name", "sudo");
	CHECK_STR(fx_get(&it, 0, "installed"), "true");
	tt_items_free(&it);

	RUN_PROBE("home_dirs", &it, "what", "home");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 1, "user"), "bob");
	CHECK_STR(fx_get(&it, 1, "exists"), "true");
	CHECK_STR(fx_get(&it, 1, "owner_ok"), "false");
	tt_items_free(&it);
	RUN_PROBE("home_dirs", &it, "what", "netrc");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "mode"), "0600");
	tt_items_free(&it);
	RUN_PROBE("home_dirs", &it, "what", "dotfiles");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 1, "path"), "/home/bob/.profile");
	tt_items_free(&it);
	fx_end();
}

static void
confined_to_root(void)
{
	struct tt_items it;

	fx_begin(false);
	/* An absolute link must resolve inside the root, never the host. */
	fx_link("/etc/real_passwd", "/etc/passwd");
	fx_put("/etc/real_passwd", "inside:x:0:0::/:/bin/sh\n");
	fx_link("../../../../../../etc/os-release", "/etc/ssh/sshd_config");
	RUN_PROBE("accounts", &it, "table", "passwd");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "name"), "inside");
	tt_items_free(&it);
	RUN_PROBE("sshd_config", &it, "key", "ID");
	CHECK_INT(it.n, 0);
	tt_items_free(&it);
	fx_end();
}

/* Interactive users are those with a login shell: listed in the image's
 * /etc/shells (getusershell(3), CIS's audits), not nologin or false;
 * without an /etc/shells, every shell but those two. */
static void
login_shells_from_etc_shells(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "sync:x:5:0:sync:/sbin:/bin/sync\n"
	    "halt:x:7:0:halt:/sbin:/sbin/halt\n"
	    "ann:x:1000:1000::/home/ann:/bin/zsh\n"
	    "svc:x:999:999::/srv:/usr/sbin/nologin\n");
	RUN_PROBE("home_dirs", &it, "what", "home");
	CHECK_INT(it.n, 4); /* no /etc/shells: all but nologin */
	tt_items_free(&it);
	fx_end();

	fx_begin(false);
	fx_put("/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "sync:x:5:0:sync:/sbin:/bin/sync\n"
	    "halt:x:7:0:halt:/sbin:/sbin/halt\n"
	    "ann:x:1000:1000::/home/ann:/bin/zsh\n"
	    "svc:x:999:999::/srv:/usr/sbin/nologin\n");
	fx_put("/etc/shells",
	    "# /etc/shells: valid login shells\n"
	    "/bin/sh\n  /bin/bash  \n/bin/zsh\n/usr/sbin/nologin\n");
	RUN_PROBE("home_dirs", &it, "what", "home");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "user"), "root");
	CHECK_STR(fx_get(&it, 1, "user"), "ann");
	tt_items_free(&it);
	RUN_PROBE("accounts", &it, "table", "passwd");
	CHECK_INT(it.n, 5);
	CHECK_STR(fx_get(&it, 0, "login_shell"), "true");
	CHECK_STR(fx_get(&it, 1, "login_shell"), "false");
	CHECK_STR(fx_get(&it, 2, "login_shell"), "false");
	CHECK_STR(fx_get(&it, 3, "login_shell"), "true");
	CHECK_STR(fx_get(&it, 4, "login_shell"), "false"); /* listed, nologin */
	tt_items_free(&it);
	fx_end();
}

/* Runtime facts come from /proc inside the root: a fixture stands in. */
static void
runtime_facts(void)
{
	struct tt_items it;

	fx_begin(true);
	fx_put("/etc/sysctl.d/10-a.conf", "net.ipv4.ip_forward = 0\n");
	fx_put("/proc/sys/net/ipv4/ip_forward", "1\n");
	fx_put("/proc/sys/net/ipv4/ip_local_port_range", "32768\t60999\n");
	fx_put("/proc/modules",
	    "cramfs 16384 0 - Live 0x0\n"
	    "usb_storage 1 0 - Live 0x0\n");
	fx_put("/proc/self/mountinfo",
	    "22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw\n"
	    "30 22 0:30 / /tmp rw,nosuid,nodev shared:2 - tmpfs tmpfs "
	    "rw,size=100k\n");

	RUN_PROBE("sysctl", &it, "key", "net.ipv4.ip_forward");
	CHECK_STR(fx_get(&it, 0, "value"), "0");
	CHECK_STR(fx_get(&it, 0, "live"), "1");
	tt_items_free(&it);
	RUN_PROBE("sysctl", &it, "key", "net.ipv4.ip_local_port_range");
	CHECK_STR(fx_get(&it, 0, "live"), "32768 60999");
	CHECK_STR(fx_get(&it, 0, "value"), "(none)");
	tt_items_free(&it);
	RUN_PROBE("kernel_module", &it, "module", "usb-storage");
	CHECK_STR(fx_get(&it, 0, "loaded"), "true");
	tt_items_free(&it);
	RUN_PROBE("kernel_module", &it, "module", "udf");
	CHECK_STR(fx_get(&it, 0, "loaded"), "false");
	tt_items_free(&it);
	RUN_PROBE("mount", &it, "path", "/tmp");
	CHECK_STR(fx_get(&it, 0, "in_fstab"), "false");
	CHECK_STR(fx_get(&it, 0, "mounted"), "true");
	CHECK_STR(fx_get(&it, 0, "separate"), "true");
	CHECK_STR(fx_get(&it, 0, "options"), "rw,nosuid,nodev,rw,size=100k");
	tt_items_free(&it);
	fx_end();
}

/* Lines past the limit are skipped, not truncated into false facts. */
static void
long_lines_skipped(void)
{
	struct tt_items it;
	char *big = malloc(TT_PROBE_LINE_MAX + 64);

	fx_begin(false);
	memset(big, 'a', TT_PROBE_LINE_MAX + 10);
	memcpy(big, "PermitRootLogin yes", 19);
	strlcpy(big + TT_PROBE_LINE_MAX + 10, "\nPermitRootLogin no\n", 54);
	fx_put("/etc/ssh/sshd_config", big);
	RUN_PROBE("sshd_config", &it, "key", "PermitRootLogin");
	CHECK_STR(fx_get(&it, 0, "value"), "no");
	CHECK_STR(fx_get(&it, 0, "line"), "2");
	tt_items_free(&it);
	free(big);
	fx_end();
}

static void
params_validated(void)
{
	struct tt_params p = { .probe = tt_probe_find("walk") };
	char err[256];

	CHECK_INT(tt_params_set(&p, "kind", "everything", false, err,
		      sizeof(err)),
	    -EINVAL);
	CHECK_INT(tt_params_set(&p, "knd", "suid", false, err, sizeof(err)),
	    -ENOENT);
	CHECK(strstr(err, "unknown parameter 'knd'") != NULL);
	CHECK_INT(tt_params_check_required(&p, err, sizeof(err)), -EINVAL);
	p.probe = tt_probe_find("file_lines");
	CHECK_INT(tt_params_set(&p, "regex", "(", false, err, sizeof(err)),
	    -EINVAL);
	tt_params_free(&p);
	/* Every probe names its fields and parameters. */
	for (size_t i = 0; tt_probes[i] != NULL; i++) {
		CHECK(tt_probes[i]->fields[0] != NULL);
		CHECK(tt_probes[i]->params[0].name != NULL);
		CHECK(tt_probe_find(tt_probes[i]->name) == tt_probes[i]);
	}
}

/* Issue 14: pam_limits' order, users' start-up files, rsyslog lines of
 * included files, .shosts. */
static void
verdict_semantics(void)
{
	struct tt_items it;

	fx_begin(false);
	fx_put("/etc/security/limits.conf",
	    "# c\n"
	    "*  hard core 0 # trailing comment\n"
	    "alice hard core unlimited\n"
	    "%staff hard core 5\n" /* % counts for maxlogins only */
	    "* soft core 7\n"
	    "* hard nofile 10\n"
	    "bob hard core abc\n"); /* rejected by pam_limits */
	/* C-locale order: B.conf before a.conf. */
	fx_put("/etc/security/limits.d/a.conf", "*\t-\tCORE\tInfinity\n");
	fx_put("/etc/security/limits.d/B.conf", "* hard core 3\n");
	fx_put("/etc/security/limits.d/z.conf.off", "* hard core 9\n");
	RUN_PROBE("limits", &it, "item", "core");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "domain"), "*");
	CHECK_STR(fx_get(&it, 0, "value"), "unlimited");
	CHECK_STR(fx_get(&it, 0, "file"), "/etc/security/limits.d/a.conf");
	CHECK_STR(fx_get(&it, 1, "domain"), "alice");
	CHECK_STR(fx_get(&it, 1, "line"), "3");
	tt_items_free(&it);
	RUN_PROBE("limits", &it, "item", "core", "type", "soft");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "value"), "unlimited");
	tt_items_free(&it);

	/* ~/ is each interactive user's home, wherever it is. */
	fx_put("/etc/passwd",
	    "root:x:0:0::/root:/bin/bash\n"
	    "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	    "eve:x:1001:1001::/srv/eve:/bin/zsh\n"
	    "sys:x:3:3::/home/sys:/bin/false\n");
	fx_put("/root/.bashrc", "umask 022\n");
	fx_put("/srv/eve/.bashrc", "# umask 000\n[ -t 0 ] && umask 002\n");
	fx_put("/srv/eve/.bash_history", "umask 000\n");
	fx_put("/home/sys/.bashrc", "umask 000\n");
	RUN_PROBE("file_lines", &it, "path", "~/.bashrc", "regex", "umask");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "user"), "root");
	CHECK_STR(fx_get(&it, 1, "user"), "eve");
	CHECK_STR(fx_get(&it, 1, "path"), "/srv/eve/.bashrc");
	CHECK_STR(fx_get(&it, 1, "line"), "2");
	tt_items_free(&it);

	fx_put("/srv/eve/.shosts", "+\n");
	RUN_PROBE("home_dirs", &it, "what", "shosts");
	CHECK_INT(it.n, 1);
	CHECK_STR(fx_get(&it, 0, "path"), "/srv/eve/.shosts");
	tt_items_free(&it);

	/* rsyslog: the lines of every file read, includes where they stand. */
	fx_put("/etc/rsyslog.conf",
	    "# module(load=\"imtcp\")\n"
	    "include(file=\"/etc/extra/x.conf\")\n"
	    "$IncludeConfig /etc/rsyslog.d/*.conf\n");
	fx_put("/etc/extra/x.conf", "module(load=\"imudp\")\n");
	fx_put("/etc/rsyslog.d/a.conf", "$ModLoad imtcp\n");
	RUN_PROBE("rsyslog", &it, "regex", "im(tcp|udp)");
	CHECK_INT(it.n, 2);
	CHECK_STR(fx_get(&it, 0, "path"), "/etc/extra/x.conf");
	CHECK_STR(fx_get(&it, 1, "path"), "/etc/rsyslog.d/a.conf");
	tt_items_free(&it);
	fx_end();
}

/* Issue 19: the azure pack's probes. */
static void
azure_probes(void)
{
	struct tt_items it;
	char err[512];

	/* hyperv_drivers: no kernel, no item. */
	fx_begin(false);
	CHECK_INT(fx_run("hyperv_drivers", &it, err, sizeof(err), NULL), 0);
	CHECK(it.n == 0);
	tt_items_free(&it);
	/* Built in by Kconfig (6.1.0-1), by modules.builtin (6.1.0-2),
	 * nothing (6.1.0-3, hv_netvsc only as a module list entry). */
	fx_put("/boot/config-6.1.0-1",
	    "CONFIG_HYPERV=y\nCONFIG_HYPERV_STORAGE=y\n"
	    "# CONFIG_HYPERV_NET is not set\nCONFIG_HYPERV_NET=y\n");
	fx_mkdir("/lib/modules/6.1.0-1");
	fx_put("/lib/modules/6.1.0-2/modules.builtin",
	    "kernel/drivers/hv/hv_vmbus.ko\n"
	    "kernel/drivers/scsi/hv_storvsc.ko\n"
	    "kernel/drivers/net/hyperv/hv_netvsc.ko\n");
	fx_put("/boot/config-6.1.0-3",
	    "CONFIG_HYPERV=m\nCONFIG_HYPERV_STORAGE=m\nCONFIG_HYPERV_NET=m\n");
	fx_mkdir("/lib/modules/6.1.0-3");
	fx_put("/etc/initramfs-tools/modules", "# list\nhv-netvsc opt=1\n");
	CHECK_INT(fx_run("hyperv_drivers", &it, err, sizeof(err), NULL), 0);
	CHECK(it.n == 3);
	CHECK_STR(fx_get(&it, 0, "kernel"), "6.1.0-1");
	CHECK_STR(fx_get(&it, 0, "available"), "true");
	CHECK_STR(fx_get(&it, 0, "builtin"), "hv_vmbus,hv_storvsc,hv_netvsc");
	CHECK_STR(fx_get(&it, 1, "available"), "true");
	CHECK_STR(fx_get(&it, 2, "available"), "false");
	CHECK_STR(fx_get(&it, 2, "initramfs"), "hv_netvsc");
	CHECK_STR(fx_get(&it, 2, "missing"), "hv_vmbus,hv_storvsc");
	tt_items_free(&it);
	/* MODULES=most, the last assignment winning (conf.d after). */
	fx_put("/etc/initramfs-tools/initramfs.conf", "MODULES=dep\n");
	fx_put("/etc/initramfs-tools/conf.d/azure", "MODULES=most\n");
	RUN_PROBE("hyperv_drivers", &it, "kernel", "6.1.0-3");
	CHECK(it.n == 1);
	CHECK_STR(fx_get(&it, 0, "available"), "true");
	CHECK(strstr(fx_get(&it, 0, "source"), "MODULES=most") != NULL);
	tt_items_free(&it);
	fx_put("/etc/initramfs-tools/conf.d/azure", "MODULES=dep\n");
	/* dracut's add_drivers+=, with or without spaces and quotes. */
	fx_put("/etc/dracut.conf.d/azure.conf",
	    "add_drivers+=\" hv_vmbus hv_storvsc \"\n"
	    "force_drivers+=hv_netvsc\n");
	RUN_PROBE("hyperv_drivers", &it, "kernel", "6.1.0-3");
	CHECK_STR(fx_get(&it, 0, "available"), "true");
	tt_items_free(&it);
	fx_put("/etc/dracut.conf.d/azure.conf", "hostonly=\"yes\" # not no\n");
	RUN_PROBE("hyperv_drivers", &it, "kernel", "6.1.0-3");
	CHECK_STR(fx_get(&it, 0, "available"), "false");
	tt_items_free(&it);
	fx_put("/etc/dracut.conf.d/azure.conf", "hostonly=\"no\"\n");
	RUN_PROBE("hyperv_drivers", &it, "kernel", "6.1.0-3");
	CHECK_STR(fx_get(&it, 0, "available"), "true");
	CHECK(strstr(fx_get(&it, 0, "source"), "hostonly=no") != NULL);
	tt_items_free(&it);
	RUN_PROBE("hyperv_drivers", &it, "kernel", "9.9");
	CHECK(it.n == 0);
	tt_items_free(&it);
	fx_end();

	/* pending_updates: Debian lists against the dpkg status. */
	fx_begin(false);
	fx_put("/var/lib/dpkg/status",
	    "Package: openssl\nStatus: install ok installed\n"
	    "Version: 3.0.11-1~deb12u2\n\n"
	    "Package: libc6\nStatus: install ok installed\n"
	    "Version: 2.36-9+deb12u4\n\n"
	    "Package: sudo\nStatus: deinstall ok config-files\n"
	    "Version: 1.9.13p3-1\n\n"
	    "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2+b2\n");
	CHECK(fx_run("pending_updates", &it, err, sizeof(err), NULL) < 0);
	CHECK(strstr(err, "security metadata absent") != NULL);
	tt_items_free(&it);
	fx_put("/var/lib/apt/lists/"
	       "m_debian-security_dists_bookworm-security_main_binary-amd64_"
	       "Packages.lz4",
	    "x");
	CHECK(fx_run("pending_updates", &it, err, sizeof(err), NULL) < 0);
	CHECK(strstr(err, "compressed") != NULL);
	tt_items_free(&it);
	fx_put("/var/lib/apt/lists/"
	       "m_debian-security_dists_bookworm-security_main_binary-amd64_"
	       "Packages",
	    /* openssl newer (~deb12u2 < deb12u3), libc6 the same, sudo
	     * newer but not installed, bash older. */
	    "Package: openssl\nVersion: 3.0.11-1~deb12u3\n\n"
	    "Package: libc6\nVersion: 2.36-9+deb12u4\n\n"
	    "Package: sudo\nVersion: 1.9.13p3-1+deb12u1\n\n"
	    "Package: bash\nVersion: 5.2.15-2\n");
	fx_put("/var/lib/apt/lists/"
	       "m_debian-security_dists_bookworm-security_InRelease",
	    "Origin: Debian\nDate: Fri, 04 Dec 2026 18:00:01 UTC\n");
	CHECK_INT(fx_run("pending_updates", &it, err, sizeof(err), NULL), 0);
	CHECK_STR(fx_get(&it, 0, "pending"), "1");
	CHECK_STR(fx_get(&it, 0, "packages"),
	    "openssl 3.0.11-1~deb12u2 -> 3.0.11-1~deb12u3");
	CHECK_STR(fx_get(&it, 0, "metadata_date"), "2026-12-04T18:00:01Z");
	tt_items_free(&it);
	CHECK(fx_run("pending_updates", &it, err, sizeof(err), "suite", "../x",
		  NULL) < 0);
	tt_items_free(&it);
	fx_end();

	/* The RHEL family: absent dnf metadata, and a zchunk updateinfo
	 * (which libarchive does not read), are errors (the rest:
	 * tests/cli/t0722, with a real rpm database). */
	fx_begin(false);
	fx_put("/var/lib/rpm/rpmdb.sqlite", "");
	CHECK(fx_run("pending_updates", &it, err, sizeof(err), NULL) < 0);
	CHECK(strstr(err, "dnf metadata absent") != NULL);
	tt_items_free(&it);
	fx_put("/var/cache/dnf/baseos-1/repodata/x-updateinfo.xml.zck", "");
	fx_put("/var/cache/dnf/baseos-1/repodata/repomd.xml",
	    "<repomd><data type=\"updateinfo\"><location "
	    "href=\"repodata/x-updateinfo.xml.zck\"/></data></repomd>\n");
	CHECK(fx_run("pending_updates", &it, err, sizeof(err), NULL) < 0);
	CHECK(strstr(err, "dnf metadata unreadable") != NULL);
	CHECK(strstr(err, "zchunk") != NULL);
	tt_items_free(&it);
	fx_end();

	/* required_agents: none by default; each missing one named. */
	fx_begin(false);
	fx_put("/var/lib/dpkg/status",
	    "Package: azuremonitoragent\nStatus: install ok installed\n"
	    "Version: 1.30\n");
	fx_put("/usr/lib/systemd/system/azuremonitoragent.service", "[Unit]\n");
	CHECK_INT(fx_run("required_agents", &it, err, sizeof(err), NULL), 0);
	CHECK_STR(fx_get(&it, 0, "required"), "none required");
	CHECK_STR(fx_get(&it, 0, "missing"), "");
	tt_items_free(&it);
	RUN_PROBE("required_agents", &it, "packages",
	    "azuremonitoragent, mdatp", "units", "azuremonitoragent.service");
	CHECK_STR(fx_get(&it, 0, "missing"),
	    "package mdatp, unit azuremonitoragent.service");
	tt_items_free(&it);
	fx_link("/usr/lib/systemd/system/azuremonitoragent.service",
	    "/etc/systemd/system/multi-user.target.wants/"
	    "azuremonitoragent.service");
	RUN_PROBE("required_agents", &it, "packages", "azuremonitoragent",
	    "units", "azuremonitoragent.service");
	CHECK_STR(fx_get(&it, 0, "missing"), "");
	tt_items_free(&it);
	fx_end();
}

int
main(void)
{
	RUN(sshd_include_match_and_first_wins);
	RUN(sshd_missing_file);
	RUN(sysctl_precedence);
	RUN(kernel_module_modprobe);
	RUN(accounts_malformed_and_duplicates);
	RUN(login_shells_from_etc_shells);
	RUN(units_masked_vs_disabled);
	RUN(kv_probes);
	RUN(sudoers_includes);
	RUN(include_loops_and_budget);
	RUN(pam_stack);
	RUN(files_and_lines);
	RUN(walk_shared_once);
	RUN(mount_and_package_and_home);
	RUN(confined_to_root);
	RUN(runtime_facts);
	RUN(long_lines_skipped);
	RUN(params_validated);
	RUN(verdict_semantics);
	RUN(azure_probes);
	TEST_EXIT();
}
