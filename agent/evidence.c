/*
 * tt_evidence_add (evidence.h): generated_at and the image's tattoo with
 * its signature status, in the document every format renders.
 */
#include "crypto.h"
#include "evidence.h"
#include "jsonb.h"
#include "log.h"
#include "tattoo.h"
#include "timeutil.h"
#include "tt.h"

int
tt_evidence_add(json_object *doc, const struct tt_root *root,
    const char *trusted_keys, time_t now, json_object **tattoo, char *why,
    size_t whylen)
{
	struct tt_keyring kr = { 0 };
	enum tt_verify_result v;
	json_object *t = NULL, *sec;
	char at[TT_RFC3339_LEN], note[512], by[128];
	int r, err = 0;

	*tattoo = NULL;
	if (why != NULL && whylen > 0)
		why[0] = '\0';
	tt_rfc3339_format(now != 0 ? now : time(NULL), at);
	tt_jsonb_str(doc, "generated_at", at, &err);
	if ((sec = tt_jsonb_obj(doc, "tattoo", &err)) == NULL || err < 0)
		return -ENOMEM;
	/* A tattoo that cannot be read is shown as "invalid": the image
	 * carries one, and it is not a tattoo this agent can vouch for. */
	r = tt_tattoo_load(root, TT_TATTOO_PATH, &t, note, sizeof(note));
	if (r == -ENOENT) {
		tt_jsonb_str(sec, "signature", "absent", &err);
		return err;
	}
	if (trusted_keys != NULL && trusted_keys[0] != '\0' &&
	    tt_keyring_add_list(&kr, trusted_keys, note, sizeof(note)) < 0) {
		tt_seterr(why, whylen, "%s", note);
		tt_keyring_free(&kr);
		kr = (struct tt_keyring){ 0 };
	}
	v = r < 0 ? TT_VERIFY_MALFORMED :
		    tt_tattoo_verify(t, kr.key, kr.n, note, sizeof(note), by,
			sizeof(by));
	tt_jsonb_str(sec, "image", tt_json_path_str(t, "image.name"), &err);
	tt_jsonb_str(sec, "version", tt_json_path_str(t, "image.version"),
	    &err);
	tt_jsonb_str(sec, "signature", tt_verify_word(v, kr.n > 0), &err);
	tt_jsonb_str(sec, "digest", tt_json_path_str(t, "digest"), &err);
	tt_keyring_free(&kr);
	if (err < 0) {
		json_object_put(t);
		return err;
	}
	*tattoo = t;
	return 0;
}
