#include <ctype.h>

#include "timeutil.h"
#include "tt.h"

static int
digits(const char *s, int n, int *ret)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -EINVAL;
		v = v * 10 + (s[i] - '0');
	}
	*ret = v;
	return 0;
}

int
tt_rfc3339_parse(const char *s, time_t *ret)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30,
		31 };
	int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 0;
	struct tm tm = { 0 };
	time_t t;

	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' ||
	    digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D) ||
	    (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &m) ||
	    s[16] != ':' || digits(s + 17, 2, &sec))
		return -EINVAL;
	s += 19;
	if (*s == '.') {
		s++;
		if (!isdigit((unsigned char)*s))
			return -EINVAL;
		while (isdigit((unsigned char)*s))
			s++;
	}
	if (*s == 'Z' || *s == 'z') {
		s++;
	} else if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		if (digits(s + 1, 2, &oh) || s[3] != ':' ||
		    digits(s + 4, 2, &om) || oh > 23 || om > 59)
			return -EINVAL;
		s += 6;
	} else {
		return -EINVAL;
	}
	if (*s != '\0' || Y < 1970 || M < 1 || M > 12 || D < 1 ||
	    D > mdays[M - 1] || h > 23 || m > 59 || sec > 60)
		return -EINVAL;
	if (M == 2 && D == 29 &&
	    !((Y % 4 == 0 && Y % 100 != 0) || Y % 400 == 0))
		return -EINVAL;
	tm.tm_year = Y - 1900;
	tm.tm_mon = M - 1;
	tm.tm_mday = D;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = sec == 60 ? 59 : sec;
	t = timegm(&tm);
	if (t == (time_t)-1)
		return -EINVAL;
	t -= (time_t)sign * (oh * 3600 + om * 60);
	/* An offset can carry the time out of the four-digit years (or
	 * before 1970) that tt_rfc3339_format can write back. */
	if (t < 0 || t > TT_RFC3339_MAX)
		return -EINVAL;
	*ret = t;
	return 0;
}

void
tt_rfc3339_format(time_t t, char *out)
{
	struct tm tm;

	/* Outside four-digit years strftime would not fit and leave out
	 * undefined; clamp instead (tt_rfc3339_parse never yields such t). */
	if (t < 0)
		t = 0;
	if (t > TT_RFC3339_MAX)
		t = TT_RFC3339_MAX;
	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, TT_RFC3339_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		strlcpy(out, "1970-01-01T00:00:00Z", TT_RFC3339_LEN);
}
