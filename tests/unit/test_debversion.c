/*
 * dpkg's version order (probes/debversion.c) against dpkg's own cases:
 * the __DATA__ of scripts/t/Dpkg_Version.t (each "A B RESULT", the sign
 * of the comparison), and lib/dpkg/t/t-version.c's equality, epoch,
 * version and revision cases.  Every pair is checked both ways.
 */
#include "debversion.h"
#include "tt.h"
#include "tt_test.h"

static const char *const dpkg_cases[] = {
	"1.0-1 2.0-2 -1",
	"2.2~rc-4 2.2-1 -1",
	"2.2-1 2.2~rc-4 1",
	"1.0000-1 1.0-1 0",
	"1 0:1 0",
	"0 0:0-0 0",
	"2:2.5 1:7.5 1",
	"1:0foo 0foo 1",
	"0:0foo 0foo 0",
	"0foo 0foo 0",
	/* Perl's Dpkg::Version takes an empty revision; dpkg itself refuses
	 * the syntax (the lists of an image are not parsed that strictly). */
	"0foo- 0foo 0",
	"0foo- 0foo-0 0",
	"0foo 0fo 1",
	"0foo- 0foo+ -1",
	"0foo~1 0foo -1",
	"0foo~foo+Bar 0foo~foo+bar -1",
	"0foo~~ 0foo~ -1",
	"1~ 1 -1",
	"12345+that-really-is-some-ver-0 12345+that-really-is-some-ver-10 -1",
	"0foo-0 0foo-01 -1",
	"0foo.bar 0foobar 1",
	"0foo.bar 0foo1bar 1",
	"0foo.bar 0foo0bar 1",
	"0foo1bar-1 0foobar-1 -1",
	"0foo2.0 0foo2 1",
	"0foo2.0.0 0foo2.10.0 -1",
	"0foo2.0 0foo2.0.0 -1",
	"0foo2.0 0foo2.10 -1",
	"0foo2.1 0foo2.10 -1",
	"1.09 1.9 0",
	"1.0.8+nmu1 1.0.8 1",
	"3.11 3.10+nmu1 1",
	"0.9j-20080306-4 0.9i-20070324-2 1",
	"1.2.0~b7-1 1.2.0~b6-1 1",
	"1.011-1 1.06-2 1",
	"0.0.9+dfsg1-1 0.0.8+dfsg1-3 1",
	"4.6.99+svn6582-1 4.6.99+svn6496-1 1",
	"53 52 1",
	"0.9.9~pre122-1 0.9.9~pre111-1 1",
	"2:2.3.2-2+lenny2 2:2.3.2-2 1",
	"1:3.8.1-1 3.8.GA-1 1",
	"1.0.1+gpl-1 1.0.1-2 1",
	"1a 1000a -1",
	/* t-version.c (epoch:version-revision) */
	"0:0-0 0:0-0 0",
	"0:0-00 0:00-0 0",
	"1:2-3 1:2-3 0",
	"0:0-0 1:0-0 -1",
	"0:a-0 0:b-0 -1",
	"0:0-a 0:0-b -1",
	/* Debian security updates as they are numbered. */
	"3.0.11-1~deb12u2 3.0.11-1~deb12u3 -1",
	"2.36-9+deb12u4 2.36-9+deb12u10 -1",
	"5.2.15-2+b2 5.2.15-2 1",
	"1.0-1 1.0-1 0",
};

static int
sign(int v)
{
	return (v > 0) - (v < 0);
}

static void
dpkg_data(void)
{
	for (size_t i = 0; i < sizeof(dpkg_cases) / sizeof(*dpkg_cases); i++) {
		char buf[256], *save = NULL, *a, *b, *w;
		int want;

		/* "A B RESULT", RESULT -1, 0 or 1. */
		strlcpy(buf, dpkg_cases[i], sizeof(buf));
		a = strtok_r(buf, " ", &save);
		b = strtok_r(NULL, " ", &save);
		w = strtok_r(NULL, " ", &save);
		if (a == NULL || b == NULL || w == NULL) {
			CHECK(0);
			continue;
		}
		want = TT_STREQ(w, "-1") ? -1 : TT_STREQ(w, "1") ? 1 : 0;
		if (sign(tt_deb_vercmp(a, b)) != want ||
		    sign(tt_deb_vercmp(b, a)) != -want) {
			fprintf(stderr, "# %s: got %d\n", dpkg_cases[i],
			    tt_deb_vercmp(a, b));
			CHECK(0);
		}
	}
}

/* White space around a version is dropped; a bad epoch does not crash
 * and still gives a total order. */
static void
edges(void)
{
	CHECK(tt_deb_vercmp(" 1:1.0-1\n", "1:1.0-1") == 0);
	CHECK(tt_deb_vercmp("", "") == 0);
	CHECK(tt_deb_vercmp("", "0~") > 0);
	CHECK(tt_deb_vercmp("x:1", "x:1") == 0);
	CHECK(tt_deb_vercmp("99999999999999999999:1", "1:1") != 0);
	CHECK(tt_deb_vercmp("1.0-1-2", "1.0-1-10") < 0);
}

int
main(void)
{
	RUN(dpkg_data);
	RUN(edges);
	TEST_EXIT();
}
