/*
 * status.json as audit, report and status read it back: the bytes are
 * put in a state directory (on /dev/shm where it exists, so fsync costs
 * nothing) and tt_status_update does its read-modify-write over them.
 * Properties: the update always succeeds (a broken file is replaced and
 * kept as status.json.broken) and the result loads as an object holding
 * the new section.
 */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "fuzz.h"
#include "status.h"
#include "tt.h"

static char state_dir[64];
static char status_path[128];

int LLVMFuzzerInitialize(int *argc, char ***argv);

static void
remove_state_dir(void)
{
	static const char *const names[] = { "status.json", "status.lock",
		"status.json.broken" };
	char path[160];

	for (size_t i = 0; i < TT_ARRAY_SIZE(names); i++) {
		snprintf(path, sizeof(path), "%s/%s", state_dir, names[i]);
		unlink(path);
	}
	rmdir(state_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	strlcpy(state_dir, access("/dev/shm", W_OK) == 0 ?
	    "/dev/shm/tattoo-fuzz-XXXXXX" : "/tmp/tattoo-fuzz-XXXXXX",
	    sizeof(state_dir));
	FUZZ_ASSERT(mkdtemp(state_dir) != NULL);
	atexit(remove_state_dir);
	snprintf(status_path, sizeof(status_path), "%s/status.json",
	    state_dir);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	json_object *section, *doc = NULL, *v;
	int r;

	FUZZ_ASSERT(tt_atomic_write(NULL, status_path, data, size, 0644) == 0);
	section = json_object_new_object();
	FUZZ_ASSERT(section != NULL);
	json_object_object_add(section, "fuzz", json_object_new_int(1));
	r = tt_status_update(NULL, state_dir, "audit", section);
	FUZZ_ASSERT(r == 0);
	FUZZ_ASSERT(tt_status_load(NULL, state_dir, &doc) == 0);
	FUZZ_ASSERT(json_object_object_get_ex(doc, "audit", &v));
	FUZZ_ASSERT(json_object_object_get_ex(v, "fuzz", NULL));
	json_object_put(doc);
	return 0;
}
