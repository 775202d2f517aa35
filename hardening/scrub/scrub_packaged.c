#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "fileio.h"
#include "rpmdb.h"
#include "scrub/scrub_packaged.h"
#include "tt.h"

#define INFO_DIR "/var/lib/dpkg/info"

/* A file with findings: its path in the image and the digest its package
 * database says it shipped with ("" while none names it), in hex, of the
 * database's algorithm (dpkg: MD5; rpm: per package, SHA-256 today). */
struct wanted {
	char *path;
	char digest[129];
	const EVP_MD *md;
};

struct wanted_set {
	struct wanted *v;
	size_t n;
};

/* The file on disk a finding is in: an archive's member lives in it. */
static size_t
disk_len(const struct tt_scrub_item *it)
{
	return it->disk_len > 0 ? it->disk_len : strlen(it->path);
}

/* The order of strcmp, for a key of len bytes that is not terminated. */
struct key {
	const char *p;
	size_t n;
};

static int
key_cmp(const void *k, const void *e)
{
	const struct key *a = k;
	const char *b = ((const struct wanted *)e)->path;
	size_t bn = strlen(b);
	int c = memcmp(a->p, b, a->n < bn ? a->n : bn);

	return c != 0 ? c : (a->n > bn) - (a->n < bn);
}

static int
wanted_cmp(const void *a, const void *b)
{
	return strcmp(((const struct wanted *)a)->path,
	    ((const struct wanted *)b)->path);
}

/* A sorted set: a hostile image's thousands of findings and its md5sums'
 * lines meet in a binary search, not in a product of the two. */
static struct wanted *
find(struct wanted_set *w, const char *path, size_t len)
{
	struct key k = { path, len };

	return w->n == 0 ? NULL :
			   bsearch(&k, w->v, w->n, sizeof(*w->v), key_cmp);
}

static int
collect(const struct tt_scrub_result *res, struct wanted_set *w)
{
	size_t k = 0;

	if ((w->v = calloc(res->n ? res->n : 1, sizeof(*w->v))) == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < res->n; i++) {
		const struct tt_scrub_item *it = &res->v[i];

		if (it->kind != TT_SCRUB_SECRET)
			continue;
		if ((w->v[w->n].path = strndup(it->path, disk_len(it))) == NULL)
			return -ENOMEM;
		w->n++;
	}
	qsort(w->v, w->n, sizeof(*w->v), wanted_cmp);
	for (size_t i = 0; i < w->n; i++) {
		if (k > 0 && strcmp(w->v[k - 1].path, w->v[i].path) == 0) {
			free(w->v[i].path);
			continue;
		}
		w->v[k++] = w->v[i];
	}
	w->n = k;
	return 0;
}

/* n lowercase hex digits, the length of md's digest. */
static bool
is_hex_digest(const char *s, size_t n, const EVP_MD *md)
{
	if (md == NULL || n != 2 * (size_t)EVP_MD_get_size(md))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static void
note(struct wanted_set *w, const char *path, size_t plen, const char *hex,
    size_t hlen, const EVP_MD *md)
{
	struct wanted *hit = find(w, path, plen);

	if (hit != NULL && is_hex_digest(hex, hlen, md)) {
		memcpy(hit->digest, hex, hlen);
		hit->digest[hlen] = '\0';
		hit->md = md;
	}
}

/* One md5sums list: "HEX32  path/without/leading/slash" lines. */
static void
read_list(const char *text, size_t len, struct wanted_set *w)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *path = p + 34;
		char abs[PATH_MAX];
		size_t plen;

		if (e - p > 34 && p[32] == ' ' && p[33] == ' ' &&
		    (plen = (size_t)(e - path)) > 0 &&
		    plen + 2 <= sizeof(abs)) {
			abs[0] = '/';
			memcpy(abs + 1, path, plen);
			abs[plen + 1] = '\0';
			note(w, abs, plen + 1, p, 32, EVP_md5());
		}
		p = e + 1;
	}
}

/* rpm's digest algorithm numbers (RFC 4880's hash ids; rpmpgp.h). */
static const EVP_MD *
rpm_md(const char *s, size_t n)
{
	if (n == 1 && s[0] == '8')
		return EVP_sha256();
	if (n == 1 && s[0] == '1')
		return EVP_md5();
	if (n == 1 && s[0] == '2')
		return EVP_sha1();
	if (n == 1 && s[0] == '9')
		return EVP_sha384();
	if (n == 2 && s[0] == '1' && s[1] == '0')
		return EVP_sha512();
	if (n == 2 && s[0] == '1' && s[1] == '1')
		return EVP_sha224();
	if (n == 6 && memcmp(s, "(none)", 6) == 0)
		return EVP_md5(); /* packages older than the tag */
	return NULL;
}

/* Every file digest of the image's rpm database, asked of rpm once (only
 * when some file has findings): "ALGO HEX /path" lines.  Directories,
 * links and ghost files have no digest and are passed over. */
static void
read_rpmdb(const struct tt_root *root, struct wanted_set *w)
{
	struct tt_buf out = { 0 };
	char err[256];
	const char *p, *end;

	if (!tt_rpmdb_present(root) ||
	    tt_rpmdb_query(root,
		"[%{=FILEDIGESTALGO} %{FILEDIGESTS} %{FILENAMES}\\n]", &out,
		err, sizeof(err)) < 0)
		return;
	p = out.data ? out.data : "";
	end = p + out.len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *sp1 = memchr(p, ' ', (size_t)(e - p));
		const char *sp2 =
		    sp1 ? memchr(sp1 + 1, ' ', (size_t)(e - sp1 - 1)) : NULL;

		if (sp2 != NULL && sp2 + 1 < e && sp2[1] == '/')
			note(w, sp2 + 1, (size_t)(e - sp2 - 1), sp1 + 1,
			    (size_t)(sp2 - sp1 - 1),
			    rpm_md(p, (size_t)(sp1 - p)));
		p = e + 1;
	}
	tt_buf_free(&out);
}

/* Every PKG.md5sums of the image, within the budgets. */
static void
read_lists(const struct tt_root *root, struct wanted_set *w)
{
	size_t lists = 0, total = 0;
	struct dirent *de;
	DIR *d;
	int dfd;

	dfd = tt_root_open(root, INFO_DIR, O_RDONLY | O_DIRECTORY, 0);
	if (dfd < 0)
		return;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return;
	}
	while ((de = readdir(d)) != NULL && lists < TT_PACKAGED_MAX_LISTS &&
	    total < TT_PACKAGED_MAX_TOTAL_BYTES) {
		size_t n = strlen(de->d_name);
		struct tt_buf text;
		int fd;

		if (n <= 8 || strcmp(de->d_name + n - 8, ".md5sums") != 0)
			continue;
		lists++;
		fd = openat(dirfd(d), de->d_name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (fd < 0)
			continue;
		if (tt_read_fd(fd, TT_PACKAGED_MAX_LIST_BYTES, &text) == 0) {
			total += text.len;
			read_list(text.data ? text.data : "", text.len, w);
			tt_buf_free(&text);
		}
		close(fd);
	}
	closedir(d);
}

/* The digest md of a regular file of the image, in hex; -errno. */
static int
file_digest(const struct tt_root *root, const char *path, const EVP_MD *md,
    char hex[129])
{
	unsigned char buf[65536], sum[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx;
	ssize_t got;
	int fd, r = 0;

	if ((fd = tt_open_regular(root, path)) < 0)
		return fd;
	if ((ctx = EVP_MD_CTX_new()) == NULL) {
		close(fd);
		return -ENOMEM;
	}
	if (EVP_DigestInit_ex(ctx, md, NULL) != 1)
		r = -EIO;
	while (r == 0 && (got = read(fd, buf, sizeof(buf))) != 0) {
		if (got < 0) {
			if (errno != EINTR)
				r = -errno;
			continue;
		}
		if (EVP_DigestUpdate(ctx, buf, (size_t)got) != 1)
			r = -EIO;
	}
	if (r == 0 && EVP_DigestFinal_ex(ctx, sum, &mdlen) != 1)
		r = -EIO;
	EVP_MD_CTX_free(ctx);
	close(fd);
	for (size_t i = 0; r == 0 && i < mdlen && i < 64; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	return r;
}

int
tt_scrub_drop_packaged(const struct tt_root *root, struct tt_scrub_result *res)
{
	struct wanted_set w = { 0 };
	size_t k = 0;
	int r;

	if ((r = collect(res, &w)) < 0 || w.n == 0)
		goto out;
	read_lists(root, &w);
	read_rpmdb(root, &w);
	/* Those a database names and that still hash to it are as shipped;
	 * the others forget the database's word. */
	for (size_t i = 0; i < w.n; i++) {
		char now[129] = "";

		if (w.v[i].digest[0] != '\0' &&
		    (file_digest(root, w.v[i].path, w.v[i].md, now) < 0 ||
			!TT_STREQ(now, w.v[i].digest)))
			w.v[i].digest[0] = '\0';
	}
	for (size_t i = 0; i < res->n; i++) {
		struct tt_scrub_item *it = &res->v[i];
		struct wanted *hit;

		if (it->kind == TT_SCRUB_SECRET &&
		    (hit = find(&w, it->path, disk_len(it))) != NULL &&
		    hit->digest[0] != '\0') {
			free(it->path);
			res->packaged++;
			continue;
		}
		res->v[k++] = *it;
	}
	res->n = k;
out:
	for (size_t i = 0; i < w.n; i++)
		free(w.v[i].path);
	free(w.v);
	return r;
}
