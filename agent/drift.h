/*
 * Drift: how far this VM has moved from the image its tattoo describes.
 * Four questions, each answered yes, no or unknown (when the input is
 * missing, e.g. no IMDS off Azure):
 *   os_changed     the OS version now differs from the tattoo's (an
 *                  in-place upgrade);
 *   image_mismatch the VM's IMDS imageReference is not the tattoo's image
 *                  (a VM not made from the golden image);
 *   stale          the tattoo was published more than max_tattoo_age_days
 *                  ago;
 *   tattoo_invalid the tattoo's digest or signature does not verify; with
 *                  trusted_keys set, also a tattoo that is unsigned or
 *                  signed by another key (verify is then computed with
 *                  those keys; without them only the digest counts);
 *   image_outdated the VM's gallery image version is older than the
 *                  gallery image's latest (gallery.h);
 *   image_eol      its end-of-life date has passed.
 * The last two are set by tt_drift_image after the gallery check; when
 * it could not judge, the report's "image" section says why (status
 * unknown) and they are not listed in "unknown".
 */
#ifndef TT_DRIFT_H
#define TT_DRIFT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "gallery.h"
#include "imds.h"
#include "osrelease.h"
#include "tattoo.h"

enum tt_tri { TT_UNKNOWN = -1, TT_NO = 0, TT_YES = 1 };

struct tt_drift {
	enum tt_tri os_changed, image_mismatch, stale, tattoo_invalid;
	enum tt_tri image_outdated, image_eol;
	char os_now[160], os_tattoo[160];
	char image_now[1100], image_tattoo[600];
	int64_t age_days; /* -1 when unknown */
	char why[512]; /* the first reason in words, "" when none */
};

/*
 * Computes drift.  tattoo may be NULL (absent: every answer unknown but
 * tattoo_invalid, which is unknown too); verify is the verification
 * result when tattoo is not NULL; os may be NULL; inst NULL when IMDS did
 * not answer.
 */
void tt_drift_compute(json_object *tattoo, enum tt_verify_result verify,
    const struct tt_osrelease *os, const struct tt_imds_instance *inst,
    time_t now, int64_t max_age_days, struct tt_drift *ret);

/* Sets image_outdated and image_eol from the gallery check (the first
 * reason, when none was given yet, is its why). */
void tt_drift_image(struct tt_drift *d, const struct tt_image_fresh *f);

/* True when any answer is yes. */
bool tt_drift_any(const struct tt_drift *d);

/* "none", or the names of the yes answers joined by ",", e.g.
 * "os-changed,stale" (for tags and flat columns). */
void tt_drift_names(const struct tt_drift *d, char *out, size_t outlen);

/* {"any", "os_changed", "image_mismatch", "stale", "tattoo_invalid",
 *  "image_outdated", "image_eol", "os_now", "os_tattoo", "image_now", "image_tattoo", "age_days", "why",
 *  "unknown"}: each flag true for yes, false for no or unknown, and
 * "unknown" lists the flags that could not be judged; NULL when out of
 * memory. */
json_object *tt_drift_json(const struct tt_drift *d);

#endif
