/*
 * tt_write_run (agent/write_run.h): a first tattoo, a second that keeps
 * it as its parent, a damaged parent refused or kept marked invalid, what
 * the run notes along the way, and --source parsing.
 */
#include <errno.h>

#include "tattoo.h"
#include "tt.h"
#include "tt_test.h"
#include "write_run.h"

static char notes[8192];

static void
collect(void *arg, enum tt_log_level level, const char *msg)
{
	(void)arg;
	snprintf(notes + strlen(notes), sizeof(notes) - strlen(notes),
	    "%d %s\n", (int)level, msg);
}

static void
opts_for(struct tt_write_opts *o, const struct tt_root *root,
    const struct tt_config *cfg, const char *version)
{
	memset(o, 0, sizeof(*o));
	o->root = root;
	o->cfg = cfg;
	o->fields.image_name = "golden";
	o->fields.image_version = version;
	o->fields.published = "2026-11-24T06:00:00Z";
	o->no_imds = true;
	o->note = collect;
	notes[0] = '\0';
}

static void
first_then_second_with_parent(void)
{
	char *d = tt_test_tmpdir(), err[4096] = "";
	struct tt_root root;
	struct tt_config cfg = { 0 };
	struct tt_write_opts o;
	struct tt_write_result res;
	struct tt_write_source src;
	json_object *t = NULL, *v;

	tt_test_put(d, "/etc/os-release", "ID=testos\nVERSION_ID=1\n");
	tt_test_put(d, "/usr/lib/modules/6.1.0-9-amd64/.keep", "");
	tt_test_put(d, "/usr/lib/modules/6.1.0-13-amd64/.keep", "");
	CHECK_INT(tt_root_init(&root, d), 0);
	opts_for(&o, &root, &cfg, "1.0.0");
	CHECK_INT(tt_write_parse_source("pub:offer:sku:1.2.3", &src), 0);
	o.source = &src;
	CHECK_INT(tt_write_run(&o, &res, err, sizeof(err)), 0);
	CHECK_INT(res.parent, TT_PARENT_UNRECORDED);
	CHECK_STR(res.origin, "cli");
	CHECK(strncmp(res.digest, "sha256:", 7) == 0);
	CHECK(!res.sealed_with_key);
	/* No pack applies to testos: said, and the tattoo has no baseline. */
	CHECK(strstr(notes, "the tattoo has no baseline") != NULL);
	CHECK_INT(tt_tattoo_load(&root, TT_TATTOO_PATH, &t, err, sizeof(err)),
	    0);
	CHECK_STR(json_object_get_string(tt_json_path(t, "image.version")),
	    "1.0.0");
	CHECK_STR(json_object_get_string(tt_json_path(t, "source.sku")), "sku");
	/* The image's newest kernel, by version. */
	CHECK_STR(json_object_get_string(tt_json_path(t, "os.kernel")),
	    "6.1.0-13-amd64");
	json_object_put(t);
	t = NULL;

	/* The second keeps the first as its parent, unsigned, and says so. */
	opts_for(&o, &root, &cfg, "1.1.0");
	CHECK_INT(tt_write_run(&o, &res, err, sizeof(err)), 0);
	CHECK_INT(res.parent, TT_PARENT_UNSIGNED);
	CHECK_STR(res.origin, "unknown");
	CHECK(strstr(notes, "source image unknown: --no-imds") != NULL);
	CHECK(strstr(notes, "is not signed") != NULL);
	CHECK_INT(tt_tattoo_load(&root, TT_TATTOO_PATH, &t, err, sizeof(err)),
	    0);
	v = tt_json_path(t, "parent.image.version");
	CHECK(v != NULL && TT_STREQ(json_object_get_string(v), "1.0.0"));
	json_object_put(t);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
damaged_parent_refused_unless_allowed(void)
{
	char *d = tt_test_tmpdir(), err[4096] = "";
	struct tt_root root;
	struct tt_config cfg = { 0 };
	struct tt_write_opts o;
	struct tt_write_result res;

	tt_test_put(d, "/etc/os-release", "ID=testos\n");
	tt_test_put(d, TT_TATTOO_PATH,
	    "{\"schema\": 1, \"image\": {\"name\": \"old\", "
	    "\"version\": \"0.1\"}, \"digest\": \"sha256:00\"}\n");
	CHECK_INT(tt_root_init(&root, d), 0);
	opts_for(&o, &root, &cfg, "2.0.0");
	CHECK(tt_write_run(&o, &res, err, sizeof(err)) < 0);
	CHECK_INT(res.failure, TT_WRITE_FAILED_INPUT);
	CHECK(strstr(err, "does not verify") != NULL);
	CHECK(strstr(err, "--allow-untrusted-parent") != NULL);

	opts_for(&o, &root, &cfg, "2.0.0");
	o.allow_untrusted = true;
	err[0] = '\0';
	CHECK_INT(tt_write_run(&o, &res, err, sizeof(err)), 0);
	CHECK_INT(res.parent, TT_PARENT_INVALID);
	CHECK(strstr(notes, "marked invalid") != NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
a_missing_sign_key_is_input(void)
{
	char *d = tt_test_tmpdir(), err[4096] = "";
	struct tt_root root;
	struct tt_config cfg = { 0 };
	struct tt_write_opts o;
	struct tt_write_result res;

	CHECK_INT(tt_root_init(&root, d), 0);
	opts_for(&o, &root, &cfg, "1.0.0");
	o.sign_key = "/nonexistent/key.pem";
	CHECK(tt_write_run(&o, &res, err, sizeof(err)) < 0);
	CHECK_INT(res.failure, TT_WRITE_FAILED_INPUT);
	CHECK(strstr(err, "/nonexistent/key.pem") != NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

static void
source_urns(void)
{
	struct tt_write_source s;

	CHECK_INT(tt_write_parse_source("a:b:c:d", &s), 0);
	CHECK_STR(s.publisher, "a");
	CHECK_STR(s.version, "d");
	CHECK_STR(s.origin, "cli");
	CHECK_INT(tt_write_parse_source("a:b:c", &s), -EINVAL);
	CHECK_INT(tt_write_parse_source("a::c:d", &s), -EINVAL);
	CHECK_INT(tt_write_parse_source("a:b:c:d:e", &s), -EINVAL);
	CHECK_INT(tt_write_parse_source("", &s), -EINVAL);
}

int
main(void)
{
	RUN(first_then_second_with_parent);
	RUN(damaged_parent_refused_unless_allowed);
	RUN(a_missing_sign_key_is_input);
	RUN(source_urns);
	TEST_EXIT();
}
