/* tt_suggest (text.h): the "did you mean" after a typo. */
#include "text.h"
#include "tt.h"
#include "tt_test.h"

static const char *const profiles[] = { "cis-l1-server", "cis-l2-server",
	"cis-l1-workstation", "baseline" };
static const char *const formats[] = { "text", "json", "junit", "sarif", "html",
	"prom" };

static void
test_close(void)
{
	CHECK_STR(tt_suggest("cis-l1-sever", profiles, 4), "cis-l1-server");
	CHECK_STR(tt_suggest("cis-11-server", profiles, 4), "cis-l1-server");
	CHECK_STR(tt_suggest("cis-l2-srevre", profiles, 4), "cis-l2-server");
	CHECK_STR(tt_suggest("jsno", formats, 6), "json");
	CHECK_STR(tt_suggest("JSON", formats, 6), "json");
	CHECK_STR(tt_suggest("htm", formats, 6), "html");
	CHECK_STR(tt_suggest("basline", profiles, 4), "baseline");
}

static void
test_far(void)
{
	CHECK(tt_suggest("xml", formats, 6) == NULL);
	CHECK(tt_suggest("no.such", formats, 6) == NULL);
	CHECK(tt_suggest("cis", profiles, 4) == NULL);
	CHECK(tt_suggest("", formats, 6) == NULL);
	CHECK(tt_suggest(NULL, formats, 6) == NULL);
	CHECK(tt_suggest("json", formats, 0) == NULL);
}

static void
test_edges(void)
{
	static const char *const with_null[] = { NULL, "audit" };
	char longw[200];

	/* An exact match is no typo. */
	CHECK(tt_suggest("json", formats, 6) == NULL);
	/* A swap of neighbours is one edit (OSA), not two. */
	CHECK_STR(tt_suggest("adiut", with_null, 2), "audit");
	/* Ties go to the first candidate. */
	CHECK_STR(tt_suggest("cis-l3-server", profiles, 4), "cis-l1-server");
	memset(longw, 'a', sizeof(longw) - 1);
	longw[sizeof(longw) - 1] = '\0';
	CHECK(tt_suggest(longw, formats, 6) == NULL);
}

int
main(void)
{
	RUN(test_close);
	RUN(test_far);
	RUN(test_edges);
	TEST_EXIT();
}
