#include <ctype.h>
#include <math.h>

#include <json-c/json.h>

#include "canon.h"
#include "json.h"
#include "embedded.h"
#include "scrub_catalog.h"
#include "log.h"
#include "tt.h"

static const struct {
	const char *name;
	enum tt_validator type;
} validators[] = {
	{ "token", TT_V_TOKEN },
	{ "pem", TT_V_PEM },
	{ "putty", TT_V_PUTTY },
	{ "jwt", TT_V_JWT },
	{ "url-password", TT_V_URL_PASSWORD },
	{ "assignment", TT_V_ASSIGNMENT },
	{ "sas", TT_V_SAS },
	{ "entra-secret", TT_V_ENTRA },
	{ "crypt-hash", TT_V_CRYPT },
	{ "docker-auth", TT_V_DOCKER_AUTH },
	{ "base64-pem", TT_V_B64_PEM },
	{ "path", TT_V_PATH },
	{ "curl-user", TT_V_CURL_USER },
	{ "k8s-secret", TT_V_K8S_SECRET },
	{ "app-token", TT_V_APP_TOKEN },
	{ "curl-header", TT_V_CURL_HEADER },
	{ "telegram-bot", TT_V_TELEGRAM_BOT },
	{ "base64-jwt", TT_V_B64_JWT },
};

static const char *const action_names[] = { "delete", "truncate", "empty-dir",
	"remove-account" };

const char *
tt_leftover_action_name(enum tt_leftover_action a)
{
	return (size_t)a < TT_ARRAY_SIZE(action_names) ? action_names[a] : "?";
}

int
tt_charset_parse(struct tt_charset *cs, const char *spec)
{
	size_t n = strlen(spec);

	memset(cs, 0, sizeof(*cs));
	if (n == 0)
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned char lo = (unsigned char)spec[i], hi = lo;

		if (i + 2 < n && spec[i + 1] == '-') {
			hi = (unsigned char)spec[i + 2];
			if (hi < lo)
				return -EINVAL;
			i += 2;
		}
		for (unsigned c = lo; c <= hi; c++)
			cs->bits[c >> 3] |= (uint8_t)(1u << (c & 7));
	}
	return 0;
}

/* Where a loader is, for messages: "detectors.json: detectors[3] (id)". */
struct ctx {
	const char *file;
	char where[128];
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 3, 4))) static int
bad(struct ctx *c, const char *field, const char *fmt, ...)
{
	char why[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(c->err, c->errlen, "%s: %s%s%s: %s", c->file, c->where,
	    c->where[0] && field[0] ? "." : "", field, why);
	return -EINVAL;
}

static json_object *
member(json_object *o, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		return NULL;
	return v;
}

static int
get_string(struct ctx *c, json_object *o, const char *key, bool required,
    size_t maxlen, char **ret)
{
	json_object *v = member(o, key);
	const char *s;

	*ret = NULL;
	if (v == NULL)
		return required ? bad(c, key, "missing") : 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(c, key, "not a string");
	s = json_object_get_string(v);
	if (s[0] == '\0' || strlen(s) > maxlen)
		return bad(c, key, "empty or longer than %zu bytes", maxlen);
	if ((*ret = strdup(s)) == NULL)
		return -ENOMEM;
	return 0;
}

static int
get_uint(struct ctx *c, json_object *o, const char *key, unsigned lo,
    unsigned hi, unsigned *ret)
{
	json_object *v = member(o, key);
	int64_t x;

	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_int))
		return bad(c, key, "not an integer in %u..%u", lo, hi);
	x = json_object_get_int64(v);
	if (x < lo || x > hi)
		return bad(c, key, "not an integer in %u..%u", lo, hi);
	*ret = (unsigned)x;
	return 0;
}

static int
get_bool(struct ctx *c, json_object *o, const char *key, bool *ret)
{
	json_object *v = member(o, key);

	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_boolean))
		return bad(c, key, "not true or false");
	*ret = json_object_get_boolean(v);
	return 0;
}

static int
get_strings(struct ctx *c, json_object *o, const char *key, size_t max,
    bool lower, char ***ret, size_t *ret_n)
{
	json_object *v = member(o, key);
	size_t n;
	char **a;

	*ret = NULL;
	*ret_n = 0;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_array))
		return bad(c, key, "not an array of strings");
	n = json_object_array_length(v);
	if (n > max)
		return bad(c, key, "more than %zu entries", max);
	if ((a = calloc(n + 1, sizeof(*a))) == NULL)
		return -ENOMEM;
	*ret = a;
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_array_get_idx(v, i);
		const char *t;

		if (!json_object_is_type(s, json_type_string))
			return bad(c, key, "[%zu]: not a string", i);
		t = json_object_get_string(s);
		if (t[0] == '\0' ||
		    strlen(t) > (size_t)TT_SCRUB_MAX_KEYWORD_LEN * 4)
			return bad(c, key, "[%zu]: empty or too long", i);
		if ((a[i] = strdup(t)) == NULL)
			return -ENOMEM;
		*ret_n = i + 1;
		if (lower)
			for (char *p = a[i]; *p; p++)
				*p = (char)tolower((unsigned char)*p);
	}
	return 0;
}

static int
check_keys(struct ctx *c, json_object *o, const char *const *known)
{
	json_object_object_foreach(o, k, v)
	{
		bool ok = false;

		(void)v;
		for (size_t i = 0; known[i] != NULL && !ok; i++)
			ok = TT_STREQ(k, known[i]);
		if (!ok)
			return bad(c, k, "unknown field");
	}
	return 0;
}

static int
load_validator(struct ctx *c, json_object *o, struct tt_detector *d)
{
	static const char *const known[] = { "type", "charset", "min", "max",
		"segments", "separator", "case_sensitive", "checksum", "label",
		"context", "suffix", "prefix", "keyword_in_secret",
		"word_start", "keyword_at_end", "min_switches", NULL };
	char *type = NULL, *cs = NULL, *sep = NULL;
	json_object *segs;
	size_t i;
	int r;

	if (o == NULL)
		return bad(c, "validator", "missing");
	if (!json_object_is_type(o, json_type_object))
		return bad(c, "validator", "not an object");
	strlcat(c->where, ".validator", sizeof(c->where));
	if ((r = check_keys(c, o, known)) < 0 ||
	    (r = get_string(c, o, "type", true, 64, &type)) < 0)
		goto out;
	for (i = 0; i < TT_ARRAY_SIZE(validators); i++)
		if (TT_STREQ(type, validators[i].name))
			break;
	if (i == TT_ARRAY_SIZE(validators)) {
		r = bad(c, "type", "unknown validator '%s'", type);
		goto out;
	}
	d->type = validators[i].type;
	d->case_sensitive = d->type == TT_V_TOKEN || d->type == TT_V_PEM ||
	    d->type == TT_V_ENTRA || d->type == TT_V_PUTTY;
	d->min = 1;
	d->max = 4096;
	d->keyword_in_secret = true;
	if ((r = get_string(c, o, "charset", false, 256, &cs)) < 0)
		goto out;
	if (cs != NULL) {
		if (tt_charset_parse(&d->charset, cs) < 0) {
			r = bad(c, "charset",
			    "not a charset such as A-Za-z0-9");
			goto out;
		}
		d->has_charset = true;
	}
	if ((r = get_uint(c, o, "min", 1, 4096, &d->min)) < 0 ||
	    (r = get_uint(c, o, "max", 1, 4096, &d->max)) < 0 ||
	    (r = get_bool(c, o, "case_sensitive", &d->case_sensitive)) < 0 ||
	    (r = get_bool(c, o, "keyword_in_secret", &d->keyword_in_secret)) <
		0 ||
	    (r = get_bool(c, o, "word_start", &d->word_start)) < 0 ||
	    (r = get_bool(c, o, "keyword_at_end", &d->keyword_at_end)) < 0 ||
	    (r = get_uint(c, o, "min_switches", 0, 64, &d->min_switches)) < 0 ||
	    (r = get_string(c, o, "checksum", false, 64, &d->checksum)) < 0 ||
	    (r = get_string(c, o, "label", false, 64, &d->label)) < 0 ||
	    (r = get_string(c, o, "context", false, 64, &d->context)) < 0 ||
	    (r = get_string(c, o, "suffix", false, 64, &d->suffix)) < 0 ||
	    (r = get_string(c, o, "prefix", false, 64, &d->prefix)) < 0 ||
	    (r = get_string(c, o, "separator", false, 1, &sep)) < 0)
		goto out;
	if (d->min > d->max) {
		r = bad(c, "min", "greater than max");
		goto out;
	}
	if (d->checksum != NULL && !TT_STREQ(d->checksum, "github-crc32")) {
		r = bad(c, "checksum", "unknown checksum '%s'", d->checksum);
		goto out;
	}
	if (d->context != NULL)
		for (char *p = d->context; *p; p++)
			*p = (char)tolower((unsigned char)*p);
	if (sep != NULL)
		d->separator = sep[0];
	if ((segs = member(o, "segments")) != NULL) {
		size_t n;

		if (!json_object_is_type(segs, json_type_array) ||
		    (n = json_object_array_length(segs)) == 0 ||
		    n > TT_SCRUB_MAX_SEGMENTS) {
			r = bad(c, "segments", "not an array of 1..%d lengths",
			    TT_SCRUB_MAX_SEGMENTS);
			goto out;
		}
		for (i = 0; i < n; i++) {
			json_object *x = json_object_array_get_idx(segs, i);
			int64_t v = json_object_get_int64(x);

			if (!json_object_is_type(x, json_type_int) || v < 1 ||
			    v > 1024) {
				r = bad(c, "segments", "[%zu]: not in 1..1024",
				    i);
				goto out;
			}
			d->segments[i] = (unsigned)v;
		}
		d->nsegments = n;
		if (d->separator == '\0') {
			r = bad(c, "separator", "missing (segments need one)");
			goto out;
		}
	}
	if ((d->type == TT_V_TOKEN || d->type == TT_V_ASSIGNMENT ||
		d->type == TT_V_APP_TOKEN || d->type == TT_V_TELEGRAM_BOT) &&
	    !d->has_charset) {
		r = bad(c, "charset", "missing (the %s validator needs one)",
		    type);
		goto out;
	}
	if (d->type == TT_V_PEM && d->label == NULL) {
		r = bad(c, "label", "missing (the pem validator needs one)");
		goto out;
	}
	r = 0;
out:
	if (r == 0) {
		char *dot = strrchr(c->where, '.');

		if (dot != NULL)
			*dot = '\0';
	}
	free(type);
	free(cs);
	free(sep);
	return r;
}

static int
load_fp(struct ctx *c, json_object *o, struct tt_detector *d,
    const struct tt_scrub_catalog *cat)
{
	static const char *const known[] = { "allow", "paths", "entropy",
		"entropy_scaled", "placeholders", "stopwords", NULL };
	bool stopwords = false;
	json_object *e;
	int r;

	d->placeholders = d->type != TT_V_PEM && d->type != TT_V_PATH &&
	    d->type != TT_V_CRYPT;
	if (o == NULL)
		return 0;
	if (!json_object_is_type(o, json_type_object))
		return bad(c, "false_positives", "not an object");
	strlcat(c->where, ".false_positives", sizeof(c->where));
	if ((r = check_keys(c, o, known)) < 0 ||
	    (r = get_strings(c, o, "allow", 64, false, &d->allow, &d->nallow)) <
		0 ||
	    (r = get_strings(c, o, "paths", 64, false, &d->paths, &d->npaths)) <
		0 ||
	    (r = get_bool(c, o, "placeholders", &d->placeholders)) < 0 ||
	    (r = get_bool(c, o, "entropy_scaled", &d->entropy_scaled)) < 0 ||
	    (r = get_bool(c, o, "stopwords", &stopwords)) < 0)
		return r;
	if (stopwords) {
		if (cat->nstopwords == 0)
			return bad(c, "stopwords",
			    "true, but the catalogue has no stopwords");
		d->stopwords = cat->stopwords;
		d->nstopwords = cat->nstopwords;
	}
	if ((e = member(o, "entropy")) != NULL) {
		if (!json_object_is_type(e, json_type_double) &&
		    !json_object_is_type(e, json_type_int))
			return bad(c, "entropy", "not a number");
		d->entropy = json_object_get_double(e);
		if (!(d->entropy >= 0 && d->entropy <= 8))
			return bad(c, "entropy", "not in 0..8 bits per byte");
	}
	*strrchr(c->where, '.') = '\0';
	return 0;
}

static int
load_detector(struct ctx *c, json_object *o, struct tt_detector *d,
    const struct tt_scrub_catalog *cat)
{
	static const char *const known[] = { "id", "description", "keywords",
		"validator", "false_positives", NULL };
	int r;

	if (!json_object_is_type(o, json_type_object))
		return bad(c, "", "not an object");
	if ((r = get_string(c, o, "id", true, 64, &d->id)) < 0)
		return r;
	for (const char *p = d->id; *p; p++)
		if (!islower((unsigned char)*p) &&
		    !isdigit((unsigned char)*p) && *p != '-')
			return bad(c, "id", "'%s': not lowercase a-z0-9-",
			    d->id);
	for (size_t i = 0; i < cat->ndetectors; i++)
		if (TT_STREQ(cat->detectors[i].id, d->id))
			return bad(c, "id", "'%s' is defined twice", d->id);
	snprintf(c->where + strlen(c->where),
	    sizeof(c->where) - strlen(c->where), " (%s)", d->id);
	if ((r = check_keys(c, o, known)) < 0 ||
	    (r = get_string(c, o, "description", true, 512, &d->description)) <
		0 ||
	    (r = load_validator(c, member(o, "validator"), d)) < 0 ||
	    (r = get_strings(c, o, "keywords", TT_SCRUB_MAX_KEYWORDS, false,
		 &d->keywords, &d->nkeywords)) < 0 ||
	    (r = load_fp(c, member(o, "false_positives"), d, cat)) < 0)
		return r;
	for (size_t i = 0; i < d->nkeywords; i++)
		if (strlen(d->keywords[i]) > TT_SCRUB_MAX_KEYWORD_LEN ||
		    strlen(d->keywords[i]) < 2)
			return bad(c, "keywords", "[%zu]: not 2..%d bytes", i,
			    TT_SCRUB_MAX_KEYWORD_LEN);
	if (d->type == TT_V_PATH) {
		if (d->npaths == 0)
			return bad(c, "false_positives.paths",
			    "missing (the path validator matches files by "
			    "these globs)");
		if (d->nkeywords != 0)
			return bad(c, "keywords",
			    "a path detector has no keywords");
	} else if (d->nkeywords == 0) {
		return bad(c, "keywords", "missing or empty");
	}
	return 0;
}

static json_object *
parse_doc(struct ctx *c, const char *text, size_t len, const char *list)
{
	char why[256];
	json_object *doc, *v;

	c->where[0] = '\0';
	if ((doc = tt_json_parse(text, len, why, sizeof(why))) == NULL) {
		snprintf(c->err, c->errlen, "%s: %s", c->file, why);
		return NULL;
	}
	if (!json_object_is_type(doc, json_type_object) ||
	    (v = member(doc, "schema")) == NULL ||
	    !json_object_is_type(v, json_type_int) ||
	    json_object_get_int64(v) != 1) {
		bad(c, "schema", "missing or not 1");
		json_object_put(doc);
		return NULL;
	}
	if ((v = member(doc, list)) == NULL ||
	    !json_object_is_type(v, json_type_array)) {
		bad(c, list, "missing or not an array");
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

static int
load_known(struct ctx *c, struct tt_scrub_catalog *cat, json_object *arr)
{
	size_t n;

	if (arr == NULL)
		return 0;
	if (!json_object_is_type(arr, json_type_array))
		return bad(c, "known_public", "not an array");
	n = json_object_array_length(arr);
	if (n > 4096)
		return bad(c, "known_public", "more than 4096 entries");
	if ((cat->known = calloc(n ? n : 1, sizeof(*cat->known))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i), *f;
		const char *h;

		snprintf(c->where, sizeof(c->where), "known_public[%zu]", i);
		if (!json_object_is_type(o, json_type_object) ||
		    (f = member(o, "fingerprint")) == NULL ||
		    !json_object_is_type(f, json_type_string))
			return bad(c, "fingerprint", "missing or not a string");
		h = json_object_get_string(f);
		if (strncmp(h, "sha256:", 7) != 0 || strlen(h) != 71 ||
		    strspn(h + 7, "0123456789abcdef") != 64)
			return bad(c, "fingerprint",
			    "not sha256: and 64 hex "
			    "digits");
		memcpy(cat->known[i], h + 7, 65);
		cat->nknown = i + 1;
	}
	c->where[0] = '\0';
	return 0;
}

/* "stopwords": {"source": "where the list was read", "words": [...]}:
 * lowercase words of 2..32 letters, sorted and one of each, so that a
 * lookup is a binary search and the file shows a word twice as an error. */
static int
load_stopwords(struct ctx *c, struct tt_scrub_catalog *cat, json_object *o)
{
	static const char *const known[] = { "source", "words", NULL };
	char *source = NULL;
	size_t n;
	int r;

	if (o == NULL)
		return 0;
	snprintf(c->where, sizeof(c->where), "stopwords");
	if (!json_object_is_type(o, json_type_object))
		return bad(c, "", "not an object");
	if ((r = check_keys(c, o, known)) < 0 ||
	    (r = get_string(c, o, "source", true, 512, &source)) < 0)
		return r;
	free(source); /* provenance for readers of the file */
	if ((r = get_strings(c, o, "words", 8192, false, &cat->stopwords,
		 &cat->nstopwords)) < 0)
		return r;
	n = cat->nstopwords;
	if (n == 0)
		return bad(c, "words", "missing or empty");
	for (size_t i = 0; i < n; i++) {
		const char *w = cat->stopwords[i];
		size_t len = strlen(w);

		if (len < 2 || len > TT_SCRUB_MAX_STOPWORD_LEN ||
		    strspn(w, "abcdefghijklmnopqrstuvwxyz") != len)
			return bad(c, "words",
			    "[%zu]: '%s' is not 2..%d of a-z", i, w,
			    TT_SCRUB_MAX_STOPWORD_LEN);
		if (i > 0 && strcmp(cat->stopwords[i - 1], w) >= 0)
			return bad(c, "words",
			    "[%zu]: '%s' is not after '%s' (sorted, one of "
			    "each)",
			    i, w, cat->stopwords[i - 1]);
	}
	c->where[0] = '\0';
	return 0;
}

bool
tt_scrub_known_public(const struct tt_scrub_catalog *cat, const char *hex)
{
	for (size_t i = 0; i < cat->nknown; i++)
		if (strcmp(cat->known[i], hex) == 0)
			return true;
	return false;
}

int
tt_scrub_load_detectors(struct tt_scrub_catalog *cat, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	struct ctx c = { .file = name, .err = err, .errlen = errlen };
	json_object *doc, *arr;
	size_t n;
	int r = 0;

	if ((doc = parse_doc(&c, text, len, "detectors")) == NULL)
		return -EINVAL;
	if ((r = load_known(&c, cat, member(doc, "known_public"))) < 0 ||
	    (r = load_stopwords(&c, cat, member(doc, "stopwords"))) < 0)
		goto out;
	arr = member(doc, "detectors");
	n = json_object_array_length(arr);
	if (n > TT_SCRUB_MAX_DETECTORS) {
		r = bad(&c, "detectors", "more than %d",
		    TT_SCRUB_MAX_DETECTORS);
		goto out;
	}
	cat->detectors = calloc(n ? n : 1, sizeof(*cat->detectors));
	if (cat->detectors == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		snprintf(c.where, sizeof(c.where), "detectors[%zu]", i);
		r = load_detector(&c, json_object_array_get_idx(arr, i),
		    &cat->detectors[i], cat);
		cat->ndetectors = i + 1;
		if (r < 0)
			goto out;
	}
out:
	if (r == -ENOMEM)
		tt_seterr(err, errlen, "%s: out of memory", name);
	json_object_put(doc);
	return r;
}

int
tt_scrub_load_leftovers(struct tt_scrub_catalog *cat, const char *name,
    const char *text, size_t len, char *err, size_t errlen)
{
	static const char *const known[] = { "id", "path", "action", "reason",
		NULL };
	struct ctx c = { .file = name, .err = err, .errlen = errlen };
	json_object *doc, *arr;
	char *action = NULL;
	size_t n;
	int r = 0;

	if ((doc = parse_doc(&c, text, len, "leftovers")) == NULL)
		return -EINVAL;
	arr = member(doc, "leftovers");
	n = json_object_array_length(arr);
	if (n > TT_SCRUB_MAX_LEFTOVERS) {
		r = bad(&c, "leftovers", "more than %d",
		    TT_SCRUB_MAX_LEFTOVERS);
		goto out;
	}
	cat->leftovers = calloc(n ? n : 1, sizeof(*cat->leftovers));
	if (cat->leftovers == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++) {
		json_object *o = json_object_array_get_idx(arr, i);
		struct tt_leftover *l = &cat->leftovers[i];
		size_t k;

		cat->nleftovers = i + 1;
		snprintf(c.where, sizeof(c.where), "leftovers[%zu]", i);
		if (!json_object_is_type(o, json_type_object)) {
			r = bad(&c, "", "not an object");
			goto out;
		}
		if ((r = get_string(&c, o, "id", true, 64, &l->id)) < 0)
			goto out;
		snprintf(c.where + strlen(c.where),
		    sizeof(c.where) - strlen(c.where), " (%s)", l->id);
		if ((r = check_keys(&c, o, known)) < 0 ||
		    (r = get_string(&c, o, "path", true, 1024, &l->path)) < 0 ||
		    (r = get_string(&c, o, "reason", true, 512, &l->reason)) <
			0 ||
		    (r = get_string(&c, o, "action", true, 16, &action)) < 0)
			goto out;
		if (l->path[0] != '/' || strstr(l->path, "/../") != NULL ||
		    strstr(l->path, "/./") != NULL || TT_STREQ(l->path, "/")) {
			r = bad(&c, "path",
			    "'%s': not an absolute path below /", l->path);
			goto out;
		}
		for (k = 0; k < TT_ARRAY_SIZE(action_names); k++)
			if (TT_STREQ(action, action_names[k]))
				break;
		if (k == TT_ARRAY_SIZE(action_names)) {
			r = bad(&c, "action",
			    "'%s': not delete, truncate, empty-dir or "
			    "remove-account",
			    action);
			goto out;
		}
		l->action = (enum tt_leftover_action)k;
		TT_FREE(action);
		for (size_t j = 0; j < i; j++)
			if (TT_STREQ(cat->leftovers[j].id, l->id)) {
				r = bad(&c, "id", "'%s' is defined twice",
				    l->id);
				goto out;
			}
	}
out:
	free(action);
	if (r == -ENOMEM)
		tt_seterr(err, errlen, "%s: out of memory", name);
	json_object_put(doc);
	return r;
}

int
tt_scrub_load_builtin(struct tt_scrub_catalog *cat, char *err, size_t errlen)
{
	const struct tt_embedded_file *d = tt_embedded_find("detectors.json");
	const struct tt_embedded_file *l = tt_embedded_find("leftovers.json");
	int r;

	if (d == NULL || l == NULL) {
		tt_seterr(err, errlen,
		    "the built-in scrub catalogues are "
		    "missing from this binary");
		return -ENOENT;
	}
	r = tt_scrub_load_detectors(cat, "detectors.json",
	    (const char *)d->data, d->size, err, errlen);
	if (r == 0)
		r = tt_scrub_load_leftovers(cat, "leftovers.json",
		    (const char *)l->data, l->size, err, errlen);
	return r;
}

static void
free_strings(char **a, size_t n)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < n; i++)
		free(a[i]);
	free(a);
}

void
tt_scrub_catalog_free(struct tt_scrub_catalog *cat)
{
	if (cat == NULL)
		return;
	for (size_t i = 0; i < cat->ndetectors; i++) {
		struct tt_detector *d = &cat->detectors[i];

		free(d->id);
		free(d->description);
		free_strings(d->keywords, d->nkeywords);
		free(d->checksum);
		free(d->label);
		free(d->context);
		free(d->suffix);
		free(d->prefix);
		free_strings(d->allow, d->nallow);
		free_strings(d->paths, d->npaths);
	}
	free(cat->detectors);
	free(cat->known);
	free_strings(cat->stopwords, cat->nstopwords);
	for (size_t i = 0; i < cat->nleftovers; i++) {
		free(cat->leftovers[i].id);
		free(cat->leftovers[i].path);
		free(cat->leftovers[i].reason);
	}
	free(cat->leftovers);
	memset(cat, 0, sizeof(*cat));
}
