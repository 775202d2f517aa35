/* The rule engine: pack validation errors, evaluation, the JSON contract. */
#include "buf.h"
#include "crypto.h"
#include "embedded.h"
#include "rules.h"
#include "sha256.h"
#include "probe_fixture.h"

#define RULE_HEAD                                                        \
	"\"title\": \"t\", \"description\": \"d\", \"rationale\": \"r\", " \
	"\"severity\": \"low\", \"references\": {\"cis\": \"1.2.3\"}, "     \
	"\"scope\": [\"image\"], \"fix\": {\"manual\": \"m\"}, "

static char pack_text[8192];

/* A pack around one rule body (without the braces). */
static const char *
pack_with(const char *rule)
{
	snprintf(pack_text, sizeof(pack_text),
	    "{\"schema\": 1, \"pack\": \"p\", \"applies\": {\"id\": "
	    "[\"debian\"], \"version_id\": [\"12\"]},\n"
	    "\"profiles\": [{\"id\": \"prof\", \"rules\": [\"r1\"]}],\n"
	    "\"rules\": [\n{\"id\": \"r1\", %s}\n]}\n", rule);
	return pack_text;
}

static int
parse(const char *text, struct tt_pack **ret, char *err, size_t errlen)
{
	err[0] = '\0';
	return tt_pack_parse("x.json", text, strlen(text), ret, err, errlen);
}

static void
valid_pack(void)
{
	struct tt_pack *p = NULL;
	char err[512];

	CHECK_INT(parse(pack_with(RULE_HEAD "\"check\": {\"probe\": "
	    "\"file\", \"params\": {\"path\": \"/etc/x\"}, \"expect\": "
	    "[{\"field\": \"mode\", \"op\": \"mode_max\", \"value\": "
	    "\"0644\"}]}"), &p, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	if (p != NULL) {
		CHECK_INT(p->nrules, 1);
		CHECK_STR(p->rules[0].id, "r1");
		CHECK_INT(p->rules[0].line, 4);
		CHECK_INT(p->profiles[0].nrules, 1);
	}
	tt_pack_free(p);
}

static void
validation_errors(void)
{
	static const struct {
		const char *rule, *message;
	} cases[] = {
		{ RULE_HEAD "\"check\": {\"probe\": \"sshdconf\"}",
		    "x.json:4: rule 'r1': check: unknown probe 'sshdconf'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"sshd_config\", "
		    "\"params\": {\"kee\": \"x\"}}",
		    "rule 'r1': check.params: unknown parameter 'kee' for "
		    "probe 'sshd_config'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"sshd_config\", "
		    "\"params\": {}}",
		    "check.params: missing parameter 'key'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"package\", \"params\": "
		    "{\"name\": \"x\"}, \"expect\": [{\"field\": \"instaled\", "
		    "\"op\": \"eq\", \"value\": \"true\"}]}",
		    "check.expect[0]: unknown field 'instaled' for probe "
		    "'package'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"package\", \"params\": "
		    "{\"name\": \"x\"}, \"expect\": [{\"field\": \"installed\", "
		    "\"op\": \"equals\", \"value\": \"true\"}]}",
		    "check.expect[0]: unknown operator 'equals'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"package\", \"params\": "
		    "{\"name\": \"x\"}, \"filter\": [{\"field\": \"version\", "
		    "\"op\": \"match\", \"value\": \"(\"}]}",
		    "check.filter[0]: bad regular expression" },
		{ RULE_HEAD "\"check\": {\"probe\": \"package\", \"params\": "
		    "{\"name\": \"x\"}, \"quantifier\": \"most\"}",
		    "unknown quantifier 'most'" },
		{ RULE_HEAD "\"check\": {\"all\": [{\"probe\": \"package\", "
		    "\"params\": {\"name\": \"x\"}}, {\"probe\": \"nope\"}]}",
		    "check.all[1]: unknown probe 'nope'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"walk\", \"params\": "
		    "{\"kind\": \"everything\"}}",
		    "check.params: parameter 'kind': 'everything' is not one" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"1\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"action\": \"sshd_sett\"}",
		    "fix.action: unknown fix action 'sshd_sett'" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"1\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"action\": \"sshd_set\", \"params\": {\"key\": "
		    "\"x\"}}",
		    "fix.params: missing parameter 'value' for action "
		    "'sshd_set'" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"1\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"action\": \"unit_mask\", \"params\": {\"unit\": "
		    "\"x\", \"now\": \"y\"}}",
		    "fix.params: unknown parameter 'now' for action "
		    "'unit_mask'" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"1\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"action\": \"file_mode\", \"params\": {\"path\": "
		    "\"/x\", \"mode\": \"rw\"}}",
		    "fix.params: mode 'rw' is not an octal mode" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"1\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"action\": \"account_field\", \"params\": "
		    "{\"table\": \"shadow\", \"field\": \"max\", \"value\": "
		    "\"365\", \"where\": [{\"field\": \"pasword\", \"op\": "
		    "\"eq\", \"value\": \"hash\"}]}}",
		    "fix.params.where[0]: unknown field 'pasword' for probe "
		    "'accounts'" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"5.x\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"manual\": \"m\"}",
		    "references.cis: '5.x' is not a section number" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"5\", \"ssg\": \"sshd_disable_root_login\"}, \"scope\": "
		    "[\"image\"], \"manual\": \"m\", \"fix\": {\"manual\": "
		    "\"m\"}",
		    "references.ssg: 'sshd_disable_root_login' is not an XCCDF "
		    "id" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"urgent\", \"references\": {\"cis\": "
		    "\"5\"}, \"scope\": [\"image\"], \"manual\": \"m\", "
		    "\"fix\": {\"manual\": \"m\"}",
		    "severity: 'urgent' is not low, medium or high" },
		{ "\"title\": \"t\", \"description\": \"d\", \"rationale\": "
		    "\"r\", \"severity\": \"low\", \"references\": {\"cis\": "
		    "\"5\"}, \"scope\": [\"offline\"], \"manual\": \"m\", "
		    "\"fix\": {\"manual\": \"m\"}",
		    "scope: unknown scope 'offline'" },
		{ RULE_HEAD "\"chekc\": {}",
		    "rule: unknown field 'chekc'" },
		{ RULE_HEAD "\"manual\": \"x\", \"check\": {\"probe\": "
		    "\"package\", \"params\": {\"name\": \"x\"}}",
		    "check: a manual rule has no check" },
		{ RULE_HEAD "\"check\": {\"probe\": \"package\", \"params\": "
		    "{\"name\": \"x\"}, \"expect\": [{\"field\": \"version\", "
		    "\"op\": \"ge\", \"value\": \"five\"}]}",
		    "'ge' needs an integer, not 'five'" },
		{ RULE_HEAD "\"check\": {\"probe\": \"file\", \"params\": "
		    "{\"path\": \"/x\"}, \"expect\": [{\"field\": \"mode\", "
		    "\"op\": \"mode_max\", \"value\": \"0999\"}]}",
		    "'0999' is not an octal mode" },
	};
	char err[512];

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_pack *p = NULL;
		int r = parse(pack_with(cases[i].rule), &p, err, sizeof(err));

		CHECK_INT(r, -EINVAL);
		if (strstr(err, cases[i].message) == NULL) {
			fprintf(stderr, "# case %zu: got '%s'\n#   want '%s'\n",
			    i, err, cases[i].message);
			tt_test_current_failed = 1;
		}
		tt_pack_free(p);
	}
}

static void
pack_level_errors(void)
{
	static const struct {
		const char *text, *message;
	} cases[] = {
		{ "{", "x.json: not valid JSON" },
		{ "{\"schema\": 2}", "schema: must be 1" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"applies\": {}, "
		    "\"rules\": [], \"profiles\": [{\"id\": \"a\", \"rules\": "
		    "[\"ghost\"]}]}",
		    "profile 'a': unknown rule 'ghost'" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"applies\": {}, "
		    "\"rules\": [], \"profiles\": [], \"extra\": 1}",
		    "pack: unknown field 'extra'" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"applies\": {\"ids\": "
		    "[]}, \"rules\": [], \"profiles\": []}",
		    "applies: unknown field 'ids'" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"sections\": [], "
		    "\"applies\": {}, \"rules\": [], \"profiles\": []}",
		    "sections: must be an object of section number to title" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"sections\": {\"5.x\": "
		    "\"SSH\"}, \"applies\": {}, \"rules\": [], "
		    "\"profiles\": []}",
		    "sections: '5.x' is not a section number" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"sections\": {\"5\": 1}, "
		    "\"applies\": {}, \"rules\": [], \"profiles\": []}",
		    "sections: '5': the title must be a string of 1 to 200" },
		{ "{\"schema\": 1, \"pack\": \"p\", \"sections\": {\"5\": "
		    "\"a\\u001bb\"}, \"applies\": {}, \"rules\": [], "
		    "\"profiles\": []}",
		    "sections: '5': the title has a control character" },
	};
	char err[512];

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_pack *p = NULL;

		CHECK_INT(parse(cases[i].text, &p, err, sizeof(err)), -EINVAL);
		if (strstr(err, cases[i].message) == NULL) {
			fprintf(stderr, "# case %zu: got '%s'\n", i, err);
			tt_test_current_failed = 1;
		}
		tt_pack_free(p);
	}
	/* Duplicate rule ids. */
	{
		const char *t = "{\"schema\": 1, \"pack\": \"p\", \"applies\": "
		    "{}, \"profiles\": [{\"id\": \"a\", \"rules\": []}], "
		    "\"rules\": [{\"id\": \"r\", " RULE_HEAD "\"manual\": "
		    "\"m\"}, {\"id\": \"r\", " RULE_HEAD "\"manual\": \"m\"}]}";
		struct tt_pack *p = NULL;

		CHECK_INT(parse(t, &p, err, sizeof(err)), -EINVAL);
		CHECK(strstr(err, "rule 'r': id: duplicate rule id") != NULL);
		tt_pack_free(p);
	}
}

/* Evaluates rule r1 of a one-rule pack over the fixture root. */
static enum tt_result
eval_rule(const char *rule, char *found, size_t flen, char *expected,
    size_t elen)
{
	struct tt_osrelease os = { 0 };
	struct tt_rule_result res;
	struct tt_pack *p = NULL;
	char err[512];
	enum tt_result out = TT_RESULT_ERROR;

	tt_osrelease_parse(&os, "ID=debian\nVERSION_ID=12\n",
	    strlen("ID=debian\nVERSION_ID=12\n"));
	if (parse(pack_with(rule), &p, err, sizeof(err)) < 0) {
		fprintf(stderr, "# %s\n", err);
		tt_test_current_failed = 1;
		tt_osrelease_free(&os);
		return TT_RESULT_ERROR;
	}
	if (tt_rule_eval(&fx_audit, &p->rules[0], &os, &res) == 0) {
		out = res.result;
		if (found)
			strlcpy(found, res.found, flen);
		if (expected)
			strlcpy(expected, res.expected, elen);
		tt_rule_result_free(&res);
	}
	tt_pack_free(p);
	tt_osrelease_free(&os);
	return out;
}

#define SSHD(expect_and_more)                                           \
	RULE_HEAD "\"check\": {\"probe\": \"sshd_config\", \"params\": "  \
	"{\"key\": \"PermitRootLogin\", \"default\": \"prohibit-password\"}" \
	expect_and_more "}"

static void
evaluation(void)
{
	char found[1024], expected[1024];

	fx_begin(false);
	fx_put("/etc/ssh/sshd_config", "PermitRootLogin yes\n");
	fx_put("/etc/passwd", "root:x:0:0::/root:/bin/bash\n"
	    "bob:x:1000:1000::/home/bob:/bin/sh\n");
	fx_put("/var/lib/dpkg/status", "Package: openssh-server\n"
	    "Status: install ok installed\nVersion: 1\n");

	CHECK_INT(eval_rule(SSHD(", \"expect\": [{\"field\": \"value\", "
	    "\"op\": \"eq\", \"value\": \"NO\", \"nocase\": true}]"), found,
	    sizeof(found), expected, sizeof(expected)), TT_RESULT_FAIL);
	CHECK_STR(found, "/etc/ssh/sshd_config:1: value=yes");
	CHECK_STR(expected, "value = \"NO\" (any case)");
	CHECK_INT(eval_rule(SSHD(", \"expect\": [{\"field\": \"value\", "
	    "\"op\": \"in\", \"value\": [\"yes\", \"no\"]}]"), NULL, 0, NULL,
	    0), TT_RESULT_PASS);
	/* An optional field the item lacks (live, offline) is skipped. */
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"sysctl\", "
	    "\"params\": {\"key\": \"kernel.x\", \"default\": \"1\"}, "
	    "\"expect\": [{\"field\": \"value\", \"op\": \"match\", "
	    "\"value\": \"^1$\"}, {\"field\": \"live\", \"op\": \"eq\", "
	    "\"value\": \"1\", \"optional\": true}]}", NULL, 0, NULL, 0),
	    TT_RESULT_PASS);
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"sysctl\", "
	    "\"params\": {\"key\": \"kernel.x\", \"default\": \"1\"}, "
	    "\"expect\": [{\"field\": \"live\", \"op\": \"eq\", "
	    "\"value\": \"1\"}]}", NULL, 0, NULL, 0), TT_RESULT_FAIL);

	/* quantifiers and empty */
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"accounts\", "
	    "\"params\": {\"table\": \"passwd\"}, \"quantifier\": \"any\", "
	    "\"expect\": [{\"field\": \"uid\", \"op\": \"ge\", \"value\": "
	    "1000}]}", NULL, 0, NULL, 0), TT_RESULT_PASS);
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"accounts\", "
	    "\"params\": {\"table\": \"passwd\"}, \"expect\": [{\"field\": "
	    "\"uid\", \"op\": \"lt\", \"value\": 1000}]}", found,
	    sizeof(found), NULL, 0), TT_RESULT_FAIL);
	CHECK_STR(found, "bob: uid=1000");
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"accounts\", "
	    "\"params\": {\"table\": \"passwd\"}, \"filter\": [{\"field\": "
	    "\"uid\", \"op\": \"gt\", \"value\": 5000}], \"expect\": []}",
	    found, sizeof(found), NULL, 0), TT_RESULT_FAIL);
	CHECK(strstr(found, "nothing found by accounts(table=passwd)") !=
	    NULL);
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"accounts\", "
	    "\"params\": {\"table\": \"passwd\"}, \"filter\": [{\"field\": "
	    "\"uid\", \"op\": \"gt\", \"value\": 5000}], \"empty\": "
	    "\"pass\"}", NULL, 0, NULL, 0), TT_RESULT_PASS);
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"accounts\", "
	    "\"params\": {\"table\": \"passwd\"}, \"quantifier\": \"none\", "
	    "\"expect\": [{\"field\": \"shell\", \"op\": \"has_word\", "
	    "\"value\": \"/bin/sh\"}]}", NULL, 0, NULL, 0), TT_RESULT_FAIL);

	/* not / any / all, requires, scope, manual */
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"not\": {\"probe\": "
	    "\"package\", \"params\": {\"name\": \"telnet\"}, \"expect\": "
	    "[{\"field\": \"installed\", \"op\": \"eq\", \"value\": "
	    "\"true\"}]}}", NULL, 0, NULL, 0), TT_RESULT_PASS);
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"any\": [{\"probe\": "
	    "\"package\", \"params\": {\"name\": \"telnet\"}, \"expect\": "
	    "[{\"field\": \"installed\", \"op\": \"eq\", \"value\": "
	    "\"true\"}]}, {\"probe\": \"package\", \"params\": {\"name\": "
	    "\"openssh-server\"}, \"expect\": [{\"field\": \"installed\", "
	    "\"op\": \"eq\", \"value\": \"true\"}]}]}", NULL, 0, NULL, 0),
	    TT_RESULT_PASS);
	CHECK_INT(eval_rule(RULE_HEAD "\"requires\": {\"probe\": \"package\", "
	    "\"params\": {\"name\": \"nginx\"}, \"expect\": [{\"field\": "
	    "\"installed\", \"op\": \"eq\", \"value\": \"true\"}]}, "
	    "\"check\": {\"probe\": \"package\", \"params\": {\"name\": "
	    "\"x\"}}", found, sizeof(found), NULL, 0),
	    TT_RESULT_NOTAPPLICABLE);
	CHECK(strstr(found, "not applicable") != NULL);
	CHECK_INT(eval_rule("\"title\": \"t\", \"description\": \"d\", "
	    "\"rationale\": \"r\", \"severity\": \"low\", \"references\": "
	    "{\"cis\": \"1\"}, \"scope\": [\"runtime\"], \"fix\": "
	    "{\"manual\": \"m\"}, \"check\": {\"probe\": \"package\", "
	    "\"params\": {\"name\": \"x\"}}", NULL, 0, NULL, 0),
	    TT_RESULT_NOTAPPLICABLE);
	CHECK_INT(eval_rule(RULE_HEAD "\"manual\": \"look\"", NULL, 0,
	    expected, sizeof(expected)), TT_RESULT_MANUAL);
	CHECK_INT(eval_rule(RULE_HEAD "\"applies\": {\"id\": [\"ubuntu\"]}, "
	    "\"manual\": \"look\"", NULL, 0, NULL, 0),
	    TT_RESULT_NOTAPPLICABLE);
	/* A probe failure is an error result, with the reason. */
	fx_put("/etc/ssh/sshd_config", "Include /etc/ssh/big\n");
	CHECK_INT(eval_rule(RULE_HEAD "\"check\": {\"probe\": \"file\", "
	    "\"params\": {\"path\": \"relative\"}}", found, sizeof(found),
	    NULL, 0), TT_RESULT_ERROR);
	CHECK(strstr(found, "is not absolute") != NULL);
	/* The rule's own words replace the generated ones. */
	CHECK_INT(eval_rule(RULE_HEAD "\"expected\": \"root logins off\", "
	    "\"check\": {\"probe\": \"sshd_config\", \"params\": {\"key\": "
	    "\"PermitRootLogin\"}, \"expect\": [{\"field\": \"value\", "
	    "\"op\": \"eq\", \"value\": \"no\"}]}", NULL, 0, expected,
	    sizeof(expected)), TT_RESULT_FAIL);
	CHECK_STR(expected, "root logins off");
	fx_end();
}

static void
memoized_probe_runs(void)
{
	struct tt_osrelease os = { 0 };
	struct tt_packset set = { 0 };
	struct tt_pack *p = NULL;
	json_object *doc = NULL, *v, *r0;
	char err[512];

	fx_begin(false);
	fx_put("/etc/passwd", "root:x:0:0::/root:/bin/bash\n");
	tt_osrelease_parse(&os, "ID=debian\nVERSION_ID=12\n",
	    strlen("ID=debian\nVERSION_ID=12\n"));
	CHECK_INT(parse(pack_with(RULE_HEAD "\"check\": {\"probe\": \"walk\", "
	    "\"params\": {\"kind\": \"suid\"}, \"quantifier\": \"none\"}"), &p,
	    err, sizeof(err)), 0);
	if (p == NULL) {
		fx_end();
		return;
	}
	set.v = &p;
	set.n = 1;
	CHECK_INT(tt_audit_run(&fx_audit, &set, p, &p->profiles[0], &os,
	    "/img", NULL, 0, &doc, err, sizeof(err)), 0);
	/* The JSON contract of DESIGN.md. */
	CHECK(json_object_object_get_ex(doc, "schema", &v) &&
	    json_object_get_int(v) == 1);
	CHECK(json_object_object_get_ex(doc, "profile", &v) &&
	    TT_STREQ(json_object_get_string(v), "prof"));
	CHECK(json_object_object_get_ex(doc, "root", &v) &&
	    TT_STREQ(json_object_get_string(v), "/img"));
	CHECK(json_object_object_get_ex(doc, "summary", &v));
	CHECK_STR(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN),
	    "{\"pass\":1,\"fail\":0,\"error\":0,\"notapplicable\":0,"
	    "\"manual\":0,\"score\":100.0}");
	CHECK(json_object_object_get_ex(doc, "results", &v) &&
	    json_object_array_length(v) == 1);
	r0 = json_object_array_get_idx(v, 0);
	{
		static const char *const keys[] = { "id", "title", "severity",
			"result", "references", "found", "expected" };

		for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++)
			CHECK(json_object_object_get_ex(r0, keys[i], NULL));
	}
	json_object_put(doc);
	/* A second run in the same audit walks nothing again. */
	CHECK_INT(tt_audit_run(&fx_audit, &set, p, &p->profiles[0], &os,
	    "/img", NULL, 0, &doc, err, sizeof(err)), 0);
	CHECK_INT(fx_audit.walk_count, 1);
	json_object_put(doc);
	{
		const char *ids[] = { "nope" };

		CHECK_INT(tt_audit_run(&fx_audit, &set, p, &p->profiles[0],
		    &os, "/img", ids, 1, &doc, err, sizeof(err)), -ENOENT);
		CHECK(strstr(err, "unknown rule 'nope'") != NULL);
	}
	tt_pack_free(p);
	tt_osrelease_free(&os);
	fx_end();
}

static void
score_and_selection(void)
{
	struct tt_osrelease deb = { 0 }, ubu = { 0 };
	struct tt_packset set = { 0 };
	const struct tt_pack *pk;
	const struct tt_profile *pr;
	struct tt_pack *p = NULL;
	char err[512];

	CHECK(tt_audit_score(0, 0) == 100.0);
	CHECK(tt_audit_score(2, 1) == 66.7);
	CHECK(tt_audit_score(1, 2) == 33.3);
	CHECK(tt_audit_score(7, 1) == 87.5);
	tt_osrelease_parse(&deb, "ID=raspbian\nID_LIKE=debian\n"
	    "VERSION_ID=12\n",
	    strlen("ID=raspbian\nID_LIKE=debian\n"
	    "VERSION_ID=12\n"));
	tt_osrelease_parse(&ubu, "ID=ubuntu\nVERSION_ID=22.04\n",
	    strlen("ID=ubuntu\nVERSION_ID=22.04\n"));
	CHECK_INT(parse(pack_with(RULE_HEAD "\"manual\": \"m\""), &p, err,
	    sizeof(err)), 0);
	set.v = &p;
	set.n = 1;
	CHECK_INT(tt_profile_select(&set, &deb, NULL, &pk, &pr, err,
	    sizeof(err)), 0);
	CHECK_INT(tt_profile_select(&set, &deb, "prof", &pk, &pr, err,
	    sizeof(err)), 0);
	CHECK_INT(tt_profile_select(&set, &deb, "nope", &pk, &pr, err,
	    sizeof(err)), -ENOENT);
	CHECK_INT(tt_profile_select(&set, &ubu, NULL, &pk, &pr, err,
	    sizeof(err)), -ESRCH);
	CHECK(strstr(err, "no rule pack applies") != NULL);
	CHECK_INT(tt_profile_select(&set, &ubu, "p:prof", &pk, &pr, err,
	    sizeof(err)), 0);
	CHECK_INT(tt_profile_select(&set, &ubu, "q:prof", &pk, &pr, err,
	    sizeof(err)), -ENOENT);
	tt_pack_free(p);
	tt_osrelease_free(&deb);
	tt_osrelease_free(&ubu);
}

/* The filter keeps the packs an audit needs (one) or, with every_pack,
 * all that apply (`rules` lists them: the benchmark and azure); a
 * "PACK:" prefix reads that pack alone. */
static void
built_in_packs_filtered(void)
{
	struct tt_osrelease deb = { 0 };
	struct tt_pack_filter audit = { .os = &deb };
	struct tt_pack_filter listing = { .os = &deb, .every_pack = true };
	struct tt_pack_filter named = { .want = "rhel9:stig",
		.every_pack = true };
	struct tt_packset set = { 0 };
	char err[512];
	bool azure = false, debian12 = false;

	tt_osrelease_parse(&deb, "ID=debian\nVERSION_ID=12\n",
	    strlen("ID=debian\nVERSION_ID=12\n"));
	CHECK_INT(tt_packset_load(&set, NULL, 0, &audit, err, sizeof(err)), 0);
	CHECK_INT((int)set.n, 1);
	CHECK(set.n == 1 && TT_STREQ(set.v[0]->name, "debian12"));
	tt_packset_free(&set);
	CHECK_INT(tt_packset_load(&set, NULL, 0, &listing, err, sizeof(err)),
	    0);
	for (size_t i = 0; i < set.n; i++) {
		CHECK(tt_pack_applies(set.v[i], &deb));
		azure |= TT_STREQ(set.v[i]->name, "azure");
		debian12 |= TT_STREQ(set.v[i]->name, "debian12");
	}
	CHECK(azure && debian12);
	tt_packset_free(&set);
	CHECK_INT(tt_packset_load(&set, NULL, 0, &named, err, sizeof(err)), 0);
	CHECK_INT((int)set.n, 1);
	CHECK(set.n == 1 && TT_STREQ(set.v[0]->name, "rhel9"));
	tt_packset_free(&set);
	tt_osrelease_free(&deb);
}

/* An os-release without VERSION_ID (Debian testing before its release) is
 * matched by VERSION_CODENAME; a VERSION_ID, when present, decides. */
static void
applies_by_codename(void)
{
	static const struct {
		const char *os;
		bool want;
	} cases[] = {
		{ "ID=debian\nVERSION_ID=13\nVERSION_CODENAME=trixie\n", true },
		{ "ID=debian\nVERSION_CODENAME=trixie\n", true },
		{ "ID=debian\nVERSION_ID=12\nVERSION_CODENAME=trixie\n",
		    false },
		{ "ID=debian\nVERSION_CODENAME=forky\n", false },
		{ "ID=debian\n", false },
		{ "ID=ubuntu\nVERSION_CODENAME=trixie\n", false },
	};
	struct tt_pack *p = NULL;
	char err[512];
	char *text = strdup(pack_with(RULE_HEAD "\"manual\": \"m\""));
	char *v = text != NULL ? strstr(text, "[\"12\"]") : NULL;

	CHECK(v != NULL);
	if (v == NULL) {
		free(text);
		return;
	}
	/* ["12"] -> ["13","trixie"] in place of the version list */
	{
		char buf[8192];

		snprintf(buf, sizeof(buf), "%.*s[\"13\", \"trixie\"]%s",
		    (int)(v - text), text, v + strlen("[\"12\"]"));
		CHECK_INT(parse(buf, &p, err, sizeof(err)), 0);
	}
	for (size_t i = 0; p != NULL && i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_osrelease os = { 0 };

		tt_osrelease_parse(&os, cases[i].os, strlen(cases[i].os));
		CHECK(tt_pack_applies(p, &os) == cases[i].want);
		tt_osrelease_free(&os);
	}
	tt_pack_free(p);
	free(text);
}

static void
small_sha256_agrees_with_openssl(void)
{
	static char data[300];
	uint8_t a[32], b[32];

	for (size_t i = 0; i < sizeof(data); i++)
		data[i] = (char)(i * 7 + 1);
	/* Every padding case: 0, 55, 56, 63, 64, 65 bytes and more. */
	for (size_t len = 0; len <= sizeof(data); len++) {
		tt_sha256(data, len, a);
		tt_sha256_small(data, len, b);
		if (memcmp(a, b, 32) != 0) {
			fprintf(stderr, "# length %zu differs\n", len);
			tt_test_current_failed = 1;
			break;
		}
	}
}

/* tools/embed.sh hashes at build time what the agent would hash at run
 * time: a wrong digest there would mislabel every embedded pack. */

/* The regexes of a check that are compiled (compiled) or given and not
 * yet compiled (!compiled). */
static size_t
check_regexes(const struct tt_check *ch, bool compiled)
{
	const struct tt_cond *lists[] = { ch->filter, ch->expect };
	size_t counts[] = { ch->nfilter, ch->nexpect }, n = 0;

	for (size_t i = 0; ch->params.probe != NULL &&
	     ch->params.probe->params[i].name != NULL;
	     i++)
		if (ch->params.probe->params[i].type == TT_PARAM_REGEX &&
		    ch->params.v[i] != NULL &&
		    (ch->params.re[i] != NULL) == compiled)
			n++;
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < counts[l]; i++)
			if ((lists[l][i].op == TT_OP_MATCH ||
				lists[l][i].op == TT_OP_NOT_MATCH) &&
			    (lists[l][i].re != NULL) == compiled)
				n++;
	for (size_t i = 0; i < ch->nsub; i++)
		n += check_regexes(&ch->sub[i], compiled);
	return n;
}

static size_t
pack_regexes(const struct tt_pack *p, bool compiled)
{
	size_t n = 0;

	for (size_t i = 0; i < p->nrules; i++) {
		if (p->rules[i].check != NULL)
			n += check_regexes(p->rules[i].check, compiled);
		if (p->rules[i].requires != NULL)
			n += check_regexes(p->rules[i].requires, compiled);
	}
	return n;
}

static void
embedded_digests_match_their_data(void)
{
	size_t n = 0;

	for (const struct tt_embedded_file *f = tt_embedded_files;
	     f->name != NULL; f++, n++) {
		uint8_t sum[32];
		struct tt_pack *a = NULL, *b = NULL;
		char err[512];

		tt_sha256_small(f->data, f->size, sum);
		if (memcmp(sum, f->sha256, sizeof(sum)) != 0) {
			fprintf(stderr, "# %s: embedded digest differs\n",
			    f->name);
			tt_test_current_failed = 1;
		}
		if (strstr((const char *)f->data, "\"profiles\"") == NULL)
			continue;
		CHECK(tt_pack_parse(f->name, (const char *)f->data, f->size,
			  &a, err, sizeof(err)) == 0);
		CHECK(tt_pack_parse_built_in(f->name, (const char *)f->data,
			  f->size, f->sha256, &b, err, sizeof(err)) == 0);
		if (a != NULL && b != NULL) {
			CHECK(memcmp(a->sha256, b->sha256, 32) == 0);
			/* The build compiled the built-in pack's regexes:
			 * they wait for their first use; a file's are all
			 * compiled (a bad one is an error) at once. */
			CHECK(pack_regexes(a, true) > 0);
			CHECK(pack_regexes(a, false) == 0);
			CHECK(pack_regexes(b, true) == 0);
			CHECK(pack_regexes(b, false) == pack_regexes(a, true));
		}
		tt_pack_free(a);
		tt_pack_free(b);
	}
	CHECK(n >= 6);
}

/* Precompiled packs (pack_precompiled.c) must load into exactly the pack the
 * parser makes: field by field here, and in test t0312 audit by audit. */
static int
same_str(const char *a, const char *b)
{
	return (a == NULL && b == NULL) ||
	    (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int
same_strs(const char **a, size_t na, const char **b, size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i], b[i]))
			return 0;
	return 1;
}

static int
same_applies(const struct tt_applies *a, const struct tt_applies *b)
{
	return same_strs(a->ids, a->nids, b->ids, b->nids) &&
	    same_strs(a->versions, a->nversions, b->versions, b->nversions);
}

static int
same_conds(const struct tt_cond *a, size_t na, const struct tt_cond *b,
    size_t nb)
{
	if (na != nb)
		return 0;
	for (size_t i = 0; i < na; i++)
		if (!same_str(a[i].field, b[i].field) || a[i].op != b[i].op ||
		    !same_str(a[i].value, b[i].value) ||
		    !same_strs(a[i].values, a[i].nvalues, b[i].values,
			b[i].nvalues) ||
		    (a[i].re == NULL) != (b[i].re == NULL) ||
		    a[i].num != b[i].num || a[i].mode != b[i].mode ||
		    a[i].nocase != b[i].nocase ||
		    a[i].optional != b[i].optional)
			return 0;
	return 1;
}

static int
same_check(const struct tt_check *a, const struct tt_check *b)
{
	char why[256];

	if (a == NULL || b == NULL)
		return a == b;
	/* A precompiled pack's condition regexes are compiled when the
	 * check is judged: compiled, both packs have the same ones (the
	 * parameters' are compared as text below). */
	if (tt_check_compile_conds(a, why, sizeof(why)) < 0 ||
	    tt_check_compile_conds(b, why, sizeof(why)) < 0) {
		fprintf(stderr, "# %s\n", why);
		return 0;
	}
	if (a->kind != b->kind || a->nsub != b->nsub ||
	    a->params.probe != b->params.probe ||
	    a->params.icase != b->params.icase ||
	    !same_str(a->memo_key, b->memo_key) ||
	    !same_conds(a->filter, a->nfilter, b->filter, b->nfilter) ||
	    !same_conds(a->expect, a->nexpect, b->expect, b->nexpect) ||
	    a->quant != b->quant || a->empty_pass != b->empty_pass)
		return 0;
	for (size_t i = 0; i < TT_PROBE_MAX_PARAMS; i++)
		if (!same_str(a->params.v[i], b->params.v[i]))
			return 0;
	for (size_t i = 0; i < a->nsub; i++)
		if (!same_check(&a->sub[i], &b->sub[i]))
			return 0;
	return 1;
}

static const char *
pack_difference(const struct tt_pack *a, const struct tt_pack *b)
{
	if (!same_str(a->name, b->name) || !same_str(a->benchmark, b->benchmark) ||
	    !same_str(a->file, b->file) ||
	    memcmp(a->sha256, b->sha256, 32) != 0 ||
	    !same_applies(&a->applies, &b->applies))
		return "the pack's own fields";
	if (a->nrules != b->nrules || a->nprofiles != b->nprofiles)
		return "the counts";
	if (!same_strs(a->sections, 2 * a->nsections, b->sections,
		2 * b->nsections))
		return "the sections";
	for (size_t i = 0; i < a->nrules; i++) {
		const struct tt_rule *x = &a->rules[i], *y = &b->rules[i];

		if (!same_str(x->id, y->id) || !same_str(x->title, y->title) ||
		    !same_str(x->description, y->description) ||
		    !same_str(x->rationale, y->rationale) ||
		    !same_str(x->severity, y->severity) ||
		    !same_str(x->cis, y->cis) || !same_str(x->ssg, y->ssg) ||
		    !same_str(x->stig_id, y->stig_id) ||
		    !same_str(x->stig_cat, y->stig_cat) ||
		    !same_str(x->stig_vuln, y->stig_vuln) ||
		    !same_str(x->stig_rule, y->stig_rule) ||
		    !same_str(x->manual, y->manual) ||
		    !same_str(x->expected, y->expected) ||
		    !same_str(x->fix_text, y->fix_text) ||
		    x->scope_image != y->scope_image ||
		    x->scope_runtime != y->scope_runtime ||
		    x->has_applies != y->has_applies || x->line != y->line ||
		    !same_applies(&x->applies, &y->applies) ||
		    y->pack != b || a->by_id[i] != b->by_id[i])
			return x->id;
		if (!same_check(x->check, y->check) ||
		    !same_check(x->requires, y->requires))
			return x->id;
	}
	for (size_t i = 0; i < a->nprofiles; i++) {
		const struct tt_profile *x = &a->profiles[i],
					*y = &b->profiles[i];

		if (!same_str(x->id, y->id) || !same_str(x->title, y->title) ||
		    x->nrules != y->nrules ||
		    memcmp(x->rules, y->rules, x->nrules * sizeof(size_t)) != 0)
			return x->id;
	}
	return NULL;
}

/* DISA's categories and which profiles are STIG profiles (the STIG fields
 * of the built-in packs survive precompiling: above). */
static void
stig_category_and_profile(void)
{
	struct tt_profile p = { .id = "stig" };

	CHECK(TT_STREQ(tt_stig_severity("I"), "high"));
	CHECK(TT_STREQ(tt_stig_severity("II"), "medium"));
	CHECK(TT_STREQ(tt_stig_severity("III"), "low"));
	CHECK(tt_stig_severity("IV") == NULL && tt_stig_severity("") == NULL &&
	    tt_stig_severity(NULL) == NULL);
	CHECK(tt_profile_is_stig(&p));
	p.id = "stig-mac1";
	CHECK(tt_profile_is_stig(&p));
	p.id = "cis-l1-server";
	CHECK(!tt_profile_is_stig(&p));
	p.id = "stigma";
	CHECK(!tt_profile_is_stig(&p));
	CHECK(!tt_profile_is_stig(NULL));
}

static void
precompiled_packs_load_into_the_parsed_pack(void)
{
	size_t packs = 0;

	for (const struct tt_embedded_file *f = tt_embedded_files;
	     f->name != NULL; f++) {
		const struct tt_embedded_file *blob;
		struct tt_pack *parsed = NULL, *loaded = NULL;
		struct tt_buf out;
		char err[512], name[256];
		const char *diff;
		size_t len = strlen(f->name);

		if (len < 5 || strcmp(f->name + len - 5, ".json") != 0 ||
		    strstr((const char *)f->data, "\"profiles\"") == NULL)
			continue;
		packs++;
		snprintf(name, sizeof(name), "%.*s.pack", (int)(len - 5),
		    f->name);
		blob = tt_embedded_find(name);
		CHECK(blob != NULL);
		CHECK(tt_pack_parse_built_in(f->name, (const char *)f->data,
			  f->size, f->sha256, &parsed, err, sizeof(err)) == 0);
		CHECK(parsed != NULL && tt_pack_drop_json(parsed, true) == 0);
		if (blob == NULL || parsed == NULL) {
			tt_pack_free(parsed);
			continue;
		}
		/* The build's blob is what this parser makes of the pack. */
		tt_buf_init(&out, (size_t)64 * 1024 * 1024);
		CHECK(tt_pack_precompile(parsed, &out) == 0);
		CHECK(out.len == blob->size &&
		    memcmp(out.data, blob->data, out.len) == 0);
		tt_buf_free(&out);
		CHECK(tt_pack_load_precompiled(f->name, blob->data, blob->size, f->sha256,
			  &loaded, err, sizeof(err)) == 0);
		if (loaded != NULL &&
		    (diff = pack_difference(parsed, loaded)) != NULL) {
			fprintf(stderr, "# %s: loaded pack differs at %s\n",
			    f->name, diff);
			tt_test_current_failed = 1;
		}
		if (loaded != NULL)
			CHECK(tt_pack_rule(loaded, "package_telnet_removed") ==
			    tt_pack_rule(loaded, "package_telnet_removed"));
		tt_pack_free(parsed);
		tt_pack_free(loaded);
	}
	CHECK(packs >= 4);
}

/* A pack's section titles go through the precompiled form as they are. */
static void
sections_survive_precompiling(void)
{
	const char *t = "{\"schema\": 1, \"pack\": \"p\", \"sections\": "
			"{\"1\": \"Initial Setup\", \"5.2\": \"Configure SSH "
			"Server\"}, \"applies\": {}, \"profiles\": [{\"id\": "
			"\"a\", \"rules\": [\"r\"]}], \"rules\": [{\"id\": "
			"\"r\", " RULE_HEAD "\"manual\": \"m\"}]}";
	struct tt_pack *parsed = NULL, *loaded = NULL;
	struct tt_buf out;
	char err[512];

	CHECK_INT(parse(t, &parsed, err, sizeof(err)), 0);
	if (parsed == NULL) {
		fprintf(stderr, "# %s\n", err);
		return;
	}
	CHECK(parsed->nsections == 2);
	CHECK(parsed->nsections == 2 &&
	    strcmp(parsed->sections[2], "5.2") == 0 &&
	    strcmp(parsed->sections[3], "Configure SSH Server") == 0);
	CHECK(tt_pack_drop_json(parsed, true) == 0);
	tt_buf_init(&out, (size_t)1024 * 1024);
	CHECK(tt_pack_precompile(parsed, &out) == 0);
	CHECK(
	    tt_pack_load_precompiled("p.json", (const unsigned char *)out.data,
		out.len, parsed->sha256, &loaded, err, sizeof(err)) == 0);
	CHECK(loaded != NULL && loaded->nsections == 2 &&
	    same_strs(parsed->sections, 4, loaded->sections, 4));
	tt_buf_free(&out);
	tt_pack_free(parsed);
	tt_pack_free(loaded);
}

/* The pack of one rule parsed (*parsed) and as its precompiled blob (in
 * out, which *loaded's strings point into) loaded back (*loaded); 0, or -1
 * with the checks failed.  The parser compiles at once: a bad regex is an
 * error there. */
static int
parsed_and_precompiled(const char *rule, struct tt_pack **parsed,
    struct tt_pack **loaded, struct tt_buf *out)
{
	char err[512];

	*parsed = *loaded = NULL;
	CHECK_INT(parse(pack_with(rule), parsed, err, sizeof(err)), 0);
	if (*parsed == NULL) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	CHECK(tt_pack_drop_json(*parsed, true) == 0);
	CHECK(tt_pack_precompile(*parsed, out) == 0);
	CHECK(tt_pack_load_precompiled("p.json",
		  (const unsigned char *)out->data, out->len, (*parsed)->sha256,
		  loaded, err, sizeof(err)) == 0);
	return *loaded != NULL ? 0 : -1;
}

/* A precompiled pack compiles no regex at load; a check's are compiled
 * when it is judged (the parameters' by the probe that reads the file, the
 * conditions' when there are items), and the verdict is the parsed
 * pack's. */
static void
precompiled_regexes_compiled_when_judged(void)
{
	const char *rule =
	    RULE_HEAD "\"check\": {\"probe\": \"file_lines\", \"params\": "
		      "{\"path\": \"/etc/ssh/sshd_config\", \"regex\": "
		      "\"^PermitRootLogin[[:space:]]+([a-z]+)\"}, \"expect\": "
		      "[{\"field\": \"1\", \"op\": \"match\", \"value\": "
		      "\"^no$\"}]}";
	struct tt_osrelease os = { 0 };
	struct tt_pack *parsed = NULL, *loaded = NULL;
	struct tt_rule_result a = { 0 }, b = { 0 };
	const struct tt_check *ch;
	struct tt_buf out;

	tt_buf_init(&out, (size_t)1024 * 1024);
	fx_begin(false);
	fx_put("/etc/ssh/sshd_config", "PermitRootLogin yes\n");
	tt_osrelease_parse(&os, "ID=debian\nVERSION_ID=12\n",
	    strlen("ID=debian\nVERSION_ID=12\n"));
	if (parsed_and_precompiled(rule, &parsed, &loaded, &out) < 0)
		goto out;
	CHECK(parsed->rules[0].check->params.re[1] != NULL);
	CHECK(parsed->rules[0].check->expect[0].re != NULL);
	ch = loaded->rules[0].check;
	CHECK(ch->params.re[1] == NULL && ch->params.v[1] != NULL);
	CHECK(ch->expect[0].re == NULL);
	/* The precompiled one first: the parsed one's items, cached by the
	 * audit, would spare its probe (and its regex) the work. */
	CHECK_INT(tt_rule_eval(&fx_audit, &loaded->rules[0], &os, &b), 0);
	CHECK_INT(tt_rule_eval(&fx_audit, &parsed->rules[0], &os, &a), 0);
	CHECK(ch->params.re[1] != NULL && ch->expect[0].re != NULL);
	CHECK_INT(b.result, TT_RESULT_FAIL);
	CHECK_INT(a.result, b.result);
	CHECK_STR(b.found, a.found);
	CHECK(strstr(b.found, "1=yes") != NULL);
	/* Compiled once: judging again keeps the same regexes. */
	{
		const regex_t *re = ch->expect[0].re;

		tt_rule_result_free(&b);
		CHECK_INT(tt_rule_eval(&fx_audit, &loaded->rules[0], &os, &b),
		    0);
		CHECK(ch->expect[0].re == re);
	}
	tt_rule_result_free(&a);
	tt_rule_result_free(&b);
out:
	tt_pack_free(parsed);
	tt_pack_free(loaded);
	tt_buf_free(&out);
	tt_osrelease_free(&os);
	fx_end();
}

/* On an image without the file, a precompiled check compiles nothing:
 * no line for the parameter's regex, no item for the condition's; the
 * verdict is the parsed pack's. */
static void
precompiled_regexes_not_compiled_without_the_file(void)
{
	const char *rule =
	    RULE_HEAD "\"check\": {\"probe\": \"file_lines\", \"params\": "
		      "{\"path\": \"/etc/ssh/sshd_config.d/*.conf\", "
		      "\"regex\": \"^Banner[[:space:]]+(.*)\"}, \"expect\": "
		      "[{\"field\": \"1\", \"op\": \"not_match\", "
		      "\"value\": \"^none$\"}]}";
	struct tt_osrelease os = { 0 };
	struct tt_pack *parsed = NULL, *loaded = NULL;
	struct tt_rule_result a = { 0 }, b = { 0 };
	const struct tt_check *ch;
	struct tt_buf out;

	tt_buf_init(&out, (size_t)1024 * 1024);
	fx_begin(false);
	tt_osrelease_parse(&os, "ID=debian\nVERSION_ID=12\n",
	    strlen("ID=debian\nVERSION_ID=12\n"));
	if (parsed_and_precompiled(rule, &parsed, &loaded, &out) < 0)
		goto out;
	ch = loaded->rules[0].check;
	CHECK_INT(tt_rule_eval(&fx_audit, &loaded->rules[0], &os, &b), 0);
	CHECK(ch->params.re[1] == NULL && ch->expect[0].re == NULL);
	CHECK_INT(tt_rule_eval(&fx_audit, &parsed->rules[0], &os, &a), 0);
	CHECK_INT(a.result, b.result);
	CHECK_STR(b.found, a.found);
	tt_rule_result_free(&a);
	tt_rule_result_free(&b);
out:
	tt_pack_free(parsed);
	tt_pack_free(loaded);
	tt_buf_free(&out);
	tt_osrelease_free(&os);
	fx_end();
}

/* An installed pack is read precompiled only when it is the built-in one
 * byte for byte: an edited copy is the admin's and is parsed. */
static void
installed_copy_of_a_built_in_pack(void)
{
	const struct tt_embedded_file *f = tt_embedded_find("debian12.json");
	char *copy;

	CHECK(f != NULL);
	if (f == NULL || (copy = malloc(f->size)) == NULL)
		return;
	memcpy(copy, f->data, f->size);
	CHECK(tt_pack_built_in_copy("/usr/share/tattoo/rules/debian12.json",
		  copy, f->size) == f);
	CHECK(tt_pack_built_in_copy("debian12.json", copy, f->size) == f);
	CHECK(tt_pack_built_in_copy("/x/site.json", copy, f->size) == NULL);
	CHECK(tt_pack_built_in_copy("/x/debian12.json", copy, f->size - 1) ==
	    NULL);
	copy[f->size / 2] ^= 1;
	CHECK(tt_pack_built_in_copy("/x/debian12.json", copy, f->size) ==
	    NULL);
	free(copy);
}

/* A damaged blob is refused with a reason, whatever byte is wrong or
 * missing; never a crash or a leak (ASan watches). */
static void
damaged_precompiled_pack_is_refused(void)
{
	const struct tt_embedded_file *blob = tt_embedded_find("ubuntu2204.pack");
	static const uint8_t sum[32];
	unsigned char *copy;
	size_t refused = 0, tries = 0;

	CHECK(blob != NULL);
	if (blob == NULL || (copy = malloc(blob->size)) == NULL)
		return;
	for (size_t cut = 0; cut < blob->size; cut += 1 + cut / 3) {
		struct tt_pack *p = NULL;
		char err[256] = "";

		tries++;
		if (tt_pack_load_precompiled("x.pack", blob->data, cut, sum, &p, err,
			sizeof(err)) == -EINVAL && p == NULL && err[0] != '\0')
			refused++;
		tt_pack_free(p);
	}
	CHECK(refused == tries);
	/* Flipped bytes: refused, or (a flip inside a title) still a pack. */
	for (size_t at = 0; at < blob->size; at += 997) {
		struct tt_pack *p = NULL;
		char err[256];
		int r;

		memcpy(copy, blob->data, blob->size);
		copy[at] ^= 0xff;
		r = tt_pack_load_precompiled("x.pack", copy, blob->size, sum, &p, err,
		    sizeof(err));
		CHECK(r == 0 || r == -EINVAL);
		CHECK((r == 0) == (p != NULL));
		tt_pack_free(p);
	}
	free(copy);
}

int
main(void)
{
	RUN(valid_pack);
	RUN(validation_errors);
	RUN(pack_level_errors);
	RUN(evaluation);
	RUN(memoized_probe_runs);
	RUN(score_and_selection);
	RUN(built_in_packs_filtered);
	RUN(applies_by_codename);
	RUN(small_sha256_agrees_with_openssl);
	RUN(embedded_digests_match_their_data);
	RUN(stig_category_and_profile);
	RUN(precompiled_packs_load_into_the_parsed_pack);
	RUN(damaged_precompiled_pack_is_refused);
	RUN(installed_copy_of_a_built_in_pack);
	RUN(precompiled_regexes_compiled_when_judged);
	RUN(precompiled_regexes_not_compiled_without_the_file);
	RUN(sections_survive_precompiling);
	TEST_EXIT();
}
