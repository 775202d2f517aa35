#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "fileio.h"
#include "jsonb.h"
#include "status.h"
#include "timeutil.h"
#include "tt.h"

#define STATUS_MAX_BYTES ((size_t)4 * 1024 * 1024)

static int
join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int
tt_status_load(const struct tt_root *root, const char *state_dir,
    json_object **ret)
{
	char path[PATH_MAX], why[256];
	struct tt_buf text;
	json_object *obj;
	int r;

	if ((r = join(path, sizeof(path), state_dir, TT_STATUS_FILE)) < 0)
		return r;
	if ((r = tt_read_file(root, path, STATUS_MAX_BYTES, &text)) < 0)
		return r;
	obj = tt_json_parse(text.data, text.len, why, sizeof(why));
	tt_buf_free(&text);
	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return -EBADMSG;
	}
	*ret = obj;
	return 0;
}

int
tt_status_update(const struct tt_root *root, const char *state_dir,
    const char *name, json_object *section)
{
	char path[PATH_MAX], lock[PATH_MAX], broken[PATH_MAX];
	char now[TT_RFC3339_LEN];
	json_object *doc = NULL;
	const char *text;
	int lockfd = -1, r;

	if ((r = join(path, sizeof(path), state_dir, TT_STATUS_FILE)) < 0 ||
	    (r = join(lock, sizeof(lock), state_dir, "status.lock")) < 0 ||
	    (r = join(broken, sizeof(broken), state_dir,
		 TT_STATUS_FILE ".broken")) < 0)
		goto out;
	if ((r = tt_root_mkdir_p(root, state_dir, 0755)) < 0)
		goto out;
	/* O_NONBLOCK | O_NOCTTY: a FIFO or device planted as the lock must
	 * neither hang nor become our terminal before it is refused. */
	lockfd = tt_root_open(root, lock,
	    O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
	if (lockfd < 0) {
		r = lockfd;
		goto out;
	}
	{
		struct stat st;

		if (fstat(lockfd, &st) < 0 || !S_ISREG(st.st_mode)) {
			r = -TT_ENOTREG;
			goto out;
		}
	}
	while (flock(lockfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = -errno;
			goto out;
		}
	}
	r = tt_status_load(root, state_dir, &doc);
	if (r == -EBADMSG) {
		struct tt_buf old;

		if (tt_read_file(root, path, STATUS_MAX_BYTES, &old) == 0) {
			tt_atomic_write(root, broken, old.data, old.len, 0644);
			tt_buf_free(&old);
		}
	}
	if (r < 0) {
		doc = json_object_new_object();
		if (doc == NULL) {
			r = -ENOMEM;
			goto out;
		}
	}
	tt_rfc3339_format(time(NULL), now);
	r = 0;
	tt_jsonb_int(doc, "schema", TT_STATUS_SCHEMA, &r);
	tt_jsonb_str(doc, "updated", now, &r);
	tt_jsonb_add(doc, name, section, &r);
	section = NULL;
	if (r < 0)
		goto out;
	text = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		r = -ENOMEM;
		goto out;
	}
	r = tt_atomic_write(root, path, text, strlen(text), 0644);
out:
	json_object_put(section);
	json_object_put(doc);
	if (lockfd >= 0)
		close(lockfd);
	return r;
}
