#include <string.h>

#include "rpmversion.h"
#include "tt.h"

/* rpm's risdigit and risalpha: ASCII only, whatever the locale. */
static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

static int
alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
sign(int v)
{
	return v < 0 ? -1 : v > 0 ? 1 : 0;
}

/* A port of rpmvercmp with lengths instead of writing NULs into copies. */
int
tt_rpm_vercmp(const char *a, const char *b)
{
	const char *one = a, *two = b;

	if (strcmp(a, b) == 0)
		return 0;
	while (*one || *two) {
		const char *e1, *e2;
		size_t l1, l2;
		int isnum, rc;

		while (*one && !alpha(*one) && !digit(*one) && *one != '~' &&
		    *one != '^')
			one++;
		while (*two && !alpha(*two) && !digit(*two) && *two != '~' &&
		    *two != '^')
			two++;
		/* The tilde sorts before everything else. */
		if (*one == '~' || *two == '~') {
			if (*one != '~')
				return 1;
			if (*two != '~')
				return -1;
			one++;
			two++;
			continue;
		}
		/* The caret too, except that the end sorts before it. */
		if (*one == '^' || *two == '^') {
			if (!*one)
				return -1;
			if (!*two)
				return 1;
			if (*one != '^')
				return 1;
			if (*two != '^')
				return -1;
			one++;
			two++;
			continue;
		}
		if (!(*one && *two))
			break;
		e1 = one;
		e2 = two;
		if (digit(*e1)) {
			while (digit(*e1))
				e1++;
			while (digit(*e2))
				e2++;
			isnum = 1;
		} else {
			while (alpha(*e1))
				e1++;
			while (alpha(*e2))
				e2++;
			isnum = 0;
		}
		if (one == e1)
			return -1; /* cannot happen: *one is alphanumeric */
		/* Different kinds: a number is newer than letters. */
		if (two == e2)
			return isnum ? 1 : -1;
		if (isnum) {
			while (*one == '0' && one < e1)
				one++;
			while (*two == '0' && two < e2)
				two++;
			l1 = (size_t)(e1 - one);
			l2 = (size_t)(e2 - two);
			if (l1 != l2)
				return l1 > l2 ? 1 : -1;
		}
		l1 = (size_t)(e1 - one);
		l2 = (size_t)(e2 - two);
		rc = memcmp(one, two, l1 < l2 ? l1 : l2);
		if (rc == 0 && l1 != l2)
			rc = l1 > l2 ? 1 : -1;
		if (rc != 0)
			return sign(rc);
		one = e1;
		two = e2;
	}
	/* Every run the same, the separators different. */
	if (!*one && !*two)
		return 0;
	return *one ? 1 : -1;
}

/* An epoch as a number when it is one (up to 18 digits). */
static int
epoch_num(const char *e, unsigned long long *ret)
{
	size_t n = e ? strlen(e) : 0;

	*ret = 0;
	if (n == 0)
		return 0;
	if (n > 18 || strspn(e, "0123456789") != n)
		return -1;
	for (size_t i = 0; i < n; i++)
		*ret = *ret * 10 + (unsigned long long)(e[i] - '0');
	return 0;
}

int
tt_rpm_evrcmp(const char *epoch_a, const char *version_a, const char *release_a,
    const char *epoch_b, const char *version_b, const char *release_b)
{
	unsigned long long ea, eb;
	int na = epoch_num(epoch_a, &ea), nb = epoch_num(epoch_b, &eb), r;

	if (na == 0 && nb == 0) {
		if (ea != eb)
			return ea > eb ? 1 : -1;
	} else if ((r = tt_rpm_vercmp(epoch_a ? epoch_a : "",
			epoch_b ? epoch_b : "")) != 0) {
		return r;
	}
	if ((r = tt_rpm_vercmp(version_a ? version_a : "",
		 version_b ? version_b : "")) != 0)
		return r;
	return tt_rpm_vercmp(release_a ? release_a : "",
	    release_b ? release_b : "");
}
