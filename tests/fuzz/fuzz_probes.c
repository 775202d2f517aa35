/*
 * The configuration formats the probes read (sshd_config with Include,
 * sysctl.d, modprobe.d, passwd/shadow/group, login.defs, journald, sudoers,
 * PAM, fstab and mountinfo, dpkg status, GRUB): the first byte chooses the file, the
 * rest is its content in a fixture root, and the probes that read it run
 * over it.  Properties: a probe returns items or an error with a message,
 * never crashes, hangs or leaks (ASan, libFuzzer's timeout).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "probe.h"
#include "rootfs.h"
#include "tt.h"

struct target {
	const char *file;
	const char *probe;
	const char *param, *value;
	bool runtime; /* a live system's view (/proc) */
};

static const struct target targets[] = {
	{ "/etc/ssh/sshd_config", "sshd_config", "key", "PermitRootLogin",
	    false },
	{ "/etc/ssh/sshd_config.d/a.conf", "sshd_config", "key", "Banner",
	    false },
	{ "/etc/sysctl.d/a.conf", "sysctl", "key", "net.ipv4.ip_forward",
	    false },
	{ "/etc/modprobe.d/a.conf", "kernel_module", "module", "cramfs",
	    false },
	{ "/etc/passwd", "accounts", "table", "passwd", false },
	{ "/etc/shadow", "accounts", "table", "shadow", false },
	{ "/etc/group", "account_duplicates", "table", "group", false },
	{ "/etc/login.defs", "login_defs", "key", "PASS_MAX_DAYS", false },
	{ "/etc/systemd/journald.conf", "journald", "key", "Storage", false },
	{ "/etc/sudoers", "sudoers", "key", "use_pty", false },
	{ "/etc/pam.d/common-auth", "pam", "service", "common-auth", false },
	{ "/etc/fstab", "mount", "path", "/tmp", false },
	{ "/var/lib/dpkg/status", "package", "name", "openssh-server", false },
	{ "/boot/grub/grub.cfg", "grub_cmdline", "arg", "audit", false },
	{ "/etc/rsyslog.conf", "rsyslog", "key", "$FileCreateMode", false },
	{ "/etc/rsyslog.conf", "rsyslog", "regex", "im(tcp|udp)", false },
	{ "/etc/security/limits.conf", "limits", "item", "core", false },
	{ "/etc/nftables.conf", "nftables", "path", "/etc/nftables.conf",
	    false },
	{ "/proc/self/mountinfo", "mount", "path", "/tmp", true },
};

static char dir[] = "/tmp/tattoo-fuzz-probes-XXXXXX";
static struct tt_root root;

static void
put(const char *rel, const uint8_t *data, size_t size)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	for (char *p = path + strlen(dir) + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			mkdir(path, 0755);
			*p = '/';
		}
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		abort();
	if (size > 0 && write(fd, data, size) < 0)
		abort();
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	const struct target *t;
	struct tt_params p = { 0 };
	struct tt_items items = { 0 };
	struct tt_audit a;
	char err[512] = "";

	if (!ready) {
		if (mkdtemp(dir) == NULL || tt_root_init(&root, dir) < 0)
			abort();
		/* Include and @include point back at files the input fills. */
		put("/etc/ssh/sshd_config.d/b.conf",
		    (const uint8_t *)"Include a.conf\n", 15);
		ready = true;
	}
	if (size < 1)
		return 0;
	t = &targets[data[0] % TT_ARRAY_SIZE(targets)];
	put(t->file, data + 1, size - 1);
	p.probe = tt_probe_find(t->probe);
	FUZZ_ASSERT(p.probe != NULL);
	FUZZ_ASSERT(tt_params_set(&p, t->param, t->value, false, err,
			sizeof(err)) == 0);
	tt_audit_init(&a, &root, t->runtime);
	if (p.probe->run(&a, &p, &items, err, sizeof(err)) < 0)
		FUZZ_ASSERT(FUZZ_TERMINATED(err) && err[0] != '\0');
	tt_items_free(&items);
	tt_audit_free(&a);
	tt_params_free(&p);
	return 0;
}
