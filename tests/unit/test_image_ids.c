/* The image's user and group ids (image_ids.h): the image's own passwd and
 * group, read through probes/accounts_db.h, never the host's. */
#include <errno.h>
#include <sys/stat.h>

#include "image_ids.h"
#include "tt_test.h"

static char *dir;
static struct tt_root root;

static void
put(const char *rel, const char *text)
{
	char path[1024];
	FILE *f;

	snprintf(path, sizeof(path), "%s/etc", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s%s", dir, rel);
	f = fopen(path, "w");
	if (f == NULL)
		exit(2);
	fputs(text, f);
	fclose(f);
}

static void
names_map_to_the_images_ids(void)
{
	uid_t uid = 0;
	gid_t gid = 0;

	put("/etc/passwd",
	    "root:x:0:0:root:/root:/bin/bash\n"
	    "\n"
	    "alice:x:1234:1235::/home/alice:/bin/bash\n");
	put("/etc/group", "root:x:0:\nstaff:x:50:alice\n");
	CHECK_INT(tt_image_uid(&root, "alice", &uid), 0);
	CHECK_INT(uid, 1234);
	CHECK_INT(tt_image_uid(&root, "root", &uid), 0);
	CHECK_INT(uid, 0);
	CHECK_INT(tt_image_gid(&root, "staff", &gid), 0);
	CHECK_INT(gid, 50);
	/* A name of the host only, or a group name asked as a user. */
	CHECK_INT(tt_image_uid(&root, "nobody-here", &uid), -ENOENT);
	CHECK_INT(tt_image_uid(&root, "staff", &uid), -ENOENT);
	/* A prefix of a name is not the name. */
	CHECK_INT(tt_image_uid(&root, "ali", &uid), -ENOENT);
}

static void
digits_are_ids(void)
{
	uid_t uid = 0;
	gid_t gid = 0;

	CHECK_INT(tt_image_uid(&root, "4321", &uid), 0);
	CHECK_INT(uid, 4321);
	CHECK_INT(tt_image_gid(&root, "0", &gid), 0);
	CHECK_INT(gid, 0);
	/* (uid_t)-1 is "no change" to chown: never an id. */
	CHECK_INT(tt_image_uid(&root, "4294967295", &uid), -EINVAL);
	CHECK_INT(tt_image_uid(&root, "12x", &uid), -EINVAL);
}

static void
bad_entries_name_nobody(void)
{
	uid_t uid = 0;

	/* The first entry of a name decides, even a broken one. */
	put("/etc/passwd",
	    "bob:x:notanumber:1::/:/bin/sh\n"
	    "bob:x:77:1::/:/bin/sh\n"
	    "carol:x:88\n"
	    "dave:x:4294967295:1::/:/bin/sh\n");
	CHECK_INT(tt_image_uid(&root, "bob", &uid), -ENOENT);
	CHECK_INT(tt_image_uid(&root, "carol", &uid), -ENOENT);
	CHECK_INT(tt_image_uid(&root, "dave", &uid), -ENOENT);
}

static void
a_missing_file_is_its_errno(void)
{
	char path[1024];
	gid_t gid = 0;

	snprintf(path, sizeof(path), "%s/etc/group", dir);
	unlink(path);
	CHECK_INT(tt_image_gid(&root, "staff", &gid), -ENOENT);
}

int
main(void)
{
	dir = tt_test_tmpdir();
	if (tt_root_init(&root, dir) < 0)
		return 2;
	RUN(names_map_to_the_images_ids);
	RUN(digits_are_ids);
	RUN(bad_entries_name_nobody);
	RUN(a_missing_file_is_its_errno);
	tt_test_rmtree(dir);
	free(dir);
	TEST_EXIT();
}
