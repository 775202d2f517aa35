#include <strings.h>

#include "buf.h"
#include "bearer.h"
#include "fileio.h"
#include "gallery.h"
#include "http.h"
#include "json.h"
#include "jsonb.h"
#include "log.h"
#include "retry.h"
#include "tattoo.h"
#include "tt.h"

#define CACHE_MAX_BYTES ((size_t)1024 * 1024)

/* Three tries, 2 and 4 s apart, as the tags: a read that still fails is
 * cached as failed and tried again a day later. */
static const struct tt_retry_policy gallery_retry = {
	.attempts = 3,
	.base_s = 2,
	.cap_s = 4,
	.retry_on = TT_RETRY_ON_TIMEOUT | TT_RETRY_ON_NETWORK |
	    TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_on = TT_RETRY_ON_429 | TT_RETRY_ON_5XX,
	.retry_after_max_s = 60,
	.retry_after_beyond = TT_RETRY_AFTER_GIVE_UP,
};

const char *
tt_image_status_word(enum tt_image_status s)
{
	switch (s) {
	case TT_IMAGE_LATEST: return "latest";
	case TT_IMAGE_OUTDATED: return "outdated";
	case TT_IMAGE_EOL: return "eol";
	default: return "unknown";
	}
}

int
tt_gallery_version_parse(const char *s, uint32_t v[3])
{
	const char *p = s;

	for (int i = 0; i < 3; i++) {
		uint64_t n = 0;
		size_t digits = 0;

		while (*p >= '0' && *p <= '9') {
			n = n * 10 + (uint64_t)(*p - '0');
			if (n > INT32_MAX)
				return -EINVAL;
			p++;
			digits++;
		}
		if (digits == 0 || (i < 2 && *p != '.'))
			return -EINVAL;
		v[i] = (uint32_t)n;
		if (i < 2)
			p++;
	}
	return *p == '\0' ? 0 : -EINVAL;
}

int
tt_gallery_version_cmp(const char *a, const char *b)
{
	uint32_t va[3], vb[3];
	bool oka = tt_gallery_version_parse(a, va) == 0;
	bool okb = tt_gallery_version_parse(b, vb) == 0;

	if (!oka || !okb)
		return (int)oka - (int)okb;
	for (int i = 0; i < 3; i++)
		if (va[i] != vb[i])
			return va[i] < vb[i] ? -1 : 1;
	return 0;
}

/* A segment of an ARM id that may go into a URL as it is. */
static bool
plain_segment(const char *s, size_t n)
{
	if (n == 0 || (n <= 2 && strspn(s, ".") == n))
		return false;
	for (size_t i = 0; i < n; i++)
		if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			   "0123456789._()-",
			s[i]) == NULL ||
		    s[i] == '\0')
			return false;
	return true;
}

int
tt_gallery_split_id(const char *id, char *image, size_t imagelen, char *version,
    size_t versionlen)
{
	/* The literal segments of the shape, NULL where a name goes. */
	static const char *const shape[] = { "subscriptions", NULL,
		"resourceGroups", NULL, "providers", "Microsoft.Compute",
		"galleries", NULL, "images", NULL, "versions", NULL };
	const char *p = id, *end_image = NULL;
	size_t seg = 0;

	if (id[0] != '/')
		return -EINVAL;
	while (*p == '/' && seg < TT_ARRAY_SIZE(shape)) {
		const char *s = ++p;
		size_t n = strcspn(s, "/");

		if (!plain_segment(s, n))
			return -EINVAL;
		if (shape[seg] != NULL &&
		    (strlen(shape[seg]) != n ||
			strncasecmp(s, shape[seg], n) != 0))
			return -EINVAL;
		p = s + n;
		if (++seg == 10)
			end_image = p;
	}
	if (*p != '\0' || (seg != 10 && seg != 12) || end_image == NULL)
		return -EINVAL;
	if ((size_t)(end_image - id) >= imagelen)
		return -EINVAL;
	memcpy(image, id, (size_t)(end_image - id));
	image[end_image - id] = '\0';
	version[0] = '\0';
	if (seg == 12) {
		const char *v = strrchr(id, '/') + 1;
		uint32_t parts[3];

		if (tt_gallery_version_parse(v, parts) < 0 ||
		    strlcpy(version, v, versionlen) >= versionlen)
			return -EINVAL;
	}
	return 0;
}

static const char *
str_of(json_object *o, const char *path)
{
	json_object *v = o ? tt_json_path(o, path) : NULL;

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) :
	    NULL;
}

static int
add_version(struct tt_gallery_list *l, const struct tt_gallery_version *v)
{
	struct tt_gallery_version *nv;

	if (l->n >= TT_GALLERY_MAX_VERSIONS)
		return -E2BIG;
	nv = reallocarray(l->v, l->n + 1, sizeof(*l->v));
	if (nv == NULL)
		return -ENOMEM;
	l->v = nv;
	l->v[l->n++] = *v;
	return 0;
}

int
tt_gallery_parse_page(const char *text, size_t len, struct tt_gallery_list *l,
    char *next, size_t nextlen, char *err, size_t errlen)
{
	json_object *o, *arr, *link;
	char why[256];
	int r = 0;

	next[0] = '\0';
	if ((o = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		tt_seterr(err, errlen, "ARM's list of versions: %s", why);
		return -EBADMSG;
	}
	if (!json_object_object_get_ex(o, "value", &arr) ||
	    !json_object_is_type(arr, json_type_array)) {
		tt_seterr(err, errlen,
		    "ARM's list of versions has no \"value\" array");
		r = -EBADMSG;
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(arr); i++) {
		json_object *e = json_object_array_get_idx(arr, i), *x;
		struct tt_gallery_version v = { .eol = -1 };
		const char *name = str_of(e, "name");
		const char *state = str_of(e, "properties.provisioningState");
		const char *eol =
		    str_of(e, "properties.publishingProfile.endOfLifeDate");
		uint32_t parts[3];
		time_t t;

		if (name == NULL || tt_gallery_version_parse(name, parts) < 0)
			continue;
		strlcpy(v.name, name, sizeof(v.name));
		v.succeeded =
		    state != NULL && strcasecmp(state, "Succeeded") == 0;
		x = tt_json_path(e,
		    "properties.publishingProfile."
		    "excludeFromLatest");
		v.exclude_from_latest = x != NULL &&
		    json_object_is_type(x, json_type_boolean) &&
		    json_object_get_boolean(x);
		if (eol != NULL && eol[0] != '\0') {
			if (tt_rfc3339_parse(eol, &t) < 0) {
				tt_seterr(err, errlen,
				    "version %s: endOfLifeDate '%.64s' is not "
				    "a date",
				    name, eol);
				r = -EBADMSG;
				goto out;
			}
			v.eol = (int64_t)t;
		}
		if ((r = add_version(l, &v)) < 0) {
			tt_seterr(err, errlen,
			    "the gallery image has more than %d versions",
			    TT_GALLERY_MAX_VERSIONS);
			goto out;
		}
	}
	if (json_object_object_get_ex(o, "nextLink", &link) &&
	    json_object_is_type(link, json_type_string) &&
	    strlcpy(next, json_object_get_string(link), nextlen) >= nextlen) {
		tt_seterr(err, errlen, "ARM's nextLink is too long");
		r = -EBADMSG;
	}
out:
	json_object_put(o);
	return r;
}

void
tt_gallery_judge(const struct tt_gallery_list *l, const char *version,
    time_t now, struct tt_image_fresh *f)
{
	const struct tt_gallery_version *mine = NULL, *latest = NULL;
	uint32_t parts[3];

	f->status = TT_IMAGE_UNKNOWN;
	f->latest[0] = f->eol[0] = '\0';
	if (l->error[0] != '\0') {
		strlcpy(f->why, l->error, sizeof(f->why));
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct tt_gallery_version *v = &l->v[i];

		if (TT_STREQ(v->name, version))
			mine = v;
		if (v->succeeded && !v->exclude_from_latest &&
		    (latest == NULL ||
			tt_gallery_version_cmp(v->name, latest->name) > 0))
			latest = v;
	}
	if (latest != NULL)
		strlcpy(f->latest, latest->name, sizeof(f->latest));
	if (mine != NULL && mine->eol >= 0)
		tt_rfc3339_format((time_t)mine->eol, f->eol);
	if (tt_gallery_version_parse(version, parts) < 0) {
		tt_seterr(f->why, sizeof(f->why),
		    "this VM's image version '%.64s' is not MAJOR.MINOR.PATCH",
		    version);
		return;
	}
	/* End of life first: it holds whatever latest is. */
	if (mine != NULL && mine->eol >= 0 && mine->eol <= (int64_t)now) {
		f->status = TT_IMAGE_EOL;
		tt_seterr(f->why, sizeof(f->why),
		    "version %s reached its end of life on %s%s%s", version,
		    f->eol, latest ? "; the latest is " : "",
		    latest ? latest->name : "");
		return;
	}
	if (latest == NULL) {
		tt_seterr(f->why, sizeof(f->why),
		    "no version of the gallery image counts for latest "
		    "(%zu versions, none published and not excluded from "
		    "latest)",
		    l->n);
		return;
	}
	if (tt_gallery_version_cmp(version, latest->name) < 0) {
		f->status = TT_IMAGE_OUTDATED;
		tt_seterr(f->why, sizeof(f->why),
		    "version %s is older than the latest %s%s", version,
		    latest->name,
		    mine == NULL ? " (and no longer in the gallery)" : "");
		return;
	}
	f->status = TT_IMAGE_LATEST;
	if (tt_gallery_version_cmp(version, latest->name) > 0)
		tt_seterr(f->why, sizeof(f->why),
		    "version %s is newer than the latest %s%s", version,
		    latest->name,
		    mine != NULL && mine->exclude_from_latest ?
			" (it is excluded from latest)" :
			"");
	else
		tt_seterr(f->why, sizeof(f->why), "version %s is the latest",
		    version);
}

void
tt_gallery_list_free(struct tt_gallery_list *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int
cache_path(const char *state_dir, char *out, size_t size)
{
	int n = snprintf(out, size, "%s/%s", state_dir, TT_GALLERY_CACHE_FILE);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/* One version of the cache, checked as it is read. */
static int
load_version(json_object *e, struct tt_gallery_version *v)
{
	json_object *name, *ex, *ok, *eol;
	uint32_t parts[3];

	if (!json_object_is_type(e, json_type_object) ||
	    !json_object_object_get_ex(e, "name", &name) ||
	    !json_object_is_type(name, json_type_string) ||
	    tt_gallery_version_parse(json_object_get_string(name), parts) < 0 ||
	    !json_object_object_get_ex(e, "exclude_from_latest", &ex) ||
	    !json_object_is_type(ex, json_type_boolean) ||
	    !json_object_object_get_ex(e, "succeeded", &ok) ||
	    !json_object_is_type(ok, json_type_boolean) ||
	    !json_object_object_get_ex(e, "end_of_life", &eol) ||
	    (eol != NULL && !json_object_is_type(eol, json_type_int)))
		return -EBADMSG;
	strlcpy(v->name, json_object_get_string(name), sizeof(v->name));
	v->exclude_from_latest = json_object_get_boolean(ex);
	v->succeeded = json_object_get_boolean(ok);
	v->eol = eol != NULL ? json_object_get_int64(eol) : -1;
	return v->eol < -1 ? -EBADMSG : 0;
}

int
tt_gallery_load(const struct tt_root *root, const char *state_dir,
    const char *image, time_t now, struct tt_gallery_list *l, char *err,
    size_t errlen)
{
	char path[PATH_MAX], why[256];
	json_object *o = NULL, *img, *checked, *error, *vs;
	struct tt_buf b;
	int r;

	memset(l, 0, sizeof(*l));
	if ((r = cache_path(state_dir, path, sizeof(path))) < 0)
		return r;
	if ((r = tt_read_file(root, path, CACHE_MAX_BYTES, &b)) < 0) {
		if (r != -ENOENT)
			tt_seterr(err, errlen, "cannot read '%s': %s", path,
			    tt_strerror(r));
		return r == -ENOENT ? r : -EBADMSG;
	}
	o = tt_json_parse(b.data, b.len, why, sizeof(why));
	tt_buf_free(&b);
	r = -EBADMSG;
	if (o == NULL) {
		tt_seterr(err, errlen, "'%s': %s", path, why);
		return r;
	}
	if (!json_object_object_get_ex(o, "image", &img) ||
	    !json_object_is_type(img, json_type_string) ||
	    !json_object_object_get_ex(o, "checked", &checked) ||
	    !json_object_is_type(checked, json_type_int) ||
	    !json_object_object_get_ex(o, "error", &error) ||
	    !json_object_is_type(error, json_type_string) ||
	    !json_object_object_get_ex(o, "versions", &vs) ||
	    !json_object_is_type(vs, json_type_array) ||
	    json_object_array_length(vs) > TT_GALLERY_MAX_VERSIONS) {
		tt_seterr(err, errlen,
		    "'%s': not a gallery cache (image, checked, error, "
		    "versions)",
		    path);
		goto out;
	}
	l->checked = json_object_get_int64(checked);
	/* A time ahead of the clock is not trusted: it would hold the
	 * cache forever. */
	if (l->checked > (int64_t)now) {
		tt_seterr(err, errlen, "'%s': checked is in the future", path);
		goto out;
	}
	r = -ENOENT;
	if (strcasecmp(json_object_get_string(img), image) != 0 ||
	    (int64_t)now - l->checked >= TT_GALLERY_REFRESH_S)
		goto out;
	strlcpy(l->image, json_object_get_string(img), sizeof(l->image));
	strlcpy(l->error, json_object_get_string(error), sizeof(l->error));
	for (size_t i = 0; i < json_object_array_length(vs); i++) {
		struct tt_gallery_version v;

		if (load_version(json_object_array_get_idx(vs, i), &v) < 0) {
			tt_seterr(err, errlen,
			    "'%s': versions[%zu] is malformed", path, i);
			r = -EBADMSG;
			goto out;
		}
		if ((r = add_version(l, &v)) < 0)
			goto out;
	}
	r = 0;
out:
	if (r < 0)
		tt_gallery_list_free(l);
	json_object_put(o);
	return r;
}

int
tt_gallery_save(const struct tt_root *root, const char *state_dir,
    const struct tt_gallery_list *l)
{
	json_object *o = json_object_new_object(), *vs;
	char path[PATH_MAX];
	const char *text;
	int r, e = 0;

	if (o == NULL)
		return -ENOMEM;
	tt_jsonb_str(o, "image", l->image, &e);
	tt_jsonb_int(o, "checked", l->checked, &e);
	tt_jsonb_str(o, "error", l->error, &e);
	vs = tt_jsonb_arr(o, "versions", &e);
	for (size_t i = 0; vs != NULL && i < l->n; i++) {
		json_object *v = json_object_new_object();

		if (v == NULL || tt_jsonb_append(vs, v, &e) < 0)
			break;
		tt_jsonb_str(v, "name", l->v[i].name, &e);
		tt_jsonb_bool(v, "exclude_from_latest",
		    l->v[i].exclude_from_latest, &e);
		tt_jsonb_bool(v, "succeeded", l->v[i].succeeded, &e);
		if (l->v[i].eol >= 0)
			tt_jsonb_int(v, "end_of_life", l->v[i].eol, &e);
		else
			tt_jsonb_ref(v, "end_of_life", NULL, &e);
	}
	if ((r = e) < 0 ||
	    (r = cache_path(state_dir, path, sizeof(path))) < 0 ||
	    (r = tt_root_mkdir_p(root, state_dir, 0755)) < 0)
		goto out;
	text = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	r = text ? tt_atomic_write(root, path, text, strlen(text), 0644) :
		   -ENOMEM;
	if (r == -TT_ENOTDURABLE)
		r = 0;
out:
	json_object_put(o);
	return r;
}

/* GETs url with the ARM token, retried as gallery_retry says.  0 with a
 * 2xx answer in resp; otherwise the reason in err. */
static int
arm_get(const struct tt_config *cfg, struct tt_token_cache *tokens,
    const char *url, struct tt_http_response *resp, char *err, size_t errlen)
{
	const struct tt_http_request req = {
		.method = "GET",
		.url = url,
		.connect_timeout_ms = 5000,
		.timeout_ms = 30000,
		.max_response = (size_t)4 * 1024 * 1024,
		.ca_file = cfg->ca_file,
		.ca_dir = cfg->ca_dir,
		.client_cert = cfg->client_cert,
		.client_key = cfg->client_key,
	};
	struct tt_bearer_outcome o;
	char detail[300];
	int r;

	r = tt_bearer_do(tokens, cfg, TT_RESOURCE_ARM, &req, &gallery_retry,
	    resp, &o);
	if (r == 0)
		return 0;
	switch (o.failure) {
	case TT_BEARER_NOT_SENT:
		tt_seterr(err, errlen, "cannot ask ARM: %s", tt_strerror(r));
		return r;
	case TT_BEARER_NO_TOKEN:
		tt_seterr(err, errlen, "no token for ARM: %s", o.why);
		return r;
	case TT_BEARER_UNREACHED:
		tt_seterr(err, errlen, "cannot reach ARM at %s: %s",
		    cfg->arm_url, o.why);
		return r;
	case TT_BEARER_REFUSED: break;
	}
	tt_http_azure_error(&resp->body, detail, sizeof(detail));
	if (resp->status == 401 || resp->status == 403)
		tt_seterr(err, errlen,
		    "ARM refused to list the gallery image's versions with "
		    "HTTP %ld%s; the VM's managed identity needs the Reader "
		    "role on the gallery",
		    resp->status, detail);
	else if (resp->status == 404)
		tt_seterr(err, errlen,
		    "ARM has no such gallery image (HTTP 404%s)", detail);
	else
		tt_seterr(err, errlen,
		    "ARM answered HTTP %ld%s to the list of versions",
		    resp->status, detail);
	tt_http_response_free(resp);
	return -EIO;
}

/* Reads every page of the versions of l->image into l (l->error says
 * why not). */
static void
fetch(const struct tt_config *cfg, struct tt_token_cache *tokens,
    struct tt_gallery_list *l)
{
	char url[TT_URL_MAX + 2048], next[TT_URL_MAX + 2048], prefix[4096];
	struct tt_http_response resp;
	int pages = 0;

	if ((size_t)snprintf(prefix, sizeof(prefix), "%s%s/versions?",
		cfg->arm_url, l->image) >= sizeof(prefix) ||
	    (size_t)snprintf(url, sizeof(url),
		"%sapi-version=" TT_GALLERY_API_VERSION,
		prefix) >= sizeof(url)) {
		tt_seterr(l->error, sizeof(l->error), "ARM URL too long");
		return;
	}
	for (;;) {
		if (arm_get(cfg, tokens, url, &resp, l->error,
			sizeof(l->error)) < 0)
			break;
		if (tt_gallery_parse_page(resp.body.data ? resp.body.data : "",
			resp.body.len, l, next, sizeof(next), l->error,
			sizeof(l->error)) < 0) {
			tt_http_response_free(&resp);
			break;
		}
		tt_http_response_free(&resp);
		if (next[0] == '\0')
			return;
		/* The token goes only where the first page went: the same
		 * ARM, the same gallery image's versions. */
		if (strncasecmp(next, prefix, strlen(prefix)) != 0) {
			tt_seterr(l->error, sizeof(l->error),
			    "ARM's nextLink leaves %s: not followed", prefix);
			break;
		}
		if (++pages >= TT_GALLERY_MAX_PAGES) {
			tt_seterr(l->error, sizeof(l->error),
			    "more than %d pages of versions: not followed",
			    TT_GALLERY_MAX_PAGES);
			break;
		}
		strlcpy(url, next, sizeof(url));
	}
	/* A list cut short would give a wrong latest: none at all. */
	tt_gallery_list_free(l);
}

/* Which gallery image and version the VM runs; 0, or -EINVAL with why
 * in f->why. */
static int
which_image(const struct tt_imds_instance *inst, json_object *tattoo,
    struct tt_image_fresh *f)
{
	const char *id = inst->image.id, *tg, *tv;

	if (id[0] == '\0') {
		tt_seterr(f->why, sizeof(f->why),
		    "IMDS names no image id: the VM is not on a Compute "
		    "Gallery image%s",
		    inst->image.publisher[0] ? " (a marketplace image)" : "");
		return -EINVAL;
	}
	if (tt_gallery_split_id(id, f->image, sizeof(f->image), f->version,
		sizeof(f->version)) < 0) {
		tt_seterr(f->why, sizeof(f->why),
		    "IMDS image id '%.300s' is not a Compute Gallery image",
		    id);
		f->image[0] = '\0';
		return -EINVAL;
	}
	if (f->version[0] != '\0')
		return 0;
	/* Made from the image definition (its latest at the time): the
	 * tattoo of that image says which version. */
	tg = tattoo ?
	    json_object_get_string(tt_json_path(tattoo, "image.gallery")) :
	    NULL;
	tv = tattoo ?
	    json_object_get_string(tt_json_path(tattoo, "image.version")) :
	    NULL;
	if (tg != NULL && tv != NULL && strcasecmp(tg, f->image) == 0 &&
	    strlcpy(f->version, tv, sizeof(f->version)) < sizeof(f->version))
		return 0;
	f->version[0] = '\0';
	tt_seterr(f->why, sizeof(f->why),
	    "IMDS names the gallery image without a version and the tattoo "
	    "is not of that image: the version is not known");
	return -EINVAL;
}

void
tt_gallery_check(const struct tt_config *cfg,
    const struct tt_imds_instance *inst, json_object *tattoo,
    struct tt_token_cache *tokens, time_t now, bool cache_only,
    struct tt_image_fresh *f)
{
	struct tt_gallery_list l = { 0 };
	char why[512];
	int r;

	memset(f, 0, sizeof(*f));
	f->status = TT_IMAGE_UNKNOWN;
	f->checked = -1;
	if (which_image(inst, tattoo, f) < 0)
		return;
	r = tt_gallery_load(NULL, cfg->state_dir, f->image, now, &l, why,
	    sizeof(why));
	if (r == -EBADMSG)
		tt_seterr(f->note, sizeof(f->note), "%s: asking ARM again",
		    why);
	if (r < 0 && cache_only) {
		tt_seterr(f->why, sizeof(f->why),
		    "no list of versions from the last day in '%s/%s' (a dry "
		    "run asks ARM nothing)",
		    cfg->state_dir, TT_GALLERY_CACHE_FILE);
		return;
	}
	if (r < 0) {
		memset(&l, 0, sizeof(l));
		strlcpy(l.image, f->image, sizeof(l.image));
		l.checked = (int64_t)now;
		f->requested = true;
		fetch(cfg, tokens, &l);
		if ((r = tt_gallery_save(NULL, cfg->state_dir, &l)) < 0)
			tt_seterr(f->note, sizeof(f->note),
			    "cannot write '%s/%s': %s (the next round asks "
			    "ARM again)",
			    cfg->state_dir, TT_GALLERY_CACHE_FILE,
			    tt_strerror(r));
	}
	f->checked = l.checked;
	tt_gallery_judge(&l, f->version, now, f);
	tt_gallery_list_free(&l);
}

json_object *
tt_image_fresh_json(const struct tt_image_fresh *f)
{
	json_object *o = json_object_new_object();
	char when[TT_RFC3339_LEN];
	int e = 0;

	if (o == NULL)
		return NULL;
	tt_jsonb_str(o, "status", tt_image_status_word(f->status), &e);
	tt_jsonb_str(o, "version", f->version, &e);
	tt_jsonb_str(o, "latest", f->latest, &e);
	tt_jsonb_str(o, "end_of_life", f->eol, &e);
	tt_jsonb_str(o, "gallery_image", f->image, &e);
	if (f->checked >= 0) {
		tt_rfc3339_format((time_t)f->checked, when);
		tt_jsonb_str(o, "checked", when, &e);
	} else
		tt_jsonb_ref(o, "checked", NULL, &e);
	tt_jsonb_str(o, "why", f->why, &e);
	if (e < 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
