#include <fcntl.h>
#include <stdio.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "canon.h"
#include "crypto.h"
#include "json.h"
#include "fileio.h"
#include "jsonb.h"
#include "log.h"
#include "osrelease.h"
#include "spool.h"
#include "status.h"
#include "tattoo.h"
#include "timeutil.h"
#include "tt.h"

#define STATUS_MAX_BYTES ((size_t)4 * 1024 * 1024)

static int
join(char *out, size_t size, const char *dir, const char *name)
{
	int n = snprintf(out, size, "%s/%s", dir, name);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int
tt_status_load(const struct tt_root *root, const char *state_dir,
    json_object **ret)
{
	char path[PATH_MAX], why[256];
	struct tt_buf text;
	json_object *obj;
	int r;

	if ((r = join(path, sizeof(path), state_dir, TT_STATUS_FILE)) < 0)
		return r;
	if ((r = tt_read_file(root, path, STATUS_MAX_BYTES, &text)) < 0)
		return r;
	obj = tt_json_parse(text.data, text.len, why, sizeof(why));
	tt_buf_free(&text);
	if (obj == NULL || !json_object_is_type(obj, json_type_object)) {
		json_object_put(obj);
		return -EBADMSG;
	}
	*ret = obj;
	return 0;
}

/* The read-modify-write of status.json under its lock: section replaces
 * the section name, or (section NULL) stale is set in the section name
 * that is there, if any. */
static int
rewrite(const struct tt_root *root, const char *state_dir, const char *name,
    json_object *section, const char *stale)
{
	char path[PATH_MAX], lock[PATH_MAX], broken[PATH_MAX];
	char now[TT_RFC3339_LEN];
	json_object *doc = NULL;
	const char *text;
	int lockfd = -1, r;

	if ((r = join(path, sizeof(path), state_dir, TT_STATUS_FILE)) < 0 ||
	    (r = join(lock, sizeof(lock), state_dir, "status.lock")) < 0 ||
	    (r = join(broken, sizeof(broken), state_dir,
		 TT_STATUS_FILE ".broken")) < 0)
		goto out;
	if ((r = tt_root_mkdir_p(root, state_dir, 0755)) < 0)
		goto out;
	/* O_NONBLOCK | O_NOCTTY: a FIFO or device planted as the lock must
	 * neither hang nor become our terminal before it is refused. */
	lockfd = tt_root_open(root, lock,
	    O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY, 0600);
	if (lockfd < 0) {
		r = lockfd;
		goto out;
	}
	{
		struct stat st;

		if (fstat(lockfd, &st) < 0 || !S_ISREG(st.st_mode)) {
			r = -TT_ENOTREG;
			goto out;
		}
	}
	while (flock(lockfd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			r = -errno;
			goto out;
		}
	}
	r = tt_status_load(root, state_dir, &doc);
	if (r == -EBADMSG) {
		struct tt_buf old;

		if (tt_read_file(root, path, STATUS_MAX_BYTES, &old) == 0) {
			tt_atomic_write(root, broken, old.data, old.len, 0644);
			tt_buf_free(&old);
		}
	}
	if (r < 0) {
		doc = json_object_new_object();
		if (doc == NULL) {
			r = -ENOMEM;
			goto out;
		}
	}
	tt_rfc3339_format(time(NULL), now);
	r = 0;
	tt_jsonb_int(doc, "schema", TT_STATUS_SCHEMA, &r);
	tt_jsonb_str(doc, "updated", now, &r);
	if (section != NULL) {
		tt_jsonb_add(doc, name, section, &r);
		section = NULL;
	} else {
		json_object *old = NULL;

		if (!json_object_object_get_ex(doc, name, &old) ||
		    !json_object_is_type(old, json_type_object))
			goto out; /* nothing recorded: nothing to mark */
		tt_jsonb_str(old, "stale", stale, &r);
	}
	if (r < 0)
		goto out;
	text = json_object_to_json_string_ext(doc,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		JSON_C_TO_STRING_NOSLASHESCAPE);
	if (text == NULL) {
		r = -ENOMEM;
		goto out;
	}
	r = tt_atomic_write(root, path, text, strlen(text), 0644);
out:
	json_object_put(section);
	json_object_put(doc);
	if (lockfd >= 0)
		close(lockfd);
	return r;
}

int
tt_status_update(const struct tt_root *root, const char *state_dir,
    const char *name, json_object *section)
{
	if (section == NULL)
		return -ENOMEM;
	return rewrite(root, state_dir, name, section, NULL);
}

int
tt_status_mark_stale(const struct tt_root *root, const char *state_dir,
    const char *name, const char *why)
{
	return rewrite(root, state_dir, name, NULL, why);
}

/* The spool's depth now (the last report's figure may be old). */
static long
live_depth(const struct tt_config *cfg, uint64_t *bytes)
{
	struct tt_spool_entry *v = NULL;
	struct tt_spool s = { .dirfd = -1 };
	struct stat st;
	size_t n = 0;

	*bytes = 0;
	/* status reads; it does not create the spool directory. */
	if (tt_root_stat(NULL, cfg->spool_dir, &st, true) < 0)
		return 0;
	if (tt_spool_open(&s, NULL, cfg->spool_dir, cfg->spool_max_bytes) < 0)
		return -1;
	if (tt_spool_list(&s, &v, &n, bytes) < 0)
		n = 0;
	free(v);
	tt_spool_close(&s);
	return (long)n;
}

/* The tattoo and the OS now, against the last report's drift. */
static int
recheck(const struct tt_root *root, const struct tt_config *cfg, time_t now,
    struct tt_status_view *v, char *err, size_t errlen)
{
	enum tt_verify_result verify = TT_VERIFY_MALFORMED;
	struct tt_keyring trusted = { 0 };
	struct tt_osrelease os = { 0 };
	json_object *tattoo = NULL, *m;
	char why[512], by[128];
	int r;

	if ((r = tt_keyring_add_list(&trusted, cfg->trusted_keys, why,
		 sizeof(why))) < 0) {
		tt_seterr(err, errlen, "%s", why);
		v->failure = TT_STATUS_FAILED_KEYS;
		return r;
	}
	r = tt_tattoo_load(root, TT_TATTOO_PATH, &tattoo, why, sizeof(why));
	if (r == 0)
		verify = tt_tattoo_verify(tattoo, trusted.key, trusted.n, why,
		    sizeof(why), by, sizeof(by));
	/* The same words as report's tag: "valid" only when a trusted key
	 * verified the signature. */
	v->verify =
	    r == -ENOENT ? "absent" : tt_verify_word(verify, trusted.n > 0);
	if (tt_osrelease_load(&os, root) < 0)
		tt_osrelease_free(&os);
	tt_drift_compute(tattoo, verify, os.n ? &os : NULL, NULL, now,
	    cfg->max_tattoo_age_days, &v->drift);
	/* What only the report round can tell (IMDS, ARM): its answers. */
	m = tt_json_path(v->doc, "report.drift.image_mismatch");
	if (m != NULL && json_object_is_type(m, json_type_boolean))
		v->drift.image_mismatch =
		    json_object_get_boolean(m) ? TT_YES : TT_NO;
	m = tt_json_path(v->doc, "report.drift.image_outdated");
	if (m != NULL && json_object_is_type(m, json_type_boolean))
		v->drift.image_outdated =
		    json_object_get_boolean(m) ? TT_YES : TT_NO;
	m = tt_json_path(v->doc, "report.drift.image_eol");
	if (m != NULL && json_object_is_type(m, json_type_boolean))
		v->drift.image_eol =
		    json_object_get_boolean(m) ? TT_YES : TT_NO;
	v->depth = live_depth(cfg, &v->bytes);
	tt_drift_names(&v->drift, v->drift_names, sizeof(v->drift_names));
	tt_keyring_free(&trusted);
	json_object_put(tattoo);
	tt_osrelease_free(&os);
	return 0;
}

/* The "status" section of what was rechecked; NULL when out of memory. */
static json_object *
section(const struct tt_status_view *v, time_t now)
{
	json_object *sec = json_object_new_object();
	char when[32];
	struct tm tm;
	int e = 0;

	if (sec == NULL)
		return NULL;
	gmtime_r(&now, &tm);
	if (strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		when[0] = '\0';
	tt_jsonb_str(sec, "time", when, &e);
	tt_jsonb_int(sec, "spool_depth", v->depth, &e);
	tt_jsonb_int(sec, "spool_bytes", (int64_t)v->bytes, &e);
	tt_jsonb_add(sec, "drift", tt_drift_json(&v->drift), &e);
	tt_jsonb_str(sec, "drift_names", v->drift_names, &e);
	tt_jsonb_str(sec, "verify", v->verify, &e);
	if (e < 0) {
		json_object_put(sec);
		return NULL;
	}
	return sec;
}

int
tt_status_check(const struct tt_root *root, const struct tt_config *cfg,
    time_t now, struct tt_status_view *v, char *err, size_t errlen)
{
	json_object *sec, *m;
	int r, e = 0;

	memset(v, 0, sizeof(*v));
	r = tt_status_load(NULL, cfg->state_dir, &v->doc);
	if (r == -ENOENT || r == -EBADMSG) {
		v->failure = r == -ENOENT ? TT_STATUS_FAILED_ABSENT :
					    TT_STATUS_FAILED_MALFORMED;
		tt_seterr(err, errlen,
		    r == -ENOENT ? "no '%s/%s'" :
				   "'%s/%s' is not a JSON object",
		    cfg->state_dir, TT_STATUS_FILE);
		return r;
	}
	if (r < 0) {
		v->failure = TT_STATUS_FAILED_UNREADABLE;
		tt_seterr(err, errlen, "cannot read '%s/%s': %s",
		    cfg->state_dir, TT_STATUS_FILE, tt_strerror(r));
		return r;
	}
	if ((r = recheck(root, cfg, now, v, err, errlen)) < 0)
		return r;
	if (v->doc == NULL && (v->doc = json_object_new_object()) == NULL) {
		tt_seterr(err, errlen, "out of memory");
		v->failure = TT_STATUS_FAILED_MEMORY;
		return -ENOMEM;
	}
	/* status is read-only for people without the state directory's
	 * rights: not being able to record is fine.  What it rechecked in
	 * an image (--root) is not the host's status: nothing is recorded
	 * then. */
	if ((sec = section(v, now)) != NULL) {
		v->not_recorded = tt_root_is_host(root) &&
		    (json_object_get(sec) == NULL ||
			tt_status_update(NULL, cfg->state_dir, "status", sec) <
			    0);
		if (tt_jsonb_add(v->doc, "status", sec, &e) < 0) {
			tt_seterr(err, errlen, "out of memory");
			v->failure = TT_STATUS_FAILED_MEMORY;
			return e;
		}
	}
	m = tt_json_path(v->doc, "audit.compliant");
	v->stale = tt_json_path(v->doc, "audit.stale");
	/* An audit the system has changed under since (a rollback) says
	 * nothing about now: not compliant until audited again. */
	v->compliant =
	    m != NULL && json_object_get_boolean(m) && v->stale == NULL;
	v->drifted = tt_drift_any(&v->drift);
	return 0;
}
