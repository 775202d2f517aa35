#include <stdarg.h>

#include <json-c/json.h>

#include "http.h"
#include "imds.h"
#include "log.h"
#include "retry.h"
#include "tt.h"

#define IMDS_MAX_RESPONSE ((size_t)512 * 1024)

/* Seconds between attempts: 63 s in all, near the documented 70 s for 410.
 * A Retry-After is honoured up to the longest step of our own schedule: a
 * hostile or broken answer must not park the agent for a day. */
static const int instance_backoff_s[] = { 1, 2, 4, 8, 16, 32 };

static const struct tt_imds_policy instance_policy = {
	.name = "IMDS",
	.backoff_s = instance_backoff_s,
	.n_backoff = TT_ARRAY_SIZE(instance_backoff_s),
	.max_retry_after_s = 32,
	.connect_timeout_ms = 2000,
	.timeout_ms = 2000,
	.max_response = IMDS_MAX_RESPONSE,
};

/* policy as a retry policy: 410, 429 and 5xx retried, 404 and time-outs
 * as it says; a 429's Retry-After replaces the step, capped. */
static void
retry_policy(const struct tt_imds_policy *policy, struct tt_retry_policy *ret)
{
	*ret = (struct tt_retry_policy){
		.attempts = (int)policy->n_backoff + 1,
		.steps_s = policy->backoff_s,
		.n_steps = policy->n_backoff,
		.retry_on = TT_RETRY_ON_410 | TT_RETRY_ON_429 |
		    TT_RETRY_ON_5XX |
		    (policy->retry_404 ? TT_RETRY_ON_404 : 0) |
		    (policy->retry_timeout ? TT_RETRY_ON_TIMEOUT : 0),
		.retry_after_on = TT_RETRY_ON_429,
		.retry_after_max_s = policy->max_retry_after_s,
		.retry_after_beyond = TT_RETRY_AFTER_CAPPED,
	};
}

int
tt_imds_request(const struct tt_config *cfg, const char *path_query,
    const struct tt_imds_policy *policy, struct tt_http_response *ret_resp,
    long *last_status, char *err, size_t errlen)
{
	static const char *const headers[] = { "Metadata: true", NULL };
	char url[TT_URL_MAX + 2048];
	struct tt_http_request req = {
		.method = "GET",
		.url = url,
		.headers = headers,
		.no_proxy = true,
		.connect_timeout_ms = policy->connect_timeout_ms,
		.timeout_ms = policy->timeout_ms,
		.max_response = policy->max_response,
	};
	struct tt_http_response resp = { 0 };
	struct tt_retry_policy rp;
	struct tt_retry rt;
	long status = 0;
	int r;

	if ((size_t)snprintf(url, sizeof(url), "%s%s", cfg->imds_url,
		path_query) >= sizeof(url)) {
		tt_seterr(err, errlen, "%s URL too long", policy->name);
		r = -ENAMETOOLONG;
		goto out;
	}
	retry_policy(policy, &rp);
	tt_retry_init(&rt, &rp, cfg->retry_scale_ms, 0);
	for (;;) {
		enum tt_retry_step step;

		if (policy->requests != NULL)
			(*policy->requests)++;
		r = tt_http_do(&req, &resp);
		status = r == 0 ? resp.status : 0;
		if (r == -ECONNREFUSED || r == -EHOSTUNREACH ||
		    (r == -ETIMEDOUT && !policy->retry_timeout &&
			resp.body.len == 0)) {
			tt_seterr(err, errlen,
			    "no answer from IMDS at %s (%s): not on Azure",
			    cfg->imds_url, resp.error);
			r = -EHOSTUNREACH;
			goto out;
		}
		if (r == 0 && status >= 200 && status < 300) {
			/* The answer (perhaps a token) now belongs to the
			 * caller, who wipes it. */
			*ret_resp = resp;
			goto out;
		}
		step = tt_retry_answer(&rt, r, status, resp.retry_after_s);
		if (step == TT_RETRY_FATAL && r < 0) {
			tt_seterr(err, errlen, "%s request failed: %s",
			    policy->name,
			    resp.error[0] ? resp.error : "answer too large");
			r = -EIO;
			goto out;
		}
		if (step == TT_RETRY_FATAL) {
			tt_seterr(err, errlen, "IMDS answered HTTP %ld",
			    status);
			r = -EACCES;
			goto out;
		}
		if (step != TT_RETRY_AGAIN) {
			if (r < 0)
				tt_seterr(err, errlen,
				    "%s request timed out after every retry",
				    policy->name);
			else
				tt_seterr(err, errlen,
				    "IMDS answered HTTP %ld after every retry",
				    status);
			r = -EIO;
			goto out;
		}
		tt_http_response_free(&resp);
		tt_retry_sleep(&rt);
	}
out:
	if (r < 0)
		tt_http_response_free(&resp);
	if (last_status != NULL)
		*last_status = status;
	return r;
}

int
tt_imds_get(const struct tt_config *cfg, const char *path_query,
    struct tt_http_response *resp, char *err, size_t errlen)
{
	int r;

	r = tt_imds_request(cfg, path_query, &instance_policy, resp, NULL, err,
	    errlen);
	/* The instance callers have one code for an IMDS error status,
	 * retried or not (see tt_imds_get_instance). */
	return r == -EACCES ? -EIO : r;
}

static void
copy_string(json_object *obj, const char *key, char *dst, size_t size)
{
	json_object *v;

	dst[0] = '\0';
	if (obj != NULL && json_object_object_get_ex(obj, key, &v) &&
	    json_object_is_type(v, json_type_string))
		strlcpy(dst, json_object_get_string(v), size);
}

int
tt_imds_parse_instance(const char *text, size_t len,
    struct tt_imds_instance *ret)
{
	json_tokener *tok;
	json_object *root, *compute, *sp = NULL, *ref = NULL, *tags;
	int r = 0;

	memset(ret, 0, sizeof(*ret));
	if (len > IMDS_MAX_RESPONSE)
		return -EBADMSG;
	if ((tok = json_tokener_new_ex(32)) == NULL)
		return -ENOMEM;
	root = json_tokener_parse_ex(tok, text, (int)len);
	if (root == NULL ||
	    json_tokener_get_error(tok) != json_tokener_success ||
	    !json_object_is_type(root, json_type_object) ||
	    !json_object_object_get_ex(root, "compute", &compute) ||
	    !json_object_is_type(compute, json_type_object)) {
		r = -EBADMSG;
		goto out;
	}
	copy_string(compute, "vmId", ret->vm_id, sizeof(ret->vm_id));
	copy_string(compute, "resourceId", ret->resource_id,
	    sizeof(ret->resource_id));
	copy_string(compute, "name", ret->name, sizeof(ret->name));
	copy_string(compute, "location", ret->location, sizeof(ret->location));
	copy_string(compute, "subscriptionId", ret->subscription_id,
	    sizeof(ret->subscription_id));
	copy_string(compute, "resourceGroupName", ret->resource_group,
	    sizeof(ret->resource_group));
	copy_string(compute, "vmSize", ret->vm_size, sizeof(ret->vm_size));
	copy_string(compute, "osType", ret->os_type, sizeof(ret->os_type));
	copy_string(compute, "version", ret->version, sizeof(ret->version));
	if (json_object_object_get_ex(compute, "storageProfile", &sp))
		json_object_object_get_ex(sp, "imageReference", &ref);
	copy_string(ref, "id", ret->image.id, sizeof(ret->image.id));
	copy_string(ref, "publisher", ret->image.publisher,
	    sizeof(ret->image.publisher));
	copy_string(ref, "offer", ret->image.offer, sizeof(ret->image.offer));
	copy_string(ref, "sku", ret->image.sku, sizeof(ret->image.sku));
	copy_string(ref, "version", ret->image.version,
	    sizeof(ret->image.version));
	copy_string(ref, "exactVersion", ret->image.exact_version,
	    sizeof(ret->image.exact_version));
	copy_string(ref, "sharedGalleryImageId",
	    ret->image.shared_gallery_image_id,
	    sizeof(ret->image.shared_gallery_image_id));
	copy_string(ref, "communityGalleryImageId",
	    ret->image.community_gallery_image_id,
	    sizeof(ret->image.community_gallery_image_id));
	if (json_object_object_get_ex(compute, "tagsList", &tags) &&
	    json_object_is_type(tags, json_type_array)) {
		size_t n = json_object_array_length(tags);

		for (size_t i = 0; i < n && ret->n_tags < TT_IMDS_MAX_TAGS;
		     i++) {
			json_object *t = json_object_array_get_idx(tags, i);
			struct tt_imds_tag *dst = &ret->tags[ret->n_tags];

			if (!json_object_is_type(t, json_type_object))
				continue;
			copy_string(t, "name", dst->name, sizeof(dst->name));
			copy_string(t, "value", dst->value, sizeof(dst->value));
			if (dst->name[0] != '\0')
				ret->n_tags++;
		}
	}
out:
	json_object_put(root);
	json_tokener_free(tok);
	return r;
}

int
tt_imds_get_instance(const struct tt_config *cfg, struct tt_imds_instance *ret,
    char *err, size_t errlen)
{
	struct tt_http_response resp;
	int r;

	r = tt_imds_get(cfg,
	    "/metadata/instance?api-version=" TT_IMDS_API_VERSION, &resp, err,
	    errlen);
	if (r < 0)
		return r;
	r = tt_imds_parse_instance(resp.body.data, resp.body.len, ret);
	if (r < 0)
		tt_seterr(err, errlen,
		    "IMDS answered with a malformed instance "
		    "document");
	tt_http_response_free(&resp);
	return r;
}
