#include <strings.h>

#include "bearer.h"
#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "fileio.h"
#include "http.h"
#include "retry.h"
#include "tags.h"
#include "tattoo.h"
#include "log.h"
#include "tt.h"

/* Three tries, 2 and 4 s apart.  A network that drops a connection or a
 * moment of no route is tried again now; a certificate ARM's is not, that
 * does not heal by itself.  A Retry-After (of a 429 or 5xx) replaces the
 * pause; one above a minute is not waited for within one run: the next
 * timer run tries again. */
static const struct tt_retry_policy tags_retry = {
	.attempts = 3,
	.base_s = 2,
	.cap_s = 4,
	.retry_on = TT_RETRY_ON_TIMEOUT | TT_RETRY_ON_NETWORK |
	    TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_on = TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_max_s = 60,
	.retry_after_beyond = TT_RETRY_AFTER_GIVE_UP,
};

/* Copies at most maxchars UTF-8 characters of src (never a partial one;
 * invalid bytes become '?'), replacing forbidden ones with '_'. */
static void
copy_chars(char *dst, size_t dstsize, const char *src, size_t maxchars,
    const char *forbidden)
{
	size_t j = 0, chars = 0;
	const unsigned char *s = (const unsigned char *)src;

	while (*s != '\0' && chars < maxchars) {
		size_t n = *s < 0x80 ? 1 :
		    (*s >> 5) == 6   ? 2 :
		    (*s >> 4) == 14  ? 3 :
		    (*s >> 3) == 30  ? 4 :
				       0;

		if (n == 0 || !tt_utf8_valid((const char *)s, n)) {
			/* Not a whole valid character: one '?' per byte. */
			if (j + 1 >= dstsize)
				break;
			dst[j++] = '?';
			s++;
			chars++;
			continue;
		}
		if (j + n >= dstsize)
			break;
		if (n == 1 &&
		    (*s < ' ' || *s == 0x7f ||
			(forbidden && strchr(forbidden, *s))))
			dst[j++] = '_';
		else
			memcpy(dst + j, s, n), j += n;
		s += n;
		chars++;
	}
	dst[j] = '\0';
}

int
tt_tags_add(struct tt_tagset *t, const char *prefix, const char *name,
    const char *value)
{
	char full[sizeof(t->v[0].name) * 2];
	struct tt_tag *tag;

	if (t->n >= TT_ARRAY_SIZE(t->v))
		return -ENOSPC;
	tag = &t->v[t->n];
	snprintf(full, sizeof(full), "%s%s", prefix, name);
	copy_chars(tag->name, sizeof(tag->name), full, TT_TAG_NAME_MAX,
	    "<>%&\\?/");
	copy_chars(tag->value, sizeof(tag->value), value, TT_TAG_VALUE_MAX,
	    NULL);
	t->n++;
	return 0;
}

int
tt_tags_from_report(struct tt_tagset *t, const char *prefix,
    json_object *report)
{
	static const struct {
		const char *tag, *path;
	} map[] = {
		{ "image", "summary.image" },
		{ "image-version", "summary.image_version" },
		{ "source", "summary.source" },
		{ "compliance", "summary.compliance" },
		{ "failing", "summary.failing" },
		{ "tattoo", "verify" },
		{ "drift", "summary.drift" },
		{ "image-status", "summary.image_status" },
		{ "image-latest", "summary.image_latest" },
	};
	int r;

	t->n = 0;
	for (size_t i = 0; i < TT_ARRAY_SIZE(map); i++) {
		json_object *v = tt_json_path(report, map[i].path);
		const char *s = v ? json_object_get_string(v) : "";

		if ((r = tt_tags_add(t, prefix, map[i].tag, s ? s : "")) < 0)
			return r;
	}
	return 0;
}

json_object *
tt_tags_json(const struct tt_tagset *t)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		json_object *v = json_object_new_string(t->v[i].value);

		if (v == NULL ||
		    json_object_object_add(o, t->v[i].name, v) < 0) {
			json_object_put(v);
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

int
tt_tags_digest(const struct tt_tagset *t, const char *resource_id, char out[65])
{
	json_object *o = json_object_new_object(), *tags = tt_tags_json(t);
	uint8_t md[TT_SHA256_LEN];
	struct tt_buf b;
	int r = -ENOMEM;

	tt_buf_init(&b, (size_t)1024 * 1024);
	if (o == NULL || tags == NULL) {
		json_object_put(tags);
		goto out;
	}
	/* Resource ids are case-insensitive in ARM; tag names too. */
	json_object_object_add(o, "resource",
	    json_object_new_string(resource_id));
	json_object_object_add(o, "tags", tags);
	if ((r = tt_canon_json(o, &b)) < 0)
		goto out;
	tt_sha256(b.data, b.len, md);
	tt_hex(md, sizeof(md), out);
	r = 0;
out:
	json_object_put(o);
	tt_buf_free(&b);
	return r;
}

static int
state_path(const struct tt_config *cfg, char *out, size_t size)
{
	int n =
	    snprintf(out, size, "%s/%s", cfg->state_dir, TT_TAGS_STATE_FILE);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* True when the same digest was written less than a day ago. */
static bool
unchanged(const struct tt_config *cfg, const struct tt_root *root,
    const char *digest, time_t now)
{
	char path[PATH_MAX], why[128];
	json_object *o = NULL, *d, *w;
	struct tt_buf b;
	bool same = false;

	if (state_path(cfg, path, sizeof(path)) < 0 ||
	    tt_read_file(root, path, (size_t)64 * 1024, &b) < 0)
		return false;
	o = tt_json_parse(b.data, b.len, why, sizeof(why));
	tt_buf_free(&b);
	if (o != NULL && json_object_object_get_ex(o, "digest", &d) &&
	    json_object_object_get_ex(o, "written", &w) &&
	    json_object_is_type(w, json_type_int) &&
	    TT_STREQ(json_object_get_string(d), digest)) {
		int64_t when = json_object_get_int64(w);

		same = when <= (int64_t)now &&
		    (int64_t)now - when < TT_TAGS_REFRESH_S;
	}
	json_object_put(o);
	return same;
}

static int
remember(const struct tt_config *cfg, const struct tt_root *root,
    const char *digest, const struct tt_tagset *t, time_t now)
{
	json_object *o = json_object_new_object();
	char path[PATH_MAX];
	const char *text;
	int r;

	if (o == NULL)
		return -ENOMEM;
	json_object_object_add(o, "digest", json_object_new_string(digest));
	json_object_object_add(o, "written", json_object_new_int64(now));
	json_object_object_add(o, "tags", tt_tags_json(t));
	if ((r = state_path(cfg, path, sizeof(path))) < 0 ||
	    (r = tt_root_mkdir_p(root, cfg->state_dir, 0755)) < 0)
		goto out;
	text = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	r = text ? tt_atomic_write(root, path, text, strlen(text), 0644) :
		   -ENOMEM;
out:
	json_object_put(o);
	return r;
}

enum tt_tags_outcome
tt_tags_apply(const struct tt_config *cfg, const struct tt_root *state_root,
    const struct tt_tagset *t, const struct tt_imds_instance *inst,
    struct tt_token_cache *tokens, time_t now, char *msg, size_t msglen)
{
	char digest[65], url[TT_URL_MAX + 1200], detail[400];
	const char *headers[2] = { "Content-Type: application/json", NULL };
	struct tt_http_request req = {
		.method = "PATCH",
		.url = url,
		.headers = headers,
		.connect_timeout_ms = 5000,
		.timeout_ms = 30000,
		.max_response = (size_t)256 * 1024,
		.ca_file = cfg->ca_file,
		.ca_dir = cfg->ca_dir,
		.client_cert = cfg->client_cert,
		.client_key = cfg->client_key,
	};
	struct tt_http_response resp;
	struct tt_bearer_outcome o;
	json_object *body = NULL, *props = NULL, *tags;
	const char *text;
	size_t others = 0;
	enum tt_tags_outcome out = TT_TAGS_FAILED;
	int r;

	if (inst->resource_id[0] != '\0' && inst->resource_id[0] != '/') {
		tt_seterr(msg, msglen, "IMDS resourceId '%s' is not an ARM id",
		    inst->resource_id);
		return TT_TAGS_FAILED;
	}
	if (inst->resource_id[0] == '\0') {
		tt_seterr(msg, msglen, "IMDS gave no resourceId: cannot tag");
		return TT_TAGS_FAILED;
	}
	if (tt_tags_digest(t, inst->resource_id, digest) < 0) {
		tt_seterr(msg, msglen, "out of memory");
		return TT_TAGS_FAILED;
	}
	if (unchanged(cfg, state_root, digest, now)) {
		tt_seterr(msg, msglen, "tags unchanged since the last write");
		return TT_TAGS_UNCHANGED;
	}
	/* ARM refuses the whole merge past 50 tags; say why before it does.
	 * Tag names are case-insensitive. */
	for (size_t i = 0; i < inst->n_tags; i++) {
		bool ours = false;

		for (size_t j = 0; j < t->n && !ours; j++)
			ours =
			    strcasecmp(inst->tags[i].name, t->v[j].name) == 0;
		others += !ours;
	}
	if (others + t->n > TT_TAGS_ARM_MAX) {
		tt_seterr(msg, msglen,
		    "the VM has %zu other tags; %zu more would pass ARM's "
		    "limit of %d tags per resource",
		    others, t->n, TT_TAGS_ARM_MAX);
		return TT_TAGS_FAILED;
	}
	if ((size_t)snprintf(url, sizeof(url),
		"%s%s/providers/Microsoft.Resources/tags/default"
		"?api-version=" TT_TAGS_API_VERSION,
		cfg->arm_url, inst->resource_id) >= sizeof(url)) {
		tt_seterr(msg, msglen, "ARM URL too long");
		return TT_TAGS_FAILED;
	}
	if ((body = json_object_new_object()) == NULL ||
	    (props = json_object_new_object()) == NULL ||
	    (tags = tt_tags_json(t)) == NULL) {
		json_object_put(props);
		tt_seterr(msg, msglen, "out of memory");
		goto done;
	}
	json_object_object_add(props, "tags", tags);
	json_object_object_add(body, "operation",
	    json_object_new_string("Merge"));
	json_object_object_add(body, "properties", props);
	text = json_object_to_json_string_ext(body,
	    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		tt_seterr(msg, msglen, "out of memory");
		goto done;
	}
	req.body = text;
	req.body_len = strlen(text);
	r = tt_bearer_do(tokens, cfg, TT_RESOURCE_ARM, &req, &tags_retry, &resp,
	    &o);
	if (r == 0) {
		tt_http_response_free(&resp);
		r = remember(cfg, state_root, digest, t, now);
		if (r < 0)
			tt_seterr(msg, msglen,
			    "tags written, but '%s/%s' could not be updated "
			    "(%s): the next run writes them again",
			    cfg->state_dir, TT_TAGS_STATE_FILE, tt_strerror(r));
		else
			tt_seterr(msg, msglen, "%zu tags written", t->n);
		out = TT_TAGS_WRITTEN;
		goto done;
	}
	if (o.failure == TT_BEARER_NO_TOKEN) {
		tt_seterr(msg, msglen, "no token for ARM: %s", o.why);
		goto done;
	}
	if (o.failure == TT_BEARER_UNREACHED) {
		tt_seterr(msg, msglen, "cannot reach ARM at %s: %s",
		    cfg->arm_url, o.why);
		goto done;
	}
	if (o.failure == TT_BEARER_NOT_SENT) {
		tt_seterr(msg, msglen, "cannot send the tags: %s",
		    tt_strerror(r));
		goto done;
	}
	tt_http_azure_error(&resp.body, detail, sizeof(detail));
	if (resp.status == 401 || resp.status == 403)
		tt_seterr(msg, msglen,
		    "ARM refused the tags with HTTP %ld%s; the VM's managed "
		    "identity needs the Tag Contributor role on the VM (or "
		    "its resource group)",
		    resp.status, detail);
	else if (resp.status == 429)
		tt_seterr(msg, msglen,
		    "ARM throttled the tags (HTTP 429%s); Retry-After %ld "
		    "s: the next run tries again",
		    detail, resp.retry_after_s);
	else
		tt_seterr(msg, msglen, "ARM refused the tags with HTTP %ld%s",
		    resp.status, detail);
	tt_http_response_free(&resp);
done:
	json_object_put(body);
	return out;
}
