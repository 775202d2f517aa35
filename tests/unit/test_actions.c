#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "actions.h"
#include "fileio.h"
#include "tt_test.h"

static char *dir;
static struct tt_root root;

static void
put(const char *rel, const char *text, mode_t mode)
{
	char path[1024], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	slash = strrchr(path, '/');
	*slash = '\0';
	tt_root_mkdir_p(&root, rel[0] ? path + strlen(dir) : "/", 0755);
	*slash = '/';
	f = fopen(path, "w");
	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static char *
get(const char *rel)
{
	struct tt_buf b;

	if (tt_read_file(&root, rel, 1 << 20, &b) < 0)
		return NULL;
	return tt_buf_steal(&b);
}

/* Plans one action, applies the plan, and checks that planning it again
 * finds nothing to do. */
static int
run(const char *action, const char *params_json, char *err, size_t errlen)
{
	const struct tt_action *a = tt_action_find(action);
	json_object *params = json_tokener_parse(params_json);
	struct tt_plan plan;
	int r;

	CHECK(a != NULL);
	CHECK(params != NULL);
	tt_plan_init(&plan, &root);
	r = a->plan(&plan, "test_rule", params, err, errlen);
	for (size_t i = 0; r == 0 && i < plan.n; i++)
		r = tt_plan_apply_change(&root, &plan.v[i]);
	tt_plan_free(&plan);
	if (r == 0) {
		tt_plan_init(&plan, &root);
		CHECK_INT(a->plan(&plan, "test_rule", params, err, errlen), 0);
		if (plan.n != 0)
			fprintf(stderr, "# %s not idempotent: %s\n", action,
			    plan.v[0].path);
		CHECK_INT(plan.n, 0);
		tt_plan_free(&plan);
	}
	json_object_put(params);
	return r;
}

static void
check_file(const char *rel, const char *want)
{
	char *got = get(rel);

	CHECK_STR(got, want);
	free(got);
}

static void
test_sshd_dropin_and_inplace(void)
{
	char err[256];

	put("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/*.conf\n"
	    "PermitRootLogin yes\n", 0644);
	put("/etc/ssh/sshd_config.d/50-cloud-init.conf",
	    "PasswordAuthentication yes\n", 0644);
	put("/etc/ssh/sshd_config.d/00-early.conf", "MaxAuthTries 10\n", 0644);
	CHECK_INT(run("sshd_set", "{\"key\":\"MaxAuthTries\",\"value\":\"4\"}",
	    err, sizeof(err)), 0);
	check_file("/etc/ssh/sshd_config.d/00-tattoo-hardening.conf",
	    "MaxAuthTries 4\n");
	check_file("/etc/ssh/sshd_config.d/00-early.conf",
	    "# tattoo: MaxAuthTries 10\n");
	/* The main file sets it before the Include?  No: after, so the
	 * drop-in (included first) wins; the main file is untouched. */
	CHECK_INT(run("sshd_set", "{\"key\":\"PermitRootLogin\",\"value\":"
	    "\"no\"}", err, sizeof(err)), 0);
	check_file("/etc/ssh/sshd_config", "Include /etc/ssh/sshd_config.d/"
	    "*.conf\nPermitRootLogin yes\n");
	/* Without an Include first, the main file is edited in place. */
	put("/etc/ssh/sshd_config", "Port 22\nX11Forwarding yes\n"
	    "Match User x\n  X11Forwarding yes\n", 0600);
	CHECK_INT(run("sshd_set", "{\"key\":\"X11Forwarding\",\"value\":"
	    "\"no\"}", err, sizeof(err)), 0);
	check_file("/etc/ssh/sshd_config", "Port 22\nX11Forwarding no\n"
	    "Match User x\n  X11Forwarding yes\n");
}

static void
test_sysctl_modprobe(void)
{
	char err[256];

	put("/etc/sysctl.conf", "net.ipv4.ip_forward=1\n"
	    "net/ipv4/ip_forward = 1\n", 0644);
	CHECK_INT(run("sysctl_set", "{\"key\":\"net.ipv4.ip_forward\","
	    "\"value\":\"0\"}", err, sizeof(err)), 0);
	check_file("/etc/sysctl.d/zz-tattoo-hardening.conf",
	    "net.ipv4.ip_forward = 0\n");
	check_file("/etc/sysctl.conf", "# tattoo: net.ipv4.ip_forward=1\n"
	    "# tattoo: net/ipv4/ip_forward = 1\n");
	CHECK_INT(run("modprobe_disable", "{\"module\":\"cramfs\"}", err,
	    sizeof(err)), 0);
	check_file("/etc/modprobe.d/tattoo-cramfs.conf", "# written by tattoo "
	    "harden\ninstall cramfs /bin/false\nblacklist cramfs\n");
	CHECK(run("modprobe_disable", "{\"module\":\"../x\"}", err,
	    sizeof(err)) < 0);
}

static void
test_pam_module_confs(void)
{
	char err[256];

	put("/etc/security/pwquality.conf", "# minlen = 8\n", 0644);
	put("/etc/security/pwquality.conf.d/10.conf", "minlen = 6\n", 0644);
	CHECK_INT(run("pwquality_set", "{\"key\":\"minlen\",\"value\":\"14\"}",
	    err, sizeof(err)), 0);
	check_file("/etc/security/pwquality.conf", "# minlen = 8\n"
	    "minlen = 14\n");
	check_file("/etc/security/pwquality.conf.d/10.conf",
	    "# tattoo: minlen = 6\n");
	put("/etc/security/faillock.conf", "# deny = 3\n", 0644);
	CHECK_INT(run("faillock_set", "{\"key\":\"even_deny_root\","
	    "\"value\":\"true\"}", err, sizeof(err)), 0);
	CHECK_INT(run("faillock_set", "{\"key\":\"deny\",\"value\":\"5\"}",
	    err, sizeof(err)), 0);
	check_file("/etc/security/faillock.conf", "# deny = 3\n"
	    "even_deny_root\ndeny = 5\n");
	put("/etc/login.defs", "PASS_MAX_DAYS\t99999\n", 0644);
	CHECK_INT(run("login_defs_set", "{\"key\":\"PASS_MAX_DAYS\",\"value\":"
	    "\"365\"}", err, sizeof(err)), 0);
	check_file("/etc/login.defs", "PASS_MAX_DAYS\t365\n");
	CHECK_INT(run("journald_set", "{\"key\":\"Storage\",\"value\":"
	    "\"persistent\"}", err, sizeof(err)), 0);
	check_file("/etc/systemd/journald.conf.d/zz-tattoo-hardening.conf",
	    "[Journal]\nStorage=persistent\n");
}

static void
test_files_and_modes(void)
{
	char err[256], path[1024], host[1024];
	struct stat st;

	put("/etc/crontab", "# cron\n", 0666);
	CHECK_INT(run("file_mode", "{\"path\":\"/etc/crontab\",\"mode\":"
	    "\"0600\",\"owner\":\"root\",\"group\":\"root\"}", err,
	    sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/etc/crontab", dir);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	/* A symlink to a host path is never followed. */
	snprintf(host, sizeof(host), "%s-host", dir);
	put("/etc/real", "x", 0644);
	{
		FILE *f = fopen(host, "w");
		fputs("host", f);
		fclose(f);
		chmod(host, 0666);
	}
	snprintf(path, sizeof(path), "%s/etc/hostlink", dir);
	CHECK_INT(symlink(host, path), 0);
	CHECK_INT(run("file_mode", "{\"path\":\"/etc/hostlink\",\"mode\":"
	    "\"0600\"}", err, sizeof(err)), 0);
	CHECK_INT(stat(host, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0666);
	unlink(host);
	CHECK(run("file_mode", "{\"path\":\"/etc/crontab\",\"mode\":\"0600\","
	    "\"owner\":\"nobody-here\"}", err, sizeof(err)) < 0);
	CHECK(strstr(err, "nobody-here") != NULL);

	put("/etc/issue", "Debian \\n \\l\n", 0644);
	CHECK_INT(run("file_content", "{\"path\":\"/etc/issue\",\"content\":"
	    "\"Authorized use only.\\n\"}", err, sizeof(err)), 0);
	check_file("/etc/issue", "Authorized use only.\n");
	put("/etc/hosts.equiv", "+\n", 0644);
	CHECK_INT(run("file_absent", "{\"path\":\"/etc/hosts.equiv\"}", err,
	    sizeof(err)), 0);
	CHECK(get("/etc/hosts.equiv") == NULL);
	put("/etc/bash.bashrc", "umask 022\nalias x=y\n", 0644);
	CHECK_INT(run("line_present", "{\"path\":\"/etc/bash.bashrc\","
	    "\"line\":\"umask 027\",\"regex\":\"^[[:space:]]*umask\"}", err,
	    sizeof(err)), 0);
	check_file("/etc/bash.bashrc", "umask 027\nalias x=y\n");
	CHECK_INT(run("line_absent", "{\"path\":\"/etc/bash.bashrc\","
	    "\"regex\":\"^alias\"}", err, sizeof(err)), 0);
	check_file("/etc/bash.bashrc", "umask 027\n");
}

static void
test_fstab(void)
{
	char err[256];

	put("/etc/fstab", "# <fs> <mp>\nUUID=1 / ext4 errors=remount-ro 0 1\n"
	    "tmpfs /tmp tmpfs defaults 0 0\n", 0644);
	CHECK_INT(run("mount_option", "{\"path\":\"/tmp\",\"option\":"
	    "\"nosuid\"}", err, sizeof(err)), 0);
	CHECK_INT(run("mount_option", "{\"path\":\"/tmp\",\"option\":"
	    "\"nodev\"}", err, sizeof(err)), 0);
	check_file("/etc/fstab", "# <fs> <mp>\nUUID=1 / ext4 errors=remount-ro "
	    "0 1\ntmpfs\t/tmp\ttmpfs\tdefaults,nosuid,nodev\t0\t0\n");
	CHECK_INT(run("mount_option", "{\"path\":\"/var/tmp\",\"option\":"
	    "\"nodev\"}", err, sizeof(err)), -ENOENT);
	CHECK(strstr(err, "/var/tmp") != NULL);
}

static void
test_units(void)
{
	char err[256], path[1024], link[1024];
	ssize_t n;

	put("/usr/lib/systemd/system/avahi-daemon.service",
	    "[Unit]\nDescription=x\n[Install]\nWantedBy=multi-user.target\n",
	    0644);
	CHECK_INT(run("unit_enable", "{\"unit\":\"avahi-daemon.service\"}",
	    err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/etc/systemd/system/multi-user.target."
	    "wants/avahi-daemon.service", dir);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n > 0);
	CHECK_INT(run("unit_disable", "{\"unit\":\"avahi-daemon.service\"}",
	    err, sizeof(err)), 0);
	CHECK(readlink(path, link, sizeof(link)) < 0);
	CHECK_INT(run("unit_mask", "{\"unit\":\"avahi-daemon.service\"}", err,
	    sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/etc/systemd/system/"
	    "avahi-daemon.service", dir);
	n = readlink(path, link, sizeof(link) - 1);
	CHECK(n == 9 && memcmp(link, "/dev/null", 9) == 0);
}

static void
test_accounts(void)
{
	char err[256];

	put("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"
	    "daemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"
	    "alice:x:1000:1000::/home/alice:/bin/bash\n", 0644);
	put("/etc/shadow", "root:$y$abc:19000:0:99999:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n"
	    "alice:$y$def:19000:0:99999:7:::\n", 0640);
	CHECK_INT(run("account_field", "{\"table\":\"shadow\",\"field\":"
	    "\"max\",\"value\":\"365\",\"where\":[{\"field\":\"password\","
	    "\"op\":\"eq\",\"value\":\"hash\"}]}", err, sizeof(err)), 0);
	check_file("/etc/shadow", "root:$y$abc:19000:0:365:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n"
	    "alice:$y$def:19000:0:365:7:::\n");
	CHECK_INT(run("account_lock", "{\"user\":\"alice\"}", err,
	    sizeof(err)), 0);
	check_file("/etc/shadow", "root:$y$abc:19000:0:365:7:::\n"
	    "daemon:*:19000:0:99999:7:::\n"
	    "alice:!$y$def:19000:0:365:7:::\n");
	CHECK(run("account_field", "{\"table\":\"passwd\",\"field\":\"uid\","
	    "\"value\":\"0\"}", err, sizeof(err)) < 0);
}

static void
test_grub_sudo_pam_rsyslog(void)
{
	char err[256];

	put("/etc/default/grub", "GRUB_TIMEOUT=5\nGRUB_CMDLINE_LINUX=\"quiet "
	    "audit=0\"\n", 0644);
	put("/boot/grub/grub.cfg", "menuentry 'x' {\n\tlinux\t/vmlinuz-6 "
	    "root=UUID=1 ro quiet\n\tinitrd /initrd\n}\n", 0444);
	CHECK_INT(run("grub_cmdline_arg", "{\"arg\":\"audit\",\"value\":\"1\"}",
	    err, sizeof(err)), 0);
	check_file("/etc/default/grub", "GRUB_TIMEOUT=5\n"
	    "GRUB_CMDLINE_LINUX=\"quiet audit=1\"\n");
	check_file("/boot/grub/grub.cfg", "menuentry 'x' {\n\tlinux\t/vmlinuz-6"
	    " root=UUID=1 ro quiet audit=1\n\tinitrd /initrd\n}\n");
	put("/etc/sudoers", "Defaults env_reset\n@includedir /etc/sudoers.d\n",
	    0440);
	CHECK_INT(run("sudoers_defaults", "{\"key\":\"use_pty\"}", err,
	    sizeof(err)), 0);
	CHECK_INT(run("sudoers_defaults", "{\"key\":\"logfile\",\"value\":"
	    "\"/var/log/sudo.log\"}", err, sizeof(err)), 0);
	check_file("/etc/sudoers.d/tattoo-hardening", "Defaults use_pty\n"
	    "Defaults logfile=\"/var/log/sudo.log\"\n");
	put("/etc/pam.d/common-password", "password [success=1 default=ignore]"
	    " pam_unix.so obscure yescrypt\n", 0644);
	CHECK_INT(run("pam_module_arg", "{\"service\":\"common-password\","
	    "\"type\":\"password\",\"module\":\"pam_unix.so\",\"arg\":"
	    "\"remember\",\"value\":\"5\"}", err, sizeof(err)), 0);
	check_file("/etc/pam.d/common-password", "password [success=1 "
	    "default=ignore] pam_unix.so obscure yescrypt remember=5\n");
	put("/etc/rsyslog.conf", "*.* /var/log/syslog\n", 0644);
	CHECK_INT(run("rsyslog_set", "{\"key\":\"$FileCreateMode\",\"value\":"
	    "\"0640\"}", err, sizeof(err)), 0);
	check_file("/etc/rsyslog.conf", "$FileCreateMode 0640\n"
	    "*.* /var/log/syslog\n");
}

/* issue 14: the option goes, the line stays; pam-configs stanzas by type. */
static void
test_pam_option_absent(void)
{
	char err[256];

	put("/etc/pam.d/common-auth",
	    "auth\t[success=1 default=ignore]\tpam_unix.so nullok\n"
	    "auth\trequisite\tpam_deny.so\n",
	    0644);
	put("/etc/pam.d/common-session", "session required pam_unix.so\n",
	    0644);
	put("/usr/share/pam-configs/unix",
	    "Name: Unix\nAuth-Type: Primary\nAuth:\n"
	    "\t[success=end default=ignore]\tpam_unix.so nullok "
	    "try_first_pass\nAuth-Initial:\n"
	    "\t[success=end default=ignore]\tpam_unix.so nullok\n"
	    "Password:\n\t[success=end default=ignore]\tpam_unix.so "
	    "obscure\nPassword-Initial:\n"
	    "\t[success=end default=ignore]\tpam_unix.so obscure\n",
	    0644);
	CHECK_INT(run("pam_module_arg_absent",
		      "{\"service\":\"common-*\",\"module\":"
		      "\"pam_unix.so\",\"arg\":\"nullok\"}",
		      err, sizeof(err)),
	    0);
	check_file("/etc/pam.d/common-auth",
	    "auth\t[success=1 default=ignore]\tpam_unix.so\n"
	    "auth\trequisite\tpam_deny.so\n");
	check_file("/etc/pam.d/common-session",
	    "session required pam_unix.so\n");
	put("/etc/pam.d/common-password",
	    "password requisite pam_pwquality.so\n"
	    "password [success=1 default=ignore] pam_unix.so obscure\n",
	    0644);
	CHECK_INT(run("pam_module_arg",
		      "{\"service\":\"common-password\",\"type\":"
		      "\"password\",\"module\":\"pam_unix.so\",\"arg\":"
		      "\"use_authtok\"}",
		      err, sizeof(err)),
	    0);
	check_file("/usr/share/pam-configs/unix",
	    "Name: Unix\nAuth-Type: Primary\nAuth:\n"
	    "\t[success=end default=ignore]\tpam_unix.so try_first_pass\n"
	    "Auth-Initial:\n\t[success=end default=ignore]\tpam_unix.so\n"
	    "Password:\n\t[success=end default=ignore]\tpam_unix.so "
	    "obscure use_authtok\nPassword-Initial:\n"
	    "\t[success=end default=ignore]\tpam_unix.so obscure\n");
	/* pam_unix first of its type: use_authtok refused. */
	put("/etc/pam.d/common-password",
	    "password [success=1 default=ignore] pam_unix.so obscure\n", 0644);
	CHECK(run("pam_module_arg",
		  "{\"service\":\"common-password\",\"type\":"
		  "\"password\",\"module\":\"pam_unix.so\",\"arg\":"
		  "\"use_authtok\"}",
		  err, sizeof(err)) < 0);
	CHECK(strstr(err, "first") != NULL);
}

static void
test_validation(void)
{
	CHECK(tt_action_find("nope") == NULL);
}

int
main(void)
{
	dir = tt_test_tmpdir();
	if (tt_root_init(&root, dir) < 0)
		return 2;
	put("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n", 0644);
	put("/etc/group", "root:x:0:\n", 0644);
	RUN(test_sshd_dropin_and_inplace);
	RUN(test_sysctl_modprobe);
	RUN(test_pam_module_confs);
	RUN(test_pam_option_absent);
	RUN(test_files_and_modes);
	RUN(test_fstab);
	RUN(test_units);
	RUN(test_accounts);
	RUN(test_grub_sudo_pam_rsyslog);
	RUN(test_validation);
	tt_root_close(&root);
	tt_test_rmtree(dir);
	free(dir);
	TEST_EXIT();
}
