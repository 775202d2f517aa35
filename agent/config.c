#include <ctype.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "fileio.h"
#include "log.h"
#include "sink.h"
#include "tt.h"

#define CONFIG_MAX_BYTES ((size_t)64 * 1024)
#define CONFIG_MAX_LINE 4096

enum key_type { KEY_STRING, KEY_BOOL, KEY_UINT, KEY_ENUM };

struct key_desc {
	const char *name;
	enum key_type type;
	size_t offset;
	size_t size;
	int64_t min, max;
	/* KEY_ENUM: the i-th valid value, NULL past the last. */
	const char *(*choice)(size_t i);
};

#define STR(f)                                                                 \
	KEY_STRING, offsetof(struct tt_config, f),                             \
	    sizeof(((struct tt_config *)0)->f), 0, 0, NULL
#define NUM(f, lo, hi)                                                         \
	KEY_UINT, offsetof(struct tt_config, f),                               \
	    sizeof(((struct tt_config *)0)->f), lo, hi, NULL

static const struct key_desc keys[] = {
	{ "imds_url", STR(imds_url) },
	{ "arm_url", STR(arm_url) },
	{ "keyvault_url", STR(keyvault_url) },
	{ "tags", KEY_BOOL, offsetof(struct tt_config, tags), sizeof(bool), 0,
	    0, NULL },
	{ "report_sbom", KEY_BOOL, offsetof(struct tt_config, report_sbom),
	    sizeof(bool), 0, 0, NULL },
	{ "image_freshness", KEY_BOOL,
	    offsetof(struct tt_config, image_freshness), sizeof(bool), 0, 0,
	    NULL },
	{ "tag_prefix", STR(tag_prefix) },
	{ "collector_url", STR(collector_url) },
	{ "collector_format", KEY_ENUM,
	    offsetof(struct tt_config, collector_format),
	    sizeof(((struct tt_config *)0)->collector_format), 0, 0,
	    tt_sink_name },
	{ "identity", STR(identity) },
	{ "collector_token_file", STR(collector_token_file) },
	{ "ca_file", STR(ca_file) },
	{ "ca_dir", STR(ca_dir) },
	{ "client_cert", STR(client_cert) },
	{ "client_key", STR(client_key) },
	{ "spool_dir", STR(spool_dir) },
	{ "spool_max_bytes", NUM(spool_max_bytes, 4096, INT64_MAX) },
	{ "state_dir", STR(state_dir) },
	{ "profile", STR(profile) },
	{ "tailoring", STR(tailoring) },
	{ "max_tattoo_age_days", NUM(max_tattoo_age_days, 1, 36500) },
	{ "trusted_keys", STR(trusted_keys) },
	{ "retry_scale_ms", NUM(retry_scale_ms, 0, 60000) },
};

void
tt_config_defaults(struct tt_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	strlcpy(cfg->imds_url, "http://169.254.169.254", sizeof(cfg->imds_url));
	strlcpy(cfg->arm_url, "https://management.azure.com",
	    sizeof(cfg->arm_url));
	cfg->tags = true;
	cfg->image_freshness = true;
	strlcpy(cfg->tag_prefix, "tattoo-", sizeof(cfg->tag_prefix));
	strlcpy(cfg->collector_format, "json", sizeof(cfg->collector_format));
	strlcpy(cfg->state_dir, TT_DEFAULT_STATE_DIR, sizeof(cfg->state_dir));
	strlcpy(cfg->spool_dir, TT_DEFAULT_STATE_DIR "/spool",
	    sizeof(cfg->spool_dir));
	cfg->spool_max_bytes = 64ULL * 1024 * 1024;
	cfg->max_tattoo_age_days = 90;
	cfg->retry_scale_ms = 1000;
}

static const struct key_desc *
find_key(const char *name)
{
	for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++)
		if (TT_STREQ(keys[i].name, name))
			return &keys[i];
	return NULL;
}

/* Sets one key; on failure writes the reason (without location) to why. */
static int
set_key(struct tt_config *cfg, const struct key_desc *k, const char *value,
    char *why, size_t whylen)
{
	char *field = (char *)cfg + k->offset;
	const char *errstr = NULL, *c;
	char valid[256] = "";
	long long n;

	switch (k->type) {
	case KEY_STRING:
		if (strlcpy(field, value, k->size) >= k->size) {
			tt_seterr(why, whylen,
			    "value of '%s' is longer than %zu "
			    "bytes",
			    k->name, k->size - 1);
			return -EINVAL;
		}
		break;
	case KEY_ENUM:
		for (size_t i = 0; (c = k->choice(i)) != NULL; i++) {
			if (TT_STREQ(c, value)) {
				strlcpy(field, value, k->size);
				return 0;
			}
			if (i > 0)
				strlcat(valid, ", ", sizeof(valid));
			strlcat(valid, c, sizeof(valid));
		}
		tt_seterr(why, whylen, "'%s' must be one of %s, not '%s'",
		    k->name, valid, value);
		return -EINVAL;
	case KEY_BOOL:
		if (TT_STREQ(value, "on") || TT_STREQ(value, "yes") ||
		    TT_STREQ(value, "true") || TT_STREQ(value, "1"))
			*(bool *)field = true;
		else if (TT_STREQ(value, "off") || TT_STREQ(value, "no") ||
		    TT_STREQ(value, "false") || TT_STREQ(value, "0"))
			*(bool *)field = false;
		else {
			tt_seterr(why, whylen,
			    "'%s' must be on or off, not '%s'", k->name, value);
			return -EINVAL;
		}
		break;
	case KEY_UINT:
		n = strtonum(value, k->min, k->max, &errstr);
		if (errstr != NULL) {
			tt_seterr(why, whylen,
			    "'%s' must be a number from %lld "
			    "to %lld, not '%s'",
			    k->name, (long long)k->min, (long long)k->max,
			    value);
			return -EINVAL;
		}
		/* Every numeric key is 64 bits wide; signed and unsigned
		 * variants of one type may alias. */
		*(int64_t *)field = n;
		break;
	}
	/* The state is written as root: a relative or empty path would
	 * land wherever the command happened to run. */
	/* tailoring too: it is read on the host, whatever --root says. */
	if ((TT_STREQ(k->name, "state_dir") || TT_STREQ(k->name, "spool_dir") ||
		(TT_STREQ(k->name, "tailoring") && field[0] != '\0')) &&
	    field[0] != '/') {
		tt_seterr(why, whylen,
		    "'%s' must be an absolute path, not '%s'", k->name, value);
		return -EINVAL;
	}
	if (TT_STREQ(k->name, "state_dir")) {
		/* The spool follows a state directory set in the
		 * configuration unless it was placed on its own. */
		if (!cfg->spool_dir_set) {
			strlcpy(cfg->spool_dir, cfg->state_dir,
			    sizeof(cfg->spool_dir));
			if (strlcat(cfg->spool_dir, "/spool",
				sizeof(cfg->spool_dir)) >=
			    sizeof(cfg->spool_dir)) {
				tt_seterr(why, whylen,
				    "'state_dir' is too long");
				return -EINVAL;
			}
		}
	}
	if (TT_STREQ(k->name, "spool_dir"))
		cfg->spool_dir_set = true;
	return 0;
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

int
tt_config_parse(struct tt_config *cfg, const char *name, const char *text,
    size_t len, char *err, size_t errlen)
{
	char line[CONFIG_MAX_LINE + 1];
	char why[256];
	bool seen[TT_ARRAY_SIZE(keys)] = { false };
	size_t pos = 0;
	unsigned lineno = 0;

	if (memchr(text, '\0', len) != NULL) {
		size_t at =
		    (size_t)((const char *)memchr(text, '\0', len) - text);
		unsigned l = 1;
		for (size_t i = 0; i < at; i++)
			l += text[i] == '\n';
		tt_seterr(err, errlen, "%s:%u: NUL byte in configuration", name,
		    l);
		return -EINVAL;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		const struct key_desc *k;
		char *key, *value, *eq;
		size_t vl;

		lineno++;
		if (ll > CONFIG_MAX_LINE) {
			tt_seterr(err, errlen,
			    "%s:%u: line longer than %d bytes", name, lineno,
			    CONFIG_MAX_LINE);
			return -EINVAL;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos += ll + (nl ? 1 : 0);

		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		eq = strchr(key, '=');
		if (eq == NULL) {
			tt_seterr(err, errlen, "%s:%u: expected 'key = value'",
			    name, lineno);
			return -EINVAL;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		k = find_key(key);
		if (k == NULL) {
			tt_seterr(err, errlen, "%s:%u: unknown key '%s'", name,
			    lineno, key);
			return -EINVAL;
		}
		if (seen[k - keys]) {
			tt_seterr(err, errlen, "%s:%u: key '%s' is set twice",
			    name, lineno, key);
			return -EINVAL;
		}
		seen[k - keys] = true;
		if (set_key(cfg, k, value, why, sizeof(why)) < 0) {
			tt_seterr(err, errlen, "%s:%u: %s", name, lineno, why);
			return -EINVAL;
		}
	}
	return 0;
}

int
tt_config_apply_env(struct tt_config *cfg, char *err, size_t errlen)
{
	char var[64], why[256];

	for (size_t i = 0; i < TT_ARRAY_SIZE(keys); i++) {
		const char *v;
		size_t j;

		strlcpy(var, "TATTOO_", sizeof(var));
		j = strlen(var);
		for (const char *p = keys[i].name; *p && j + 1 < sizeof(var);
		     p++)
			var[j++] = (char)toupper((unsigned char)*p);
		var[j] = '\0';
		v = getenv(var);
		if (v == NULL)
			continue;
		if (set_key(cfg, &keys[i], v, why, sizeof(why)) < 0) {
			tt_seterr(err, errlen, "environment %s: %s", var, why);
			return -EINVAL;
		}
	}
	return 0;
}

/* Reads path on the host (or inside root) into text, bounded; refuses a
 * file another user could have written.  shown names it in err. */
static int
read_config_file(const struct tt_root *root, const char *path,
    const char *shown, struct tt_buf *text, char *err, size_t errlen)
{
	int fd, r;

	fd = tt_open_regular(root, path);
	if (fd < 0) {
		tt_seterr(err, errlen, "cannot read '%s': %s", shown,
		    tt_strerror(fd));
		return fd;
	}
	if ((r = tt_check_secure_file(fd, shown, err, errlen)) < 0) {
		close(fd);
		return r;
	}
	r = tt_read_fd(fd, CONFIG_MAX_BYTES, text);
	close(fd);
	if (r < 0)
		tt_seterr(err, errlen, "cannot read '%s': %s", shown,
		    r == -EFBIG ? "larger than 64 KiB" : tt_strerror(r));
	return r;
}

/* A profile id an image may ask for: it only picks among the host's
 * packs, so letters, digits and ._:- are all it needs. */
static bool
profile_id_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && strchr("._:-", *s) == NULL)
			return false;
	return true;
}

int
tt_config_parse_image(const char *name, const char *text, size_t len,
    char *profile, size_t profilelen, char *note, size_t notelen)
{
	char line[CONFIG_MAX_LINE + 1];
	char keys_seen[512] = "";
	unsigned lineno = 0, first = 0, profile_line = 0;
	size_t pos = 0, nignored = 0, shown = 0;

	profile[0] = '\0';
	if (note != NULL && notelen > 0)
		note[0] = '\0';
	if (memchr(text, '\0', len) != NULL) {
		size_t at =
		    (size_t)((const char *)memchr(text, '\0', len) - text);
		unsigned l = 1;
		for (size_t i = 0; i < at; i++)
			l += text[i] == '\n';
		tt_seterr(note, notelen,
		    "%s:%u: NUL byte: the image's configuration is ignored",
		    name, l);
		return -EINVAL;
	}
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - (text + pos)) : len - pos;
		char *key, *value, *eq;
		size_t vl;

		lineno++;
		if (ll > CONFIG_MAX_LINE) {
			tt_seterr(note, notelen,
			    "%s:%u: line longer than %d bytes: the image's "
			    "configuration is ignored",
			    name, lineno, CONFIG_MAX_LINE);
			goto malformed;
		}
		memcpy(line, text + pos, ll);
		line[ll] = '\0';
		pos += ll + (nl ? 1 : 0);

		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			tt_seterr(note, notelen,
			    "%s:%u: expected 'key = value': the image's "
			    "configuration is ignored",
			    name, lineno);
			goto malformed;
		}
		*eq = '\0';
		key = trim(key);
		value = trim(eq + 1);
		vl = strlen(value);
		if (vl >= 2 && value[0] == '"' && value[vl - 1] == '"') {
			value[vl - 1] = '\0';
			value++;
		}
		if (!TT_STREQ(key, "profile")) {
			/* Every other key would let the image choose an
			 * endpoint, a credential or a host path: named once,
			 * all together, and never looked at further. */
			if (nignored++ == 0)
				first = lineno;
			if (shown + 1 < sizeof(keys_seen)) {
				int n = snprintf(keys_seen + shown,
				    sizeof(keys_seen) - shown,
				    "%s'%.64s' (line %u)", shown ? ", " : "",
				    key, lineno);
				if (n > 0)
					shown += (size_t)n;
				if (shown >= sizeof(keys_seen))
					shown = sizeof(keys_seen) - 1;
			}
			continue;
		}
		if (profile_line != 0) {
			tt_seterr(note, notelen,
			    "%s:%u: key 'profile' is set twice: the image's "
			    "configuration is ignored",
			    name, lineno);
			goto malformed;
		}
		profile_line = lineno;
		if (strlen(value) >= profilelen || !profile_id_ok(value)) {
			tt_seterr(note, notelen,
			    "%s:%u: 'profile' is not a profile id (letters, "
			    "digits, '._:-', at most %zu bytes): the image's "
			    "configuration is ignored",
			    name, lineno, profilelen - 1);
			goto malformed;
		}
		strlcpy(profile, value, profilelen);
	}
	if (nignored > 0)
		tt_seterr(note, notelen,
		    "%s:%u: under --root an image may set only 'profile'; "
		    "ignored: %s",
		    name, first, keys_seen);
	return 0;
malformed:
	profile[0] = '\0';
	return -EINVAL;
}

/* The image's own agent.conf, for its profile only.  Read through the
 * root (a symlink there resolves inside the image), bounded; whatever is
 * wrong with it is a note for a warning, never an error. */
static void
load_image_profile(struct tt_config *cfg, const struct tt_root *root)
{
	char shown[PATH_MAX], profile[sizeof(cfg->profile)];
	struct tt_buf text;
	int r;

	if (tt_root_host_path(root, TT_DEFAULT_CONFIG, shown, sizeof(shown)) <
	    0)
		strlcpy(shown, TT_DEFAULT_CONFIG, sizeof(shown));
	tt_buf_init(&text, CONFIG_MAX_BYTES);
	r = read_config_file(root, TT_DEFAULT_CONFIG, shown, &text,
	    cfg->image_note, sizeof(cfg->image_note));
	if (r == -ENOENT) {
		cfg->image_note[0] = '\0';
		tt_buf_free(&text);
		return;
	}
	if (r < 0) {
		strlcat(cfg->image_note,
		    ": the image's configuration is ignored",
		    sizeof(cfg->image_note));
		tt_buf_free(&text);
		return;
	}
	r = tt_config_parse_image(shown, text.data ? text.data : "", text.len,
	    profile, sizeof(profile), cfg->image_note, sizeof(cfg->image_note));
	tt_buf_free(&text);
	/* The host's own choice (file or environment) wins. */
	if (r == 0 && profile[0] != '\0' && cfg->profile[0] == '\0') {
		strlcpy(cfg->profile, profile, sizeof(cfg->profile));
		strlcpy(cfg->profile_from, shown, sizeof(cfg->profile_from));
	}
}

int
tt_config_load(struct tt_config *cfg, const struct tt_root *root,
    const char *path, bool path_named, char *err, size_t errlen)
{
	struct tt_buf text;
	int r;

	tt_config_defaults(cfg);
	/* The configuration is the host's: path is a host path, whatever
	 * root is. */
	tt_buf_init(&text, CONFIG_MAX_BYTES);
	r = read_config_file(NULL, path, path, &text, err, errlen);
	if (r == -ENOENT && !path_named) {
		tt_buf_free(&text);
	} else if (r < 0) {
		tt_buf_free(&text);
		return r;
	} else {
		r = tt_config_parse(cfg, path, text.data ? text.data : "",
		    text.len, err, errlen);
		tt_buf_free(&text);
		if (r < 0)
			return r;
		strlcpy(cfg->loaded_from, path, sizeof(cfg->loaded_from));
	}
	if ((r = tt_config_apply_env(cfg, err, errlen)) < 0)
		return r;
	if (root != NULL && !tt_root_is_host(root))
		load_image_profile(cfg, root);
	return 0;
}
