/*
 * The floor of a report round: the same HTTP requests a round made (read
 * from a replay file that measure.py writes from the mock's log), made by
 * the smallest libcurl program, so bench/report can say how much of a
 * round's CPU and memory is tattoo's own and how much libcurl and TLS
 * cost anyway.  Not part of the agent.
 *
 *   floor TRUST REPLAY
 *
 * TRUST is a CA file, "bundle" (libcurl's default store, the system's CA
 * bundle) or "dir:PATH" (a hashed CA directory, tattoo's choice without
 * ca_file).  REPLAY holds records: "METHOD URL", header lines, an empty
 * line, the body's length on a line, the body.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t
sink(char *data, size_t size, size_t n, void *user)
{
	(void)data;
	(void)user;
	return size * n;
}

static void
chomp(char *s)
{
	s[strcspn(s, "\r\n")] = '\0';
}

int
main(int argc, char **argv)
{
	char line[8192], method[16], url[4096];
	FILE *f;
	int failed = 0;

	if (argc != 3 || (f = fopen(argv[2], "r")) == NULL) {
		fprintf(stderr, "usage: floor TRUST REPLAY\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_DEFAULT);
	while (fgets(line, sizeof(line), f) != NULL) {
		struct curl_slist *hdrs = NULL;
		char *body = NULL;
		long len = 0;
		CURL *c;

		chomp(line);
		if (line[0] == '\0' ||
		    sscanf(line, "%15s %4095s", method, url) != 2)
			continue;
		while (
		    fgets(line, sizeof(line), f) != NULL && line[0] != '\n') {
			chomp(line);
			hdrs = curl_slist_append(hdrs, line);
		}
		if (fgets(line, sizeof(line), f) != NULL)
			len = strtol(line, NULL, 10);
		if (len < 0 || len > 64L * 1024 * 1024 ||
		    (body = malloc((size_t)len + 1)) == NULL ||
		    fread(body, 1, (size_t)len, f) != (size_t)len)
			return 2;
		c = curl_easy_init();
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
		curl_easy_setopt(c, CURLOPT_NOPROXY, "*");
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
		if (strncmp(argv[1], "dir:", 4) == 0) {
			curl_easy_setopt(c, CURLOPT_CAINFO, (char *)NULL);
			curl_easy_setopt(c, CURLOPT_CAPATH, argv[1] + 4);
		} else if (strcmp(argv[1], "bundle") != 0) {
			curl_easy_setopt(c, CURLOPT_CAINFO, argv[1]);
		}
		if (len > 0) {
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, len);
		}
		if (curl_easy_perform(c) != CURLE_OK)
			failed++;
		curl_easy_cleanup(c);
		curl_slist_free_all(hdrs);
		free(body);
	}
	(void)fclose(f);
	curl_global_cleanup();
	/* With a trust store that lacks the mock's CA the HTTPS requests
	 * fail by design: their cost is what is measured. */
	return failed > 0 && strncmp(argv[1], "/", 1) == 0 ? 1 : 0;
}
