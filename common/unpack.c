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

static void
add_filter(struct tt_unpack_info *info, const char *name)
{
	if (info->filters[0] != '\0')
		strlcat(info->filters, "+", sizeof(info->filters));
	strlcat(info->filters, name, sizeof(info->filters));
}

/* One archive from s->off: its members to fn.  1 when fn stopped. */
static int
segment(struct src *s, struct tt_unpack_info *info,
    int (*fn)(const char *name, void *arg), void *arg, char *err, size_t errlen)
{
	const struct tt_unpack_limits *lim = s->lim;
	uint64_t start_off = s->off, base = info->output;
	struct archive_entry *e;
	struct archive *a;
	bool compressed;
	int r = 0;

	if ((a = reader(s, false)) == NULL)
		return -ENOMEM;
	if (archive_read_open1(a) < ARCHIVE_WARN) {
		r = failed(a, s, "opening an archive", start_off, err, errlen);
		goto out;
	}
	for (;;) {
		const char *name;
		int ar = archive_read_next_header(a, &e);
		uint64_t pos;

		if (ar == ARCHIVE_EOF)
			break;
		if (ar < ARCHIVE_WARN) {
			r = failed(a, s, "reading the archive", start_off, err,
			    errlen);
			goto out;
		}
		if (info->members >= lim->max_members) {
			tt_seterr(err, errlen, "more than %zu members",
			    lim->max_members);
			r = -E2BIG;
			goto out;
		}
		/* The member's bytes are decompressed to be skipped: their
		 * declared size counts before that happens. */
		pos = (uint64_t)archive_filter_bytes(a, 0);
		if (archive_entry_size(e) < 0 ||
		    (uint64_t)archive_entry_size(e) > lim->max_output ||
		    base + pos + (uint64_t)archive_entry_size(e) >
			lim->max_output) {
			tt_seterr(err, errlen,
			    "more than %llu bytes decompressed (member %zu)",
			    (unsigned long long)lim->max_output,
			    info->members + 1);
			r = -EFBIG;
			goto out;
		}
		name = archive_entry_pathname(e);
		if (name == NULL)
			name = "";
		if (strlen(name) > lim->max_name) {
			tt_seterr(err, errlen,
			    "member %zu has a name of more than %zu bytes",
			    info->members + 1, lim->max_name);
			r = -ENAMETOOLONG;
			goto out;
		}
		info->members++;
		if ((r = fn(name, arg)) != 0)
			break;
	}
	info->output = base + (uint64_t)archive_filter_bytes(a, 0);
	compressed = archive_filter_code(a, 0) != ARCHIVE_FILTER_NONE;
	add_filter(info, compressed ? archive_filter_name(a, 0) : "none");
	info->segments++;
	if (r == 0 && compressed) {
		/* Its decompressor reads ahead: where it ended in the file
		 * is not known, so nothing after it is read. */
		info->stopped_compressed = true;
		r = 1;
	} else if (r == 0) {
		/* Uncompressed: the reader consumed exactly the archive,
		 * to the end of its trailer. */
		uint64_t used = (uint64_t)archive_filter_bytes(a, 0);

		s->off = start_off + used;
		if (used == 0)
			r = 1;
	}
out:
	archive_read_free(a);
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
		if (info->segments >= lim->max_segments) {
			tt_seterr(err, errlen,
			    "more than %zu archives end to end (byte %llu)",
			    lim->max_segments, (unsigned long long)s.off);
			r = -E2BIG;
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
