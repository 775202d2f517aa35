/*
 * The tailoring loader and its application to a pack: every error path
 * names file, line and field; a tailored rule expects and fixes the
 * site's value.
 */
#include <sys/stat.h>

#include "rules.h"
#include "tailoring.h"
#include "tt.h"
#include "tt_test.h"

static const char pack_text[] =
    "{\"schema\": 1, \"pack\": \"p\", \"applies\": {\"id\": [\"debian\"]},\n"
    " \"rules\": [\n"
    "  {\"id\": \"minlen\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.1\"}, \"scope\": [\"image\"],\n"
    "   \"check\": {\"probe\": \"pwquality\", \"params\": {\"key\": "
    "\"minlen\"},\n"
    "     \"expect\": [{\"field\": \"value\", \"op\": \"ge\", \"value\": "
    "14}]},\n"
    "   \"fix\": {\"action\": \"pwquality_set\", \"params\": {\"key\": "
    "\"minlen\", \"value\": \"14\"}}},\n"
    "  {\"id\": \"tries\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.2\"}, \"scope\": [\"image\"],\n"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\": "
    "\"MaxAuthTries\"},\n"
    "     \"expect\": [{\"field\": \"value\", \"op\": \"ge\", \"value\": 1},\n"
    "                {\"field\": \"value\", \"op\": \"le\", \"value\": 4}]},\n"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\": "
    "\"MaxAuthTries\", \"value\": \"4\"}}},\n"
    "  {\"id\": \"ciphers\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.3\"}, \"scope\": [\"image\"],\n"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\": "
    "\"Ciphers\"},\n"
    "     \"expect\": [{\"field\": \"value\", \"op\": \"not_match\", "
    "\"value\": \"cbc\", \"nocase\": true}]},\n"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\": "
    "\"Ciphers\", \"value\": \"aes256-ctr,aes128-ctr\"}}},\n"
    "  {\"id\": \"loglevel\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.4\"}, \"scope\": [\"image\"],\n"
    "   \"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\": "
    "\"LogLevel\"},\n"
    "     \"expect\": [{\"field\": \"value\", \"op\": \"in\", \"value\": "
    "[\"INFO\", \"VERBOSE\"]}]},\n"
    "   \"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\": "
    "\"LogLevel\", \"value\": \"INFO\"}}},\n"
    "  {\"id\": \"manual_one\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.5\"}, \"scope\": [\"image\"],\n"
    "   \"manual\": \"look\", \"fix\": {\"manual\": \"look\"}},\n"
    "  {\"id\": \"level2\", \"title\": \"t\", \"description\": \"d\",\n"
    "   \"rationale\": \"r\", \"severity\": \"low\",\n"
    "   \"references\": {\"cis\": \"1.6\"}, \"scope\": [\"image\"],\n"
    "   \"manual\": \"look\", \"fix\": {\"manual\": \"look\"}}\n"
    " ],\n"
    " \"profiles\": [{\"id\": \"l1\", \"rules\": [\"minlen\", \"tries\", "
    "\"ciphers\", \"loglevel\", \"manual_one\"]}]}\n";

static struct tt_pack *
load_pack(void)
{
	struct tt_pack *p = NULL;
	char err[512] = "";

	if (tt_pack_parse("p.json", pack_text, strlen(pack_text), &p, err,
		sizeof(err)) < 0) {
		fprintf(stderr, "# pack: %s\n", err);
		exit(2);
	}
	return p;
}

/* Parses text and, when it parses, applies it to a fresh pack: the error
 * of whichever step failed, or "" when both passed. */
static int
run(const char *text, char *err, size_t errlen, struct tt_pack **ret_pack,
    struct tt_tailoring **ret_t)
{
	struct tt_tailoring *t = NULL;
	struct tt_pack *p = load_pack();
	int r;

	err[0] = '\0';
	r = tt_tailoring_parse("t.json", text, strlen(text), &t, err, errlen);
	if (r == 0)
		r = tt_tailoring_apply(t, p, &p->profiles[0], err, errlen);
	if (ret_pack != NULL && r == 0) {
		*ret_pack = p;
		*ret_t = t;
		return 0;
	}
	tt_tailoring_free(t);
	tt_pack_free(p);
	return r;
}

static const struct {
	const char *text, *error;
} bad[] = {
	{ "{", "t.json: not valid JSON" },
	{ "[]", "t.json: tailoring: must be a JSON object" },
	{ "{\"id\": \"a\", \"profile\": \"l1\"}", "t.json: schema: missing" },
	{ "{\"schema\": 2, \"id\": \"a\", \"profile\": \"l1\"}",
	    "t.json:1: schema: must be 1" },
	{ "{\"schema\": 1,\n\"id\": \"a\",\n\"profile\": \"l1\",\n"
	  "\"selct\": []}",
	    "t.json:4: selct: unknown key; did you mean 'select'?" },
	{ "{\"schema\": 1, \"zzzzzzzz\": 1}",
	    "t.json:1: zzzzzzzz: unknown key (" },
	{ "{\"schema\": 1, \"id\": \"A B\", \"profile\": \"l1\"}",
	    "t.json:1: id: 'A B' is not an id" },
	{ "{\"schema\": 1, \"id\": 7, \"profile\": \"l1\"}",
	    "t.json:1: id: must be a string" },
	{ "{\"schema\": 1, \"profile\": \"l1\"}", "t.json: id: missing" },
	{ "{\"schema\": 1, \"id\": \"a\"}", "t.json: profile: missing" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"L 1\"}",
	    "t.json:1: profile: 'L 1' is not a profile id" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"extends\": "
	  "\"P!\"}",
	    "t.json:1: extends: 'P!' is not a pack id" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"select\": "
	  "\"x\"}",
	    "t.json:1: select: must be an array of rule ids" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"select\": "
	  "[1]}",
	    "t.json:1: select[0]: must be a rule id" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"select\": "
	  "[\"Bad\"]}",
	    "t.json:1: select[0]: 'Bad' is not a rule id" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\",\n\"select\": "
	  "[\"level2\",\n\"level2\"]}",
	    "t.json:3: select[1]: rule 'level2' listed twice" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"select\": "
	  "[\"level2\"],\n\"deselect\": [\"level2\"]}",
	    "t.json:2: deselect: rule 'level2' is also selected" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "[]}",
	    "t.json:1: params: must be an object" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": 16}}",
	    "t.json:1: params: 'minlen' must be an object of parameters" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"Minlen\": {\"minlen\": 16}}}",
	    "t.json:1: params.Minlen: 'Minlen' is not a rule id" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": {}}}",
	    "t.json:1: params.minlen: sets no parameter" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": {\"minlen\": {}}}}",
	    "t.json:1: params.minlen.minlen: must be a string, an integer or "
	    "an array" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\":\n{\"minlen\": \"16\\nPermitRootLogin yes\"}}}",
	    "t.json:2: params.minlen.minlen: '16\nPermitRootLogin yes' is not "
	    "a value" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"ciphers\": {\"Ciphers\": [\"a,b\"]}}}",
	    "t.json:1: params.ciphers.Ciphers: a list holds strings without "
	    "commas" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"ciphers\": {\"Ciphers\": []}}}",
	    "t.json:1: params.ciphers.Ciphers: empty list" },
	/* Against the pack. */
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\",\n\"extends\": "
	  "\"q\"}",
	    "t.json:2: extends: the tailoring extends pack 'q', but the "
	    "root's pack is 'p'" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\",\n\"select\": "
	  "[\"levl2\"]}",
	    "t.json:2: select[0]: unknown rule 'levl2' in pack 'p'; did you "
	    "mean 'level2'?" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"select\": "
	  "[\"minlen\"]}",
	    "t.json:1: select[0]: rule 'minlen' is already in profile 'l1'" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"deselect\": "
	  "[\"level2\"]}",
	    "t.json:1: deselect[0]: rule 'level2' is not in profile 'l1'" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"deselect\": "
	  "[\"nope\"]}",
	    "t.json:1: deselect[0]: unknown rule 'nope' in pack 'p'" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlem\": {\"minlen\": 16}}}",
	    "t.json:1: params.minlem: unknown rule 'minlem' in pack 'p'; did "
	    "you mean 'minlen'?" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"deselect\": "
	  "[\"minlen\"],\n\"params\": {\"minlen\": {\"minlen\": 16}}}",
	    "t.json:2: params.minlen: rule 'minlen' is not in the tailored "
	    "profile" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"manual_one\": {\"x\": 1}}}",
	    "t.json:1: params.manual_one.x: rule 'manual_one' takes no "
	    "parameter" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": {\"minlenn\": 16}}}",
	    "t.json:1: params.minlen.minlenn: unknown parameter 'minlenn' of "
	    "rule 'minlen'; did you mean 'minlen'?" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": {\"length\": 16}}}",
	    "t.json:1: params.minlen.length: unknown parameter 'length' of "
	    "rule 'minlen' (its parameter is 'minlen')" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"minlen\": {\"minlen\": \"long\"}}}",
	    "t.json:1: params.minlen.minlen: 'long' is not an integer" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"tries\": {\"MaxAuthTries\": 0}}}",
	    "t.json:1: params.tries.MaxAuthTries: 0 is outside what the rule "
	    "allows (>= 1)" },
	{ "{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\", \"params\": "
	  "{\"tries\": {\"MaxAuthTries\": 3, \"maxauthtries\": 2}}}",
	    "t.json:1: params.tries: rule 'tries' takes one parameter" },
};

static void
test_bad(void)
{
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char err[1024];
		int r = run(bad[i].text, err, sizeof(err), NULL, NULL);

		CHECK_INT(r, -EINVAL);
		if (strncmp(err, bad[i].error, strlen(bad[i].error)) != 0) {
			fprintf(stderr, "# case %zu: got '%s'\n", i, err);
			CHECK(0);
		}
	}
}

static const struct tt_cond *
cond(const struct tt_pack *p, const char *id, size_t i)
{
	return &tt_pack_rule(p, id)->check->expect[i];
}

static const char *
fix_value(const struct tt_pack *p, const char *id)
{
	json_object *params;

	json_object_object_get_ex(tt_pack_rule(p, id)->fix, "params", &params);
	return json_object_get_string(json_object_object_get(params, "value"));
}

static void
test_apply(void)
{
	static const char text[] =
	    "{\"schema\": 1, \"id\": \"site\", \"profile\": \"l1\",\n"
	    " \"select\": [\"level2\"], \"deselect\": [\"manual_one\"],\n"
	    " \"params\": {\"minlen\": {\"minlen\": 16},\n"
	    "   \"tries\": {\"maxauthtries\": \"3\"},\n"
	    "   \"ciphers\": {\"Ciphers\": [\"aes256-gcm@openssh.com\", "
	    "\"aes256-ctr\"]},\n"
	    "   \"loglevel\": {\"LogLevel\": \"VERBOSE\"}}}\n";
	struct tt_pack *p = NULL;
	struct tt_tailoring *t = NULL;
	const struct tt_cond *c;
	char err[1024];
	json_object *j;

	CHECK_INT(run(text, err, sizeof(err), &p, &t), 0);
	if (p == NULL) {
		fprintf(stderr, "# %s\n", err);
		return;
	}
	CHECK_INT(t->profile_out.nrules, 5);
	CHECK_STR(p->rules[t->profile_out.rules[4]].id, "level2");
	for (size_t i = 0; i < t->profile_out.nrules; i++)
		CHECK(!TT_STREQ(p->rules[t->profile_out.rules[i]].id,
		    "manual_one"));
	/* minlen >= 16, and the fix writes 16. */
	c = cond(p, "minlen", 0);
	CHECK_INT(c->op, TT_OP_GE);
	CHECK_INT(c->num, 16);
	CHECK_STR(c->value, "16");
	CHECK_STR(fix_value(p, "minlen"), "16");
	CHECK_STR(tt_pack_rule(p, "minlen")->expected,
	    "minlen >= 16 (tailoring 'site')");
	/* MaxAuthTries: the upper bound moves, the lower one stays. */
	CHECK_INT(cond(p, "tries", 0)->num, 1);
	CHECK_INT(cond(p, "tries", 1)->num, 3);
	CHECK_STR(fix_value(p, "tries"), "3");
	/* Ciphers: a list of only these words. */
	c = cond(p, "ciphers", 0);
	CHECK_INT(tt_pack_rule(p, "ciphers")->check->nexpect, 1);
	CHECK_INT(c->op, TT_OP_MATCH);
	CHECK_STR(c->value,
	    "^(aes256-gcm@openssh\\.com|aes256-ctr)(,(aes256-gcm@openssh\\.com|"
	    "aes256-ctr))*$");
	CHECK(c->re != NULL &&
	    regexec(c->re, "aes256-ctr,aes256-gcm@openssh.com", 0, NULL, 0) ==
		0);
	CHECK(c->re != NULL &&
	    regexec(c->re, "aes256-ctr,aes128-ctr", 0, NULL, 0) != 0);
	CHECK_STR(fix_value(p, "ciphers"), "aes256-gcm@openssh.com,aes256-ctr");
	/* LogLevel: exactly the site's value. */
	c = cond(p, "loglevel", 0);
	CHECK_INT(c->op, TT_OP_EQ);
	CHECK_STR(c->value, "VERBOSE");
	CHECK_STR(tt_pack_rule(p, "loglevel")->expected,
	    "LogLevel = VERBOSE (tailoring 'site')");
	/* The record: id, file and digest. */
	j = tt_tailoring_json(t);
	CHECK_STR(json_object_get_string(json_object_object_get(j, "id")),
	    "site");
	CHECK(
	    strncmp(json_object_get_string(json_object_object_get(j, "sha256")),
		"sha256:", 7) == 0);
	CHECK_INT(strlen(t->digest), 71);
	json_object_put(j);
	tt_tailoring_free(t);
	tt_pack_free(p);
}

static void
test_params(void)
{
	struct tt_pack *p = load_pack();
	struct tt_rule_param rp;

	CHECK_INT(tt_rule_param(tt_pack_rule(p, "minlen"), &rp), 0);
	CHECK_STR(rp.name, "minlen");
	CHECK_INT(rp.kind, TT_PARAM_NUMBER);
	CHECK_INT(tt_rule_param(tt_pack_rule(p, "ciphers"), &rp), 0);
	CHECK_INT(rp.kind, TT_PARAM_LIST);
	CHECK_INT(tt_rule_param(tt_pack_rule(p, "loglevel"), &rp), 0);
	CHECK_INT(rp.kind, TT_PARAM_TEXT);
	CHECK_INT(tt_rule_param(tt_pack_rule(p, "manual_one"), &rp), -ENOENT);
	tt_pack_free(p);
}

static void
test_want(void)
{
	static const char text[] = "{\"schema\": 1, \"id\": \"a\", "
				   "\"profile\": \"l1\", \"extends\": \"p\"}";
	struct tt_tailoring *t = NULL;
	const char *want = NULL;
	char err[512];

	CHECK_INT(tt_tailoring_parse("t.json", text, strlen(text), &t, err,
		      sizeof(err)),
	    0);
	if (t == NULL)
		return;
	CHECK_INT(tt_tailoring_want(t, NULL, &want, err, sizeof(err)), 0);
	CHECK_STR(want, "l1");
	CHECK_INT(tt_tailoring_want(t, "l1", &want, err, sizeof(err)), 0);
	CHECK_INT(tt_tailoring_want(t, "p:l1", &want, err, sizeof(err)), 0);
	CHECK_STR(want, "p:l1");
	CHECK_INT(tt_tailoring_want(t, "l2", &want, err, sizeof(err)), -EINVAL);
	CHECK_STR(err,
	    "t.json:1: profile: the tailoring is for profile 'l1', not 'l2'");
	CHECK_INT(tt_tailoring_want(t, "q:l1", &want, err, sizeof(err)),
	    -EINVAL);
	CHECK(
	    strstr(err, "extends pack 'p', not the one 'q:l1' names") != NULL);
	tt_tailoring_free(t);
}

static void
test_load(void)
{
	char *dir = tt_test_tmpdir(), path[512], err[512];
	struct tt_tailoring *t = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.json", dir);
	CHECK(tt_tailoring_load(path, &t, err, sizeof(err)) == -ENOENT);
	CHECK(strstr(err, "cannot read tailoring") != NULL);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	CHECK(fputs("{\"schema\": 1, \"id\": \"a\", \"profile\": \"l1\"}", f) >=
	    0);
	CHECK(fclose(f) == 0);
	CHECK(chmod(path, 0644) == 0);
	CHECK_INT(tt_tailoring_load(path, &t, err, sizeof(err)), 0);
	tt_tailoring_free(t);
	t = NULL;
	/* Anyone could weaken the audit through a writable file. */
	CHECK(chmod(path, 0666) == 0);
	CHECK_INT(tt_tailoring_load(path, &t, err, sizeof(err)), -EPERM);
	CHECK(t == NULL);
	tt_test_rmtree(dir);
	free(dir);
}

int
main(void)
{
	RUN(test_bad);
	RUN(test_apply);
	RUN(test_params);
	RUN(test_want);
	RUN(test_load);
	TEST_EXIT();
}
