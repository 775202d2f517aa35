#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "process.h"
#include "tt.h"

#define SPAWN_PATH "/usr/sbin:/usr/bin:/sbin:/bin"

static long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static int
resolve(const char *name, char *out, size_t size)
{
	char dirs[] = SPAWN_PATH, *save = NULL;

	if (strchr(name, '/') != NULL) {
		if (strlcpy(out, name, size) >= size)
			return -ENAMETOOLONG;
		return access(out, X_OK) == 0 ? 0 : -errno;
	}
	for (char *d = strtok_r(dirs, ":", &save); d != NULL;
	     d = strtok_r(NULL, ":", &save)) {
		if ((size_t)snprintf(out, size, "%s/%s", d, name) >= size)
			continue;
		if (access(out, X_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* Reads what is available on fd into b; past the bound it is dropped so
 * the child never blocks on a full pipe.  Returns 0 at EOF, 1 otherwise. */
static int
drain(int fd, struct tt_buf *b)
{
	char chunk[8192];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	if (b->len < b->max)
		tt_buf_append(b, chunk,
		    (size_t)n > b->max - b->len ? b->max - b->len : (size_t)n);
	return 1;
}

int
tt_spawn(char *const argv[], size_t max_output, int timeout_ms,
    struct tt_spawn_result *ret)
{
	static char *const envp[] = { "PATH=" SPAWN_PATH, "LC_ALL=C", NULL };
	posix_spawn_file_actions_t fa;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 };
	char path[4096];
	struct pollfd pfd[2];
	long deadline;
	pid_t pid;
	int r, wstatus, open_fds = 2;

	memset(ret, 0, sizeof(*ret));
	tt_buf_init(&ret->out, max_output);
	tt_buf_init(&ret->err, (size_t)16 * 1024);
	if ((r = resolve(argv[0], path, sizeof(path))) < 0)
		return r;
	if (pipe2(outp, O_CLOEXEC) < 0 || pipe2(errp, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
	posix_spawn_file_actions_adddup2(&fa, errp[1], 2);
	r = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(outp[1]);
	close(errp[1]);
	outp[1] = errp[1] = -1;
	if (r != 0) {
		r = -r;
		goto out;
	}
	deadline = now_ms() + timeout_ms;
	pfd[0] = (struct pollfd){ .fd = outp[0], .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = errp[0], .events = POLLIN };
	while (open_fds > 0) {
		long left = deadline - now_ms();

		if (left <= 0) {
			ret->timed_out = true;
			kill(pid, SIGKILL);
			break;
		}
		if (poll(pfd, 2, (int)left) < 0 && errno != EINTR)
			break;
		for (int i = 0; i < 2; i++) {
			if (pfd[i].fd < 0 ||
			    !(pfd[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			if (!drain(pfd[i].fd, i == 0 ? &ret->out : &ret->err)) {
				pfd[i].fd = -1;
				open_fds--;
			}
		}
	}
	if ((r = tt_wait_child(pid, &wstatus)) < 0)
		goto out;
	if (WIFEXITED(wstatus))
		ret->status = WEXITSTATUS(wstatus);
	else
		ret->status = 128 + WTERMSIG(wstatus);
	if (ret->out.data == NULL)
		tt_buf_append(&ret->out, "", 0);
	if (ret->err.data == NULL)
		tt_buf_append(&ret->err, "", 0);
	r = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0)
			close(outp[i]);
		if (errp[i] >= 0)
			close(errp[i]);
	}
	if (r < 0)
		tt_spawn_result_free(ret);
	return r;
}

int
tt_wait_child(pid_t pid, int *wstatus)
{
	while (waitpid(pid, wstatus, 0) < 0) {
		if (errno != EINTR)
			return -errno;
	}
	return 0;
}

void
tt_spawn_result_free(struct tt_spawn_result *r)
{
	if (r == NULL)
		return;
	tt_buf_free(&r->out);
	tt_buf_free(&r->err);
}
