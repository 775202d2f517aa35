/*
 * The two scrub catalogues, data compiled into the binary
 * (hardening/scrub/detectors.json and leftovers.json, DESIGN.md "Scrub"):
 *
 *   detectors: {"schema": 1,
 *     "known_public": [{"fingerprint": "sha256:HEX", "what"}]  secrets
 *                                          everyone knows (test vectors
 *                                          compiled into a library, vendors'
 *                                          documentation and SDK samples):
 *                                          never findings
 *     "stopwords": {"source", "words": [...]}  English words (a-z, sorted)
 *                                          that name a value rather than
 *                                          being drawn, for the detectors
 *                                          that take them
 *     "detectors": [{"id", "description",
 *     "keywords": [literal, ...],          the prefilter (case-insensitive)
 *     "validator": {"type": ..., params},  what must hold around a hit
 *     "false_positives": {"allow": [...],  substrings of known public or
 *                                          example values
 *                         "paths": [...],  globs of files where the value
 *                                          belongs (/etc/shadow)
 *                         "entropy": N,    bits per character, a floor
 *                         "placeholders": bool,
 *                         "stopwords": bool}}]}  a value whose first word
 *                                          (letters, then _ - or .) is a
 *                                          stopword is no finding
 *   leftovers: {"schema": 1, "leftovers": [{"id", "path" (a glob inside
 *     the root), "action": "delete" | "truncate" | "empty-dir" |
 *     "remove-account", "reason"}]}
 *
 * A path may hold "{build_user}": the entry applies only when scrub is
 * told the build user's name (--build-user), with the name in its place.
 * "remove-account" takes the build user's lines out of the account files
 * (its path is /etc/passwd, which says whether the account is there).
 *
 * The loader checks every field and names the file and the field of the
 * first error: "detectors.json: detectors[3] (aws-key).validator.min:
 * not an integer in 1..4096".
 */
#ifndef TT_SCRUB_CATALOG_H
#define TT_SCRUB_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_SCRUB_MAX_DETECTORS 512
#define TT_SCRUB_MAX_KEYWORDS 16 /* per detector */
#define TT_SCRUB_MAX_KEYWORD_LEN 64
#define TT_SCRUB_MAX_LEFTOVERS 512
#define TT_SCRUB_MAX_SEGMENTS 4
#define TT_SCRUB_MAX_STOPWORD_LEN 32

enum tt_validator {
	TT_V_TOKEN, /* keyword is the token's prefix; charset, length */
	TT_V_PEM, /* a PEM/OpenSSH/PGP private key block with a body */
	TT_V_PUTTY, /* a PuTTY .ppk private key */
	TT_V_JWT, /* header.payload.signature, both parts JSON objects */
	TT_V_URL_PASSWORD, /* scheme://user:password@host */
	TT_V_ASSIGNMENT, /* key = value, key: value, "key": "value" */
	TT_V_SAS, /* an Azure SAS signature with its sv= and se= */
	TT_V_ENTRA, /* an Entra ID client secret: 3 chars, 8Q~, 34 chars */
	TT_V_CRYPT, /* a crypt(3) password hash: $6$, $y$, $2b$, $apr1$ */
	TT_V_DOCKER_AUTH, /* "auth": base64 of user:password */
	TT_V_B64_PEM, /* a base64 value that decodes to a private key */
	TT_V_PATH, /* the file itself is the secret (a keytab, a .pfx) */
	TT_V_CURL_USER, /* curl -u user:password, --user=user:password */
	TT_V_K8S_SECRET, /* a Kubernetes Secret manifest's data: values */
	TT_V_APP_TOKEN, /* APPID|secret: 15-16 digits, '|' or %7C, the rest */
	TT_V_CURL_HEADER, /* curl -H 'Authorization: [scheme] V', 'Api-Key: V' */
	TT_V_TELEGRAM_BOT, /* BOTID:SECRET after the keyword on its line */
	TT_V_B64_JWT, /* a base64 value (ZXlK...) that decodes to a JWT */
};

struct tt_charset {
	uint8_t bits[32];
};

static inline bool
tt_charset_has(const struct tt_charset *cs, unsigned char c)
{
	return (cs->bits[c >> 3] >> (c & 7)) & 1;
}

struct tt_detector {
	char *id;
	char *description;
	char **keywords; /* as written; the prefilter folds case */
	size_t nkeywords;
	enum tt_validator type;
	/* Parameters; which ones a type reads is in detect.c. */
	struct tt_charset charset;
	bool has_charset;
	unsigned min, max; /* length of the secret part */
	unsigned segments[TT_SCRUB_MAX_SEGMENTS]; /* TOKEN: part lengths */
	size_t nsegments;
	char separator; /* between segments */
	bool case_sensitive; /* the keyword must match in its own case */
	bool keyword_in_secret; /* TOKEN: the keyword is part of it */
	bool word_start; /* ASSIGNMENT: the keyword starts a word of the key
			    (sumo in SUMO_KEY, sumoKey; not in sumObj) */
	bool keyword_at_end; /* TOKEN: the keyword ends the token (_mmk) */
	unsigned min_switches; /* TOKEN: changes between lowercase,
				  uppercase and digits a drawn token makes
				  and a word does not; 0: not checked */
	char *checksum; /* "github-crc32" or NULL */
	char *label; /* PEM: the BEGIN label; ASSIGNMENT: NULL */
	char *context; /* a literal that must occur near the hit, or NULL */
	char *suffix; /* TOKEN: what the secret must end with, or NULL */
	char *prefix; /* ASSIGNMENT: what the value must start with */
	/* False-positive controls. */
	char **allow; /* substrings of known public values (any case) */
	size_t nallow;
	char **paths; /* PATH: the globs; others: files where it belongs */
	size_t npaths;
	double entropy; /* floor, bits per character; 0: none */
	bool entropy_scaled; /* a short value's floor is at most
				log2(length) - 0.5, what it can reach */
	bool placeholders; /* refuse ${VAR}, {{ var }}, <your-...>, ... */
	/* The catalogue's stopwords when the detector takes them ("stopwords":
	 * true): a value whose first word is one (task_test_...) is named,
	 * not drawn.  Borrowed from the catalogue; NULL otherwise. */
	char *const *stopwords;
	size_t nstopwords;
};

enum tt_leftover_action {
	TT_LEFTOVER_DELETE,
	TT_LEFTOVER_TRUNCATE,
	TT_LEFTOVER_EMPTY_DIR,
	TT_LEFTOVER_REMOVE_ACCOUNT,
};

struct tt_leftover {
	char *id;
	char *path; /* glob inside the root, absolute */
	enum tt_leftover_action action;
	char *reason;
};

struct tt_scrub_catalog {
	char (*known)[65]; /* fingerprints of known public values, hex */
	size_t nknown;
	char **stopwords; /* sorted, lowercase letters, one of each */
	size_t nstopwords;
	struct tt_detector *detectors;
	size_t ndetectors;
	struct tt_leftover *leftovers;
	size_t nleftovers;
};

/* "delete", "truncate", "empty-dir", "remove-account". */
const char *tt_leftover_action_name(enum tt_leftover_action a);

/*
 * Parses a detectors document (name is the file for messages) into cat.
 * 0; -EINVAL with err naming name and the field; -ENOMEM.
 */
int tt_scrub_load_detectors(struct tt_scrub_catalog *cat, const char *name,
    const char *text, size_t len, char *err, size_t errlen);

/* The same for a leftovers document. */
int tt_scrub_load_leftovers(struct tt_scrub_catalog *cat, const char *name,
    const char *text, size_t len, char *err, size_t errlen);

/* Loads both catalogues compiled into the binary.  0 or as above. */
int
tt_scrub_load_builtin(struct tt_scrub_catalog *cat, char *err, size_t errlen);

/* Parses a charset such as "A-Za-z0-9_-" (ranges and single bytes; a '-'
 * first or last is itself).  0 or -EINVAL. */
int tt_charset_parse(struct tt_charset *cs, const char *spec);

/* True when hex (64 digits) is a known public value's fingerprint. */
bool tt_scrub_known_public(const struct tt_scrub_catalog *cat, const char *hex);

/* Frees everything; accepts a zeroed catalogue. */
void tt_scrub_catalog_free(struct tt_scrub_catalog *cat);

#endif
