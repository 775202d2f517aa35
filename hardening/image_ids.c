#include "buf.h"
#include "fileio.h"
#include "image_ids.h"
#include "tt.h"

#define ID_FILE_MAX ((size_t)16 * 1024 * 1024)

/* Third field of the line whose first field is name ("name:x:ID:..."). */
static int
lookup(const struct tt_root *root, const char *file, const char *name,
    unsigned *ret)
{
	const char *errstr = NULL;
	struct tt_buf text;
	size_t nl = strlen(name);
	int r;

	if (name[0] >= '0' && name[0] <= '9') {
		long long v = strtonum(name, 0, UINT32_MAX - 1, &errstr);

		if (errstr != NULL)
			return -EINVAL;
		*ret = (unsigned)v;
		return 0;
	}
	if ((r = tt_read_file(root, file, ID_FILE_MAX, &text)) < 0)
		return r;
	r = -ENOENT;
	for (const char *p = text.data; p != NULL && *p;) {
		const char *end = strchr(p, '\n'), *f2, *f3;
		char id[16];
		size_t il;

		if (strncmp(p, name, nl) == 0 && p[nl] == ':' &&
		    (f2 = strchr(p + nl + 1, ':')) != NULL &&
		    (end == NULL || f2 < end)) {
			f3 = strchr(f2 + 1, ':');
			il = f3 ? (size_t)(f3 - f2 - 1) : 0;
			if (il > 0 && il < sizeof(id)) {
				memcpy(id, f2 + 1, il);
				id[il] = '\0';
				long long v =
				    strtonum(id, 0, UINT32_MAX - 1, &errstr);
				if (errstr == NULL) {
					*ret = (unsigned)v;
					r = 0;
				}
			}
			break;
		}
		p = end ? end + 1 : NULL;
	}
	tt_buf_free(&text);
	return r;
}

int
tt_image_uid(const struct tt_root *root, const char *name, uid_t *ret)
{
	unsigned v;
	int r = lookup(root, "/etc/passwd", name, &v);

	if (r == 0)
		*ret = (uid_t)v;
	return r;
}

int
tt_image_gid(const struct tt_root *root, const char *name, gid_t *ret)
{
	unsigned v;
	int r = lookup(root, "/etc/group", name, &v);

	if (r == 0)
		*ret = (gid_t)v;
	return r;
}
