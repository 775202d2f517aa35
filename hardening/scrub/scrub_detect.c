#include <ctype.h>

#include <json-c/json.h>

#include "scrub_bigram.h"
#include "scrub_detect.h"
#include "tt.h"

#define JWT_MAX_PART 8192

static bool
is_alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

static bool
is_b64(uint8_t c)
{
	return is_alnum(c) || c == '+' || c == '/' || c == '=';
}

static bool
is_b64url(uint8_t c)
{
	return is_alnum(c) || c == '-' || c == '_';
}

/* Case-insensitive search of the NUL-terminated needle in s[0..n). */
static const uint8_t *
find_ci(const uint8_t *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);

	if (m == 0 || m > n)
		return NULL;
	for (size_t i = 0; i + m <= n; i++)
		if (tolower(s[i]) == tolower((unsigned char)needle[0]) &&
		    strncasecmp((const char *)s + i, needle, m) == 0)
			return s + i;
	return NULL;
}

/* log2 without libm: x = m * 2^e with m in [1, 2), and ln(m) from the
 * atanh series, which converges fast there (|z| <= 1/3). */
static double
log2_pos(double x)
{
	uint64_t bits;
	double m, z, z2, term, sum = 0;
	int e;

	memcpy(&bits, &x, sizeof(bits));
	e = (int)((bits >> 52) & 0x7ff) - 1023;
	bits = (bits & ~((uint64_t)0x7ff << 52)) | ((uint64_t)1023 << 52);
	memcpy(&m, &bits, sizeof(m));
	z = (m - 1) / (m + 1);
	z2 = z * z;
	term = z;
	for (int k = 1; k < 40; k += 2) {
		sum += term / k;
		term *= z2;
	}
	return e + 2 * sum / 0.69314718055994530942;
}

/* Entropy of a byte histogram over n bytes. */
static double
entropy_of(const unsigned counts[256], size_t n)
{
	double h = 0;

	for (int c = 0; c < 256 && n > 0; c++)
		if (counts[c] != 0) {
			double p = (double)counts[c] / (double)n;

			h -= p * log2_pos(p);
		}
	return h;
}

double
tt_entropy(const uint8_t *s, size_t n)
{
	unsigned counts[256] = { 0 };

	for (size_t i = 0; i < n; i++)
		counts[s[i]]++;
	return entropy_of(counts, n);
}

/* Is s[i..i+m) a word of s: its ends at the value's ends, at a byte that
 * is no letter or digit, or at a camelCase step (myExampleKey)? */
static bool
whole_word(const uint8_t *s, size_t n, size_t i, size_t m)
{
	bool left = i == 0 || !is_alnum(s[i - 1]) ||
	    (islower(s[i - 1]) && isupper(s[i]));
	size_t j = i + m;
	bool right;

	/* After a camelCase step a word is written as one (Fake, FAKE);
	 * the mixed case of a drawn token (...lFaKe) only looks like it. */
	if (i > 0 && is_alnum(s[i - 1])) {
		bool lower = true, upper = true;

		for (size_t k = i + 1; k < j; k++) {
			lower = lower && islower(s[k]);
			upper = upper && isupper(s[k]);
		}
		if (!lower && !upper)
			return false;
	}

	while (j < n && isdigit(s[j]))
		j++; /* Password1, fake123: digits end the word too */
	right = j == n || !is_alnum(s[j]) ||
	    (j == i + m && islower(s[j - 1]) && isupper(s[j]));
	return left && right;
}

/* A word of words[] in s as a whole word (never inside a random token:
 * "12fakehij" is no placeholder, "my-fake-key" and "FAKE" are). */
static bool
has_word(const uint8_t *s, size_t n, const char *const *words)
{
	for (size_t k = 0; words[k] != NULL; k++) {
		size_t m = strlen(words[k]);

		for (size_t i = 0; i + m <= n; i++)
			if (tolower(s[i]) == words[k][0] &&
			    strncasecmp((const char *)s + i, words[k], m) ==
				0 &&
			    whole_word(s, n, i, m))
				return true;
	}
	return false;
}

/* Takes the bytes of runs of at least eq equal bytes or asc ascending
 * letters or digits out of counts; returns how many. */
static size_t
runs_out(const uint8_t *s, size_t n, size_t eq, size_t asc,
    unsigned counts[256])
{
	size_t run = 1, up = 1, removed = 0, frontier = 0;

	for (size_t i = 1; i < n; i++) {
		size_t from = i + 1;

		run = s[i] == s[i - 1] ? run + 1 : 1;
		up = s[i] == s[i - 1] + 1 && is_alnum(s[i]) ? up + 1 : 1;
		if (run >= eq)
			from = i + 1 - run;
		if (up >= asc && i + 1 - up < from)
			from = i + 1 - up;
		/* Each byte once, however runs overlap. */
		for (size_t k = from > frontier ? from : frontier; k <= i;
		     k++) {
			counts[s[k]]--;
			removed++;
		}
		if (from <= i)
			frontier = i + 1;
	}
	return removed;
}

/* Filler: 6 or more equal bytes (AAAAAA, 000000), 8 or more ascending
 * letters or digits (abcdefgh, 12345678: typed, not drawn).  A value that
 * is filler and little else is a placeholder; one whose other bytes are
 * themselves drawn is a real secret that holds a run, as binary data in
 * base64 does (a Twitter bearer token's 22 leading A's, a Kubernetes
 * Secret's leading zero bytes).  Once a value holds filler, shorter runs
 * (4 equal or ascending bytes, which a drawn token holds about once in
 * 250,000 positions) are taken out too before its rest is judged. */
static bool
filler(const uint8_t *s, size_t n)
{
	unsigned counts[256] = { 0 };
	size_t removed;

	for (size_t i = 0; i < n; i++)
		counts[s[i]]++;
	if (runs_out(s, n, 6, 8, counts) == 0)
		return false;
	for (size_t i = 0; i < 256; i++)
		counts[i] = 0;
	for (size_t i = 0; i < n; i++)
		counts[s[i]]++;
	removed = runs_out(s, n, 4, 4, counts);
	return n - removed < 16 || entropy_of(counts, n - removed) < 3.5;
}

/* "password" marks a placeholder when it is the value's only word
 * (password, Password1, my-password, new_password!): a value that holds
 * it beside other words (CleartextPassword1, TestSource-Password) is a
 * weak password someone chose, which is just what a scrub must find. */
static bool
password_word(const uint8_t *s, size_t n)
{
	static const char *const minor[] = { "my", "the", "new", "old", "some",
		"enter", "here", NULL };
	const uint8_t *p = find_ci(s, n, "password");
	size_t at, i;

	if (p == NULL)
		return false;
	at = (size_t)(p - s);
	if (!whole_word(s, n, at, 8))
		return false;
	for (i = 0; i < n;) {
		size_t w = i, k;

		if (i == at) {
			i += 8;
			continue;
		}
		if (!isalpha(s[i])) {
			i++;
			continue;
		}
		while (w < n && isalpha(s[w]) && w != at &&
		    !(w > i && islower(s[w - 1]) && isupper(s[w])))
			w++;
		for (k = 0; minor[k] != NULL; k++)
			if (strlen(minor[k]) == w - i &&
			    strncasecmp((const char *)s + i, minor[k], w - i) ==
				0)
				break;
		if (minor[k] == NULL)
			return false; /* another word beside it */
		i = w;
	}
	return true;
}

bool
tt_placeholder(const uint8_t *s, size_t n)
{
	/* Marks that no generated secret holds but every template and
	 * redacted value does: anywhere in the value. */
	static const char *const marks[] = { "${", "{{", "}}", "$(", "%(", "<",
		">", "your_", "your-", "xxxx", "****", "....", "change_me",
		"change-me", NULL };
	/* Words of examples and placeholders: only as a whole word, since
	 * a random token holds any short word by chance. */
	static const char *const words[] = { "changeme", "example", "examples",
		"placeholder", "redacted", "dummy", "yourpass", "yoursecret",
		"yourtoken", "sample", "insert", "replace", "todo", "fixme",
		"notreal", "fake", "your", NULL };
	static const char *const exact[] = { "password", "passwd", "secret",
		"token", "pass", "pwd", "null", "none", "nil", "true", "false",
		"undefined", "empty", "default", "string", "value", "test",
		"required", "optional", "hidden", "unset", NULL };

	if (n == 0)
		return true;
	if (s[0] == '$' || s[0] == '%' || s[0] == '@')
		return true; /* $VAR, %VAR%, @file references */
	if (n > 3 && memcmp(s + n - 3, "...", 3) == 0)
		return true; /* elided in documentation: ops_eyJzaWdu... */
	for (size_t i = 0; marks[i] != NULL; i++)
		if (find_ci(s, n, marks[i]) != NULL)
			return true;
	if (has_word(s, n, words) || password_word(s, n))
		return true;
	for (size_t i = 0; exact[i] != NULL; i++)
		if (strlen(exact[i]) == n &&
		    strncasecmp((const char *)s, exact[i], n) == 0)
			return true;
	return filler(s, n);
}

uint32_t
tt_crc32(const uint8_t *s, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		c ^= s[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
	}
	return ~c;
}

void
tt_github_checksum(const uint8_t *s, size_t n, char out[7])
{
	static const char digits[] =
	    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
	uint32_t v = tt_crc32(s, n);

	for (int i = 5; i >= 0; i--) {
		out[i] = digits[v % 62];
		v /= 62;
	}
	out[6] = '\0';
}

long
tt_b64_decode(const uint8_t *in, size_t n, uint8_t *out, size_t outsize)
{
	uint32_t acc = 0;
	size_t o = 0;
	int bits = 0;
	bool pad = false;

	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		int v;

		if (c == '=') {
			pad = true;
			continue;
		}
		if (pad)
			return -1;
		if (c >= 'A' && c <= 'Z')
			v = c - 'A';
		else if (c >= 'a' && c <= 'z')
			v = c - 'a' + 26;
		else if (c >= '0' && c <= '9')
			v = c - '0' + 52;
		else if (c == '+' || c == '-')
			v = 62;
		else if (c == '/' || c == '_')
			v = 63;
		else
			return -1;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o == outsize)
				return -1;
			out[o++] = (uint8_t)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	return (long)o;
}

static int
cmp_word(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* A value that starts with a word of the list and then _ - or .
 * (task_test_3kX9..., demo-key-...): a name someone gave a sample value.
 * Only the first word, and only whole: a drawn token holds short words
 * anywhere by chance.  The generic detectors take the list (gitleaks'
 * generic rule has the same words); a vendor's own layout
 * (github_pat_...) is its own detector's and is still found there. */
static bool
stopword_first(const struct tt_detector *d, const uint8_t *s, size_t n)
{
	char word[TT_SCRUB_MAX_STOPWORD_LEN + 1];
	size_t i = 0;

	while (i < n && i <= TT_SCRUB_MAX_STOPWORD_LEN && isalpha(s[i])) {
		word[i] = (char)tolower(s[i]);
		i++;
	}
	if (i < 2 || i > TT_SCRUB_MAX_STOPWORD_LEN || i + 1 >= n ||
	    (s[i] != '_' && s[i] != '-' && s[i] != '.'))
		return false;
	word[i] = '\0';
	return bsearch(word, d->stopwords, d->nstopwords, sizeof(char *),
		   cmp_word) != NULL;
}

/* The false-positive controls every validator applies to its secret. */
static bool
false_positive(const struct tt_detector *d, const uint8_t *s, size_t n)
{
	for (size_t i = 0; i < d->nallow; i++)
		if (find_ci(s, n, d->allow[i]) != NULL)
			return true;
	if (d->placeholders && tt_placeholder(s, n))
		return true;
	if (d->nstopwords > 0 && stopword_first(d, s, n))
		return true;
	if (d->entropy > 0) {
		double floor = d->entropy;

		/* n bytes hold at most log2(n) bits each: a fixed 3.0 would
		 * take every 8-byte password with a letter twice
		 * (rootpasswd, 2.9) for a word.  Scaled, a short value needs
		 * nearly every byte distinct, a long one the floor. */
		if (d->entropy_scaled && n > 1 &&
		    log2_pos((double)n) - 0.5 < floor)
			floor = log2_pos((double)n) - 0.5;
		/* At the floor is below it, as gitleaks has it (a value
		 * must be above its rule's entropy). */
		if (tt_entropy(s, n) <= floor)
			return true;
	}
	return false;
}

/* The context literal, if any, within the window around the hit. */
static bool
has_context(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos)
{
	size_t lo, hi;

	if (d->context == NULL)
		return true;
	lo = kpos > TT_DETECT_BEFORE ? kpos - TT_DETECT_BEFORE : 0;
	hi = kpos + 4096 < len ? kpos + 4096 : len;
	return find_ci(buf + lo, hi - lo, d->context) != NULL;
}

static bool
in_set(const struct tt_detector *d, uint8_t c)
{
	return tt_charset_has(&d->charset, c);
}

/* How often s changes between lowercase, uppercase and digits: about 6
 * times in 10 characters of a drawn base62 token, a few times in a name
 * (AcceptanceTimeoutSeconds, makeKubeConfig2). */
static unsigned
class_switches(const uint8_t *s, size_t n)
{
	unsigned k = 0;
	int prev = -1;

	for (size_t i = 0; i < n; i++) {
		int c = islower(s[i]) ? 0 :
		    isupper(s[i])     ? 1 :
		    isdigit(s[i])     ? 2 :
					-1;

		if (c >= 0 && prev >= 0 && c != prev)
			k++;
		prev = c;
	}
	return k;
}

/* buf[b..e) splits at the separator into the segments' exact lengths. */
static bool
segments_ok(const struct tt_detector *d, const uint8_t *buf, size_t b, size_t e)
{
	size_t p = b;

	for (size_t i = 0; i < d->nsegments; i++) {
		size_t q = p;

		while (q < e && buf[q] != (uint8_t)d->separator)
			q++;
		if (q - p != d->segments[i])
			return false;
		if (i + 1 < d->nsegments) {
			if (q == e)
				return false;
			q++;
		}
		p = q;
	}
	return p == e;
}

/* A token the keyword ends (MaxMind's ..._mmk): charset bytes before it,
 * a word boundary after it. */
static bool
v_token_tail(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t b = kpos, e = kpos + klen;
	size_t limit = d->max + 8 * TT_SCRUB_MAX_SEGMENTS + 1;

	if (e < len && (is_alnum(buf[e]) || buf[e] == '_'))
		return false;
	while (b > 0 && kpos - b < limit &&
	    (in_set(d, buf[b - 1]) ||
		(d->separator != '\0' && buf[b - 1] == (uint8_t)d->separator)))
		b--;
	if (d->nsegments > 0 ? !segments_ok(d, buf, b, kpos) :
			       kpos - b < d->min || kpos - b > d->max)
		return false;
	if (d->min_switches > 0 &&
	    class_switches(buf + b, kpos - b) < d->min_switches)
		return false;
	if (false_positive(d, buf + b, kpos - b) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = b;
	*rl = e - b;
	return true;
}

/* A token: the keyword is its prefix, then charset bytes. */
static bool
v_token(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t b = kpos + klen, e = b, limit;

	if (d->keyword_at_end)
		return v_token_tail(d, buf, len, kpos, klen, rs, rl);

	/* Inside a longer word or blob, the prefix is a coincidence; after
	 * '=', ':' or a quote it starts a value. */
	if (kpos > 0 && d->keyword_in_secret &&
	    (is_alnum(buf[kpos - 1]) || buf[kpos - 1] == '_' ||
		buf[kpos - 1] == '.' || /* a file name: video_box.ico-7a38 */
		(in_set(d, buf[kpos - 1]) &&
		    strchr("+/-.~", buf[kpos - 1]) != NULL &&
		    memchr(buf + kpos, '/', klen) == NULL)))
		return false;
	limit = d->max + 8 * TT_SCRUB_MAX_SEGMENTS + 1;
	while (e < len && e - b < limit &&
	    (in_set(d, buf[e]) ||
		(d->separator != '\0' && buf[e] == (uint8_t)d->separator)))
		e++;
	if (d->nsegments > 0) {
		if (!segments_ok(d, buf, b, e))
			return false;
	} else {
		/* Without segments the separator is not part of the token. */
		if (d->separator != '\0')
			for (size_t i = b; i < e; i++)
				if (buf[i] == (uint8_t)d->separator &&
				    !in_set(d, buf[i])) {
					e = i;
					break;
				}
		if (e - b < d->min || e - b > d->max)
			return false;
	}
	if (d->suffix != NULL) {
		size_t sl = strlen(d->suffix);

		if (e - b < sl || memcmp(buf + e - sl, d->suffix, sl) != 0)
			return false;
	}
	if (d->checksum != NULL) {
		char sum[7];

		if (e - b < 7)
			return false;
		tt_github_checksum(buf + b, e - b - 6, sum);
		if (memcmp(sum, buf + e - 6, 6) != 0)
			return false;
	}
	if (d->min_switches > 0 &&
	    class_switches(buf + b, e - b) < d->min_switches)
		return false;
	if (false_positive(d, buf + b, e - b) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = d->keyword_in_secret ? kpos : b;
	*rl = e - *rs;
	return true;
}

/* Is the identifier that holds the keyword about something else than the
 * secret itself (password_file, token_url, secret_name)? */
static bool
other_meaning(const uint8_t *s, size_t n)
{
	static const char *const words[] = { "file", "path", "url", "uri",
		"_id", "hash", "len", "policy", "name", "type", "prompt",
		"expir", "min", "max", "age", "dir", "command", "cmd", "auth_",
		"reset", "required", "enabled", "timeout", "length", "char",
		"store", "field", "header", "env", NULL };

	/* Sumo Logic's access id is half of the credential, as AWS's
	 * access key id is. */
	if (find_ci(s, n, "access_id") != NULL ||
	    find_ci(s, n, "accessid") != NULL)
		return false;
	for (size_t i = 0; words[i] != NULL; i++)
		if (find_ci(s, n, words[i]) != NULL)
			return true;
	return false;
}

/* Letters drawn at random rather than a name: 12 letters or more whose
 * pairs, inside the words of the value (split at case steps and
 * separators: HTTPServer is http, server), are on average no likelier in
 * the names and words of a Linux system than in uniform random letters
 * (scrub_bigram.h, bench/scrub/bigrams.py).  SecretKeyBase scores 2.3
 * half bits a pair, DOCKERPASSWORD 1.2, a 20-letter draw of A-Za-z below
 * 0 in 98 cases of 100. */
static bool
drawn_letters(const uint8_t *s, size_t n)
{
	long sum = 0;
	size_t letters = 0, pairs = 0;

	/* ASCII letters only, whatever the locale: the table's index. */
#define LOWER(c) ((c) >= 'a' && (c) <= 'z')
#define UPPER(c) ((c) >= 'A' && (c) <= 'Z')
	for (size_t i = 0; i < n; i++) {
		bool step;

		if (!LOWER(s[i]) && !UPPER(s[i]))
			continue;
		letters++;
		if (i == 0 || (!LOWER(s[i - 1]) && !UPPER(s[i - 1])))
			continue;
		/* A word starts at fooBar's B and HTTPServer's S. */
		step = (LOWER(s[i - 1]) && UPPER(s[i])) ||
		    (UPPER(s[i - 1]) && UPPER(s[i]) && i + 1 < n &&
			LOWER(s[i + 1]));
		if (step)
			continue;
		sum += tt_bigram[(s[i - 1] | 0x20) - 'a'][(s[i] | 0x20) - 'a'];
		pairs++;
	}
#undef LOWER
#undef UPPER
	return letters >= 12 && pairs > 0 && sum < 0;
}

/* An unquoted value that is code, not data: a name (key_password,
 * DOCKER_PASSWORD), a dotted reference (self.token, _messages.Field) or a
 * call.  Letters alone drawn at random are data. */
static bool
code_reference(const uint8_t *s, size_t n, uint8_t next)
{
	bool digit = false, dot = false;

	if (next == '(' || next == '[' || next == '.')
		return true;
	while (n > 0 && (s[n - 1] == ';' || s[n - 1] == ',' || s[n - 1] == ')'))
		n--;
	if (memchr(s, '(', n) != NULL || memchr(s, '[', n) != NULL)
		return true; /* a call or an index */
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= '0' && s[i] <= '9')
			digit = true;
		else if (s[i] == '.')
			dot = true;
		else if (!isalpha(s[i]) && s[i] != '_' && s[i] != '-')
			return false;
	}
	if (!digit)
		return dot || !drawn_letters(s, n);
	if (!dot || !(isalpha(s[0]) || s[0] == '_'))
		return false;
	/* With digits, a.b.c is a reference when each part is a name:
	 * it starts with a letter and its digits are few (v2, sha256sum),
	 * not strewn through it as in a drawn token (Airtable's
	 * patXXX.1c5bb10f..., Mapbox's pk.i8y3zz1a4p12rd...). */
	for (size_t i = 0, part = 0, sw = 0; i <= n; i++) {
		if (i == n || s[i] == '.') {
			if (i == part || isdigit(s[part]) || sw >= 6)
				return false;
			part = i + 1;
			sw = 0;
		} else if (i > part && isdigit(s[i]) != isdigit(s[i - 1])) {
			sw++;
		}
	}
	return true;
}

static bool
hex_only(const struct tt_detector *d)
{
	for (int c = 'g'; c <= 'z'; c++)
		if (in_set(d, (uint8_t)c) || in_set(d, (uint8_t)toupper(c)))
			return false;
	return true;
}

/* A value that names something rather than being a secret, quoted or
 * not: access_token_for_reauth, EngineDefaults.Marker. */
static bool
identifier_like(const uint8_t *s, size_t n)
{
	bool sep = false;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '_' || s[i] == '.' || s[i] == ':')
			sep = true; /* snake_case, a.b, vim's g:name */
		else if (!isalpha(s[i]) && s[i] != '-')
			return false;
	}
	return sep;
}

/* A key that names something other than a secret, whole: a web form's
 * anti-forgery field (Rails' authenticity_token, csrf_token, XSRF-TOKEN:
 * a per-session nonce printed into every page, no credential), a public
 * value (publicToken, PUBLIC_KEY, public-api-key: "public" as a word, not
 * in REPUBLIC), an identifier in camelCase (UserSecretsId, secretId: _id
 * and ID are other_meaning's), or an Azure Key Vault, whose name or id it
 * holds (keyVaultName, keyVaultToStoreSecrets). */
static bool
names_no_secret(const uint8_t *s, size_t n)
{
	static const char *const public_word[] = { "public", NULL };

	if (find_ci(s, n, "authenticity_token") != NULL ||
	    find_ci(s, n, "csrf") != NULL || find_ci(s, n, "xsrf") != NULL ||
	    has_word(s, n, public_word))
		return true;
	/* (An access id is half a credential, as other_meaning has it.) */
	if (n >= 3 && s[n - 2] == 'I' && s[n - 1] == 'd' && islower(s[n - 3]) &&
	    !(n >= 8 &&
		strncasecmp((const char *)s + n - 8, "accessid", 8) == 0))
		return true;
	return find_ci(s, n, "keyvault") != NULL ||
	    find_ci(s, n, "key_vault") != NULL ||
	    find_ci(s, n, "key-vault") != NULL;
}

/* Is the keyword at kpos a word of the key, as people write a name:
 * at its start or after a separator or a camelCase step, and in one case
 * (sumo, SUMO, Sumo; not sumO in sumObj)? */
static bool
word_cased(const uint8_t *buf, size_t kpos, size_t klen)
{
	bool upper = true, lower = true;

	if (kpos > 0 && isalpha(buf[kpos - 1]) &&
	    !(islower(buf[kpos - 1]) && isupper(buf[kpos])))
		return false;
	for (size_t i = 1; i < klen; i++) {
		if (islower(buf[kpos + i]))
			upper = false;
		if (isupper(buf[kpos + i]))
			lower = false;
	}
	return upper || lower;
}

/* The start of the identifier that holds the keyword at kpos. */
static size_t
key_start(const uint8_t *buf, size_t kpos)
{
	size_t s = kpos;

	while (s > 0 && kpos - s < 64 &&
	    (is_alnum(buf[s - 1]) || buf[s - 1] == '_' || buf[s - 1] == '-'))
		s--;
	return s;
}

/* The assignment operators of configuration and code, longest first:
 * make's ::= and :::=, ?=, Go's :=, PHP's .=, =>.  Returns its length at
 * buf[i], 0 for none; *arrow for =>. */
static size_t
assign_op(const uint8_t *buf, size_t len, size_t i, bool *arrow)
{
	static const char *const ops[] = { ":::=", "::=", ":=", "?=", ".=",
		"=>", NULL };

	*arrow = false;
	for (size_t k = 0; ops[k] != NULL; k++) {
		size_t n = strlen(ops[k]);

		if (i + n <= len && memcmp(buf + i, ops[k], n) == 0) {
			*arrow = ops[k][1] == '>';
			return n;
		}
	}
	if (i < len && buf[i] == '=')
		return 1;
	return 0;
}

static size_t
skip_blanks(const uint8_t *buf, size_t len, size_t i, bool newlines)
{
	while (i < len &&
	    (buf[i] == ' ' || buf[i] == '\t' ||
		(newlines && (buf[i] == '\n' || buf[i] == '\r'))))
		i++;
	return i;
}

/* key = value, key: value, "key": "value", key="value", <... key="K"
 * value="V">, <key>V</key> (the value on its own line too),
 * var key string = "V", f("KEY", "V") (System.setProperty,
 * GetEnvOrDefault), {"KEY", "V"}, with the keyword inside the key. */
static bool
v_assignment(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, key_end, v, e, ks = key_start(buf, kpos), n;
	uint8_t q = 0;
	bool key_quoted = false, arrow = false, xml = false;

	while (i < len && i - kpos < 64 &&
	    (is_alnum(buf[i]) || buf[i] == '_' || buf[i] == '-' ||
		buf[i] == '.'))
		i++;
	key_end = i;
	if (d->word_start && !word_cased(buf, kpos, klen))
		return false; /* "sumo" in sumObj, "etsy" in SetSysctl */
	if (other_meaning(buf + kpos + klen, key_end - kpos - klen) ||
	    names_no_secret(buf + ks, key_end - ks))
		return false;
	if (i < len && (buf[i] == '"' || buf[i] == '\'')) {
		key_quoted = ks > 0 && buf[ks - 1] == buf[i];
		i++;
	}
	i = skip_blanks(buf, len, i, false);
	if (i + 6 < len && strncasecmp((const char *)buf + i, "value=", 6) == 0)
		i += 5; /* NuGet's <add key="ClearTextPassword" value="..."/> */
	/* Go's var key string = "V", Kotlin's val key: String = "V". */
	{
		size_t t = i < len && buf[i] == ':' ?
		    skip_blanks(buf, len, i + 1, false) :
		    i;

		if (t + 6 < len &&
		    strncasecmp((const char *)buf + t, "string", 6) == 0 &&
		    (buf[t + 6] == ' ' || buf[t + 6] == '\t'))
			i = skip_blanks(buf, len, t + 6, false);
	}
	if (i < len && buf[i] == '>' && key_end == i && ks > 0 &&
	    buf[ks - 1] == '<') {
		xml = true; /* <key>V</key>, V maybe on a line of its own */
		i = skip_blanks(buf, len, i + 1, true);
	} else if (i < len && buf[i] == ',' && key_quoted) {
		/* The key the first of a pair of quoted strings. */
		size_t o = ks - 1;
		bool call, row;

		while (o > 0 && (buf[o - 1] == ' ' || buf[o - 1] == '\t'))
			o--;
		/* f("KEY", "V").  A key that names a vendor also opens a
		 * pair in an initializer or on a row of its own ({"KEY",
		 * "V"}, "KEY", "V"): the value must then have the vendor's
		 * exact layout, where a generic key's list of two strings
		 * (["deploy_token", "..."]) may be names. */
		call = o > 0 && buf[o - 1] == '(';
		row = o == 0 || buf[o - 1] == '{' || buf[o - 1] == '[' ||
		    buf[o - 1] == '\n';
		if (!call && !(d->word_start && row))
			return false;
		i = skip_blanks(buf, len, i + 1, false);
		if (i >= len || (buf[i] != '"' && buf[i] != '\''))
			return false;
	} else if ((n = assign_op(buf, len, i, &arrow)) > 0) {
		i += n;
	} else if (i < len && buf[i] == ':') {
		i++;
		/* YAML and JSON put a space or a quote after the colon;
		 * "name:other" is an XML id, a URN or a C++ scope. */
		if (i < len && buf[i] != ' ' && buf[i] != '\t' &&
		    buf[i] != '"' && buf[i] != '\'')
			return false;
	} else {
		return false;
	}
	i = skip_blanks(buf, len, i, false);
	if (i < len && (buf[i] == '"' || buf[i] == '\'' || buf[i] == '`'))
		q = buf[i++];
	else if (arrow)
		return false; /* key => $var: code; key => "V" is data */
	v = i;
	while (i < len && i - v <= d->max && buf[i] != q && in_set(d, buf[i]) &&
	    !(xml && buf[i] == '<'))
		i++;
	e = i;
	if (q != 0 && (e >= len || buf[e] != q))
		return false;
	if (xml) {
		size_t t = skip_blanks(buf, len, e, true);

		if (t + 1 >= len || buf[t] != '<' || buf[t + 1] != '/')
			return false;
	}
	/* A value of a detector whose charset is hex (a-f) is no name even
	 * when it spells words (cafebabe:deadbeef): the names it might be
	 * taken for need letters past f. */
	if (!hex_only(d) && q == 0 && !xml &&
	    code_reference(buf + v, e - v, e < len ? buf[e] : 0))
		return false;
	if (!hex_only(d) && identifier_like(buf + v, e - v))
		return false;
	if (e == v || buf[v] == '/')
		return false; /* a path: NOPASSWD: /sbin/x, secret: /run/x */
	/* An unquoted value that ends in ':' is a label in prose ("gives
	 * you a password: prompt):", "s#password: cvs#password:"). */
	if (q == 0 && !xml && buf[e - 1] == ':')
		return false;
	if (e - v < d->min || e - v > d->max)
		return false;
	if (d->suffix != NULL) {
		size_t sl = strlen(d->suffix);

		if (e - v < sl || memcmp(buf + e - sl, d->suffix, sl) != 0)
			return false;
	}
	if (d->prefix != NULL) {
		size_t pl = strlen(d->prefix);

		if (e - v < pl || memcmp(buf + v, d->prefix, pl) != 0)
			return false;
	}
	if (false_positive(d, buf + v, e - v) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = v;
	*rl = e - v;
	return true;
}

/* One line of a PEM body; '\n' may be the two characters of a JSON
 * string's escape.  Returns the line's end; *next the next line. */
static size_t
pem_line(const uint8_t *buf, size_t len, size_t i, size_t *next)
{
	size_t e = i;

	while (e < len && buf[e] != '\n' &&
	    !(buf[e] == '\\' && e + 1 < len &&
		(buf[e + 1] == 'n' || buf[e + 1] == 'r')))
		e++;
	*next = e < len ? (buf[e] == '\\' ? e + 2 : e + 1) : e;
	return e;
}

static bool
v_pem(const struct tt_detector *d, const uint8_t *buf, size_t len, size_t kpos,
    size_t klen, size_t *rs, size_t *rl)
{
	char end[96];
	size_t i = kpos + klen, b64 = 0, endlen, limit;
	bool body = false;

	endlen =
	    (size_t)snprintf(end, sizeof(end), "-----END %s-----", d->label);
	limit = kpos + TT_DETECT_AFTER < len ? kpos + TT_DETECT_AFTER : len;
	while (i < limit) {
		size_t next, e = pem_line(buf, limit, i, &next);

		while (i < e &&
		    (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' ||
			buf[i] == '"'))
			i++;
		while (e > i &&
		    (buf[e - 1] == ' ' || buf[e - 1] == '\t' ||
			buf[e - 1] == '\r' || buf[e - 1] == ','))
			e--;
		if (e - i >= endlen && memcmp(buf + i, end, endlen) == 0) {
			if (b64 < d->min)
				return false;
			*rs = kpos;
			*rl = i + endlen - kpos;
			return true;
		}
		if (e > i && memchr(buf + i, ':', e - i) != NULL && !body) {
			i = next; /* Proc-Type:, DEK-Info:, Version: */
			continue;
		}
		for (size_t k = i; k < e; k++) {
			if (!is_b64(buf[k]))
				return false;
			b64++;
		}
		if (e > i)
			body = true;
		if (next == i && next >= limit)
			break;
		i = next;
	}
	return false;
}

static bool
v_putty(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t limit = kpos + 16384 < len ? kpos + 16384 : len, i, n = 0;
	const uint8_t *p =
	    find_ci(buf + kpos, limit - kpos, "\nPrivate-Lines:");
	unsigned lines;

	if (p == NULL)
		return false;
	i = (size_t)(p - buf) + 15;
	while (i < limit && buf[i] == ' ')
		i++;
	for (lines = 0; i < limit && isdigit(buf[i]) && lines < 1000; i++)
		lines = lines * 10 + (unsigned)(buf[i] - '0');
	if (lines == 0 || i >= limit)
		return false;
	i += buf[i] == '\r' ? 2 : 1;
	*rs = i;
	for (unsigned l = 0; l < lines; l++) {
		size_t s = i;

		while (i < limit && is_b64(buf[i]))
			i++;
		if (i == s)
			return false;
		n += i - s;
		if (i < limit && buf[i] == '\r')
			i++;
		if (i < limit && buf[i] == '\n')
			i++;
	}
	if (n < d->min)
		return false;
	*rl = i - *rs;
	return true;
}

/* A base64url part of a JWT decodes to a JSON object. */
static bool
json_object_part(const uint8_t *s, size_t n)
{
	uint8_t *dec;
	long m;
	json_tokener *tok;
	json_object *o;
	bool ok = false;

	if (n < 4 || n > JWT_MAX_PART)
		return false;
	if ((dec = malloc(n)) == NULL)
		return false;
	m = tt_b64_decode(s, n, dec, n);
	if (m > 1 && dec[0] == '{' && (tok = json_tokener_new_ex(16)) != NULL) {
		o = json_tokener_parse_ex(tok, (const char *)dec, (int)m);
		ok = o != NULL && json_object_is_type(o, json_type_object) &&
		    json_tokener_get_error(tok) == json_tokener_success;
		json_object_put(o);
		json_tokener_free(tok);
	}
	explicit_bzero(dec, n);
	free(dec);
	return ok;
}

static bool
v_jwt(const struct tt_detector *d, const uint8_t *buf, size_t len, size_t kpos,
    size_t klen, size_t *rs, size_t *rl)
{
	size_t part[3], start[3], i = kpos;

	if (kpos > 0 && is_b64url(buf[kpos - 1]))
		return false;
	for (int k = 0; k < 3; k++) {
		start[k] = i;
		while (i < len && i - start[k] <= JWT_MAX_PART &&
		    is_b64url(buf[i]))
			i++;
		part[k] = i - start[k];
		if (k < 2) {
			if (i >= len || buf[i] != '.')
				return false;
			i++;
		}
	}
	if (part[0] < 10 || part[1] < 10 || part[2] < d->min ||
	    part[2] > JWT_MAX_PART || (i < len && buf[i] == '.'))
		return false;
	if (!json_object_part(buf + start[0], part[0]) ||
	    !json_object_part(buf + start[1], part[1]))
		return false;
	if (false_positive(d, buf + start[2], part[2]))
		return false;
	*rs = kpos;
	*rl = i - kpos;
	return true;
}

static bool
url_user_char(uint8_t c)
{
	return is_alnum(c) || (c != 0 && strchr("._~%!$&*+,;=-", c) != NULL);
}

static bool
v_url_password(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t s = kpos, i = kpos + klen, u, p, e;

	while (s > 0 && kpos - s < 32 &&
	    (is_alnum(buf[s - 1]) || buf[s - 1] == '+' || buf[s - 1] == '.' ||
		buf[s - 1] == '-'))
		s--;
	if (kpos - s < 2 || !isalpha(buf[s]))
		return false;
	u = i;
	while (i < len && i - u < 128 && url_user_char(buf[i]))
		i++;
	if (i == u || i >= len || buf[i] != ':')
		return false;
	p = ++i;
	while (i < len && i - p <= d->max && buf[i] != '@' && buf[i] > ' ' &&
	    buf[i] < 0x7f && strchr("/\"'<>`\\", buf[i]) == NULL)
		i++;
	e = i;
	if (e >= len || buf[e] != '@' || e - p < d->min || e - p > d->max)
		return false;
	if (e + 1 >= len || !(is_alnum(buf[e + 1]) || buf[e + 1] == '['))
		return false;
	/* Documentation's hosts (RFC 2606) hold documentation's
	 * passwords. */
	if (find_ci(buf + e + 1, len - e - 1 < 64 ? len - e - 1 : 64,
		"example.") != NULL)
		return false;
	if (false_positive(d, buf + p, e - p))
		return false;
	*rs = p;
	*rl = e - p;
	return true;
}

/* sig=<url-encoded base64 of an HMAC-SHA256> in a URL with sv= and se=. */
static bool
v_sas(const struct tt_detector *d, const uint8_t *buf, size_t len, size_t kpos,
    size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, v = i, lo, hi, n = 0;
	uint8_t raw[128], dec[96];
	long m;

	if (kpos > 0 && is_alnum(buf[kpos - 1]))
		return false;
	while (i < len && i - v < 160 && (is_b64(buf[i]) || buf[i] == '%')) {
		if (buf[i] == '%' && i + 2 < len) {
			char hex[3] = { (char)buf[i + 1], (char)buf[i + 2], 0 };
			char *end;
			long c = strtol(hex, &end, 16);

			if (*end != '\0' || n == sizeof(raw))
				return false;
			raw[n++] = (uint8_t)c;
			i += 3;
			continue;
		}
		if (n == sizeof(raw))
			return false;
		raw[n++] = buf[i++];
	}
	m = tt_b64_decode(raw, n, dec, sizeof(dec));
	explicit_bzero(raw, sizeof(raw));
	explicit_bzero(dec, sizeof(dec));
	if (m != 32)
		return false;
	lo = kpos > 1024 ? kpos - 1024 : 0;
	hi = kpos + 1024 < len ? kpos + 1024 : len;
	if (find_ci(buf + lo, hi - lo, "sv=") == NULL ||
	    (find_ci(buf + lo, hi - lo, "se=") == NULL &&
		find_ci(buf + lo, hi - lo, "sp=") == NULL))
		return false;
	if (false_positive(d, buf + v, i - v))
		return false;
	*rs = v;
	*rl = i - v;
	return true;
}

/* Entra ID client secret: 3 bytes, the keyword "8Q~", the rest. */
static bool
v_entra(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t s, e = kpos + klen;

	if (kpos < 3)
		return false;
	s = kpos - 3;
	for (size_t i = s; i < kpos; i++)
		if (!in_set(d, buf[i]))
			return false;
	if (s > 0 && in_set(d, buf[s - 1]))
		return false;
	while (e < len && e - s <= d->max && in_set(d, buf[e]))
		e++;
	if (e - s < d->min || e - s > d->max)
		return false;
	if (false_positive(d, buf + s, e - s))
		return false;
	*rs = s;
	*rl = e - s;
	return true;
}

/* crypt(3): $id$[params$]salt$hash; the last field's length is min..max. */
static bool
v_crypt(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, last = i, fields = 1;

	if (kpos > 0 && (is_alnum(buf[kpos - 1]) || buf[kpos - 1] == '$'))
		return false;
	while (
	    i < len && i - kpos < 512 && (in_set(d, buf[i]) || buf[i] == '$')) {
		if (buf[i] == '$') {
			fields++;
			last = i + 1;
		}
		i++;
	}
	if (fields < 2 || i - last < d->min || i - last > d->max)
		return false;
	/* $2a$10$xxxx...: a format string or a dummy, not a hash. */
	for (size_t k = last + 1, run = 1; k < i; k++) {
		run = buf[k] == buf[k - 1] ? run + 1 : 1;
		if (run >= 6)
			return false;
	}
	if (false_positive(d, buf + kpos, i - kpos))
		return false;
	*rs = kpos;
	*rl = i - kpos;
	return true;
}

/* Docker's config.json: "auth": "base64(user:password)" under "auths". */
static bool
v_docker_auth(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, v;
	uint8_t dec[512];
	const uint8_t *colon;
	long m;
	bool ok;

	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i >= len || buf[i++] != ':')
		return false;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i >= len || buf[i++] != '"')
		return false;
	v = i;
	while (i < len && i - v < 600 && is_b64(buf[i]))
		i++;
	if (i >= len || buf[i] != '"' || i - v < d->min)
		return false;
	m = tt_b64_decode(buf + v, i - v, dec, sizeof(dec));
	colon = m > 2 ? memchr(dec, ':', (size_t)m) : NULL;
	ok = colon != NULL && colon > dec && colon < dec + m - 1 &&
	    !tt_placeholder(colon + 1, (size_t)(dec + m - colon - 1));
	explicit_bzero(dec, sizeof(dec));
	if (!ok || false_positive(d, buf + v, i - v) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = v;
	*rl = i - v;
	return true;
}

/* key: <base64 of a PEM private key> (kubeconfig's client-key-data). */
static bool
v_b64_pem(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, v, head;
	uint8_t dec[96];
	long m;
	bool ok;

	while (i < len &&
	    (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '"' ||
		buf[i] == ':' || buf[i] == '='))
		i++;
	v = i;
	while (i < len && i - v < TT_DETECT_AFTER && is_b64(buf[i]))
		i++;
	if (i - v < d->min)
		return false;
	head = i - v < 120 ? (i - v) & ~(size_t)3 : 120;
	m = tt_b64_decode(buf + v, head, dec, sizeof(dec));
	ok = m >= 20 && memcmp(dec, "-----BEGIN ", 11) == 0 &&
	    find_ci(dec, (size_t)m, "PRIVATE KEY") != NULL;
	explicit_bzero(dec, sizeof(dec));
	if (!ok)
		return false;
	*rs = v;
	*rl = i - v;
	return true;
}

/* A JSON Web Token encoded once more in base64 (a Kubernetes Secret's
 * data, a CI variable): the keyword is "eyJ" encoded ("ZXlK"), the value
 * runs while base64 of either alphabet does, with its padding, and what
 * it decodes to, whole, is a JWT (v_jwt: header and payload JSON
 * objects, a signature).  Values over B64_JWT_MAX bytes are not decoded. */
#define B64_JWT_MAX ((size_t)16384)

static bool
v_b64_jwt(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, js = 0, jl = 0;
	uint8_t *dec;
	long m;
	bool ok;

	if (kpos > 0 &&
	    (is_b64url(buf[kpos - 1]) || buf[kpos - 1] == '+' ||
		buf[kpos - 1] == '/'))
		return false;
	while (i < len && i - kpos <= B64_JWT_MAX &&
	    (is_b64url(buf[i]) || buf[i] == '+' || buf[i] == '/'))
		i++;
	for (int pad = 0; pad < 2 && i < len && buf[i] == '='; pad++)
		i++;
	if (i - kpos > B64_JWT_MAX || i - kpos < 40)
		return false;
	if ((dec = malloc(i - kpos)) == NULL)
		return false;
	m = tt_b64_decode(buf + kpos, i - kpos, dec, i - kpos);
	ok = m > 0 && v_jwt(d, dec, (size_t)m, 0, 3, &js, &jl) && js == 0 &&
	    jl == (size_t)m;
	explicit_bzero(dec, i - kpos);
	free(dec);
	if (!ok)
		return false;
	*rs = kpos;
	*rl = i - kpos;
	return true;
}

/* curl's -u/--user user:password (a password on the command line, in a
 * script or a shell history); -u user alone makes curl ask for it. */
static bool
v_curl_user(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t i = kpos + klen, u, ue, p, e;
	uint8_t q = 0;

	if (i < len && buf[i] == '=')
		i++;
	else
		i = skip_blanks(buf, len, i, false);
	if (i < len && (buf[i] == '"' || buf[i] == '\''))
		q = buf[i++];
	u = i;
	while (i < len && i - u < 256 && buf[i] > ' ' && buf[i] < 0x7f &&
	    buf[i] != ':' && buf[i] != q && buf[i] != '"' && buf[i] != '\'')
		i++;
	ue = i;
	if (q != 0 && i + 1 < len && buf[i] == q && buf[i + 1] == ':') {
		q = 0; /* "user":"password", each half quoted */
		i++;
	}
	if (i >= len || buf[i] != ':')
		return false;
	p = ++i;
	if (q == 0 && i < len && (buf[i] == '"' || buf[i] == '\'')) {
		q = buf[i++]; /* user:'password' */
		p = i;
	}
	while (i < len && i - p <= d->max && buf[i] != q &&
	    (q != 0 ||
		(buf[i] > ' ' && buf[i] < 0x7f && buf[i] != '"' &&
		    buf[i] != '\'')) &&
	    buf[i] != '\n')
		i++;
	e = i;
	if (q != 0 && (e >= len || buf[e] != q))
		return false;
	if (e == p) {
		/* "KEY:" with no password: services that take an API key as
		 * the user (Stripe, Mailgun) read it so.  A bare user name is
		 * no secret, so the user must look drawn. */
		if (ue - u < 8 || tt_entropy(buf + u, ue - u) < 3.0)
			return false;
		p = u;
		e = ue;
	}
	if (e - p < d->min || e - p > d->max)
		return false;
	if (false_positive(d, buf + p, e - p) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = p;
	*rl = e - p;
	return true;
}

/* A header name that carries a credential by itself: X-Api-Key,
 * X-Octopus-ApiKey, Api-Token, apikey, Token ((X-(word-)?)?(Api-?)?(Key|Token),
 * any case, as gitleaks' curl rule reads it). */
static bool
credential_header(const uint8_t *s, size_t n)
{
	size_t i = 0;

	if (n >= 2 && strncasecmp((const char *)s, "X-", 2) == 0) {
		size_t w = 2;

		i = 2;
		while (w < n && isalpha(s[w]))
			w++;
		if (w < n && s[w] == '-' && w > 2)
			i = w + 1; /* X-Octopus- */
	}
	if (n - i >= 3 && strncasecmp((const char *)s + i, "Api", 3) == 0) {
		i += 3;
		if (i < n && s[i] == '-')
			i++;
	}
	return (n - i == 3 &&
		   strncasecmp((const char *)s + i, "Key", 3) == 0) ||
	    (n - i == 5 && strncasecmp((const char *)s + i, "Token", 5) == 0);
}

/* curl -H/--header 'Authorization: [Basic|Bearer|Token|Api-Token] V' or
 * 'X-Api-Key: V', the header quoted as one argument; the secret is V,
 * which must end at the closing quote (a $VAR, <...> or {...} in it
 * stops it short).  The keyword is the option after a blank. */
static bool
v_curl_header(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	static const char *const schemes[] = { "Basic", "Bearer", "Token",
		"Api-Token", NULL };
	size_t i = kpos + klen, n0, v, e;
	uint8_t q;
	bool basic = false;

	if (i < len && buf[i] == '=')
		i++;
	else
		i = skip_blanks(buf, len, i, false);
	if (i >= len || (buf[i] != '"' && buf[i] != '\''))
		return false;
	q = buf[i++];
	n0 = i;
	while (i < len && i - n0 < 64 && (is_alnum(buf[i]) || buf[i] == '-'))
		i++;
	if (i >= len || buf[i] != ':' || i == n0)
		return false;
	if (i - n0 == 13 &&
	    strncasecmp((const char *)buf + n0, "Authorization", 13) == 0) {
		i = skip_blanks(buf, len, i + 1, false);
		for (size_t k = 0; schemes[k] != NULL; k++) {
			size_t m = strlen(schemes[k]);

			if (i + m < len &&
			    strncasecmp((const char *)buf + i, schemes[k], m) ==
				0 &&
			    (buf[i + m] == ' ' || buf[i + m] == '\t')) {
				basic = k == 0;
				i = skip_blanks(buf, len, i + m, false);
				break;
			}
		}
	} else if (credential_header(buf + n0, i - n0)) {
		i = skip_blanks(buf, len, i + 1, false);
	} else {
		return false;
	}
	v = i;
	/* Basic's value is base64; the others gitleaks' [\w=~@.+/-]. */
	while (i < len && i - v <= d->max &&
	    (basic ? is_b64(buf[i]) :
		     is_alnum(buf[i]) ||
			(buf[i] != 0 && strchr("_=~@.+/-", buf[i]) != NULL)))
		i++;
	e = i;
	if (e >= len || buf[e] != q || e - v < d->min || e - v > d->max)
		return false;
	if (false_positive(d, buf + v, e - v) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = v;
	*rl = e - v;
	return true;
}

/* "kind: Secret" (quoted or not) near a Kubernetes manifest's data:. */
static bool
k8s_secret_kind(const uint8_t *buf, size_t len, size_t kpos)
{
	size_t lo = kpos > TT_DETECT_BEFORE ? kpos - TT_DETECT_BEFORE : 0;
	size_t hi = kpos + 4096 < len ? kpos + 4096 : len;

	/* Within the YAML document that holds data: (between "---" lines):
	 * a Secret's kind does not make the next document's ConfigMap
	 * data a secret. */
	for (size_t i = kpos; i > lo; i--)
		if (buf[i - 1] == '\n' && i + 3 <= kpos &&
		    memcmp(buf + i, "---", 3) == 0) {
			lo = i;
			break;
		}
	for (size_t i = kpos; i + 4 <= hi; i++)
		if (buf[i] == '\n' && memcmp(buf + i + 1, "---", 3) == 0) {
			hi = i;
			break;
		}

	for (const uint8_t *p = buf + lo;
	     (p = find_ci(p, (size_t)(buf + hi - p), "kind:")) != NULL;) {
		size_t i = (size_t)(p - buf) + 5;

		i = skip_blanks(buf, hi, i, false);
		if (i < hi && (buf[i] == '"' || buf[i] == '\''))
			i++;
		if (i + 6 <= hi &&
		    strncasecmp((const char *)buf + i, "secret", 6) == 0 &&
		    (i + 6 == hi || !is_alnum(buf[i + 6])))
			return true;
		p = buf + i;
	}
	return false;
}

/* A Kubernetes Secret: under data: (base64) or stringData: (plain), the
 * first value that is no placeholder. */
static bool
v_k8s_secret(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	bool plain = klen > 5; /* stringData: */
	size_t i = kpos + klen, limit = kpos + 4096 < len ? kpos + 4096 : len;

	if (kpos > 0 && buf[kpos - 1] != ' ' && buf[kpos - 1] != '\t' &&
	    buf[kpos - 1] != '\n')
		return false;
	i = skip_blanks(buf, len, i, false);
	if (i < len && buf[i] == '\r')
		i++;
	if (i >= len || buf[i] != '\n' || !k8s_secret_kind(buf, len, kpos))
		return false;
	while (++i < limit) {
		size_t k = skip_blanks(buf, limit, i, false), v, e;
		uint8_t q = 0;

		if (k == i || k >= limit)
			return false; /* the block ended */
		if (buf[k] == '#' || buf[k] == '\n') {
			while (k < limit && buf[k] != '\n')
				k++;
			i = k;
			continue;
		}
		while (k < limit && buf[k] != ':' && buf[k] != '\n')
			k++;
		if (k >= limit || buf[k] != ':')
			return false;
		v = skip_blanks(buf, limit, k + 1, false);
		if (v < limit && (buf[v] == '|' || buf[v] == '>')) {
			/* A block scalar: the value on the next line. */
			while (v < limit && buf[v] != '\n')
				v++;
			v = skip_blanks(buf, limit, v, true);
		}
		if (v < limit && (buf[v] == '"' || buf[v] == '\''))
			q = buf[v++];
		e = v;
		while (e < limit && buf[e] != '\n' && buf[e] != '\r' &&
		    buf[e] != q && (plain ? buf[e] != ' ' : is_b64(buf[e])))
			e++;
		if (e - v >= d->min && e - v <= d->max &&
		    (q == 0 || (e < limit && buf[e] == q)) &&
		    !tt_placeholder(buf + v, e - v) &&
		    !false_positive(d, buf + v, e - v)) {
			*rs = v;
			*rl = e - v;
			return true;
		}
		while (e < limit && buf[e] != '\n')
			e++;
		i = e;
	}
	return false;
}

/* A Telegram bot token, BOTID:SECRET (5 to 16 digits, ':', then min..max
 * charset bytes, the first of them an 'A'), on the keyword's line after
 * it, or on the next line when the keyword's ends a tag
 * (<telegramToken>\n  12345678:AA...): "telegram bot: 12345678:AA...",
 * TELEGRAM_TOKEN=..., and the Bot API's URLs
 * (https://api.telegram.org/bot12345678:AA.../sendMessage).
 * The bot id stands alone or after "/bot"; the secret ends where the
 * charset does, so a longer or shorter one is something else. */
static bool
v_telegram_bot(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t end = kpos + klen, last, i;

	while (end < len && end - kpos < TT_DETECT_AFTER && buf[end] != '\n')
		end++;
	for (last = end; last > kpos && isspace(buf[last - 1]); last--)
		;
	if (last > kpos && buf[last - 1] == '>' && end < len) {
		end++; /* the element's value on the next line */
		while (end < len && end - kpos < TT_DETECT_AFTER &&
		    buf[end] != '\n')
			end++;
	}
	for (i = kpos + klen; i < end; i++) {
		size_t b = i, e;

		if (!isdigit(buf[i]) || (i > 0 && isdigit(buf[i - 1])))
			continue;
		while (i < end && isdigit(buf[i]))
			i++;
		if (i - b < 5 || i - b > 16 || i + 1 >= end || buf[i] != ':' ||
		    buf[i + 1] != 'A')
			continue;
		if (b > 0 && is_alnum(buf[b - 1]) &&
		    !(b >= 4 && memcmp(buf + b - 4, "/bot", 4) == 0))
			continue;
		e = i + 1;
		while (e < len && in_set(d, buf[e]))
			e++;
		if (e - (i + 1) < d->min || e - (i + 1) > d->max)
			continue;
		if (false_positive(d, buf + b, e - b))
			continue;
		*rs = b;
		*rl = e - b;
		return true;
	}
	return false;
}

/* An application token APPID|SECRET (Facebook's app access token): the
 * keyword is the id's last digit and '|', or the URL encoding %7C after
 * the digits; 15 or 16 digits in all, then the secret. */
static bool
v_app_token(const struct tt_detector *d, const uint8_t *buf, size_t len,
    size_t kpos, size_t klen, size_t *rs, size_t *rl)
{
	size_t id_end = isdigit(buf[kpos]) ? kpos + 1 : kpos, b = id_end;
	size_t v = kpos + klen, e = v;

	while (b > 0 && id_end - b <= 16 && isdigit(buf[b - 1]))
		b--;
	if (id_end - b < 15 || id_end - b > 16 ||
	    (b > 0 && is_alnum(buf[b - 1])))
		return false;
	while (e < len && e - v <= d->max && in_set(d, buf[e]))
		e++;
	if (e - v < d->min || e - v > d->max || (e < len && is_alnum(buf[e])))
		return false;
	if (false_positive(d, buf + v, e - v) ||
	    !has_context(d, buf, len, kpos))
		return false;
	*rs = b;
	*rl = e - b;
	return true;
}

bool
tt_detect(const struct tt_detector *d, size_t kw, const uint8_t *buf,
    size_t len, size_t kpos, size_t klen, size_t *ret_start, size_t *ret_len)
{
	size_t s = 0, l = 0;
	bool ok;

	if (kw >= d->nkeywords || kpos + klen > len)
		return false;
	if (d->case_sensitive && memcmp(buf + kpos, d->keywords[kw], klen) != 0)
		return false;
	switch (d->type) {
	case TT_V_TOKEN: ok = v_token(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_PEM: ok = v_pem(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_PUTTY: ok = v_putty(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_JWT: ok = v_jwt(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_URL_PASSWORD:
		ok = v_url_password(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_ASSIGNMENT:
		ok = v_assignment(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_SAS: ok = v_sas(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_ENTRA: ok = v_entra(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_CRYPT: ok = v_crypt(d, buf, len, kpos, klen, &s, &l); break;
	case TT_V_DOCKER_AUTH:
		ok = v_docker_auth(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_B64_PEM:
		ok = v_b64_pem(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_CURL_USER:
		ok = v_curl_user(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_K8S_SECRET:
		ok = v_k8s_secret(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_APP_TOKEN:
		ok = v_app_token(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_CURL_HEADER:
		ok = v_curl_header(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_TELEGRAM_BOT:
		ok = v_telegram_bot(d, buf, len, kpos, klen, &s, &l);
		break;
	case TT_V_B64_JWT:
		ok = v_b64_jwt(d, buf, len, kpos, klen, &s, &l);
		break;
	default: ok = false; break;
	}
	if (!ok || l == 0)
		return false;
	*ret_start = s;
	*ret_len = l;
	return true;
}
