/*
 * Running a program when one must run (rpm, systemctl, apt-get inside an
 * image): posix_spawn with an argv, never a shell; an empty environment
 * but PATH and LC_ALL=C; stdin from /dev/null; stdout captured up to a
 * bound; a time limit after which the child is killed.
 */
#ifndef TT_PROCESS_H
#define TT_PROCESS_H

#include <stdbool.h>
#include <sys/types.h>

#include "buf.h"

struct tt_spawn_result {
	int status; /* exit status, or 128 + signal */
	bool timed_out;
	struct tt_buf out; /* stdout, at most max_output bytes */
	struct tt_buf err; /* stderr, at most 16 KiB */
};

/*
 * Runs argv[0] (a path, or a name looked up in a fixed PATH of /usr/sbin,
 * /usr/bin, /sbin, /bin) with argv.  Returns 0 when the program ran
 * (whatever its exit status, see ret->status), -ENOENT when it does not
 * exist, or another negative errno.  ret must be released with
 * tt_spawn_result_free.
 */
int tt_spawn(char *const argv[], size_t max_output, int timeout_ms,
    struct tt_spawn_result *ret);

void tt_spawn_result_free(struct tt_spawn_result *r);

/* waitpid(pid) until it answers other than EINTR: 0 with the status in
 * *wstatus, or a negative errno. */
int tt_wait_child(pid_t pid, int *wstatus);

#endif
