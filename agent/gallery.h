/*
 * Image freshness: is this VM on the latest version of its Compute
 * Gallery image?  The image comes from IMDS
 * (compute.storageProfile.imageReference.id, a gallery image version id
 * …/galleries/G/images/I/versions/V, or the image definition id, whose
 * version the tattoo then says).  Once a day the versions of that gallery
 * image are read from ARM with the managed identity's token,
 *   GET {arm_url}{galleryImage}/versions?api-version=2023-07-03
 * following nextLink (bounded, and only to the same ARM and image), and
 * kept in state_dir/gallery.json: at most one ARM read per day per VM,
 * across restarts too; a cache file that is not what this module writes
 * is ignored and read again from ARM.  A failed read (403: no Reader role
 * on the gallery; 404; the network) is cached alike: the next try is a
 * day later, never a storm of reads from a fleet.
 *
 * The judgement is made every round from the cached list, since an end of
 * life passes without a read:
 *   latest    the highest version (MAJOR.MINOR.PATCH compared as numbers)
 *             whose provisioningState is Succeeded and which is not
 *             excludeFromLatest;
 *   eol       this VM's version has an endOfLifeDate in the past;
 *   outdated  this VM's version is older than latest;
 *   latest    (the status) neither: this version is latest, or newer
 *             (a version excluded from latest, e.g. a canary);
 *   unknown   ARM could not be asked or did not answer, the VM is not on
 *             a gallery image, or no version counts for latest; never
 *             taken for latest.
 */
#ifndef TT_GALLERY_H
#define TT_GALLERY_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "config.h"
#include "imds.h"
#include "rootfs.h"
#include "timeutil.h"
#include "token.h"

#define TT_GALLERY_API_VERSION "2023-07-03"
#define TT_GALLERY_CACHE_FILE "gallery.json"
#define TT_GALLERY_REFRESH_S 86400
#define TT_GALLERY_MAX_PAGES 20
#define TT_GALLERY_MAX_VERSIONS 1000
#define TT_GALLERY_VERSION_MAX 64

enum tt_image_status {
	TT_IMAGE_UNKNOWN,
	TT_IMAGE_LATEST,
	TT_IMAGE_OUTDATED,
	TT_IMAGE_EOL,
};

struct tt_gallery_version {
	char name[TT_GALLERY_VERSION_MAX];
	bool exclude_from_latest;
	bool succeeded; /* provisioningState Succeeded */
	int64_t eol; /* publishingProfile.endOfLifeDate, -1 when none */
};

/* The versions of one gallery image as ARM said them, or why not. */
struct tt_gallery_list {
	char image[1024]; /* the gallery image (definition) id */
	int64_t checked; /* when ARM was asked (epoch s) */
	char error[512]; /* "" when the list is ARM's answer */
	size_t n;
	struct tt_gallery_version *v; /* malloc'ed */
};

struct tt_image_fresh {
	enum tt_image_status status;
	char image[1024]; /* gallery image id, "" when none */
	char version[TT_GALLERY_VERSION_MAX]; /* this VM's, "" unknown */
	char latest[TT_GALLERY_VERSION_MAX]; /* "" unknown */
	char eol[TT_RFC3339_LEN]; /* this version's end of life, "" none */
	int64_t checked; /* when ARM was asked, -1 never */
	bool requested; /* this round asked ARM (no valid cache) */
	char why[640]; /* in words: the reason for unknown, or the finding */
	/* "" or a warning for the caller to say (a cache that was not
	 * readable or could not be written). */
	char note[PATH_MAX + 600];
};

/* "latest", "outdated", "eol", "unknown". */
const char *tt_image_status_word(enum tt_image_status s);

/* Parses MAJOR.MINOR.PATCH (decimal, each at most 2^31 - 1, as the
 * Compute Gallery allows).  0 or -EINVAL. */
int tt_gallery_version_parse(const char *s, uint32_t v[3]);

/* <0, 0, >0 as a is older, the same, newer than b; both must parse
 * (an unparsable one sorts first). */
int tt_gallery_version_cmp(const char *a, const char *b);

/*
 * Splits an ARM id of a gallery image or gallery image version into the
 * image id (…/providers/Microsoft.Compute/galleries/G/images/I, as given)
 * and the version ("" when id names the image).  Only the plain ARM shape
 * with [A-Za-z0-9._()-] segments is taken: the id becomes part of an ARM
 * URL.  0 or -EINVAL.
 */
int tt_gallery_split_id(const char *id, char *image, size_t imagelen,
    char *version, size_t versionlen);

/*
 * Adds the versions of one page of ARM's answer ({"value": [...],
 * "nextLink": "..."}) to l; *next gets nextLink ("" when none).  Versions
 * whose name is not MAJOR.MINOR.PATCH are skipped (the gallery allows no
 * other).  0; -EBADMSG with the reason in err; -E2BIG past
 * TT_GALLERY_MAX_VERSIONS.
 */
int
tt_gallery_parse_page(const char *text, size_t len, struct tt_gallery_list *l,
    char *next, size_t nextlen, char *err, size_t errlen);

/* Judges version (this VM's) against l at now into f (status, latest,
 * eol, why; image, checked and requested are left to the caller). */
void tt_gallery_judge(const struct tt_gallery_list *l, const char *version,
    time_t now, struct tt_image_fresh *f);

/*
 * The round's step: which gallery image and version this VM runs (inst's
 * imageReference.id; its version, or the tattoo's image.version when the
 * id names the image and the tattoo's image.gallery is that image), the
 * list from state_dir (host) when it is less than a day old and for that
 * image, else from ARM (and cached), and the judgement.  Always fills f;
 * f->status is TT_IMAGE_UNKNOWN with f->why when it could not judge.
 * cache_only (a dry run): ARM is not asked and nothing is written.
 */
void tt_gallery_check(const struct tt_config *cfg,
    const struct tt_imds_instance *inst, json_object *tattoo,
    struct tt_token_cache *tokens, time_t now, bool cache_only,
    struct tt_image_fresh *f);

/* Loads the cache (state_dir/gallery.json under root; NULL: host) for
 * image at now: 0; -ENOENT when absent, too old or for another image;
 * -EBADMSG when it is not what tt_gallery_save writes (err says why). */
int tt_gallery_load(const struct tt_root *root, const char *state_dir,
    const char *image, time_t now, struct tt_gallery_list *l, char *err,
    size_t errlen);

int tt_gallery_save(const struct tt_root *root, const char *state_dir,
    const struct tt_gallery_list *l);

void tt_gallery_list_free(struct tt_gallery_list *l);

/* {"status", "version", "latest", "end_of_life", "gallery_image",
 *  "checked", "why"}; NULL when out of memory. */
json_object *tt_image_fresh_json(const struct tt_image_fresh *f);

#endif
