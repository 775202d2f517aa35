/* The output format writers, on documents with known results. */
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "buf.h"
#include "canon.h"
#include "fileio.h"
#include "json.h"
#include "format.h"
#include "format_util.h"
#include "tt_test.h"
#include "tt.h"

static const char audit_doc[] =
    "{\"schema\":1,\"profile\":\"cis-l1-server\",\"root\":\"/img\","
    "\"summary\":{\"pass\":2,\"fail\":2,\"error\":1,\"notapplicable\":1,"
    "\"manual\":1,\"score\":40},\"results\":["
    "{\"id\":\"sshd_disable_root_login\",\"title\":\"Ensure sshd "
    "PermitRootLogin is disabled\",\"severity\":\"medium\",\"result\":"
    "\"fail\",\"references\":{\"cis\":\"5.1.20\",\"ssg\":"
    "\"xccdf_org.ssgproject.content_rule_sshd_disable_root_login\"},"
    "\"found\":\"PermitRootLogin yes in /etc/ssh/sshd_config line 3\","
    "\"expected\":\"no\",\"rationale\":\"Root <logins> & \\\"more\\\"\","
    "\"fix\":{\"action\":\"sshd_set\",\"params\":{\"key\":"
    "\"PermitRootLogin\",\"value\":\"no\"}}},"
    "{\"id\":\"file_permissions_etc_shadow\",\"title\":\"Perms\","
    "\"severity\":\"high\",\"result\":\"fail\",\"references\":{\"cis\":"
    "\"7.1.5\"},\"found\":\"mode 0644\\u0001\\u001b[31m\",\"expected\":"
    "\"mode 0640 or stricter\",\"check\":{\"probe\":\"file\",\"params\":"
    "{\"path\":\"/etc/sh adow\"}},\"fix\":{\"manual\":\"chmod it\"}},"
    "{\"id\":\"a_pass\",\"title\":\"P1\",\"severity\":\"low\",\"result\":"
    "\"pass\",\"references\":{\"cis\":\"1.1\"},\"found\":\"\",\"expected\":"
    "\"\"},"
    "{\"id\":\"b_pass\",\"title\":\"P2\",\"severity\":\"low\",\"result\":"
    "\"pass\",\"references\":{\"cis\":\"5.2\"},\"found\":\"\",\"expected\":"
    "\"\"},"
    "{\"id\":\"c_err\",\"title\":\"E\",\"severity\":\"medium\",\"result\":"
    "\"error\",\"references\":{\"cis\":\"5.3\"},\"found\":\"cannot read "
    "'/etc/pam.d/su'\",\"expected\":\"\"},"
    "{\"id\":\"d_na\",\"title\":\"N\",\"severity\":\"low\",\"result\":"
    "\"notapplicable\",\"references\":{\"cis\":\"2.1\"}},"
    "{\"id\":\"e_manual\",\"title\":\"M\",\"severity\":\"low\",\"result\":"
    "\"manual\",\"references\":{\"cis\":\"2.2\"}}]}";

static const char scrub_doc[] =
    "{\"schema\":1,\"root\":\"/img dir\",\"summary\":{\"files\":10,"
    "\"bytes\":4096,\"secrets\":2,\"leftovers\":1},\"findings\":["
    "{\"kind\":\"secret\",\"detector\":\"private_key_pem\",\"path\":"
    "\"/root/id rsa\",\"line\":1,\"offset\":0,\"preview\":\"----\","
    "\"fingerprint\":\"sha256:aa\",\"action\":\"report\"},"
    "{\"kind\":\"secret\",\"detector\":\"private_key_pem\",\"path\":"
    "\"/home/a/k.pem\",\"line\":7,\"offset\":120,\"preview\":\"----\","
    "\"fingerprint\":\"sha256:bb\",\"action\":\"report\"},"
    "{\"kind\":\"leftover\",\"detector\":\"ssh_host_keys\",\"path\":"
    "\"/etc/ssh/ssh_host_rsa_key\",\"line\":0,\"offset\":0,\"preview\":"
    "\"\",\"fingerprint\":\"\",\"action\":\"delete\"}]}";

static const char tattoo_doc[] =
    "{\"schema\":1,\"image\":{\"name\":\"web\",\"version\":\"1.4.0\","
    "\"published\":\"2026-11-14T00:00:00Z\"},\"os\":{\"id\":\"debian\","
    "\"version_id\":\"12\",\"pretty_name\":\"Debian 12\"},\"source\":{"
    "\"publisher\":\"Debian\",\"offer\":\"debian-12\",\"sku\":\"12\","
    "\"version\":\"0.2\\\"x\"},\"digest\":\"sha256:00\"}";

static json_object *
parse(const char *s)
{
	char err[256];
	json_object *o = tt_json_parse(s, strlen(s), err, sizeof(err));

	if (o == NULL)
		fprintf(stderr, "# fixture: %s\n", err);
	return o;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

/* Runs a writer; returns the output (caller frees) or NULL. */
static char *
render(tt_format_fn fn, const char *doc, bool with_tattoo)
{
	json_object *d = parse(doc),
		    *t = with_tattoo ? parse(tattoo_doc) : NULL;
	json_object *drift = parse("{\"os_changed\":true,\"stale\":false,"
				   "\"note\":\"x\"}");
	struct tt_format_input in = { .doc = d,
		.tattoo = t,
		.drift = drift,
		.now = 1795478405 /* published + 10 days 5 s */ };
	struct tt_buf b;
	char err[256] = "";
	char *out = NULL;
	int r;

	tt_buf_init(&b, 1 << 20);
	r = fn(&in, &b, err, sizeof(err));
	if (r == 0)
		out = tt_buf_steal(&b);
	else
		fprintf(stderr, "# writer: %d %s\n", r, err);
	tt_buf_free(&b);
	json_object_put(d);
	json_object_put(t);
	json_object_put(drift);
	return out;
}

static void
test_table(void)
{
	static const char *const names[] = { "text", "json", "junit", "sarif",
		"html", "prom" };

	for (size_t i = 0; i < TT_ARRAY_SIZE(names); i++) {
		const struct tt_format *f = tt_format_find(names[i]);

		CHECK(f != NULL);
		if (f == NULL)
			continue;
		CHECK_STR(f->name, names[i]);
		CHECK(f->audit != NULL && f->scrub != NULL);
		CHECK(f->description != NULL && f->description[0] != '\0');
		/* Usage texts indent it by 30 columns at most. */
		CHECK(f->description != NULL && strlen(f->description) <= 48);
		CHECK(tt_format_writer(f, TT_FORMAT_AUDIT) == f->audit);
		CHECK(tt_format_writer(f, TT_FORMAT_SCRUB) == f->scrub);
	}
	CHECK_INT(tt_formats_count, TT_ARRAY_SIZE(names));
	CHECK_STR(tt_formats[0].name, TT_FORMAT_DEFAULT);
	CHECK(tt_format_find("JUNIT") == NULL);
	CHECK(tt_format_find("") == NULL);
	CHECK(tt_format_find(NULL) == NULL);
	CHECK(tt_format_writer(NULL, TT_FORMAT_AUDIT) == NULL);
}

/* The usage error lists the names from the table, so a new row is all a
 * new format needs. */
static void
test_lookup(void)
{
	char err[256] = "";

	CHECK(tt_format_lookup("junit", TT_FORMAT_AUDIT, err, sizeof(err)) ==
	    tt_format_find("junit"));
	CHECK(tt_format_lookup("text", TT_FORMAT_SCRUB, err, sizeof(err)) ==
	    &tt_formats[0]);
	CHECK_STR(err, "");
	CHECK(tt_format_lookup("yaml", TT_FORMAT_SCRUB, err, sizeof(err)) ==
	    NULL);
	CHECK_STR(err,
	    "unknown format 'yaml' (text, json, junit, sarif, html, prom)");
	CHECK(
	    tt_format_lookup(NULL, TT_FORMAT_AUDIT, err, sizeof(err)) == NULL);
	CHECK_STR(err,
	    "unknown format '' (text, json, junit, sarif, html, prom)");
}

/* What a writer says is what the command prints after its name. */
static void
test_write_reason(void)
{
	json_object *d = parse("{\"results\":[{\"id\":\"a\",\"result\":"
			       "\"pass\"},{\"result\":\"fail\"}]}");
	json_object *ok = parse(audit_doc);
	struct tt_format_input in = { .doc = d };
	const struct tt_format *junit = tt_format_find("junit");
	struct tt_buf b;
	char err[256] = "", line[300];

	tt_buf_init(&b, 1 << 20);
	CHECK_INT(tt_format_write(junit, TT_FORMAT_AUDIT, &in, &b, err,
		      sizeof(err)),
	    -EINVAL);
	CHECK_STR(err, "format junit: results[1].id: missing or not a string");
	/* The command's line, as cmd_audit.c writes it. */
	snprintf(line, sizeof(line), "audit: %s", err);
	CHECK_STR(line,
	    "audit: format junit: results[1].id: missing or not a string");
	tt_buf_free(&b);

	/* Not -EINVAL: the code in words. */
	in.doc = ok;
	tt_buf_init(&b, 100);
	CHECK_INT(tt_format_write(tt_format_find("sarif"), TT_FORMAT_AUDIT, &in,
		      &b, err, sizeof(err)),
	    -E2BIG);
	snprintf(line, sizeof(line), "format sarif: %s", tt_strerror(-E2BIG));
	CHECK_STR(err, line);
	tt_buf_free(&b);

	/* A scrub writer on an audit document names the scrub field. */
	tt_buf_init(&b, 1 << 20);
	CHECK_INT(tt_format_write(&tt_formats[0], TT_FORMAT_SCRUB, &in, &b, err,
		      sizeof(err)),
	    -EINVAL);
	CHECK_STR(err, "format text: findings: missing or not an array");
	tt_buf_free(&b);
	CHECK_INT(tt_format_write(NULL, TT_FORMAT_AUDIT, &in, &b, err,
		      sizeof(err)),
	    -EINVAL);
	json_object_put(d);
	json_object_put(ok);
}

static void
test_usage(void)
{
	static const char tmpl[] = "usage: x\n"
				   "  --format F   @FORMATS@\n"
				   "  --output F   there\n";
	char out[1024], small[40];
	const char *p;

	CHECK_INT(tt_format_usage(out, sizeof(out), tmpl, TT_FORMAT_AUDIT), 0);
	CHECK(
	    strstr(out,
		"  --format F   text (default), json, junit, sarif, html, "
		"prom\n"
		"                 text   for people\n"
		"                 json   the versioned JSON document") != NULL);
	CHECK(strstr(out,
		  "                 prom   Prometheus text for node_exporter\n"
		  "  --output F   there\n") != NULL);
	CHECK(strstr(out, "@FORMATS@") == NULL);
	/* Every line fits a terminal where the commands put the token. */
	for (p = out; *p != '\0';) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);

		CHECK(len <= 80 - (21 - 13));
		p += len + (nl != NULL);
	}
	CHECK_INT(tt_format_usage(small, sizeof(small), tmpl, TT_FORMAT_SCRUB),
	    -E2BIG);
	CHECK(strlen(small) < sizeof(small));
	CHECK_INT(tt_format_usage(out, sizeof(out), "no token\n",
		      TT_FORMAT_AUDIT),
	    0);
	CHECK_STR(out, "no token\n");
	CHECK_INT(tt_format_usage(small, 4, "no token\n", TT_FORMAT_AUDIT),
	    -E2BIG);
}

static char *
render_text(tt_format_fn fn, const char *doc, bool color, bool verbose)
{
	json_object *d = parse(doc);
	struct tt_format_input in = { .doc = d,
		.color = color,
		.verbose = verbose };
	struct tt_buf b;
	char err[256] = "", *out = NULL;

	tt_buf_init(&b, 1 << 20);
	if (fn(&in, &b, err, sizeof(err)) == 0)
		out = tt_buf_steal(&b);
	else
		fprintf(stderr, "# writer: %s\n", err);
	tt_buf_free(&b);
	json_object_put(d);
	return out;
}

static const char text_audit_doc[] =
    "{\"profile_qualified\":\"debian12:cis\",\"root\":\"/img\",\"mode\":"
    "\"offline\",\"summary\":{\"pass\":1,\"fail\":1,\"error\":0,"
    "\"notapplicable\":0,\"manual\":1,\"score\":50},\"results\":["
    "{\"id\":\"b\",\"title\":\"B\",\"section\":\"10\",\"result\":\"fail\","
    "\"references\":{\"cis\":\"10.1\"},\"found\":\"x\\u001b[2J\","
    "\"expected\":\"y\"},"
    "{\"id\":\"a\",\"title\":\"A\",\"section\":\"2\",\"result\":\"pass\","
    "\"references\":{\"cis\":\"2.1\"},\"found\":\"ok\"},"
    "{\"id\":\"m\",\"title\":\"M\",\"section\":\"2\",\"result\":\"manual\","
    "\"expected\":\"look\"}]}";

static void
test_text_audit(void)
{
	char *plain =
	    render_text(tt_format_text_audit, text_audit_doc, false, false);
	char *all =
	    render_text(tt_format_text_audit, text_audit_doc, true, true);

	CHECK(plain != NULL && all != NULL);
	if (plain == NULL || all == NULL)
		goto out;
	CHECK_STR(plain,
	    "debian12:cis on /img (offline audit)\n"
	    "\n"
	    "Section 2: 1 pass, 0 fail, 1 manual\n"
	    "  manual           m\n"
	    "        M\n"
	    "        review:   look\n"
	    "\n"
	    "Section 10: 0 pass, 1 fail\n"
	    "  fail  10.1      b\n"
	    "        B\n"
	    "        found:    x\\x1b[2J\n"
	    "        expected: y\n"
	    "\n"
	    "Summary: 1 pass, 1 fail, 0 error, 0 not applicable, 1 manual\n"
	    "Score: 50% (pass / (pass + fail))\n");
	CHECK(strstr(all, "\033[1mdebian12:cis\033[0m on") != NULL);
	/* The colour wraps the word; the padding follows the reset, so
	 * the columns line up as without colour (tt_term_word). */
	CHECK(strstr(all, "  \033[32mpass\033[0m  2.1       a\n") != NULL);
	CHECK(strstr(all, "\033[31mfail\033[0m  10.1") != NULL);
	CHECK_INT(count(all, "\033"), count(plain, "\033") + 12);
out:
	free(plain);
	free(all);
}

/* The walk's order: by path, a file's findings before its being skipped;
 * the document keeps them in two lists that the text merges back. */
static const char text_scrub_doc[] =
    "{\"schema\":1,\"root\":\"/img\",\"mode\":\"%s\",\"summary\":{\"files\":"
    "5,\"bytes\":300,\"secrets\":2,\"leftovers\":1,\"skipped\":3,"
    "\"allowed\":%d},\"findings\":["
    "{\"kind\":\"secret\",\"detector\":\"pem\",\"path\":\"/a\",\"line\":3,"
    "\"offset\":10,\"preview\":\"----\",\"fingerprint\":\"sha256:ff\"},"
    "{\"kind\":\"leftover\",\"detector\":\"keys\",\"path\":\"/b\\nx\","
    "\"action\":\"delete\",\"description\":\"host keys\"%s},"
    "{\"kind\":\"secret\",\"detector\":\"tok\",\"path\":\"/d\",\"line\":1,"
    "\"offset\":0,\"preview\":\"ghp_\",\"fingerprint\":\"sha256:ee\"}],"
    "\"skipped\":[{\"path\":\"/a\",\"reason\":\"cut\"},{\"path\":\"/c\","
    "\"reason\":\"compressed\"},{\"path\":\"/e\",\"reason\":\"fifo\"}]}";

static void
test_text_scrub(void)
{
	char doc[2048];
	char *check, *verbose, *apply;

	snprintf(doc, sizeof(doc), text_scrub_doc, "check", 0, "");
	check = render_text(tt_format_text_scrub, doc, true, false);
	verbose = render_text(tt_format_text_scrub, doc, false, true);
	snprintf(doc, sizeof(doc), text_scrub_doc, "apply", 2,
	    ",\"result\":\"done\"");
	apply = render_text(tt_format_text_scrub, doc, false, false);
	CHECK(check != NULL && verbose != NULL && apply != NULL);
	if (check == NULL || verbose == NULL || apply == NULL)
		goto out;
	CHECK_STR(check,
	    "secret    /a:3 (offset 10)  pem  ----...  sha256:ff\n"
	    "leftover  /b\\nx  delete  (host keys)\n"
	    "secret    /d:1 (offset 0)  tok  ghp_...  sha256:ee\n"
	    "5 files, 300 bytes scanned: 2 secrets, 1 leftovers, 3 not "
	    "scanned (-v lists them)\n");
	CHECK_STR(verbose,
	    "secret    /a:3 (offset 10)  pem  ----...  sha256:ff\n"
	    "skipped   /a  cut\n"
	    "leftover  /b\\nx  delete  (host keys)\n"
	    "skipped   /c  compressed\n"
	    "secret    /d:1 (offset 0)  tok  ghp_...  sha256:ee\n"
	    "skipped   /e  fifo\n"
	    "5 files, 300 bytes scanned: 2 secrets, 1 leftovers, 3 not "
	    "scanned\n");
	CHECK(strstr(apply, "leftover  /b\\nx  delete: done  (host keys)\n") !=
	    NULL);
	CHECK(strstr(apply,
		  "not scanned (-v lists them), 2 allowed (allowlist or "
		  "known public)\n") != NULL);
out:
	free(check);
	free(verbose);
	free(apply);
}

static void
test_xml_escape(void)
{
	static const struct {
		const char *in;
		bool attr;
		const char *out;
	} cases[] = {
		{ "a<b>&\"'", false, "a&lt;b&gt;&amp;&quot;&#39;" },
		{ "l1\nl2\tx\r", false, "l1\nl2\tx\r" },
		{ "l1\nl2\tx\r", true, "l1&#10;l2&#9;x&#13;" },
		{ "\x01\x1b[31m", false, "\xef\xbf\xbd\xef\xbf\xbd[31m" },
		{ "bad\xff\xc3", false, "bad\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xc0\xaf", false, "\xef\xbf\xbd\xef\xbf\xbd" },
		{ "\xef\xbf\xbe", false, "\xef\xbf\xbd" },
		{ "caf\xc3\xa9 \xf0\x9f\x94\x91", false,
		    "caf\xc3\xa9 \xf0\x9f\x94\x91" },
		{ "]]>", false, "]]&gt;" },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_buf b;

		tt_buf_init(&b, 1024);
		CHECK_INT(tt_fmt_xml(&b, cases[i].in, cases[i].attr), 0);
		CHECK_STR(b.data != NULL ? b.data : "", cases[i].out);
		tt_buf_free(&b);
	}
}

static void
test_prom_label_escape(void)
{
	struct tt_buf b;

	tt_buf_init(&b, 1024);
	CHECK_INT(tt_fmt_prom_label(&b, "a\\b\"c\nd\xff"), 0);
	CHECK_STR(b.data, "a\\\\b\\\"c\\nd\xef\xbf\xbd");
	tt_buf_free(&b);
}

static void
test_rule_path(void)
{
	static const struct {
		const char *res, *path;
	} cases[] = {
		{ "{\"path\":\"/etc/a\"}", "/etc/a" },
		{ "{\"params\":{\"path\":\"/etc/b\"}}", "/etc/b" },
		{ "{\"check\":{\"params\":{\"path\":\"/etc/c\"}}}", "/etc/c" },
		{ "{\"fix\":{\"params\":{\"path\":\"/etc/d\"}}}", "/etc/d" },
		{ "{\"found\":\"mode 0644 on '/etc/e', owner 0\"}", "/etc/e" },
		{ "{\"found\":\"x\",\"expected\":\"a line in /etc/f:\"}",
		    "/etc/f" },
		{ "{\"found\":\"1/2 and / alone\"}", NULL },
		{ "{\"check\":{\"params\":{\"path\":\"relative\"}}}", NULL },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		json_object *o = parse(cases[i].res);
		char out[64];
		bool got = tt_fmt_rule_path(o, out, sizeof(out));

		CHECK_INT(got, cases[i].path != NULL);
		if (got && cases[i].path != NULL)
			CHECK_STR(out, cases[i].path);
		json_object_put(o);
	}
}

static void
test_section(void)
{
	static const struct {
		const char *res, *sec;
	} cases[] = {
		{ "{\"section\":\"Access\",\"references\":{\"cis\":\"5.1\"}}",
		    "Access" },
		{ "{\"references\":{\"cis\":\"5.2.10\"}}", "5" },
		{ "{\"references\":{\"cis\":\"12\"}}", "12" },
		{ "{\"references\":{}}", "other" },
		{ "{}", "other" },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		json_object *o = parse(cases[i].res);
		char out[64];

		tt_fmt_section(o, out, sizeof(out));
		CHECK_STR(out, cases[i].sec);
		json_object_put(o);
	}
}

static void
test_junit_audit(void)
{
	char *x = render(tt_format_junit_audit, audit_doc, false);

	CHECK(x != NULL);
	if (x == NULL)
		return;
	CHECK(strncmp(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 39) ==
	    0);
	CHECK_INT(count(x, "<testcase "), 7);
	CHECK_INT(count(x, "<failure "), 2);
	CHECK_INT(count(x, "<error "), 1);
	CHECK_INT(count(x, "<skipped "), 2);
	CHECK(strstr(x,
		  "<testsuites name=\"tattoo audit\" tests=\"7\" "
		  "failures=\"2\" errors=\"1\" skipped=\"2\"") != NULL);
	/* Sections 5, 7, 1, 2: four suites. */
	CHECK_INT(count(x, "<testsuite "), 4);
	CHECK(strstr(x, "Root &lt;logins&gt; &amp; &quot;more&quot;") != NULL);
	/* The control characters never reach the XML. */
	CHECK(strchr(x, '\x01') == NULL && strchr(x, '\x1b') == NULL);
	CHECK(strstr(x, "file=\"/etc/sh adow\"") != NULL);
	CHECK(strstr(x, "file=\"/etc/ssh/sshd_config\"") != NULL);
	free(x);
}

static void
test_junit_scrub(void)
{
	char *x = render(tt_format_junit_scrub, scrub_doc, false);

	CHECK(x != NULL);
	if (x == NULL)
		return;
	CHECK_INT(count(x, "<testcase "), 3);
	CHECK_INT(count(x, "<failure "), 3);
	CHECK(strstr(x, "name=\"/home/a/k.pem:7 private_key_pem\"") != NULL);
	free(x);
	x = render(tt_format_junit_scrub,
	    "{\"schema\":1,\"root\":\"/\",\"findings\":[]}", false);
	CHECK(x != NULL);
	if (x != NULL) {
		CHECK_INT(count(x, "<testcase "), 1);
		CHECK_INT(count(x, "<failure"), 0);
	}
	free(x);
}

static json_object *
jpath(json_object *o, const char *path)
{
	char key[64];

	while (o != NULL && *path != '\0') {
		size_t n = strcspn(path, ".");

		if (n >= sizeof(key))
			return NULL;
		memcpy(key, path, n);
		key[n] = '\0';
		path += n + (path[n] == '.');
		if (json_object_is_type(o, json_type_array)) {
			char *end;
			long i = strtol(key, &end, 10);

			o = *end == '\0' ?
			    json_object_array_get_idx(o, (size_t)i) :
			    NULL;
		} else if (!json_object_object_get_ex(o, key, &o)) {
			return NULL;
		}
	}
	return o;
}

static const char *
jstr(json_object *o, const char *path)
{
	json_object *v = jpath(o, path);

	return v != NULL ? json_object_get_string(v) : NULL;
}

static void
test_sarif_audit(void)
{
	char *s = render(tt_format_sarif_audit, audit_doc, false);
	json_object *log;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	log = parse(s);
	CHECK(log != NULL);
	CHECK_STR(jstr(log, "version"), "2.1.0");
	CHECK(jstr(log, "$schema") != NULL);
	CHECK_STR(jstr(log, "runs.0.tool.driver.name"), "tattoo");
	CHECK_INT(json_object_array_length(jpath(log, "runs.0.results")), 7);
	CHECK_INT(json_object_array_length(
		      jpath(log, "runs.0.tool.driver.rules")),
	    7);
	CHECK_STR(jstr(log, "runs.0.results.0.ruleId"),
	    "sshd_disable_root_login");
	CHECK_STR(jstr(log, "runs.0.results.0.kind"), "fail");
	CHECK_STR(jstr(log, "runs.0.results.0.level"), "warning");
	CHECK_STR(jstr(log, "runs.0.results.1.level"), "error");
	CHECK_STR(jstr(log, "runs.0.results.2.level"), "none");
	CHECK_STR(jstr(log, "runs.0.results.2.kind"), "pass");
	CHECK_STR(jstr(log, "runs.0.results.4.kind"), "open");
	CHECK_STR(jstr(log, "runs.0.results.5.kind"), "notApplicable");
	CHECK_STR(jstr(log, "runs.0.results.6.kind"), "review");
	CHECK_STR(jstr(log,
		      "runs.0.results.0.locations.0.physicalLocation."
		      "artifactLocation.uri"),
	    "etc/ssh/sshd_config");
	CHECK_STR(jstr(log,
		      "runs.0.results.1.locations.0.physicalLocation."
		      "artifactLocation.uri"),
	    "etc/sh%20adow");
	CHECK_STR(jstr(log, "runs.0.originalUriBaseIds.ROOT.uri"),
	    "file:///img/");
	CHECK(strstr(jstr(log, "runs.0.tool.driver.rules.0.help.text"),
		  "CIS benchmark section 5.1.20") != NULL);
	CHECK(
	    strstr(jstr(log, "runs.0.tool.driver.rules.0.help.text"),
		"xccdf_org.ssgproject.content_rule_sshd_disable_root_login") !=
	    NULL);
	CHECK_STR(jstr(log,
		      "runs.0.tool.driver.rules.1.properties."
		      "security-severity"),
	    "8.0");
	json_object_put(log);
	free(s);
}

static void
test_sarif_scrub(void)
{
	char *s = render(tt_format_sarif_scrub, scrub_doc, false);
	json_object *log;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	log = parse(s);
	CHECK(log != NULL);
	CHECK_INT(json_object_array_length(jpath(log, "runs.0.results")), 3);
	/* Two detectors: two rules, the second finding reuses the first. */
	CHECK_INT(json_object_array_length(
		      jpath(log, "runs.0.tool.driver.rules")),
	    2);
	CHECK_INT(json_object_get_int(jpath(log, "runs.0.results.1.ruleIndex")),
	    0);
	CHECK_INT(json_object_get_int(jpath(log, "runs.0.results.2.ruleIndex")),
	    1);
	CHECK_STR(jstr(log,
		      "runs.0.results.1.locations.0.physicalLocation."
		      "region.startLine"),
	    "7");
	CHECK_STR(jstr(log,
		      "runs.0.results.0.locations.0.physicalLocation."
		      "artifactLocation.uri"),
	    "root/id%20rsa");
	CHECK_STR(jstr(log, "runs.0.originalUriBaseIds.ROOT.uri"),
	    "file:///img%20dir/");
	CHECK_STR(jstr(log,
		      "runs.0.results.0.partialFingerprints."
		      "tattooFingerprint/v1"),
	    "sha256:aa");
	json_object_put(log);
	free(s);
}

/*
 * A strict reader of the Prometheus text format as node_exporter's
 * textfile collector parses it: comments are HELP or TYPE, TYPE comes
 * before a family's samples and only once, names and label names match
 * their grammar, label values are properly escaped, values parse.  It sums
 * the values of samples named want (0 when none).
 */
static bool
name_ok(const char **p, bool metric)
{
	const char *s = *p;

	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		*s == '_' || (metric && *s == ':')))
		return false;
	while ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
	    (*s >= '0' && *s <= '9') || *s == '_' || (metric && *s == ':'))
		s++;
	*p = s;
	return true;
}

static int
prom_parse(const char *text, const char *want, const char *label_filter,
    double *ret_sum)
{
	char typed[64][64];
	size_t ntyped = 0;
	double sum = 0;
	const char *line = text;

	while (*line != '\0') {
		const char *end = strchr(line, '\n'), *p = line;
		char name[64];
		size_t n;

		if (end == NULL)
			return -1; /* the last line must end with \n */
		if (strncmp(p, "# HELP ", 7) == 0) {
			p += 7;
			if (!name_ok(&p, true) || *p != ' ')
				return -2;
		} else if (strncmp(p, "# TYPE ", 7) == 0) {
			const char *s = p + 7;

			p = s;
			if (!name_ok(&p, true) || *p != ' ')
				return -3;
			n = (size_t)(p - s);
			if (n >= 64 || ntyped >= 64)
				return -4;
			for (size_t i = 0; i < ntyped; i++)
				if (strncmp(typed[i], s, n) == 0 &&
				    typed[i][n] == '\0')
					return -5; /* family twice */
			memcpy(typed[ntyped], s, n);
			typed[ntyped++][n] = '\0';
			p++;
			if (strncmp(p, "gauge\n", 6) != 0 &&
			    strncmp(p, "counter\n", 8) != 0)
				return -6;
		} else if (*p == '#') {
			return -7;
		} else {
			const char *s = p;
			bool match_label = label_filter == NULL;
			char *vend;
			double v;

			if (!name_ok(&p, true))
				return -8;
			n = (size_t)(p - s);
			if (n >= sizeof(name))
				return -9;
			memcpy(name, s, n);
			name[n] = '\0';
			if (ntyped == 0 || !TT_STREQ(typed[ntyped - 1], name))
				return -10; /* sample outside its family */
			if (*p == '{') {
				p++;
				while (*p != '}') {
					const char *ls = p;

					if (!name_ok(&p, false) ||
					    *p++ != '=' || *p++ != '"')
						return -11;
					while (*p != '"') {
						if (*p == '\n' || *p == '\0')
							return -12;
						if (*p == '\\') {
							p++;
							if (*p != '\\' &&
							    *p != '"' &&
							    *p != 'n')
								return -13;
						}
						p++;
					}
					p++;
					if (label_filter != NULL &&
					    strncmp(ls, label_filter,
						strlen(label_filter)) == 0)
						match_label = true;
					if (*p == ',')
						p++;
					else if (*p != '}')
						return -14;
				}
				p++;
			}
			if (*p++ != ' ')
				return -15;
			v = strtod(p, &vend);
			if (vend == p || vend != end)
				return -16;
			if (want != NULL && TT_STREQ(name, want) && match_label)
				sum += v;
		}
		line = end + 1;
	}
	*ret_sum = sum;
	return 0;
}

static void
test_prom_audit(void)
{
	char *s = render(tt_format_prom_audit, audit_doc, true);
	double v = -1;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(prom_parse(s, "tattoo_audit_rules", NULL, &v), 0);
	CHECK(v == 7);
	CHECK_INT(prom_parse(s, "tattoo_audit_rules", "result=\"fail\"", &v),
	    0);
	CHECK(v == 2);
	CHECK_INT(prom_parse(s, "tattoo_audit_rules",
		      "result=\"fail\",severity=\"high\"", &v),
	    0);
	/* label order: profile, result, severity */
	CHECK(strstr(s,
		  "tattoo_audit_rules{profile=\"cis-l1-server\","
		  "result=\"fail\",severity=\"high\"} 1\n") != NULL);
	CHECK(strstr(s, "tattoo_audit_score{profile=\"cis-l1-server\"} 40\n") !=
	    NULL);
	CHECK(strstr(s,
		  "tattoo_audit_compliant{profile=\"cis-l1-server\"} 0\n") !=
	    NULL);
	/* now is 10 days and 5 seconds after image.published. */
	CHECK(strstr(s, "tattoo_age_seconds 864005\n") != NULL);
	CHECK(strstr(s, "source_version=\"0.2\\\"x\"") != NULL);
	CHECK(strstr(s, "tattoo_drift{flag=\"os_changed\"} 1\n") != NULL);
	CHECK(strstr(s, "tattoo_drift{flag=\"stale\"} 0\n") != NULL);
	CHECK(strstr(s, "flag=\"note\"") == NULL);
	free(s);
	/* The strict reader does reject what it must. */
	CHECK(prom_parse("x 1\n", NULL, NULL, &v) < 0);
	CHECK(
	    prom_parse("# TYPE x gauge\nx{a=\"\\q\"} 1\n", NULL, NULL, &v) < 0);
	CHECK(prom_parse("# TYPE x gauge\nx 1", NULL, NULL, &v) < 0);
	CHECK(
	    prom_parse("# TYPE x gauge\n# TYPE x gauge\n", NULL, NULL, &v) < 0);
	CHECK_INT(prom_parse("# TYPE x gauge\nx{a=\"\\\"\"} 1.5\n", "x", NULL,
		      &v),
	    0);
	CHECK(v == 1.5);
}

static void
test_prom_scrub(void)
{
	char *s = render(tt_format_prom_scrub, scrub_doc, false);
	double v = -1;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_INT(prom_parse(s, "tattoo_scrub_findings", NULL, &v), 0);
	CHECK(v == 3);
	CHECK_INT(prom_parse(s, "tattoo_scrub_findings_by_kind",
		      "kind=\"secret\"", &v),
	    0);
	CHECK(v == 2);
	CHECK(strstr(s,
		  "tattoo_scrub_findings{kind=\"secret\",detector="
		  "\"private_key_pem\"} 2\n") != NULL);
	CHECK(strstr(s, "tattoo_scrub_files_scanned 10\n") != NULL);
	CHECK(strstr(s, "tattoo_present 0\n") != NULL);
	free(s);
}

static void
test_html(void)
{
	char *h = render(tt_format_html_audit, audit_doc, true);

	CHECK(h != NULL);
	if (h == NULL)
		return;
	CHECK(strncmp(h, "<!DOCTYPE html>", 15) == 0);
	CHECK(strstr(h, "id=\"rule-sshd_disable_root_login\"") != NULL);
	CHECK(strstr(h, "id=\"rule-file_permissions_etc_shadow\"") != NULL);
	CHECK(strstr(h, "id=\"rule-c_err\"") != NULL);
	CHECK(strstr(h, "id=\"rule-a_pass\"") == NULL);
	/* Three failing or erring rules, and the manual one to review. */
	CHECK_INT(count(h, "<article "), 4);
	CHECK_INT(count(h, "<article class=\"rule manual\""), 1);
	CHECK(strstr(h, "<h2>To review (1)</h2>") != NULL);
	CHECK(strstr(h, "<tr><th>CIS</th><th>Rule</th>") != NULL);
	CHECK(strstr(h, "@media print") != NULL);
	CHECK(strstr(h, ">40.0%<") != NULL);
	CHECK(strstr(h, "Root &lt;logins&gt;") != NULL);
	CHECK(strstr(h, "1.4.0") != NULL);
	/* Self-contained: nothing that would load another resource. */
	CHECK(strstr(h, "<script") == NULL && strstr(h, "src=") == NULL &&
	    strstr(h, "url(") == NULL && strstr(h, "<link") == NULL &&
	    strstr(h, "@import") == NULL);
	CHECK(strchr(h, '\x01') == NULL && strchr(h, '\x1b') == NULL);
	free(h);
	h = render(tt_format_html_scrub, scrub_doc, false);
	CHECK(h != NULL);
	if (h != NULL) {
		CHECK_INT(count(h, "<tr class=\"finding\">"), 3);
		CHECK(strstr(h, "no tattoo") != NULL);
	}
	free(h);
}

static void
test_sarif_duplicate_rule(void)
{
	struct tt_format_input in = { 0 };
	json_object *log;
	struct tt_buf b;
	char err[128];

	in.doc = parse("{\"results\":[{\"id\":\"a\",\"result\":\"fail\"},"
		       "{\"id\":\"b\",\"result\":\"pass\"},"
		       "{\"id\":\"a\",\"result\":\"fail\"}]}");
	tt_buf_init(&b, 1 << 20);
	CHECK_INT(tt_format_sarif_audit(&in, &b, err, sizeof(err)), 0);
	log = parse(b.data != NULL ? b.data : "");
	CHECK_INT(json_object_array_length(
		      jpath(log, "runs.0.tool.driver.rules")),
	    2);
	CHECK_INT(json_object_array_length(jpath(log, "runs.0.results")), 3);
	CHECK_INT(json_object_get_int(jpath(log, "runs.0.results.2.ruleIndex")),
	    0);
	json_object_put(log);
	json_object_put(in.doc);
	tt_buf_free(&b);
}

static void
test_sarif_invalid_utf8(void)
{
	struct tt_format_input in = { 0 };
	json_object *log;
	struct tt_buf b;
	char err[128];

	/* json-c accepts these bytes in a string; SARIF must not carry them. */
	in.doc = json_object_new_object();
	json_object *results = json_object_new_array();
	json_object *res = json_object_new_object();

	json_object_object_add(res, "id", json_object_new_string("a"));
	json_object_object_add(res, "result", json_object_new_string("fail"));
	json_object_object_add(res, "found",
	    json_object_new_string("bytes \xff\xfe end"));
	json_object_array_add(results, res);
	json_object_object_add(in.doc, "results", results);
	tt_buf_init(&b, 1 << 20);
	CHECK_INT(tt_format_sarif_audit(&in, &b, err, sizeof(err)), 0);
	CHECK(b.data != NULL && tt_utf8_valid(b.data, b.len));
	log = parse(b.data != NULL ? b.data : "");
	CHECK_STR(jstr(log, "runs.0.results.0.properties.found"),
	    "bytes \xef\xbf\xbd\xef\xbf\xbd end");
	json_object_put(log);
	json_object_put(in.doc);
	tt_buf_free(&b);
}

static void
test_html_audit_with_scrub(void)
{
	struct tt_format_input in = { 0 };
	struct tt_buf b;
	char err[256] = "";

	in.doc = parse(audit_doc);
	in.scrub = parse(scrub_doc);
	tt_buf_init(&b, 1 << 20);
	CHECK_INT(tt_format_html_audit(&in, &b, err, sizeof(err)), 0);
	CHECK(b.data != NULL && strstr(b.data, "<h2>Scrub</h2>") != NULL);
	CHECK(b.data != NULL && count(b.data, "<tr class=\"finding\">") == 3);
	CHECK(b.data != NULL && strstr(b.data, "/home/a/k.pem") != NULL);
	json_object_put(in.scrub);
	in.scrub = parse("{\"findings\":[{\"kind\":\"secret\"}]}");
	tt_buf_reset(&b);
	CHECK_INT(tt_format_html_audit(&in, &b, err, sizeof(err)), -EINVAL);
	CHECK_STR(err,
	    "scrub document: findings[0].detector: missing or not a string");
	json_object_put(in.scrub);
	json_object_put(in.doc);
	tt_buf_free(&b);
}

static void
test_bad_documents(void)
{
	static const struct {
		const char *doc, *err;
		bool audit;
	} cases[] = {
		{ "[]", "document: not a JSON object", true },
		{ "{}", "results: missing or not an array", true },
		{ "{\"results\":[1]}", "results[0]: not an object", true },
		{ "{\"results\":[{\"result\":\"pass\"}]}",
		    "results[0].id: missing or not a string", true },
		{ "{\"results\":[{\"id\":\"a\",\"result\":\"ok\"}]}",
		    "results[0].result: unknown result 'ok'", true },
		{ "{\"findings\":{}}", "findings: missing or not an array",
		    false },
		{ "{\"findings\":[{\"kind\":\"secret\",\"detector\":\"x\"}]}",
		    "findings[0].path: missing or not a string", false },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++)
		for (size_t f = 0; f < tt_formats_count; f++) {
			json_object *d = parse(cases[i].doc);
			struct tt_format_input in = { .doc = d };
			tt_format_fn fn = cases[i].audit ? tt_formats[f].audit :
							   tt_formats[f].scrub;
			struct tt_buf b;
			char err[256] = "";

			tt_buf_init(&b, 4096);
			CHECK_INT(fn(&in, &b, err, sizeof(err)), -EINVAL);
			CHECK_STR(err, cases[i].err);
			tt_buf_free(&b);
			json_object_put(d);
		}
}

static void
test_buffer_cap(void)
{
	json_object *d = parse(audit_doc);
	struct tt_format_input in = { .doc = d };

	for (size_t f = 0; f < tt_formats_count; f++) {
		struct tt_buf b;
		char err[64];

		tt_buf_init(&b, 200);
		CHECK_INT(tt_formats[f].audit(&in, &b, err, sizeof(err)),
		    -E2BIG);
		CHECK(b.len <= 200);
		tt_buf_free(&b);
	}
	json_object_put(d);
}

static void
test_emit(void)
{
	char *dir = tt_test_tmpdir(), path[300], back[64] = "";
	struct tt_buf b;
	struct stat st;
	FILE *f;

	tt_buf_init(&b, 64);
	tt_buf_puts(&b, "metric 1\n");
	snprintf(path, sizeof(path), "%s/tattoo.prom", dir);
	CHECK_INT(tt_format_emit(path, &b), 0);
	f = fopen(path, "r");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(fgets(back, sizeof(back), f) != NULL);
		fclose(f);
	}
	CHECK_STR(back, "metric 1\n");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644);
	/* A missing directory is an error, not a file somewhere else. */
	snprintf(path, sizeof(path), "%s/missing/tattoo.prom", dir);
	CHECK_INT(tt_format_emit(path, &b), -ENOENT);
	snprintf(path, sizeof(path), "%s/tattoo.prom", dir);
	unlink(path);
	rmdir(dir);
	free(dir);
	tt_buf_free(&b);
}

int
main(void)
{
	RUN(test_table);
	RUN(test_lookup);
	RUN(test_write_reason);
	RUN(test_usage);
	RUN(test_text_audit);
	RUN(test_text_scrub);
	RUN(test_xml_escape);
	RUN(test_prom_label_escape);
	RUN(test_rule_path);
	RUN(test_section);
	RUN(test_junit_audit);
	RUN(test_junit_scrub);
	RUN(test_sarif_audit);
	RUN(test_sarif_scrub);
	RUN(test_prom_audit);
	RUN(test_prom_scrub);
	RUN(test_html);
	RUN(test_sarif_duplicate_rule);
	RUN(test_sarif_invalid_utf8);
	RUN(test_html_audit_with_scrub);
	RUN(test_bad_documents);
	RUN(test_buffer_cap);
	RUN(test_emit);
	TEST_EXIT();
}
