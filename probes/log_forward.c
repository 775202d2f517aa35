/*
 * log_forward: where the image sends its logs off the host (CIS "Ensure
 * rsyslog is configured to send logs to a remote log host", the journald
 * upload URL).  The site's log host is the rule's parameter `loghost`,
 * which a tailoring sets (docs/tailoring.md): empty (the pack's default),
 * any remote target will do; set, one target must be that host (or one
 * of a comma list; "host:port" also asks for the port).
 *
 * source rsyslog: the forwarding actions of every file rsyslogd reads
 * (rsyslog.conf and what it includes, as the rsyslog probe reads them).
 * source journal-upload: URL= of [Upload] in journal-upload.conf and its
 * drop-ins (last wins, as systemd reads them).
 *
 * One item: targets ("tcp host:514 (FILE:LINE), ..."; "" when none),
 * required (the loghost, or "any remote host"), missing ("" when a
 * target satisfies it, else what is wrong, in words).
 */
#include <ctype.h>
#include <strings.h>

#include "fileio.h"
#include "text.h"
#include "log.h"
#include "util.h"
#include "tt.h"

static const char *const sources[] = { "rsyslog", "journal-upload", NULL };

static const struct tt_param_spec params[] = {
	{ "source", TT_PARAM_CHOICE, false, sources,
	    "rsyslog (default) or journal-upload" },
	{ "loghost", TT_PARAM_STRING, false, NULL,
	    "the site's log host (host or host:port; a comma list for any of "
	    "several); empty: any remote host" },
	{ NULL, 0, false, NULL, NULL },
};

static const char *const fields[] = { "targets", "required", "missing", NULL };

/* --- the rsyslog parser (pure: unit-tested and fuzzed) ---------------- */

/* A copy of text with comments blanked (newlines kept, so lines count
 * the same): "#" to the end of the line and C comments, outside double
 * quotes. */
static char *
strip_comments(const char *text, size_t len)
{
	char *s = malloc(len + 1);
	bool quoted = false;

	if (s == NULL)
		return NULL;
	memcpy(s, text, len);
	s[len] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\0') {
			s[i] = ' ';
		} else if (quoted) {
			if (s[i] == '\\' && i + 1 < len && s[i + 1] != '\n')
				i++;
			else if (s[i] == '"' || s[i] == '\n')
				quoted = false;
		} else if (s[i] == '"') {
			quoted = true;
		} else if (s[i] == '#') {
			for (; i < len && s[i] != '\n'; i++)
				s[i] = ' ';
		} else if (s[i] == '/' && i + 1 < len && s[i + 1] == '*') {
			for (; i < len &&
			     !(s[i] == '*' && i + 1 < len && s[i + 1] == '/');
			     i++)
				if (s[i] != '\n')
					s[i] = ' ';
			if (i < len)
				s[i] = ' ';
			if (i + 1 < len)
				s[i + 1] = ' ', i++;
		}
	}
	return s;
}

static size_t
line_at(const char *s, size_t pos)
{
	size_t n = 1;

	for (size_t i = 0; i < pos; i++)
		n += s[i] == '\n';
	return n;
}

static void
copy_word(char *dst, size_t dstlen, const char *src, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The value at *p of name=value in action(...): "quoted", ["a", "b"]
 * (the first for scalars; each, through fn, for target) or a bare word;
 * *p moves past it.  Returns the value's text in val. */
static void
action_value(const char **p, const char *end, char *val, size_t vallen)
{
	const char *s = *p, *start;

	val[0] = '\0';
	if (s < end && *s == '"') {
		start = ++s;
		while (s < end && *s != '"') {
			if (*s == '\\' && s + 1 < end)
				s++;
			s++;
		}
		copy_word(val, vallen, start, (size_t)(s - start));
		if (s < end)
			s++;
	} else if (s < end && *s == '[') {
		/* A list: its first string stands for it here; targets
		 * are read by list_targets. */
		const char *q = memchr(s, '"', (size_t)(end - s));
		const char *close = memchr(s, ']', (size_t)(end - s));

		if (q != NULL && (close == NULL || q < close)) {
			const char *e = q + 1;

			while (e < end && *e != '"')
				e++;
			copy_word(val, vallen, q + 1, (size_t)(e - q - 1));
		}
		s = close ? close + 1 : end;
	} else {
		start = s;
		while (s < end && !isspace((unsigned char)*s) && *s != ')')
			s++;
		copy_word(val, vallen, start, (size_t)(s - start));
	}
	*p = s;
}

/* A target as a resolver could take it: a name or an address (IPv6 with
 * its zone), a port of digits or a service name; anything else is no
 * target rsyslogd could send to, and would carry the file's bytes into
 * the outputs. */
static bool
target_ok(const struct tt_logfwd *t)
{
	if (t->host[0] == '\0')
		return false;
	for (const char *p = t->host; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr(".:-_%", *p) == NULL)
			return false;
	for (const char *p = t->port; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-')
			return false;
	return true;
}

static int
emit(const struct tt_logfwd *t, int (*fn)(const struct tt_logfwd *, void *),
    void *arg)
{
	return target_ok(t) ? fn(t, arg) : 0;
}

/* Each string of target=["a", "b"] (or the one of target="a"). */
static int
list_targets(const char *v, const char *end, struct tt_logfwd *t,
    int (*fn)(const struct tt_logfwd *, void *), void *arg)
{
	const char *close;
	int r;

	if (v >= end || *v != '[')
		return emit(t, fn, arg);
	close = memchr(v, ']', (size_t)(end - v));
	if (close == NULL)
		close = end;
	for (const char *q = v; q < close;) {
		const char *e;

		if ((q = memchr(q, '"', (size_t)(close - q))) == NULL)
			break;
		for (e = q + 1; e < close && *e != '"'; e++)
			;
		copy_word(t->host, sizeof(t->host), q + 1, (size_t)(e - q - 1));
		if ((r = emit(t, fn, arg)) < 0)
			return r;
		q = e + 1;
	}
	return 0;
}

/* action( at s (past the parenthesis) to its closing one, at most end:
 * a forward when its type is omfwd or omrelp and it has a target.
 * Returns where the action ends. */
static int
scan_action(const char *s, const char *end, size_t line,
    int (*fn)(const struct tt_logfwd *, void *), void *arg,
    const char **ret_end)
{
	struct tt_logfwd t = { .line = line };
	char type[32] = "", proto[16] = "", val[256];
	const char *target = NULL, *p = s;

	while (p < end && *p != ')') {
		const char *name = p;
		size_t nlen;

		if (isspace((unsigned char)*p) || *p == ',') {
			p++;
			continue;
		}
		while (p < end &&
		    (isalnum((unsigned char)*p) || strchr("._-", *p) != NULL))
			p++;
		nlen = (size_t)(p - name);
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (nlen == 0 || p >= end || *p != '=') {
			/* Not name=value: skip a character and resync. */
			if (p < end && *p != ')')
				p++;
			continue;
		}
		p++;
		while (p < end && isspace((unsigned char)*p))
			p++;
		if (nlen == 6 && strncasecmp(name, "target", 6) == 0)
			target = p;
		action_value(&p, end, val, sizeof(val));
		if (nlen == 4 && strncasecmp(name, "type", 4) == 0)
			strlcpy(type, val, sizeof(type));
		else if (nlen == 4 && strncasecmp(name, "port", 4) == 0)
			copy_word(t.port, sizeof(t.port), val, strlen(val));
		else if (nlen == 8 && strncasecmp(name, "protocol", 8) == 0)
			strlcpy(proto, val, sizeof(proto));
		else if (nlen == 6 && strncasecmp(name, "target", 6) == 0)
			strlcpy(t.host, val, sizeof(t.host));
	}
	*ret_end = p < end ? p + 1 : end;
	/* Unterminated: rsyslogd refuses the file, nothing is forwarded. */
	if (p >= end)
		return 0;
	if (strcasecmp(type, "omrelp") == 0)
		strlcpy(t.proto, "relp", sizeof(t.proto));
	else if (strcasecmp(type, "omfwd") == 0)
		strlcpy(t.proto, strcasecmp(proto, "tcp") == 0 ? "tcp" : "udp",
		    sizeof(t.proto));
	else
		return 0;
	if (target == NULL || t.host[0] == '\0')
		return 0;
	return list_targets(target, end, &t, fn, arg);
}

/* A legacy action "@host", "@@(o)host:port;Template", "@[::1]:514". */
static int
scan_legacy(const char *a, const char *end, size_t line,
    int (*fn)(const struct tt_logfwd *, void *), void *arg)
{
	struct tt_logfwd t = { .line = line };
	const char *h, *e;

	if (a >= end || *a != '@')
		return 0;
	a++;
	strlcpy(t.proto, "udp", sizeof(t.proto));
	if (a < end && *a == '@') {
		strlcpy(t.proto, "tcp", sizeof(t.proto));
		a++;
	}
	if (a < end && *a == '(') {
		while (a < end && *a != ')')
			a++;
		if (a < end)
			a++;
	}
	if (a < end && *a == '[') {
		h = ++a;
		while (a < end && *a != ']')
			a++;
		e = a;
		if (a < end)
			a++;
	} else {
		h = a;
		while (a < end && *a != ':' && *a != ';' &&
		    !isspace((unsigned char)*a))
			a++;
		e = a;
	}
	copy_word(t.host, sizeof(t.host), h, (size_t)(e - h));
	if (a < end && *a == ':') {
		h = ++a;
		while (a < end && isdigit((unsigned char)*a))
			a++;
		copy_word(t.port, sizeof(t.port), h, (size_t)(a - h));
	}
	return emit(&t, fn, arg);
}

/* One line of legacy syntax: "SELECTOR ACTION" or "& ACTION". */
static int
scan_line(const char *s, const char *end, size_t line,
    int (*fn)(const struct tt_logfwd *, void *), void *arg)
{
	const char *sel, *sel_end;

	while (s < end && isspace((unsigned char)*s))
		s++;
	sel = s;
	while (s < end && !isspace((unsigned char)*s))
		s++;
	sel_end = s;
	if (sel == sel_end || *sel == '$' || *sel == ':' ||
	    memchr(sel, '(', (size_t)(sel_end - sel)) != NULL)
		return 0;
	/* A facility.priority selector (or "&", the previous one's). */
	if (!(sel_end - sel == 1 && *sel == '&') &&
	    memchr(sel, '.', (size_t)(sel_end - sel)) == NULL)
		return 0;
	while (s < end && isspace((unsigned char)*s))
		s++;
	return scan_legacy(s, end, line, fn, arg);
}

int
tt_logfwd_rsyslog(const char *text, size_t len,
    int (*fn)(const struct tt_logfwd *, void *), void *arg)
{
	char *s = strip_comments(text, len);
	const char *end;
	bool quoted = false;
	int r = 0;

	if (s == NULL)
		return -ENOMEM;
	end = s + len;
	/* RainerScript actions first, each blanked once read, so what is
	 * left is the legacy lines. */
	for (char *p = s; r == 0 && p < end; p++) {
		const char *aend;

		if (*p == '"' && (p == s || p[-1] != '\\'))
			quoted = !quoted;
		if (quoted || (size_t)(end - p) < 7 ||
		    strncasecmp(p, "action(", 7) != 0 ||
		    (p > s && (isalnum((unsigned char)p[-1]) || p[-1] == '_')))
			continue;
		r = scan_action(p + 7, end, line_at(s, (size_t)(p - s)), fn,
		    arg, &aend);
		for (char *q = p; q < aend; q++)
			if (*q != '\n')
				*q = ' ';
		p = (char *)aend - 1;
	}
	for (const char *p = s; r == 0 && p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		r = scan_line(p, le, line_at(s, (size_t)(p - s)), fn, arg);
		p = nl ? nl + 1 : end;
	}
	free(s);
	return r;
}

int
tt_logfwd_url(const char *url, struct tt_logfwd *out)
{
	const char *p = url, *h, *e;

	memset(out, 0, sizeof(*out));
	strlcpy(out->proto, "https", sizeof(out->proto));
	while (isspace((unsigned char)*p))
		p++;
	if (strncasecmp(p, "http://", 7) == 0) {
		strlcpy(out->proto, "http", sizeof(out->proto));
		p += 7;
	} else if (strncasecmp(p, "https://", 8) == 0) {
		p += 8;
	}
	if (*p == '[') {
		h = ++p;
		while (*p && *p != ']')
			p++;
		e = p;
		if (*p)
			p++;
	} else {
		h = p;
		while (
		    *p && *p != ':' && *p != '/' && !isspace((unsigned char)*p))
			p++;
		e = p;
	}
	copy_word(out->host, sizeof(out->host), h, (size_t)(e - h));
	if (*p == ':') {
		h = ++p;
		while (isdigit((unsigned char)*p))
			p++;
		copy_word(out->port, sizeof(out->port), h, (size_t)(p - h));
	}
	return target_ok(out) ? 0 : -EINVAL;
}

const char *
tt_logfwd_port(const struct tt_logfwd *t)
{
	if (t->port[0] != '\0')
		return t->port;
	return strncmp(t->proto, "http", 4) == 0 ? "19532" : "514";
}

/* --- the probe ---------------------------------------------------------- */

struct collect {
	struct tt_buf *targets;
	const char *file;
	const char *loghost;
	size_t n;
	bool matched;
};

/* Whether t is one of the comma list loghost ("host" or "host:port";
 * an address with more than one ':' is IPv6 without a port). */
static bool
matches(const struct tt_logfwd *t, const char *loghost)
{
	char buf[TT_PROBE_LINE_MAX > 4096 ? 4096 : TT_PROBE_LINE_MAX];
	char *save = NULL;

	strlcpy(buf, loghost, sizeof(buf));
	for (char *w = strtok_r(buf, ", \t", &save); w != NULL;
	     w = strtok_r(NULL, ", \t", &save)) {
		char *colon = strchr(w, ':');
		const char *port = NULL;

		if (colon != NULL && strchr(colon + 1, ':') == NULL) {
			*colon = '\0';
			port = colon + 1;
		}
		if (strcasecmp(w, t->host) == 0 &&
		    (port == NULL || TT_STREQ(port, tt_logfwd_port(t))))
			return true;
	}
	return false;
}

static int
collect(const struct tt_logfwd *t, void *arg)
{
	struct collect *c = arg;

	/* Bounded: a hostile file with thousands of actions says so. */
	if (++c->n <= 16)
		tt_buf_printf(c->targets, "%s%s %s:%s (%s:%zu)",
		    c->targets->len ? ", " : "", t->proto, t->host,
		    tt_logfwd_port(t), c->file, t->line);
	else if (c->n == 17)
		tt_buf_puts(c->targets, ", and more");
	if (c->loghost[0] == '\0' || matches(t, c->loghost))
		c->matched = true;
	return 0;
}

static int
scan_rsyslog(struct tt_audit *a, struct collect *c, char *err, size_t errlen)
{
	const struct tt_strv *files;
	int r;

	if ((r = tt_rsyslog_files(a, &files, err, errlen)) < 0)
		return r;
	for (size_t i = 0; i < files->n; i++) {
		struct tt_buf text;
		bool seen = false;

		for (size_t j = 0; j < i; j++)
			seen |= TT_STREQ(files->v[j], files->v[i]);
		if (seen)
			continue;
		r = tt_probe_read(a, files->v[i], &text);
		if (r == -ENOENT || r == -ENOTDIR || r == -EISDIR)
			continue;
		if (r < 0) {
			tt_seterr(err, errlen, "cannot read '%s': %s",
			    files->v[i], tt_strerror(r));
			return r;
		}
		c->file = files->v[i];
		r = tt_logfwd_rsyslog(text.data ? text.data : "", text.len,
		    collect, c);
		tt_buf_free(&text);
		if (r < 0)
			return r;
	}
	return 0;
}

/* URL= of [Upload], the last one read winning ("URL=" empties it). */
static int
scan_upload(struct tt_audit *a, struct collect *c, char *err, size_t errlen)
{
	static const char *const dirs[] = {
		"/etc/systemd/journal-upload.conf.d",
		"/run/systemd/journal-upload.conf.d",
		"/usr/local/lib/systemd/journal-upload.conf.d",
		"/usr/lib/systemd/journal-upload.conf.d",
	};
	struct tt_strv files = { 0 };
	char url[1024] = "", file[PATH_MAX] = "";
	size_t url_line = 0;
	struct tt_logfwd t;
	int r;

	if ((r = tt_strv_add(&files, "/etc/systemd/journal-upload.conf")) < 0 ||
	    (r = tt_dropin_files(a->root, dirs, TT_ARRAY_SIZE(dirs), ".conf",
		 &files)) < 0) {
		tt_strv_free(&files);
		return r;
	}
	for (size_t i = 0; r == 0 && i < files.n; i++) {
		struct tt_buf text;
		struct tt_lines l;
		char *line;
		size_t lineno;
		bool upload = false;

		r = tt_probe_lines_open(a, files.v[i], &text, &line, err,
		    errlen);
		if (r <= 0)
			continue;
		r = 0;
		tt_lines_init(&l, text.data, text.len);
		while (tt_lines_next(&l, line, TT_PROBE_LINE_MAX, true,
			   &lineno) > 0) {
			char *s = tt_trim(line);

			if (*s == '[')
				upload = strncmp(s, "[Upload]", 8) == 0;
			else if (upload && strncmp(s, "URL", 3) == 0 &&
			    *tt_trim(s + 3) == '=') {
				strlcpy(url, tt_trim(strchr(s, '=') + 1),
				    sizeof(url));
				strlcpy(file, files.v[i], sizeof(file));
				url_line = lineno;
			}
		}
		free(line);
		tt_buf_free(&text);
	}
	tt_strv_free(&files);
	if (r < 0)
		return r;
	if (url[0] != '\0' && tt_logfwd_url(url, &t) == 0) {
		t.line = url_line;
		c->file = file;
		return collect(&t, c);
	}
	return 0;
}

static int
run(struct tt_audit *a, const struct tt_params *p, struct tt_items *out,
    char *err, size_t errlen)
{
	const char *source = tt_param(p, "source", "rsyslog");
	struct tt_buf targets, missing;
	struct collect c = { .targets = &targets,
		.loghost = tt_param(p, "loghost", "") };
	struct tt_item *it;
	int r;

	tt_buf_init(&targets, (size_t)64 * 1024);
	tt_buf_init(&missing, (size_t)64 * 1024);
	if (TT_STREQ(source, "journal-upload"))
		r = scan_upload(a, &c, err, errlen);
	else
		r = scan_rsyslog(a, &c, err, errlen);
	if (r == 0 && !c.matched) {
		if (c.n == 0)
			tt_buf_printf(&missing, "no remote log target in %s",
			    TT_STREQ(source, "rsyslog") ?
				"rsyslog's configuration" :
				"journal-upload.conf (URL=)");
		else
			tt_buf_printf(&missing, "no target is %s", c.loghost);
	}
	if (r == 0 && (r = tt_items_add(out, &it)) == 0 &&
	    (r = tt_item_set(it, "targets", targets.len ? targets.data : "")) ==
		0 &&
	    (r = tt_item_set(it, "required",
		 c.loghost[0] ? c.loghost : "any remote host")) == 0)
		r = tt_item_set(it, "missing", missing.len ? missing.data : "");
	tt_buf_free(&targets);
	tt_buf_free(&missing);
	return r;
}

const struct tt_probe tt_probe_log_forward = {
	.name = "log_forward",
	.description = "where rsyslog or systemd-journal-upload sends the "
		       "logs off the host, and whether one target is the "
		       "site's log host (rule parameter loghost)",
	.params = params,
	.fields = fields,
	.run = run,
};
