#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "http.h"
#include "runlock.h"
#include "tt.h"

int
tt_runlock_take(const struct tt_root *root, const char *state_dir, long wait_ms)
{
	char path[PATH_MAX];
	struct stat st;
	int fd, n;

	n = snprintf(path, sizeof(path), "%s/%s", state_dir, TT_RUNLOCK_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	if ((fd = tt_root_mkdir_p(root, state_dir, 0755)) < 0)
		return fd;
	/* O_NONBLOCK | O_NOCTTY: a FIFO or device planted as the lock must
	 * neither hang nor become our terminal before it is refused. */
	if (root != NULL)
		fd = tt_root_open(root, path,
		    O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			O_CLOEXEC,
		    0600);
	else if ((fd = open(path,
		      O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY |
			  O_CLOEXEC,
		      0600)) < 0)
		fd = -errno;
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -TT_ENOTREG;
	}
	for (long waited = 0;; waited += 50) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
		if (errno != EWOULDBLOCK && errno != EINTR) {
			n = -errno;
			close(fd);
			return n;
		}
		if (waited >= wait_ms) {
			close(fd);
			return -EWOULDBLOCK;
		}
		tt_sleep_ms(50);
	}
}
