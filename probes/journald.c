#include "util.h"
#include "tt.h"

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_strv files = { 0 };
	int r;

	static const char *const dirs[] = {
		"/etc/systemd/journald.conf.d",
		"/run/systemd/journald.conf.d",
		"/usr/local/lib/systemd/journald.conf.d",
		"/usr/lib/systemd/journald.conf.d",
	};

	/* The main file first, then the drop-ins: a name in /etc masks
	 * the same name in /run and /usr/lib, as systemd-journald does. */
	r = tt_strv_add(&files, "/etc/systemd/journald.conf");
	if (r == 0)
		r = tt_dropin_files(a->root, dirs, TT_ARRAY_SIZE(dirs), ".conf",
		    &files);
	if (r == 0)
		r = tt_kv_probe(a, p, "kv:journald", &files, TT_KV_JOURNAL, out,
		    err, errlen);
	tt_strv_free(&files);
	return r;
}

const struct tt_probe tt_probe_journald = {
	.name = "journald",
	.description =
	    "a key of journald.conf [Journal] and its drop-ins (later wins)",
	.params = tt_kv_params,
	.fields = tt_kv_fields,
	.run = run,
};
