/*
 * Path resolution inside an image root (--root): tt_root_open over
 * arbitrary paths in a fixed tree full of hostile symlinks (absolute,
 * "..", loops, chains, links out of the root).  Properties: whatever
 * opens is inside the root, never the directory beside it; and the
 * hand-written fallback resolver agrees with openat2(RESOLVE_IN_ROOT) on
 * success or failure and on the file it opens.
 */
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "rootfs.h"
#include "tt.h"

static char top[64], rootdir[128];
static struct tt_root root;
static struct stat outside;

int LLVMFuzzerInitialize(int *argc, char ***argv);

static void
mk(const char *kind, const char *path, const char *target)
{
	char p[256];

	snprintf(p, sizeof(p), "%s/%s", top, path);
	if (kind[0] == 'd')
		FUZZ_ASSERT(mkdir(p, 0755) == 0);
	else if (kind[0] == 'f')
		FUZZ_ASSERT(close(open(p, O_WRONLY | O_CREAT, 0644)) == 0);
	else
		FUZZ_ASSERT(symlink(target, p) == 0);
}

static int
remove_one(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	(void)remove(path); /* best effort: a temporary tree */
	return 0;
}

static void
remove_tree(void)
{
	tt_root_close(&root);
	nftw(top, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char p[160];

	(void)argc;
	(void)argv;
	strlcpy(top, access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm/tattoo-fuzzroot-XXXXXX" : "/tmp/tattoo-fuzzroot-XXXXXX",
	    sizeof(top));
	FUZZ_ASSERT(mkdtemp(top) != NULL);
	atexit(remove_tree);
	mk("d", "outside", NULL);
	mk("f", "outside/secret", NULL);
	mk("d", "r", NULL);
	mk("d", "r/etc", NULL);
	mk("d", "r/etc/tattoo", NULL);
	mk("f", "r/etc/tattoo/tattoo.json", NULL);
	mk("f", "r/etc/os-release", NULL);
	mk("d", "r/a", NULL);
	mk("d", "r/a/b", NULL);
	mk("f", "r/a/b/f", NULL);
	mk("l", "r/abs", "/a/b");
	mk("l", "r/up", "../../../..");
	mk("l", "r/out", "../outside/secret");
	mk("l", "r/outabs", "/../outside");
	mk("l", "r/loop", "loop");
	mk("l", "r/a/b/back", "../../a");
	mk("l", "r/a/chain1", "chain2");
	mk("l", "r/a/chain2", "/etc/tattoo/tattoo.json");
	mk("l", "r/a/dangling", "/nonexistent/x");
	mk("l", "r/a/dotdot", "..");
	mk("l", "r/etc/passwd", "/etc/../etc/os-release");
	snprintf(p, sizeof(p), "%s/outside", top);
	FUZZ_ASSERT(stat(p, &outside) == 0);
	snprintf(rootdir, sizeof(rootdir), "%s/r", top);
	FUZZ_ASSERT(tt_root_init(&root, rootdir) == 0);
	return 0;
}

/* True when fd is not "outside" nor anything under it: everything there
 * has outside's device and an inode we can reach by walking up. */
static bool
escaped(int fd)
{
	char proc[64], real[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, real, sizeof(real) - 1);
	if (n < 0)
		return false; /* no /proc: the differential check remains */
	real[n] = '\0';
	return strncmp(real, rootdir, strlen(rootdir)) != 0 ||
	    (real[strlen(rootdir)] != '\0' && real[strlen(rootdir)] != '/');
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[512];
	struct stat a, b;
	int fa, fb;

	if (size == 0 || size >= sizeof(path) ||
	    memchr(data, '\0', size) != NULL)
		return 0;
	memcpy(path, data, size);
	path[size] = '\0';

	tt_root_force_fallback = false;
	fa = tt_root_open(&root, path, O_PATH, 0);
	tt_root_force_fallback = true;
	fb = tt_root_open(&root, path, O_PATH, 0);
	tt_root_force_fallback = false;
	if (fa >= 0)
		FUZZ_ASSERT(!escaped(fa));
	if (fb >= 0)
		FUZZ_ASSERT(!escaped(fb));
	/* openat2 and the fallback must agree. */
	FUZZ_ASSERT((fa >= 0) == (fb >= 0));
	if (fa >= 0) {
		FUZZ_ASSERT(fstat(fa, &a) == 0 && fstat(fb, &b) == 0);
		FUZZ_ASSERT(a.st_dev == b.st_dev && a.st_ino == b.st_ino);
		FUZZ_ASSERT(a.st_ino != outside.st_ino);
		close(fa);
		close(fb);
	} else {
		FUZZ_ASSERT(fa == fb);
	}
	return 0;
}
