/*
 * Software bills of materials of an image: CycloneDX 1.6 and SPDX 2.3
 * JSON of every installed package (probes/pkglist.h), with package URLs
 * (purl-spec's deb and rpm types), the OS as a component and the tattoo's
 * image as the subject; the difference of two SBOMs; and the SBOM written
 * beside the tattoo with its digest recorded in it, so a signed tattoo
 * signs the SBOM too.
 */
#ifndef TT_SBOM_H
#define TT_SBOM_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include <json-c/json.h>

#include "pkglist.h"
#include "rootfs.h"

#define TT_SBOM_PATH "/etc/tattoo/sbom.cdx.json"
#define TT_SBOM_MAX_BYTES ((size_t)64 * 1024 * 1024)

enum tt_sbom_format {
	TT_SBOM_CYCLONEDX = 0,
	TT_SBOM_SPDX,
};

/* The BOM's subject: the image the tattoo names; NULLs when none. */
struct tt_sbom_subject {
	const char *name, *version;
};

/*
 * Percent-encodes s as purl-spec asks of a name, version or qualifier
 * value: everything but ASCII letters, digits and ".-_~" becomes %XX
 * (upper case hex), so an epoch's ":" is "%3A" and "+" is "%2B".  0 or
 * -ENAMETOOLONG.
 */
int tt_purl_encode(const char *s, char *out, size_t len);

/*
 * The package URL of p: pkg:deb/<os id>/NAME@VERSION?arch=A&distro=ID-VER
 * (the epoch stays in a deb version) or pkg:rpm/<os id, "redhat" for
 * rhel>/NAME@VERSION-RELEASE?arch=A&distro=ID-VER&epoch=E.  Qualifiers
 * sorted by key, empty ones left out.  0 or -ENAMETOOLONG.
 */
int tt_purl(const struct tt_pkglist *l, const struct tt_pkg *p, char *out,
    size_t len);

/* Builds the document.  when: its timestamp.  NULL when out of memory. */
json_object *tt_sbom_build(const struct tt_pkglist *l, enum tt_sbom_format fmt,
    const struct tt_sbom_subject *subj, time_t when);

/* The SBOM's time: SOURCE_DATE_EPOCH when set (reproducible builds), else
 * now.  -EINVAL (err says why) for a value that is not a number. */
int tt_sbom_time(time_t *ret, char *err, size_t errlen);

/*
 * The SBOM of root as text (pretty JSON, a final newline), subject from
 * the root's tattoo when it has one.  *ret is malloc'd.  0, or a negative
 * errno with err set.
 */
int tt_sbom_generate(const struct tt_root *root, enum tt_sbom_format fmt,
    time_t when, char **ret, char *err, size_t errlen);

/*
 * Compares two SBOMs (host files, CycloneDX or SPDX JSON, either for
 * either): packages by name and architecture, added, removed and of a
 * changed version.  *ret: text lines, or a JSON object with json.
 * -EBADMSG with err naming the file and field for a bad document.
 */
int tt_sbom_diff(const char *old_path, const char *new_path, bool json,
    char **ret, char *err, size_t errlen);

/*
 * Writes the CycloneDX SBOM of root to TT_SBOM_PATH inside it (atomic)
 * and records it in tattoo (unsealed) as "sbom": {"path", "format",
 * "digest": "sha256:HEX"}; the subject is the tattoo's image.  0 or a
 * negative errno with err set.
 */
int tt_sbom_write_image(const struct tt_root *root, json_object *tattoo,
    char *err, size_t errlen);

/*
 * Checks the SBOM a tattoo records against the file in root.  0 when it
 * matches or the tattoo records none (*ret_recorded false); -ENOENT when
 * the file is gone, -EBADMSG when its digest differs (why says both
 * digests), other negative errnos when unreadable.
 */
int tt_sbom_verify_image(const struct tt_root *root, json_object *tattoo,
    bool *ret_recorded, char *why, size_t whylen);

/*
 * The SBOM a tattoo records, read from root and parsed, for the report
 * (config report_sbom): 0 with *ret the document only when its digest is
 * the one the tattoo records (a signed tattoo vouches for it); -ENOENT
 * when the tattoo records none; -EBADMSG when it differs or is not JSON;
 * other negative errnos when unreadable.  why says which.
 */
int tt_sbom_load_image(const struct tt_root *root, json_object *tattoo,
    json_object **ret, char *why, size_t whylen);

#endif
