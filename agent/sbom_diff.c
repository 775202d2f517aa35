/* tt_sbom_diff (sbom.h): two SBOMs, CycloneDX or SPDX, compared. */
#include "fileio.h"
#include "jsonb.h"
#include "log.h"
#include "sbom.h"
#include "term.h"
#include "tt.h"

struct entry {
	const char *name;
	char version[512], arch[64];
};

struct side {
	const char *path;
	json_object *doc;
	struct entry *v;
	size_t n;
};

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int c;

	if ((c = strcmp(x->name, y->name)) != 0)
		return c;
	if ((c = strcmp(x->arch, y->arch)) != 0)
		return c;
	return strcmp(x->version, y->version);
}

/* The qualifier key= of a purl (as written, not decoded), "" when
 * none. */
static void
purl_qual(const char *purl, const char *key, char *out, size_t len)
{
	const char *q = purl ? strchr(purl, '?') : NULL;
	size_t k = strlen(key);

	out[0] = '\0';
	while (q != NULL) {
		q++;
		if (strncmp(q, key, k) == 0 && q[k] == '=') {
			snprintf(out, len, "%.*s",
			    (int)strcspn(q + k + 1, "&#"), q + k + 1);
			return;
		}
		q = strchr(q, '&');
	}
}

static const char *
member_str(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

/* The purl an SPDX package gives among its externalRefs. */
static const char *
spdx_purl(json_object *p)
{
	json_object *refs;

	if (!json_object_object_get_ex(p, "externalRefs", &refs) ||
	    !json_object_is_type(refs, json_type_array))
		return NULL;
	for (size_t i = 0; i < json_object_array_length(refs); i++) {
		json_object *r = json_object_array_get_idx(refs, i);
		const char *t = member_str(r, "referenceType");

		if (t != NULL && TT_STREQ(t, "purl"))
			return member_str(r, "referenceLocator");
	}
	return NULL;
}

static int
load_side(struct side *s, char *err, size_t errlen)
{
	enum json_tokener_error jerr;
	struct tt_buf text;
	json_object *list;
	const char *fmt, *key, *vkey, *skip_key, *skip_val;
	bool spdx;
	size_t n;
	int r;

	if ((r = tt_read_file(NULL, s->path, TT_SBOM_MAX_BYTES, &text)) < 0) {
		tt_seterr(err, errlen, "%s: %s", s->path, tt_strerror(r));
		return r;
	}
	s->doc = json_tokener_parse_verbose(text.data ? text.data : "", &jerr);
	tt_buf_free(&text);
	if (s->doc == NULL || !json_object_is_type(s->doc, json_type_object)) {
		tt_seterr(err, errlen, "%s: not a JSON object%s%s", s->path,
		    s->doc == NULL ? ": " : "",
		    s->doc == NULL ? json_tokener_error_desc(jerr) : "");
		return -EBADMSG;
	}
	if ((fmt = member_str(s->doc, "bomFormat")) != NULL &&
	    TT_STREQ(fmt, "CycloneDX")) {
		spdx = false;
		key = "components";
		vkey = "version";
		skip_key = "type";
		skip_val = "operating-system";
	} else if (member_str(s->doc, "spdxVersion") != NULL) {
		spdx = true;
		key = "packages";
		vkey = "versionInfo";
		skip_key = "primaryPackagePurpose";
		skip_val = "OPERATING_SYSTEM";
	} else {
		tt_seterr(err, errlen,
		    "%s: neither CycloneDX (bomFormat) nor SPDX (spdxVersion)",
		    s->path);
		return -EBADMSG;
	}
	if (!json_object_object_get_ex(s->doc, key, &list)) {
		return 0; /* a BOM of nothing */
	}
	if (!json_object_is_type(list, json_type_array)) {
		tt_seterr(err, errlen, "%s: %s: not an array", s->path, key);
		return -EBADMSG;
	}
	n = json_object_array_length(list);
	if (n > 0 && (s->v = calloc(n, sizeof(*s->v))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(list, i);
		const char *skip, *name, *version, *purl;
		char epoch[32];

		if (!json_object_is_type(c, json_type_object)) {
			tt_seterr(err, errlen, "%s: %s[%zu]: not an object",
			    s->path, key, i);
			return -EBADMSG;
		}
		skip = member_str(c, skip_key);
		if (skip != NULL && TT_STREQ(skip, skip_val))
			continue;
		if ((name = member_str(c, "name")) == NULL) {
			tt_seterr(err, errlen,
			    "%s: %s[%zu].name: missing or not a string",
			    s->path, key, i);
			return -EBADMSG;
		}
		version = member_str(c, vkey);
		purl = spdx ? spdx_purl(c) : member_str(c, "purl");
		purl_qual(purl, "arch", s->v[s->n].arch,
		    sizeof(s->v[s->n].arch));
		purl_qual(purl, "epoch", epoch, sizeof(epoch));
		s->v[s->n].name = name;
		/* An epoch kept in the purl's qualifier (as Trivy writes it
		 * for deb too) goes back into the version, as dpkg and rpm
		 * compare it: the same package from either tool compares
		 * equal. */
		if (version != NULL && strchr(version, ':') == NULL &&
		    epoch[0] != '\0' && !TT_STREQ(epoch, "0"))
			snprintf(s->v[s->n].version, sizeof(s->v[s->n].version),
			    "%s:%s", epoch, version);
		else
			strlcpy(s->v[s->n].version, version ? version : "",
			    sizeof(s->v[s->n].version));
		s->n++;
	}
	if (s->n > 1)
		qsort(s->v, s->n, sizeof(*s->v), cmp_entry);
	return 0;
}

static bool
same_key(const struct entry *a, const struct entry *b)
{
	return TT_STREQ(a->name, b->name) && TT_STREQ(a->arch, b->arch);
}

struct out {
	bool json;
	struct tt_buf text;
	json_object *doc, *added, *removed, *changed;
	size_t na, nr, nc;
	int err;
};

static void
emit(struct out *o, char sign, const struct entry *e, const char *newver)
{
	json_object *j;

	/* Names and versions come from the files: escaped, so none can
	 * write to the terminal or start a line of its own. */
	if (!o->json) {
		int r;

		if (newver != NULL)
			r = tt_term_printf(&o->text, "~ %s%s%s %s -> %s\n",
			    e->name, e->arch[0] ? ":" : "", e->arch, e->version,
			    newver);
		else
			r = tt_term_printf(&o->text, "%c %s%s%s %s\n", sign,
			    e->name, e->arch[0] ? ":" : "", e->arch,
			    e->version);
		if (r < 0 && o->err == 0)
			o->err = r;
		return;
	}
	j = json_object_new_object();
	tt_jsonb_str(j, "name", e->name, &o->err);
	tt_jsonb_str(j, "arch", e->arch, &o->err);
	if (newver != NULL) {
		tt_jsonb_str(j, "old_version", e->version, &o->err);
		tt_jsonb_str(j, "new_version", newver, &o->err);
	} else {
		tt_jsonb_str(j, "version", e->version, &o->err);
	}
	tt_jsonb_append(sign == '+' ? o->added :
		sign == '-'	    ? o->removed :
				      o->changed,
	    j, &o->err);
}

/* One name and architecture: the versions only one side has.  One old
 * and one new is a change; anything else is removals and additions (a
 * second kernel installed beside the first). */
static void
compare_group(struct out *o, const struct entry *a, size_t na,
    const struct entry *b, size_t nb)
{
	const struct entry *ra[64], *rb[64];
	size_t ka = 0, kb = 0, i = 0, j = 0;

	while (i < na || j < nb) {
		int c = i == na ? 1 :
		    j == nb	? -1 :
				  strcmp(a[i].version, b[j].version);

		if (c == 0) {
			i++, j++;
		} else if (c < 0) {
			if (ka < TT_ARRAY_SIZE(ra))
				ra[ka++] = &a[i];
			i++;
		} else {
			if (kb < TT_ARRAY_SIZE(rb))
				rb[kb++] = &b[j];
			j++;
		}
	}
	if (ka == 1 && kb == 1) {
		emit(o, '~', ra[0], rb[0]->version);
		o->nc++;
		return;
	}
	for (i = 0; i < ka; i++, o->nr++)
		emit(o, '-', ra[i], NULL);
	for (j = 0; j < kb; j++, o->na++)
		emit(o, '+', rb[j], NULL);
}

static void
compare(struct out *o, const struct side *a, const struct side *b)
{
	size_t i = 0, j = 0;

	while (i < a->n || j < b->n) {
		const struct entry *k;
		size_t ei = i, ej = j;
		int c;

		if (i == a->n)
			c = 1;
		else if (j == b->n)
			c = -1;
		else if ((c = strcmp(a->v[i].name, b->v[j].name)) == 0)
			c = strcmp(a->v[i].arch, b->v[j].arch);
		k = c <= 0 ? &a->v[i] : &b->v[j];
		while (ei < a->n && c <= 0 && same_key(&a->v[ei], k))
			ei++;
		while (ej < b->n && c >= 0 && same_key(&b->v[ej], k))
			ej++;
		compare_group(o, a->v + i, ei - i, b->v + j, ej - j);
		i = ei;
		j = ej;
	}
}

int
tt_sbom_diff(const char *old_path, const char *new_path, bool json, char **ret,
    char *err, size_t errlen)
{
	struct side s[2] = { { .path = old_path }, { .path = new_path } };
	struct out o = { .json = json };
	int r = 0;

	*ret = NULL;
	for (int i = 0; i < 2 && r == 0; i++)
		r = load_side(&s[i], err, errlen);
	if (r < 0)
		goto out;
	tt_buf_init(&o.text, TT_SBOM_MAX_BYTES);
	if (json) {
		o.doc = json_object_new_object();
		o.err = o.doc == NULL ? -ENOMEM : 0;
		tt_jsonb_str(o.doc, "old", old_path, &o.err);
		tt_jsonb_str(o.doc, "new", new_path, &o.err);
		o.added = tt_jsonb_arr(o.doc, "added", &o.err);
		o.removed = tt_jsonb_arr(o.doc, "removed", &o.err);
		o.changed = tt_jsonb_arr(o.doc, "changed", &o.err);
	}
	if (o.err == 0)
		compare(&o, &s[0], &s[1]);
	if (json) {
		tt_jsonb_int(o.doc, "unchanged",
		    (int64_t)(s[1].n - o.na - o.nc), &o.err);
		if (o.err == 0)
			r = tt_buf_printf(&o.text, "%s\n",
			    json_object_to_json_string_ext(o.doc,
				JSON_C_TO_STRING_PRETTY |
				    JSON_C_TO_STRING_SPACED |
				    JSON_C_TO_STRING_NOSLASHESCAPE));
	} else if (o.err == 0) {
		r = tt_buf_printf(&o.text,
		    "%zu added, %zu removed, %zu changed, %zu unchanged\n",
		    o.na, o.nr, o.nc, s[1].n - o.na - o.nc);
	}
	if (o.err < 0 || r < 0) {
		r = o.err < 0 ? o.err : r;
		tt_seterr(err, errlen, "%s", tt_strerror(r));
		tt_buf_free(&o.text);
	} else if (o.text.data == NULL) {
		*ret = strdup("");
		r = *ret ? 0 : -ENOMEM;
	} else {
		*ret = tt_buf_steal(&o.text);
	}
	json_object_put(o.doc);
out:
	for (int i = 0; i < 2; i++) {
		free(s[i].v);
		json_object_put(s[i].doc);
	}
	return r;
}
