#include <dlfcn.h>
#include <pthread.h>

#include "curl_dl.h"
#include "tt.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct tt_curl_api api;
static bool loaded;
static char load_error[256];

#define SYM(field, name)                                                       \
	do {                                                                   \
		*(void **)&api.field = dlsym(h, name);                         \
		if (api.field == NULL) {                                       \
			snprintf(load_error, sizeof(load_error),               \
			    "libcurl lacks %s", name);                         \
			return;                                                \
		}                                                              \
	} while (0)

static void
load(void)
{
	bool quiet_gnutls = getenv("GNUTLS_NO_IMPLICIT_INIT") == NULL;
	void *h;

	/* Debian's libcurl (OpenSSL) pulls in GnuTLS through librtmp, and
	 * GnuTLS initialises itself in its constructor: p11-kit modules,
	 * its config, 0.7 MB of a report's memory for a protocol we never
	 * enable.  Its documented switch turns that off; a libcurl built on
	 * GnuTLS still calls gnutls_global_init itself. */
	if (quiet_gnutls)
		(void)setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
	/* The soname of every libcurl since 7.16 on Debian and RHEL. */
	h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
	if (quiet_gnutls)
		(void)unsetenv("GNUTLS_NO_IMPLICIT_INIT");
	if (h == NULL) {
		snprintf(load_error, sizeof(load_error),
		    "cannot load "
		    "libcurl.so.4: %s",
		    dlerror());
		return;
	}
	SYM(global_init, "curl_global_init");
	SYM(easy_init, "curl_easy_init");
	SYM(easy_setopt, "curl_easy_setopt");
	SYM(easy_perform, "curl_easy_perform");
	SYM(easy_getinfo, "curl_easy_getinfo");
	SYM(easy_cleanup, "curl_easy_cleanup");
	SYM(easy_strerror, "curl_easy_strerror");
	SYM(slist_append, "curl_slist_append");
	SYM(slist_free_all, "curl_slist_free_all");
	if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(load_error, sizeof(load_error),
		    "curl_global_init "
		    "failed");
		return;
	}
	loaded = true;
}

const struct tt_curl_api *
tt_curl(char *err, size_t errlen)
{
	pthread_once(&once, load);
	if (!loaded) {
		if (err != NULL && errlen > 0)
			strlcpy(err, load_error, errlen);
		return NULL;
	}
	return &api;
}
