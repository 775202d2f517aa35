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
 *
 *   TT_FAULT_KILL=point:N    TT_FAULT_POINTS=FILE
 *
 * A crash point is a call that changes the file system: open or openat
 * creating or truncating, write to a regular file, fsync, rename, unlink,
 * mkdir, rmdir, link, symlink, chmod, chown, truncate, utimens.  What is
 * on disk changes only at such calls, so killing a program just before
 * each of them, one run per point, is every state a crash (kill -9, OOM,
 * power loss without a torn block) can leave: point:N sends SIGKILL
 * before the Nth point.  TT_FAULT_POINTS names a file that gets the
 * number of points of a whole run, written at exit, so a test knows how
 * many runs make the set complete.  Only the process first started under
 * the shim counts: the programs it starts inherit the environment but are
 * not the writer under test (kill those with TT_FAULT_KILL=regcomp).
 */
#include <dlfcn.h>
#include <fcntl.h>
#include <regex.h>
#include <signal.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

enum { F_WRITE, F_FSYNC, F_RENAME, F_COUNT };

static const char *const names[F_COUNT] = { "write", "fsync", "rename" };

struct rule {
	long at; /* 0: none */
	int from_on; /* fail at and after the Nth call */
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

/*
 * Crash points.  top is the pid of the process started under the shim,
 * taken from TT_FAULT_TOP (set by the first process for its children) so
 * that neither forked nor executed children count.
 */
static long kill_at = -1; /* -1: not parsed; 0: no kill */
static long points;
static pid_t top;

static void
points_setup(void)
{
	const char *k = getenv("TT_FAULT_KILL");
	const char *t = getenv("TT_FAULT_TOP");
	char buf[32];

	kill_at = 0;
	if (k != NULL && strncmp(k, "point:", 6) == 0)
		kill_at = strtol(k + 6, NULL, 10);
	if (t != NULL) {
		top = (pid_t)strtol(t, NULL, 10);
		return;
	}
	top = getpid();
	snprintf(buf, sizeof(buf), "%ld", (long)top);
	setenv("TT_FAULT_TOP", buf, 1);
}

__attribute__((constructor)) static void
points_init(void)
{
	if (kill_at < 0)
		points_setup();
}

__attribute__((destructor)) static void
points_report(void)
{
	const char *f = getenv("TT_FAULT_POINTS");
	FILE *out;

	if (f == NULL || getpid() != top)
		return;
	/* Straight to the real calls: a point counted here is no use. */
	kill_at = 0;
	top = 0;
	if ((out = fopen(f, "w")) != NULL) {
		fprintf(out, "%ld\n", points);
		fclose(out);
	}
}

/* Called before every call that changes the file system. */
static void
point(void)
{
	if (kill_at < 0)
		points_setup();
	if (getpid() != top)
		return;
	points++;
	if (kill_at > 0 && points == kill_at)
		raise(SIGKILL);
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	static ssize_t (*real)(int, const void *, size_t);
	struct stat st;

	if (real == NULL)
		real = (ssize_t(*)(int, const void *, size_t))next("write");
	if (fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		point();
		if (inject(F_WRITE))
			return -1;
	}
	return real(fd, buf, n);
}

int
fsync(int fd)
{
	static int (*real)(int);

	if (real == NULL)
		real = (int (*)(int))next("fsync");
	point();
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
	point();
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
	point();
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
	point();
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
	point();
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

/*
 * The other calls that change the file system: each is a crash point and
 * nothing more.  open and openat are points only when they create or
 * truncate.
 */
#define CREATES(flags) (((flags) & (O_CREAT | O_TRUNC | __O_TMPFILE)) != 0)

#define OPEN_LIKE(NAME)                                                        \
	int NAME(const char *path, int flags, ...)                             \
	{                                                                      \
		static int (*real)(const char *, int, ...);                    \
		mode_t mode = 0;                                               \
                                                                               \
		if (real == NULL)                                              \
			real = (int (*)(const char *, int, ...))next(#NAME);   \
		if (CREATES(flags)) {                                          \
			va_list ap;                                            \
                                                                               \
			va_start(ap, flags);                                   \
			mode = (mode_t)va_arg(ap, unsigned int);               \
			va_end(ap);                                            \
			point();                                               \
		}                                                              \
		return real(path, flags, mode);                                \
	}
OPEN_LIKE(open)
OPEN_LIKE(open64)

#define OPENAT_LIKE(NAME)                                                      \
	int NAME(int dfd, const char *path, int flags, ...)                    \
	{                                                                      \
		static int (*real)(int, const char *, int, ...);               \
		mode_t mode = 0;                                               \
                                                                               \
		if (real == NULL)                                              \
			real =                                                 \
			    (int (*)(int, const char *, int, ...))next(#NAME); \
		if (CREATES(flags)) {                                          \
			va_list ap;                                            \
                                                                               \
			va_start(ap, flags);                                   \
			mode = (mode_t)va_arg(ap, unsigned int);               \
			va_end(ap);                                            \
			point();                                               \
		}                                                              \
		return real(dfd, path, flags, mode);                           \
	}
OPENAT_LIKE(openat)
OPENAT_LIKE(openat64)

/* POINT(ret, name, (params), (args)): a pass-through that is a point. */
#define POINT(RET, NAME, PARAMS, ARGS)                                         \
	RET NAME PARAMS                                                        \
	{                                                                      \
		static RET(*real) PARAMS;                                      \
                                                                               \
		if (real == NULL)                                              \
			real = (RET(*) PARAMS)next(#NAME);                     \
		point();                                                       \
		return real ARGS;                                              \
	}
POINT(int, unlink, (const char *p), (p))
POINT(int, unlinkat, (int d, const char *p, int f), (d, p, f))
POINT(int, mkdir, (const char *p, mode_t m), (p, m))
POINT(int, mkdirat, (int d, const char *p, mode_t m), (d, p, m))
POINT(int, rmdir, (const char *p), (p))
POINT(int, link, (const char *a, const char *b), (a, b))
POINT(int, linkat, (int da, const char *a, int db, const char *b, int f),
    (da, a, db, b, f))
POINT(int, symlink, (const char *a, const char *b), (a, b))
POINT(int, symlinkat, (const char *a, int d, const char *b), (a, d, b))
POINT(int, chmod, (const char *p, mode_t m), (p, m))
POINT(int, fchmod, (int fd, mode_t m), (fd, m))
POINT(int, fchmodat, (int d, const char *p, mode_t m, int f), (d, p, m, f))
POINT(int, chown, (const char *p, uid_t u, gid_t g), (p, u, g))
POINT(int, lchown, (const char *p, uid_t u, gid_t g), (p, u, g))
POINT(int, fchown, (int fd, uid_t u, gid_t g), (fd, u, g))
POINT(int, fchownat, (int d, const char *p, uid_t u, gid_t g, int f),
    (d, p, u, g, f))
POINT(int, truncate, (const char *p, off_t n), (p, n))
POINT(int, ftruncate, (int fd, off_t n), (fd, n))
POINT(int, utimensat, (int d, const char *p, const struct timespec t[2], int f),
    (d, p, t, f))
POINT(int, futimens, (int fd, const struct timespec t[2]), (fd, t))
