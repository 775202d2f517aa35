/*
 * Shared by the libFuzzer harnesses (tests/fuzz/fuzz_<parser>.c).  A
 * harness feeds the bytes to one parser and checks what must hold for any
 * input; FUZZ_ASSERT aborts so libFuzzer keeps the input as a crash.
 */
#ifndef TT_FUZZ_H
#define TT_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_ASSERT(cond)                                                  \
	do {                                                               \
		if (!(cond)) {                                             \
			fprintf(stderr, "%s:%d: property failed: %s\n",    \
			    __FILE__, __LINE__, #cond);                    \
			abort();                                           \
		}                                                          \
	} while (0)

/* True when s holds a NUL within size bytes: every fixed-size string a
 * parser fills must stay terminated whatever the input. */
#define FUZZ_TERMINATED(s) (memchr((s), '\0', sizeof(s)) != NULL)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
