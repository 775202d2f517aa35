/*
 * hyperv_drivers: whether each kernel of the image can reach the Hyper-V
 * VMBus, its SCSI disks and its network at boot (hv_vmbus, hv_storvsc,
 * hv_netvsc), which an Azure VM needs before its root file system is
 * mounted.
 *
 * A driver is available for kernel V when it is built in: CONFIG_...=y in
 * /boot/config-V, or listed in /lib/modules/V/modules.builtin; or when the
 * initramfs generator is configured to put it in the initramfs:
 *   - initramfs-tools: MODULES=most in initramfs.conf (or a conf.d file,
 *     the last assignment winning), whose auto_add_modules takes the
 *     Hyper-V storage and network drivers and hv_vmbus; or the driver
 *     named in /etc/initramfs-tools/modules;
 *   - dracut: the driver in add_drivers+= or force_drivers+= of
 *     /etc/dracut.conf or the .conf files of /etc/dracut.conf.d, or hostonly="no"
 *     (a generic initramfs with every storage and network driver).
 * The initramfs image itself is not opened: that is a compressed cpio,
 * often behind an early-microcode archive, and reading it here would mean
 * decompressing a hostile archive in every audit.  The configuration is
 * what the next update-initramfs or dracut run builds from, which is the
 * initramfs the VM boots after the image's next kernel update too.
 *
 * One item per kernel (a directory of /lib/modules): kernel, available
 * (all three), builtin, initramfs, missing (driver names, comma
 * separated) and source (which configuration said so).  No kernel in the
 * image: no items.
 */
#include "fileio.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const struct tt_param_spec params[] = {
	{ "kernel", TT_PARAM_STRING, false, NULL,
	    "one kernel version (a directory of /lib/modules); default: "
	    "every kernel of the image" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "kernel", "available", "builtin",
	"initramfs", "missing", "source", NULL };

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

static int
kernel_item(struct tt_audit *a, const char *kver, const struct scan *initrd,
    const char *initrd_source, struct tt_items *out, char *err, size_t errlen)
{
	struct scan built = { 0 };
	bool have[NDRIVERS], in_initrd[NDRIVERS];
	char path[512], b[64], i_[64], m[64], source[160] = "";
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
		in_initrd[i] = !built.have[i] && initrd->have[i];
		have[i] = built.have[i] || initrd->have[i];
		all = all && have[i];
	}
	join(b, sizeof(b), built.have, true);
	join(i_, sizeof(i_), in_initrd, true);
	join(m, sizeof(m), have, false);
	if (b[0] != '\0')
		strlcpy(source, "built in", sizeof(source));
	if (i_[0] != '\0') {
		if (source[0] != '\0')
			strlcat(source, "; ", sizeof(source));
		strlcat(source, initrd_source, sizeof(source));
	}
	if ((r = tt_items_add(out, &it)) < 0 ||
	    (r = tt_item_set(it, "kernel", kver)) < 0 ||
	    (r = tt_item_set_bool(it, "available", all)) < 0 ||
	    (r = tt_item_set(it, "builtin", b)) < 0 ||
	    (r = tt_item_set(it, "initramfs", i_)) < 0 ||
	    (r = tt_item_set(it, "missing", m)) < 0)
		return r;
	return tt_item_set(it, "source", source);
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
