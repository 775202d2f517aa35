#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audit_summary.h"
#include "audit_child.h"
#include "cli.h"
#include "buf.h"
#include "canon.h"
#include "json.h"
#include "fileio.h"
#include "process.h"
#include "log.h"
#include "tt.h"

/* The status section names at most every rule of a pack with a reason
 * each: far below this. */
#define ANSWER_MAX ((size_t)8 * 1024 * 1024)

/* In the child: the answer is {"audit": SECTION} or {"error": WHY,
 * "errno": N}; the exit status is 0 once it is written whole. */
static int
child(int fd, pid_t parent, struct tt_ctx *ctx, const char *profile,
    long timeout_s)
{
	json_object *section = NULL, *answer;
	char why[512] = "";
	const char *text;
	int r;

	/* An audit left running by a killed parent would only write into a
	 * pipe nobody reads. */
	(void)prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		return 1; /* it died before the line above */
	/* The test hook TATTOO_TEST_PAUSE=audit (an audit that hangs) is
	 * in tt_audit_job_run, which tt_audit_summary_tailored runs. */
	r = tt_audit_summary_tailored(&ctx->root,
	    profile != NULL ? profile : tt_ctx_profile(ctx),
	    tt_ctx_tailoring(ctx), timeout_s, &section, why, sizeof(why));
	if ((answer = json_object_new_object()) == NULL)
		return 1;
	if (r == 0) {
		json_object_object_add(answer, "audit", section);
	} else {
		json_object_object_add(answer, "error",
		    json_object_new_string(why[0] ? why : tt_strerror(r)));
		json_object_object_add(answer, "errno",
		    json_object_new_int(-r));
	}
	text = json_object_to_json_string_ext(answer, JSON_C_TO_STRING_PLAIN);
	r = text != NULL ? tt_write_all(fd, text, strlen(text)) : -ENOMEM;
	json_object_put(answer);
	return r < 0 ? 1 : 0;
}

static void
describe_death(int wstatus, char *err, size_t errlen)
{
	if (WIFSIGNALED(wstatus)) {
		const char *name = sigabbrev_np(WTERMSIG(wstatus));

		tt_seterr(err, errlen,
		    "the audit process was killed by signal %d (%s)",
		    WTERMSIG(wstatus), name ? name : "unknown");
	} else {
		tt_seterr(err, errlen,
		    "the audit process exited with status %d and no answer",
		    WEXITSTATUS(wstatus));
	}
}

static int64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child's answer, read before it is reaped so a large one cannot
 * block it on a full pipe; -ETIMEDOUT once wait_ms (>= 0) have passed. */
static int
read_answer(int fd, long wait_ms, struct tt_buf *b)
{
	int64_t end = wait_ms >= 0 ? now_ms() + wait_ms : 0;
	char chunk[16384];

	tt_buf_init(b, ANSWER_MAX);
	for (;;) {
		ssize_t n;

		if (wait_ms >= 0) {
			struct pollfd pfd = { .fd = fd, .events = POLLIN };
			int64_t left = end - now_ms();
			int pr;

			if (left < 0)
				left = 0;
			pr = poll(&pfd, 1, left > 60000 ? 60000 : (int)left);
			if (pr < 0 && errno == EINTR)
				continue;
			if (pr < 0)
				return -errno;
			if (pr == 0 && left < 60000)
				return -ETIMEDOUT;
			if (pr == 0)
				continue;
		}
		n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		if (tt_buf_append(b, chunk, (size_t)n) < 0)
			return -EFBIG;
	}
}

static int
take_answer(const struct tt_buf *b, json_object **ret, char *err, size_t errlen)
{
	json_object *doc, *v;
	char why[128];
	int r = -EPROTO;

	if ((doc = tt_json_parse(b->data, b->len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "the audit process answered no JSON: %s",
		    why);
		return -EPROTO;
	}
	if (json_object_object_get_ex(doc, "audit", &v) &&
	    json_object_is_type(v, json_type_object)) {
		*ret = json_object_get(v);
		r = 0;
	} else if (json_object_object_get_ex(doc, "error", &v) &&
	    json_object_is_type(v, json_type_string)) {
		json_object *e;

		strlcpy(err, json_object_get_string(v), errlen);
		if (json_object_object_get_ex(doc, "errno", &e) &&
		    json_object_is_type(e, json_type_int) &&
		    json_object_get_int(e) > 0)
			r = -json_object_get_int(e);
	} else {
		tt_seterr(err, errlen,
		    "the audit process answered neither an "
		    "audit nor an error");
	}
	json_object_put(doc);
	return r;
}

int
tt_audit_child_start(struct tt_ctx *ctx, const char *profile, long timeout_s,
    struct tt_audit_child *c, char *err, size_t errlen)
{
	pid_t pid, parent = getpid();
	int fds[2], r;

	c->pid = 0;
	c->fd = -1;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot make a pipe: %s",
		    tt_strerror(-errno));
		return r;
	}
	/* What stdio holds would otherwise be written by both processes. */
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot fork the audit: %s",
		    tt_strerror(-errno));
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	if (pid == 0) {
		close(fds[0]);
		r = child(fds[1], parent, ctx, profile, timeout_s);
		close(fds[1]);
		/* The parent's atexit handlers and stdio are the parent's. */
		_exit(r);
	}
	close(fds[1]);
	c->pid = pid;
	c->fd = fds[0];
	return 0;
}

int
tt_audit_child_finish(struct tt_audit_child *c, long wait_ms, json_object **ret,
    char *err, size_t errlen)
{
	struct tt_buf answer = { 0 };
	int wstatus = 0, r, rw;

	*ret = NULL;
	if (c->pid <= 0) {
		tt_seterr(err, errlen, "no audit was started");
		return -ECHILD;
	}
	r = read_answer(c->fd, wait_ms, &answer);
	close(c->fd);
	c->fd = -1;
	if (r < 0)
		kill(c->pid, SIGKILL);
	rw = tt_wait_child(c->pid, &wstatus);
	c->pid = 0;
	if (rw < 0) {
		tt_seterr(err, errlen, "cannot wait for the audit: %s",
		    tt_strerror(-rw));
		r = rw;
	} else if (r == -ETIMEDOUT) {
		tt_seterr(err, errlen,
		    "the audit did not finish within %ld s: killed",
		    wait_ms / 1000);
	} else if (r < 0) {
		tt_seterr(err, errlen, "cannot read the audit's answer: %s",
		    tt_strerror(r));
	} else if (!WIFEXITED(wstatus) || WEXITSTATUS(wstatus) != 0) {
		describe_death(wstatus, err, errlen);
		r = -ECHILD;
	} else {
		r = take_answer(&answer, ret, err, errlen);
	}
	tt_buf_free(&answer);
	return r;
}

void
tt_audit_child_abandon(struct tt_audit_child *c)
{
	int wstatus;

	if (c->fd >= 0) {
		close(c->fd);
		c->fd = -1;
	}
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		(void)tt_wait_child(c->pid, &wstatus);
		c->pid = 0;
	}
}
