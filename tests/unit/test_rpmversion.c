/*
 * probes/rpmversion.c against rpm's own comparison cases (rpm's
 * tests/rpmvercmp.at, RPMVERCMP(a, b, result), including its documented
 * oddities: RhBug 811992 and non-ASCII characters compared equal), and
 * RHEL release strings.  Each was also checked against the host's rpm
 * 4.18 (rpm --eval '%{lua: print(rpm.vercmp(a, b))}'): all agree.
 */
#include "rpmversion.h"
#include "tt.h"
#include "tt_test.h"

static const struct {
	const char *a, *b;
	int want;
} cases[] = {
	{ "1.0", "1.0", 0 },
	{ "1.0", "2.0", -1 },
	{ "2.0", "1.0", 1 },
	{ "2.0.1", "2.0.1", 0 },
	{ "2.0", "2.0.1", -1 },
	{ "2.0.1", "2.0", 1 },
	{ "2.0.1a", "2.0.1a", 0 },
	{ "2.0.1a", "2.0.1", 1 },
	{ "2.0.1", "2.0.1a", -1 },
	{ "5.5p1", "5.5p1", 0 },
	{ "5.5p1", "5.5p2", -1 },
	{ "5.5p2", "5.5p1", 1 },
	{ "5.5p10", "5.5p10", 0 },
	{ "5.5p1", "5.5p10", -1 },
	{ "5.5p10", "5.5p1", 1 },
	{ "10xyz", "10.1xyz", -1 },
	{ "10.1xyz", "10xyz", 1 },
	{ "xyz10", "xyz10", 0 },
	{ "xyz10", "xyz10.1", -1 },
	{ "xyz10.1", "xyz10", 1 },
	{ "xyz.4", "xyz.4", 0 },
	{ "xyz.4", "8", -1 },
	{ "8", "xyz.4", 1 },
	{ "xyz.4", "2", -1 },
	{ "2", "xyz.4", 1 },
	{ "5.5p2", "5.6p1", -1 },
	{ "5.6p1", "5.5p2", 1 },
	{ "5.6p1", "6.5p1", -1 },
	{ "6.5p1", "5.6p1", 1 },
	{ "6.0.rc1", "6.0", 1 },
	{ "6.0", "6.0.rc1", -1 },
	{ "10b2", "10a1", 1 },
	{ "10a2", "10b2", -1 },
	{ "1.0aa", "1.0aa", 0 },
	{ "1.0a", "1.0aa", -1 },
	{ "1.0aa", "1.0a", 1 },
	{ "10.0001", "10.0001", 0 },
	{ "10.0001", "10.1", 0 },
	{ "10.1", "10.0001", 0 },
	{ "10.0001", "10.0039", -1 },
	{ "10.0039", "10.0001", 1 },
	{ "4.999.9", "5.0", -1 },
	{ "5.0", "4.999.9", 1 },
	{ "20101121", "20101121", 0 },
	{ "20101121", "20101122", -1 },
	{ "20101122", "20101121", 1 },
	{ "2_0", "2_0", 0 },
	{ "2.0", "2_0", 0 },
	{ "2_0", "2.0", 0 },
	{ "a", "a", 0 },
	{ "a+", "a+", 0 },
	{ "a+", "a_", 0 },
	{ "a_", "a+", 0 },
	{ "+a", "+a", 0 },
	{ "+a", "_a", 0 },
	{ "_a", "+a", 0 },
	{ "+_", "+_", 0 },
	{ "_+", "+_", 0 },
	{ "_+", "_+", 0 },
	{ "+", "_", 0 },
	{ "_", "+", 0 },
	{ "1.0~rc1", "1.0~rc1", 0 },
	{ "1.0~rc1", "1.0", -1 },
	{ "1.0", "1.0~rc1", 1 },
	{ "1.0~rc1", "1.0~rc2", -1 },
	{ "1.0~rc2", "1.0~rc1", 1 },
	{ "1.0~rc1~git123", "1.0~rc1~git123", 0 },
	{ "1.0~rc1~git123", "1.0~rc1", -1 },
	{ "1.0~rc1", "1.0~rc1~git123", 1 },
	{ "1.0^", "1.0^", 0 },
	{ "1.0^", "1.0", 1 },
	{ "1.0", "1.0^", -1 },
	{ "1.0^git1", "1.0^git1", 0 },
	{ "1.0^git1", "1.0", 1 },
	{ "1.0", "1.0^git1", -1 },
	{ "1.0^git1", "1.0^git2", -1 },
	{ "1.0^git2", "1.0^git1", 1 },
	{ "1.0^git1", "1.01", -1 },
	{ "1.01", "1.0^git1", 1 },
	{ "1.0^20160101", "1.0^20160101", 0 },
	{ "1.0^20160101", "1.0.1", -1 },
	{ "1.0.1", "1.0^20160101", 1 },
	{ "1.0^20160101^git1", "1.0^20160101^git1", 0 },
	{ "1.0^20160102", "1.0^20160101^git1", 1 },
	{ "1.0^20160101^git1", "1.0^20160102", -1 },
	{ "1.0~rc1^git1", "1.0~rc1^git1", 0 },
	{ "1.0~rc1^git1", "1.0~rc1", 1 },
	{ "1.0~rc1", "1.0~rc1^git1", -1 },
	{ "1.0^git1~pre", "1.0^git1~pre", 0 },
	{ "1.0^git1", "1.0^git1~pre", 1 },
	{ "1.0^git1~pre", "1.0^git1", -1 },
	{ "1b.fc17", "1b.fc17", 0 },
	{ "1b.fc17", "1.fc17", -1 },
	{ "1.fc17", "1b.fc17", 1 },
	{ "1g.fc17", "1g.fc17", 0 },
	{ "1g.fc17", "1.fc17", 1 },
	{ "1.fc17", "1g.fc17", -1 },
	{ "1.1.α", "1.1.α", 0 },
	{ "1.1.α", "1.1.β", 0 },
	{ "1.1.β", "1.1.α", 0 },
	{ "1.1.αα", "1.1.α", 0 },
	{ "1.1.α", "1.1.ββ", 0 },
	{ "1.1.ββ", "1.1.αα", 0 },
	{ "3.0.7-24.el9", "3.0.7-25.el9_3", -1 },
	{ "25.el9_3", "25.el9_3.1", -1 },
	{ "26.el9_3", "25.el9_3.1", 1 },
};

static void
rpm_cases(void)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(cases); i++) {
		int got = tt_rpm_vercmp(cases[i].a, cases[i].b);

		if ((got > 0) - (got < 0) != cases[i].want)
			fprintf(stderr, "# %s vs %s: %d, not %d\n", cases[i].a,
			    cases[i].b, got, cases[i].want);
		CHECK_INT((got > 0) - (got < 0), cases[i].want);
		/* And the other way round. */
		got = tt_rpm_vercmp(cases[i].b, cases[i].a);
		CHECK_INT((got > 0) - (got < 0), -cases[i].want);
	}
}

static void
evr(void)
{
	/* The epoch first: 1:1.0 is newer than 0:9.9 and than none. */
	CHECK(tt_rpm_evrcmp("1", "1.0", "1", "0", "9.9", "9") > 0);
	CHECK(tt_rpm_evrcmp("1", "1.0", "1", NULL, "9.9", "9") > 0);
	CHECK(tt_rpm_evrcmp("", "1.0", "1", "0", "1.0", "1") == 0);
	CHECK(tt_rpm_evrcmp("10", "1", "1", "9", "2", "1") > 0);
	/* Then the version, then the release. */
	CHECK(
	    tt_rpm_evrcmp("1", "3.0.7", "27.el9", "1", "3.0.7", "24.el9") > 0);
	CHECK(tt_rpm_evrcmp("0", "5.14.0", "362.8.1.el9_3", "0", "5.14.0",
		  "362.13.1.el9_3") < 0);
	CHECK(tt_rpm_evrcmp("0", "2.0", "1", "0", "10.0", "1") < 0);
	/* An epoch that is not a number: compared as text, still an order. */
	CHECK(tt_rpm_evrcmp("x", "1", "1", "x", "1", "1") == 0);
	CHECK(tt_rpm_evrcmp("x", "1", "1", "y", "1", "1") < 0);
	CHECK(
	    tt_rpm_evrcmp("99999999999999999999", "1", "1", "1", "1", "1") > 0);
}

int
main(void)
{
	RUN(rpm_cases);
	RUN(evr);
	TEST_EXIT();
}
