#include <errno.h>

#include <bsd/string.h>

#include <json-c/json.h>

#include "gallery.h"
#include "tt.h"
#include "tt_test.h"

#define IMG                                                                    \
	"/subscriptions/s1/resourceGroups/rg-img/providers/"                   \
	"Microsoft.Compute/galleries/corp/images/golden"

/* 2026-06-01T00:00:00Z */
#define NOW ((time_t)1780272000)

static void
test_version_parse(void)
{
	uint32_t v[3];

	CHECK_INT(tt_gallery_version_parse("1.4.0", v), 0);
	CHECK_INT(v[0], 1);
	CHECK_INT(v[1], 4);
	CHECK_INT(v[2], 0);
	CHECK_INT(tt_gallery_version_parse("2147483647.0.10", v), 0);
	CHECK_INT(v[0], 2147483647);
	CHECK_INT(tt_gallery_version_parse("2147483648.0.0", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("1.4", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("1.4.0.1", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("1..0", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("1.4.0 ", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("-1.4.0", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("latest", v), -EINVAL);
	CHECK_INT(tt_gallery_version_parse("", v), -EINVAL);
}

/* Numbers, not text: 1.10.0 is newer than 1.9.0. */
static void
test_version_cmp(void)
{
	CHECK(tt_gallery_version_cmp("1.10.0", "1.9.0") > 0);
	CHECK(tt_gallery_version_cmp("1.9.0", "1.10.0") < 0);
	CHECK(tt_gallery_version_cmp("2.0.0", "1.99.99") > 0);
	CHECK(tt_gallery_version_cmp("1.4.0", "1.4.0") == 0);
	CHECK(tt_gallery_version_cmp("01.4.0", "1.4.0") == 0);
	CHECK(tt_gallery_version_cmp("1.4.1", "1.4.0") > 0);
	CHECK(tt_gallery_version_cmp("junk", "0.0.0") < 0);
	CHECK(tt_gallery_version_cmp("0.0.0", "junk") > 0);
}

static void
test_split_id(void)
{
	char image[1024], version[64];

	CHECK_INT(tt_gallery_split_id(IMG "/versions/1.4.0", image,
		      sizeof(image), version, sizeof(version)),
	    0);
	CHECK_STR(image, IMG);
	CHECK_STR(version, "1.4.0");
	CHECK_INT(tt_gallery_split_id(IMG, image, sizeof(image), version,
		      sizeof(version)),
	    0);
	CHECK_STR(image, IMG);
	CHECK_STR(version, "");
	/* ARM ids are case-insensitive. */
	CHECK_INT(tt_gallery_split_id("/SUBSCRIPTIONS/s/RESOURCEGROUPS/g/"
				      "PROVIDERS/microsoft.compute/GALLERIES/"
				      "c/IMAGES/i/VERSIONS/1.0.0",
		      image, sizeof(image), version, sizeof(version)),
	    0);
	/* What could steer the URL is refused. */
	static const char *const bad[] = {
		"",
		"subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
		"galleries/c/images/i",
		IMG "/versions/latest",
		IMG "/versions/1.4.0/extra",
		IMG "/",
		IMG "?x=1",
		IMG "#x",
		IMG "%2F",
		"/subscriptions/s/resourceGroups/../providers/"
		"Microsoft.Compute/galleries/c/images/i",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Storage/"
		"galleries/c/images/i",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
		"virtualMachines/c/images/i",
		"/subscriptions//resourceGroups/g/providers/Microsoft.Compute/"
		"galleries/c/images/i",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
		"galleries/c",
		"/subscriptions/s/resourceGroups/g/providers/Microsoft.Compute/"
		"galleries/c/images/i j",
	};
	for (size_t i = 0; i < TT_ARRAY_SIZE(bad); i++) {
		int r = tt_gallery_split_id(bad[i], image, sizeof(image),
		    version, sizeof(version));

		if (r != -EINVAL)
			fprintf(stderr, "# accepted: %s\n", bad[i]);
		CHECK_INT(r, -EINVAL);
	}
}

static const char page[] =
    "{\"value\": ["
    "{\"name\": \"1.5.0\", \"properties\": {\"publishingProfile\": "
    "{\"excludeFromLatest\": false, \"endOfLifeDate\": "
    "\"2099-01-01T00:00:00+00:00\"}, \"provisioningState\": "
    "\"Succeeded\"}},"
    "{\"name\": \"1.3.0\", \"properties\": {\"publishingProfile\": "
    "{\"endOfLifeDate\": \"2026-01-01T00:00:00.0000000+00:00\"}, "
    "\"provisioningState\": \"Succeeded\"}},"
    "{\"name\": \"1.6.0\", \"properties\": {\"publishingProfile\": "
    "{\"excludeFromLatest\": true}, \"provisioningState\": "
    "\"Succeeded\"}},"
    "{\"name\": \"1.10.0\", \"properties\": {\"publishingProfile\": {}, "
    "\"provisioningState\": \"Failed\"}},"
    "{\"name\": \"not-a-version\", \"properties\": {}},"
    "{\"name\": \"1.4.0\", \"properties\": {\"publishingProfile\": {}, "
    "\"provisioningState\": \"Succeeded\"}}"
    "], \"nextLink\": \"https://arm/next\"}";

static void
parse(struct tt_gallery_list *l)
{
	char next[256], err[256];

	memset(l, 0, sizeof(*l));
	CHECK_INT(tt_gallery_parse_page(page, strlen(page), l, next,
		      sizeof(next), err, sizeof(err)),
	    0);
	CHECK_STR(next, "https://arm/next");
}

static void
test_parse_page(void)
{
	struct tt_gallery_list l;
	char next[256], err[256];

	parse(&l);
	CHECK_INT(l.n, 5);
	CHECK_STR(l.v[0].name, "1.5.0");
	CHECK(l.v[0].succeeded && !l.v[0].exclude_from_latest);
	CHECK(l.v[1].eol > 0 && l.v[1].eol < NOW);
	CHECK(l.v[2].exclude_from_latest);
	CHECK(!l.v[3].succeeded);
	CHECK_INT(l.v[4].eol, -1);
	tt_gallery_list_free(&l);

	memset(&l, 0, sizeof(l));
	CHECK_INT(tt_gallery_parse_page("[]", 2, &l, next, sizeof(next), err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK_INT(tt_gallery_parse_page("{\"value\": [{\"name\": \"1.0.0\", "
					"\"properties\": {\"publishingProfile\""
					": {\"endOfLifeDate\": \"soon\"}}}]}",
		      strlen("{\"value\": [{\"name\": \"1.0.0\", "
			     "\"properties\": {\"publishingProfile\""
			     ": {\"endOfLifeDate\": \"soon\"}}}]}"),
		      &l, next, sizeof(next), err, sizeof(err)),
	    -EBADMSG);
	CHECK(strstr(err, "endOfLifeDate") != NULL);
	tt_gallery_list_free(&l);
}

static void
judge(const struct tt_gallery_list *l, const char *version,
    struct tt_image_fresh *f)
{
	memset(f, 0, sizeof(*f));
	tt_gallery_judge(l, version, NOW, f);
}

static void
test_judge(void)
{
	struct tt_gallery_list l;
	struct tt_image_fresh f;

	parse(&l);
	/* 1.6.0 is excluded, 1.10.0 failed: 1.5.0 is the latest. */
	judge(&l, "1.4.0", &f);
	CHECK_INT(f.status, TT_IMAGE_OUTDATED);
	CHECK_STR(f.latest, "1.5.0");
	CHECK_STR(f.eol, "");
	judge(&l, "1.3.0", &f);
	CHECK_INT(f.status, TT_IMAGE_EOL);
	CHECK_STR(f.eol, "2026-01-01T00:00:00Z");
	CHECK_STR(f.latest, "1.5.0");
	judge(&l, "1.5.0", &f);
	CHECK_INT(f.status, TT_IMAGE_LATEST);
	CHECK_STR(f.eol, "2099-01-01T00:00:00Z");
	judge(&l, "1.6.0", &f);
	CHECK_INT(f.status, TT_IMAGE_LATEST);
	CHECK(strstr(f.why, "excluded from latest") != NULL);
	/* A version no longer in the gallery: judged by number. */
	judge(&l, "1.2.0", &f);
	CHECK_INT(f.status, TT_IMAGE_OUTDATED);
	CHECK(strstr(f.why, "no longer in the gallery") != NULL);
	judge(&l, "latest", &f);
	CHECK_INT(f.status, TT_IMAGE_UNKNOWN);
	/* An error is unknown, never latest. */
	strlcpy(l.error, "ARM refused with HTTP 403", sizeof(l.error));
	judge(&l, "1.5.0", &f);
	CHECK_INT(f.status, TT_IMAGE_UNKNOWN);
	CHECK_STR(f.why, "ARM refused with HTTP 403");
	CHECK_STR(f.latest, "");
	l.error[0] = '\0';
	/* No version counts for latest: unknown. */
	for (size_t i = 0; i < l.n; i++)
		l.v[i].exclude_from_latest = true;
	judge(&l, "1.5.0", &f);
	CHECK_INT(f.status, TT_IMAGE_UNKNOWN);
	tt_gallery_list_free(&l);
}

static void
test_cache(void)
{
	char *d = tt_test_tmpdir(), err[512];
	struct tt_gallery_list l, back;
	struct tt_root root;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_gallery_load(&root, "/state", IMG, NOW, &back, err,
		      sizeof(err)),
	    -ENOENT);
	parse(&l);
	strlcpy(l.image, IMG, sizeof(l.image));
	l.checked = NOW - 3600;
	CHECK_INT(tt_gallery_save(&root, "/state", &l), 0);
	CHECK_INT(tt_gallery_load(&root, "/state", IMG, NOW, &back, err,
		      sizeof(err)),
	    0);
	CHECK_INT(back.n, 5);
	CHECK_STR(back.v[1].name, "1.3.0");
	CHECK_INT(back.v[1].eol, l.v[1].eol);
	CHECK(back.v[2].exclude_from_latest && !back.v[3].succeeded);
	CHECK_INT(back.checked, NOW - 3600);
	tt_gallery_list_free(&back);
	/* Another image (case aside), a day later, the future. */
	CHECK_INT(tt_gallery_load(&root, "/state",
		      "/subscriptions/s1/resourceGroups/rg-img/providers/"
		      "Microsoft.Compute/galleries/corp/images/other",
		      NOW, &back, err, sizeof(err)),
	    -ENOENT);
	CHECK_INT(tt_gallery_load(&root, "/state",
		      "/SUBSCRIPTIONS/s1/resourceGroups/rg-img/providers/"
		      "Microsoft.Compute/galleries/corp/images/GOLDEN",
		      NOW, &back, err, sizeof(err)),
	    0);
	tt_gallery_list_free(&back);
	CHECK_INT(tt_gallery_load(&root, "/state", IMG, NOW - 3600 + 86400,
		      &back, err, sizeof(err)),
	    -ENOENT);
	CHECK_INT(tt_gallery_load(&root, "/state", IMG, NOW - 7200, &back, err,
		      sizeof(err)),
	    -EBADMSG);
	tt_gallery_list_free(&l);
	/* What this module does not write is not believed. */
	static const char *const bad[] = {
		"[]",
		"{\"image\": \"" IMG "\", \"checked\": 1780270000, "
		"\"error\": \"\"}",
		"{\"image\": \"" IMG "\", \"checked\": \"1780270000\", "
		"\"error\": \"\", \"versions\": []}",
		"{\"image\": \"" IMG "\", \"checked\": 1780270000, "
		"\"error\": \"\", \"versions\": [{\"name\": \"x\", "
		"\"exclude_from_latest\": false, \"succeeded\": true, "
		"\"end_of_life\": null}]}",
		"{\"image\": \"" IMG "\", \"checked\": 1780270000, "
		"\"error\": \"\", \"versions\": [{\"name\": \"1.0.0\", "
		"\"exclude_from_latest\": 0, \"succeeded\": true, "
		"\"end_of_life\": null}]}",
		"{\"image\": \"" IMG "\", \"checked\": 1780270000, "
		"\"error\": \"\", \"versions\": [{\"name\": \"1.0.0\", "
		"\"exclude_from_latest\": false, \"succeeded\": true, "
		"\"end_of_life\": -5}]}",
	};
	for (size_t i = 0; i < TT_ARRAY_SIZE(bad); i++) {
		tt_test_put(d, "/state/" TT_GALLERY_CACHE_FILE, bad[i]);
		CHECK_INT(tt_gallery_load(&root, "/state", IMG, NOW, &back, err,
			      sizeof(err)),
		    -EBADMSG);
		CHECK(back.v == NULL && back.n == 0);
	}
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
test_json(void)
{
	struct tt_image_fresh f = { .status = TT_IMAGE_OUTDATED,
		.checked = NOW };
	json_object *o;

	strlcpy(f.version, "1.4.0", sizeof(f.version));
	strlcpy(f.latest, "1.5.0", sizeof(f.latest));
	o = tt_image_fresh_json(&f);
	CHECK_STR(json_object_get_string(json_object_object_get(o, "status")),
	    "outdated");
	CHECK_STR(json_object_get_string(json_object_object_get(o, "checked")),
	    "2026-06-01T00:00:00Z");
	json_object_put(o);
	f.checked = -1;
	o = tt_image_fresh_json(&f);
	CHECK(json_object_object_get(o, "checked") == NULL);
	json_object_put(o);
}

int
main(void)
{
	RUN(test_version_parse);
	RUN(test_version_cmp);
	RUN(test_split_id);
	RUN(test_parse_page);
	RUN(test_judge);
	RUN(test_cache);
	RUN(test_json);
	TEST_EXIT();
}
