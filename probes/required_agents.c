/*
 * required_agents: the packages and systemd units a site requires in
 * every image (Azure Monitor Agent, Microsoft Defender for Endpoint...),
 * named by the rule's parameters, which a tailoring sets
 * (docs/tailoring.md): packages and units, each a list separated by
 * commas or white space.  Both empty (the pack's default): nothing is
 * required.
 *
 * It asks the package and systemd_unit probes, so the image's package
 * database is read once per audit whatever the number of rules.  One
 * item: required (what was asked, "none required" when nothing), missing
 * (each package not installed and unit not enabled, "package NAME" /
 * "unit NAME", comma separated; "" when none).
 */
#include "log.h"
#include "util.h"
#include "tt.h"

extern const struct tt_probe tt_probe_package, tt_probe_systemd_unit;

#define MAX_NAMES 64

static const struct tt_param_spec params[] = {
	{ "packages", TT_PARAM_STRING, false, NULL,
	    "packages that must be installed (azuremonitoragent,mdatp)" },
	{ "units", TT_PARAM_STRING, false, NULL,
	    "systemd units that must be enabled (azuremonitoragent.service)" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "required", "missing", NULL };

/* Asks probe about name (its one parameter) and whether the first
 * item's field is "true". */
static int
ask(struct tt_audit *a, const struct tt_probe *probe, const char *name,
    const char *field, bool *ret, char *err, size_t errlen)
{
	struct tt_params pp = { .probe = probe };
	struct tt_items items = { 0 };
	const char *v;
	int r;

	pp.v[0] = name;
	r = probe->run(a, &pp, &items, err, errlen);
	v = r == 0 && items.n > 0 ? tt_item_get(&items.v[0], field) : NULL;
	*ret = v != NULL && TT_STREQ(v, "true");
	tt_items_free(&items);
	return r;
}

static int
check_list(struct tt_audit *a, const char *list, const struct tt_probe *probe,
    const char *field, const char *kind, struct tt_buf *required,
    struct tt_buf *missing, char *err, size_t errlen)
{
	char buf[4096], *save = NULL;
	size_t n = 0;
	int r = 0;

	if (strlen(list) >= sizeof(buf)) {
		tt_seterr(err, errlen, "the %s list is longer than %zu bytes",
		    kind, sizeof(buf) - 1);
		return -EINVAL;
	}
	strlcpy(buf, list, sizeof(buf));
	for (char *w = strtok_r(buf, ", \t", &save); r == 0 && w != NULL;
	     w = strtok_r(NULL, ", \t", &save)) {
		bool ok;

		if (++n > MAX_NAMES) {
			tt_seterr(err, errlen, "more than %d %ss required",
			    MAX_NAMES, kind);
			return -EINVAL;
		}
		tt_buf_printf(required, "%s%s %s", required->len ? ", " : "",
		    kind, w);
		if ((r = ask(a, probe, w, field, &ok, err, errlen)) == 0 && !ok)
			tt_buf_printf(missing, "%s%s %s",
			    missing->len ? ", " : "", kind, w);
	}
	return r;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	struct tt_buf required, missing;
	struct tt_item *it;
	int r;

	tt_buf_init(&required, (size_t)64 * 1024);
	tt_buf_init(&missing, (size_t)64 * 1024);
	if ((r = check_list(a, tt_param(p, "packages", ""), &tt_probe_package,
		 "installed", "package", &required, &missing, err, errlen)) ==
	    0)
		r = check_list(a, tt_param(p, "units", ""),
		    &tt_probe_systemd_unit, "enabled", "unit", &required,
		    &missing, err, errlen);
	if (r == 0 && (r = tt_items_add(out, &it)) == 0 &&
	    (r = tt_item_set(it, "required",
		 required.len ? required.data : "none required")) == 0)
		r = tt_item_set(it, "missing", missing.len ? missing.data : "");
	tt_buf_free(&required);
	tt_buf_free(&missing);
	return r;
}

const struct tt_probe tt_probe_required_agents = {
	.name = "required_agents",
	.description = "whether the packages and systemd units a site "
		       "requires (rule parameters) are installed and enabled",
	.params = params,
	.fields = fields,
	.run = run,
};
