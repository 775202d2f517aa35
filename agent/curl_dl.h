/*
 * libcurl, loaded when the first HTTP request is made rather than at
 * start: libcurl and the libraries it pulls in (HTTP/2, IDN, SSH, LDAP,
 * Kerberos, compression) are most of the agent's resident memory, and
 * audit, harden, scrub, show and verify never use the network.
 */
#ifndef TT_CURL_DL_H
#define TT_CURL_DL_H

#include <curl/curl.h>

struct tt_curl_api {
	CURLcode (*global_init)(long flags);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *c, CURLoption opt, ...);
	CURLcode (*easy_perform)(CURL *c);
	CURLcode (*easy_getinfo)(CURL *c, CURLINFO info, ...);
	void (*easy_cleanup)(CURL *c);
	const char *(*easy_strerror)(CURLcode code);
	struct curl_slist *(*slist_append)(struct curl_slist *l, const char *s);
	void (*slist_free_all)(struct curl_slist *l);
};

/*
 * Loads libcurl (once, thread-safe) and returns its functions, or NULL
 * with the reason in err when it cannot be loaded.
 */
const struct tt_curl_api *tt_curl(char *err, size_t errlen);

#endif
