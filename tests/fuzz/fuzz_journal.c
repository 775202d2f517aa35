/*
 * The journal as a later `rollback --root` finds it inside an image: a
 * run directory of arbitrary run.json, entries and data files.  The input
 * is chunks separated by 0xff bytes: a flags byte, run.json, then entry 1,
 * 2, ...; each entry's text is also written as its NNNNNN.data.  Flags:
 * bit 0 signs every chunk that parses as an object with the host key
 * (playing an attacker who has it, so the validator and the undo code are
 * reached), bit 1 first sets its "run" to the run's id, bit 2 its "seq"
 * to the entry's number, bit 3 its "data" and "sha256" to name the
 * entry's own data file (which holds the chunk as given).  Then tt_journal_list and tt_journal_rollback
 * (the newest run, and the run by name) run over a small image tree.
 * Properties: nothing outside the image changes (a canary directory
 * beside it keeps its one file, bytes and mode); no device node, socket
 * or FIFO outside /tmp appears; every failure has a reason; whatever
 * tt_journal_check_entry accepts names a path without "..", and a data
 * file only by its own NNNNNN.data.
 */
#include <dirent.h>
#include <fcntl.h>
#include <ftw.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fileio.h"
#include "fuzz.h"
#include "journal.h"
#include "tt.h"

#define RUN "20260101T000000Z-00f00d"
#define MAX_CHUNKS 12

static char top[64], image[128], outside[128], state[128], rundir[256];
static uint8_t key[TT_JOURNAL_KEY_LEN];

int LLVMFuzzerInitialize(int *argc, char ***argv);

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)st;
	(void)f;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

static void
rm_tree(const char *path)
{
	chmod(path, 0700);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static void
remove_top(void)
{
	rm_tree(top);
}

static void
put(const char *dir, const char *name, const void *data, size_t len,
    mode_t mode)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW, mode);
	FUZZ_ASSERT(fd >= 0);
	FUZZ_ASSERT(write(fd, data, len) == (ssize_t)len);
	close(fd);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char err[256];

	(void)argc;
	(void)argv;
	strlcpy(top,
	    access("/dev/shm", W_OK) == 0 ? "/dev/shm/tattoo-fuzz-journal-XXXXXX" :
					    "/tmp/tattoo-fuzz-journal-XXXXXX",
	    sizeof(top));
	FUZZ_ASSERT(mkdtemp(top) != NULL);
	atexit(remove_top);
	snprintf(image, sizeof(image), "%s/image", top);
	snprintf(outside, sizeof(outside), "%s/outside", top);
	snprintf(state, sizeof(state), "%s/state", top);
	snprintf(rundir, sizeof(rundir), "%s%s/%s", image,
	    TT_JOURNAL_IMAGE_DIR, RUN);
	FUZZ_ASSERT(mkdir(outside, 0700) == 0);
	put(outside, "canary", "host\n", 5, 0600);
	FUZZ_ASSERT(tt_journal_key_load(state, true, key, err,
			sizeof(err)) == 0);
	return 0;
}

/* The image: /etc/f (file), /etc/d (dir), /etc/l (link to f), /tmp. */
static void
make_image(void)
{
	char path[512];

	rm_tree(image);
	FUZZ_ASSERT(mkdir(image, 0755) == 0);
	snprintf(path, sizeof(path), "%s/etc", image);
	FUZZ_ASSERT(mkdir(path, 0755) == 0);
	put(path, "f", "file\n", 5, 0644);
	snprintf(path, sizeof(path), "%s/etc/d", image);
	FUZZ_ASSERT(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/etc/l", image);
	FUZZ_ASSERT(symlink("f", path) == 0);
	snprintf(path, sizeof(path), "%s/tmp", image);
	FUZZ_ASSERT(mkdir(path, 01777) == 0);
	FUZZ_ASSERT(tt_root_mkdir_p(NULL, rundir, 0700) == 0);
}

/* Writes one chunk as name, signed and adjusted as the flags say. */
static void
write_chunk(const uint8_t *data, size_t len, const char *name, unsigned seq,
    unsigned flags)
{
	char why[128], hex[TT_JOURNAL_MAC_HEX + 1];
	json_object *o = NULL;

	if (flags & 1)
		o = tt_json_parse((const char *)data, len, why, sizeof(why));
	if (o != NULL && json_object_is_type(o, json_type_object)) {
		const char *text;

		if (flags & 2)
			json_object_object_add(o, "run",
			    json_object_new_string(RUN));
		if ((flags & 4) && seq > 0)
			json_object_object_add(o, "seq",
			    json_object_new_int64(seq));
		if ((flags & 8) && seq > 0) {
			uint8_t sum[TT_SHA256_LEN];
			char dname[32];

			/* The data file holds the chunk as given. */
			tt_sha256(data, len, sum);
			tt_hex(sum, sizeof(sum), hex);
			json_object_object_add(o, "sha256",
			    json_object_new_string(hex));
			snprintf(dname, sizeof(dname), "%06u.data", seq);
			json_object_object_add(o, "data",
			    json_object_new_string(dname));
		}
		if (tt_journal_mac(key, o, hex) == 0)
			json_object_object_add(o, "mac",
			    json_object_new_string(hex));
		text = json_object_to_json_string(o);
		put(rundir, name, text, strlen(text), 0600);
	} else {
		put(rundir, name, data, len, 0600);
	}
	json_object_put(o);
}

static void
list_fn(const char *run, const char *command, const char *started,
    const char *status, const char *problem, void *arg)
{
	(void)arg;
	FUZZ_ASSERT(run != NULL && command != NULL && started != NULL &&
	    status != NULL);
	FUZZ_ASSERT(problem == NULL || problem[0] != '\0');
}

/* Absolute, and no component is "..". */
static bool
confined(const char *p)
{
	size_t len = strlen(p);

	if (p[0] != '/' || strstr(p, "/../") != NULL)
		return false;
	return len < 3 || strcmp(p + len - 3, "/..") != 0;
}

/* What the validator accepts is confined. */
static void
check_entries(void)
{
	for (unsigned seq = 1; seq < MAX_CHUNKS; seq++) {
		char name[32], why[256];
		struct tt_buf b;
		json_object *e, *v;

		snprintf(name, sizeof(name), "%s/%06u.json", rundir, seq);
		if (tt_read_file(NULL, name, 1 << 20, &b) < 0)
			break;
		e = tt_json_parse(b.data ? b.data : "", b.len, why,
		    sizeof(why));
		tt_buf_free(&b);
		if (e == NULL)
			continue;
		if (tt_journal_check_entry(e, RUN, seq, true, why,
			sizeof(why)) == 0 &&
		    json_object_object_get_ex(e, "path", &v)) {
			const char *p = json_object_get_string(v);

			FUZZ_ASSERT(confined(p));
			if (json_object_object_get_ex(e, "data", &v)) {
				snprintf(name, sizeof(name), "%06u.data", seq);
				FUZZ_ASSERT(strcmp(json_object_get_string(v),
						name) == 0);
			}
		} else if (tt_journal_check_entry(e, RUN, seq, true, why,
			       sizeof(why)) < 0) {
			FUZZ_ASSERT(why[0] != '\0');
		}
		json_object_put(e);
	}
}

static int
no_special(const char *path, const struct stat *st, int flag, struct FTW *f)
{
	(void)flag;
	(void)f;
	FUZZ_ASSERT(!S_ISCHR(st->st_mode) && !S_ISBLK(st->st_mode) &&
	    !S_ISSOCK(st->st_mode));
	FUZZ_ASSERT(!S_ISFIFO(st->st_mode) || strstr(path, "/image/") != NULL);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_rollback_stats stats;
	struct tt_root root;
	char err[2048], run[64], name[32];
	unsigned flags = size > 0 ? data[0] : 0, n = 0;
	size_t pos = size > 0 ? 1 : 0;
	struct stat st;
	struct tt_buf b;
	int r;

	make_image();
	while (pos <= size && n < MAX_CHUNKS) {
		const uint8_t *end = memchr(data + pos, 0xff, size - pos);
		size_t len = end ? (size_t)(end - (data + pos)) : size - pos;

		if (n == 0) {
			write_chunk(data + pos, len, "run.json", 0, flags);
		} else {
			snprintf(name, sizeof(name), "%06u.json", n);
			write_chunk(data + pos, len, name, n, flags);
			snprintf(name, sizeof(name), "%06u.data", n);
			put(rundir, name, data + pos, len, 0600);
		}
		n++;
		pos += len + 1;
		if (end == NULL)
			break;
	}
	check_entries();
	FUZZ_ASSERT(tt_root_init(&root, image) == 0);
	r = tt_journal_list(&root, TT_JOURNAL_IMAGE_DIR, state, list_fn, NULL,
	    err, sizeof(err));
	FUZZ_ASSERT(r == 0);
	for (int pass = 0; pass < 2; pass++) {
		err[0] = '\0';
		r = tt_journal_rollback(&root, TT_JOURNAL_IMAGE_DIR, state,
		    &root, pass ? RUN : NULL, run, sizeof(run), &stats, err,
		    sizeof(err));
		FUZZ_ASSERT(r <= 0);
		FUZZ_ASSERT(r == 0 || err[0] != '\0');
		FUZZ_ASSERT(FUZZ_TERMINATED(stats.note) &&
		    FUZZ_TERMINATED(stats.skip));
	}
	tt_root_close(&root);
	/* Nothing outside the image changed. */
	FUZZ_ASSERT(lstat(outside, &st) == 0 && S_ISDIR(st.st_mode) &&
	    (st.st_mode & 07777) == 0700);
	snprintf(name, sizeof(name), "canary");
	{
		char path[256];
		DIR *d = opendir(outside);
		struct dirent *de;
		int count = 0;

		FUZZ_ASSERT(d != NULL);
		while ((de = readdir(d)) != NULL)
			count += de->d_name[0] != '.';
		closedir(d);
		FUZZ_ASSERT(count == 1);
		snprintf(path, sizeof(path), "%s/canary", outside);
		FUZZ_ASSERT(lstat(path, &st) == 0 && S_ISREG(st.st_mode) &&
		    (st.st_mode & 07777) == 0600);
		FUZZ_ASSERT(tt_read_file(NULL, path, 64, &b) == 0 &&
		    b.len == 5 && memcmp(b.data, "host\n", 5) == 0);
		tt_buf_free(&b);
	}
	nftw(top, no_special, 16, FTW_PHYS);
	return 0;
}
