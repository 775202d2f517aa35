#include <errno.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "buf.h"
#include "fileio.h"
#include "rootfs.h"
#include "status.h"
#include "tattoo.h"
#include "tt_test.h"

/* A section with one integer member, name = value. */
static json_object *
section(const char *name, int value)
{
	json_object *o = json_object_new_object();

	json_object_object_add(o, name, json_object_new_int(value));
	return o;
}

static int
member_int(json_object *doc, const char *sec, const char *name)
{
	json_object *s, *v;

	if (!json_object_object_get_ex(doc, sec, &s) ||
	    !json_object_object_get_ex(s, name, &v))
		return -1;
	return json_object_get_int(v);
}

/* 1 when dir/state/status.json has no "status" section. */
static int
member_int_absent(const char *dir)
{
	char state[1100];
	json_object *doc = NULL, *v;
	int r;

	snprintf(state, sizeof(state), "%s/state", dir);
	if (tt_status_load(NULL, state, &doc) < 0)
		return -1;
	r = !json_object_object_get_ex(doc, "status", &v);
	json_object_put(doc);
	return r;
}

static void
test_load_absent(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	json_object *doc = NULL;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_status_load(&root, "/state", &doc), -ENOENT);
	CHECK(doc == NULL);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* The state directory is made, and the document carries the schema, the
 * time of the update and the section. */
static void
test_update_creates(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	json_object *doc = NULL, *v;
	char path[512];
	struct stat st;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_status_update(&root, "/var/lib/tattoo", "audit",
		      section("score", 42)),
	    0);
	snprintf(path, sizeof(path), "%s/var/lib/tattoo/status.json", d);
	CHECK_INT(stat(path, &st), 0);
	CHECK_INT(st.st_mode & 07777, 0644);
	CHECK_INT(tt_status_load(&root, "/var/lib/tattoo", &doc), 0);
	CHECK(doc != NULL);
	CHECK(json_object_object_get_ex(doc, "schema", &v) &&
	    json_object_get_int(v) == TT_STATUS_SCHEMA);
	CHECK(json_object_object_get_ex(doc, "updated", &v) &&
	    strlen(json_object_get_string(v)) == 20);
	CHECK_INT(member_int(doc, "audit", "score"), 42);
	json_object_put(doc);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* Each command replaces its own section only: the others stay as they
 * were, and a second update of one section replaces it whole. */
static void
test_sections_merged(void)
{
	static const struct {
		const char *sec, *member;
		int value;
	} steps[] = {
		{ "audit", "score", 10 },
		{ "report", "spool_depth", 3 },
		{ "scrub", "secrets", 7 },
		{ "audit", "pass", 99 },
	};
	char *d = tt_test_tmpdir();
	struct tt_root root;
	json_object *doc = NULL;

	CHECK_INT(tt_root_init(&root, d), 0);
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		CHECK_INT(tt_status_update(&root, "/s", steps[i].sec,
			      section(steps[i].member, steps[i].value)),
		    0);
	CHECK_INT(tt_status_load(&root, "/s", &doc), 0);
	CHECK_INT(member_int(doc, "audit", "pass"), 99);
	/* replaced whole, not merged member by member */
	CHECK_INT(member_int(doc, "audit", "score"), -1);
	CHECK_INT(member_int(doc, "report", "spool_depth"), 3);
	CHECK_INT(member_int(doc, "scrub", "secrets"), 7);
	json_object_put(doc);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* A status file that is not a JSON object is reported as malformed by
 * load, and replaced by update, the broken one kept beside it. */
static void
test_broken_kept(void)
{
	static const char *const broken[] = {
		"{ \"audit\": ",
		"[1, 2, 3]",
		"not json at all",
		"\"a string\"",
	};
	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		char *d = tt_test_tmpdir();
		struct tt_root root;
		json_object *doc = NULL;
		struct tt_buf b;

		CHECK_INT(tt_root_init(&root, d), 0);
		CHECK_INT(tt_root_mkdir_p(&root, "/s", 0755), 0);
		CHECK_INT(tt_atomic_write(&root, "/s/status.json", broken[i],
			      strlen(broken[i]), 0644),
		    0);
		CHECK_INT(tt_status_load(&root, "/s", &doc), -EBADMSG);
		CHECK_INT(tt_status_update(&root, "/s", "report",
			      section("dropped", 1)),
		    0);
		CHECK_INT(tt_read_file(&root, "/s/status.json.broken", 4096,
			      &b),
		    0);
		CHECK_STR(b.data, broken[i]);
		tt_buf_free(&b);
		CHECK_INT(tt_status_load(&root, "/s", &doc), 0);
		CHECK_INT(member_int(doc, "report", "dropped"), 1);
		json_object_put(doc);
		tt_root_close(&root);
		tt_test_rmtree(d);
		free(d);
	}
}

/* A FIFO planted as the lock is refused, without hanging. */
static void
test_lock_not_regular(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	char path[512];

	CHECK_INT(tt_root_init(&root, d), 0);
	snprintf(path, sizeof(path), "%s/status.lock", d);
	CHECK_INT(mkfifo(path, 0600), 0);
	CHECK(tt_status_update(&root, "/", "audit", section("x", 1)) < 0);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

/* tt_status_check: the recorded results and what is rechecked now, and
 * each failure with its kind. */
static void
test_check(void)
{
	char *d = tt_test_tmpdir(), *img = tt_test_tmpdir(), err[1024] = "";
	struct tt_root root;
	struct tt_config cfg = { 0 };
	struct tt_status_view v;

	CHECK_INT(tt_root_init(&root, img), 0);
	snprintf(cfg.state_dir, sizeof(cfg.state_dir), "%s/state", d);
	snprintf(cfg.spool_dir, sizeof(cfg.spool_dir), "%s/spool", d);
	CHECK_INT(tt_status_check(&root, &cfg, 1700000000, &v, err,
		      sizeof(err)),
	    -ENOENT);
	CHECK_INT(v.failure, TT_STATUS_FAILED_ABSENT);
	CHECK(strstr(err, "status.json") != NULL);

	tt_test_put(d, "/state/status.json", "[1, 2]");
	CHECK_INT(tt_status_check(&root, &cfg, 1700000000, &v, err,
		      sizeof(err)),
	    -EBADMSG);
	CHECK_INT(v.failure, TT_STATUS_FAILED_MALFORMED);
	CHECK(strstr(err, "not a JSON object") != NULL);

	tt_test_put(d, "/state/status.json",
	    "{\"schema\": 1, \"audit\": {\"compliant\": true}}");
	CHECK_INT(tt_status_check(&root, &cfg, 1700000000, &v, err,
		      sizeof(err)),
	    0);
	CHECK(v.compliant);
	CHECK(!v.drifted);
	CHECK_STR(v.verify, "absent");
	CHECK_INT(v.depth, 0);
	/* The image's recheck is shown, not recorded as the host's. */
	CHECK(!v.not_recorded);
	CHECK_STR(json_object_get_string(tt_json_path(v.doc, "status.time")),
	    "2023-11-14T22:13:20Z");
	json_object_put(v.doc);
	CHECK_INT(member_int_absent(d), 1);

	snprintf(cfg.trusted_keys, sizeof(cfg.trusted_keys),
	    "/nonexistent/key.pem");
	CHECK(
	    tt_status_check(&root, &cfg, 1700000000, &v, err, sizeof(err)) < 0);
	CHECK_INT(v.failure, TT_STATUS_FAILED_KEYS);
	CHECK(strstr(err, "/nonexistent/key.pem") != NULL);
	json_object_put(v.doc);
	tt_root_close(&root);
	tt_test_rmtree(d);
	tt_test_rmtree(img);
	free(d);
	free(img);
}

/* A rollback marks a section stale without touching the rest of it or the
 * other sections; no section, nothing written; the next update of that
 * section drops the mark. */
static void
test_mark_stale(void)
{
	char *d = tt_test_tmpdir();
	struct tt_root root;
	json_object *doc = NULL, *a, *v;

	CHECK_INT(tt_root_init(&root, d), 0);
	CHECK_INT(tt_status_mark_stale(&root, "/s", "audit", "why"), 0);
	CHECK_INT(tt_status_load(&root, "/s", &doc), -ENOENT);
	CHECK_INT(tt_status_update(&root, "/s", "report", section("n", 1)), 0);
	CHECK_INT(tt_status_mark_stale(&root, "/s", "audit", "why"), 0);
	CHECK_INT(tt_status_load(&root, "/s", &doc), 0);
	CHECK(!json_object_object_get_ex(doc, "audit", NULL));
	json_object_put(doc);
	CHECK_INT(tt_status_update(&root, "/s", "audit", section("score", 7)),
	    0);
	CHECK_INT(tt_status_mark_stale(&root, "/s", "audit", "rolled back R"),
	    0);
	CHECK_INT(tt_status_load(&root, "/s", &doc), 0);
	CHECK_INT(member_int(doc, "audit", "score"), 7);
	CHECK_INT(member_int(doc, "report", "n"), 1);
	CHECK(json_object_object_get_ex(doc, "audit", &a) &&
	    json_object_object_get_ex(a, "stale", &v) &&
	    strcmp(json_object_get_string(v), "rolled back R") == 0);
	json_object_put(doc);
	CHECK_INT(tt_status_update(&root, "/s", "audit", section("score", 8)),
	    0);
	CHECK_INT(tt_status_load(&root, "/s", &doc), 0);
	CHECK(json_object_object_get_ex(doc, "audit", &a) &&
	    !json_object_object_get_ex(a, "stale", NULL));
	json_object_put(doc);
	tt_root_close(&root);
	tt_test_rmtree(d);
	free(d);
}

int
main(void)
{
	RUN(test_load_absent);
	RUN(test_update_creates);
	RUN(test_sections_merged);
	RUN(test_broken_kept);
	RUN(test_lock_not_regular);
	RUN(test_check);
	RUN(test_mark_stale);
	TEST_EXIT();
}
