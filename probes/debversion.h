/*
 * Debian package versions compared as dpkg compares them
 * (lib/dpkg/version.c: dpkg_version_compare and verrevcmp): epoch, then
 * upstream version, then revision, each by verrevcmp's rules (runs of
 * non-digits by character, '~' before everything, even the end, letters
 * before other characters; runs of digits as numbers).
 */
#ifndef TT_DEBVERSION_H
#define TT_DEBVERSION_H

/* <0, 0 or >0 as a is older than, the same as or newer than b.  A
 * version whose epoch is not a number compares with epoch 0, as its
 * whole text (dpkg refuses it; an image's lists are not trusted to be
 * well formed, and the comparison must still be a total order). */
int tt_deb_vercmp(const char *a, const char *b);

#endif
