/*
 * Text helpers every layer may use: bounded line reading with continuation
 * lines, trimming, comments, quotes, and a growable list of strings.
 */
#ifndef TT_TEXT_H
#define TT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

struct tt_lines {
	const char *p, *end;
	size_t lineno; /* of the last line returned */
	size_t skipped; /* lines longer than the caller's buffer */
};

void tt_lines_init(struct tt_lines *l, const char *data, size_t len);

/*
 * Copies the next line (without its newline) into buf.  With cont, a
 * backslash at the end of a line joins the next one (the backslash is
 * dropped).  *ret_lineno gets the number of the line's first physical
 * line.  Lines that do not fit are skipped and counted.  Returns 1 for a
 * line, 0 at the end.
 */
int tt_lines_next(struct tt_lines *l, char *buf, size_t size, bool cont,
    size_t *ret_lineno);

/* Trims white space in place; returns the first non-blank character. */
char *tt_trim(char *s);

/* True when the first non-blank character of s is '#'. */
bool tt_is_comment(const char *s);

/* A growable list of strings. */
struct tt_strv {
	char **v;
	size_t n, cap;
};

int tt_strv_add(struct tt_strv *sv, const char *s);
void tt_strv_sort(struct tt_strv *sv);
bool tt_strv_has(const struct tt_strv *sv, const char *s);
void tt_strv_free(struct tt_strv *sv);

/*
 * The candidate closest to word, for "did you mean" after a typo, or NULL
 * when none is close: the optimal string alignment distance (insertions,
 * deletions, substitutions, swaps of neighbours; ASCII case ignored) at
 * most 1 for a word of up to 4 characters, 2 up to 8, 3 beyond.  A word
 * equal to a candidate is not a typo: NULL.  Ties go to the first.
 */
const char *tt_suggest(const char *word, const char *const *cands, size_t n);

/* Removes one level of matching single or double quotes in place. */
char *tt_unquote(char *s);

#endif
