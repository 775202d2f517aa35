#include <errno.h>
#include <pthread.h>

#include "regex_cache.h"
#include "tt_test.h"

#define ERE (REG_EXTENDED | REG_NOSUB)

static int
matches(const regex_t *re, const char *s)
{
	return regexec(re, s, 0, NULL, 0) == 0;
}

/* The same pattern with the same flags is one compiled expression; other
 * flags or another pattern are not. */
static void
test_shared(void)
{
	regex_t *a, *b, *c, *d;
	char why[128] = "";

	CHECK_INT(tt_regex_get("^auid>=1000$", ERE, &a, why, sizeof(why)), 0);
	CHECK_INT(tt_regex_get("^auid>=1000$", ERE, &b, why, sizeof(why)), 0);
	CHECK_INT(tt_regex_get("^auid>=1000$", ERE | REG_ICASE, &c, why,
		      sizeof(why)),
	    0);
	CHECK_INT(tt_regex_get("^auid>=1001$", ERE, &d, why, sizeof(why)), 0);
	CHECK(a != NULL && a == b);
	CHECK(c != NULL && c != a);
	CHECK(d != NULL && d != a && d != c);
	CHECK(matches(a, "auid>=1000") && !matches(a, "AUID>=1000"));
	CHECK(matches(c, "AUID>=1000"));
	CHECK(!matches(d, "auid>=1000"));
	tt_regex_put(a);
	tt_regex_put(b);
	tt_regex_put(c);
	tt_regex_put(d);
	tt_regex_put(NULL);
}

/* A holder's expression stays usable while another holder gives its
 * reference back; the last one frees it (LeakSanitizer checks at exit
 * that nothing is left), and the pattern is compiled again after. */
static void
test_references(void)
{
	regex_t *a, *b, *c;
	char why[128] = "";

	CHECK_INT(tt_regex_get("x[0-9]+y", ERE, &a, why, sizeof(why)), 0);
	CHECK_INT(tt_regex_get("x[0-9]+y", ERE, &b, why, sizeof(why)), 0);
	tt_regex_put(a);
	CHECK(matches(b, "ax12yb"));
	tt_regex_put(b);
	CHECK_INT(tt_regex_get("x[0-9]+y", ERE, &c, why, sizeof(why)), 0);
	CHECK(c != NULL && matches(c, "x1y"));
	tt_regex_put(c);
}

/* A pattern regcomp refuses: -EINVAL with its reason, nothing kept. */
static void
test_bad_pattern(void)
{
	regex_t *a = (regex_t *)1;
	char why[128] = "";

	CHECK_INT(tt_regex_get("a(b", ERE, &a, why, sizeof(why)), -EINVAL);
	CHECK(a == NULL);
	CHECK(why[0] != '\0');
	CHECK_INT(tt_regex_get("a(b", ERE, &a, why, sizeof(why)), -EINVAL);
}

/* Many patterns (more than the table's buckets), taken and given back in
 * another order. */
static void
test_many(void)
{
	enum { N = 3000 };
	static regex_t *held[N];
	char pat[32], why[128] = "";

	for (int i = 0; i < N; i++) {
		snprintf(pat, sizeof(pat), "^k%d=[0-9]+$", i);
		CHECK_INT(tt_regex_get(pat, ERE, &held[i], why, sizeof(why)),
		    0);
	}
	CHECK(matches(held[2999], "k2999=5") && !matches(held[2999], "k299=5"));
	for (int i = 0; i < N; i += 2)
		tt_regex_put(held[i]);
	for (int i = 1; i < N; i += 2) {
		snprintf(pat, sizeof(pat), "k%d=7", i);
		CHECK(matches(held[i], pat));
		tt_regex_put(held[i]);
	}
}

static void *
taker(void *arg)
{
	char why[128] = "";

	(void)arg;
	for (int i = 0; i < 2000; i++) {
		regex_t *re;

		if (tt_regex_get(i % 2 ? "^a+$" : "^b+$", ERE, &re, why,
			sizeof(why)) != 0)
			return (void *)1;
		if (!matches(re, i % 2 ? "aaa" : "bb"))
			return (void *)1;
		tt_regex_put(re);
	}
	return NULL;
}

/* Threads taking and giving back the same patterns. */
static void
test_threads(void)
{
	pthread_t t[4];
	void *rv;

	for (int i = 0; i < 4; i++)
		CHECK_INT(pthread_create(&t[i], NULL, taker, NULL), 0);
	for (int i = 0; i < 4; i++) {
		CHECK_INT(pthread_join(t[i], &rv), 0);
		CHECK(rv == NULL);
	}
}

int
main(void)
{
	RUN(test_shared);
	RUN(test_references);
	RUN(test_bad_pattern);
	RUN(test_many);
	RUN(test_threads);
	TEST_EXIT();
}
