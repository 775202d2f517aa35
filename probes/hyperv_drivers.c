/*
 * hyperv_drivers: whether each kernel of the image can reach the Hyper-V
 * VMBus, its SCSI disks and its network at boot (hv_vmbus, hv_storvsc,
 * hv_netvsc), which an Azure VM needs before its root file system is
 * mounted.
 *
 * A driver is available for kernel V when it is built in: CONFIG_...=y in
 * /boot/config-V, or listed in /lib/modules/V/modules.builtin; or when it
 * is in the initramfs V boots with.  That is read from the image itself
 * when there is one (/boot/initrd.img-V of initramfs-tools,
 * /boot/initramfs-V.img of dracut): the member names of its cpio
 * archives (common/unpack.c: an uncompressed early-microcode cpio, then
 * the compressed one), a module file hv_vmbus.ko[.xz|.zst|.gz] under
 * lib/modules/V/.  Names only, nothing extracted, under size, member and
 * time bounds; an image that cannot be read is an error naming it and
 * why, never a guess.
 *
 * With no image (an image built by a pipeline that runs the generator at
 * first boot), the generator's configuration says what it will put in:
 *   - initramfs-tools: MODULES=most in initramfs.conf (or a conf.d file,
 *     the last assignment winning), whose auto_add_modules takes the
 *     Hyper-V storage and network drivers and hv_vmbus; or the driver
 *     named in /etc/initramfs-tools/modules;
 *   - dracut: the driver in add_drivers+= or force_drivers+= of
 *     /etc/dracut.conf or the .conf files of /etc/dracut.conf.d, or hostonly="no"
 *     (a generic initramfs with every storage and network driver).
 *
 * One item per kernel (a directory of /lib/modules): kernel, available
 * (all three), builtin, initramfs, missing (driver names, comma
 * separated), image (the initramfs image read, or empty) and source (what
 * said so: the image and what was in it, or the configuration) and text
 * (the same, quoted by a failed verdict).  No kernel in the image: no
 * items.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

#include "fileio.h"
#include "log.h"
#include "unpack.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "kernel", TT_PARAM_STRING, false, NULL,
	    "one kernel version (a directory of /lib/modules); default: "
	    "every kernel of the image" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "kernel", "available", "builtin",
	"initramfs", "missing", "image", "source", "text", NULL };

#define NDRIVERS 3
static const char *const drivers[NDRIVERS] = { "hv_vmbus", "hv_storvsc",
	"hv_netvsc" };
/* Their Kconfig symbols. */
static const char *const configs[NDRIVERS] = { "CONFIG_HYPERV",
	"CONFIG_HYPERV_STORAGE", "CONFIG_HYPERV_NET" };

/* Calls fn for each line of path (absent: none); 0 or a read error. */
static int
each_line(struct tt_audit *a, const char *path,
    void (*fn)(char *line, void *ctx), void *ctx, char *err, size_t errlen)
{
	struct tt_buf text;
	struct tt_lines l;
	char *line;
	int r;

	if ((r = tt_probe_lines_open(a, path, &text, &line, err, errlen)) <= 0)
		return r;
	tt_lines_init(&l, text.data ? text.data : "", text.len);
	while (tt_lines_next(&l, line, TT_PROBE_LINE_MAX, true, NULL) > 0)
		if (!tt_is_comment(line))
			fn(tt_trim(line), ctx);
	free(line);
	tt_buf_free(&text);
	return 0;
}

struct scan {
	bool have[NDRIVERS];
	bool most, most_set, all_drivers;
};

static void
kconfig_line(char *line, void *ctx)
{
	struct scan *s = ctx;

	for (size_t i = 0; i < NDRIVERS; i++) {
		size_t n = strlen(configs[i]);

		if (strncmp(line, configs[i], n) == 0 &&
		    TT_STREQ(line + n, "=y"))
			s->have[i] = true;
	}
}

/* modules.builtin: "kernel/drivers/hv/hv_vmbus.ko" per line. */
static void
builtin_line(char *line, void *ctx)
{
	struct scan *s = ctx;
	const char *base = strrchr(line, '/');

	base = base ? base + 1 : line;
	for (size_t i = 0; i < NDRIVERS; i++) {
		size_t n = strlen(drivers[i]);

		if (strncmp(base, drivers[i], n) == 0 &&
		    strncmp(base + n, ".ko", 3) == 0)
			s->have[i] = true;
	}
}

/* A word of a list (white space, quotes and commas separate). */
static void
words(const char *text, struct scan *s)
{
	char buf[TT_PROBE_LINE_MAX], *save = NULL;

	strlcpy(buf, text, sizeof(buf));
	for (char *w = strtok_r(buf, " \t\"',", &save); w != NULL;
	     w = strtok_r(NULL, " \t\"',", &save)) {
		/* modprobe and dracut take hv-vmbus for hv_vmbus. */
		for (char *q = w; *q; q++)
			if (*q == '-')
				*q = '_';
		for (size_t i = 0; i < NDRIVERS; i++)
			if (TT_STREQ(w, drivers[i]))
				s->have[i] = true;
	}
}

/* /etc/initramfs-tools/modules: a module name first on a line. */
static void
itools_modules_line(char *line, void *ctx)
{
	char name[256];

	strlcpy(name, line, sizeof(name));
	name[strcspn(name, " \t")] = '\0';
	words(name, ctx);
}

/* initramfs.conf: MODULES=most|dep|netboot|list, the last one wins. */
static void
itools_conf_line(char *line, void *ctx)
{
	struct scan *s = ctx;

	if (strncmp(line, "MODULES=", 8) == 0) {
		char v[32];

		strlcpy(v, line + 8, sizeof(v));
		v[strcspn(v, " \t#")] = '\0';
		s->most_set = true;
		s->most = TT_STREQ(v, "most") || TT_STREQ(v, "\"most\"") ||
		    TT_STREQ(v, "'most'");
	}
}

/* dracut.conf: add_drivers+=" a b ", force_drivers+=..., hostonly="no". */
static void
dracut_line(char *line, void *ctx)
{
	struct scan *s = ctx;
	const char *eq = strchr(line, '=');
	char key[64];
	size_t n;

	if (eq == NULL)
		return;
	n = (size_t)(eq - line);
	if (n > 0 && line[n - 1] == '+')
		n--;
	if (n >= sizeof(key))
		return;
	memcpy(key, line, n);
	key[n] = '\0';
	tt_trim(key);
	if (TT_STREQ(key, "add_drivers") || TT_STREQ(key, "force_drivers"))
		words(eq + 1, s);
	else if (TT_STREQ(key, "hostonly")) {
		char v[16];

		/* hostonly="no", hostonly=no; a comment may follow. */
		strlcpy(v, eq + 1 + strspn(eq + 1, "\"' \t"), sizeof(v));
		v[strcspn(v, "\"' \t#")] = '\0';
		s->all_drivers = TT_STREQ(v, "no");
	}
}

/* What the initramfs generators' configuration puts in, for every
 * kernel: read once. */
static int
initramfs_config(struct tt_audit *a, struct scan *s, const char **source,
    char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	int r;

	if ((r = each_line(a, "/etc/initramfs-tools/initramfs.conf",
		 itools_conf_line, s, err, errlen)) < 0 ||
	    (r = tt_probe_glob(a, "/etc/initramfs-tools/conf.d/*", &files, err,
		 errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < files.n; i++)
		r = each_line(a, files.v[i], itools_conf_line, s, err, errlen);
	tt_strv_free(&files);
	if (r < 0 ||
	    (r = each_line(a, "/etc/initramfs-tools/modules",
		 itools_modules_line, s, err, errlen)) < 0)
		return r;
	if (s->most) {
		*source = "initramfs-tools MODULES=most";
		for (size_t i = 0; i < NDRIVERS; i++)
			s->have[i] = true;
	}
	if ((r = each_line(a, "/etc/dracut.conf", dracut_line, s, err,
		 errlen)) < 0 ||
	    (r = tt_probe_glob(a, "/etc/dracut.conf.d/*.conf", &files, err,
		 errlen)) < 0)
		return r;
	for (size_t i = 0; r == 0 && i < files.n; i++)
		r = each_line(a, files.v[i], dracut_line, s, err, errlen);
	tt_strv_free(&files);
	if (r == 0 && s->all_drivers) {
		*source = "dracut hostonly=no";
		for (size_t i = 0; i < NDRIVERS; i++)
			s->have[i] = true;
	}
	return r;
}

static int
join(char *out, size_t len, const bool *set, bool want)
{
	out[0] = '\0';
	for (size_t i = 0; i < NDRIVERS; i++)
		if (set[i] == want) {
			if (out[0] != '\0')
				strlcat(out, ",", len);
			strlcat(out, drivers[i], len);
		}
	return 0;
}

static void __attribute__((format(printf, 3, 4)))
appendf(char *dst, size_t len, const char *fmt, ...)
{
	size_t used = strlen(dst);
	va_list ap;

	if (used + 1 >= len)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(dst + used, len - used, fmt, ap);
	va_end(ap);
}

/* The images the generators write for a kernel: initramfs-tools',
 * dracut's. */
static const char *const image_paths[][2] = {
	{ "/boot/initrd.img-", "" },
	{ "/boot/initramfs-", ".img" },
};

struct image_scan {
	char dir[320]; /* "lib/modules/V/": modules of this kernel only */
	bool want[NDRIVERS], have[NDRIVERS];
};

/* A member name of the image: a driver's module file under dir. */
static int
image_member(const char *name, void *arg)
{
	static const char *const exts[] = { ".ko", ".ko.xz", ".ko.zst",
		".ko.gz" };
	struct image_scan *s = arg;
	const char *base = strrchr(name, '/');
	bool all = true;

	base = base ? base + 1 : name;
	if (strstr(name, s->dir) == NULL)
		return 0;
	for (size_t i = 0; i < NDRIVERS; i++) {
		size_t n = strlen(drivers[i]);

		if (strncmp(base, drivers[i], n) != 0)
			continue;
		for (size_t e = 0; e < TT_ARRAY_SIZE(exts); e++)
			if (TT_STREQ(base + n, exts[e]))
				s->have[i] = true;
	}
	for (size_t i = 0; i < NDRIVERS; i++)
		all = all && (!s->want[i] || s->have[i]);
	return all ? 1 : 0; /* every driver looked for: enough read */
}

static bool
deadline_passed(void *arg)
{
	return tt_audit_timed_out(arg);
}

/*
 * Reads kernel kver's initramfs image for the drivers not built in
 * (want): 1 with path and what it holds in s, 0 when it has no image, or
 * a negative errno with err naming the image.
 */
static int
read_image(struct tt_audit *a, const char *kver, struct image_scan *s,
    char *path, size_t pathlen, char *desc, size_t desclen, char *err,
    size_t errlen)
{
	struct tt_unpack_limits lim;
	struct tt_unpack_info info;
	char why[256];
	int fd = -ENOENT, r;

	for (size_t i = 0; fd == -ENOENT && i < TT_ARRAY_SIZE(image_paths);
	     i++) {
		snprintf(path, pathlen, "%s%s%s", image_paths[i][0], kver,
		    image_paths[i][1]);
		/* Not following a link: the image's files never name a
		 * path outside it; O_NONBLOCK: a FIFO does not hang. */
		fd = tt_root_open(a->root, path,
		    O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0);
	}
	if (fd == -ENOENT) {
		path[0] = '\0';
		return 0;
	}
	if (fd < 0) {
		tt_seterr(err, errlen, "cannot open the initramfs '%s': %s",
		    path, tt_strerror(fd));
		return fd;
	}
	if ((r = tt_budget_charge(a, TT_BUDGET_KIND_FILE, 1, path, err,
		 errlen)) < 0) {
		close(fd);
		return r;
	}
	tt_unpack_limits_default(&lim);
	lim.cancelled = deadline_passed;
	lim.arg = a;
	r = tt_unpack_names(fd, &lim, image_member, s, &info, why, sizeof(why));
	close(fd);
	if (r < 0) {
		tt_seterr(err, errlen, "cannot read the initramfs '%s': %s",
		    path, why);
		return r;
	}
	snprintf(desc, desclen, "%s, %zu member(s) read",
	    info.filters[0] ? info.filters : "empty", info.members);
	return 1;
}

static int
kernel_item(struct tt_audit *a, const char *kver, const struct scan *initrd,
    const char *initrd_source, struct tt_items *out, char *err, size_t errlen)
{
	struct scan built = { 0 };
	struct image_scan img = { 0 };
	bool have[NDRIVERS], in_initrd[NDRIVERS], all_built = true;
	char path[512], image[512] = "", desc[160] = "", b[64], i_[64], m[64],
			source[512] = "";
	bool all = true;
	struct tt_item *it;
	int r;

	snprintf(path, sizeof(path), "/boot/config-%s", kver);
	if ((r = each_line(a, path, kconfig_line, &built, err, errlen)) < 0)
		return r;
	snprintf(path, sizeof(path), "/lib/modules/%s/modules.builtin", kver);
	if ((r = each_line(a, path, builtin_line, &built, err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < NDRIVERS; i++) {
		img.want[i] = !built.have[i];
		all_built = all_built && built.have[i];
	}
	snprintf(img.dir, sizeof(img.dir), "lib/modules/%s/", kver);
	if (!all_built &&
	    (r = read_image(a, kver, &img, image, sizeof(image), desc,
		 sizeof(desc), err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < NDRIVERS; i++) {
		bool extra = image[0] != '\0' ? img.have[i] : initrd->have[i];

		in_initrd[i] = !built.have[i] && extra;
		have[i] = built.have[i] || extra;
		all = all && have[i];
	}
	join(b, sizeof(b), built.have, true);
	join(i_, sizeof(i_), in_initrd, true);
	join(m, sizeof(m), have, false);
	if (b[0] != '\0')
		snprintf(source, sizeof(source), "built in: %s", b);
	if (image[0] != '\0') {
		/* What the image holds, and what it lacks. */
		bool lacks[NDRIVERS];
		char l[64];

		for (size_t i = 0; i < NDRIVERS; i++)
			lacks[i] = img.want[i] && !img.have[i];
		join(l, sizeof(l), lacks, true);
		appendf(source, sizeof(source), "%sinitramfs image %s (%s)",
		    source[0] ? "; " : "", image, desc);
		if (i_[0] != '\0')
			appendf(source, sizeof(source), ": has %s", i_);
		if (l[0] != '\0')
			appendf(source, sizeof(source), "%s lacks %s",
			    i_[0] ? "," : ":", l);
	} else if (!all_built) {
		appendf(source, sizeof(source),
		    "%sno initramfs image; its configuration (%s): %s",
		    source[0] ? "; " : "", initrd_source,
		    i_[0] ? i_ : "none of the others");
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "kernel", kver)) < 0 ||
	    (r = tt_item_set_bool(it, "available", all)) < 0 ||
	    (r = tt_item_set(it, "builtin", b)) < 0 ||
	    (r = tt_item_set(it, "initramfs", i_)) < 0 ||
	    (r = tt_item_set(it, "missing", m)) < 0 ||
	    (r = tt_item_set(it, "image", image)) < 0 ||
	    (r = tt_item_set(it, "source", source)) < 0)
		return r;
	/* The same again as text: a failed rule's verdict quotes an item's
	 * text (hardening/eval.c), so it says which image and what was in
	 * it. */
	return tt_item_set(it, "text", source);
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv kernels = { 0 };
	struct scan initrd = { 0 };
	const char *initrd_source = "initramfs configuration";
	int r;

	if ((r = tt_probe_list_dir(a, "/lib/modules", "", &kernels, err,
		 errlen)) < 0)
		return r;
	if (tt_param(p, "kernel", NULL) != NULL) {
		bool have = tt_strv_has(&kernels, tt_param(p, "kernel", NULL));

		tt_strv_free(&kernels);
		if (have &&
		    (r = tt_strv_add(&kernels, tt_param(p, "kernel", NULL))) <
			0)
			return r;
	}
	if (kernels.n > 0)
		r = initramfs_config(a, &initrd, &initrd_source, err, errlen);
	if (r == 0 && !initrd.most && !initrd.all_drivers)
		initrd_source = "initramfs modules list";
	for (size_t i = 0; r == 0 && i < kernels.n; i++)
		r = kernel_item(a, kernels.v[i], &initrd, initrd_source, out,
		    err, errlen);
	tt_strv_free(&kernels);
	return r;
}

const struct tt_probe tt_probe_hyperv_drivers = {
	.name = "hyperv_drivers",
	.description = "whether hv_vmbus, hv_storvsc and hv_netvsc are built "
		       "into each kernel or configured into its initramfs",
	.params = params,
	.fields = fields,
	.run = run,
};
