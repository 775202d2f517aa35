/*
 * The include expanders (issue 13): PAM @include/include/substack, rsyslog
 * $IncludeConfig and include(), sshd Include and sudoers #include and
 * #includedir, and the globs under them.  The input builds a small tree of
 * include files in a fresh root: NUL-separated entries, each a byte
 * choosing one of sixteen paths (low 4 bits) and what to put there (bits
 * 4-5: a file whose content is the rest of the entry, a symlink whose
 * target it is, or a directory).  The four probes then run in one audit
 * with a small budget, and tt_root_glob over the tree.
 *
 * Properties: every probe returns items or an error with a message; a loop
 * (-ELOOP) says "loop", "nested" or "too deep" (or is a symlink loop)
 * and names a file; the budget is never
 * spent past its limits; globs end (libFuzzer's timeout catches a hang)
 * with matches inside the pattern's directories.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "probe.h"
#include "rootfs.h"
#include "util.h"
#include "tt.h"

static const char *const names[16] = {
	"/etc/pam.d/a",
	"/etc/pam.d/b",
	"/etc/pam.d/c",
	"/etc/pam.d/sub",
	"/etc/ssh/sshd_config",
	"/etc/ssh/sshd_config.d/a.conf",
	"/etc/ssh/sshd_config.d/b.conf",
	"/etc/ssh/sshd_config.d/sub",
	"/etc/rsyslog.conf",
	"/etc/rsyslog.d/a.conf",
	"/etc/rsyslog.d/b.conf",
	"/etc/rsyslog.d/sub",
	"/etc/sudoers",
	"/etc/sudoers.d/a",
	"/etc/sudoers.d/b",
	"/etc/sudoers.d/sub",
};

struct call {
	const char *probe, *param, *value;
};

static const struct call calls[] = {
	{ "pam", "service", "a" },
	{ "sshd_config", "key", "PermitRootLogin" },
	{ "rsyslog", "key", "$FileCreateMode" },
	{ "sudoers", "key", "use_pty" },
};

/* A tree is made and removed per input: on /dev/shm where it exists. */
static char base[64];

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* mkdir -p of path's parents (inside dir); failures are left to the
 * open or symlink that follows. */
static void
parents(char *path, size_t skip)
{
	for (char *p = path + skip + 1; *p; p++) {
		if (*p == '/') {
			*p = '\0';
			(void)mkdir(path, 0755);
			*p = '/';
		}
	}
}

static void
entry(const char *dir, const uint8_t *e, size_t len)
{
	char path[PATH_MAX], target[256];
	int fd;

	if (len == 0)
		return;
	snprintf(path, sizeof(path), "%s%s", dir, names[e[0] & 15]);
	parents(path, strlen(dir));
	switch ((e[0] >> 4) & 3) {
	case 1:
		snprintf(target, sizeof(target), "%.*s",
		    (int)(len - 1 < 255 ? len - 1 : 255), (const char *)e + 1);
		(void)symlink(target, path);
		break;
	case 2: (void)mkdir(path, 0755); break;
	default:
		fd =
		    open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, 0644);
		if (fd < 0)
			break;
		if (len > 1 && write(fd, e + 1, len - 1) < 0)
			abort();
		close(fd);
		break;
	}
}

static void
check_glob(const struct tt_root *root, const char *pattern)
{
	struct tt_strv g = { 0 };
	int r = tt_root_glob(root, pattern, &g);

	FUZZ_ASSERT(r <= 0);
	for (size_t i = 0; i < g.n; i++)
		FUZZ_ASSERT(strncmp(g.v[i], "/etc/", 5) == 0);
	tt_strv_free(&g);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static unsigned long n;
	struct tt_root root;
	struct tt_audit a;
	char dir[PATH_MAX];
	const uint8_t *p = data, *end = data + size;

	if (!ready) {
		strlcpy(base,
		    access("/dev/shm", W_OK) == 0 ?
			"/dev/shm/tattoo-fuzz-includes-XXXXXX" :
			"/tmp/tattoo-fuzz-includes-XXXXXX",
		    sizeof(base));
		if (mkdtemp(base) == NULL)
			abort();
		ready = true;
	}
	snprintf(dir, sizeof(dir), "%s/%lu", base, n++);
	if (mkdir(dir, 0755) < 0)
		abort();
	while (p < end) {
		const uint8_t *z = memchr(p, '\0', (size_t)(end - p));
		size_t len = z ? (size_t)(z - p) : (size_t)(end - p);

		entry(dir, p, len);
		p += len + 1;
	}
	if (tt_root_init(&root, dir) < 0)
		abort();
	tt_audit_init(&a, &root, false);
	/* Small limits, so the fuzzer crosses them often. */
	a.budget.max_files = 64;
	a.budget.max_bytes = 256 * 1024;
	a.budget.max_lines = 4096;
	a.budget.max_glob_dirs = 256;
	a.budget.max_glob_matches = 256;
	for (size_t i = 0; i < TT_ARRAY_SIZE(calls); i++) {
		struct tt_params prm = { 0 };
		struct tt_items items = { 0 };
		char err[512] = "";
		int r;

		prm.probe = tt_probe_find(calls[i].probe);
		FUZZ_ASSERT(prm.probe != NULL);
		FUZZ_ASSERT(tt_params_set(&prm, calls[i].param, calls[i].value,
				false, err, sizeof(err)) == 0);
		r = prm.probe->run(&a, &prm, &items, err, sizeof(err));
		if (r < 0)
			FUZZ_ASSERT(FUZZ_TERMINATED(err) && err[0] != '\0');
		if (r == -ELOOP)
			FUZZ_ASSERT(strstr(err, "loop") != NULL ||
			    strstr(err, "nested") != NULL ||
			    strstr(err, "too deep") != NULL ||
			    strstr(err, "symbolic links") != NULL);
		if (r == -ELOOP || r == -ETIMEDOUT)
			FUZZ_ASSERT(strstr(err, "'/") != NULL);
		tt_items_free(&items);
		tt_params_free(&prm);
	}
	FUZZ_ASSERT(a.budget.files <= a.budget.max_files);
	FUZZ_ASSERT(a.budget.bytes <= a.budget.max_bytes);
	FUZZ_ASSERT(a.budget.lines <= a.budget.max_lines);
	FUZZ_ASSERT(a.budget.glob_dirs <= a.budget.max_glob_dirs);
	FUZZ_ASSERT(a.budget.glob_matches <= a.budget.max_glob_matches);
	tt_audit_free(&a);
	/* Globs without an audit (harden's) are bounded on their own. */
	check_glob(&root, "/etc/*/*/*/*.conf");
	check_glob(&root, "/etc/*.d/*/*/*/*");
	tt_root_close(&root);
	(void)nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return 0;
}
