/*
 * The log_forward probe's parsers (probes/log_forward.c): rsyslog text
 * (legacy @/@@ lines, RainerScript action() over lines, comments,
 * quotes) and journal-upload's URL, over arbitrary bytes.  Properties:
 * every target has a non-empty, terminated host of name and address
 * characters and a protocol, a port of digits or a service name, a line within the text's; the URL parser fails or names a
 * host; nothing reads past the input (ASan).
 */
#include <ctype.h>
#include <string.h>

#include "fuzz.h"
#include "tt.h"
#include "util.h"

struct ctx {
	size_t lines;
};

static int
seen(const struct tt_logfwd *t, void *arg)
{
	const struct ctx *c = arg;

	FUZZ_ASSERT(FUZZ_TERMINATED(t->host) && FUZZ_TERMINATED(t->proto) &&
	    FUZZ_TERMINATED(t->port));
	FUZZ_ASSERT(t->host[0] != '\0' && t->proto[0] != '\0');
	for (const char *p = t->host; *p; p++)
		FUZZ_ASSERT(
		    isalnum((unsigned char)*p) || strchr(".:-_%", *p) != NULL);
	for (const char *p = t->port; *p; p++)
		FUZZ_ASSERT(isalnum((unsigned char)*p) || *p == '-');
	FUZZ_ASSERT(t->line >= 1 && t->line <= c->lines);
	FUZZ_ASSERT(tt_logfwd_port(t)[0] != '\0');
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ctx c = { .lines = 1 };
	struct tt_logfwd t;
	char url[1024];

	for (size_t i = 0; i < size; i++)
		c.lines += data[i] == '\n';
	FUZZ_ASSERT(tt_logfwd_rsyslog((const char *)data, size, seen, &c) == 0);
	/* The URL is one line of a file: at most its first 1023 bytes. */
	memcpy(url, data, size < sizeof(url) ? size : sizeof(url) - 1);
	url[size < sizeof(url) ? size : sizeof(url) - 1] = '\0';
	if (tt_logfwd_url(url, &t) == 0)
		FUZZ_ASSERT(t.host[0] != '\0' && FUZZ_TERMINATED(t.host));
	return 0;
}
