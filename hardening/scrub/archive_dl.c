#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

#include <bsd/string.h>

#define TT_ARCHIVE_DL_SELF
#include "scrub/archive_dl.h"

struct tt_archive_fns tt_archive_fns;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static bool loaded;
static char load_error[256];

static void
load(void)
{
	/* The soname of libarchive 3 on Debian, Ubuntu and RHEL. */
	void *h = dlopen("libarchive.so.13", RTLD_NOW | RTLD_LOCAL);

	if (h == NULL) {
		snprintf(load_error, sizeof(load_error),
		    "cannot load libarchive.so.13: %s", dlerror());
		return;
	}
#define TT_ARCHIVE_SYM(name)                                                   \
	*(void **)&tt_archive_fns.name = dlsym(h, #name);                      \
	if (tt_archive_fns.name == NULL) {                                     \
		snprintf(load_error, sizeof(load_error),                       \
		    "libarchive lacks %s", #name);                             \
		return;                                                        \
	}
	TT_ARCHIVE_FUNCS(TT_ARCHIVE_SYM)
#undef TT_ARCHIVE_SYM
	loaded = true;
}

int
tt_archive_dl(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (loaded)
		return 0;
	if (err != NULL && errlen > 0)
		strlcpy(err, load_error, errlen);
	return -ENOSYS;
}
