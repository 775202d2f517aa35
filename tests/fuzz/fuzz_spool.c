/*
 * The spool as a later report run finds it: a directory of files with
 * arbitrary names and contents (what a crash, a full disk or a person may
 * leave there).  The input is a list of entries, each a length byte, a
 * name, a two-byte length and the content; then tt_spool_list,
 * tt_spool_read, tt_spool_parse and a tt_spool_put under a small cap run
 * over them.  Properties: only spool names are listed, oldest first, with
 * their real sizes; a parsed report's report_id is its file name's; the
 * put never leaves more than the cap and counts what it dropped.
 */
#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "spool.h"
#include "tt.h"

static char dir[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);

static void
empty_dir(void)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

static void
remove_dir(void)
{
	empty_dir();
	rmdir(dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	strlcpy(dir,
	    access("/dev/shm", W_OK) == 0 ?
		"/dev/shm/tattoo-fuzz-spool-XXXXXX" :
		"/tmp/tattoo-fuzz-spool-XXXXXX",
	    sizeof(dir));
	FUZZ_ASSERT(mkdtemp(dir) != NULL);
	atexit(remove_dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_spool s;
	struct tt_spool_entry *v = NULL;
	size_t n = 0, pos = 0;
	uint64_t bytes = 0, sum = 0, dropped = 0;
	int dfd;

	empty_dir();
	FUZZ_ASSERT((dfd = open(dir, O_RDONLY | O_DIRECTORY)) >= 0);
	while (pos < size) {
		char name[256];
		size_t nl = data[pos++], cl;
		int fd;

		if (nl > size - pos)
			nl = size - pos;
		memcpy(name, data + pos, nl);
		name[nl] = '\0';
		pos += nl;
		cl = pos + 2 <= size ? (size_t)data[pos] << 8 | data[pos + 1] :
				       0;
		pos += pos + 2 <= size ? 2 : size - pos;
		if (cl > size - pos)
			cl = size - pos;
		/* Names the file system cannot hold are not in a spool. */
		if (name[0] == '\0' || strchr(name, '/') != NULL ||
		    strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
		    strlen(name) != nl) {
			pos += cl;
			continue;
		}
		fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			FUZZ_ASSERT(write(fd, data + pos, cl) == (ssize_t)cl);
			close(fd);
		}
		pos += cl;
	}
	close(dfd);

	FUZZ_ASSERT(tt_spool_open(&s, NULL, dir, 8192) == 0);
	FUZZ_ASSERT(tt_spool_list(&s, &v, &n, &bytes) == 0);
	for (size_t i = 0; i < n; i++) {
		struct tt_buf b;
		json_object *o = NULL;
		char err[256];

		FUZZ_ASSERT(tt_spool_name_valid(v[i].name));
		if (i > 0)
			FUZZ_ASSERT(strcmp(v[i - 1].name, v[i].name) < 0);
		sum += v[i].size;
		FUZZ_ASSERT(tt_spool_read(&s, v[i].name, &b) == 0);
		FUZZ_ASSERT(b.len == v[i].size);
		if (tt_spool_parse(v[i].name, b.data ? b.data : "", b.len, &o,
			err, sizeof(err)) == 0) {
			json_object *id;

			FUZZ_ASSERT(
			    json_object_object_get_ex(o, "report_id", &id));
			FUZZ_ASSERT(strncmp(json_object_get_string(id),
					v[i].name + 21, 36) == 0);
			json_object_put(o);
		} else {
			FUZZ_ASSERT(err[0] != '\0');
		}
		tt_buf_free(&b);
	}
	FUZZ_ASSERT(sum == bytes);
	free(v);
	{
		static const char name[] =
		    "99999999999999999999-ffffffff-ffff-ffff-ffff-ffffffffffff"
		    ".json";
		char body[1000];

		/* The largest name there is: whatever the directory holds,
		 * it sorts last (or is replaced). */

		memset(body, 'r', sizeof(body));
		FUZZ_ASSERT(
		    tt_spool_put(&s, name, body, sizeof(body), &dropped) == 0);
		FUZZ_ASSERT(dropped <= n);
		FUZZ_ASSERT(tt_spool_list(&s, &v, &n, &bytes) == 0);
		FUZZ_ASSERT(bytes <= 8192);
		FUZZ_ASSERT(n >= 1 && strcmp(v[n - 1].name, name) == 0);
		free(v);
	}
	tt_spool_close(&s);
	return 0;
}
