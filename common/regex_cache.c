#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "regex_cache.h"
#include "tt.h"

struct entry {
	regex_t re; /* first: the holders' pointer is the entry's */
	struct entry *next; /* in its bucket */
	size_t refs;
	uint32_t hash;
	int cflags;
	char pattern[]; /* NUL-terminated */
};

/* Chained: a pack has a few hundred different patterns, an audit holds
 * one pack. */
#define BUCKETS 1024

static struct entry *buckets[BUCKETS];
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* FNV-1a over the pattern and the flags. */
static uint32_t
hash_of(const char *pattern, int cflags)
{
	uint32_t h = 2166136261u ^ (uint32_t)cflags;

	for (const unsigned char *p = (const unsigned char *)pattern; *p; p++)
		h = (h ^ *p) * 16777619u;
	return h;
}

int
tt_regex_get(const char *pattern, int cflags, regex_t **ret, char *why,
    size_t whylen)
{
	uint32_t h = hash_of(pattern, cflags);
	size_t len = strlen(pattern);
	struct entry *e;
	int r;

	*ret = NULL;
	pthread_mutex_lock(&lock);
	for (e = buckets[h % BUCKETS]; e != NULL; e = e->next)
		if (e->hash == h && e->cflags == cflags &&
		    strcmp(e->pattern, pattern) == 0)
			break;
	if (e != NULL) {
		e->refs++;
		*ret = &e->re;
		pthread_mutex_unlock(&lock);
		return 0;
	}
	if ((e = calloc(1, sizeof(*e) + len + 1)) == NULL) {
		pthread_mutex_unlock(&lock);
		return -ENOMEM;
	}
	if ((r = regcomp(&e->re, pattern, cflags)) != 0) {
		pthread_mutex_unlock(&lock);
		if (r == REG_ESPACE) {
			free(e);
			return -ENOMEM;
		}
		regerror(r, &e->re, why, whylen);
		free(e);
		return -EINVAL;
	}
	memcpy(e->pattern, pattern, len + 1);
	e->hash = h;
	e->cflags = cflags;
	e->refs = 1;
	e->next = buckets[h % BUCKETS];
	buckets[h % BUCKETS] = e;
	*ret = &e->re;
	pthread_mutex_unlock(&lock);
	return 0;
}

void
tt_regex_put(regex_t *re)
{
	struct entry *e = (struct entry *)re, **pp;

	if (re == NULL)
		return;
	pthread_mutex_lock(&lock);
	if (--e->refs > 0) {
		pthread_mutex_unlock(&lock);
		return;
	}
	for (pp = &buckets[e->hash % BUCKETS]; *pp != e; pp = &(*pp)->next)
		;
	*pp = e->next;
	pthread_mutex_unlock(&lock);
	regfree(&e->re);
	free(e);
}
