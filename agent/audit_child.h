/*
 * The audit of a report round, run in a child process of its own.  A
 * report must go out even when the audit cannot finish: a probe that
 * crashes on a strange file system, or the OOM killer choosing the audit
 * on a small VM, costs the round its audit section (the report says why)
 * instead of the whole round.  The audit's heap and rule pack also never
 * share an address space with libcurl and TLS, so the round's peak memory
 * is the larger of the two phases rather than their sum, and the audit
 * runs while the parent waits on IMDS and verifies the tattoo.
 */
#ifndef TT_AUDIT_APART_H
#define TT_AUDIT_APART_H

#include <stddef.h>
#include <sys/types.h>

#include <json-c/json.h>

struct tt_ctx;

struct tt_audit_child {
	pid_t pid; /* 0: none running */
	int fd; /* the read end of its answer */
};

/*
 * Forks a child that runs tt_audit_summary (audit_summary.h) over ctx's root
 * with profile and the deadline timeout_s.  Call it while the process has
 * one thread (before libcurl is loaded).  0, or a negative errno with a
 * reason in err.  With the environment variable TATTOO_TEST_PAUSE=audit
 * the child stops itself (SIGSTOP) before it audits: tests of the
 * deadline make an audit that never ends that way.
 */
int tt_audit_child_start(struct tt_ctx *ctx, const char *profile,
    long timeout_s, struct tt_audit_child *child, char *err, size_t errlen);

/*
 * Waits for the child, at most wait_ms milliseconds (< 0: no limit), and
 * returns what tt_audit_summary returned: the status section in *ret, or
 * a negative errno with the audit's reason in err.  Also -ECHILD when the
 * child died ("killed by signal 9 (KILL)") or exited without an answer,
 * -EPROTO when the answer is unreadable, -ETIMEDOUT when it did not answer
 * in time (it is killed and reaped).
 */
int tt_audit_child_finish(struct tt_audit_child *child, long wait_ms,
    json_object **ret, char *err, size_t errlen);

/* Kills and reaps a child whose answer is no longer wanted; accepts one
 * already finished. */
void tt_audit_child_abandon(struct tt_audit_child *child);

#endif
