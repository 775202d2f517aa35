/*
 * Azure Instance Metadata Service client (read-only).  GET
 * {imds_url}/metadata/instance?api-version=2021-02-01 with "Metadata: true",
 * never through a proxy, 2-second time limits, bounded retries with backoff
 * on 410, 429 and 5xx.  No answer at all means "not on Azure": a normal
 * state that returns -EHOSTUNREACH at once, never a hang.
 */
#ifndef TT_IMDS_H
#define TT_IMDS_H

#include <stdbool.h>
#include <stddef.h>

#include "config.h"

#define TT_IMDS_API_VERSION "2021-02-01"
#define TT_IMDS_MAX_TAGS 64

struct tt_image_reference {
	char id[1024];
	char publisher[256];
	char offer[256];
	char sku[256];
	char version[128];
	char exact_version[128];
	char shared_gallery_image_id[1024];
	char community_gallery_image_id[1024];
};

struct tt_imds_tag {
	char name[513];
	char value[257];
};

struct tt_imds_instance {
	char vm_id[64];
	char resource_id[1024];
	char name[256];
	char location[64];
	char subscription_id[64];
	char resource_group[256];
	char vm_size[64];
	char os_type[32];
	char version[128]; /* compute.version: the resolved image version */
	struct tt_image_reference image;
	size_t n_tags;
	struct tt_imds_tag tags[TT_IMDS_MAX_TAGS];
};

/*
 * Parses an IMDS instance document.  Absent fields are "" as IMDS itself
 * says them.  -EBADMSG when text is not JSON or "compute" is not an object.
 */
int tt_imds_parse_instance(const char *text, size_t len,
    struct tt_imds_instance *ret);

/*
 * Fetches and parses the instance document.  Returns 0; -EHOSTUNREACH when
 * nothing answers (not on Azure); -EIO when IMDS kept failing after the
 * retries, or answered with a status that is not retried; -EBADMSG for a
 * malformed answer.  err says what happened in words.
 */
int tt_imds_get_instance(const struct tt_config *cfg,
    struct tt_imds_instance *ret, char *err, size_t errlen);

/*
 * How one kind of IMDS request is retried.  backoff_s[i] seconds (times
 * cfg->retry_scale_ms) pass before retry i + 1; n_backoff retries follow
 * the first attempt.  410, 429 and 5xx are retried, 404 too when
 * retry_404; a 429's Retry-After replaces the step, capped at
 * max_retry_after_s.  A time-out is retried when retry_timeout; without
 * it, a time-out before any byte of an answer means nothing is there (not
 * on Azure).  name starts the messages ("token" gives "token request
 * failed: ...").  When requests is not NULL it counts every attempt.
 * tt_imds_request turns it into a struct tt_retry_policy (retry.h).
 */
struct tt_imds_policy {
	const char *name;
	const int *backoff_s;
	size_t n_backoff;
	long max_retry_after_s;
	bool retry_404;
	bool retry_timeout;
	long connect_timeout_ms;
	long timeout_ms;
	size_t max_response;
	unsigned *requests;
};

/*
 * GETs imds_url + path_query with "Metadata: true", never through a
 * proxy, retrying as policy says.  Returns 0 with a 2xx answer in
 * *ret_resp, which the caller releases with tt_http_response_free (it
 * wipes the body).  Otherwise *ret_resp is untouched, every answer has
 * been wiped and freed, err says what happened, and the code is:
 * -EHOSTUNREACH when nothing answers (not on Azure); -EACCES when IMDS
 * answered a status the policy does not retry; -EIO when every retry was
 * spent (on a status or a time-out) or the transport failed otherwise;
 * -ENAMETOOLONG when the URL does not fit.  When last_status is not NULL
 * it is set to the status of the last answer, 0 when the last attempt
 * got none: callers that word a refusal themselves use it.
 */
struct tt_http_response;
int tt_imds_request(const struct tt_config *cfg, const char *path_query,
    const struct tt_imds_policy *policy, struct tt_http_response *ret_resp,
    long *last_status, char *err, size_t errlen);

/*
 * tt_imds_request with the instance policy: 2-second time limits, 410, 429
 * and 5xx retried for about a minute.  Returns as tt_imds_get_instance.
 */
int tt_imds_get(const struct tt_config *cfg, const char *path_query,
    struct tt_http_response *resp, char *err, size_t errlen);

#endif
