/* ldflags: -larchive */
/*
 * common/unpack.c over files built here with libarchive's writer: an
 * initramfs laid out as the kernel takes it (an uncompressed early cpio,
 * zero padding, a compressed cpio), each compression, archives end to
 * end, each limit with its reason, damage, cancellation; and single
 * compressed streams as dnf keeps its metadata.
 */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>

#include "buf.h"
#include "unpack.h"
#include "tt.h"
#include "tt_test.h"

static char *dir;

struct mem {
	uint8_t *data;
	size_t len;
};

static void
mem_add(struct mem *m, const void *p, size_t n)
{
	m->data = realloc(m->data, m->len + n);
	memcpy(m->data + m->len, p, n);
	m->len += n;
}

/* A newc cpio of the names (regular files of size bytes each) through
 * filter, as mkinitramfs and dracut write them. */
static void
cpio(struct mem *m, int filter, const char *const *names, size_t size)
{
	struct archive *a = archive_write_new();
	size_t cap = (size_t)8 << 20, used = 0;
	uint8_t *out = malloc(cap);
	char *body = calloc(1, size + 1);

	archive_write_set_format(a, ARCHIVE_FORMAT_CPIO_SVR4_NOCRC);
	if (filter != ARCHIVE_FILTER_NONE)
		archive_write_add_filter(a, filter);
	archive_write_set_bytes_per_block(a, 512);
	archive_write_open_memory(a, out, cap, &used);
	for (size_t i = 0; names[i] != NULL; i++) {
		struct archive_entry *e = archive_entry_new();

		archive_entry_set_pathname(e, names[i]);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)size);
		archive_write_header(a, e);
		archive_write_data(a, body, size);
		archive_entry_free(e);
	}
	archive_write_close(a);
	archive_write_free(a);
	mem_add(m, out, used);
	free(out);
	free(body);
}

/* One stream of data through filter. */
static void
stream(struct mem *m, int filter, const char *data, size_t len)
{
	struct archive *a = archive_write_new();
	size_t cap = (size_t)8 << 20, used = 0;
	uint8_t *out = malloc(cap);
	struct archive_entry *e = archive_entry_new();

	archive_write_set_format_raw(a);
	archive_write_add_filter(a, filter);
	archive_write_open_memory(a, out, cap, &used);
	archive_entry_set_filetype(e, AE_IFREG);
	archive_write_header(a, e);
	archive_write_data(a, data, len);
	archive_entry_free(e);
	archive_write_close(a);
	archive_write_free(a);
	mem_add(m, out, used);
	free(out);
}

/* The bytes as a file; its descriptor. */
static int
file_of(const struct mem *m)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/f", dir);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (m->len > 0 && write(fd, m->data, m->len) != (ssize_t)m->len)
		abort();
	return fd;
}

struct seen {
	char names[2048];
	size_t n;
	size_t stop_after; /* 0: never */
};

static int
on_name(const char *name, void *arg)
{
	struct seen *s = arg;

	if (s->names[0] != '\0')
		strlcat(s->names, " ", sizeof(s->names));
	strlcat(s->names, name, sizeof(s->names));
	s->n++;
	return s->stop_after != 0 && s->n >= s->stop_after ? 1 : 0;
}

static const char *const early[] = { "kernel", "kernel/x86",
	"kernel/x86/microcode/GenuineIntel.bin", NULL };
static const char *const main_[] = { "init",
	"usr/lib/modules/6.1.0-13-amd64/kernel/drivers/hv/hv_vmbus.ko",
	"usr/lib/modules/6.1.0-13-amd64/kernel/drivers/scsi/hv_storvsc.ko.xz",
	NULL };

/* Lists m with the default limits (or lim); the result. */
static int
list(const struct mem *m, const struct tt_unpack_limits *lim, struct seen *s,
    struct tt_unpack_info *info, char *err, size_t errlen)
{
	struct tt_unpack_limits def;
	int fd = file_of(m), r;

	tt_unpack_limits_default(&def);
	r = tt_unpack_names(fd, lim ? lim : &def, on_name, s, info, err,
	    errlen);
	close(fd);
	return r;
}

static void
early_then_compressed(void)
{
	static const int filters[] = { ARCHIVE_FILTER_GZIP, ARCHIVE_FILTER_ZSTD,
		ARCHIVE_FILTER_XZ, ARCHIVE_FILTER_BZIP2, ARCHIVE_FILTER_LZ4,
		ARCHIVE_FILTER_LZMA };
	static const char *const names[] = { "none+gzip", "none+zstd",
		"none+xz", "none+bzip2", "none+lz4", "none+lzma" };

	for (size_t i = 0; i < TT_ARRAY_SIZE(filters); i++) {
		struct mem m = { 0 };
		struct seen s = { 0 };
		struct tt_unpack_info info;
		static const char zeros[1000];
		char err[256] = "";

		cpio(&m, ARCHIVE_FILTER_NONE, early, 100);
		mem_add(&m, zeros, sizeof(zeros)); /* padding */
		cpio(&m, filters[i], main_, 3000);
		CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), 0);
		CHECK_STR(err, "");
		CHECK_INT(s.n, 6);
		CHECK(
		    strstr(s.names, "GenuineIntel.bin init usr/lib/") != NULL);
		CHECK(strstr(s.names, "hv_storvsc.ko.xz") != NULL);
		CHECK_INT(info.segments, 2);
		CHECK_STR(info.filters, names[i]);
		CHECK(info.stopped_compressed);
		/* 3 early members of 100 bytes, 3 of 3000: at least. */
		CHECK(info.output >= 9300);
		free(m.data);
	}
}

static void
compressed_only_and_uncompressed_chain(void)
{
	struct mem m = { 0 };
	struct seen s = { 0 };
	struct tt_unpack_info info;
	char err[256] = "";

	cpio(&m, ARCHIVE_FILTER_ZSTD, main_, 10);
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), 0);
	CHECK_INT(s.n, 3);
	CHECK_STR(info.filters, "zstd");
	free(m.data);

	/* Three uncompressed archives end to end (dracut --no-compress
	 * behind an early cpio), no padding between them. */
	memset(&m, 0, sizeof(m));
	memset(&s, 0, sizeof(s));
	cpio(&m, ARCHIVE_FILTER_NONE, early, 7);
	cpio(&m, ARCHIVE_FILTER_NONE, main_, 13);
	cpio(&m, ARCHIVE_FILTER_NONE, early, 1);
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), 0);
	CHECK_STR(err, "");
	CHECK_INT(s.n, 9);
	CHECK_INT(info.segments, 3);
	CHECK_STR(info.filters, "none+none+none");
	CHECK(!info.stopped_compressed);
	free(m.data);
}

static void
stop_early(void)
{
	struct mem m = { 0 };
	struct seen s = { .stop_after = 2 };
	struct tt_unpack_info info;
	char err[256] = "";

	cpio(&m, ARCHIVE_FILTER_NONE, early, 7);
	cpio(&m, ARCHIVE_FILTER_GZIP, main_, 7);
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), 0);
	CHECK_INT(s.n, 2);
	CHECK_INT(info.segments, 1); /* the one it stopped in */
	free(m.data);
}

static bool
always(void *arg)
{
	return true;
}

static void
limits(void)
{
	struct tt_unpack_limits lim;
	struct mem m = { 0 };
	struct seen s = { 0 };
	struct tt_unpack_info info;
	char err[256] = "";

	cpio(&m, ARCHIVE_FILTER_NONE, early, 100);
	cpio(&m, ARCHIVE_FILTER_GZIP, main_, 300000);

	tt_unpack_limits_default(&lim);
	lim.max_members = 4;
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -E2BIG);
	CHECK_STR(err, "more than 4 members");

	tt_unpack_limits_default(&lim);
	lim.max_output = 500000; /* the second 300 kB member (5th) */
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -EFBIG);
	CHECK_STR(err, "more than 500000 bytes decompressed (member 5)");

	tt_unpack_limits_default(&lim);
	lim.max_input = 100;
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -EFBIG);
	CHECK(strstr(err, "more than the 100 this reads") != NULL);

	tt_unpack_limits_default(&lim);
	lim.max_name = 10;
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -ENAMETOOLONG);
	CHECK_STR(err, "member 3 has a name of more than 10 bytes");

	tt_unpack_limits_default(&lim);
	lim.max_segments = 1;
	free(m.data);
	memset(&m, 0, sizeof(m));
	cpio(&m, ARCHIVE_FILTER_NONE, early, 1);
	cpio(&m, ARCHIVE_FILTER_NONE, early, 1);
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -E2BIG);
	CHECK(strstr(err, "more than 1 archives end to end") != NULL);

	tt_unpack_limits_default(&lim);
	lim.cancelled = always;
	CHECK_INT(list(&m, &lim, &s, &info, err, sizeof(err)), -ETIMEDOUT);
	CHECK(strstr(err, "deadline passed") != NULL);
	free(m.data);
}

static void
damaged(void)
{
	struct mem m = { 0 };
	struct seen s = { 0 };
	struct tt_unpack_info info;
	char err[256] = "";
	struct mem good = { 0 };

	/* Not an archive. */
	mem_add(&m, "hello, this is no cpio archive at all\n", 38);
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), -EINVAL);
	CHECK_STR(err,
	    "at byte 0: neither a cpio archive nor a compression "
	    "this reads");
	free(m.data);

	/* A good early cpio, then a gzip stream cut in half. */
	memset(&m, 0, sizeof(m));
	cpio(&m, ARCHIVE_FILTER_NONE, early, 1);
	cpio(&good, ARCHIVE_FILTER_GZIP, main_, 100000);
	mem_add(&m, good.data, good.len / 2);
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), -EINVAL);
	CHECK(strncmp(err, "decompressing at byte ", 22) == 0);
	free(m.data);
	free(good.data);

	/* A header declaring a name of 2.8 GB (found by fuzz_unpack:
	 * libarchive's cpio reader allocated it): refused from the header,
	 * compressed or not. */
	{
		static const char hdr[] =
		    "070701"
		    "00000001000081A4000000000000000000000001"
		    "000000000000000000000000000000000000000000000000"
		    "AAAAAAAA00000000";

		for (int gz = 0; gz < 2; gz++) {
			struct archive *w = archive_write_new();
			size_t cap = 4096, used = 0;
			uint8_t *out = malloc(cap);

			memset(&m, 0, sizeof(m));
			if (gz) {
				archive_write_set_format_raw(w);
				archive_write_add_filter_gzip(w);
				archive_write_open_memory(w, out, cap, &used);
				{
					struct archive_entry *e =
					    archive_entry_new();

					archive_entry_set_filetype(e, AE_IFREG);
					archive_write_header(w, e);
					archive_entry_free(e);
				}
				archive_write_data(w, hdr, strlen(hdr));
				archive_write_close(w);
				mem_add(&m, out, used);
			} else {
				mem_add(&m, hdr, strlen(hdr));
			}
			archive_write_free(w);
			free(out);
			CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)),
			    -ENAMETOOLONG);
			CHECK_STR(err,
			    "member 1 has a name of more than 1024 bytes");
			free(m.data);
		}
	}

	/* An empty file: no archive, no names. */
	memset(&m, 0, sizeof(m));
	memset(&s, 0, sizeof(s));
	CHECK_INT(list(&m, NULL, &s, &info, err, sizeof(err)), 0);
	CHECK_INT(s.n, 0);
	CHECK_INT(info.segments, 0);
}

static int
inflate_mem(const struct mem *m, uint64_t max, struct tt_buf *out, char *filter,
    char *err, size_t errlen)
{
	struct tt_unpack_limits lim;
	int fd = file_of(m), r;

	tt_unpack_limits_default(&lim);
	if (max > 0)
		lim.max_output = max;
	r = tt_unpack_stream(fd, &lim, out, filter, 32, err, errlen);
	close(fd);
	return r;
}

static void
streams(void)
{
	static const int filters[] = { ARCHIVE_FILTER_GZIP,
		ARCHIVE_FILTER_BZIP2, ARCHIVE_FILTER_XZ, ARCHIVE_FILTER_ZSTD };
	static const char *const names[] = { "gzip", "bzip2", "xz", "zstd" };
	const char xml[] = "<?xml version=\"1.0\"?><updates/>\n";
	struct tt_buf out;
	char filter[32], err[256] = "";
	struct mem m = { 0 };

	for (size_t i = 0; i < TT_ARRAY_SIZE(filters); i++) {
		memset(&m, 0, sizeof(m));
		stream(&m, filters[i], xml, strlen(xml));
		CHECK_INT(inflate_mem(&m, 0, &out, filter, err, sizeof(err)),
		    0);
		CHECK_STR(filter, names[i]);
		CHECK_INT(out.len, strlen(xml));
		CHECK(out.data && memcmp(out.data, xml, out.len) == 0);
		tt_buf_free(&out);
		free(m.data);
	}
	/* Not compressed: given as it is. */
	memset(&m, 0, sizeof(m));
	mem_add(&m, xml, strlen(xml));
	CHECK_INT(inflate_mem(&m, 0, &out, filter, err, sizeof(err)), 0);
	CHECK_STR(filter, "none");
	CHECK_STR(out.data, xml);
	tt_buf_free(&out);
	free(m.data);

	/* A bomb: 4 MB of zeros in a few kB, read with a 1 MB cap. */
	{
		char *zeros = calloc(1, (size_t)4 << 20);

		memset(&m, 0, sizeof(m));
		stream(&m, ARCHIVE_FILTER_XZ, zeros, (size_t)4 << 20);
		CHECK(m.len < 10000);
		CHECK_INT(inflate_mem(&m, (uint64_t)1 << 20, &out, filter, err,
			      sizeof(err)),
		    -EFBIG);
		CHECK_STR(err, "more than 1048576 bytes decompressed");
		CHECK(out.data == NULL);
		free(zeros);
		free(m.data);
	}
	/* A zstd stream cut short. */
	{
		char *text = malloc(200000);

		for (size_t i = 0; i < 200000; i++)
			text[i] = (char)('a' + (i * 7919 % 26));
		memset(&m, 0, sizeof(m));
		stream(&m, ARCHIVE_FILTER_ZSTD, text, 200000);
		m.len /= 2;
		CHECK_INT(inflate_mem(&m, 0, &out, filter, err, sizeof(err)),
		    -EINVAL);
		/* libarchive notices at the open or while reading. */
		CHECK(strstr(err, " at byte ") != NULL);
		free(text);
		free(m.data);
	}
}

int
main(void)
{
	dir = tt_test_tmpdir();
	RUN(early_then_compressed);
	RUN(compressed_only_and_uncompressed_chain);
	RUN(stop_early);
	RUN(limits);
	RUN(damaged);
	RUN(streams);
	tt_test_rmtree(dir);
	free(dir);
	TEST_EXIT();
}
