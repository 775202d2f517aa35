#include <sys/stat.h>

#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "log.h"
#include "outputs.h"
#include "tt.h"

void
tt_outputs_init(struct tt_outputs *o, enum tt_format_kind kind)
{
	memset(o, 0, sizeof(*o));
	o->kind = kind;
}

/* The ':' that ends FORMAT, or NULL: only one before any '/' counts, so
 * every path with a directory part ("/tmp/a:b", "./a:b") is a plain
 * FILE. */
static const char *
prefix_end(const char *arg)
{
	const char *colon = strchr(arg, ':');
	const char *slash = strchr(arg, '/');

	if (colon == NULL || (slash != NULL && slash < colon))
		return NULL;
	return colon;
}

static struct tt_output *
append(struct tt_outputs *o)
{
	if (o->n == o->cap) {
		size_t cap = o->cap == 0 ? 4 : o->cap * 2;
		struct tt_output *v = reallocarray(o->v, cap, sizeof(*v));

		if (v == NULL)
			return NULL;
		o->v = v;
		o->cap = cap;
	}
	memset(&o->v[o->n], 0, sizeof(o->v[o->n]));
	return &o->v[o->n++];
}

int
tt_outputs_add(struct tt_outputs *o, const char *arg, char *err, size_t errlen)
{
	const char *colon = prefix_end(arg);
	const struct tt_format *fmt = NULL;
	struct tt_output *out;
	char name[64], why[512];
	const char *path = arg;

	if (colon != NULL) {
		size_t len = (size_t)(colon - arg);

		if (len >= sizeof(name)) {
			len = sizeof(name) - 1;
		}
		memcpy(name, arg, len);
		name[len] = '\0';
		if ((fmt = tt_format_lookup(name, o->kind, why, sizeof(why))) ==
		    NULL) {
			tt_seterr(err, errlen,
			    "--output '%s': %s; a file whose name holds ':' "
			    "is given as ./%s",
			    arg, why, arg);
			return -EINVAL;
		}
		path = colon + 1;
	} else {
		for (size_t i = 0; i < o->n; i++)
			if (o->v[i].plain) {
				tt_seterr(err, errlen,
				    "--output '%s': a second --output FILE "
				    "without FORMAT: (the first is '%s'); "
				    "give the others as FORMAT:FILE",
				    arg, o->v[i].path ? o->v[i].path : "-");
				return -EINVAL;
			}
	}
	if (path[0] == '\0') {
		tt_seterr(err, errlen, "--output '%s': no file name", arg);
		return -EINVAL;
	}
	if ((out = append(o)) == NULL) {
		tt_seterr(err, errlen, "out of memory");
		return -ENOMEM;
	}
	out->fmt = fmt;
	out->path = TT_STREQ(path, "-") ? NULL : path;
	out->plain = colon == NULL;
	return 0;
}

/* path without "./" components and repeated '/', to tell two spellings
 * of one file apart from two files (other aliases, a symlink or "..",
 * are not resolved: the files need not exist yet). */
static void
normalise(const char *path, char *out, size_t outlen)
{
	size_t n = 0;
	const char *p = path;

	while (*p != '\0' && n + 1 < outlen) {
		if (p[0] == '/' && n > 0 && out[n - 1] == '/') {
			p++;
			continue;
		}
		if (p[0] == '.' && p[1] == '/' && (p == path || p[-1] == '/')) {
			p += 2;
			continue;
		}
		out[n++] = *p++;
	}
	out[n] = '\0';
}

static bool
same_inode(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* PATH's directory ("." for a bare name, "/" for "/x") into DIR, and its
 * last name; false when the directory does not fit. */
static bool
split_path(const char *path, char *dir, size_t dirlen, const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		*name = path;
		return strlcpy(dir, ".", dirlen) < dirlen;
	}
	*name = slash + 1;
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= dirlen)
		return false;
	memcpy(dir, path, n);
	dir[n] = '\0';
	return true;
}

/* Do two paths spelled differently reach one file?  When both exist, by
 * the file they resolve to (a symbolic link, "dir/../a", a hard link);
 * when neither does, by the directory each would be made in and the last
 * name.  These are the caller's own paths on the host, not an image's. */
static bool
same_place(const char *a, const char *b)
{
	char da[4096], db[4096];
	const char *na, *nb;
	struct stat sa, sb;
	bool ea = stat(a, &sa) == 0, eb = stat(b, &sb) == 0;

	if (ea || eb)
		return ea && eb && same_inode(&sa, &sb);
	return split_path(a, da, sizeof(da), &na) &&
	    split_path(b, db, sizeof(db), &nb) && TT_STREQ(na, nb) &&
	    stat(da, &sa) == 0 && stat(db, &sb) == 0 && same_inode(&sa, &sb);
}

static bool
same_file(const struct tt_output *a, const struct tt_output *b)
{
	char na[4096], nb[4096];

	if (a->path == NULL || b->path == NULL)
		return a->path == b->path;
	normalise(a->path, na, sizeof(na));
	normalise(b->path, nb, sizeof(nb));
	return TT_STREQ(na, nb) || same_place(a->path, b->path);
}

int
tt_outputs_finish(struct tt_outputs *o, const char *format, bool format_given,
    char *err, size_t errlen)
{
	const struct tt_format *fmt;
	bool plain = false;
	char why[512];

	if (format == NULL)
		format = TT_FORMAT_DEFAULT;
	if ((fmt = tt_format_lookup(format, o->kind, why, sizeof(why))) ==
	    NULL) {
		tt_seterr(err, errlen, "%s", why);
		return -EINVAL;
	}
	for (size_t i = 0; i < o->n; i++)
		if (o->v[i].plain) {
			o->v[i].fmt = fmt;
			plain = true;
		}
	if (!plain && (o->n == 0 || format_given)) {
		struct tt_output *out = append(o);

		if (out == NULL) {
			tt_seterr(err, errlen, "out of memory");
			return -ENOMEM;
		}
		out->fmt = fmt;
	}
	for (size_t i = 0; i < o->n; i++)
		for (size_t j = 0; j < i; j++)
			if (same_file(&o->v[i], &o->v[j])) {
				tt_seterr(err, errlen,
				    "'%s' is named by two outputs (%s and "
				    "%s); each output needs its own file",
				    o->v[i].path ? o->v[i].path :
						   "standard output",
				    o->v[j].fmt->name, o->v[i].fmt->name);
				return -EINVAL;
			}
	return 0;
}

size_t
tt_outputs_write(struct tt_outputs *o, const struct tt_format_input *in)
{
	size_t failed = 0;

	for (size_t i = 0; i < o->n; i++) {
		struct tt_output *out = &o->v[i];
		struct tt_format_input one = *in;
		const char *name = out->path ? out->path : "standard output";
		struct tt_buf text;
		char why[512];
		int r;

		/* Colour is for a terminal, never for a file. */
		one.color = in->color && out->path == NULL;
		tt_buf_init(&text, TT_FORMAT_MAX_BYTES);
		if ((r = tt_format_write(out->fmt, o->kind, &one, &text, why,
			 sizeof(why))) < 0)
			tt_seterr(out->why, sizeof(out->why), "%s%s%s%s",
			    out->path ? "'" : "", out->path ? out->path : "",
			    out->path ? "': " : "", why);
		else if ((r = tt_format_emit(out->path, &text)) < 0)
			tt_seterr(out->why, sizeof(out->why),
			    "cannot write '%s': %s", name, tt_strerror(r));
		tt_buf_free(&text);
		out->error = r < 0 ? r : 0;
		if (r < 0)
			failed++;
	}
	return failed;
}

void
tt_outputs_free(struct tt_outputs *o)
{
	free(o->v);
	o->v = NULL;
	o->n = o->cap = 0;
}
