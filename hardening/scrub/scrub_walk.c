#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"
#include "fileio.h"
#include "log.h"
#include "scrub_walk.h"
#include "scrub_archive.h"
#include "sha256.h"
#include "tt.h"

/* Files open between the walk and the scanners: bounds descriptors. */
#define QUEUE_LEN 32

struct job {
	int fd;
	char *path;
	bool covered; /* a leftover removes it */
};

struct walk {
	const struct tt_scanner *s;
	const struct tt_scrub_opts *o;
	struct tt_scrub_result *res;
	pthread_mutex_t lock;
	pthread_cond_t nonempty, nonfull;
	struct job queue[QUEUE_LEN];
	size_t qhead, qlen;
	bool done;
	dev_t dev;
	char path[PATH_MAX];
	char **globs; /* per leftover: its path, {build_user} replaced, or
		       * NULL when it does not apply */
	size_t *prefix_len; /* per leftover: bytes before the first wildcard */
	int err;
};

static int
add_item(struct walk *w, const struct tt_scrub_item *it)
{
	struct tt_scrub_result *res = w->res;
	struct tt_scrub_item *v;

	if (res->n == res->cap) {
		size_t cap = res->cap ? res->cap * 2 : 64;

		if ((v = reallocarray(res->v, cap, sizeof(*v))) == NULL)
			return -ENOMEM;
		res->v = v;
		res->cap = cap;
	}
	res->v[res->n] = *it;
	if ((res->v[res->n].path = strdup(it->path)) == NULL)
		return -ENOMEM;
	res->n++;
	return 0;
}

/* Under the lock. */
static void
add_locked(struct walk *w, const struct tt_scrub_item *it)
{
	if (it->kind != TT_SCRUB_SKIPPED &&
	    (tt_allowlist_match(w->o->allow, it->path,
		 it->fingerprint[0] ? it->fingerprint : NULL) ||
		(it->kind == TT_SCRUB_SECRET &&
		    tt_scrub_known_public(w->s->cat, it->fingerprint)))) {
		w->res->allowed++;
		return;
	}
	if (add_item(w, it) < 0)
		w->err = -ENOMEM;
}

static void
add(struct walk *w, const struct tt_scrub_item *it)
{
	pthread_mutex_lock(&w->lock);
	add_locked(w, it);
	pthread_mutex_unlock(&w->lock);
}

/* why, and the system's reason when there is one. */
static void
skipped(struct walk *w, const char *path, const char *why, const char *detail)
{
	struct tt_scrub_item it = { .kind = TT_SCRUB_SKIPPED };

	it.path = (char *)path;
	snprintf(it.reason, sizeof(it.reason), "%s%s%s", why,
	    detail ? ": " : "", detail ? detail : "");
	add(w, &it);
}

struct file_ctx {
	struct walk *w;
	const char *path;
};

static void
emit_at(struct walk *w, const char *path, size_t disk_len,
    const struct tt_scan_finding *f)
{
	struct tt_scrub_item it = { .kind = TT_SCRUB_SECRET };
	const struct tt_detector *d = &w->s->cat->detectors[f->detector];

	/* A password hash in /etc/shadow is where it belongs (and in a
	 * backup.tar!etc/shadow it is not: the path does not match). */
	for (size_t i = 0; i < d->npaths; i++)
		if (fnmatch(d->paths[i], path, 0) == 0)
			return;
	it.path = (char *)path;
	it.disk_len = disk_len;
	it.line = f->line;
	it.offset = f->offset;
	it.index = f->detector;
	memcpy(it.preview, f->preview, sizeof(it.preview));
	memcpy(it.fingerprint, f->fingerprint, sizeof(it.fingerprint));
	add(w, &it);
}

static void
emit(void *arg, const struct tt_scan_finding *f)
{
	struct file_ctx *fc = arg;

	emit_at(fc->w, fc->path, 0, f);
}

static void path_detectors(struct walk *w, const char *path);

static void
archive_secret(void *arg, const char *path, const struct tt_scan_finding *f)
{
	const struct file_ctx *fc = arg;

	emit_at(fc->w, path, strlen(fc->path), f);
}

static void
archive_member(void *arg, const char *path)
{
	const struct file_ctx *fc = arg;

	path_detectors(fc->w, path);
}

static void
archive_skipped(void *arg, const char *path, const char *reason)
{
	const struct file_ctx *fc = arg;

	skipped(fc->w, path, reason, NULL);
}

/* An archive or a compressed file, from its start: its members are
 * scanned as streams, never extracted (scrub_archive.h). */
static int
scan_archive(struct walk *w, int fd, const char *path, uint64_t *bytes)
{
	struct file_ctx fc = { w, path };
	struct tt_archive_cb cb = { archive_secret, archive_member,
		archive_skipped, &fc };
	struct tt_archive_limits lim;
	char err[256];
	int r;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	tt_archive_limits_default(&lim, w->o->max_file_size);
	r = tt_scan_archive_fd(w->s, fd, path, &lim, &cb, bytes, err,
	    sizeof(err));
	if (r == -ENOMEM)
		w->err = r;
	return r;
}

static void
scan_file(struct walk *w, int fd, const char *path, bool covered)
{
	struct file_ctx fc = { w, path };
	uint64_t bytes = 0;
	int r = tt_scan_fd(w->s, fd, emit, &fc, &bytes);

	/* An archive a leftover removes (apt's downloaded .debs) is listed
	 * as that leftover and goes with --apply: the distribution's
	 * packages are not worth expanding on every scrub. */
	if (r == TT_SCAN_ARCHIVE && covered)
		r = 0;
	else if (r == TT_SCAN_ARCHIVE)
		r = scan_archive(w, fd, path, &bytes);
	close(fd);
	pthread_mutex_lock(&w->lock);
	w->res->files++;
	w->res->bytes += bytes;
	pthread_mutex_unlock(&w->lock);
	if (r < 0)
		skipped(w, path, "cannot read", tt_strerror(r));
}

static void *
worker(void *arg)
{
	struct walk *w = arg;

	for (;;) {
		struct job j;

		pthread_mutex_lock(&w->lock);
		while (w->qlen == 0 && !w->done)
			pthread_cond_wait(&w->nonempty, &w->lock);
		if (w->qlen == 0) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		j = w->queue[w->qhead];
		w->qhead = (w->qhead + 1) % QUEUE_LEN;
		w->qlen--;
		pthread_cond_signal(&w->nonfull);
		pthread_mutex_unlock(&w->lock);
		scan_file(w, j.fd, j.path, j.covered);
		free(j.path);
	}
}

/* Hands a file to a worker (or scans it here with one job). */
static void
submit(struct walk *w, int fd, const char *path, bool covered)
{
	char *copy;

	if (w->o->jobs <= 1) {
		scan_file(w, fd, path, covered);
		return;
	}
	if ((copy = strdup(path)) == NULL) {
		close(fd);
		w->err = -ENOMEM;
		return;
	}
	pthread_mutex_lock(&w->lock);
	while (w->qlen == QUEUE_LEN)
		pthread_cond_wait(&w->nonfull, &w->lock);
	w->queue[(w->qhead + w->qlen) % QUEUE_LEN] =
	    (struct job){ fd, copy, covered };
	w->qlen++;
	pthread_cond_signal(&w->nonempty);
	pthread_mutex_unlock(&w->lock);
}

static bool
glob_match(const char *glob, size_t prefix, const char *path)
{
	return strncmp(glob, path, prefix) == 0 &&
	    fnmatch(glob, path, FNM_PATHNAME) == 0;
}

/* The leftover entries that match path; *covered when one removes what is
 * below it (a deleted or emptied directory). */
static void
leftovers(struct walk *w, const struct stat *st, bool *covered,
    ssize_t *ret_empty_dir)
{
	const struct tt_scrub_catalog *cat = w->s->cat;

	*ret_empty_dir = -1;
	for (size_t i = 0; i < cat->nleftovers; i++) {
		const struct tt_leftover *l = &cat->leftovers[i];
		struct tt_scrub_item it = { .kind = TT_SCRUB_LEFTOVER };

		if (w->globs[i] == NULL ||
		    l->action == TT_LEFTOVER_REMOVE_ACCOUNT ||
		    !glob_match(w->globs[i], w->prefix_len[i], w->path))
			continue;
		it.path = w->path;
		it.index = i;
		switch (l->action) {
		case TT_LEFTOVER_DELETE:
			add(w, &it);
			*covered = true;
			return;
		case TT_LEFTOVER_TRUNCATE:
			if (S_ISREG(st->st_mode) && st->st_size > 0) {
				add(w, &it);
				return;
			}
			break;
		case TT_LEFTOVER_EMPTY_DIR:
			if (S_ISDIR(st->st_mode)) {
				*ret_empty_dir = (ssize_t)i;
				*covered = true;
				return;
			}
			break;
		case TT_LEFTOVER_REMOVE_ACCOUNT: break;
		}
	}
}

/* Detectors whose secret is the file itself (a keytab, a .pfx), on
 * disk or as an archive's member. */
static void
path_detectors(struct walk *w, const char *path)
{
	const struct tt_scrub_catalog *cat = w->s->cat;

	for (size_t i = 0; i < cat->ndetectors; i++) {
		const struct tt_detector *d = &cat->detectors[i];

		if (d->type != TT_V_PATH)
			continue;
		for (size_t k = 0; k < d->npaths; k++) {
			struct tt_scrub_item it = { .kind = TT_SCRUB_SECRET };
			struct tt_scan_finding f = { 0 };
			char label[PATH_MAX + 8];

			if (fnmatch(d->paths[k], path, 0) != 0)
				continue;
			it.path = (char *)path;
			it.index = i;
			/* No bytes to fingerprint without reading the file
			 * twice: the path stands for it. */
			snprintf(label, sizeof(label), "path:%s", path);
			tt_scan_describe(&f, (const uint8_t *)label,
			    strlen(label));
			memcpy(it.fingerprint, f.fingerprint, 65);
			add(w, &it);
			break;
		}
	}
}

/* A live system's kernel and runtime trees: never part of an image. */
static bool
live_skip(const char *path)
{
	static const char *const skip[] = { "/proc", "/sys", "/dev", "/run",
		NULL };

	for (size_t i = 0; skip[i] != NULL; i++)
		if (TT_STREQ(path, skip[i]))
			return true;
	return false;
}

static size_t walk_dir(struct walk *w, int dfd, size_t depth, bool covered);

static void
visit(struct walk *w, int dfd, const char *name, size_t depth, bool covered,
    size_t *entries)
{
	size_t plen = strlen(w->path), nlen = strlen(name);
	struct stat st;
	ssize_t empty_dir = -1;

	if (plen + (plen > 1) + nlen >= sizeof(w->path)) {
		skipped(w, w->path, "a name below is too long", NULL);
		return;
	}
	if (plen > 1)
		w->path[plen++] = '/';
	memcpy(w->path + plen, name, nlen + 1);
	(*entries)++;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		skipped(w, w->path, "cannot stat", tt_strerror(-errno));
		goto out;
	}
	if (w->o->leftovers && !covered)
		leftovers(w, &st, &covered, &empty_dir);
	if (S_ISDIR(st.st_mode)) {
		int fd;
		size_t n;

		if (w->o->live && (st.st_dev != w->dev || live_skip(w->path))) {
			skipped(w, w->path, "another mount: not scanned", NULL);
			goto out;
		}
		if (depth >= TT_SCRUB_MAX_DEPTH) {
			skipped(w, w->path,
			    "directories nested too deep (not scanned)", NULL);
			goto out;
		}
		fd = openat(dfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0) {
			skipped(w, w->path, "cannot open", tt_strerror(-errno));
			goto out;
		}
		n = walk_dir(w, fd, depth + 1, covered);
		if (empty_dir >= 0 && n > 0) {
			struct tt_scrub_item it = { .kind = TT_SCRUB_LEFTOVER };

			it.path = w->path;
			it.index = (size_t)empty_dir;
			add(w, &it);
		}
	} else if (S_ISREG(st.st_mode)) {
		struct stat fst;
		int fd;

		path_detectors(w, w->path);
		if ((uint64_t)st.st_size > w->o->max_file_size) {
			skipped(w, w->path,
			    "larger than --max-file-size (not scanned)", NULL);
			goto out;
		}
		/* O_NONBLOCK: should the file have become a FIFO since the
		 * stat, opening it must not wait for a writer. */
		fd = openat(dfd, name,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
		if (fd < 0) {
			skipped(w, w->path, "cannot open", tt_strerror(-errno));
			goto out;
		}
		if (fstat(fd, &fst) < 0 || !S_ISREG(fst.st_mode) ||
		    fst.st_ino != st.st_ino || fst.st_dev != st.st_dev) {
			close(fd);
			skipped(w, w->path, "changed while scanned", NULL);
			goto out;
		}
		submit(w, fd, w->path, covered);
	} else if (!S_ISLNK(st.st_mode)) {
		skipped(w, w->path, "not a regular file (not scanned)", NULL);
	}
out:
	w->path[plen > 1 ? plen - 1 : plen] = '\0';
	if (w->o->progress != NULL)
		tt_progress_update(w->o->progress, w->res->files, 0, "files",
		    w->path);
}

/* Walks the directory open on dfd (and closes it); returns how many
 * entries it had. */
static size_t
walk_dir(struct walk *w, int dfd, size_t depth, bool covered)
{
	DIR *d = fdopendir(dfd);
	struct dirent *de;
	size_t entries = 0;

	if (d == NULL) {
		close(dfd);
		skipped(w, w->path, "cannot read", tt_strerror(-errno));
		return 0;
	}
	while (w->err == 0 && (de = readdir(d)) != NULL) {
		if (TT_STREQ(de->d_name, ".") || TT_STREQ(de->d_name, ".."))
			continue;
		visit(w, dirfd(d), de->d_name, depth, covered, &entries);
	}
	closedir(d);
	return entries;
}

/* Each leftover's glob with the build user's name in place of
 * {build_user}; entries that need a name apply only with one. */
static int
make_globs(struct walk *w, const char *user)
{
	static const char key[] = "{build_user}";
	const struct tt_scrub_catalog *cat = w->s->cat;

	for (size_t i = 0; i < cat->nleftovers; i++) {
		const char *p = cat->leftovers[i].path, *at = strstr(p, key);
		char buf[PATH_MAX];

		if (at != NULL && user == NULL)
			continue;
		if (at != NULL)
			snprintf(buf, sizeof(buf), "%.*s%s%s", (int)(at - p), p,
			    user, at + sizeof(key) - 1);
		else
			strlcpy(buf, p, sizeof(buf));
		if ((w->globs[i] = strdup(buf)) == NULL)
			return -ENOMEM;
		w->prefix_len[i] = strcspn(buf, "*?[\\");
	}
	return 0;
}

static void
free_globs(struct walk *w)
{
	if (w->globs != NULL)
		for (size_t i = 0; i < w->s->cat->nleftovers; i++)
			free(w->globs[i]);
	free(w->globs);
	free(w->prefix_len);
	w->globs = NULL;
	w->prefix_len = NULL;
}

/* The build user's account, when its line is in the passwd file. */
static void
account_leftovers(struct walk *w)
{
	const struct tt_scrub_catalog *cat = w->s->cat;
	const char *user = w->o->build_user;

	for (size_t i = 0; user != NULL && i < cat->nleftovers; i++) {
		struct tt_scrub_item it = { .kind = TT_SCRUB_LEFTOVER };
		size_t ul = strlen(user);
		struct tt_buf b;
		bool found = false;

		if (cat->leftovers[i].action != TT_LEFTOVER_REMOVE_ACCOUNT ||
		    w->globs[i] == NULL)
			continue;
		if (tt_read_file(w->o->root, w->globs[i], (size_t)16 << 20,
			&b) < 0)
			continue;
		for (size_t k = 0; k + ul < b.len && !found;) {
			const char *nl = memchr(b.data + k, '\n', b.len - k);

			found = strncmp(b.data + k, user, ul) == 0 &&
			    b.data[k + ul] == ':';
			k = nl != NULL ? (size_t)(nl - b.data) + 1 : b.len;
		}
		tt_buf_free(&b);
		if (!found)
			continue;
		it.path = w->globs[i];
		it.index = i;
		add(w, &it);
	}
}

static int
cmp_item(const void *a, const void *b)
{
	const struct tt_scrub_item *x = a, *y = b;
	int c = strcmp(x->path, y->path);

	if (c != 0)
		return c;
	if (x->kind != y->kind)
		return (int)x->kind - (int)y->kind;
	if (x->offset != y->offset)
		return x->offset < y->offset ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

int
tt_scrub_walk(const struct tt_scanner *s, const struct tt_scrub_opts *o,
    struct tt_scrub_result *res, char *err, size_t errlen)
{
	struct walk w = { .s = s, .o = o, .res = res };
	pthread_t threads[8];
	unsigned nthreads = 0, jobs = o->jobs > 8 ? 8 : o->jobs;
	struct stat st;
	int fd, r = 0;

	memset(res, 0, sizeof(*res));
	w.prefix_len = calloc(s->cat->nleftovers + 1, sizeof(*w.prefix_len));
	w.globs = calloc(s->cat->nleftovers + 1, sizeof(*w.globs));
	if (w.prefix_len == NULL || w.globs == NULL ||
	    make_globs(&w, o->build_user) < 0) {
		free_globs(&w);
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	fd = o->root->fd >= 0 ?
	    openat(o->root->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC) :
	    open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		r = -errno;
		tt_seterr(err, errlen, "cannot open '%s': %s", o->root->path,
		    tt_strerror(-errno));
		if (fd >= 0)
			close(fd);
		free_globs(&w);
		return r;
	}
	w.dev = st.st_dev;
	strlcpy(w.path, "/", sizeof(w.path));
	pthread_mutex_init(&w.lock, NULL);
	pthread_cond_init(&w.nonempty, NULL);
	pthread_cond_init(&w.nonfull, NULL);
	if (jobs > 1)
		for (; nthreads < jobs; nthreads++)
			if (pthread_create(&threads[nthreads], NULL, worker,
				&w) != 0)
				break;
	if (jobs > 1 && nthreads == 0) {
		tt_seterr(err, errlen, "cannot start a scanning thread");
		r = -EAGAIN;
		close(fd);
		goto out;
	}
	walk_dir(&w, fd, 0, false);
	if (o->leftovers)
		account_leftovers(&w);
	pthread_mutex_lock(&w.lock);
	w.done = true;
	pthread_cond_broadcast(&w.nonempty);
	pthread_mutex_unlock(&w.lock);
	for (unsigned i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);
	if (w.err < 0) {
		r = w.err;
		tt_seterr(err, errlen, "scrub of '%s': %s", o->root->path,
		    tt_strerror(r));
	}
	if (res->n > 1)
		qsort(res->v, res->n, sizeof(*res->v), cmp_item);
out:
	pthread_cond_destroy(&w.nonfull);
	pthread_cond_destroy(&w.nonempty);
	pthread_mutex_destroy(&w.lock);
	free_globs(&w);
	if (o->progress != NULL)
		tt_progress_done(o->progress);
	return r;
}

size_t
tt_scrub_count(const struct tt_scrub_result *res, enum tt_scrub_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < res->n; i++)
		n += res->v[i].kind == kind;
	return n;
}

void
tt_scrub_result_free(struct tt_scrub_result *res)
{
	if (res == NULL)
		return;
	for (size_t i = 0; i < res->n; i++)
		free(res->v[i].path);
	free(res->v);
	memset(res, 0, sizeof(*res));
}
