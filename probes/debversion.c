/*
 * dpkg's version comparison, written from lib/dpkg/version.c (verrevcmp,
 * dpkg_version_compare) and lib/dpkg/parsehelp.c (parseversion): same
 * order, same handling of epochs, upstream versions and revisions.  The
 * unit test runs dpkg's own cases (scripts/t/Dpkg_Version.t).
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "debversion.h"

/* The weight of a character in a non-digit run: '~' sorts before
 * everything, even the end of the string; letters before the rest. */
static int
order(int c)
{
	if (isdigit(c))
		return 0;
	if (isalpha(c))
		return c;
	if (c == '~')
		return -1;
	if (c)
		return c + 256;
	return 0;
}

/* a and b run up to their ends (ae, be) rather than to a NUL. */
static int
verrevcmp(const char *a, const char *ae, const char *b, const char *be)
{
#define AC (a < ae ? (unsigned char)*a : 0)
#define BC (b < be ? (unsigned char)*b : 0)
	while (a < ae || b < be) {
		int first_diff = 0;

		while ((AC && !isdigit(AC)) || (BC && !isdigit(BC))) {
			int ac = order(AC), bc = order(BC);

			if (ac != bc)
				return ac - bc;
			a++;
			b++;
		}
		while (AC == '0')
			a++;
		while (BC == '0')
			b++;
		while (isdigit(AC) && isdigit(BC)) {
			if (!first_diff)
				first_diff = AC - BC;
			a++;
			b++;
		}
		if (isdigit(AC))
			return 1;
		if (isdigit(BC))
			return -1;
		if (first_diff)
			return first_diff;
	}
	return 0;
#undef AC
#undef BC
}

struct ver {
	unsigned long epoch;
	const char *v, *ve, *r, *re;
};

/* parseversion: white space around is dropped; "E:" an epoch; the
 * revision after the last '-' (none: empty). */
static void
parse(const char *s, struct ver *out)
{
	const char *end, *colon, *dash;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	out->epoch = 0;
	colon = memchr(s, ':', (size_t)(end - s));
	if (colon != NULL) {
		char *stop;
		unsigned long e = strtoul(s, &stop, 10);

		if (stop == colon && colon > s && isdigit((unsigned char)*s) &&
		    e <= INT_MAX) {
			out->epoch = e;
			s = colon + 1;
		}
	}
	dash = NULL;
	for (const char *p = s; p < end; p++)
		if (*p == '-')
			dash = p;
	out->v = s;
	if (dash != NULL) {
		out->ve = dash;
		out->r = dash + 1;
		out->re = end;
	} else {
		out->ve = end;
		out->r = out->re = end;
	}
}

int
tt_deb_vercmp(const char *a, const char *b)
{
	struct ver va, vb;
	int rc;

	parse(a, &va);
	parse(b, &vb);
	if (va.epoch != vb.epoch)
		return va.epoch > vb.epoch ? 1 : -1;
	if ((rc = verrevcmp(va.v, va.ve, vb.v, vb.ve)) != 0)
		return rc;
	return verrevcmp(va.r, va.re, vb.r, vb.re);
}
