#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fileio.h"
#include "journal.h"
#include "plan.h"
#include "tt_test.h"

static char *dir;
static char *keydir; /* the host's state_dir: the journal key */
static struct tt_root root;

#define JDIR "/var/lib/tattoo/journal"
static char last_run[64]; /* the run apply() made */
static struct tt_buf manifest;
static size_t prefix_len;

/* A line per path: type, mode, owner, size, mtime, target or content
 * digest; everything under /var/lib/tattoo (the journal) is left out.  A
 * directory's size and mtime are not compared: they are the file
 * system's (tmpfs counts the entries, ext4 its blocks), and its entries
 * have lines of their own. */
static int
add_entry(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	char target[512] = "", hex[65] = "";
	(void)flag;
	(void)f;

	if (strstr(path, "/var/lib/tattoo") != NULL)
		return 0;
	if (S_ISLNK(st->st_mode)) {
		ssize_t n = readlink(path, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
	} else if (S_ISREG(st->st_mode)) {
		struct tt_buf b;
		uint8_t sum[32];

		if (tt_read_file(NULL, path, 1 << 20, &b) == 0) {
			tt_sha256(b.data, b.len, sum);
			tt_hex(sum, 32, hex);
			tt_buf_free(&b);
		}
	}
	tt_buf_printf(&manifest, "%s %o %u:%u %lld %lld.%09ld %s%s\n",
	    path + prefix_len, (unsigned)st->st_mode, (unsigned)st->st_uid,
	    (unsigned)st->st_gid,
	    (long long)(S_ISDIR(st->st_mode) ? 0 : st->st_size),
	    (long long)(S_ISDIR(st->st_mode) ? 0 : st->st_mtim.tv_sec),
	    S_ISDIR(st->st_mode) ? 0 : st->st_mtim.tv_nsec, target, hex);
	return 0;
}

static int
cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The tree's lines, sorted: the order nftw walks a directory in is the
 * file system's (ext4 by hash, tmpfs newest first), and a rollback
 * makes entries anew. */
static char *
snapshot(void)
{
	char *lines[256], *text, *p, *save;
	size_t n = 0;
	struct tt_buf sorted;

	tt_buf_init(&manifest, 1 << 20);
	prefix_len = strlen(dir);
	nftw(dir, add_entry, 16, FTW_PHYS);
	text = tt_buf_steal(&manifest);
	for (p = strtok_r(text, "\n", &save); p != NULL && n < 256;
	    p = strtok_r(NULL, "\n", &save))
		lines[n++] = p;
	CHECK(p == NULL); /* every line fitted */
	qsort(lines, n, sizeof(lines[0]), cmp_line);
	tt_buf_init(&sorted, 1 << 20);
	for (size_t i = 0; i < n; i++)
		tt_buf_printf(&sorted, "%s\n", lines[i]);
	free(text);
	return tt_buf_steal(&sorted);
}

static void
put(const char *rel, const char *text, mode_t mode)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void
make_tree(void)
{
	char path[1024];

	tt_root_mkdir_p(&root, "/etc/ssh", 0755);
	tt_root_mkdir_p(&root, "/var/lib", 0755);
	tt_root_mkdir_p(&root, "/etc/systemd/system", 0755);
	put("/etc/ssh/sshd_config", "PermitRootLogin yes\n", 0644);
	put("/etc/crontab", "# cron\n", 0666);
	put("/etc/hosts.equiv", "+\n", 0644);
	put("/etc/systemd/system/avahi-daemon.service", "[Unit]\n", 0644);
	snprintf(path, sizeof(path), "%s/etc/alias", dir);
	symlink("/etc/crontab", path);
}

/* The changes of a harden run, planned against the tree as it is. */
static void
plan_all(struct tt_plan *plan)
{
	static const char cfg[] = "PermitRootLogin no\n";

	tt_plan_init(plan, &root);
	CHECK_INT(tt_plan_write(plan, "r1", "/etc/ssh/sshd_config", cfg,
	    strlen(cfg), 0600), 0);
	CHECK_INT(tt_plan_write(plan, "r2", "/etc/sysctl.d/zz.conf",
	    "x = 1\n", 6, 0644), 0);
	CHECK_INT(tt_plan_meta(plan, "r3", "/etc/crontab", 0600, 0, 0), 0);
	CHECK_INT(tt_plan_remove(plan, "r4", "/etc/hosts.equiv"), 0);
	CHECK_INT(tt_plan_symlink(plan, "r5",
	    "/etc/systemd/system/avahi-daemon.service", "/dev/null"), 0);
	CHECK_INT(tt_plan_symlink(plan, "r6", "/etc/alias", "/etc/other"),
	    0);
}

static int
apply(struct tt_plan *plan, size_t upto, const char *state_dir)
{
	struct tt_journal j;
	char err[256];
	int r;

	r = tt_journal_begin(&j, &root, state_dir, keydir, &root, "harden",
	    err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "# %s\n", err);
		return r;
	}
	for (size_t i = 0; i < plan->n; i++) {
		CHECK_INT(tt_journal_record(&j, plan->v[i].path,
		    plan->v[i].rule, "change", err, sizeof(err)), 0);
		/* A run killed here recorded the change but never made it. */
		if (i < upto)
			CHECK_INT(tt_plan_apply_change(&root, &plan->v[i]), 0);
	}
	snprintf(last_run, sizeof(last_run), "%s", j.run);
	if (upto >= plan->n) {
		tt_journal_finish(&j, "complete");
	} else {
		close(j.dirfd); /* killed: status stays "running" */
		json_object_put(j.meta);
	}
	return 0;
}

static void
test_rollback_exact(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	char *before, *after, *mid, run[64], err[256];

	before = snapshot();
	plan_all(&plan);
	CHECK_INT(plan.n, 6);
	CHECK_INT(apply(&plan, plan.n, JDIR), 0);
	tt_plan_free(&plan);
	mid = snapshot();
	CHECK(strcmp(mid, before) != 0);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), 0);
	CHECK_INT(st.failed, 0);
	after = snapshot();
	if (strcmp(after, before) != 0)
		fprintf(stderr, "# before:\n%s# after:\n%s", before, after);
	CHECK_STR(after, before);
	/* Rolled back once: a named second rollback says so. */
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, run,
	    run, sizeof(run), &st, err, sizeof(err)), -EALREADY);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), -ENOENT);
	free(before);
	free(after);
	free(mid);
}

static void
test_killed_run_rolls_back(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	char *before, *after, run[64], err[256];

	for (size_t upto = 0; upto < 6; upto++) {
		before = snapshot();
		plan_all(&plan);
		CHECK_INT(apply(&plan, upto, JDIR), 0);
		tt_plan_free(&plan);
		CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root,
		    NULL, run, sizeof(run), &st, err, sizeof(err)), 0);
		after = snapshot();
		if (strcmp(after, before) != 0)
			fprintf(stderr, "# killed after %zu\n", upto);
		CHECK_STR(after, before);
		free(before);
		free(after);
	}
}

static void
test_unknown_run(void)
{
	struct tt_rollback_stats st;
	char run[64], err[256];

	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root,
	    "20990101T000000Z-000000", run, sizeof(run), &st, err,
	    sizeof(err)), -ENOENT);
	CHECK(strstr(err, "20990101T000000Z-000000") != NULL);
	CHECK_INT(tt_journal_rollback(&root, "/var/lib/nothing", keydir, &root, NULL,
	    run, sizeof(run), &st, err, sizeof(err)), -ENOENT);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root,
	    "../x", run, sizeof(run), &st, err, sizeof(err)), -EINVAL);
}


/* An entry as record_one writes it for a regular file, seq 1. */
static json_object *
good_entry(void)
{
	char err[128];

	return tt_json_parse("{\"run\":\"R1\",\"seq\":1,\"path\":\"/etc/crontab\","
			     "\"existed\":true,\"type\":\"file\",\"mode\":420,"
			     "\"uid\":0,\"gid\":0,\"atime\":[1,2],"
			     "\"mtime\":[3,4],\"data\":\"000001.data\","
			     "\"sha256\":\"" "0123456789abcdef0123456789abcdef"
			     "0123456789abcdef0123456789abcdef\"}",
	    strlen("{\"run\":\"R1\",\"seq\":1,\"path\":\"/etc/crontab\","
		   "\"existed\":true,\"type\":\"file\",\"mode\":420,"
		   "\"uid\":0,\"gid\":0,\"atime\":[1,2],"
		   "\"mtime\":[3,4],\"data\":\"000001.data\","
		   "\"sha256\":\"" "0123456789abcdef0123456789abcdef"
		   "0123456789abcdef0123456789abcdef\"}"),
	    err, sizeof(err));
}

/* good_entry with one member replaced (JSON text) or removed (NULL):
 * the validator's verdict. */
static int
check_with(const char *key, const char *value, char *err, size_t errlen)
{
	json_object *e = good_entry(), *v = NULL;
	char why[128];
	int r;

	if (value != NULL)
		v = tt_json_parse(value, strlen(value), why, sizeof(why));
	if (value != NULL && v == NULL)
		v = json_object_new_string(value);
	json_object_object_del(e, key);
	if (v != NULL)
		json_object_object_add(e, key, v);
	r = tt_journal_check_entry(e, "R1", 1, true, err, errlen);
	json_object_put(e);
	return r;
}

static void
test_check_entry(void)
{
	static const struct {
		const char *key, *value, *field;
	} bad[] = {
		{ "data", "\"/etc/shadow\"", "'data'" },
		{ "data", "\"../../../../etc/shadow\"", "'data'" },
		{ "data", "\"000002.data\"", "'data'" },
		{ "data", "\"000001.data/x\"", "'data'" },
		{ "data", NULL, "'data'" },
		{ "sha256", NULL, "'sha256'" },
		{ "sha256", "\"00\"", "'sha256'" },
		{ "path", "\"etc/crontab\"", "'path'" },
		{ "path", "\"/etc/../../x\"", "'path'" },
		{ "path", "\"/etc/./x\"", "'path'" },
		{ "path", "\"/etc//x\"", "'path'" },
		{ "path", "\"/etc/x/\"", "'path'" },
		{ "path", "\"/\"", "'path'" },
		{ "path", "\"/etc/a\\u0000b\"", "'path'" },
		{ "path", "7", "'path'" },
		{ "type", "\"chr\"", "'type'" },
		{ "type", "\"other\"", "'type'" },
		{ "type", NULL, "'type'" },
		{ "mode", "4096", "'mode'" },
		{ "mode", "-1", "'mode'" },
		{ "mode", "\"0644\"", "'mode'" },
		{ "uid", "-1", "'uid'" },
		{ "uid", "4294967295", "'uid'" },
		{ "gid", "4294967296", "'gid'" },
		{ "mtime", "[1,1000000000]", "'mtime'" },
		{ "run", "\"R2\"", "'run'" },
		{ "seq", "2", "'seq'" },
		{ "existed", "1", "'existed'" },
	};
	char err[256];
	json_object *e;

	CHECK_INT(check_with("rule", "\"x\"", err, sizeof(err)), 0);
	/* Set-id bits are kept: they are what the original had. */
	CHECK_INT(check_with("mode", "3565", err, sizeof(err)), 0);
	CHECK_INT(check_with("uid", "4294967294", err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		CHECK_INT(check_with(bad[i].key, bad[i].value, err,
		    sizeof(err)), -EBADMSG);
		if (strstr(err, bad[i].field) == NULL)
			fprintf(stderr, "# %s=%s: %s\n", bad[i].key,
			    bad[i].value ? bad[i].value : "(none)", err);
		CHECK(strstr(err, bad[i].field) != NULL);
	}
	/* A link needs its target; nothing but a file has data. */
	e = good_entry();
	json_object_object_add(e, "type", json_object_new_string("link"));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	json_object_object_del(e, "data");
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	json_object_object_add(e, "target", json_object_new_string("/x"));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    0);
	json_object_put(e);
	/* A sealed file: no data, its digest, a reason; on a file only. */
	e = good_entry();
	json_object_object_add(e, "sealed", json_object_new_string("why"));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	CHECK(strstr(err, "'data' on a sealed entry") != NULL);
	json_object_object_del(e, "data");
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    0);
	json_object_object_add(e, "sealed", json_object_new_string(""));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	json_object_object_add(e, "sealed", json_object_new_string("why"));
	json_object_object_del(e, "sha256");
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	json_object_object_add(e, "type", json_object_new_string("dir"));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    -EBADMSG);
	json_object_put(e);
	/* A path that did not exist needs no more than its path. */
	e = good_entry();
	json_object_object_add(e, "existed", json_object_new_boolean(false));
	json_object_object_add(e, "type", json_object_new_string("chr"));
	CHECK_INT(tt_journal_check_entry(e, "R1", 1, true, err, sizeof(err)),
	    0);
	json_object_put(e);
}

static void
test_mac(void)
{
	uint8_t k1[TT_JOURNAL_KEY_LEN], k2[TT_JOURNAL_KEY_LEN];
	char a[TT_JOURNAL_MAC_HEX + 1], b[TT_JOURNAL_MAC_HEX + 1], err[64];
	json_object *e = good_entry(), *f;

	memset(k1, 1, sizeof(k1));
	memset(k2, 2, sizeof(k2));
	CHECK_INT(tt_journal_mac(k1, e, a), 0);
	CHECK_INT(strlen(a), 64);
	/* The MAC member itself is not covered; key order does not count. */
	json_object_object_add(e, "mac", json_object_new_string(a));
	CHECK_INT(tt_journal_mac(k1, e, b), 0);
	CHECK_STR(a, b);
	f = tt_json_parse("{\"b\":1,\"a\":2}", 13, err, sizeof(err));
	CHECK_INT(tt_journal_mac(k1, f, a), 0);
	json_object_put(f);
	f = tt_json_parse("{\"a\":2,\"b\":1}", 13, err, sizeof(err));
	CHECK_INT(tt_journal_mac(k1, f, b), 0);
	CHECK_STR(a, b);
	json_object_put(f);
	/* Another key, another field value: another MAC. */
	CHECK_INT(tt_journal_mac(k1, e, a), 0);
	CHECK_INT(tt_journal_mac(k2, e, b), 0);
	CHECK(strcmp(a, b) != 0);
	json_object_object_add(e, "mode", json_object_new_int(04755));
	CHECK_INT(tt_journal_mac(k1, e, b), 0);
	CHECK(strcmp(a, b) != 0);
	json_object_put(e);
}

static void
test_key(void)
{
	uint8_t k1[TT_JOURNAL_KEY_LEN], k2[TT_JOURNAL_KEY_LEN];
	char kdir[1024], path[1100], err[512];
	struct stat st;
	int fd;

	snprintf(kdir, sizeof(kdir), "%s/keytest", keydir);
	snprintf(path, sizeof(path), "%s/journal.key", kdir);
	CHECK_INT(tt_journal_key_load(kdir, false, k1, err, sizeof(err)),
	    -ENOENT);
	CHECK(strstr(err, path) != NULL);
	CHECK_INT(tt_journal_key_load(kdir, true, k1, err, sizeof(err)), 0);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0600);
	CHECK_INT(st.st_size, 32);
	CHECK_INT(tt_journal_key_load(kdir, true, k2, err, sizeof(err)), 0);
	CHECK(memcmp(k1, k2, sizeof(k1)) == 0);
	chmod(path, 0644);
	CHECK_INT(tt_journal_key_load(kdir, false, k2, err, sizeof(err)),
	    -EPERM);
	CHECK(strstr(err, "0600") != NULL);
	chmod(path, 0600);
	fd = open(path, O_WRONLY | O_APPEND);
	CHECK_INT(write(fd, "x", 1), 1);
	close(fd);
	CHECK_INT(tt_journal_key_load(kdir, false, k2, err, sizeof(err)),
	    -EINVAL);
	unlink(path);
	CHECK_INT(symlink("/etc/hostname", path), 0);
	CHECK_INT(tt_journal_key_load(kdir, true, k2, err, sizeof(err)),
	    -EPERM);
	CHECK(strstr(err, "symbolic link") != NULL);
	unlink(path);
}

static void
rewrite(const char *run, const char *name, const char *key,
    json_object *value, bool sign)
{
	char path[1200], err[128];
	uint8_t k[TT_JOURNAL_KEY_LEN];
	char hex[TT_JOURNAL_MAC_HEX + 1];
	struct tt_buf b;
	json_object *o;

	snprintf(path, sizeof(path), "%s" JDIR "/%s/%s", dir, run, name);
	CHECK_INT(tt_read_file(NULL, path, 1 << 20, &b), 0);
	o = tt_json_parse(b.data, b.len, err, sizeof(err));
	tt_buf_free(&b);
	json_object_object_add(o, key, value);
	if (sign) {
		CHECK_INT(tt_journal_key_load(keydir, false, k, err,
		    sizeof(err)), 0);
		CHECK_INT(tt_journal_mac(k, o, hex), 0);
		json_object_object_add(o, "mac", json_object_new_string(hex));
	}
	CHECK_INT(tt_atomic_write(NULL, path, json_object_to_json_string(o),
	    strlen(json_object_to_json_string(o)), 0600), 0);
	json_object_put(o);
}

static const char *
secret_sshd(const char *run, const char *data, const char *path, void *arg)
{
	(void)run;
	(void)data;
	(*(int *)arg)++;
	return strcmp(path, "/etc/ssh/sshd_config") == 0 ? "test secret" : NULL;
}

/* Removes the manifest line that starts with prefix. */
static void
drop_line(char *m, const char *prefix)
{
	char *p = strstr(m, prefix), *nl;

	if (p == NULL || (p != m && p[-1] != '\n'))
		return;
	nl = strchr(p, '\n');
	memmove(p, nl ? nl + 1 : p + strlen(p), strlen(nl ? nl + 1 : p) + 1);
}

static bool
exists_in_run(const char *run, const char *name)
{
	char path[1200];

	snprintf(path, sizeof(path), "%s" JDIR "/%s/%s", dir, run, name);
	return access(path, F_OK) == 0;
}

/* A sealed copy: its bytes gone, the entry kept (re-MACed, so the run
 * still verifies); rollback refuses that path alone and undoes the rest;
 * a copy a killed seal left beside its sealed entry goes at the next. */
static void
test_seal(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	unsigned sealed = 9, skipped = 9;
	int asked = 0;
	char *before, *after, run[64], got[64], skip[256], err[512];
	char path[1200];
	FILE *f;

	before = snapshot();
	plan_all(&plan);
	CHECK_INT(apply(&plan, plan.n, JDIR), 0);
	tt_plan_free(&plan);
	snprintf(run, sizeof(run), "%s", last_run);
	CHECK(exists_in_run(run, "000001.data"));
	CHECK_INT(tt_journal_seal(&root, JDIR, keydir, secret_sshd, &asked,
		      &sealed, &skipped, skip, sizeof(skip), err, sizeof(err)),
	    0);
	/* Every run's copy, those of the runs rolled back above too. */
	CHECK(sealed >= 1);
	CHECK_INT(skipped, 0);
	CHECK(asked >= 2); /* every file entry with a copy is asked about */
	CHECK(!exists_in_run(run, "000001.data"));
	CHECK(exists_in_run(run, "000001.json"));
	/* Again: nothing left to seal. */
	CHECK_INT(tt_journal_seal(&root, JDIR, keydir, secret_sshd, &asked,
		      &sealed, &skipped, skip, sizeof(skip), err, sizeof(err)),
	    0);
	CHECK_INT(sealed, 0);
	/* Killed between the rewrite and the unlink: the copy is there,
	 * named by nothing; the next seal removes it. */
	snprintf(path, sizeof(path), "%s" JDIR "/%s/000001.data", dir, run);
	f = fopen(path, "w");
	fputs("PermitRootLogin yes\n", f);
	fclose(f);
	CHECK_INT(tt_journal_seal(&root, JDIR, keydir, secret_sshd, &asked,
		      &sealed, &skipped, skip, sizeof(skip), err, sizeof(err)),
	    0);
	CHECK(!exists_in_run(run, "000001.data"));
	/* Rollback: the sealed path refused with its reason, the rest
	 * undone, and the run done with. */
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, run, got,
		      sizeof(got), &st, err, sizeof(err)),
	    -EPERM);
	CHECK_INT(st.sealed, 1);
	CHECK_INT(st.refused, 1);
	CHECK_INT(st.failed, 0);
	CHECK(strstr(st.seal, "'/etc/ssh/sshd_config' not restored") != NULL);
	CHECK(strstr(st.seal, "test secret") != NULL);
	CHECK(strstr(err, "/etc/ssh/sshd_config") != NULL);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, NULL, got,
		      sizeof(got), &st, err, sizeof(err)),
	    -ENOENT);
	/* Everything but sshd_config is as before. */
	after = snapshot();
	drop_line(before, "/etc/ssh/sshd_config ");
	drop_line(after, "/etc/ssh/sshd_config ");
	CHECK_STR(after, before);
	put("/etc/ssh/sshd_config", "PermitRootLogin yes\n", 0644);
	free(before);
	free(after);
}

/* A tampered entry: the whole run is refused, nothing is undone. */
static void
test_tampered_run_refused(void)
{
	struct tt_rollback_stats st;
	struct tt_plan plan;
	char *mid, *after, run[64], got[64], err[512];

	plan_all(&plan);
	CHECK_INT(apply(&plan, plan.n, JDIR), 0);
	tt_plan_free(&plan);
	mid = snapshot();
	snprintf(run, sizeof(run), "%s", last_run);
	rewrite(run, "000003.json", "mode", json_object_new_int(04777), false);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, NULL, got,
	    sizeof(got), &st, err, sizeof(err)), -EBADMSG);
	CHECK(strstr(err, "000003.json") != NULL);
	CHECK(strstr(err, "'mac'") != NULL);
	after = snapshot();
	CHECK_STR(after, mid);
	free(after);
	/* Signed with the key (as if it leaked): the validator still
	 * refuses a data file outside the run. */
	rewrite(run, "000001.json", "data",
	    json_object_new_string("../../../../../etc/hostname"), true);
	rewrite(run, "000003.json", "mode", json_object_new_int(0600), true);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, run, got,
	    sizeof(got), &st, err, sizeof(err)), -EBADMSG);
	CHECK(strstr(err, "'data'") != NULL);
	after = snapshot();
	CHECK_STR(after, mid);
	free(after);
	free(mid);
}

/* A run dated in the future is never chosen, and refused when named. */
static void
test_future_run(void)
{
	struct tt_rollback_stats st;
	char run[64], got[64], err[512];

	snprintf(run, sizeof(run), "%s", last_run);
	rewrite(run, "run.json", "started",
	    json_object_new_string("2099-01-01T00:00:00Z"), true);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, run, got,
	    sizeof(got), &st, err, sizeof(err)), -EBADMSG);
	CHECK(strstr(err, "future") != NULL);
	CHECK_INT(tt_journal_rollback(&root, JDIR, keydir, &root, NULL, got,
	    sizeof(got), &st, err, sizeof(err)), -ENOENT);
	CHECK(st.skipped >= 1);
}

int
main(void)
{
	dir = tt_test_tmpdir();
	keydir = tt_test_tmpdir();
	if (tt_root_init(&root, dir) < 0)
		return 2;
	make_tree();
	RUN(test_rollback_exact);
	RUN(test_killed_run_rolls_back);
	RUN(test_unknown_run);
	RUN(test_check_entry);
	RUN(test_mac);
	RUN(test_key);
	RUN(test_seal);
	RUN(test_tampered_run_refused);
	RUN(test_future_run);
	tt_root_close(&root);
	tt_test_rmtree(dir);
	tt_test_rmtree(keydir);
	free(keydir);
	free(dir);
	TEST_EXIT();
}
