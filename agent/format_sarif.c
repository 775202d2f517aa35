/*
 * SARIF 2.1.0 (OASIS): one run, tool.driver.rules for every rule or
 * detector with help text and the CIS/SSG references, one result per audit
 * result (kind pass/fail/open/notApplicable/review as the spec names them,
 * level only on failures) or per scrub finding, located at the file the
 * rule or finding is about relative to the %ROOT% base.  Built as a json-c
 * tree so that string escaping is json-c's, not ours.
 */
#include "canon.h"
#include "format.h"
#include "format_util.h"
#include "tt.h"

#define SARIF_SCHEMA                                                           \
	"https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/"          \
	"schemas/sarif-schema-2.1.0.json"

/* json-c's add fails only without memory; one flag collects that. */
struct tree {
	bool oom;
};

static json_object *
add(struct tree *t, json_object *parent, const char *key, json_object *v)
{
	if (v == NULL || parent == NULL) {
		t->oom = true;
		json_object_put(v);
		return NULL;
	}
	if (json_object_object_add(parent, key, v) < 0) {
		t->oom = true;
		json_object_put(v);
		return NULL;
	}
	return v;
}

static json_object *
push(struct tree *t, json_object *arr, json_object *v)
{
	if (v == NULL || arr == NULL || json_object_array_add(arr, v) < 0) {
		t->oom = true;
		json_object_put(v);
		return NULL;
	}
	return v;
}

static json_object *
obj(struct tree *t, json_object *parent, const char *key)
{
	return add(t, parent, key, json_object_new_object());
}

/*
 * json-c copies bytes as they are; SARIF is UTF-8 JSON.  Text that is not
 * valid UTF-8 (a file's bytes in "found", a message cut by snprintf) gets
 * U+FFFD for each bad byte, as the XML writers do.
 */
static void
str(struct tree *t, json_object *parent, const char *key, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	struct tt_buf b;

	if (tt_utf8_valid(s, n)) {
		add(t, parent, key, json_object_new_string(s));
		return;
	}
	tt_buf_init(&b, 3 * n + 1);
	while (n > 0) {
		uint32_t cp;
		size_t len = tt_fmt_utf8_next(p, n, &cp);

		if (len == 0) {
			if (tt_buf_puts(&b, "\xef\xbf\xbd") < 0)
				t->oom = true;
			len = 1;
		} else if (tt_buf_append(&b, p, len) < 0) {
			t->oom = true;
		}
		p += len;
		n -= len;
	}
	add(t, parent, key,
	    json_object_new_string(b.data != NULL ? b.data : ""));
	tt_buf_free(&b);
}

static void
text(struct tree *t, json_object *parent, const char *key, const char *s)
{
	str(t, obj(t, parent, key), "text", s);
}

/*
 * A relative URI reference for path (which starts with "/"): the leading
 * "/" dropped and every byte outside RFC 3986's unreserved set and "/"
 * percent-encoded.
 */
static int
uri_path(const char *path, struct tt_buf *out)
{
	static const char hex[] = "0123456789ABCDEF";
	int r = 0;

	while (*path == '/')
		path++;
	for (const unsigned char *p = (const unsigned char *)path;
	     *p != '\0' && r == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			r = tt_buf_putc(out, (char)*p);
		else
			r = tt_buf_printf(out, "%%%c%c", hex[*p >> 4],
			    hex[*p & 15]);
	}
	return r;
}

/* A location of path, relative to %ROOT%; line/offset when > 0 / >= 0. */
static void
location(struct tree *t, json_object *locs, const char *path, int64_t line,
    int64_t offset)
{
	json_object *loc, *phys, *region;
	struct tt_buf u;

	tt_buf_init(&u, 16384);
	if (uri_path(path, &u) < 0 || u.len == 0) {
		tt_buf_free(&u);
		return;
	}
	loc = push(t, locs, json_object_new_object());
	phys = obj(t, loc, "physicalLocation");
	phys = obj(t, phys, "artifactLocation");
	str(t, phys, "uri", u.data);
	str(t, phys, "uriBaseId", "ROOT");
	tt_buf_free(&u);
	if (line > 0 || offset >= 0) {
		region = obj(t, json_object_object_get(loc, "physicalLocation"),
		    "region");
		if (line > 0)
			add(t, region, "startLine",
			    json_object_new_int64(line));
		if (offset >= 0)
			add(t, region, "byteOffset",
			    json_object_new_int64(offset));
	}
}

/* The run skeleton: tool.driver, originalUriBaseIds for the root. */
/* The run's property bag, made once. */
static json_object *
bag(struct tree *t, json_object *run)
{
	json_object *p;

	if (json_object_object_get_ex(run, "properties", &p))
		return p;
	return obj(t, run, "properties");
}

/* When the run happened (an invocation's endTimeUtc) and what it was
 * about (evidence.h), in the run's property bag. */
static void
evidence(struct tree *t, json_object *run, json_object *doc)
{
	struct tt_fmt_evidence ev;
	json_object *inv, *props = bag(t, run), *tat;

	tt_fmt_evidence_of(doc, &ev);
	if (ev.generated_at[0] != '\0') {
		inv =
		    push(t, add(t, run, "invocations", json_object_new_array()),
			json_object_new_object());
		add(t, inv, "executionSuccessful", json_object_new_boolean(1));
		str(t, inv, "endTimeUtc", ev.generated_at);
		str(t, props, "generated_at", ev.generated_at);
	}
	if (ev.benchmark[0] != '\0')
		str(t, props, "benchmark", ev.benchmark);
	/* Field by field through str: an image's name need not be UTF-8. */
	if (json_object_object_get_ex(doc, "tattoo", &tat)) {
		tat = obj(t, props, "tattoo");
		str(t, tat, "image", ev.image);
		str(t, tat, "version", ev.version);
		str(t, tat, "signature", ev.signature);
	}
}

static json_object *
new_run(struct tree *t, json_object *log, json_object *doc,
    json_object **ret_rules, json_object **ret_results)
{
	json_object *runs, *run, *driver, *base;
	const char *root = tt_fmt_str(doc, "root");
	struct tt_buf u;

	str(t, log, "$schema", SARIF_SCHEMA);
	str(t, log, "version", "2.1.0");
	runs = add(t, log, "runs", json_object_new_array());
	run = push(t, runs, json_object_new_object());
	driver = obj(t, obj(t, run, "tool"), "driver");
	str(t, driver, "name", "tattoo");
	str(t, driver, "version", TT_VERSION);
	str(t, driver, "semanticVersion", TT_VERSION);
	*ret_rules = add(t, driver, "rules", json_object_new_array());
	/* file:///ROOT/ so that viewers can open what results point at. */
	tt_buf_init(&u, 16384);
	if (tt_buf_puts(&u, "file:///") < 0 ||
	    uri_path(root[0] != '\0' ? root : "/", &u) < 0 ||
	    (u.len > 8 && u.data[u.len - 1] != '/' && tt_buf_putc(&u, '/') < 0))
		t->oom = true;
	base = obj(t, obj(t, run, "originalUriBaseIds"), "ROOT");
	if (u.data != NULL)
		str(t, base, "uri", u.data);
	tt_buf_free(&u);
	*ret_results = add(t, run, "results", json_object_new_array());
	evidence(t, run, doc);
	return run;
}

static int
finish(struct tree *t, json_object *log, struct tt_buf *out)
{
	const char *s;
	int r;

	if (t->oom) {
		json_object_put(log);
		return -ENOMEM;
	}
	s = json_object_to_json_string_ext(log,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	r = s == NULL ? -ENOMEM : tt_buf_puts(out, s);
	if (r == 0)
		r = tt_buf_putc(out, '\n');
	json_object_put(log);
	return r;
}

/* The fix of a rule for people: manual text, or action and params. */
static void
fix_text(json_object *res, struct tt_buf *b)
{
	json_object *fix, *params;

	if (!json_object_object_get_ex(res, "fix", &fix) || fix == NULL)
		return;
	if (json_object_is_type(fix, json_type_string)) {
		tt_buf_printf(b, "\n\nFix: %s", json_object_get_string(fix));
	} else if (tt_fmt_str(fix, "manual")[0] != '\0') {
		tt_buf_printf(b, "\n\nFix (manual): %s",
		    tt_fmt_str(fix, "manual"));
	} else if (tt_fmt_str(fix, "action")[0] != '\0') {
		tt_buf_printf(b, "\n\nFix: `tattoo harden` applies %s",
		    tt_fmt_str(fix, "action"));
		if (json_object_object_get_ex(fix, "params", &params))
			tt_buf_printf(b, " %s",
			    json_object_to_json_string_ext(params,
				JSON_C_TO_STRING_PLAIN |
				    JSON_C_TO_STRING_NOSLASHESCAPE));
	}
}

static const char *
level_of(int severity)
{
	switch (severity) {
	case 0: return "error";
	case 2: return "note";
	default: return "warning";
	}
}

/* GitHub code scanning orders alerts by this CVSS-like number. */
static const char *
security_severity(int severity)
{
	switch (severity) {
	case 0: return "8.0";
	case 2: return "3.0";
	default: return "5.5";
	}
}

/* A STIG result's properties: stig, cat, vuln, stig-rule, and the tags
 * "stig-ID" and "CAT II" to filter on. */
static void
stig_props(struct tree *t, json_object *props, json_object *tags,
    json_object *stig)
{
	char tag[80];

	snprintf(tag, sizeof(tag), "stig-%s", tt_fmt_str(stig, "id"));
	push(t, tags, json_object_new_string(tag));
	snprintf(tag, sizeof(tag), "CAT %s", tt_fmt_str(stig, "cat"));
	push(t, tags, json_object_new_string(tag));
	str(t, props, "stig", tt_fmt_str(stig, "id"));
	str(t, props, "cat", tag);
	if (*tt_fmt_str(stig, "vuln"))
		str(t, props, "vuln", tt_fmt_str(stig, "vuln"));
	if (*tt_fmt_str(stig, "rule"))
		str(t, props, "stig-rule", tt_fmt_str(stig, "rule"));
}

/* Index of res's rule in rules, adding it when new: SARIF rule ids are
 * unique even when a rule was asked for twice. */
static size_t
audit_rule(struct tree *t, json_object *rules, json_object *res)
{
	json_object *rule, *refs = NULL, *props, *tags, *stig = NULL;
	const char *cis, *ssg, *azure, *desc = tt_fmt_str(res, "description");
	size_t n = json_object_array_length(rules);
	int sev = tt_fmt_severity_of(res);
	struct tt_buf help;

	for (size_t i = 0; i < n; i++)
		if (TT_STREQ(tt_fmt_str(json_object_array_get_idx(rules, i),
				 "id"),
			tt_fmt_str(res, "id")))
			return i;

	json_object_object_get_ex(res, "references", &refs);
	cis = tt_fmt_str(refs, "cis");
	ssg = tt_fmt_str(refs, "ssg");
	azure = tt_fmt_str(refs, "azure");
	json_object_object_get_ex(refs, "stig", &stig);
	rule = push(t, rules, json_object_new_object());
	str(t, rule, "id", tt_fmt_str(res, "id"));
	text(t, rule, "shortDescription", tt_fmt_str(res, "title"));
	text(t, rule, "fullDescription",
	    desc[0] != '\0' ? desc : tt_fmt_str(res, "title"));
	tt_buf_init(&help, 65536);
	tt_buf_puts(&help, tt_fmt_str(res, "title"));
	if (desc[0] != '\0')
		tt_buf_printf(&help, "\n\n%s", desc);
	if (tt_fmt_str(res, "rationale")[0] != '\0')
		tt_buf_printf(&help, "\n\nRationale: %s",
		    tt_fmt_str(res, "rationale"));
	fix_text(res, &help);
	if (cis[0] != '\0')
		tt_buf_printf(&help, "\n\nCIS benchmark section %s", cis);
	if (ssg[0] != '\0')
		tt_buf_printf(&help, "\nComplianceAsCode (SSG) rule %s", ssg);
	if (azure[0] != '\0')
		tt_buf_printf(&help, "\n\nAzure documentation: %s", azure);
	if (stig != NULL)
		tt_buf_printf(&help, "\nDISA STIG %s, CAT %s%s%s%s%s",
		    tt_fmt_str(stig, "id"), tt_fmt_str(stig, "cat"),
		    *tt_fmt_str(stig, "vuln") ? ", " : "",
		    tt_fmt_str(stig, "vuln"),
		    *tt_fmt_str(stig, "rule") ? ", " : "",
		    tt_fmt_str(stig, "rule"));
	if (help.data == NULL)
		t->oom = true;
	else
		text(t, rule, "help", help.data);
	tt_buf_free(&help);
	str(t, obj(t, rule, "defaultConfiguration"), "level", level_of(sev));
	props = obj(t, rule, "properties");
	tags = add(t, props, "tags", json_object_new_array());
	push(t, tags, json_object_new_string("security"));
	push(t, tags, json_object_new_string("compliance"));
	if (cis[0] != '\0') {
		char tag[80];

		snprintf(tag, sizeof(tag), "cis-%s", cis);
		push(t, tags, json_object_new_string(tag));
		str(t, props, "cis", cis);
	}
	if (ssg[0] != '\0')
		str(t, props, "ssg", ssg);
	/* SARIF's helpUri is an absolute URI: only an https one is shown
	 * as a link. */
	if (strncmp(azure, "https://", 8) == 0) {
		str(t, rule, "helpUri", azure);
		str(t, props, "azure", azure);
		push(t, tags, json_object_new_string("azure"));
	}
	if (stig != NULL)
		stig_props(t, props, tags, stig);
	if (sev >= 0) {
		str(t, props, "severity", tt_fmt_severity_names[sev]);
		str(t, props, "security-severity", security_severity(sev));
	}
	return n;
}

static const char *const kinds[TT_FMT_NRESULTS] = {
	[TT_FMT_PASS] = "pass",
	[TT_FMT_FAIL] = "fail",
	[TT_FMT_ERROR] = "open",
	[TT_FMT_NOTAPPLICABLE] = "notApplicable",
	[TT_FMT_MANUAL] = "review",
};

static void
audit_result(struct tree *t, json_object *results, json_object *res,
    size_t index)
{
	enum tt_fmt_result kind = tt_fmt_result_of(res);
	json_object *r = push(t, results, json_object_new_object());
	char path[1024], msg[2048];

	str(t, r, "ruleId", tt_fmt_str(res, "id"));
	add(t, r, "ruleIndex", json_object_new_int64((int64_t)index));
	str(t, r, "kind", kinds[kind]);
	/* The spec: a level other than "none" only for kind "fail". */
	str(t, r, "level",
	    kind == TT_FMT_FAIL ? level_of(tt_fmt_severity_of(res)) : "none");
	if (kind == TT_FMT_PASS)
		snprintf(msg, sizeof(msg), "%s: pass",
		    tt_fmt_str(res, "title"));
	else if (kind == TT_FMT_FAIL)
		snprintf(msg, sizeof(msg), "%s: found %s; expected %s",
		    tt_fmt_str(res, "title"), tt_fmt_str(res, "found"),
		    tt_fmt_str(res, "expected"));
	else
		snprintf(msg, sizeof(msg), "%s: %s%s%s",
		    tt_fmt_str(res, "title"), tt_fmt_result_names[kind],
		    tt_fmt_str(res, "found")[0] != '\0' ? ": " : "",
		    tt_fmt_str(res, "found"));
	text(t, r, "message", msg);
	if (tt_fmt_rule_path(res, path, sizeof(path)))
		location(t, add(t, r, "locations", json_object_new_array()),
		    path, 0, -1);
	json_object *props = obj(t, r, "properties");
	str(t, props, "result", tt_fmt_result_names[kind]);
	str(t, props, "found", tt_fmt_str(res, "found"));
	str(t, props, "expected", tt_fmt_str(res, "expected"));
}

int
tt_format_sarif_audit(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	json_object *log, *rules, *results, *list, *props, *summary;
	struct tree t = { false };
	size_t n;
	int r;

	if ((r = tt_fmt_check_audit(in->doc, err, errlen)) < 0)
		return r;
	list = tt_fmt_array(in->doc, "results");
	n = json_object_array_length(list);
	if ((log = json_object_new_object()) == NULL)
		return -ENOMEM;
	json_object *run = new_run(&t, log, in->doc, &rules, &results);
	for (size_t i = 0; i < n; i++) {
		json_object *res = json_object_array_get_idx(list, i);

		audit_result(&t, results, res, audit_rule(&t, rules, res));
	}
	props = bag(&t, run);
	str(&t, props, "profile", tt_fmt_str(in->doc, "profile"));
	if (json_object_object_get_ex(in->doc, "summary", &summary))
		add(&t, props, "summary", json_object_get(summary));
	return finish(&t, log, out);
}

/* Index of detector's rule in rules, adding it at the end when new. */
static size_t
scrub_rule(struct tree *t, json_object *rules, json_object *f)
{
	const char *det = tt_fmt_str(f, "detector");
	const char *kind = tt_fmt_str(f, "kind");
	size_t n = json_object_array_length(rules);
	bool secret = TT_STREQ(kind, "secret");
	json_object *rule, *props, *tags;
	char help[1024];

	for (size_t i = 0; i < n; i++)
		if (TT_STREQ(tt_fmt_str(json_object_array_get_idx(rules, i),
				 "id"),
			det))
			return i;
	rule = push(t, rules, json_object_new_object());
	str(t, rule, "id", det);
	snprintf(help, sizeof(help), "%s: %s", secret ? "Secret" : "Leftover",
	    det);
	text(t, rule, "shortDescription", help);
	if (secret)
		snprintf(help, sizeof(help),
		    "A credential matched by detector %s is stored in the "
		    "image. Remove it before the image is captured and "
		    "rotate it: everyone with the image can read it.",
		    det);
	else
		snprintf(help, sizeof(help),
		    "%s is machine-specific state that must not ship in an "
		    "image; `tattoo scrub --apply` removes it.",
		    det);
	text(t, rule, "fullDescription", help);
	text(t, rule, "help", help);
	str(t, obj(t, rule, "defaultConfiguration"), "level",
	    secret ? "error" : "warning");
	props = obj(t, rule, "properties");
	tags = add(t, props, "tags", json_object_new_array());
	push(t, tags, json_object_new_string("security"));
	push(t, tags, json_object_new_string(secret ? "secret" : "leftover"));
	str(t, props, "security-severity", secret ? "8.0" : "4.0");
	return n;
}

int
tt_format_sarif_scrub(const struct tt_format_input *in, struct tt_buf *out,
    char *err, size_t errlen)
{
	json_object *log, *rules, *results, *list, *summary, *run;
	struct tree t = { false };
	size_t n;
	int r;

	if ((r = tt_fmt_check_scrub(in->doc, err, errlen)) < 0)
		return r;
	list = tt_fmt_array(in->doc, "findings");
	n = json_object_array_length(list);
	if ((log = json_object_new_object()) == NULL)
		return -ENOMEM;
	run = new_run(&t, log, in->doc, &rules, &results);
	for (size_t i = 0; i < n && !t.oom; i++) {
		json_object *f = json_object_array_get_idx(list, i);
		bool secret = TT_STREQ(tt_fmt_str(f, "kind"), "secret");
		size_t idx = scrub_rule(&t, rules, f);
		json_object *res = push(&t, results, json_object_new_object());
		char msg[2048];

		str(&t, res, "ruleId", tt_fmt_str(f, "detector"));
		add(&t, res, "ruleIndex", json_object_new_int64((int64_t)idx));
		str(&t, res, "kind", "fail");
		str(&t, res, "level", secret ? "error" : "warning");
		/* The preview is the first characters only, never the secret. */
		snprintf(msg, sizeof(msg), "%s %s in %s%s%s (action: %s)",
		    tt_fmt_str(f, "kind"), tt_fmt_str(f, "detector"),
		    tt_fmt_str(f, "path"),
		    tt_fmt_str(f, "preview")[0] != '\0' ? ", starts with " : "",
		    tt_fmt_str(f, "preview"), tt_fmt_str(f, "action"));
		text(&t, res, "message", msg);
		location(&t, add(&t, res, "locations", json_object_new_array()),
		    tt_fmt_str(f, "path"), tt_fmt_int(f, "line", 0),
		    tt_fmt_int(f, "offset", -1));
		if (tt_fmt_str(f, "fingerprint")[0] != '\0')
			str(&t, obj(&t, res, "partialFingerprints"),
			    "tattooFingerprint/v1",
			    tt_fmt_str(f, "fingerprint"));
		str(&t, obj(&t, res, "properties"), "action",
		    tt_fmt_str(f, "action"));
	}
	if (json_object_object_get_ex(in->doc, "summary", &summary))
		add(&t, bag(&t, run), "summary", json_object_get(summary));
	return finish(&t, log, out);
}
