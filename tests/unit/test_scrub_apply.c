/*
 * scrub --apply's removal walk (hardening/scrub/scrub_apply.c): it goes by
 * directory descriptors, never through a symlink (a symlink is unlinked,
 * the directory it names is left as it was), never onto another mount,
 * and a leftover whose path changed since the scan is left with a reason
 * that names where.
 */
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "journal.h"
#include "scrub/scrub_apply.h"
#include "scrub/scrub_catalog.h"
#include "scrub/scrub_walk.h"
#include "tt.h"
#include "tt_test.h"

static char *top; /* holds root/, outside/ and state/ */
static struct tt_root root;
static struct tt_scrub_catalog cat;

static const char *
at(const char *rel)
{
	static char buf[4][1024];
	static int k;

	k = (k + 1) % 4;
	snprintf(buf[k], sizeof(buf[k]), "%s/%s", top, rel);
	return buf[k];
}

static void
put(const char *rel, const char *text)
{
	FILE *f = fopen(at(rel), "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

static void
dirs(const char *const *rels)
{
	for (; *rels != NULL; rels++) {
		char cmd[1200];

		snprintf(cmd, sizeof(cmd), "%s", at(*rels));
		for (char *p = cmd + strlen(top) + 1; *p != '\0'; p++) {
			if (*p == '/') {
				*p = '\0';
				mkdir(cmd, 0755);
				*p = '/';
			}
		}
		mkdir(cmd, 0755);
	}
}

static bool
exists(const char *rel)
{
	struct stat st;

	return lstat(at(rel), &st) == 0;
}

static size_t
leftover(const char *path)
{
	for (size_t i = 0; i < cat.nleftovers; i++)
		if (TT_STREQ(cat.leftovers[i].path, path))
			return i;
	fprintf(stderr, "# no leftover %s\n", path);
	exit(2);
}

static void
fresh(void)
{
	if (top != NULL) {
		tt_root_close(&root);
		tt_test_rmtree(top);
		free(top);
	}
	top = tt_test_tmpdir();
	dirs((const char *const[]){ "root/etc", "outside/sub", "state", NULL });
	put("outside/canary", "canary\n");
	put("outside/sub/canary", "canary\n");
	if (tt_root_init(&root, at("root")) < 0)
		exit(2);
}

/* Applies one leftover at path; returns its item's reason. */
static const char *
apply1(const char *glob, const char *path)
{
	static char reason[256];
	struct tt_scrub_item it = { .kind = TT_SCRUB_LEFTOVER };
	struct tt_scrub_result res = { .v = &it, .n = 1, .cap = 1 };
	struct tt_journal j = { .dirfd = -1 };
	size_t failed = 0;
	char err[512];
	int r;

	it.index = leftover(glob);
	it.path = (char *)path;
	r = tt_journal_begin(&j, NULL, at("state/journal"), at("state"), &root,
	    "scrub", err, sizeof(err));
	CHECK_INT(r, 0);
	if (r < 0) {
		fprintf(stderr, "# %s\n", err);
		return "journal";
	}
	CHECK_INT(tt_scrub_apply(&cat, &root, &j, NULL, &res, &failed, err,
		      sizeof(err)),
	    0);
	tt_journal_finish(&j, "complete");
	strlcpy(reason, it.reason, sizeof(reason));
	CHECK_INT(failed, reason[0] != '\0');
	return reason;
}

static bool
outside_intact(void)
{
	return exists("outside/canary") && exists("outside/sub/canary");
}

/* A tree with nested directories, a FIFO and symlinks to outside, up and
 * to "/" is emptied; no link is followed. */
static void
test_empty_dir_nested(void)
{
	fresh();
	dirs((const char *const[]){ "root/tmp/a/b/c", NULL });
	put("root/tmp/a/b/c/f", "x");
	put("root/tmp/top", "x");
	mkfifo(at("root/tmp/a/fifo"), 0600);
	symlink(at("outside"), at("root/tmp/a/out"));
	symlink("../../../../outside/sub", at("root/tmp/a/b/rel"));
	symlink("/", at("root/tmp/slash"));
	CHECK_STR(apply1("/tmp", "/tmp"), "");
	CHECK(exists("root/tmp"));
	CHECK(!exists("root/tmp/a"));
	CHECK(!exists("root/tmp/top"));
	CHECK(!exists("root/tmp/slash"));
	CHECK(outside_intact());
}

/* The leftover itself is a symlink: the link goes, its target stays. */
static void
test_leftover_symlink(void)
{
	fresh();
	dirs((const char *const[]){ "root/root", NULL });
	symlink(at("outside"), at("root/root/.azure"));
	CHECK_STR(apply1("/root/.azure", "/root/.azure"), "");
	CHECK(!exists("root/root/.azure"));
	CHECK(outside_intact());
}

/* A directory on the way became a symlink (a user's swap): the leftover
 * is left, and the reason names the symlink. */
static void
test_parent_symlink(void)
{
	fresh();
	dirs((const char *const[]){ "root/home/alice", "root/etc/pip", NULL });
	put("root/etc/pip/pip.conf", "canary\n");
	symlink("../../etc", at("root/home/alice/.cache"));
	CHECK(strstr(apply1("/home/*/.cache/pip", "/home/alice/.cache/pip"),
		  "/home/alice/.cache changed since the scan") != NULL);
	CHECK(exists("root/etc/pip/pip.conf"));
	/* Also when the symlink names a place outside the tree. */
	unlink(at("root/home/alice/.cache"));
	symlink(at("outside"), at("root/home/alice/.cache"));
	dirs((const char *const[]){ "outside/pip", NULL });
	put("outside/pip/canary", "canary\n");
	CHECK(strstr(apply1("/home/*/.cache/pip", "/home/alice/.cache/pip"),
		  "changed since the scan") != NULL);
	CHECK(exists("outside/pip/canary"));
}

/* To be emptied or truncated, and a symlink now: left, not followed. */
static void
test_changed_kind(void)
{
	fresh();
	symlink(at("outside"), at("root/tmp"));
	CHECK(strstr(apply1("/tmp", "/tmp"), "/tmp changed since the scan") !=
	    NULL);
	CHECK(outside_intact());
	symlink(at("outside/canary"), at("root/etc/machine-id"));
	CHECK(strstr(apply1("/etc/machine-id", "/etc/machine-id"),
		  "changed since the scan") != NULL);
	CHECK(outside_intact());
	{
		struct stat st;

		CHECK(stat(at("outside/canary"), &st) == 0 && st.st_size == 7);
	}
	/* A regular machine-id is truncated in place. */
	unlink(at("root/etc/machine-id"));
	put("root/etc/machine-id", "0123456789abcdef\n");
	CHECK_STR(apply1("/etc/machine-id", "/etc/machine-id"), "");
	{
		struct stat st;

		CHECK(stat(at("root/etc/machine-id"), &st) == 0 &&
		    st.st_size == 0);
	}
}

/* A socket cannot be journaled: left, and said so; the rest goes. */
static void
test_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int s;

	fresh();
	dirs((const char *const[]){ "root/var/tmp/d", NULL });
	put("root/var/tmp/d/f", "x");
	strlcpy(sa.sun_path, at("root/var/tmp/agent.sock"),
	    sizeof(sa.sun_path));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0 && bind(s, (struct sockaddr *)&sa, sizeof(sa)) == 0);
	close(s);
	CHECK(
	    strstr(apply1("/var/tmp", "/var/tmp"),
		"holds a socket or device node (/var/tmp/agent.sock)") != NULL);
	CHECK(exists("root/var/tmp/agent.sock"));
	CHECK(!exists("root/var/tmp/d"));
}

/* A tmpfs below /tmp: left with its files, the rest of /tmp emptied.
 * Needs a mount namespace (root, or a user namespace): else skipped. */
static void
test_mount_below(void)
{
	/* The root is opened in the namespace the mount is made in.  The
	 * kernel ignores source and type of a propagation change; "none"
	 * rather than NULL keeps valgrind from reading address 0. */
	if (unshare(CLONE_NEWNS) < 0 ||
	    mount("none", "/", "none", MS_REC | MS_PRIVATE, NULL) < 0) {
		printf("# SKIP: cannot mount here\n");
		return;
	}
	fresh();
	dirs((const char *const[]){ "root/tmp/mnt", NULL });
	put("root/tmp/junk", "x");
	if (mount("tmpfs", at("root/tmp/mnt"), "tmpfs", 0, NULL) < 0) {
		printf("# SKIP: cannot mount here\n");
		return;
	}
	put("root/tmp/mnt/canary", "canary\n");
	CHECK(strstr(apply1("/tmp", "/tmp"), "/tmp/mnt is another mount") !=
	    NULL);
	CHECK(exists("root/tmp/mnt/canary"));
	CHECK(!exists("root/tmp/junk"));
	umount2(at("root/tmp/mnt"), MNT_DETACH);
}

int
main(void)
{
	char err[512];

	if (tt_scrub_load_builtin(&cat, err, sizeof(err)) < 0) {
		fprintf(stderr, "# %s\n", err);
		return 2;
	}
	RUN(test_empty_dir_nested);
	RUN(test_leftover_symlink);
	RUN(test_parent_symlink);
	RUN(test_changed_kind);
	RUN(test_socket);
	RUN(test_mount_below);
	tt_root_close(&root);
	tt_test_rmtree(top);
	free(top);
	tt_scrub_catalog_free(&cat);
	TEST_EXIT();
}
