#include <openssl/evp.h>

#include "fileio.h"
#include "json.h"
#include "jsonb.h"
#include "log.h"
#include "sbom.h"
#include "sha256.h"
#include "tattoo.h"
#include "text.h"
#include "timeutil.h"
#include "tt.h"

#define PURL_MAX 1024
#define VERSION_MAX 600

int
tt_purl_encode(const char *s, char *out, size_t len)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') ||
		    (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    *p == '.' || *p == '-' || *p == '_' || *p == '~';

		if (o + (plain ? 1 : 3) >= len)
			return -ENAMETOOLONG;
		if (plain) {
			out[o++] = (char)*p;
		} else {
			out[o++] = '%';
			out[o++] = hex[*p >> 4];
			out[o++] = hex[*p & 15];
		}
	}
	if (o >= len)
		return -ENAMETOOLONG;
	out[o] = '\0';
	return 0;
}

static const char *
os_get(const struct tt_pkglist *l, const char *key)
{
	const char *v = tt_osrelease_get(&l->os, key);

	return v != NULL ? v : "";
}

/* The purl namespace: the distribution's vendor as purl-spec names it. */
static const char *
purl_namespace(const struct tt_pkglist *l)
{
	const char *id = os_get(l, "ID");

	if (l->type == TT_PKG_RPM && (id[0] == '\0' || TT_STREQ(id, "rhel")))
		return "redhat";
	if (id[0] == '\0')
		return "debian";
	return id;
}

static int
append_qual(char *q, size_t qlen, const char *key, const char *value)
{
	char enc[PURL_MAX];
	size_t n = strlen(q);

	if (value[0] == '\0')
		return 0;
	if (tt_purl_encode(value, enc, sizeof(enc)) < 0 ||
	    (size_t)snprintf(q + n, qlen - n, "%s%s=%s", n ? "&" : "?", key,
		enc) >= qlen - n)
		return -ENAMETOOLONG;
	return 0;
}

int
tt_purl(const struct tt_pkglist *l, const struct tt_pkg *p, char *out,
    size_t len)
{
	char ns[128], name[512], ver[VERSION_MAX * 3], full[VERSION_MAX];
	char distro[256], q[PURL_MAX] = "";
	const char *id = os_get(l, "ID"), *vid = os_get(l, "VERSION_ID");
	bool rpm = l->type == TT_PKG_RPM;
	int r;

	if (vid[0] != '\0')
		snprintf(distro, sizeof(distro), "%s-%s", id, vid);
	else
		strlcpy(distro, id, sizeof(distro));
	/* deb keeps the epoch in the version (purl-spec's deb type); rpm
	 * puts it in the epoch qualifier (its rpm type). */
	if (rpm)
		strlcpy(full, p->version, sizeof(full));
	else
		tt_pkg_full_version(p, full, sizeof(full));
	if ((r = tt_purl_encode(purl_namespace(l), ns, sizeof(ns))) < 0 ||
	    (r = tt_purl_encode(p->name, name, sizeof(name))) < 0 ||
	    (r = tt_purl_encode(full, ver, sizeof(ver))) < 0 ||
	    (r = append_qual(q, sizeof(q), "arch", p->arch)) < 0 ||
	    (r = append_qual(q, sizeof(q), "distro", distro)) < 0 ||
	    (r = append_qual(q, sizeof(q), "epoch", rpm ? p->epoch : "")) < 0)
		return r;
	if ((size_t)snprintf(out, len, "pkg:%s/%s/%s%s%s%s",
		rpm ? "rpm" : "deb", ns, name, ver[0] ? "@" : "", ver,
		q) >= len)
		return -ENAMETOOLONG;
	return 0;
}

/* An RFC 4122 version 5 UUID of text: the same BOM content gives the same
 * serial number, so output is reproducible. */
static void
uuid5(const char *text, char out[37])
{
	/* The URL namespace of RFC 4122 appendix C. */
	static const unsigned char ns[16] = { 0x6b, 0xa7, 0xb8, 0x11, 0x9d,
		0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30,
		0xc8 };
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	memset(md, 0, sizeof(md));
	if (c != NULL && EVP_DigestInit_ex(c, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(c, ns, sizeof(ns)) == 1 &&
	    EVP_DigestUpdate(c, text, strlen(text)) == 1)
		(void)EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	md[6] = (unsigned char)((md[6] & 0x0f) | 0x50);
	md[8] = (unsigned char)((md[8] & 0x3f) | 0x80);
	snprintf(out, 37,
	    "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x%02x%02x%02x%02x",
	    md[0], md[1], md[2], md[3], md[4], md[5], md[6], md[7], md[8],
	    md[9], md[10], md[11], md[12], md[13], md[14], md[15]);
}

/* "Name <mail>" (a dpkg Maintainer) split into its name and address. */
static void
split_contact(const char *s, char *name, size_t nlen, char *mail, size_t mlen)
{
	const char *lt = strchr(s, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	size_t n;

	mail[0] = '\0';
	if (lt == NULL || gt == NULL) {
		strlcpy(name, s, nlen);
		return;
	}
	n = (size_t)(lt - s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	snprintf(name, nlen, "%.*s", (int)n, s);
	snprintf(mail, mlen, "%.*s", (int)(gt - lt - 1), lt + 1);
	if (name[0] == '\0')
		strlcpy(name, mail, nlen);
}

static void
add_prop(json_object *props, const char *name, const char *value, int *err)
{
	json_object *o;

	if (value[0] == '\0')
		return;
	o = json_object_new_object();
	tt_jsonb_str(o, "name", name, err);
	tt_jsonb_str(o, "value", value, err);
	tt_jsonb_append(props, o, err);
}

static json_object *
cdx_component(const struct tt_pkglist *l, const struct tt_pkg *p,
    const char *purl, int *err)
{
	char ver[VERSION_MAX], name[512], mail[512];
	json_object *c = json_object_new_object(), *props;

	tt_pkg_full_version(p, ver, sizeof(ver));
	tt_jsonb_str(c, "bom-ref", purl, err);
	tt_jsonb_str(c, "type", "library", err);
	if (p->supplier[0] != '\0') {
		json_object *s = tt_jsonb_obj(c, "supplier", err);

		split_contact(p->supplier, name, sizeof(name), mail,
		    sizeof(mail));
		tt_jsonb_str(s, "name", name, err);
		if (mail[0] != '\0') {
			json_object *ct = tt_jsonb_arr(s, "contact", err);
			json_object *e = json_object_new_object();

			tt_jsonb_str(e, "email", mail, err);
			tt_jsonb_append(ct, e, err);
		}
	}
	tt_jsonb_str(c, "name", p->name, err);
	tt_jsonb_str(c, "version", ver, err);
	tt_jsonb_str(c, "purl", purl, err);
	props = tt_jsonb_arr(c, "properties", err);
	add_prop(props, "tattoo:package:arch", p->arch, err);
	add_prop(props, "tattoo:package:source", p->source, err);
	add_prop(props, "tattoo:package:source_version", p->source_version,
	    err);
	if (*err == 0 && json_object_array_length(props) == 0)
		json_object_object_del(c, "properties");
	return c;
}

static void
os_ref(const struct tt_pkglist *l, char *out, size_t len)
{
	snprintf(out, len, "os:%s@%s",
	    os_get(l, "ID")[0] ? os_get(l, "ID") : "unknown",
	    os_get(l, "VERSION_ID"));
}

static json_object *
build_cdx(const struct tt_pkglist *l, const struct tt_sbom_subject *subj,
    const char *stamp)
{
	char purl[PURL_MAX], ref[300], uuid[37], urn[64];
	json_object *bom = json_object_new_object(), *md, *tools, *comps;
	json_object *os, *deps, *dep, *on;
	int err = bom == NULL ? -ENOMEM : 0;

	tt_jsonb_str(bom, "$schema",
	    "http://cyclonedx.org/schema/bom-1.6.schema.json", &err);
	tt_jsonb_str(bom, "bomFormat", "CycloneDX", &err);
	tt_jsonb_str(bom, "specVersion", "1.6", &err);
	tt_jsonb_int(bom, "version", 1, &err);
	md = tt_jsonb_obj(bom, "metadata", &err);
	tt_jsonb_str(md, "timestamp", stamp, &err);
	tools =
	    tt_jsonb_arr(tt_jsonb_obj(md, "tools", &err), "components", &err);
	{
		json_object *t = json_object_new_object();

		tt_jsonb_str(t, "type", "application", &err);
		tt_jsonb_str(t, "name", "tattoo", &err);
		tt_jsonb_str(t, "version", TT_VERSION, &err);
		tt_jsonb_append(tools, t, &err);
	}
	if (subj != NULL && subj->name != NULL && subj->name[0] != '\0') {
		json_object *c = tt_jsonb_obj(md, "component", &err);

		tt_jsonb_str(c, "bom-ref", "image", &err);
		tt_jsonb_str(c, "type", "platform", &err);
		tt_jsonb_str(c, "name", subj->name, &err);
		if (subj->version != NULL && subj->version[0] != '\0')
			tt_jsonb_str(c, "version", subj->version, &err);
	}
	comps = tt_jsonb_arr(bom, "components", &err);
	os_ref(l, ref, sizeof(ref));
	os = json_object_new_object();
	tt_jsonb_str(os, "bom-ref", ref, &err);
	tt_jsonb_str(os, "type", "operating-system", &err);
	tt_jsonb_str(os, "name",
	    os_get(l, "ID")[0] ? os_get(l, "ID") : "unknown", &err);
	if (os_get(l, "VERSION_ID")[0] != '\0')
		tt_jsonb_str(os, "version", os_get(l, "VERSION_ID"), &err);
	if (os_get(l, "PRETTY_NAME")[0] != '\0')
		tt_jsonb_str(os, "description", os_get(l, "PRETTY_NAME"), &err);
	tt_jsonb_append(comps, os, &err);
	deps = tt_jsonb_arr(bom, "dependencies", &err);
	dep = json_object_new_object();
	tt_jsonb_str(dep, "ref", ref, &err);
	on = tt_jsonb_arr(dep, "dependsOn", &err);
	tt_jsonb_append(deps, dep, &err);
	for (size_t i = 0; err == 0 && i < l->n; i++) {
		if (tt_purl(l, &l->v[i], purl, sizeof(purl)) < 0)
			continue; /* a name no purl can hold: left out */
		tt_jsonb_append(comps, cdx_component(l, &l->v[i], purl, &err),
		    &err);
		tt_jsonb_append(on, json_object_new_string(purl), &err);
	}
	if (err == 0) {
		/* The serial number names this content: everything above. */
		uuid5(json_object_to_json_string_ext(bom,
			  JSON_C_TO_STRING_PLAIN),
		    uuid);
		snprintf(urn, sizeof(urn), "urn:uuid:%s", uuid);
		tt_jsonb_str(bom, "serialNumber", urn, &err);
	}
	if (err != 0) {
		json_object_put(bom);
		return NULL;
	}
	return bom;
}

static json_object *
spdx_package(const char *id, const char *name, const char *version,
    const char *purpose, int *err)
{
	json_object *p = json_object_new_object();

	tt_jsonb_str(p, "SPDXID", id, err);
	tt_jsonb_str(p, "name", name, err);
	if (version[0] != '\0')
		tt_jsonb_str(p, "versionInfo", version, err);
	tt_jsonb_str(p, "downloadLocation", "NOASSERTION", err);
	tt_jsonb_bool(p, "filesAnalyzed", false, err);
	tt_jsonb_str(p, "primaryPackagePurpose", purpose, err);
	return p;
}

static void
spdx_rel(json_object *rels, const char *a, const char *type, const char *b,
    int *err)
{
	json_object *r = json_object_new_object();

	tt_jsonb_str(r, "spdxElementId", a, err);
	tt_jsonb_str(r, "relationshipType", type, err);
	tt_jsonb_str(r, "relatedSpdxElement", b, err);
	tt_jsonb_append(rels, r, err);
}

static void
spdx_pkg_details(json_object *p, const struct tt_pkg *pk, const char *purl,
    int *err)
{
	char name[512], mail[512], sup[1200], src[1200];
	json_object *refs, *ref;

	if (pk->supplier[0] != '\0') {
		split_contact(pk->supplier, name, sizeof(name), mail,
		    sizeof(mail));
		snprintf(sup, sizeof(sup), "Organization: %s%s%s%s", name,
		    mail[0] ? " (" : "", mail, mail[0] ? ")" : "");
		tt_jsonb_str(p, "supplier", sup, err);
	} else {
		tt_jsonb_str(p, "supplier", "NOASSERTION", err);
	}
	if (pk->source[0] != '\0') {
		snprintf(src, sizeof(src), "built package from: %s %s",
		    pk->source,
		    pk->source_version[0] ? pk->source_version : "");
		tt_jsonb_str(p, "sourceInfo", tt_trim(src), err);
	}
	tt_jsonb_str(p, "licenseConcluded", "NOASSERTION", err);
	tt_jsonb_str(p, "licenseDeclared", "NOASSERTION", err);
	tt_jsonb_str(p, "copyrightText", "NOASSERTION", err);
	refs = tt_jsonb_arr(p, "externalRefs", err);
	ref = json_object_new_object();
	tt_jsonb_str(ref, "referenceCategory", "PACKAGE-MANAGER", err);
	tt_jsonb_str(ref, "referenceType", "purl", err);
	tt_jsonb_str(ref, "referenceLocator", purl, err);
	tt_jsonb_append(refs, ref, err);
}

static json_object *
build_spdx(const struct tt_pkglist *l, const struct tt_sbom_subject *subj,
    const char *stamp)
{
	char purl[PURL_MAX], id[64], ver[VERSION_MAX], uuid[37], ns[300];
	char docname[300], tool[64];
	json_object *doc = json_object_new_object(), *ci, *pkgs, *rels, *p;
	int err = doc == NULL ? -ENOMEM : 0;
	const char *osid = os_get(l, "ID")[0] ? os_get(l, "ID") : "unknown";

	if (subj != NULL && subj->name != NULL && subj->name[0] != '\0')
		snprintf(docname, sizeof(docname), "%s%s%s", subj->name,
		    subj->version && subj->version[0] ? "-" : "",
		    subj->version ? subj->version : "");
	else
		snprintf(docname, sizeof(docname), "%s-%s", osid,
		    os_get(l, "VERSION_ID"));
	tt_jsonb_str(doc, "spdxVersion", "SPDX-2.3", &err);
	tt_jsonb_str(doc, "dataLicense", "CC0-1.0", &err);
	tt_jsonb_str(doc, "SPDXID", "SPDXRef-DOCUMENT", &err);
	tt_jsonb_str(doc, "name", docname, &err);
	ci = tt_jsonb_obj(doc, "creationInfo", &err);
	tt_jsonb_str(ci, "created", stamp, &err);
	snprintf(tool, sizeof(tool), "Tool: tattoo-%s", TT_VERSION);
	tt_jsonb_append(tt_jsonb_arr(ci, "creators", &err),
	    json_object_new_string(tool), &err);
	pkgs = tt_jsonb_arr(doc, "packages", &err);
	rels = tt_jsonb_arr(doc, "relationships", &err);
	p = spdx_package("SPDXRef-OperatingSystem", osid,
	    os_get(l, "VERSION_ID"), "OPERATING_SYSTEM", &err);
	tt_jsonb_str(p, "supplier", "NOASSERTION", &err);
	tt_jsonb_str(p, "licenseConcluded", "NOASSERTION", &err);
	tt_jsonb_str(p, "licenseDeclared", "NOASSERTION", &err);
	tt_jsonb_str(p, "copyrightText", "NOASSERTION", &err);
	tt_jsonb_append(pkgs, p, &err);
	if (subj != NULL && subj->name != NULL && subj->name[0] != '\0') {
		p = spdx_package("SPDXRef-Image", subj->name,
		    subj->version ? subj->version : "", "OPERATING_SYSTEM",
		    &err);
		tt_jsonb_str(p, "licenseConcluded", "NOASSERTION", &err);
		tt_jsonb_str(p, "licenseDeclared", "NOASSERTION", &err);
		tt_jsonb_str(p, "copyrightText", "NOASSERTION", &err);
		tt_jsonb_append(pkgs, p, &err);
		spdx_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image",
		    &err);
		spdx_rel(rels, "SPDXRef-Image", "CONTAINS",
		    "SPDXRef-OperatingSystem", &err);
	} else {
		spdx_rel(rels, "SPDXRef-DOCUMENT", "DESCRIBES",
		    "SPDXRef-OperatingSystem", &err);
	}
	for (size_t i = 0; err == 0 && i < l->n; i++) {
		if (tt_purl(l, &l->v[i], purl, sizeof(purl)) < 0)
			continue;
		/* Index-numbered: the list is sorted, so ids are stable. */
		snprintf(id, sizeof(id), "SPDXRef-Package-%zu", i + 1);
		tt_pkg_full_version(&l->v[i], ver, sizeof(ver));
		p = spdx_package(id, l->v[i].name, ver, "LIBRARY", &err);
		spdx_pkg_details(p, &l->v[i], purl, &err);
		tt_jsonb_append(pkgs, p, &err);
		spdx_rel(rels, "SPDXRef-OperatingSystem", "CONTAINS", id, &err);
	}
	if (err == 0) {
		uuid5(json_object_to_json_string_ext(doc,
			  JSON_C_TO_STRING_PLAIN),
		    uuid);
		snprintf(ns, sizeof(ns), "https://spdx.org/spdxdocs/tattoo-%s",
		    uuid);
		tt_jsonb_str(doc, "documentNamespace", ns, &err);
	}
	if (err != 0) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

json_object *
tt_sbom_build(const struct tt_pkglist *l, enum tt_sbom_format fmt,
    const struct tt_sbom_subject *subj, time_t when)
{
	char stamp[TT_RFC3339_LEN];

	tt_rfc3339_format(when, stamp);
	return fmt == TT_SBOM_SPDX ? build_spdx(l, subj, stamp) :
				     build_cdx(l, subj, stamp);
}

int
tt_sbom_time(time_t *ret, char *err, size_t errlen)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	const char *e = NULL;
	long long v;

	if (s == NULL || s[0] == '\0') {
		*ret = time(NULL);
		return 0;
	}
	v = strtonum(s, 0, 253402300799LL, &e);
	if (e != NULL) {
		tt_seterr(err, errlen,
		    "SOURCE_DATE_EPOCH: not a number of seconds (%s)", e);
		return -EINVAL;
	}
	*ret = (time_t)v;
	return 0;
}

static char *
to_text(json_object *doc)
{
	const char *s = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	char *out;

	if (s == NULL || asprintf(&out, "%s\n", s) < 0)
		return NULL;
	return out;
}

/* The subject from the root's tattoo, when it has a readable one. */
static json_object *
load_subject(const struct tt_root *root, struct tt_sbom_subject *subj)
{
	char why[256];
	json_object *t = NULL, *v;

	memset(subj, 0, sizeof(*subj));
	if (tt_tattoo_load(root, TT_TATTOO_PATH, &t, why, sizeof(why)) < 0)
		return NULL;
	if ((v = tt_json_path(t, "image.name")) != NULL &&
	    json_object_is_type(v, json_type_string))
		subj->name = json_object_get_string(v);
	if ((v = tt_json_path(t, "image.version")) != NULL &&
	    json_object_is_type(v, json_type_string))
		subj->version = json_object_get_string(v);
	return t;
}

static int
generate(const struct tt_root *root, enum tt_sbom_format fmt,
    const struct tt_sbom_subject *subj, time_t when, char **ret, char *err,
    size_t errlen)
{
	struct tt_pkglist l;
	json_object *doc;
	int r;

	*ret = NULL;
	if ((r = tt_pkglist_load(root, &l, err, errlen)) < 0)
		return r;
	doc = tt_sbom_build(&l, fmt, subj, when);
	tt_pkglist_free(&l);
	if (doc == NULL || (*ret = to_text(doc)) == NULL) {
		json_object_put(doc);
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	json_object_put(doc);
	return 0;
}

int
tt_sbom_generate(const struct tt_root *root, enum tt_sbom_format fmt,
    time_t when, char **ret, char *err, size_t errlen)
{
	struct tt_sbom_subject subj;
	json_object *t = load_subject(root, &subj);
	int r = generate(root, fmt, &subj, when, ret, err, errlen);

	json_object_put(t);
	return r;
}

static void
hex_digest(const char *data, size_t len, char out[72])
{
	uint8_t md[32];

	tt_sha256_small(data, len, md);
	memcpy(out, "sha256:", 8);
	for (size_t i = 0; i < 32; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
}

int
tt_sbom_write_image(const struct tt_root *root, json_object *tattoo, char *err,
    size_t errlen)
{
	struct tt_sbom_subject subj = { 0 };
	char digest[72], *text;
	json_object *v, *rec;
	time_t when;
	int r, jerr = 0;

	if ((r = tt_sbom_time(&when, err, errlen)) < 0)
		return r;
	if ((v = tt_json_path(tattoo, "image.name")) != NULL)
		subj.name = json_object_get_string(v);
	if ((v = tt_json_path(tattoo, "image.version")) != NULL)
		subj.version = json_object_get_string(v);
	if ((r = generate(root, TT_SBOM_CYCLONEDX, &subj, when, &text, err,
		 errlen)) < 0)
		return r;
	if ((r = tt_root_mkdir_p(root, "/etc/tattoo", 0755)) < 0 ||
	    (r = tt_atomic_write(root, TT_SBOM_PATH, text, strlen(text),
		 0644)) < 0) {
		tt_seterr(err, errlen, "cannot write %s: %s", TT_SBOM_PATH,
		    tt_strerror(r));
		free(text);
		return r;
	}
	hex_digest(text, strlen(text), digest);
	free(text);
	json_object_object_del(tattoo, "sbom");
	rec = tt_jsonb_obj(tattoo, "sbom", &jerr);
	tt_jsonb_str(rec, "path", TT_SBOM_PATH, &jerr);
	tt_jsonb_str(rec, "format", "CycloneDX 1.6", &jerr);
	tt_jsonb_str(rec, "digest", digest, &jerr);
	if (jerr < 0)
		tt_seterr(err, errlen, "out of memory");
	return jerr;
}

/*
 * The SBOM the tattoo records, read into text when its SHA-256 is the
 * recorded one.  0; -ENOENT when the tattoo records none (*recorded
 * false) or the file is gone; -EBADMSG when it differs; why says which.
 */
static int
read_recorded(const struct tt_root *root, json_object *tattoo, bool *recorded,
    struct tt_buf *text, char *why, size_t whylen)
{
	json_object *want = tt_json_path(tattoo, "sbom.digest");
	char digest[72];
	int r;

	*recorded = want != NULL;
	if (want == NULL) {
		tt_seterr(why, whylen,
		    "the tattoo records no SBOM (write --sbom)");
		return -ENOENT;
	}
	if (!json_object_is_type(want, json_type_string)) {
		tt_seterr(why, whylen, "sbom.digest is not a string");
		return -EBADMSG;
	}
	r = tt_read_file(root, TT_SBOM_PATH, TT_SBOM_MAX_BYTES, text);
	if (r < 0) {
		tt_seterr(why, whylen, "%s: %s", TT_SBOM_PATH,
		    r == -ENOENT ? "removed" : tt_strerror(r));
		return r;
	}
	hex_digest(text->data ? text->data : "", text->len, digest);
	if (!TT_STREQ(digest, json_object_get_string(want))) {
		tt_seterr(why, whylen,
		    "%s changed: digest %s, the tattoo records %.80s",
		    TT_SBOM_PATH, digest, json_object_get_string(want));
		tt_buf_free(text);
		return -EBADMSG;
	}
	tt_seterr(why, whylen, "%s matches %s", TT_SBOM_PATH, digest);
	return 0;
}

int
tt_sbom_verify_image(const struct tt_root *root, json_object *tattoo,
    bool *ret_recorded, char *why, size_t whylen)
{
	struct tt_buf text;
	int r = read_recorded(root, tattoo, ret_recorded, &text, why, whylen);

	if (!*ret_recorded)
		return 0;
	if (r == 0)
		tt_buf_free(&text);
	return r;
}

int
tt_sbom_load_image(const struct tt_root *root, json_object *tattoo,
    json_object **ret, char *why, size_t whylen)
{
	struct tt_buf text;
	char perr[256];
	bool recorded;
	int r = read_recorded(root, tattoo, &recorded, &text, why, whylen);

	*ret = NULL;
	if (r < 0)
		return r;
	*ret = tt_json_parse(text.data ? text.data : "", text.len, perr,
	    sizeof(perr));
	tt_buf_free(&text);
	if (*ret == NULL) {
		tt_seterr(why, whylen, "%s: %s", TT_SBOM_PATH, perr);
		return -EBADMSG;
	}
	return 0;
}
