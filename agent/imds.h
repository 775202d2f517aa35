/*
 * Azure Instance Metadata Service client (read-only).  GET
 * {imds_url}/metadata/instance?api-version=2021-02-01 with "Metadata: true",
 * never through a proxy, 2-second time limits, bounded retries with backoff
 * on 410, 429 and 5xx.  No answer at all means "not on Azure": a normal
 * state that returns -EHOSTUNREACH at once, never a hang.
 */
#ifndef TT_IMDS_H
#define TT_IMDS_H

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
 * The IMDS GET with its retry policy, shared by the instance and token
 * requests.  path_query is appended to imds_url.  On 0 resp holds a 2xx
 * answer; the caller frees it.  Returns as tt_imds_get_instance.
 */
struct tt_http_response;
int tt_imds_get(const struct tt_config *cfg, const char *path_query,
    struct tt_http_response *resp, char *err, size_t errlen);

#endif
