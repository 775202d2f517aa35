/*
 * Common includes and small macros for every tattoo source file.  Include
 * it after the system headers a file needs: it ends with banned.h.
 */
#ifndef TT_H
#define TT_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bsd/stdlib.h>
#include <bsd/string.h>

#define TT_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define TT_STREQ(a, b) (strcmp((a), (b)) == 0)

/* Exit codes shared by every command (DESIGN.md). */
enum {
	TT_EXIT_OK = 0,
	TT_EXIT_FAIL = 1,
	TT_EXIT_USAGE = 2,
	TT_EXIT_INPUT = 3,
	TT_EXIT_ENV = 4,
};

/* free() that also clears the pointer; accepts NULL. */
#define TT_FREE(p)                                                             \
	do {                                                                   \
		free(p);                                                       \
		(p) = NULL;                                                    \
	} while (0)

#include "banned.h"

#endif
