/*
 * Functions we do not use, made into compile errors as git's banned.h does.
 * Included last by tt.h, after every system header.
 */
#ifndef TT_BANNED_H
#define TT_BANNED_H

#define TT_BANNED(func) sorry_##func##_is_banned_in_tattoo

#undef strcpy
#define strcpy(x, y) TT_BANNED(strcpy)
#undef strcat
#define strcat(x, y) TT_BANNED(strcat)
#undef sprintf
#define sprintf(...) TT_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) TT_BANNED(vsprintf)
#undef gets
#define gets(x) TT_BANNED(gets)
#undef atoi
#define atoi(x) TT_BANNED(atoi)
#undef atol
#define atol(x) TT_BANNED(atol)
#undef strtok
#define strtok(x, y) TT_BANNED(strtok)
#undef system
#define system(x) TT_BANNED(system)
#undef popen
#define popen(x, y) TT_BANNED(popen)
/* tt_strerror() also names tattoo's own codes (TT_ENOTREG...), which
 * strerror() prints as "Unknown error 4096".  Its one call is in
 * tt_strerror() itself, written (strerror)(e) so that neither this macro
 * nor check-banned's pattern matches it. */
#undef strerror
#define strerror(x) TT_BANNED(strerror)

#endif
