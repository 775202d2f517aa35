/*
 * Which packs are loaded, and which profile an audit runs: the
 * precedence of rules.h, and os-release matching as README.md says.
 */
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "json.h"
#include "crypto.h"
#include "embedded.h"
#include "rules.h"
#include "fileio.h"
#include "sha256.h"
#include "log.h"
#include "text.h"
#include "tt.h"

static int
add_pack(struct tt_packset *set, struct tt_pack *pack, char *err, size_t errlen)
{
	struct tt_pack **v;

	for (size_t i = 0; i < set->n; i++) {
		if (TT_STREQ(set->v[i]->name, pack->name)) {
			tt_seterr(err, errlen,
			    "%s: pack '%s' is also defined "
			    "in %s",
			    pack->file, pack->name, set->v[i]->file);
			tt_pack_free(pack);
			return -EINVAL;
		}
	}
	/* An array of pointers to packs: sizeof(*v) is a pointer's. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	if ((v = reallocarray(set->v, set->n + 1, sizeof(*v))) == NULL) {
		tt_pack_free(pack);
		return -ENOMEM;
	}
	set->v = v;
	set->v[set->n++] = pack;
	return 0;
}

static bool applies(const struct tt_applies *ap, const struct tt_osrelease *os);

static void
applies_of(json_object *doc, const char *key, const char ***ret, size_t *ret_n)
{
	json_object *ap, *arr;
	size_t n;

	*ret = NULL;
	*ret_n = 0;
	if (!json_object_object_get_ex(doc, "applies", &ap) ||
	    !json_object_object_get_ex(ap, key, &arr) ||
	    !json_object_is_type(arr, json_type_array))
		return;
	n = json_object_array_length(arr);
	if ((*ret = calloc(n + 1, sizeof(**ret))) == NULL)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *s =
		    json_object_get_string(json_object_array_get_idx(arr, i));

		if (s != NULL)
			(*ret)[(*ret_n)++] = s;
	}
}

/* A look at a pack's name and applies: does the audit need it?  A pack
 * that cannot be read this far is needed (its full parse says why). */
static bool
wanted(const char *text, size_t len, const struct tt_pack_filter *f)
{
	struct tt_applies ap = { 0 };
	const char *colon = f->want ? strchr(f->want, ':') : NULL;
	json_object *doc, *name;
	char why[64];
	bool want = true;
	const char *head_end;

	/* Packs name themselves and say where they apply before their
	 * profiles and rules: parsing that head alone keeps a skipped pack
	 * from costing its whole parse (megabytes of json-c objects). */
	head_end = memmem(text, len, "\"profiles\"", 10);
	if (head_end != NULL) {
		size_t n = (size_t)(head_end - text);
		char *head;

		while (n > 0 &&
		    (text[n - 1] == ' ' || text[n - 1] == '\n' ||
			text[n - 1] == '\t' || text[n - 1] == '\r'))
			n--;
		if (n > 0 && text[n - 1] == ',' &&
		    (head = malloc(n + 1)) != NULL) {
			memcpy(head, text, n - 1);
			head[n - 1] = '}';
			head[n] = '\0';
			doc = tt_json_parse(head, n, why, sizeof(why));
			free(head);
			if (doc != NULL)
				goto parsed;
		}
	}
	if ((doc = tt_json_parse(text, len, why, sizeof(why))) == NULL)
		return true;
parsed:
	if (!json_object_object_get_ex(doc, "pack", &name) ||
	    !json_object_is_type(name, json_type_string)) {
		json_object_put(doc);
		return true;
	}
	if (colon != NULL) {
		want = strlen(json_object_get_string(name)) ==
			(size_t)(colon - f->want) &&
		    strncmp(json_object_get_string(name), f->want,
			(size_t)(colon - f->want)) == 0;
	} else if (f->os != NULL) {
		applies_of(doc, "id", &ap.ids, &ap.nids);
		applies_of(doc, "version_id", &ap.versions, &ap.nversions);
		want = applies(&ap, f->os);
		free(ap.ids);
		free(ap.versions);
	}
	json_object_put(doc);
	return want;
}

/* What the build made of a built-in "NAME.json" beside it: "NAME.pack"
 * (precompiled) or "NAME.head" (name and applies), or NULL. */
static const struct tt_embedded_file *
built_with(const struct tt_embedded_file *json, const char *suffix)
{
	char name[PATH_MAX];
	size_t base = strlen(json->name) - 5;

	if ((size_t)snprintf(name, sizeof(name), "%.*s%s", (int)base,
		json->name, suffix) >= sizeof(name))
		return NULL;
	return tt_embedded_find(name);
}

/* A built-in pack: precompiled when the caller needs no JSON document
 * (the digest stays the JSON's: it names the rules, not their form). */
static int
load_embedded(const struct tt_embedded_file *json, const char *name,
    const struct tt_pack_filter *filter, struct tt_pack **ret, char *err,
    size_t errlen)
{
	const struct tt_embedded_file *precompiled = NULL;

	if (filter != NULL && filter->no_json)
		precompiled = built_with(json, ".pack");
	if (precompiled != NULL)
		return tt_pack_load_precompiled(name, precompiled->data,
		    precompiled->size, json->sha256, ret, err, errlen);
	return tt_pack_parse_built_in(name, (const char *)json->data,
	    json->size, json->sha256, ret, err, errlen);
}

const struct tt_embedded_file *
tt_pack_built_in_copy(const char *path, const char *text, size_t len)
{
	const char *base = strrchr(path, '/');
	const struct tt_embedded_file *f;

	f = tt_embedded_find(base != NULL ? base + 1 : path);
	if (f == NULL || f->size != len || memcmp(f->data, text, len) != 0)
		return NULL;
	return f;
}

/* A pack file on the host: root-owned, not writable by others. */
static int
load_file(struct tt_packset *set, const char *path,
    const struct tt_pack_filter *filter, char *err, size_t errlen)
{
	const struct tt_embedded_file *built_in;
	struct tt_pack *pack;
	struct tt_buf text;
	int fd, r;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(-errno));
		return r;
	}
	if ((r = tt_check_secure_file(fd, path, err, errlen)) < 0) {
		close(fd);
		return r;
	}
	r = tt_read_fd(fd, TT_PACK_MAX_BYTES, &text);
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", path,
		    tt_strerror(r));
		return r;
	}
	if (filter != NULL && !wanted(text.data, text.len, filter)) {
		tt_buf_free(&text);
		return 0;
	}
	/* make install and the packages put the built-in packs in
	 * TT_RULES_DIR: one unchanged is read precompiled too. */
	if (filter != NULL && filter->no_json &&
	    (built_in = tt_pack_built_in_copy(path, text.data, text.len)) !=
		NULL)
		r = load_embedded(built_in, path, filter, &pack, err, errlen);
	else
		r = tt_pack_parse(path, text.data, text.len, &pack, err,
		    errlen);
	tt_buf_free(&text);
	if (r < 0)
		return r;
	return add_pack(set, pack, err, errlen);
}

static int
load_dir(struct tt_packset *set, const char *dir, bool *ret_any,
    const struct tt_pack_filter *filter, char *err, size_t errlen)
{
	struct dirent **names = NULL;
	int n, r = 0;

	*ret_any = false;
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return 0;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char path[PATH_MAX];

		if (r == 0 && name[0] != '.' && len > 5 &&
		    TT_STREQ(name + len - 5, ".json") &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, name) <
			sizeof(path)) {
			*ret_any = true;
			r = load_file(set, path, filter, err, errlen);
		}
		free(names[i]);
	}
	free(names);
	return r;
}

/* The embedded table holds the scrub catalogues too, by base name only:
 * a rule pack is the file that has a "profiles" and a "pack" key. */
static bool
is_rule_pack(const struct tt_embedded_file *f)
{
	return memmem(f->data, f->size, "\"profiles\"", 10) != NULL &&
	    memmem(f->data, f->size, "\"pack\"", 6) != NULL;
}

static int
load_set(struct tt_packset *set, const char *const *files, size_t nfiles,
    const struct tt_pack_filter *filter, char *err, size_t errlen)
{
	bool any = false;
	int r = 0;

	memset(set, 0, sizeof(*set));
	if (nfiles > 0) {
		set->source = "--rules";
		for (size_t i = 0; r == 0 && i < nfiles; i++)
			r = load_file(set, files[i], NULL, err, errlen);
		return r;
	}
	set->source = TT_RULES_DIR;
	if ((r = load_dir(set, TT_RULES_DIR, &any, filter, err, errlen)) < 0 ||
	    any)
		return r;
	set->source = "embedded";
	for (const struct tt_embedded_file *f = tt_embedded_files;
	     r == 0 && f->name != NULL; f++) {
		const struct tt_embedded_file *head;
		struct tt_pack *pack;
		char name[PATH_MAX];
		size_t len = strlen(f->name);

		/* The scrub catalogues are embedded too: only rule packs. */
		if (len < 5 || !TT_STREQ(f->name + len - 5, ".json"))
			continue;
		/* The build writes each pack's head apart (tools/packprecompile):
		 * choosing by it leaves the packs not chosen unread. */
		head = built_with(f, ".head");
		snprintf(name, sizeof(name), "hardening/rules/%s", f->name);
		if (head == NULL && !is_rule_pack(f))
			continue;
		if (filter != NULL && head != NULL &&
		    !wanted((const char *)head->data, head->size, filter))
			continue;
		if (filter != NULL && head == NULL &&
		    !wanted((const char *)f->data, f->size, filter))
			continue;
		r = load_embedded(f, name, filter, &pack, err, errlen);
		if (r == 0)
			r = add_pack(set, pack, err, errlen);
	}
	return r;
}

static const struct tt_pack *
choose(const struct tt_packset *set, const struct tt_osrelease *os,
    const char *want, const struct tt_profile **ret_profile);

int
tt_packset_load(struct tt_packset *set, const char *const *files, size_t nfiles,
    const struct tt_pack_filter *filter, char *err, size_t errlen)
{
	const struct tt_profile *prof;
	const struct tt_pack *keep;
	size_t n = 0;
	int r = load_set(set, files, nfiles, filter, err, errlen);

	/* More than one pack applies (the system's benchmark and a pack
	 * for every distribution, azure): an audit keeps the one its
	 * profile is in, so that it holds one pack and its rules_digest
	 * names that pack alone, as it did before such packs.  An unknown
	 * profile keeps them all for tt_profile_select's message. */
	if (r < 0 || filter == NULL || filter->every_pack ||
	    filter->os == NULL || nfiles > 0 || set->n < 2 ||
	    (filter->want != NULL && strchr(filter->want, ':')))
		return r;
	keep = choose(set, filter->os, filter->want, &prof);
	if (keep == NULL || (filter->want != NULL && prof == NULL))
		return 0;
	for (size_t i = 0; i < set->n; i++) {
		if (set->v[i] == keep)
			set->v[n++] = set->v[i];
		else
			tt_pack_free(set->v[i]);
	}
	set->n = n;
	return 0;
}

void
tt_packset_free(struct tt_packset *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		tt_pack_free(set->v[i]);
	TT_FREE(set->v);
	set->n = 0;
}

static bool
listed(const char **list, size_t n, const char *value, bool prefix)
{
	if (value == NULL)
		return false;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(list[i]);

		if (TT_STREQ(list[i], value))
			return true;
		/* "9" matches "9.4": a prefix ending at a dot. */
		if (prefix && strncmp(list[i], value, len) == 0 &&
		    value[len] == '.')
			return true;
	}
	return false;
}

static bool
applies(const struct tt_applies *ap, const struct tt_osrelease *os)
{
	const char *id = tt_osrelease_get(os, "ID");
	const char *like = tt_osrelease_get(os, "ID_LIKE");
	const char *version = tt_osrelease_get(os, "VERSION_ID");
	bool id_ok = ap->nids == 0 || listed(ap->ids, ap->nids, id, false);

	/* A Debian testing image has no VERSION_ID before its release, only
	 * VERSION_CODENAME: a pack lists the codename among its versions
	 * ("13", "trixie") to take such an image. */
	if (version == NULL)
		version = tt_osrelease_get(os, "VERSION_CODENAME");

	if (!id_ok && like != NULL) {
		char buf[256], *save = NULL;

		strlcpy(buf, like, sizeof(buf));
		for (char *w = strtok_r(buf, " \t", &save); w && !id_ok;
		     w = strtok_r(NULL, " \t", &save))
			id_ok = listed(ap->ids, ap->nids, w, false);
	}
	return id_ok &&
	    (ap->nversions == 0 ||
		listed(ap->versions, ap->nversions, version, true));
}

bool
tt_pack_applies(const struct tt_pack *pack, const struct tt_osrelease *os)
{
	return applies(&pack->applies, os);
}

bool
tt_rule_applies(const struct tt_rule *rule, const struct tt_osrelease *os)
{
	return !rule->has_applies || applies(&rule->applies, os);
}

static const struct tt_profile *
find_profile(const struct tt_pack *pack, const char *id)
{
	for (size_t i = 0; i < pack->nprofiles; i++)
		if (TT_STREQ(pack->profiles[i].id, id))
			return &pack->profiles[i];
	return NULL;
}

/* "; did you mean 'X'? (profiles: a, b)" after an unknown profile: the
 * pack's profiles, and with set, those of the other packs that apply to
 * os (azure-image beside cis-l1-server), the closest first when there is
 * a close one. */
static void
profile_hint(const struct tt_packset *set, const struct tt_osrelease *os,
    const struct tt_pack *pack, const char *want, char *hint, size_t len)
{
	const char *cands[64], *near;
	size_t n = 0;

	for (size_t i = 0; i < pack->nprofiles && n < TT_ARRAY_SIZE(cands); i++)
		cands[n++] = pack->profiles[i].id;
	for (size_t k = 0; set != NULL && k < set->n; k++) {
		if (set->v[k] == pack || !tt_pack_applies(set->v[k], os))
			continue;
		for (size_t i = 0;
		     i < set->v[k]->nprofiles && n < TT_ARRAY_SIZE(cands); i++)
			cands[n++] = set->v[k]->profiles[i].id;
	}
	near = tt_suggest(want, cands, n);
	if (near != NULL)
		snprintf(hint, len, "; did you mean '%s'? (profiles:", near);
	else
		strlcpy(hint, " (profiles:", len);
	for (size_t i = 0; i < n; i++) {
		strlcat(hint, i > 0 ? ", " : " ", len);
		strlcat(hint, cands[i], len);
	}
	strlcat(hint, ")", len);
}

int
tt_pack_unknown_rule(const struct tt_pack *pack, const char *id, char *err,
    size_t errlen)
{
	/* An array of pointers to names: sizeof(*cands) is a pointer's. */
	// NOLINTNEXTLINE(bugprone-sizeof-expression)
	const char **cands = calloc(pack->nrules + 1, sizeof(*cands));
	const char *near = NULL;

	if (cands != NULL) {
		for (size_t i = 0; i < pack->nrules; i++)
			cands[i] = pack->rules[i].id;
		near = tt_suggest(id, cands, pack->nrules);
	}
	/* The rule list is long: 'tattoo rules' prints it. */
	if (near != NULL)
		tt_seterr(err, errlen,
		    "unknown rule '%s' in pack '%s'; did you mean '%s'? "
		    "('tattoo rules --profile %s:PROFILE' lists them)",
		    id, pack->name, near, pack->name);
	else
		tt_seterr(err, errlen,
		    "unknown rule '%s' in pack '%s' ('tattoo rules --profile "
		    "%s:PROFILE' lists them)",
		    id, pack->name, pack->name);
	free(cands);
	return -ENOENT;
}

/*
 * The pack a profile is taken from when several apply: the
 * distribution's benchmark and packs for every distribution (azure, the
 * image readiness checks), which sort first by name.  A profile id is
 * looked for in each of them in order (*ret_profile: it, or NULL when
 * none has it, the first pack that applies returned); no profile named,
 * the first pack with cis-l1-server, never a cross-distribution pack's
 * first profile.  NULL: no pack applies.
 */
static const struct tt_pack *
choose(const struct tt_packset *set, const struct tt_osrelease *os,
    const char *want, const struct tt_profile **ret_profile)
{
	const struct tt_pack *first = NULL;

	*ret_profile = NULL;
	for (size_t i = 0; i < set->n; i++) {
		if (!tt_pack_applies(set->v[i], os))
			continue;
		if (first == NULL)
			first = set->v[i];
		if (want != NULL &&
		    (*ret_profile = find_profile(set->v[i], want)) != NULL)
			return set->v[i];
		if (want == NULL &&
		    find_profile(set->v[i], "cis-l1-server") != NULL)
			return set->v[i];
	}
	return first;
}

/* The pack an error names as "the one for this system": the first that
 * applies with a CIS profile, else first (the first that applies). */
static const struct tt_pack *
system_pack(const struct tt_packset *set, const struct tt_osrelease *os,
    const struct tt_pack *first)
{
	for (size_t i = 0; i < set->n; i++)
		if (tt_pack_applies(set->v[i], os) &&
		    find_profile(set->v[i], "cis-l1-server") != NULL)
			return set->v[i];
	return first;
}

int
tt_profile_select(const struct tt_packset *set, const struct tt_osrelease *os,
    const char *want, const struct tt_pack **ret_pack,
    const struct tt_profile **ret_profile, char *err, size_t errlen)
{
	const char *colon = want ? strchr(want, ':') : NULL;
	const struct tt_pack *pack = NULL;
	const struct tt_profile *prof = NULL;

	if (colon != NULL) {
		size_t n = (size_t)(colon - want);

		for (size_t i = 0; i < set->n && pack == NULL; i++)
			if (strlen(set->v[i]->name) == n &&
			    strncmp(set->v[i]->name, want, n) == 0)
				pack = set->v[i];
		if (pack == NULL) {
			tt_seterr(err, errlen, "unknown rule pack '%.*s'",
			    (int)n, want);
			return -ENOENT;
		}
		if ((prof = find_profile(pack, colon + 1)) == NULL) {
			char hint[512];

			profile_hint(NULL, NULL, pack, colon + 1, hint,
			    sizeof(hint));
			tt_seterr(err, errlen,
			    "pack '%s' has no profile '%s'%s", pack->name,
			    colon + 1, hint);
			return -ENOENT;
		}
		goto done;
	}
	pack = choose(set, os, want, &prof);
	if (pack == NULL) {
		const char *id = tt_osrelease_get(os, "ID");
		const char *ver = tt_osrelease_get(os, "VERSION_ID");

		tt_seterr(err, errlen,
		    "no rule pack applies to this system "
		    "(ID=%s VERSION_ID=%s); name one with --profile "
		    "PACK:PROFILE",
		    id ? id : "?", ver ? ver : "?");
		return -ESRCH;
	}
	if (want != NULL && prof == NULL) {
		char hint[512];

		pack = system_pack(set, os, pack);
		profile_hint(set, os, pack, want, hint, sizeof(hint));
		tt_seterr(err, errlen,
		    "unknown profile '%s' in pack '%s', the one for "
		    "this system%s",
		    want, pack->name, hint);
		return -ENOENT;
	}
	if (prof == NULL) {
		prof = find_profile(pack, "cis-l1-server");
		if (prof == NULL)
			prof = &pack->profiles[0];
	}
done:
	*ret_pack = pack;
	*ret_profile = prof;
	return 0;
}

void
tt_packset_digest(const struct tt_packset *set, char out[72])
{
	uint8_t all[TT_SHA256_LEN];
	char hex[2 * TT_SHA256_LEN + 1];
	struct tt_buf b;

	/* The digest of the packs' own digests, in load order. */
	tt_buf_init(&b, (size_t)64 * 1024);
	for (size_t i = 0; i < set->n; i++)
		tt_buf_append(&b, set->v[i]->sha256, TT_SHA256_LEN);
	tt_sha256_small(b.data ? b.data : "", b.len, all);
	tt_buf_free(&b);
	tt_hex(all, sizeof(all), hex);
	snprintf(out, 72, "sha256:%s", hex);
}
