#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rootglob.h"
#include "tt.h"

static bool
has_magic(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == '*' || s[i] == '?' || s[i] == '[')
			return true;
	return false;
}

static int
add_path(struct tt_glob *g, const char *path, size_t max)
{
	char **v;

	if (g->n >= max)
		return -E2BIG;
	v = reallocarray(g->paths, g->n + 1, sizeof(*v));
	if (v == NULL)
		return -ENOMEM;
	g->paths = v;
	if ((g->paths[g->n] = strdup(path)) == NULL)
		return -ENOMEM;
	g->n++;
	return 0;
}

/* base: the directory matched so far ("" for the root); rest: the
 * remaining pattern without leading slashes. */
static int
expand(const struct tt_root *root, const char *base, const char *rest,
    size_t max, struct tt_glob *g, int depth)
{
	const char *slash;
	char comp[NAME_MAX + 1], next[PATH_MAX];
	size_t cl;
	struct dirent *de;
	DIR *d;
	int fd, r = 0;

	if (depth > 64)
		return -ELOOP;
	while (*rest == '/')
		rest++;
	if (*rest == '\0') {
		struct stat st;

		if (tt_root_stat(root, base[0] ? base : "/", &st, false) == 0)
			return add_path(g, base[0] ? base : "/", max);
		return 0;
	}
	slash = strchr(rest, '/');
	cl = slash ? (size_t)(slash - rest) : strlen(rest);
	if (cl > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(comp, rest, cl);
	comp[cl] = '\0';
	if (!has_magic(comp, cl)) {
		if ((size_t)snprintf(next, sizeof(next), "%s/%s", base, comp) >=
		    sizeof(next))
			return -ENAMETOOLONG;
		if (slash == NULL) {
			struct stat st;

			if (tt_root_stat(root, next, &st, false) == 0)
				return add_path(g, next, max);
			return 0;
		}
		return expand(root, next, slash, max, g, depth + 1);
	}
	fd = tt_root_open(root, base[0] ? base : "/", O_RDONLY | O_DIRECTORY,
	    0);
	if (fd < 0)
		return fd == -ENOENT || fd == -ENOTDIR ? 0 : fd;
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return -errno;
	}
	while (r == 0 && (de = readdir(d)) != NULL) {
		if (TT_STREQ(de->d_name, ".") || TT_STREQ(de->d_name, ".."))
			continue;
		if (fnmatch(comp, de->d_name, FNM_PERIOD) != 0)
			continue;
		if ((size_t)snprintf(next, sizeof(next), "%s/%s", base,
		    de->d_name) >= sizeof(next))
			continue;
		if (slash == NULL)
			r = add_path(g, next, max);
		else
			r = expand(root, next, slash, max, g, depth + 1);
	}
	closedir(d);
	return r;
}

static int
cmp_paths(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
tt_root_glob(const struct tt_root *root, const char *pattern,
    size_t max_matches, struct tt_glob *ret)
{
	int r;

	memset(ret, 0, sizeof(*ret));
	r = expand(root, "", pattern, max_matches, ret, 0);
	if (r < 0) {
		tt_glob_free(ret);
		return r;
	}
	if (ret->n > 1)
		qsort(ret->paths, ret->n, sizeof(*ret->paths), cmp_paths);
	return 0;
}

void
tt_glob_free(struct tt_glob *g)
{
	if (g == NULL)
		return;
	for (size_t i = 0; i < g->n; i++)
		free(g->paths[i]);
	TT_FREE(g->paths);
	g->n = 0;
}
