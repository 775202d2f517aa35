/*
 * The report of DESIGN.md: one JSON object per round with "schema",
 * "report_id" (a random UUID, the collector's deduplication key),
 * "created", "vm" (from IMDS; empty strings off Azure, with "vm_note"
 * saying why), "tattoo" (the tattoo, or {"absent": why}), "verify"
 * (tt_verify_word: valid / digest-ok / unsigned / untrusted / invalid, or
 * absent) and "verify_detail", "drift", "audit" (profile, compliant, score,
 * summary, failing rule ids; or {"error"}), "dropped" (reports dropped so
 * far: spool cap, refused by the collector), "agent_version",
 * "sbom" with config report_sbom (the SBOM of write --sbom, or
 * {"error": why}), "image" (the gallery check: status latest, outdated,
 * eol or unknown, this version, the latest, the end of life, why),
 * and "summary": the flat values tags, Logs Ingestion columns, OTLP
 * attributes and syslog structured data carry (image, image_version,
 * source, compliance, failing, drift, image_status, image_latest).
 */
#ifndef TT_REPORT_H
#define TT_REPORT_H

#include <stdint.h>
#include <time.h>

#include <json-c/json.h>

#include "drift.h"
#include "gallery.h"
#include "imds.h"
#include "tattoo.h"

#define TT_REPORT_SCHEMA 1

struct tt_report_input {
	json_object *tattoo; /* NULL when absent or unreadable */
	const char *tattoo_note; /* why there is none, or "" */
	const char *verify; /* tt_verify_word(), or "absent" */
	const char *verify_detail;
	const struct tt_imds_instance *inst; /* NULL off Azure */
	const char *imds_note;
	json_object *audit; /* audit section of status.json, or NULL */
	const char *audit_error; /* why there is no audit */
	const struct tt_drift *drift;
	/* The gallery check (gallery.h): the "image" section and the
	 * summary's image_status and image_latest.  NULL: not made. */
	const struct tt_image_fresh *image;
	uint64_t dropped; /* reports dropped so far (spool cap, refused) */
	/* config report_sbom: the image's SBOM, or NULL with sbom_note
	 * saying why; both NULL: not asked for (no "sbom" member). */
	json_object *sbom;
	const char *sbom_note;
	time_t now;
};

/* A random (version 4) UUID in lower case; out holds 37 bytes. */
int tt_uuid4(char out[37]);

/* Builds the report; 0 or -ENOMEM (every member is added through the
 * checked builder, jsonb.h: no report goes out with members missing). */
int tt_report_build(const struct tt_report_input *in, json_object **ret);

/* Sets "dropped" of a built report; 0 or -ENOMEM. */
int tt_report_set_dropped(json_object *report, uint64_t dropped);

#endif
