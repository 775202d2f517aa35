#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "archive_dl.h"
#include "log.h"
#include "scrub_archive.h"
#include "term.h"
#include "tt.h"

/* What one level asks of the level or file below it at a time. */
#define BLOCK ((size_t)64 << 10)
/* A member's first bytes, enough for tt_archive_sniff. */
#define PEEK 512

struct ctx;

/* One container being read: the file itself or a member of the level
 * above it (parent). */
struct level {
	struct ctx *c;
	struct level *parent;
	struct archive *a;
	size_t pathlen; /* c->path up to this container */
	const uint8_t *peek; /* the member's first bytes, already pulled */
	size_t npeek, peekoff;
	uint8_t *block;
	bool failed; /* said damaged, or its parent did */
};

struct ctx {
	const struct tt_scanner *s;
	const struct tt_archive_limits *lim;
	const struct tt_archive_cb *cb;
	int fd; /* or mem */
	const uint8_t *mem;
	size_t memlen, memoff;
	uint64_t size; /* of the file on disk: the ratio's base */
	uint64_t in, expanded, members;
	bool stopped;
	char stop_reason[160];
	char stop_path[PATH_MAX];
	char path[PATH_MAX];
};

void
tt_archive_limits_default(struct tt_archive_limits *l, uint64_t max_bytes)
{
	l->max_bytes = max_bytes;
	l->max_ratio = TT_ARCHIVE_MAX_RATIO;
	l->ratio_floor = TT_ARCHIVE_RATIO_FLOOR;
	l->max_members = TT_ARCHIVE_MAX_MEMBERS;
	l->max_depth = TT_ARCHIVE_MAX_DEPTH;
	l->max_name = TT_ARCHIVE_MAX_NAME;
}

/* A tar header: its checksum (the sum of its bytes, the checksum field
 * counted as spaces) matches, which every flavour since v7 has. */
static bool
tar_header(const uint8_t *p, size_t n)
{
	uint64_t sum = 0, want = 0;
	size_t i = 148;

	if (n < 512 || p[0] == '\0')
		return false;
	for (size_t k = 0; k < 512; k++)
		sum += k >= 148 && k < 156 ? ' ' : p[k];
	while (i < 156 && p[i] == ' ')
		i++;
	if (i == 156 || p[i] < '0' || p[i] > '7')
		return false;
	for (; i < 156 && p[i] >= '0' && p[i] <= '7'; i++)
		want = want * 8 + (uint64_t)(p[i] - '0');
	return want == sum;
}

bool
tt_archive_sniff(const uint8_t *p, size_t n)
{
	return (n >= 2 && p[0] == 0x1f && p[1] == 0x8b) ||
	    (n >= 6 && memcmp(p, "\xfd\x37\x7a\x58\x5a\x00", 6) == 0) ||
	    (n >= 4 && memcmp(p, "\x28\xb5\x2f\xfd", 4) == 0) ||
	    (n >= 4 && memcmp(p, "BZh", 3) == 0 && p[3] >= '1' &&
		p[3] <= '9') ||
	    (n >= 4 && memcmp(p, "PK\x03\x04", 4) == 0) ||
	    (n >= 8 && memcmp(p, "!<arch>\n", 8) == 0) ||
	    (n >= 6 &&
		(memcmp(p, "070701", 6) == 0 || memcmp(p, "070702", 6) == 0 ||
		    memcmp(p, "070707", 6) == 0)) ||
	    tar_header(p, n);
}

/* c->path cut to len for a callback. */
static void
report_at(struct ctx *c, size_t len, const char *reason)
{
	char keep = c->path[len];

	c->path[len] = '\0';
	c->cb->skipped(c->cb->arg, c->path, reason);
	c->path[len] = keep;
}

/* A limit reached: the file is not read further.  Said once, by the
 * outermost level, with the member whose bytes reached it. */
static void
stop(struct ctx *c, const char *reason)
{
	if (c->stopped)
		return;
	c->stopped = true;
	strlcpy(c->stop_reason, reason, sizeof(c->stop_reason));
	strlcpy(c->stop_path, c->path, sizeof(c->stop_path));
}

static void
damaged(struct level *l)
{
	struct ctx *c = l->c;
	char reason[160];
	const char *why = archive_error_string(l->a);

	if (l->failed || c->stopped)
		return;
	l->failed = true;
	snprintf(reason, sizeof(reason), "archive unreadable: %s (%s)",
	    why != NULL ? why : "unknown error", "the rest not scanned");
	report_at(c, l->pathlen, reason);
}

static bool
over_limits(struct ctx *c)
{
	const struct tt_archive_limits *lim = c->lim;
	uint64_t base = c->size > 0 ? c->size : 1;
	char reason[160];

	if (c->expanded > lim->max_bytes) {
		snprintf(reason, sizeof(reason),
		    "archive expands past %llu bytes (--max-file-size; the "
		    "rest not scanned)",
		    (unsigned long long)lim->max_bytes);
		stop(c, reason);
	} else if (c->expanded > lim->ratio_floor &&
	    c->expanded / base > lim->max_ratio) {
		snprintf(reason, sizeof(reason),
		    "archive expands more than %llu times its size (the rest "
		    "not scanned)",
		    (unsigned long long)lim->max_ratio);
		stop(c, reason);
	}
	return c->stopped;
}

/* Bytes of l's current member, counted against the limits. */
static ssize_t
pull(struct level *l, void *buf, size_t len)
{
	struct ctx *c = l->c;
	la_ssize_t n;

	if (c->stopped)
		return -ECANCELED;
	n = archive_read_data(l->a, buf, len);
	if (n < 0) {
		damaged(l);
		return -EIO;
	}
	c->expanded += (uint64_t)n;
	if (over_limits(c))
		return -ECANCELED;
	return (ssize_t)n;
}

static la_ssize_t
outer_read(struct archive *a, void *data, const void **buf)
{
	struct level *l = data;
	struct ctx *c = l->c;
	ssize_t n;

	if (c->fd < 0) {
		n = (ssize_t)(c->memlen - c->memoff < BLOCK ?
			c->memlen - c->memoff :
			BLOCK);
		*buf = c->mem + c->memoff;
		c->memoff += (size_t)n;
		c->in += (uint64_t)n;
		return n;
	}
	do
		n = read(c->fd, l->block, BLOCK);
	while (n < 0 && errno == EINTR);
	if (n < 0) {
		archive_set_error(a, errno, "read: %s", tt_strerror(-errno));
		return ARCHIVE_FATAL;
	}
	*buf = l->block;
	c->in += (uint64_t)n;
	return n;
}

static la_ssize_t
inner_read(struct archive *a, void *data, const void **buf)
{
	struct level *l = data;
	ssize_t n;

	if (l->peekoff < l->npeek) {
		*buf = l->peek + l->peekoff;
		n = (ssize_t)(l->npeek - l->peekoff);
		l->peekoff = l->npeek;
		return n;
	}
	if ((n = pull(l->parent, l->block, BLOCK)) < 0) {
		/* The level above said why (or a limit did). */
		l->failed = true;
		archive_set_error(a, EIO, "the container is unreadable");
		return ARCHIVE_FATAL;
	}
	*buf = l->block;
	return n;
}

/* Only what is linked in: without its library libarchive would run an
 * external program (gzip -d), which a scan of an image never does. */
static struct archive *
new_reader(void)
{
	struct archive *a = archive_read_new();

	if (a == NULL)
		return NULL;
	if (archive_zlib_version() != NULL)
		archive_read_support_filter_gzip(a);
	if (archive_bzlib_version() != NULL)
		archive_read_support_filter_bzip2(a);
	if (archive_liblzma_version() != NULL) {
		archive_read_support_filter_xz(a);
		archive_read_support_filter_lzma(a);
	}
	if (archive_libzstd_version() != NULL)
		archive_read_support_filter_zstd(a);
	archive_read_support_format_tar(a);
	archive_read_support_format_gnutar(a);
	archive_read_support_format_ar(a);
	archive_read_support_format_cpio(a);
	/* Streamable: the seekable reader loads the whole central
	 * directory, memory a hostile zip chooses. */
	archive_read_support_format_zip_streamable(a);
	/* Last resort, lowest bid: a compressed file that is no archive. */
	archive_read_support_format_raw(a);
	return a;
}

/* A member's name as it shows in a finding's path: '!' (the separator
 * of levels), '%' (the escape itself), controls, DEL and bytes that a
 * terminal would not show as they are (not UTF-8, or a character that
 * moves the cursor or turns the text) as %HH, the other bytes as they
 * are.  So a path splits at every '!' and each name decodes back to its
 * bytes, as a URI's path does.  out holds 3 bytes for each of name's. */
static void
member_encode(const char *name, char *out, size_t size)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)name;
	size_t o = 0;

	while (*p != '\0' && o + 4 <= size) {
		size_t n = 1;
		bool keep;

		if (*p >= 0x80) {
			/* A UTF-8 sequence stays when the terminal
			 * escaping leaves it as it is. */
			char seq[8], chk[32];

			n = *p >= 0xf0 ? 4 :
			    *p >= 0xe0 ? 3 :
			    *p >= 0xc0 ? 2 :
					 1;
			for (size_t k = 1; k < n; k++)
				if ((p[k] & 0xc0) != 0x80)
					n = 1;
			memcpy(seq, p, n);
			seq[n] = '\0';
			strlcpy(chk, seq, sizeof(chk));
			tt_term_sanitize(chk, sizeof(chk), TT_TERM_FIELD);
			keep = n > 1 && strcmp(chk, seq) == 0;
		} else {
			keep = *p > 0x20 && *p < 0x7f && *p != '!' && *p != '%';
			keep = keep || *p == ' ';
		}
		if (keep && o + n < size) {
			memcpy(out + o, p, n);
			o += n;
		} else {
			for (size_t k = 0; k < n && o + 4 <= size; k++) {
				out[o++] = '%';
				out[o++] = hex[p[k] >> 4];
				out[o++] = hex[p[k] & 15];
			}
		}
		p += n;
	}
	out[o] = '\0';
}

/* Appends "!name" to c->path: its new length, or 0 when the name is too
 * long (the member is then left out, and said). */
static size_t
member_path(struct level *l, struct archive_entry *e)
{
	struct ctx *c = l->c;
	const char *name = archive_entry_pathname(e);
	char esc[TT_ARCHIVE_MAX_NAME * 4 + 8];
	size_t len, cur = strlen(c->path);

	if (archive_format(l->a) == ARCHIVE_FORMAT_RAW)
		return cur; /* the compressed file's own bytes */
	if (name == NULL)
		name = archive_entry_pathname_utf8(e);
	if (name == NULL)
		name = "?";
	while (name[0] == '/' || (name[0] == '.' && name[1] == '/'))
		name += name[0] == '/' ? 1 : 2;
	len = strlen(name);
	if (len > c->lim->max_name || len > TT_ARCHIVE_MAX_NAME) {
		char reason[160];

		snprintf(reason, sizeof(reason),
		    "a member's name is longer than %zu bytes (that member "
		    "not scanned)",
		    c->lim->max_name);
		report_at(c, cur, reason);
		return 0;
	}
	/* Names are data: encoded once here, every format shows them as
	 * they are now (a name cannot start a line, move the cursor or
	 * pass for a level: '!' is the separator). */
	member_encode(name[0] ? name : "?", esc, sizeof(esc));
	if (cur + 1 + strlen(esc) >= sizeof(c->path)) {
		report_at(c, cur,
		    "a member's path is longer than PATH_MAX (that member "
		    "not scanned)");
		return 0;
	}
	c->path[cur] = '!';
	strlcpy(c->path + cur + 1, esc, sizeof(c->path) - cur - 1);
	return strlen(c->path);
}

struct member {
	struct level *l;
	const uint8_t *peek;
	size_t npeek, off;
};

static ssize_t
member_read(void *arg, uint8_t *buf, size_t len)
{
	struct member *m = arg;

	if (m->off < m->npeek) {
		size_t n = m->npeek - m->off < len ? m->npeek - m->off : len;

		memcpy(buf, m->peek + m->off, n);
		m->off += n;
		return (ssize_t)n;
	}
	return pull(m->l, buf, len);
}

static void
on_secret(void *arg, const struct tt_scan_finding *f)
{
	struct ctx *c = arg;

	c->cb->secret(c->cb->arg, c->path, f);
}

static int read_level(struct level *l, unsigned depth);

/* The member whose first bytes are peek is an archive: read it as the
 * next level. */
static int
nested(struct level *parent, const uint8_t *peek, size_t npeek, unsigned depth)
{
	struct ctx *c = parent->c;
	struct level l = { .c = c,
		.parent = parent,
		.peek = peek,
		.npeek = npeek,
		.pathlen = strlen(c->path) };
	int r;

	l.block = malloc(BLOCK);
	l.a = new_reader();
	if (l.block == NULL || l.a == NULL) {
		r = -ENOMEM;
		goto out;
	}
	archive_read_set_read_callback(l.a, inner_read);
	archive_read_set_callback_data(l.a, &l);
	if (archive_read_open1(l.a) < ARCHIVE_WARN) {
		damaged(&l);
		r = -EIO;
	} else {
		r = read_level(&l, depth);
	}
out:
	if (l.a != NULL)
		archive_read_free(l.a);
	free(l.block);
	return r;
}

/* The member's size for the scan's buffer: exact when it fit in the
 * peek, else what its header says (0: unknown). */
static uint64_t
size_hint(struct archive_entry *e, size_t npeek)
{
	if (npeek < PEEK)
		return npeek > 0 ? npeek : 1;
	if (archive_entry_size_is_set(e) && archive_entry_size(e) > 0)
		return (uint64_t)archive_entry_size(e);
	return 0;
}

/* One member of l: a nested archive, or bytes to scan. */
static int
one_member(struct level *l, struct archive_entry *e, unsigned depth)
{
	struct ctx *c = l->c;
	uint8_t peek[PEEK];
	struct member m = { .l = l, .peek = peek };
	size_t np = 0;
	ssize_t n;

	while (np < sizeof(peek)) {
		if ((n = pull(l, peek + np, sizeof(peek) - np)) < 0)
			return (int)n;
		if (n == 0)
			break;
		np += (size_t)n;
	}
	/* Bytes no filter or format took (a BZh magic before no bzip2
	 * block) are the container's own: scanned as they are, not
	 * sniffed again. */
	if (tt_archive_sniff(peek, np) &&
	    !(archive_format(l->a) == ARCHIVE_FORMAT_RAW &&
		archive_filter_code(l->a, 0) == ARCHIVE_FILTER_NONE)) {
		char reason[160];

		if (depth < c->lim->max_depth)
			return nested(l, peek, np, depth + 1);
		snprintf(reason, sizeof(reason),
		    "archives nested deeper than %u (not scanned)",
		    c->lim->max_depth);
		c->cb->skipped(c->cb->arg, c->path, reason);
		return 0;
	}
	c->cb->member(c->cb->arg, c->path);
	/* An empty member has nothing to scan: no scanner, no buffers (a
	 * zip of 100,000 empty members made 200,000 allocations). */
	if (np == 0)
		return 0;
	m.npeek = np;
	return tt_scan_stream(c->s, member_read, &m, size_hint(e, np),
	    on_secret, c, NULL);
}

/* The members of l, in order.  0 at its end; -EIO when it is damaged
 * (said), -ECANCELED at a limit, -ENOMEM. */
static int
read_level(struct level *l, unsigned depth)
{
	struct ctx *c = l->c;

	for (;;) {
		struct archive_entry *e;
		int r = archive_read_next_header(l->a, &e);
		size_t len;

		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN) {
			damaged(l);
			return c->stopped ? -ECANCELED : -EIO;
		}
		if (++c->members > c->lim->max_members) {
			char reason[160];

			snprintf(reason, sizeof(reason),
			    "archive has more than %llu members (the rest not "
			    "scanned)",
			    (unsigned long long)c->lim->max_members);
			stop(c, reason);
			return -ECANCELED;
		}
		/* Links, directories and devices carry no bytes of their
		 * own: never followed, never created. */
		if (archive_entry_filetype(e) != AE_IFREG ||
		    archive_entry_hardlink(e) != NULL)
			continue;
		if ((len = member_path(l, e)) == 0)
			continue;
		if (archive_entry_is_encrypted(e)) {
			c->cb->skipped(c->cb->arg, c->path,
			    "encrypted (not scanned)");
		} else {
			r = one_member(l, e, depth);
			if (r == -ENOMEM || r == -ECANCELED || c->stopped) {
				c->path[l->pathlen] = '\0';
				return r == -ENOMEM ? r : -ECANCELED;
			}
			if (l->failed) {
				c->path[l->pathlen] = '\0';
				return -EIO;
			}
		}
		c->path[l->pathlen] = '\0';
	}
}

static ssize_t
raw_read(void *arg, uint8_t *buf, size_t len)
{
	struct ctx *c = arg;
	ssize_t n;

	if (c->fd < 0) {
		n = (ssize_t)(c->memlen - c->memoff < len ?
			c->memlen - c->memoff :
			len);
		memcpy(buf, c->mem + c->memoff, (size_t)n);
		c->memoff += (size_t)n;
		return n;
	}
	do
		n = read(c->fd, buf, len);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		c->in += (uint64_t)n;
	return n < 0 ? -errno : n;
}

static int
scan_raw(struct ctx *c)
{
	if (c->fd >= 0 && lseek(c->fd, 0, SEEK_SET) < 0)
		return 0;
	c->memoff = 0;
	c->in = 0;
	return tt_scan_stream(c->s, raw_read, c, c->size, on_secret, c, NULL);
}

static int
scan(struct ctx *c, const char *path, char *err, size_t errlen)
{
	struct level l = { .c = c };
	int r;

	if (strlcpy(c->path, path, sizeof(c->path)) >= sizeof(c->path)) {
		tt_seterr(err, errlen, "'%s': path too long", path);
		return -ENAMETOOLONG;
	}
	/* Loaded at the first archive (archive_dl.h); without it the file
	 * is listed as not scanned, with the reason. */
	{
		char why[256];

		if (tt_archive_dl(why, sizeof(why)) < 0) {
			if (c->cb != NULL && c->cb->skipped != NULL)
				c->cb->skipped(c->cb->arg, path, why);
			return 0;
		}
	}
	l.pathlen = strlen(c->path);
	l.block = malloc(BLOCK);
	l.a = new_reader();
	if (l.block == NULL || l.a == NULL) {
		r = -ENOMEM;
		goto out;
	}
	archive_read_set_read_callback(l.a, outer_read);
	archive_read_set_callback_data(l.a, &l);
	if (archive_read_open1(l.a) < ARCHIVE_WARN) {
		damaged(&l);
		r = 0;
	} else {
		r = read_level(&l, 1);
	}
	if (c->stopped)
		c->cb->skipped(c->cb->arg, c->stop_path, c->stop_reason);
	/* Nothing libarchive could read (a magic by chance, a format it
	 * does not know): the file's own bytes are still scanned, as any
	 * file's, beside the reason listed. */
	if (r != -ENOMEM && l.failed && c->members == 0)
		r = scan_raw(c);
	if (r != -ENOMEM)
		r = 0;
out:
	if (l.a != NULL)
		archive_read_free(l.a);
	free(l.block);
	if (r < 0)
		tt_seterr(err, errlen, "'%s': %s", path, tt_strerror(r));
	return r;
}

int
tt_scan_archive_fd(const struct tt_scanner *s, int fd, const char *path,
    const struct tt_archive_limits *lim, const struct tt_archive_cb *cb,
    uint64_t *ret_bytes, char *err, size_t errlen)
{
	struct ctx *c = calloc(1, sizeof(*c));
	struct stat st;
	int r;

	if (c == NULL) {
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*c = (struct ctx){ .s = s, .lim = lim, .cb = cb, .fd = fd };
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		c->size = (uint64_t)st.st_size;
	r = scan(c, path, err, errlen);
	if (ret_bytes != NULL)
		*ret_bytes = c->in;
	free(c);
	return r;
}

int
tt_scan_archive_mem(const struct tt_scanner *s, const uint8_t *data, size_t len,
    const char *path, const struct tt_archive_limits *lim,
    const struct tt_archive_cb *cb, char *err, size_t errlen)
{
	struct ctx *c = calloc(1, sizeof(*c));
	int r;

	if (c == NULL) {
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	*c = (struct ctx){ .s = s,
		.lim = lim,
		.cb = cb,
		.fd = -1,
		.mem = data,
		.memlen = len,
		.size = len };
	r = scan(c, path, err, errlen);
	free(c);
	return r;
}
