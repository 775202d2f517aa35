/*
 * The scrub catalogues and the pieces under the scanner: the built-in
 * catalogues load and cover what DESIGN.md and the issue ask for; a bad
 * catalogue is refused with the file and the field; the keyword automaton
 * finds every occurrence of every keyword in any case, across calls; the
 * allowlist parser names file:line.
 */
#include "scrub/scrub_ac.h"
#include "scrub/scrub_allow.h"
#include "scrub/scrub_catalog.h"
#include "tt.h"
#include "tt_test.h"

static const struct tt_detector *
detector(const struct tt_scrub_catalog *cat, const char *id)
{
	for (size_t i = 0; i < cat->ndetectors; i++)
		if (TT_STREQ(cat->detectors[i].id, id))
			return &cat->detectors[i];
	return NULL;
}

static const struct tt_leftover *
leftover_at(const struct tt_scrub_catalog *cat, const char *path)
{
	for (size_t i = 0; i < cat->nleftovers; i++)
		if (TT_STREQ(cat->leftovers[i].path, path))
			return &cat->leftovers[i];
	return NULL;
}

static void
test_builtin(void)
{
	static const char *const must_detect[] = { "private-key-rsa",
		"private-key-ec", "private-key-pkcs8",
		"private-key-pkcs8-encrypted", "private-key-openssh",
		"private-key-pgp", "private-key-putty",
		"azure-storage-connection-string", "azure-sas-token",
		"azure-entra-client-secret", "azure-cosmos-db-key",
		"azure-service-bus-key", "azure-devops-pat",
		"aws-access-key-id", "aws-secret-access-key",
		"aws-session-token", "gcp-service-account-key", "gcp-api-key",
		"github-pat-classic", "github-pat-fine-grained", "gitlab-pat",
		"bitbucket-app-password", "npm-token", "pypi-token",
		"docker-registry-auth", "kubeconfig-token",
		"kubeconfig-client-key", "slack-token", "slack-webhook",
		"stripe-secret-key", "sendgrid-api-key", "twilio-api-key",
		"jwt", "url-password", "password-assignment",
		"shadow-hash-sha512", NULL };
	static const struct {
		const char *path;
		enum tt_leftover_action action;
	} must_leave[] = {
		{ "/etc/machine-id", TT_LEFTOVER_TRUNCATE },
		{ "/etc/ssh/ssh_host_*_key", TT_LEFTOVER_DELETE },
		{ "/root/.bash_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.bash_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.zsh_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.python_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.lesshst", TT_LEFTOVER_DELETE },
		{ "/home/*/.viminfo", TT_LEFTOVER_DELETE },
		{ "/home/*/.mysql_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.psql_history", TT_LEFTOVER_DELETE },
		{ "/home/*/.ssh/authorized_keys", TT_LEFTOVER_DELETE },
		{ "/var/lib/waagent", TT_LEFTOVER_EMPTY_DIR },
		{ "/var/log/azure", TT_LEFTOVER_EMPTY_DIR },
		{ "/var/lib/cloud", TT_LEFTOVER_EMPTY_DIR },
		{ "/var/lib/dhcp/*.leases", TT_LEFTOVER_DELETE },
		{ "/var/lib/dhcpcd/*", TT_LEFTOVER_DELETE },
		{ "/var/lib/NetworkManager/*.lease", TT_LEFTOVER_DELETE },
		{ "/tmp", TT_LEFTOVER_EMPTY_DIR },
		{ "/var/tmp", TT_LEFTOVER_EMPTY_DIR },
		{ "/root/.azure", TT_LEFTOVER_DELETE },
		{ "/home/*/.aws", TT_LEFTOVER_DELETE },
		{ "/home/*/.kube", TT_LEFTOVER_DELETE },
		{ "/root/.docker/config.json", TT_LEFTOVER_DELETE },
		{ "/home/*/.git-credentials", TT_LEFTOVER_DELETE },
		{ "/root/.netrc", TT_LEFTOVER_DELETE },
		{ "/home/*/.npmrc", TT_LEFTOVER_DELETE },
		{ "/home/*/.pypirc", TT_LEFTOVER_DELETE },
		{ "/var/lib/systemd/coredump/*", TT_LEFTOVER_DELETE },
		{ "/swapfile", TT_LEFTOVER_DELETE },
		{ "/var/cache/apt/archives/*.deb", TT_LEFTOVER_DELETE },
	};
	struct tt_scrub_catalog cat = { 0 };
	char err[512] = "";

	CHECK(tt_scrub_load_builtin(&cat, err, sizeof(err)) == 0);
	CHECK_STR(err, "");
	CHECK(cat.ndetectors >= 40);
	for (size_t i = 0; must_detect[i] != NULL; i++) {
		if (detector(&cat, must_detect[i]) == NULL)
			fprintf(stderr, "# no detector %s\n", must_detect[i]);
		CHECK(detector(&cat, must_detect[i]) != NULL);
	}
	for (size_t i = 0; i < TT_ARRAY_SIZE(must_leave); i++) {
		const struct tt_leftover *l = leftover_at(&cat,
		    must_leave[i].path);

		if (l == NULL || l->action != must_leave[i].action)
			fprintf(stderr, "# leftover %s missing or wrong\n",
			    must_leave[i].path);
		CHECK(l != NULL && l->action == must_leave[i].action);
	}
	for (size_t i = 0; i < cat.ndetectors; i++) {
		CHECK(cat.detectors[i].description[0] != '\0');
		CHECK(cat.detectors[i].nkeywords > 0 ||
		    cat.detectors[i].type == TT_V_PATH);
	}
	for (size_t i = 0; i < cat.nleftovers; i++)
		CHECK(cat.leftovers[i].reason[0] != '\0');
	CHECK(cat.nknown > 0);
	/* The generic detectors take gitleaks' stopwords, the vendor ones
	 * not. */
	CHECK(cat.nstopwords > 1000);
	CHECK(detector(&cat, "token-assignment")->nstopwords ==
	    cat.nstopwords);
	CHECK(detector(&cat, "secret-assignment")->stopwords ==
	    cat.stopwords);
	CHECK(detector(&cat, "github-pat-classic")->stopwords == NULL);
	CHECK(tt_scrub_known_public(&cat, cat.known[0]));
	CHECK(!tt_scrub_known_public(&cat, "00"));
	tt_scrub_catalog_free(&cat);
	tt_scrub_catalog_free(&cat); /* twice: a freed catalogue is empty */
}

static void
test_bad_detectors(void)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "{", "d.json: " },
		{ "{\"schema\": 2, \"detectors\": []}", "d.json: schema: " },
		{ "{\"schema\": 1, \"known_public\": [{\"fingerprint\": \"ab\"}], "
		  "\"detectors\": []}",
		    "d.json: known_public[0].fingerprint: not sha256:" },
		{ "{\"schema\": 1}", "d.json: detectors: missing" },
		{ "{\"schema\": 1, \"detectors\": [1]}",
		    "d.json: detectors[0]: not an object" },
		{ "{\"schema\": 1, \"detectors\": [{\"description\": \"x\"}]}",
		    "d.json: detectors[0].id: missing" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"A b\"}]}",
		    "detectors[0].id: 'A b': not lowercase" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"regex\"}}]}",
		    "d.json: detectors[0] (a).validator.type: unknown validator "
		    "'regex'" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"token\", \"charset\": \"a-z\", "
		  "\"min\": \"8\"}}]}",
		    "d.json: detectors[0] (a).validator.min: not an integer in "
		    "1..4096" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"token\"}}]}",
		    "(a).validator.charset: missing" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"token\", \"charset\": \"z-a\"}}]}",
		    "(a).validator.charset: not a charset" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [], "
		  "\"validator\": {\"type\": \"jwt\"}}]}",
		    "(a).keywords: missing or empty" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"jwt\"}, \"colour\": 1}]}",
		    "(a).colour: unknown field" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"jwt\"}, \"false_positives\": "
		  "{\"entropy\": 9}}]}",
		    "(a).false_positives.entropy: not in 0..8" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"jwt\"}}, {\"id\": \"a\"}]}",
		    "detectors[1].id: 'a' is defined twice" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"token\", \"charset\": \"a-z\", "
		  "\"checksum\": \"luhn\"}}]}",
		    "(a).validator.checksum: unknown checksum 'luhn'" },
		{ "{\"schema\": 1, \"stopwords\": {\"source\": \"s\", "
		  "\"words\": [\"demo\", \"Task\"]}, \"detectors\": []}",
		    "d.json: stopwords.words: [1]: 'Task' is not 2..32 of a-z" },
		{ "{\"schema\": 1, \"stopwords\": {\"source\": \"s\", "
		  "\"words\": [\"task\", \"demo\"]}, \"detectors\": []}",
		    "d.json: stopwords.words: [1]: 'demo' is not after 'task'" },
		{ "{\"schema\": 1, \"stopwords\": {\"source\": \"s\", "
		  "\"words\": [\"demo\", \"demo\"]}, \"detectors\": []}",
		    "stopwords.words: [1]: 'demo' is not after 'demo'" },
		{ "{\"schema\": 1, \"stopwords\": {\"words\": [\"demo\"]}, "
		  "\"detectors\": []}",
		    "d.json: stopwords.source: missing" },
		{ "{\"schema\": 1, \"stopwords\": {\"source\": \"s\", "
		  "\"words\": []}, \"detectors\": []}",
		    "d.json: stopwords.words: missing or empty" },
		{ "{\"schema\": 1, \"detectors\": [{\"id\": \"a\", "
		  "\"description\": \"x\", \"keywords\": [\"abc\"], "
		  "\"validator\": {\"type\": \"jwt\"}, \"false_positives\": "
		  "{\"stopwords\": true}}]}",
		    "(a).false_positives.stopwords: true, but the catalogue has "
		    "no stopwords" },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_scrub_catalog cat = { 0 };
		char err[512] = "";
		int r = tt_scrub_load_detectors(&cat, "d.json", cases[i].doc,
		    strlen(cases[i].doc), err, sizeof(err));

		if (r != -EINVAL || strstr(err, cases[i].want) == NULL)
			fprintf(stderr, "# case %zu: %d '%s'\n", i, r, err);
		CHECK(r == -EINVAL);
		CHECK(strstr(err, cases[i].want) != NULL);
		tt_scrub_catalog_free(&cat);
	}
}

static void
test_bad_leftovers(void)
{
	static const struct {
		const char *doc, *want;
	} cases[] = {
		{ "{\"schema\": 1, \"leftovers\": [{\"id\": \"a\", \"path\": "
		  "\"tmp\", \"action\": \"delete\", \"reason\": \"r\"}]}",
		    "l.json: leftovers[0] (a).path: 'tmp': not an absolute path" },
		{ "{\"schema\": 1, \"leftovers\": [{\"id\": \"a\", \"path\": "
		  "\"/\", \"action\": \"delete\", \"reason\": \"r\"}]}",
		    "(a).path: '/'" },
		{ "{\"schema\": 1, \"leftovers\": [{\"id\": \"a\", \"path\": "
		  "\"/x/../etc\", \"action\": \"delete\", \"reason\": \"r\"}]}",
		    "(a).path: '/x/../etc'" },
		{ "{\"schema\": 1, \"leftovers\": [{\"id\": \"a\", \"path\": "
		  "\"/tmp\", \"action\": \"shred\", \"reason\": \"r\"}]}",
		    "(a).action: 'shred': not delete, truncate, empty-dir or "
		    "remove-account" },
		{ "{\"schema\": 1, \"leftovers\": [{\"id\": \"a\", \"path\": "
		  "\"/tmp\", \"action\": \"delete\"}]}",
		    "(a).reason: missing" },
	};

	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		struct tt_scrub_catalog cat = { 0 };
		char err[512] = "";
		int r = tt_scrub_load_leftovers(&cat, "l.json", cases[i].doc,
		    strlen(cases[i].doc), err, sizeof(err));

		if (r != -EINVAL || strstr(err, cases[i].want) == NULL)
			fprintf(stderr, "# case %zu: %d '%s'\n", i, r, err);
		CHECK(r == -EINVAL && strstr(err, cases[i].want) != NULL);
		tt_scrub_catalog_free(&cat);
	}
}

struct hits {
	uint32_t id[64];
	size_t end[64];
	size_t n;
	size_t base;
};

static void
on_hit(void *arg, uint32_t id, size_t end)
{
	struct hits *h = arg;

	if (h->n < 64) {
		h->id[h->n] = id;
		h->end[h->n] = h->base + end;
	}
	h->n++;
}

static void
on_hit2(void *arg, uint32_t id, size_t end)
{
	struct {
		uint32_t id[4096];
		size_t end[4096];
		size_t n;
		size_t base;
	} *h = arg;

	if (h->n < 4096) {
		h->id[h->n] = id;
		h->end[h->n] = h->base + end;
	}
	h->n++;
}

static bool
has_hit(const struct hits *h, uint32_t id, size_t end)
{
	for (size_t i = 0; i < h->n && i < 64; i++)
		if (h->id[i] == id && h->end[i] == end)
			return true;
	return false;
}

static void
test_automaton(void)
{
	static const char *const pats[] = { "he", "SHE", "his", "hers",
		"ushers" };
	static const char text[] = "UsHeRs said: his shoe, HE!";
	struct tt_ac ac;
	struct hits h = { .n = 0 };
	uint32_t st = TT_AC_START;

	CHECK(tt_ac_build(&ac, pats, TT_ARRAY_SIZE(pats)) == 0);
	tt_ac_scan(&ac, &st, (const uint8_t *)text, sizeof(text) - 1, on_hit,
	    &h);
	/* ushers: she (ends 4), he (4), hers (6), ushers (6); his (16);
	 * he at 25 */
	CHECK(h.n == 6);
	CHECK(has_hit(&h, 1, 4) && has_hit(&h, 0, 4) && has_hit(&h, 3, 6) &&
	    has_hit(&h, 4, 6) && has_hit(&h, 2, 16) && has_hit(&h, 0, 25));
	/* The same text one byte per call: the state carries over. */
	memset(&h, 0, sizeof(h));
	st = TT_AC_START;
	for (size_t i = 0; i < sizeof(text) - 1; i++) {
		h.base = i;
		tt_ac_scan(&ac, &st, (const uint8_t *)text + i, 1, on_hit, &h);
	}
	CHECK(h.n == 6 && has_hit(&h, 4, 6) && has_hit(&h, 0, 25));
	tt_ac_free(&ac);
	tt_ac_free(&ac);
	/* Long inputs are scanned as two interleaved halves: the same
	 * matches, in the same order, as one byte at a time, whatever the
	 * length and wherever keywords fall around the middle. */
	{
		static const char *const kw[] = { "ghp_", "sk", "ab", "bab",
			"-----begin rsa private key-----" };
		static uint8_t buf[70001];
		size_t n = sizeof(buf);
		struct hits2 {
			uint32_t id[4096];
			size_t end[4096];
			size_t n;
			size_t base;
		} *x = calloc(2, sizeof(*x));
		uint64_t r = 12345;

		CHECK(x != NULL);
		if (x == NULL)
			return;
		CHECK(tt_ac_build(&ac, kw, TT_ARRAY_SIZE(kw)) == 0);
		for (size_t len = 8192; len <= n; len += 7919) {
			for (size_t i = 0; i < len; i++) {
				r = r * 6364136223846793005ull + 1;
				buf[i] = "abks-GHP_ "[(r >> 33) % 10];
			}
			for (size_t i = 0; i < 31; i++)
				buf[len / 2 - 15 + i] =
				    (uint8_t)"-----BEGIN RSA PRIVATE KEY-----"[i];
			memset(x, 0, 2 * sizeof(*x));
			st = TT_AC_START;
			tt_ac_scan(&ac, &st, buf, len, on_hit2, &x[0]);
			st = TT_AC_START;
			for (size_t i = 0; i < len; i++) {
				x[1].base = i;
				tt_ac_scan(&ac, &st, buf + i, 1, on_hit2, &x[1]);
			}
			CHECK(x[0].n == x[1].n && x[0].n > 100);
			CHECK(memcmp(x[0].id, x[1].id, sizeof(x[0].id)) == 0);
			CHECK(memcmp(x[0].end, x[1].end, sizeof(x[0].end)) == 0);
		}
		tt_ac_free(&ac);
		free(x);
	}
	{
		static const char *const empty[] = { "" };

		CHECK(tt_ac_build(&ac, empty, 1) == -EINVAL);
	}
}

static void
test_allowlist(void)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "fingerprint abc\n", "a.txt:1: fingerprint: not 64 hex digits" },
		{ "# ok\n\npath relative/x\n", "a.txt:3: path: not an absolute" },
		{ "paths /x\n", "a.txt:1: unknown entry 'paths'" },
		{ "path /a\0b\n", "a.txt:1: NUL byte" },
	};
	struct tt_allowlist al;
	char err[256], fp[65], text[512];

	memset(fp, 'a', 64);
	fp[64] = '\0';
	snprintf(text, sizeof(text),
	    "# reviewed\nfingerprint sha256:%s\n  path /opt/app/test/*  \n"
	    "fingerprint %s\n",
	    fp, fp);
	CHECK(tt_allowlist_parse(&al, "a.txt", text, strlen(text), err,
	    sizeof(err)) == 0);
	CHECK(al.nfingerprints == 2 && al.npaths == 1);
	CHECK(tt_allowlist_match(&al, "/etc/x", fp));
	CHECK(tt_allowlist_match(&al, "/opt/app/test/deep/x.py", NULL));
	CHECK(!tt_allowlist_match(&al, "/opt/app/x.py", NULL));
	fp[0] = 'b';
	CHECK(!tt_allowlist_match(&al, "/etc/x", fp));
	CHECK(!tt_allowlist_match(NULL, "/etc/x", fp));
	tt_allowlist_free(&al);
	for (size_t i = 0; i < TT_ARRAY_SIZE(bad); i++) {
		size_t n = strlen(bad[i].text);

		if (i == 3)
			n = 10; /* the NUL inside */
		err[0] = '\0';
		CHECK(tt_allowlist_parse(&al, "a.txt", bad[i].text, n, err,
		    sizeof(err)) == -EINVAL);
		if (strstr(err, bad[i].want) == NULL)
			fprintf(stderr, "# '%s'\n", err);
		CHECK(strstr(err, bad[i].want) != NULL);
		CHECK(al.npaths == 0 && al.nfingerprints == 0);
	}
}

int
main(void)
{
	RUN(test_builtin);
	RUN(test_bad_detectors);
	RUN(test_bad_leftovers);
	RUN(test_automaton);
	RUN(test_allowlist);
	TEST_EXIT();
}
