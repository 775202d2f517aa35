/*
 * An Aho-Corasick automaton over byte strings, matched without regard to
 * ASCII case: the scrub prefilter, one pass over every byte of a file for
 * all detectors' keywords.  The automaton is a full DFA over byte classes
 * (the folded bytes that occur in keywords, and one class for all others),
 * each entry the next state's row offset with a flag for "a keyword ends
 * here": the inner loop is two independent loads per byte, the table stays
 * small enough for the CPU's caches, and the state carries across reads,
 * so a keyword split between two reads is found like any other.
 */
#ifndef TT_SCRUB_AC_H
#define TT_SCRUB_AC_H

#include <stddef.h>
#include <stdint.h>

#define TT_AC_MAX_STATES 32768

struct tt_ac {
	uint8_t cls[256]; /* byte -> class */
	size_t ncls;
	uint32_t *delta; /* nstates * ncls: row offset | TT_AC_OUT */
	uint32_t *out_start; /* per state: first index in outs */
	uint32_t *outs; /* pattern ids, per state consecutively */
	uint32_t *pat_len; /* per pattern id */
	size_t nstates, npatterns;
	size_t maxlen; /* longest pattern */
	size_t maxouts; /* most patterns one state reports */
};

#define TT_AC_OUT 0x80000000u

/*
 * Builds the automaton of n patterns (lowercase or not: case is folded),
 * pattern i reported as id i.  0; -EINVAL for an empty pattern; -E2BIG
 * past TT_AC_MAX_STATES; -ENOMEM.
 */
int tt_ac_build(struct tt_ac *ac, const char *const *patterns, size_t n);

void tt_ac_free(struct tt_ac *ac);

/* The start state, for a new input. */
#define TT_AC_START 0u

/*
 * Runs the automaton over data from *state, calling fn for every match, in
 * the order of their ends, with the pattern id and the offset in data just
 * after the match's last byte (the match starts pat_len[id] bytes before
 * it, possibly in earlier data).  *state is updated for the next call.
 */
void tt_ac_scan(const struct tt_ac *ac, uint32_t *state, const uint8_t *data,
    size_t len, void (*fn)(void *arg, uint32_t id, size_t end), void *arg);

#endif
