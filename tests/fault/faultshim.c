/*
 * Fault injection by LD_PRELOAD: makes chosen calls of write(), fsync()
 * or rename() fail as a full or broken disk would, so tests can check that
 * every writer leaves the previous state intact and says what failed.
 *
 *   TT_FAULT=CALL:N[+][:ERRNO][,CALL:N...]
 *
 * CALL is write (counting only writes to regular files on descriptors
 * above 2, so the program can still report on stdout and stderr), fsync
 * (fsync and fdatasync, files and directories alike) or rename (rename,
 * renameat, renameat2).  N counts from 1; "N+" fails the Nth call and
 * every later one (a disk that stays full).  ERRNO is ENOSPC (default),
 * EIO or EDQUOT.  With TT_FAULT_LOG set, each injected failure is logged
 * to stderr.
 *
 *   TT_FAULT_KILL=regcomp
 *
 * makes the first regcomp() of a process kill it with SIGKILL, as the OOM
 * killer would: only the audit compiles regular expressions, so this
 * kills the audit of a report round and nothing else.
 */
#include <dlfcn.h>
#include <regex.h>
#include <signal.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_COUNT };

static const char *const names[F_COUNT] = { "write", "fsync", "rename" };

struct rule {
	long at;	/* 0: none */
	int from_on;	/* fail at and after the Nth call */
	int err;
};

static struct rule rules[F_COUNT];
static long counts[F_COUNT];
static int parsed;

static int
errno_named(const char *s)
{
	if (s == NULL || *s == '\0' || strcmp(s, "ENOSPC") == 0)
		return ENOSPC;
	if (strcmp(s, "EIO") == 0)
		return EIO;
	if (strcmp(s, "EDQUOT") == 0)
		return EDQUOT;
	return ENOSPC;
}

static void
parse(void)
{
	char spec[256], *save = NULL, *item;
	const char *env = getenv("TT_FAULT");

	parsed = 1;
	if (env == NULL || strlen(env) >= sizeof(spec))
		return;
	memcpy(spec, env, strlen(env) + 1);
	for (item = strtok_r(spec, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save)) {
		char *n = strchr(item, ':'), *e, *end;

		if (n == NULL)
			continue;
		*n++ = '\0';
		e = strchr(n, ':');
		if (e != NULL)
			*e++ = '\0';
		for (int i = 0; i < F_COUNT; i++) {
			if (strcmp(item, names[i]) != 0)
				continue;
			rules[i].at = strtol(n, &end, 10);
			rules[i].from_on = *end == '+';
			rules[i].err = errno_named(e);
		}
	}
}

/* True when this call of kind k is to fail; sets errno. */
static int
inject(int k)
{
	long c;

	if (!parsed)
		parse();
	if (rules[k].at <= 0)
		return 0;
	c = ++counts[k];
	if (c == rules[k].at || (rules[k].from_on && c > rules[k].at)) {
		if (getenv("TT_FAULT_LOG") != NULL)
			fprintf(stderr, "faultshim: %s #%ld fails: %s\n",
			    names[k], c, strerror(rules[k].err));
		errno = rules[k].err;
		return 1;
	}
	return 0;
}

static void *
next(const char *sym)
{
	void *p = dlsym(RTLD_NEXT, sym);

	if (p == NULL)
		abort();
	return p;
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	struct stat st;

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t))next("write");
	if (fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    inject(F_WRITE))
		return -1;
	return real(fd, buf, n);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))next("fsync");
	if (inject(F_FSYNC))
		return -1;
	return real(fd);
}

int
fdatasync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))next("fdatasync");
	if (inject(F_FSYNC))
		return -1;
	return real(fd);
}

int
rename(const char *a, const char *b)
{
	static int (*real)(const char *, const char *);

	if (real == NULL)
		real = (int (*)(const char *, const char *))next("rename");
	if (inject(F_RENAME))
		return -1;
	return real(a, b);
}

int
renameat(int da, const char *a, int db, const char *b)
{
	static int (*real)(int, const char *, int, const char *);

	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *))next(
		    "renameat");
	if (inject(F_RENAME))
		return -1;
	return real(da, a, db, b);
}

int
renameat2(int da, const char *a, int db, const char *b, unsigned flags)
{
	static int (*real)(int, const char *, int, const char *, unsigned);

	if (real == NULL)
		real = (int (*)(int, const char *, int, const char *,
		    unsigned))next("renameat2");
	if (inject(F_RENAME))
		return -1;
	return real(da, a, db, b, flags);
}

int
regcomp(regex_t *re, const char *pattern, int flags)
{
	static int (*real)(regex_t *, const char *, int);
	const char *kill_in = getenv("TT_FAULT_KILL");

	if (real == NULL)
		real = (int (*)(regex_t *, const char *, int))next("regcomp");
	if (kill_in != NULL && strcmp(kill_in, "regcomp") == 0)
		raise(SIGKILL);
	return real(re, pattern, flags);
}
