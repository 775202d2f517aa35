/* ldflags: -larchive */
/*
 * Scanning inside archives (hardening/scrub/scrub_archive.c) over
 * archives built here in memory with libarchive's writer: the magic
 * sniffing, a member's path and line, a compressed file that is no
 * archive, a secret across the scanner's read boundaries inside a
 * member, nesting, and each limit reported with its reason.
 */
#include <archive.h>
#include <archive_entry.h>

#include "scrub/scrub_archive.h"
#include "scrub/scrub_catalog.h"
#include "tt.h"
#include "tt_test.h"

/* A GitLab token as the built-in detectors know it, on line 2. */
#define SECRET "# app\ntoken = glpat-Zq3kW8vN2pR7tY5xB1mC\n"

static struct tt_scrub_catalog cat;
static struct tt_scanner scanner;

struct got {
	char paths[8][512];
	uint64_t lines[8];
	size_t n;
	char skipped[8][512];
	char reasons[8][160];
	size_t nskipped;
	size_t members;
};

static void
on_secret(void *arg, const char *path, const struct tt_scan_finding *f)
{
	struct got *g = arg;

	if (g->n < 8) {
		strlcpy(g->paths[g->n], path, sizeof(g->paths[0]));
		g->lines[g->n] = f->line;
	}
	g->n++;
}

static void
on_member(void *arg, const char *path)
{
	((struct got *)arg)->members++;
}

static void
on_skipped(void *arg, const char *path, const char *reason)
{
	struct got *g = arg;

	if (g->nskipped < 8) {
		strlcpy(g->skipped[g->nskipped], path, sizeof(g->skipped[0]));
		strlcpy(g->reasons[g->nskipped], reason, sizeof(g->reasons[0]));
	}
	g->nskipped++;
}

struct mem {
	uint8_t *data;
	size_t len;
};

/* An archive of n members (names and contents), in format (an
 * ARCHIVE_FORMAT_* code; ARCHIVE_FORMAT_RAW: one stream) through filter
 * (an ARCHIVE_FILTER_* code). */
static struct mem
build(int format, int filter, size_t n, const char *const *names,
    const struct mem *contents)
{
	struct archive *a = archive_write_new();
	size_t cap = 1 << 20, used = 0;
	struct mem m = { malloc(cap), 0 };

	archive_write_set_format(a, format);
	if (filter != ARCHIVE_FILTER_NONE)
		archive_write_add_filter(a, filter);
	archive_write_set_bytes_in_last_block(a, 1);
	CHECK(archive_write_open_memory(a, m.data, cap, &used) == ARCHIVE_OK);
	for (size_t i = 0; i < n; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)contents[i].len);
		CHECK(archive_write_header(a, e) == ARCHIVE_OK);
		CHECK(archive_write_data(a, contents[i].data,
			  contents[i].len) == (la_ssize_t)contents[i].len);
		archive_entry_free(e);
	}
	CHECK(archive_write_close(a) == ARCHIVE_OK);
	archive_write_free(a);
	m.len = used;
	return m;
}

static struct mem
text(const char *s)
{
	return (struct mem){ (uint8_t *)(uintptr_t)s, strlen(s) };
}

static void
scan(const struct mem *m, const struct tt_archive_limits *lim, struct got *g)
{
	struct tt_archive_limits def;
	struct tt_archive_cb cb = { on_secret, on_member, on_skipped, g };
	char err[256];

	memset(g, 0, sizeof(*g));
	tt_archive_limits_default(&def, (uint64_t)1 << 30);
	CHECK_INT(tt_scan_archive_mem(&scanner, m->data, m->len, "/t",
		      lim ? lim : &def, &cb, err, sizeof(err)),
	    0);
}

static void
test_sniff(void)
{
	static const char *names[] = { "a" };
	struct mem c = text("hello\n");
	struct mem tar =
	    build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_NONE, 1, names, &c);
	uint8_t v7[512];

	CHECK(tt_archive_sniff((const uint8_t *)"\x1f\x8b\x08", 3));
	CHECK(tt_archive_sniff((const uint8_t *)"\xfd"
						"7zXZ\0",
	    6));
	CHECK(tt_archive_sniff((const uint8_t *)"\x28\xb5\x2f\xfd", 4));
	CHECK(tt_archive_sniff((const uint8_t *)"BZh9", 4));
	CHECK(!tt_archive_sniff((const uint8_t *)"BZhx", 4));
	CHECK(tt_archive_sniff((const uint8_t *)"PK\x03\x04", 4));
	CHECK(tt_archive_sniff((const uint8_t *)"!<arch>\n", 8));
	CHECK(tt_archive_sniff((const uint8_t *)"070701", 6));
	CHECK(!tt_archive_sniff((const uint8_t *)"hello world\n", 12));
	CHECK(tt_archive_sniff(tar.data, tar.len));
	/* A v7 header (no "ustar") is a tar by its checksum alone; one
	 * byte changed and it is not. */
	memcpy(v7, tar.data, sizeof(v7));
	memset(v7 + 257, 0, 512 - 257);
	{
		unsigned sum = 0;

		memset(v7 + 148, ' ', 8);
		for (size_t i = 0; i < 512; i++)
			sum += v7[i];
		snprintf((char *)v7 + 148, 8, "%06o", sum);
	}
	CHECK(tt_archive_sniff(v7, sizeof(v7)));
	v7[0] ^= 1;
	CHECK(!tt_archive_sniff(v7, sizeof(v7)));
	CHECK(!tt_archive_sniff(v7, 511));
	free(tar.data);
}

static void
test_member_path_and_line(void)
{
	static const char *names[] = { "./etc/readme", "./etc/app.env" };
	struct mem c[] = { text("nothing\n"), text(SECRET) };
	struct mem m = build(ARCHIVE_FORMAT_TAR_PAX_RESTRICTED,
	    ARCHIVE_FILTER_GZIP, 2, names, c);
	struct got g;

	scan(&m, NULL, &g);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.paths[0], "/t!etc/app.env");
	CHECK_INT(g.lines[0], 2);
	CHECK_INT(g.members, 2);
	CHECK_INT(g.nskipped, 0);
	/* The same with reads of 7 bytes: the token straddles them. */
	scanner.chunk = 7;
	scan(&m, NULL, &g);
	scanner.chunk = TT_SCAN_CHUNK;
	CHECK_INT(g.n, 1);
	CHECK_INT(g.lines[0], 2);
	free(m.data);
}

/* A name is percent-encoded where it could pass for a level or an
 * escape, or move a terminal: '!', '%', controls, DEL, bytes that are no
 * UTF-8 and characters the terminal escaping would change; printable
 * UTF-8 stays. */
static void
test_member_names(void)
{
	static const char *const names[] = { "a!b", "100%", "c%21d",
		"e\x1b[1m\nf", "caf\xc3\xa9", "g\xff\x7fh",
		"bidi\xe2\x80\xaeright", "sp ace\\" };
	static const char *const want[] = { "/t!a%21b", "/t!100%25",
		"/t!c%2521d", "/t!e%1B[1m%0Af", "/t!caf\xc3\xa9", "/t!g%FF%7Fh",
		"/t!bidi%E2%80%AEright", "/t!sp ace\\" };
	struct mem c[8];
	struct mem m;
	struct got g;

	for (size_t i = 0; i < 8; i++)
		c[i] = text(SECRET);
	m = build(ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FILTER_NONE, 8, names, c);
	scan(&m, NULL, &g);
	CHECK_INT(g.n, 8);
	for (size_t i = 0; i < 8 && i < g.n; i++)
		CHECK_STR(g.paths[i], want[i]);
	free(m.data);
}

static void
test_raw_keeps_its_path(void)
{
	static const char *names[] = { "data" };
	struct mem c = text(SECRET);
	struct mem m =
	    build(ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_XZ, 1, names, &c);
	struct got g;

	scan(&m, NULL, &g);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.paths[0], "/t");
	CHECK_INT(g.lines[0], 2);
	free(m.data);
}

static void
test_nested(void)
{
	static const char *inner_names[] = { "config/.env" };
	static const char *outer_names[] = { "inner.zip" };
	struct mem c = text(SECRET);
	struct mem zip =
	    build(ARCHIVE_FORMAT_ZIP, ARCHIVE_FILTER_NONE, 1, inner_names, &c);
	struct mem tgz = build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_BZIP2,
	    1, outer_names, &zip);
	struct tt_archive_limits lim;
	struct got g;

	scan(&tgz, NULL, &g);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.paths[0], "/t!inner.zip!config/.env");
	/* One container allowed: the zip inside is named, not read. */
	tt_archive_limits_default(&lim, (uint64_t)1 << 30);
	lim.max_depth = 1;
	scan(&tgz, &lim, &g);
	CHECK_INT(g.n, 0);
	CHECK_INT(g.nskipped, 1);
	CHECK_STR(g.skipped[0], "/t!inner.zip");
	CHECK_STR(g.reasons[0], "archives nested deeper than 1 (not scanned)");
	free(zip.data);
	free(tgz.data);
}

static void
test_limits(void)
{
	static const char *names[] = { "a.env", "b", "c", "a-long-name" };
	struct mem c[] = { text(SECRET), text("b\n"), text("c\n"),
		text("d\n") };
	struct mem m =
	    build(ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FILTER_GZIP, 4, names, c);
	struct tt_archive_limits lim;
	static char big[300000];
	struct mem bc = { (uint8_t *)big, sizeof(big) }, bm;
	struct got g;

	tt_archive_limits_default(&lim, (uint64_t)1 << 30);
	lim.max_members = 2;
	scan(&m, &lim, &g);
	CHECK_INT(g.n, 1); /* found before the limit: stays found */
	CHECK_INT(g.nskipped, 1);
	CHECK_STR(g.skipped[0], "/t");
	CHECK_STR(g.reasons[0],
	    "archive has more than 2 members (the rest not scanned)");

	tt_archive_limits_default(&lim, (uint64_t)1 << 30);
	lim.max_name = 8;
	scan(&m, &lim, &g);
	CHECK_INT(g.nskipped, 1);
	CHECK_STR(g.skipped[0], "/t");
	CHECK(strstr(g.reasons[0], "longer than 8 bytes") != NULL);
	CHECK_INT(g.members, 3);

	tt_archive_limits_default(&lim, 10);
	scan(&m, &lim, &g);
	CHECK_INT(g.nskipped, 1);
	CHECK_STR(g.skipped[0], "/t!a.env");
	CHECK(strstr(g.reasons[0], "expands past 10 bytes") != NULL);

	/* 300 KB of one byte: gzip makes it a few hundred bytes. */
	memset(big, 'A', sizeof(big));
	bm = build(ARCHIVE_FORMAT_RAW, ARCHIVE_FILTER_GZIP, 1, names, &bc);
	tt_archive_limits_default(&lim, (uint64_t)1 << 30);
	lim.ratio_floor = 1000;
	scan(&bm, &lim, &g);
	CHECK_INT(g.nskipped, 1);
	CHECK(strstr(g.reasons[0], "more than 250 times its size") != NULL);
	lim.ratio_floor = sizeof(big);
	scan(&bm, &lim, &g);
	CHECK_INT(g.nskipped, 0);
	free(bm.data);
	free(m.data);
}

static void
test_damaged(void)
{
	static const char *names[] = { "a.env" };
	struct mem c = text(SECRET);
	struct mem m =
	    build(ARCHIVE_FORMAT_TAR_USTAR, ARCHIVE_FILTER_GZIP, 1, names, &c);
	struct got g;

	m.len /= 2;
	scan(&m, NULL, &g);
	CHECK_INT(g.nskipped, 1);
	CHECK_STR(g.skipped[0], "/t");
	CHECK(strncmp(g.reasons[0], "archive unreadable: ", 20) == 0);
	free(m.data);
	/* A zip's magic and then no zip: listed, and its own bytes are
	 * scanned as any file's. */
	m = text("PK\x03\x04 not a zip\n" SECRET);
	scan(&m, NULL, &g);
	CHECK_INT(g.nskipped, 1);
	CHECK_INT(g.n, 1);
	CHECK_STR(g.paths[0], "/t");
	CHECK_INT(g.lines[0], 3);
}

int
main(void)
{
	char err[256];

	if (tt_scrub_load_builtin(&cat, err, sizeof(err)) < 0 ||
	    tt_scanner_init(&scanner, &cat) < 0) {
		fprintf(stderr, "catalogue: %s\n", err);
		return 2;
	}
	RUN(test_sniff);
	RUN(test_member_path_and_line);
	RUN(test_member_names);
	RUN(test_raw_keeps_its_path);
	RUN(test_nested);
	RUN(test_limits);
	RUN(test_damaged);
	tt_scanner_free(&scanner);
	tt_scrub_catalog_free(&cat);
	TEST_EXIT();
}
