/*
 * tt_unpack_names and tt_unpack_stream (an image's initramfs, dnf's
 * compressed metadata) over arbitrary bytes in a memfd, with small
 * caps.  Properties: a result of 0 or one of the documented errors with
 * a reason; the caps hold (members, bytes decompressed, names); names
 * are terminated strings.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "buf.h"
#include "fuzz.h"
#include "unpack.h"
#include "tt.h"

static int
on_name(const char *name, void *arg)
{
	size_t *n = arg;

	FUZZ_ASSERT(strlen(name) <= 256);
	return ++*n >= 1000 ? 1 : 0;
}

static bool
allowed(int r)
{
	return r == 0 || r == -EFBIG || r == -E2BIG || r == -ENAMETOOLONG ||
	    r == -EINVAL || r == -ENOMEM || r == -ENOSYS;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tt_unpack_limits lim;
	struct tt_unpack_info info;
	struct tt_buf out;
	char err[256] = "", filter[32];
	size_t n = 0;
	int fd = memfd_create("fuzz", MFD_CLOEXEC), r;

	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	tt_unpack_limits_default(&lim);
	lim.max_output = (uint64_t)4 << 20;
	lim.max_members = 500;
	lim.max_name = 256;
	r = tt_unpack_names(fd, &lim, on_name, &n, &info, err, sizeof(err));
	FUZZ_ASSERT(allowed(r));
	FUZZ_ASSERT(r == 0 || err[0] != '\0');
	FUZZ_ASSERT(info.members <= lim.max_members);
	FUZZ_ASSERT(info.segments <= lim.max_segments);
	err[0] = '\0';
	r = tt_unpack_stream(fd, &lim, &out, filter, sizeof(filter), err,
	    sizeof(err));
	FUZZ_ASSERT(allowed(r));
	FUZZ_ASSERT(r == 0 || err[0] != '\0');
	FUZZ_ASSERT(out.len <= lim.max_output);
	tt_buf_free(&out);
	close(fd);
	return 0;
}
