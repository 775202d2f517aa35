#include <stdarg.h>
#include <strings.h>

#include "drift.h"
#include "timeutil.h"
#include "tt.h"

static const char *
str_at(json_object *obj, const char *path)
{
	json_object *v = tt_json_path(obj, path);

	return v != NULL && json_object_is_type(v, json_type_string) ?
	    json_object_get_string(v) :
	    "";
}

static void why_once(struct tt_drift *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
why_once(struct tt_drift *d, const char *fmt, ...)
{
	va_list ap;

	if (d->why[0] != '\0')
		return;
	va_start(ap, fmt);
	vsnprintf(d->why, sizeof(d->why), fmt, ap);
	va_end(ap);
}

/* The version segment of a gallery image version id
 * (…/images/NAME/versions/VERSION), or NULL. */
static const char *
gallery_version(const char *id, char *out, size_t outlen)
{
	const char *p = NULL, *q = id;

	while ((q = strcasestr(q, "/versions/")) != NULL) {
		p = q + strlen("/versions/");
		q = p;
	}
	if (p == NULL || *p == '\0')
		return NULL;
	strlcpy(out, p, outlen);
	if ((q = strchr(out, '/')) != NULL)
		out[q - out] = '\0';
	return out;
}

static void
image_drift(json_object *tattoo, const struct tt_imds_instance *inst,
    struct tt_drift *d)
{
	const struct tt_image_reference *ref = &inst->image;
	const char *id = ref->id[0]	    ? ref->id :
	    ref->shared_gallery_image_id[0] ? ref->shared_gallery_image_id :
					      ref->community_gallery_image_id;
	const char *gallery = str_at(tattoo, "image.gallery");
	const char *version = str_at(tattoo, "image.version");
	char gv[128];

	snprintf(d->image_tattoo, sizeof(d->image_tattoo), "%s %s%s%s",
	    str_at(tattoo, "image.name"), version, gallery[0] ? " in " : "",
	    gallery);
	if (id[0] == '\0' && ref->publisher[0] != '\0') {
		snprintf(d->image_now, sizeof(d->image_now), "%s:%s:%s:%s",
		    ref->publisher, ref->offer, ref->sku,
		    ref->exact_version[0] ? ref->exact_version : ref->version);
		/* A marketplace image: whatever the tattoo says, this VM was
		 * not made from the golden image (it may be the build VM). */
		d->image_mismatch = TT_YES;
		why_once(d, "the VM was made from the marketplace image %s",
		    d->image_now);
		return;
	}
	if (id[0] == '\0') {
		d->image_mismatch = TT_UNKNOWN;
		return;
	}
	strlcpy(d->image_now, id, sizeof(d->image_now));
	d->image_mismatch = TT_NO;
	/* Another gallery, or another version of the image. */
	if ((gallery[0] != '\0' &&
		strncasecmp(id, gallery, strlen(gallery)) != 0) ||
	    (gallery_version(id, gv, sizeof(gv)) != NULL &&
		version[0] != '\0' && !TT_STREQ(gv, version)))
		d->image_mismatch = TT_YES;
	if (d->image_mismatch == TT_YES)
		why_once(d, "the VM was made from %s, not from %s",
		    d->image_now, d->image_tattoo);
}

void
tt_drift_compute(json_object *tattoo, enum tt_verify_result verify,
    const struct tt_osrelease *os, const struct tt_imds_instance *inst,
    time_t now, int64_t max_age_days, struct tt_drift *d)
{
	const char *id = NULL, *ver = NULL;
	time_t published;

	memset(d, 0, sizeof(*d));
	d->os_changed = d->image_mismatch = d->stale = d->tattoo_invalid =
	    d->image_outdated = d->image_eol = TT_UNKNOWN;
	d->age_days = -1;
	if (os != NULL) {
		id = tt_osrelease_get(os, "ID");
		ver = tt_osrelease_get(os, "VERSION_ID");
		snprintf(d->os_now, sizeof(d->os_now), "%s %s", id ? id : "",
		    ver ? ver : "");
	}
	if (tattoo == NULL)
		return;
	d->tattoo_invalid = verify == TT_VERIFY_VALID ? TT_NO : TT_YES;
	if (verify == TT_VERIFY_UNSIGNED)
		why_once(d, "the tattoo is not signed (trusted_keys is set)");
	else if (verify == TT_VERIFY_UNKNOWN_KEY)
		why_once(d,
		    "the tattoo is signed by a key not in trusted_keys");
	else if (d->tattoo_invalid == TT_YES)
		why_once(d, "the tattoo does not verify");
	snprintf(d->os_tattoo, sizeof(d->os_tattoo), "%s %s",
	    str_at(tattoo, "os.id"), str_at(tattoo, "os.version_id"));
	if (os != NULL) {
		d->os_changed =
		    TT_STREQ(d->os_now, d->os_tattoo) ? TT_NO : TT_YES;
		if (d->os_changed == TT_YES)
			why_once(d, "the OS is %s, the image had %s", d->os_now,
			    d->os_tattoo);
	}
	if (tt_rfc3339_parse(str_at(tattoo, "image.published"), &published) ==
	    0) {
		d->age_days = now > published ? (now - published) / 86400 : 0;
		d->stale = d->age_days > max_age_days ? TT_YES : TT_NO;
		if (d->stale == TT_YES) {
			why_once(d,
			    "the tattoo is %lld days old, more than "
			    "max_tattoo_age_days %lld",
			    (long long)d->age_days, (long long)max_age_days);
		}
	}
	if (inst != NULL)
		image_drift(tattoo, inst, d);
}

void
tt_drift_image(struct tt_drift *d, const struct tt_image_fresh *f)
{
	switch (f->status) {
	case TT_IMAGE_EOL:
		d->image_eol = TT_YES;
		/* Past its end of life and older than latest, or the latest
		 * itself retired: outdated as the versions compare. */
		d->image_outdated = f->latest[0] != '\0' &&
			tt_gallery_version_cmp(f->version, f->latest) < 0 ?
		    TT_YES :
		    TT_NO;
		break;
	case TT_IMAGE_OUTDATED:
		d->image_outdated = TT_YES;
		d->image_eol = TT_NO;
		break;
	case TT_IMAGE_LATEST: d->image_outdated = d->image_eol = TT_NO; break;
	default: d->image_outdated = d->image_eol = TT_UNKNOWN; return;
	}
	if (d->image_outdated == TT_YES || d->image_eol == TT_YES)
		why_once(d, "%s", f->why);
}

bool
tt_drift_any(const struct tt_drift *d)
{
	return d->os_changed == TT_YES || d->image_mismatch == TT_YES ||
	    d->stale == TT_YES || d->tattoo_invalid == TT_YES ||
	    d->image_outdated == TT_YES || d->image_eol == TT_YES;
}

void
tt_drift_names(const struct tt_drift *d, char *out, size_t outlen)
{
	const struct {
		enum tt_tri v;
		const char *name;
	} flags[] = {
		{ d->os_changed, "os-changed" },
		{ d->image_mismatch, "image-mismatch" },
		{ d->stale, "stale" },
		{ d->tattoo_invalid, "tattoo-invalid" },
		{ d->image_outdated, "image-outdated" },
		{ d->image_eol, "image-eol" },
	};

	out[0] = '\0';
	for (size_t i = 0; i < TT_ARRAY_SIZE(flags); i++) {
		if (flags[i].v != TT_YES)
			continue;
		if (out[0] != '\0')
			strlcat(out, ",", outlen);
		strlcat(out, flags[i].name, outlen);
	}
	if (out[0] == '\0')
		strlcpy(out, "none", outlen);
}

static json_object *
tri(enum tt_tri v)
{
	return json_object_new_boolean(v == TT_YES);
}

json_object *
tt_drift_json(const struct tt_drift *d)
{
	json_object *o = json_object_new_object();

	if (o == NULL)
		return NULL;
	json_object_object_add(o, "any",
	    json_object_new_boolean(tt_drift_any(d)));
	json_object_object_add(o, "os_changed", tri(d->os_changed));
	json_object_object_add(o, "image_mismatch", tri(d->image_mismatch));
	json_object_object_add(o, "stale", tri(d->stale));
	json_object_object_add(o, "tattoo_invalid", tri(d->tattoo_invalid));
	json_object_object_add(o, "image_outdated", tri(d->image_outdated));
	json_object_object_add(o, "image_eol", tri(d->image_eol));
	json_object_object_add(o, "os_now", json_object_new_string(d->os_now));
	json_object_object_add(o, "os_tattoo",
	    json_object_new_string(d->os_tattoo));
	json_object_object_add(o, "image_now",
	    json_object_new_string(d->image_now));
	json_object_object_add(o, "image_tattoo",
	    json_object_new_string(d->image_tattoo));
	json_object_object_add(o, "age_days",
	    d->age_days >= 0 ? json_object_new_int64(d->age_days) : NULL);
	json_object_object_add(o, "why", json_object_new_string(d->why));
	/* The flags are booleans (report.schema.json); the ones that could
	 * not be judged (no IMDS, no tattoo) are false and listed here. */
	{
		json_object *u = json_object_new_array();
		const struct {
			enum tt_tri v;
			const char *name;
		} flags[] = {
			{ d->os_changed, "os_changed" },
			{ d->image_mismatch, "image_mismatch" },
			{ d->stale, "stale" },
			{ d->tattoo_invalid, "tattoo_invalid" },
		};

		for (size_t i = 0; u != NULL && i < TT_ARRAY_SIZE(flags); i++)
			if (flags[i].v == TT_UNKNOWN)
				json_object_array_add(u,
				    json_object_new_string(flags[i].name));
		json_object_object_add(o, "unknown", u);
	}
	return o;
}
