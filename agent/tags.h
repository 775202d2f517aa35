/*
 * VM tags through ARM: the tag_prefix tags (image name and version,
 * source, compliance state, failing count, tattoo validity, drift) merged
 * into the VM's tags with the Tags API,
 *   PATCH {arm_url}{resourceId}/providers/Microsoft.Resources/tags/default
 *         ?api-version=2021-04-01
 *   {"operation": "Merge", "properties": {"tags": {…}}}
 * within ARM's limits (50 tags per resource; names at most 512 characters
 * without < > % & \ ? /; values at most 256).  IMDS does not show a tag
 * change soon, so the last set written is kept in state_dir/tags.json and
 * the PATCH is made only when the desired set differs from it, or once a
 * day to heal tags someone removed: ARM write limits are per subscription.
 */
#ifndef TT_TAGS_H
#define TT_TAGS_H

#include <stdbool.h>
#include <time.h>

#include <json-c/json.h>

#include "config.h"
#include "imds.h"
#include "rootfs.h"
#include "token.h"

#define TT_TAGS_API_VERSION "2021-04-01"
#define TT_TAGS_ARM_MAX 50
#define TT_TAG_NAME_MAX 512 /* characters */
#define TT_TAG_VALUE_MAX 256
#define TT_TAGS_STATE_FILE "tags.json"
#define TT_TAGS_REFRESH_S 86400
#define TT_TAGS_OURS_MAX 16

struct tt_tag {
	char name[TT_TAG_NAME_MAX * 4 + 1]; /* UTF-8 */
	char value[TT_TAG_VALUE_MAX * 4 + 1];
};

struct tt_tagset {
	size_t n;
	struct tt_tag v[TT_TAGS_OURS_MAX];
};

/*
 * Adds prefix+name = value to t, sanitized: forbidden and control
 * characters in the name become '_', name and value are cut (at a
 * character boundary) to ARM's limits.  -ENOSPC when t is full.
 */
int tt_tags_add(struct tt_tagset *t, const char *prefix, const char *name,
    const char *value);

/* The tags a report asks for, from its "summary" object. */
int tt_tags_from_report(struct tt_tagset *t, const char *prefix,
    json_object *report);

/* {"tagname": "value", …}; NULL when out of memory. */
json_object *tt_tags_json(const struct tt_tagset *t);

/* Hex SHA-256 over the resource id and the canonical tag set. */
int tt_tags_digest(const struct tt_tagset *t, const char *resource_id,
    char out[65]);

enum tt_tags_outcome {
	TT_TAGS_WRITTEN,
	TT_TAGS_UNCHANGED, /* the same set was written less than a day ago */
	TT_TAGS_FAILED,
};

/*
 * Writes t to the VM of inst when it changed (see above) and records it in
 * state_dir (inside state_root; NULL: host).  Returns the outcome; msg
 * says what happened in words, naming the Tag Contributor role for 401 and
 * 403 and the wait for 429.  429, 5xx and a dropped connection are
 * retried twice (tags_retry in tags.c, retry.h); a Retry-After up to a
 * minute is waited for, a longer one is left to the next run.
 */
enum tt_tags_outcome
tt_tags_apply(const struct tt_config *cfg, const struct tt_root *state_root,
    const struct tt_tagset *t, const struct tt_imds_instance *inst,
    struct tt_token_cache *tokens, time_t now, char *msg, size_t msglen);

#endif
