#include <errno.h>

#include "timeutil.h"
#include "tt_test.h"

static void
test_parse(void)
{
	static const struct {
		const char *in;
		long long want; /* -1: invalid */
	} cases[] = {
		{ "2026-11-24T06:00:00Z", 1795500000 },
		{ "2026-11-24t06:00:00z", 1795500000 },
		{ "2026-11-24 06:00:00Z", 1795500000 },
		{ "2026-11-24T07:30:00+01:30", 1795500000 },
		{ "2026-11-24T04:00:00-02:00", 1795500000 },
		{ "2026-11-24T06:00:00.123456Z", 1795500000 },
		{ "2024-02-29T00:00:00Z", 1709164800 },
		{ "2026-02-29T00:00:00Z", -1 },
		{ "2026-11-24T06:00:00", -1 },
		{ "2026-11-24", -1 },
		{ "2026-13-01T00:00:00Z", -1 },
		{ "2026-11-24T25:00:00Z", -1 },
		{ "2026-11-24T06:00:00Zjunk", -1 },
		{ "2026-11-24T06:00:00.Z", -1 },
		{ "", -1 },
	};
	char out[TT_RFC3339_LEN];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		time_t t = 0;
		int r = tt_rfc3339_parse(cases[i].in, &t);

		if (cases[i].want < 0) {
			if (r != -EINVAL)
				fprintf(stderr, "# accepted %s\n", cases[i].in);
			CHECK_INT(r, -EINVAL);
		} else {
			if (r != 0 || t != cases[i].want)
				fprintf(stderr, "# %s -> %d %lld\n", cases[i].in,
				    r, (long long)t);
			CHECK_INT(r, 0);
			CHECK_INT(t, cases[i].want);
		}
	}
	tt_rfc3339_format(1795500000, out);
	CHECK_STR(out, "2026-11-24T06:00:00Z");
}

int
main(void)
{
	RUN(test_parse);
	TEST_EXIT();
}
