#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "buf.h"
#include "fileio.h"
#include "scrub/scrub_packaged.h"
#include "tt.h"

#define INFO_DIR "/var/lib/dpkg/info"

/* A file with findings: its path in the image and what dpkg says it
 * shipped ("" while no list names it). */
struct wanted {
	char *path;
	char md5[33];
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

static bool
is_md5(const char *s, size_t n)
{
	if (n != 32)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
			(s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
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
		struct wanted *hit;
		size_t plen;

		if (e - p > 34 && is_md5(p, 32) && p[32] == ' ' &&
		    p[33] == ' ' && (plen = (size_t)(e - path)) > 0 &&
		    plen + 2 <= sizeof(abs)) {
			abs[0] = '/';
			memcpy(abs + 1, path, plen);
			abs[plen + 1] = '\0';
			if ((hit = find(w, abs, plen + 1)) != NULL) {
				memcpy(hit->md5, p, 32);
				hit->md5[32] = '\0';
			}
		}
		p = e + 1;
	}
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

/* The MD5 of a regular file of the image, in hex; -errno. */
static int
file_md5(const struct tt_root *root, const char *path, char hex[33])
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
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
	if (EVP_DigestInit_ex(ctx, EVP_md5(), NULL) != 1)
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
	if (r == 0 && EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
		r = -EIO;
	EVP_MD_CTX_free(ctx);
	close(fd);
	for (size_t i = 0; r == 0 && i < mdlen && i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
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
	/* Those a list names and that still hash to it are as shipped;
	 * the others forget the list's word. */
	for (size_t i = 0; i < w.n; i++) {
		char now[33] = "";

		if (w.v[i].md5[0] != '\0' &&
		    (file_md5(root, w.v[i].path, now) < 0 ||
			!TT_STREQ(now, w.v[i].md5)))
			w.v[i].md5[0] = '\0';
	}
	for (size_t i = 0; i < res->n; i++) {
		struct tt_scrub_item *it = &res->v[i];
		struct wanted *hit;

		if (it->kind == TT_SCRUB_SECRET &&
		    (hit = find(&w, it->path, disk_len(it))) != NULL &&
		    hit->md5[0] != '\0') {
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
