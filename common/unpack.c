#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <bsd/string.h>

#include "archive_dl.h"
#include "fileio.h"
#include "log.h"
#include "tt.h"
#include "unpack.h"

#define BLOCK ((size_t)64 * 1024)

void
tt_unpack_limits_default(struct tt_unpack_limits *l)
{
	memset(l, 0, sizeof(*l));
	l->max_input = (uint64_t)512 * 1024 * 1024;
	l->max_output = (uint64_t)2 * 1024 * 1024 * 1024;
	l->max_members = 200000;
	l->max_segments = 8;
	l->max_name = 1024;
}

/*
 * The decompressors this libarchive has built in.  Registering one it
 * lacks makes libarchive run the external program instead (ARCHIVE_WARN),
 * so each is tried once on a scratch reader and only the built-in ones
 * are registered on real readers.
 */
enum { F_GZIP, F_BZIP2, F_XZ, F_LZMA, F_ZSTD, F_LZ4, NFILTERS };
static int (*filter_fns[NFILTERS])(struct archive *);
static bool native[NFILTERS];
static pthread_once_t probe_once = PTHREAD_ONCE_INIT;

static void
probe_filters(void)
{
	filter_fns[F_GZIP] = archive_read_support_filter_gzip;
	filter_fns[F_BZIP2] = archive_read_support_filter_bzip2;
	filter_fns[F_XZ] = archive_read_support_filter_xz;
	filter_fns[F_LZMA] = archive_read_support_filter_lzma;
	filter_fns[F_ZSTD] = archive_read_support_filter_zstd;
	filter_fns[F_LZ4] = archive_read_support_filter_lz4;
	for (size_t i = 0; i < NFILTERS; i++) {
		struct archive *t = archive_read_new();

		if (t == NULL)
			continue;
		native[i] = filter_fns[i](t) == ARCHIVE_OK;
		archive_read_free(t);
	}
}

struct src {
	int fd;
	uint64_t off; /* next byte of the file to read */
	uint64_t size; /* the file's size */
	const struct tt_unpack_limits *lim;
	char *block;
	bool cancelled;
	int read_errno;
};

static la_ssize_t
src_read(struct archive *a, void *arg, const void **buf)
{
	struct src *s = arg;
	ssize_t n;

	if (s->lim->cancelled != NULL && s->lim->cancelled(s->lim->arg)) {
		s->cancelled = true;
		archive_set_error(a, ETIMEDOUT, "deadline passed");
		return -1;
	}
	if (s->off >= s->size)
		return 0;
	do
		n = pread(s->fd, s->block, BLOCK, (off_t)s->off);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		s->read_errno = errno;
		archive_set_error(a, errno, "read: %s", tt_strerror(-errno));
		return -1;
	}
	s->off += (uint64_t)n;
	*buf = s->block;
	return n;
}

/* A reader of format cpio (or raw: one stream) over s from s->off. */
static struct archive *
reader(struct src *s, bool raw)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	for (size_t i = 0; i < NFILTERS; i++)
		if (native[i])
			(void)filter_fns[i](a);
	if (raw)
		archive_read_support_format_raw(a);
	else
		archive_read_support_format_cpio(a);
	archive_read_set_read_callback(a, src_read);
	archive_read_set_callback_data(a, s);
	return a;
}

static int
start(int fd, const struct tt_unpack_limits *lim, struct src *s, char *err,
    size_t errlen)
{
	struct stat st;
	char why[256];

	memset(s, 0, sizeof(*s));
	if (tt_archive_dl(why, sizeof(why)) < 0) {
		tt_seterr(err, errlen, "%s", why);
		return -ENOSYS;
	}
	pthread_once(&probe_once, probe_filters);
	if (fstat(fd, &st) < 0) {
		tt_seterr(err, errlen, "fstat: %s", tt_strerror(-errno));
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		tt_seterr(err, errlen, "not a regular file");
		return -EINVAL;
	}
	if ((uint64_t)st.st_size > lim->max_input) {
		tt_seterr(err, errlen,
		    "%llu bytes, more than the %llu this reads",
		    (unsigned long long)st.st_size,
		    (unsigned long long)lim->max_input);
		return -EFBIG;
	}
	s->fd = fd;
	s->size = (uint64_t)st.st_size;
	s->lim = lim;
	if ((s->block = malloc(BLOCK)) == NULL)
		return -ENOMEM;
	return 0;
}

/* What libarchive said, or the cancellation or read error behind it. */
static int
failed(struct archive *a, const struct src *s, const char *what, uint64_t where,
    char *err, size_t errlen)
{
	if (s->cancelled) {
		tt_seterr(err, errlen, "deadline passed while %s", what);
		return -ETIMEDOUT;
	}
	if (s->read_errno != 0) {
		tt_seterr(err, errlen, "%s at byte %llu: %s", what,
		    (unsigned long long)where, tt_strerror(-s->read_errno));
		return -s->read_errno;
	}
	tt_seterr(err, errlen, "%s at byte %llu: %s", what,
	    (unsigned long long)where,
	    archive_error_string(a) ? archive_error_string(a) : "damaged");
	return -EINVAL;
}

/* Moves s->off past the zero bytes at s->off: 1 when data follows, 0 at
 * the end of the file, or a negative errno. */
static int
skip_zeros(struct src *s)
{
	while (s->off < s->size) {
		ssize_t n = pread(s->fd, s->block, BLOCK, (off_t)s->off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : 0;
		for (ssize_t i = 0; i < n; i++)
			if (s->block[i] != '\0') {
				s->off += (uint64_t)i;
				return 1;
			}
		s->off += (uint64_t)n;
	}
	return 0;
}

/*
 * The bytes of one segment: the file itself from an offset (an
 * uncompressed cpio), or what libarchive decompresses from there (format
 * raw: libarchive only decompresses).  The cpio headers are read here,
 * not by libarchive's cpio reader: that one allocates a header's declared
 * name size (up to 4 GiB) before reading it, which the fuzzer found;
 * here a name longer than max_name is refused from its header.
 */
struct bytes {
	struct src *s;
	struct archive *a; /* NULL: the file from s->off */
	char *chunk;
	size_t len, pos;
	uint64_t used; /* bytes of the stream consumed */
	bool eof, decompress_failed;
};

static int
bytes_fill(struct bytes *b)
{
	ssize_t n;

	b->pos = b->len = 0;
	if (b->eof)
		return 0;
	if (b->a != NULL) {
		n = archive_read_data(b->a, b->chunk, BLOCK);
		if (n < 0) {
			b->decompress_failed = true;
			return -EINVAL;
		}
	} else {
		struct src *s = b->s;

		if (s->lim->cancelled != NULL &&
		    s->lim->cancelled(s->lim->arg)) {
			s->cancelled = true;
			return -ETIMEDOUT;
		}
		do
			n = pread(s->fd, b->chunk, BLOCK,
			    (off_t)(s->off + b->used));
		while (n < 0 && errno == EINTR);
		if (n < 0) {
			s->read_errno = errno;
			return -errno;
		}
	}
	if (n == 0)
		b->eof = true;
	b->len = (size_t)n;
	return n > 0 ? 1 : 0;
}

/* n bytes into dst (NULL: skipped): 1, 0 at the end before any, or
 * -EINVAL when the stream ends inside them. */
static int
bytes_read(struct bytes *b, char *dst, uint64_t n)
{
	uint64_t got = 0;
	int r;

	while (got < n) {
		size_t k;

		if (b->pos == b->len && (r = bytes_fill(b)) <= 0)
			return r < 0 ? r : got == 0 ? 0 : -EINVAL;
		k = b->len - b->pos;
		if (k > n - got)
			k = (size_t)(n - got);
		if (dst != NULL)
			memcpy(dst + got, b->chunk + b->pos, k);
		b->pos += k;
		b->used += k;
		got += k;
	}
	return 1;
}

/* Past zero bytes: 1 when more follows, 0 at the end. */
static int
bytes_skip_zeros(struct bytes *b)
{
	int r;

	for (;;) {
		if (b->pos == b->len && (r = bytes_fill(b)) <= 0)
			return r;
		while (b->pos < b->len && b->chunk[b->pos] == '\0') {
			b->pos++;
			b->used++;
		}
		if (b->pos < b->len)
			return 1;
	}
}

static bool
hex8(const char *p, uint32_t *ret)
{
	*ret = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' :
		    c >= 'a' && c <= 'f'     ? c - 'a' + 10 :
		    c >= 'A' && c <= 'F'     ? c - 'A' + 10 :
					       -1;

		if (d < 0)
			return false;
		*ret = *ret << 4 | (uint32_t)d;
	}
	return true;
}

/*
 * The newc cpio archives (the kernel's format) in b, one after another
 * (zero padding between): their names to fn.  1 when fn stopped, 0 at
 * the end of b, 2 at the first trailer when one, a negative errno with
 * err.
 */
static int
newc(struct bytes *b, uint64_t base, struct tt_unpack_info *info,
    int (*fn)(const char *name, void *arg), void *arg, bool one, char *err,
    size_t errlen)
{
	const struct tt_unpack_limits *lim = b->s->lim;
	char hdr[110], *name = NULL;
	int r;

	if ((name = malloc(lim->max_name + 2)) == NULL)
		return -ENOMEM;
	for (bool in_archive = false;;) {
		uint32_t f[13], namesize, filesize;

		if (!in_archive) {
			if ((r = bytes_skip_zeros(b)) < 0)
				goto bad;
			if (r == 0)
				goto out;
			if (info->segments >= lim->max_segments) {
				tt_seterr(err, errlen,
				    "more than %zu archives end to end",
				    lim->max_segments);
				r = -E2BIG;
				goto out;
			}
			info->segments++;
			in_archive = true;
		}
		if ((r = bytes_read(b, hdr, sizeof(hdr))) <= 0) {
			r = r == 0 ? -EINVAL : r;
			goto bad;
		}
		if (memcmp(hdr, "07070", 5) != 0 ||
		    (hdr[5] != '1' && hdr[5] != '2')) {
			r = -EINVAL;
			goto bad;
		}
		for (size_t i = 0; i < 13; i++)
			if (!hex8(hdr + 6 + 8 * i, &f[i])) {
				r = -EINVAL;
				goto bad;
			}
		filesize = f[6];
		namesize = f[11];
		if (namesize == 0 || namesize - 1 > lim->max_name) {
			tt_seterr(err, errlen,
			    "member %zu has a name of more than %zu bytes",
			    info->members + 1, lim->max_name);
			r = -ENAMETOOLONG;
			goto out;
		}
		/* The name, padded so that header and name end on 4. */
		if ((r = bytes_read(b, name, namesize)) <= 0 ||
		    (r = bytes_read(b, NULL, (4 - (110 + namesize) % 4) % 4)) <
			0) {
			r = r == 0 ? -EINVAL : r;
			goto bad;
		}
		name[namesize - 1] = '\0';
		if (TT_STREQ(name, "TRAILER!!!")) {
			if (one) {
				r = 2;
				goto out;
			}
			in_archive = false;
			continue;
		}
		if (info->members >= lim->max_members) {
			tt_seterr(err, errlen, "more than %zu members",
			    lim->max_members);
			r = -E2BIG;
			goto out;
		}
		/* Counted before its bytes are decompressed to skip them. */
		if (base + b->used + filesize > lim->max_output) {
			tt_seterr(err, errlen,
			    "more than %llu bytes decompressed (member %zu)",
			    (unsigned long long)lim->max_output,
			    info->members + 1);
			r = -EFBIG;
			goto out;
		}
		info->members++;
		if ((r = fn(name, arg)) != 0)
			goto out;
		if ((r = bytes_read(b, NULL,
			 (uint64_t)filesize + (4 - filesize % 4) % 4)) <= 0) {
			r = r == 0 ? -EINVAL : r;
			goto bad;
		}
	}
bad:
	if (r == -EINVAL)
		tt_seterr(err, errlen,
		    "not a cpio archive, or a damaged one, at byte %llu of "
		    "the %s",
		    (unsigned long long)(b->a ? b->used : b->s->off + b->used),
		    b->a ? "decompressed data" : "file");
	else if (r == -ETIMEDOUT)
		tt_seterr(err, errlen, "deadline passed");
	else
		tt_seterr(err, errlen, "read: %s", tt_strerror(r));
out:
	free(name);
	return r;
}

static void
add_filter(struct tt_unpack_info *info, const char *name, size_t from)
{
	/* One name per archive read from that stream. */
	for (size_t i = from; i < info->segments; i++) {
		if (info->filters[0] != '\0')
			strlcat(info->filters, "+", sizeof(info->filters));
		strlcat(info->filters, name, sizeof(info->filters));
	}
}

/*
 * The archives from s->off: uncompressed ones straight from the file
 * (their end is known exactly, and what follows is read next), or a
 * compressed stream through libarchive (read to its end; its
 * decompressor reads ahead, so where it ended in the file is not known
 * and nothing after it is read).  1 when done, 0 to go on.
 */
static int
segment(struct src *s, struct tt_unpack_info *info,
    int (*fn)(const char *name, void *arg), void *arg, char *err, size_t errlen)
{
	struct bytes b = { .s = s, .chunk = s->block };
	size_t from = info->segments;
	uint64_t start_off = s->off; /* libarchive's reads move s->off */
	char magic[6];
	ssize_t n;
	int r;

	do
		n = pread(s->fd, magic, sizeof(magic), (off_t)s->off);
	while (n < 0 && errno == EINTR);
	if (n == (ssize_t)sizeof(magic) && memcmp(magic, "07070", 5) == 0) {
		/* Uncompressed: up to its trailer, then back here. */
		r = newc(&b, info->output, info, fn, arg, true, err, errlen);
		info->output += b.used;
		add_filter(info, "none", from);
		if (r == 2) {
			s->off += b.used;
			return 0;
		}
		return r < 0 ? r : 1;
	}
	if ((b.a = reader(s, true)) == NULL)
		return -ENOMEM;
	if ((b.chunk = malloc(BLOCK)) == NULL) {
		archive_read_free(b.a);
		return -ENOMEM;
	}
	{
		struct archive_entry *e;

		if (archive_read_open1(b.a) < ARCHIVE_WARN ||
		    archive_read_next_header(b.a, &e) != ARCHIVE_OK) {
			r = failed(b.a, s, "opening an archive", start_off, err,
			    errlen);
			goto out;
		}
	}
	if (archive_filter_code(b.a, 0) == ARCHIVE_FILTER_NONE) {
		tt_seterr(err, errlen,
		    "at byte %llu: neither a cpio archive nor a compression "
		    "this reads",
		    (unsigned long long)start_off);
		r = -EINVAL;
		goto out;
	}
	r = newc(&b, info->output, info, fn, arg, false, err, errlen);
	if (b.decompress_failed)
		r = failed(b.a, s, "decompressing", start_off, err, errlen);
	info->output += b.used;
	add_filter(info, archive_filter_name(b.a, 0), from);
	if (r == 0)
		info->stopped_compressed = true;
	r = r < 0 ? r : 1;
out:
	archive_read_free(b.a);
	free(b.chunk);
	return r;
}

int
tt_unpack_names(int fd, const struct tt_unpack_limits *lim,
    int (*fn)(const char *name, void *arg), void *arg,
    struct tt_unpack_info *info, char *err, size_t errlen)
{
	struct src s;
	int r;

	memset(info, 0, sizeof(*info));
	if ((r = start(fd, lim, &s, err, errlen)) < 0)
		return r;
	for (;;) {
		if ((r = skip_zeros(&s)) <= 0) {
			if (r < 0)
				tt_seterr(err, errlen, "read: %s",
				    tt_strerror(r));
			break;
		}
		if ((r = segment(&s, info, fn, arg, err, errlen)) != 0)
			break;
	}
	free(s.block);
	return r < 0 ? r : 0;
}

int
tt_unpack_stream(int fd, const struct tt_unpack_limits *lim, struct tt_buf *out,
    char *filter, size_t filterlen, char *err, size_t errlen)
{
	struct archive_entry *e;
	struct archive *a = NULL;
	char *chunk = NULL;
	struct src s;
	int r;

	tt_buf_init(out,
	    lim->max_output > SIZE_MAX - 1 ? SIZE_MAX - 1 :
					     (size_t)lim->max_output);
	if (filter != NULL && filterlen > 0)
		filter[0] = '\0';
	if ((r = start(fd, lim, &s, err, errlen)) < 0)
		return r;
	/* Not s.block: that holds the compressed bytes being read. */
	if ((chunk = malloc(BLOCK)) == NULL || (a = reader(&s, true)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	if (archive_read_open1(a) < ARCHIVE_WARN) {
		r = failed(a, &s, "opening the stream", 0, err, errlen);
		goto out;
	}
	r = archive_read_next_header(a, &e);
	if (r == ARCHIVE_EOF) {
		r = 0; /* an empty file */
		goto out;
	}
	if (r < ARCHIVE_WARN) {
		r = failed(a, &s, "reading the stream", 0, err, errlen);
		goto out;
	}
	if (filter != NULL && filterlen > 0)
		strlcpy(filter,
		    archive_filter_code(a, 0) == ARCHIVE_FILTER_NONE ?
			"none" :
			archive_filter_name(a, 0),
		    filterlen);
	for (;;) {
		la_ssize_t n = archive_read_data(a, chunk, BLOCK);

		if (n == 0) {
			r = 0;
			break;
		}
		if (n < 0) {
			r = failed(a, &s, "decompressing",
			    (uint64_t)archive_filter_bytes(a, -1), err, errlen);
			break;
		}
		if ((r = tt_buf_append(out, chunk, (size_t)n)) < 0) {
			if (r == -E2BIG) {
				tt_seterr(err, errlen,
				    "more than %llu bytes decompressed",
				    (unsigned long long)lim->max_output);
				r = -EFBIG;
			}
			break;
		}
	}
out:
	if (a != NULL)
		archive_read_free(a);
	free(chunk);
	free(s.block);
	if (r < 0)
		tt_buf_free(out);
	return r;
}
