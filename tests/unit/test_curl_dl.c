/* ldflags: -Wl,--wrap=dlopen -Wl,--wrap=dlsym */
#include <dlfcn.h>
#include <stdbool.h>
#include <sys/wait.h>

#include "curl_dl.h"
#include "tt_test.h"

/* dlopen and dlsym that fail on request, as on a machine without
 * libcurl or with a libcurl too old to have a function. */
static bool fail_dlopen;
static const char *fail_sym; /* this symbol is missing */
static char soname[64]; /* what was asked for */

void *__real_dlopen(const char *file, int flags);
void *__wrap_dlopen(const char *file, int flags);
void *__real_dlsym(void *h, const char *name);
void *__wrap_dlsym(void *h, const char *name);

void *
__wrap_dlopen(const char *file, int flags)
{
	if (file != NULL)
		snprintf(soname, sizeof(soname), "%s", file);
	if (fail_dlopen)
		return NULL;
	return __real_dlopen(file, flags);
}

void *
__wrap_dlsym(void *h, const char *name)
{
	if (fail_sym != NULL && strcmp(name, fail_sym) == 0)
		return NULL;
	return __real_dlsym(h, name);
}

/* tt_curl loads once per process: each case in a child of its own, its
 * answer ("ok" or the reason) read back through a pipe. */
static void
child_answer(char *out, size_t len)
{
	int p[2];
	pid_t pid;
	ssize_t n;

	if (pipe(p) < 0 || (pid = fork()) < 0)
		exit(2);
	if (pid == 0) {
		const struct tt_curl_api *a, *b;
		char err[256] = "unset", msg[512];

		close(p[0]);
		a = tt_curl(err, sizeof(err));
		b = tt_curl(NULL, 0); /* no buffer: no crash */
		if (a != NULL && a == b && a->easy_strerror != NULL &&
		    a->slist_free_all != NULL && a->easy_init != NULL) {
			CURL *c = a->easy_init();

			snprintf(msg, sizeof(msg), "ok %s %s %s", soname,
			    c != NULL ? "handle" : "nohandle",
			    getenv("GNUTLS_NO_IMPLICIT_INIT") ? "env" :
								"noenv");
			if (c != NULL)
				a->easy_cleanup(c);
		} else if (a == NULL && b == NULL) {
			snprintf(msg, sizeof(msg), "%s", err);
		} else {
			snprintf(msg, sizeof(msg), "inconsistent");
		}
		if (write(p[1], msg, strlen(msg)) < 0)
			_exit(3);
		_exit(0);
	}
	close(p[1]);
	n = read(p[0], out, len - 1);
	out[n > 0 ? n : 0] = '\0';
	close(p[0]);
	waitpid(pid, NULL, 0);
}

static void
test_cases(void)
{
	static const struct {
		bool fail_dlopen;
		const char *fail_sym;
		const char *want; /* prefix of the answer */
	} cases[] = {
		/* libcurl found: every function, a working handle, and the
		 * GnuTLS switch set only while loading */
		{ false, NULL, "ok libcurl.so.4 handle noenv" },
		{ true, NULL, "cannot load libcurl.so.4: " },
		{ false, "curl_easy_perform",
		    "libcurl lacks curl_easy_perform" },
		{ false, "curl_slist_free_all",
		    "libcurl lacks curl_slist_free_all" },
	};
	char out[512];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fail_dlopen = cases[i].fail_dlopen;
		fail_sym = cases[i].fail_sym;
		child_answer(out, sizeof(out));
		CHECK(strncmp(out, cases[i].want, strlen(cases[i].want)) == 0);
		if (strncmp(out, cases[i].want, strlen(cases[i].want)) != 0)
			fprintf(stderr, "# case %zu: '%s'\n", i, out);
	}
	fail_dlopen = false;
	fail_sym = NULL;
}

/* A GNUTLS_NO_IMPLICIT_INIT the user set is left as it was. */
static void
test_user_env_kept(void)
{
	char out[512];

	setenv("GNUTLS_NO_IMPLICIT_INIT", "0", 1);
	child_answer(out, sizeof(out));
	CHECK_STR(out, "ok libcurl.so.4 handle env");
	unsetenv("GNUTLS_NO_IMPLICIT_INIT");
}

int
main(void)
{
	RUN(test_cases);
	RUN(test_user_env_kept);
	TEST_EXIT();
}
